// Unit tests of link normalisation (<base>, relative, fragments, utm_*, javascript:) and of the links_out list.
#include <catch2/catch.hpp>

#include <string>

#include "extract/board.hpp"
#include "extract/dom.hpp"
#include "extract/links.hpp"

namespace ex = gisa::extract;

TEST_CASE("hrefs are resolved and normalised", "[links]") {
    const std::string base = "https://news.example.kr/section/list.php?page=3";
    auto [href, expected] = GENERATE(table<std::string, std::string>({
        {"view.php?id=5", "https://news.example.kr/section/view.php?id=5"},
        {"../bbs/board.php?bo_table=free&wr_id=9", "https://news.example.kr/bbs/board.php?bo_table=free&wr_id=9"},
        {"/a/b", "https://news.example.kr/a/b"},
        {"//cdn.example.kr/x", "https://cdn.example.kr/x"},
        {"?page=4", "https://news.example.kr/section/list.php?page=4"},
        {"HTTP://News.Example.KR/Path#top", "http://news.example.kr/Path"},
        {"/a?utm_source=fb&id=3&utm_medium=social", "https://news.example.kr/a?id=3"},
        {"/a?utm_source=fb", "https://news.example.kr/a"},
        {"  /spaced  ", "https://news.example.kr/spaced"},
        {"/기사/1", "https://news.example.kr/%EA%B8%B0%EC%82%AC/1"},
        {"https://other.example.com", "https://other.example.com/"},
    }));
    CAPTURE(href);
    CHECK(ex::normalize_link(href, base) == expected);
}

TEST_CASE("links that are not pages are dropped", "[links]") {
    const std::string base = "https://news.example.kr/";
    auto href = GENERATE(as<std::string>{}, "javascript:void(0)", "JavaScript:go(1)", "mailto:a@b.kr", "tel:021234567",
                         "#comment", "", "data:text/html,hi", "ftp://files.example.kr/a");
    CAPTURE(href);
    CHECK_FALSE(ex::normalize_link(href, base).has_value());
}

TEST_CASE("relative links without any base are dropped", "[links]") {
    CHECK_FALSE(ex::normalize_link("view.php?id=5", "").has_value());
    CHECK(ex::normalize_link("https://a.kr/x", "") == "https://a.kr/x");
}

TEST_CASE("<base href> is resolved against the page and used for links", "[links]") {
    auto doc = ex::dom::document::parse(
        "<html><head><base href='/bbs/'></head><body><a href='view.php?no=1'>a</a></body></html>");
    auto ctx = ex::make_page_context(doc.root(), "https://m.example.kr/new/index.php", "");
    CHECK(ctx.base_url == "https://m.example.kr/bbs/");
    auto links = ex::collect_links(doc.root(), {}, {}, ctx, nullptr);
    REQUIRE(links.size() == 1);
    CHECK(links[0] == "https://m.example.kr/bbs/view.php?no=1");
}

TEST_CASE("links_out: board rows first, then other links, deduplicated, boilerplate and self left out", "[links]") {
    auto doc = ex::dom::document::parse(
        "<html><body>"
        "<nav><a href='/menu'>메뉴</a></nav>"
        "<p><a href='https://news.example.kr/a/1#top'>본문 링크</a> <a href='/a/2?utm_campaign=x'>둘</a>"
        "<a href='javascript:print()'>인쇄</a> <a href='/page'>자기 자신</a></p>"
        "<table class='list'><tr><td><a href='/sort?by=date'>날짜순</a></td></tr></table>"
        "<a href='/a/1'>다시</a>"
        "</body></html>");
    auto ctx = ex::make_page_context(doc.root(), "https://news.example.kr/page#x", "");
    gisa::core::board_list board;
    board.rows.push_back(
        {std::nullopt, "row", "https://news.example.kr/bbs/9", std::nullopt, std::nullopt, std::nullopt, false, {}});
    const GumboNode* table =
        ex::dom::find_first(doc.root(), [](ex::dom::node n) { return ex::dom::has_tag(n, "table"); });
    auto links = ex::collect_links(doc.root(), board, {table}, ctx,
                                   [](const GumboNode* n) { return ex::dom::has_tag(n, "nav"); });
    CHECK(links == std::vector<std::string>{"https://news.example.kr/bbs/9", "https://news.example.kr/a/1",
                                            "https://news.example.kr/a/2"});
}
