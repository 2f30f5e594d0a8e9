// Unit tests of the whole pipeline on small pages: stages in order, no-article pages, refusals.
#include <catch2/catch.hpp>

#include <string>

#include "extract/depth_guard.hpp"
#include "extract/extractor.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace ex = gisa::extract;

namespace {

ex::extract_result run(const std::string& html, const std::string& url = "https://news.example.kr/a/1") {
    ex::page_input in;
    in.bytes = html;
    in.url = url;
    return ex::extract_page(in);
}

const std::string article_page = R"(<html><head><title>폭우에 주민 대피 - 예시일보</title>
<meta property="og:type" content="article"></head><body>
<a class="skip" href="#body">본문 바로가기</a><nav><a href="/politics">정치</a></nav>
<h1>폭우에 주민 대피</h1><div class="info">김철수 기자 | 입력 2024.07.18 15:12</div>
<div id="articleBody">
<p>18일 새벽 경기 북부에 시간당 최대 80㎜가 넘는 장대비가 쏟아지면서 주민 1200여 명이 대피했다.</p>
<figure><img src="a.jpg"><figcaption>물에 잠긴 도로. /뉴스1</figcaption></figure>
<p>기상청은 정체전선이 19일 오후까지 중부지방에 머물며 비를 더 뿌릴 것으로 내다봤다.</p>
<p>kim@example.kr</p>
<p>ⓒ 예시일보, 무단전재 및 재배포 금지</p>
</div>
<div class="related"><a href="https://news.example.kr/a/2">관련 기사</a></div>
<footer><a href="/about">회사소개</a></footer></body></html>)";

}  // namespace

TEST_CASE("an article page yields its record", "[extractor]") {
    auto r = run(article_page);
    CHECK(r.error.code == gisa::core::errc::ok);
    const auto& rec = r.record;
    CHECK(rec.url == "https://news.example.kr/a/1");
    CHECK(rec.final_url == rec.url);
    CHECK(rec.charset == "UTF-8");
    CHECK(rec.title == "폭우에 주민 대피");
    REQUIRE(rec.body.size() == 2);
    CHECK(rec.body[0].rfind("18일 새벽", 0) == 0);
    CHECK(rec.captions == std::vector<std::string>{"물에 잠긴 도로. /뉴스1"});
    CHECK(rec.byline == "김철수 기자 kim@example.kr");
    CHECK(rec.published_at == "2024-07-18T15:12:00+09:00");
    CHECK(rec.notes.empty());
    CHECK(rec.links_out == std::vector<std::string>{"https://news.example.kr/a/2"});
}

TEST_CASE("a page without an article says so and invents nothing", "[extractor]") {
    auto front = run(R"(<title>예시 포털</title><ul><li><a href="/1">헤드라인 하나</a></li>
        <li><a href="/2">헤드라인 둘</a></li></ul>)");
    CHECK(front.error.code == gisa::core::errc::ok);
    CHECK(front.record.body.empty());
    CHECK(front.record.byline == std::nullopt);
    CHECK(front.record.notes == std::vector<std::string>{"no article found"});
    auto empty = run("");
    CHECK(empty.record.body.empty());
    CHECK(empty.record.notes == std::vector<std::string>{"no article found"});
}

TEST_CASE("article metadata lowers the bar for a short article", "[extractor]") {
    using gisa::extract::rules::min_article_chars;
    using gisa::extract::rules::min_article_chars_without_metadata;
    // One paragraph between the two bars: an article only when the page says it is one.
    std::string text;
    while (gisa::extract::code_points(text) < min_article_chars + 10)
        text += "짧은 기사 문장이다. ";
    REQUIRE(gisa::extract::code_points(text) < min_article_chars_without_metadata);
    std::string page = "<title>짧은 글</title><div><p>" + text + "</p></div>";
    auto plain = run(page);
    CHECK(plain.record.body.empty());
    CHECK(plain.record.notes == std::vector<std::string>{"no article found"});
    auto article = run(R"(<meta property="og:type" content="article">)" + page);
    CHECK(article.record.body.size() == 1);
    CHECK(article.record.notes.empty());
}

TEST_CASE("a page nested deeper than the guard allows is flattened and not stalled", "[extractor]") {
    std::string html = "<title>깊은 페이지</title>";
    for (int i = 0; i < 20000; ++i)
        html += "<div>";
    html += "<p>끝까지 내려온 문장이다.</p>";
    auto r = run(html);
    CHECK(r.error.code == gisa::core::errc::ok);
    CHECK(r.record.title == "깊은 페이지");
    REQUIRE_FALSE(r.record.notes.empty());
    CHECK(r.record.notes[0].rfind("flattened", 0) == 0);
}

TEST_CASE("a page of more elements than the limit is refused with a clear error, unparsed", "[extractor]") {
    std::string html = "<title>요소가 너무 많은 페이지</title><body>";
    for (std::size_t i = 0; i < gisa::extract::max_page_elements; ++i)
        html += "<p>x";
    auto r = run(html);
    CHECK(r.error.code == gisa::core::errc::too_large);
    CHECK(r.error.message == "page has more than 250000 elements, the limit");
    CHECK_FALSE(r.record.title.has_value());  // refused before parsing: nothing read
    CHECK(r.record.body.empty());
    REQUIRE(r.record.notes.size() == 1);
    CHECK(r.record.notes[0] == "refused: page has more than 250000 elements, the limit");
}

TEST_CASE("EUC-KR bytes are decoded as CP949", "[extractor]") {
    // "<title>똠방각하</title>" in CP949: 똠 exists only in CP949, not in EUC-KR.
    std::string html = "<meta charset=\"euc-kr\"><title>\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF</title>";
    auto r = run(html);
    CHECK(r.record.charset == "CP949");
    CHECK(r.record.title == "똠방각하");
    CHECK(r.record.replaced_bytes == 0);
}
