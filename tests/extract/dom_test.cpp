// Unit tests of the Gumbo DOM wrapper: ownership, node helpers, text, boilerplate regions.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <utility>

#include "extract/dom.hpp"

namespace dom = gisa::extract::dom;

namespace {

dom::node first(const dom::document& doc, const std::string& tag) {
    return dom::find_first(doc.root(), [&](dom::node n) { return dom::has_tag(n, tag); });
}

}  // namespace

TEST_CASE("a document owns its tree and moves it", "[dom]") {
    auto doc = dom::document::parse("<p>hi");
    REQUIRE(doc.root() != nullptr);
    CHECK(dom::has_tag(doc.root(), "html"));
    CHECK(dom::has_tag(doc.head(), "head"));
    CHECK(dom::has_tag(doc.body(), "body"));
    dom::document moved = std::move(doc);
    CHECK(doc.root() == nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    CHECK(dom::visible_text(moved.body()) == "hi");
}

TEST_CASE("tags and attributes and classes", "[dom]") {
    auto doc = dom::document::parse(
        R"(<div id="Main" class="Article-Body  photo_caption" data-x="1"><my-widget>w</my-widget></div>)");
    dom::node div = first(doc, "div");
    CHECK(dom::tag_name(div) == "div");
    CHECK(dom::attr(div, "ID") == std::optional<std::string_view>("Main"));
    CHECK_FALSE(dom::attr(div, "title").has_value());
    CHECK(dom::class_contains(div, "caption"));
    CHECK(dom::class_contains(div, "article-body"));  // ASCII case-insensitive
    CHECK(dom::has_class(div, "Article-Body"));
    CHECK_FALSE(dom::has_class(div, "Article"));
    CHECK(dom::class_and_id(div) == "article-body  photo_caption main");
    dom::node custom = dom::child_at(div, 0);
    CHECK(dom::tag_name(custom) == "my-widget");
    CHECK(dom::has_tag(custom, "my-widget"));
    int attrs = 0;
    dom::for_each_attr(div, [&](std::string_view, std::string_view) { ++attrs; });
    CHECK(attrs == 3);
}

TEST_CASE("visible text skips hidden parts and never glues blocks", "[dom]") {
    auto doc = dom::document::parse(
        "<div>one<p>two</p>three<br>four <script>var x;</script><span hidden>no</span>"
        "<b style='display: none'>no</b><i aria-hidden='true'>no</i>five&nbsp;&nbsp;six\xE2\x80\x8B</div>");
    CHECK(dom::visible_text(first(doc, "div")) == "one two three four five six");
    CHECK(dom::text_content(first(doc, "script")) == "var x;");
    CHECK(dom::visible_chars(first(doc, "div")) == std::string("one two three four five six").size());
}

TEST_CASE("has_visible_text is visible_chars above zero", "[dom]") {
    auto [html, expected] = GENERATE(table<std::string, bool>({
        {"<div>x</div>", true},
        {"<div> \xC2\xA0 <p> </p>\xE2\x80\x8B</div>", false},
        {"<div><script>var x;</script><span hidden>no</span> </div>", false},
        {"<div><p></p><p>  <b>\xEA\xB0\x80</b></p></div>", true},
        {"<div hidden>x</div>", false},
        {"<div><!-- x --></div>", false},
    }));
    CAPTURE(html);
    auto doc = dom::document::parse(html);
    dom::node div = first(doc, "div");
    CHECK(dom::has_visible_text(div) == expected);
    CHECK((dom::visible_chars(div) > 0) == expected);
}

TEST_CASE("link characters count only real anchors", "[dom]") {
    auto doc = dom::document::parse("<div>abc <a href='/x'>link</a> <a>name</a></div>");
    CHECK(dom::link_chars(first(doc, "div")) == 4);
}

TEST_CASE("walk is iterative: a deep tree does not overflow the stack", "[dom]") {
    constexpr int depth = 5000;
    std::string html;
    for (int i = 0; i < depth; ++i)
        html += "<span>";
    html += "deep";
    auto doc = dom::document::parse(html);
    int elements = 0;
    dom::walk(doc.body(), [&](dom::node n) {
        elements += dom::is_element(n) ? 1 : 0;
        return true;
    });
    CHECK(elements == depth + 1);
    CHECK(dom::visible_text(doc.body()) == "deep");
}

TEST_CASE("ancestors and siblings", "[dom]") {
    auto doc = dom::document::parse("<section><div><p>a</p><p>b</p></div></section>");
    dom::node section = first(doc, "section");
    dom::node div = first(doc, "div");
    dom::node p2 = dom::child_at(div, 1);
    CHECK(dom::child_count(div) == 2);
    CHECK(dom::index_in_parent(p2) == 1);
    CHECK(dom::is_ancestor(section, p2));
    CHECK_FALSE(dom::is_ancestor(p2, section));
    CHECK(dom::closest_ancestor(p2, [](dom::node n) { return dom::has_tag(n, "section"); }) == section);
    int count = 0;
    for (dom::node c : dom::children(div))
        count += dom::has_tag(c, "p") ? 1 : 0;
    CHECK(count == 2);
}

TEST_CASE("boilerplate regions are chrome whose links are not article links", "[dom][rules]") {
    auto [html, expected] = GENERATE(table<std::string, bool>({
        {"<nav><a href='/a'>x</a></nav>", true},
        {"<div class='gnb'>x</div>", true},
        {"<div class='top_ad'>x</div>", true},       // token "ad"
        {"<div class='header_line'>x</div>", true},  // token "header"
        {"<div class='head_line'>x</div>", false},   // "ad" only inside a word
        {"<div class='thread'>x</div>", false},
        {"<div class='player-2020-580'>x</div>", false},  // sports tables name rows "player"
        {"<div class='vod-control'>x</div>", true},       // a video player's buttons
        {"<div class='share-bar'>x</div>", true},
        {"<div id='comment_list'>x</div>", true},
        {"<div class='related-news'>x</div>", false},  // related lists lead to articles
        {"<aside>x</aside>", false},                   // most-read sidebars too
        {"<div role='navigation'>x</div>", true},
        {"<div class='article_body share'>x</div>", false},  // a content hint wins
        {"<div class='article-body'>x</div>", false},
        {"<article><header>x</header></article>", false},  // the article's own header
    }));
    auto doc = dom::document::parse(html);
    dom::node n = dom::child_at(doc.body(), 0);
    if (dom::has_tag(n, "article")) n = dom::child_at(n, 0);
    INFO(html);
    CHECK(dom::is_boilerplate_region(n) == expected);
}
