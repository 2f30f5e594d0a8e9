// Unit tests of the record's JSON: record.md's key order, nulls, error and file placement.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/record_json.hpp"

namespace ex = gisa::extract;

namespace {

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
    std::vector<std::string> keys;
    for (const auto& item : j.items())
        keys.push_back(item.key());
    return keys;
}

}  // namespace

TEST_CASE("every key is present in the order of record.md", "[record_json]") {
    gisa::core::page_record r;
    r.url = "https://a.kr/1";
    r.final_url = r.url;
    r.charset = "UTF-8";
    auto j = ex::record_to_json(r);
    CHECK(keys_of(j) == std::vector<std::string>{"url", "final_url", "charset", "replaced_bytes", "title", "subtitle",
                                                 "body", "captions", "byline", "publisher", "published_at",
                                                 "modified_at", "board", "links_out", "notes"});
    CHECK(j["title"].is_null());
    CHECK(j["body"].is_array());
    CHECK(j["board"].dump() == R"({"rows":[],"next_page":null})");
}

TEST_CASE("a board row keeps its key order and nulls", "[record_json]") {
    gisa::core::page_record r;
    r.board.rows.push_back({39758, "제목", "https://a.kr/39758", std::nullopt, "2024-07-18", 12, false, {}});
    r.board.rows.push_back({39757, "둘째", "https://a.kr/39757", "갑", std::nullopt, std::nullopt, false, "질문"});
    auto rows = ex::record_to_json(r)["board"]["rows"];
    CHECK(rows[0].dump() == R"({"no":39758,"title":"제목","url":"https://a.kr/39758","author":null,)"
                            R"("date":"2024-07-18","views":12,"notice":false,"category":null})");
    CHECK(rows[1]["category"] == "질문");
    r.board.rows.push_back({7, "스크립트로 여는 글", "", std::nullopt, std::nullopt, std::nullopt, false, {}});
    CHECK(ex::record_to_json(r)["board"]["rows"][2]["url"].is_null());
}

TEST_CASE("file comes first and error follows url", "[record_json]") {
    gisa::core::page_record r;
    r.url = "u";
    gisa::core::error e;
    e.code = gisa::core::errc::too_large;
    e.message = "too deep";
    auto j = ex::record_to_json(r, e, "a.html");
    auto keys = keys_of(j);
    REQUIRE(keys.size() >= 3);
    CHECK(keys[0] == "file");
    CHECK(keys[1] == "url");
    CHECK(keys[2] == "error");
    CHECK(j["error"].dump() == R"({"code":"too_large","message":"too deep"})");
}
