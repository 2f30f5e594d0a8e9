// Unit tests of node_index: numbering the nodes of a page, through table growth.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/dom.hpp"
#include "extract/node_index.hpp"

namespace dom = gisa::extract::dom;
using gisa::extract::node_index;

TEST_CASE("node_index numbers nodes in the order added and finds them again", "[node_index]") {
    std::string html = "<body>";
    for (int i = 0; i < 2000; ++i)
        html += "<div><p>x</p></div>";  // more nodes than the first table holds: it grows
    const auto doc = dom::document::parse(html);
    std::vector<dom::node> nodes;
    dom::walk(doc.root(), [&](dom::node n) {
        nodes.push_back(n);
        return true;
    });
    REQUIRE(nodes.size() > 4000);
    node_index index;
    CHECK(index.find(nodes.front()) == node_index::npos);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto added = index.add(nodes[i]);
        CHECK(added.fresh);
        CHECK(added.index == i);
    }
    CHECK(index.size() == nodes.size());
    const auto again = index.add(nodes[7]);
    CHECK_FALSE(again.fresh);
    CHECK(again.index == 7);
    CHECK(index.size() == nodes.size());
    for (std::size_t i = 0; i < nodes.size(); i += 97)
        CHECK(index.find(nodes[i]) == i);
    CHECK(index.find(nullptr) == node_index::npos);
    const auto other = dom::document::parse("<p>y");
    CHECK(index.find(other.root()) == node_index::npos);
}
