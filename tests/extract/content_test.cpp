// Unit tests of main-content scoring and selection.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "extract/content.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace ex = gisa::extract;
namespace dom = gisa::extract::dom;

namespace {

ex::segment text_segment(const std::string& text) {
    ex::segment s;
    s.text = text;
    s.chars = gisa::extract::code_points(text);
    return s;
}

std::string syllables(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
        s += "가";
    return s;
}

}  // namespace

TEST_CASE("a paragraph scores from min_paragraph_chars on", "[content]") {
    using ex::rules::min_paragraph_chars;
    auto [chars, scores] = GENERATE(table<std::size_t, bool>({
        {min_paragraph_chars - 1, false},
        {min_paragraph_chars, true},
    }));
    CHECK((ex::segment_score(text_segment(syllables(chars))) > 0) == scores);
}

TEST_CASE("commas and length and sentence endings add capped points", "[content]") {
    double plain = ex::segment_score(text_segment(syllables(30)));
    double with_ending = ex::segment_score(text_segment(syllables(30) + "다."));
    double with_comma = ex::segment_score(text_segment(syllables(15) + ", " + syllables(15)));
    CHECK(with_ending > plain);
    CHECK(with_comma > plain);
    double long_text = ex::segment_score(text_segment(syllables(1000)));
    CHECK(long_text == Approx(1.0 + ex::rules::max_length_points));
}

TEST_CASE("sentence endings are counted in Korean and English", "[content]") {
    CHECK(ex::count_sentence_endings("비가 왔다. 바람이 분다.") == 2);
    CHECK(ex::count_sentence_endings("그렇습니까? 네, 맞아요.") == 2);
    CHECK(ex::count_sentence_endings("It rained. Then it stopped.") == 2);
    CHECK(ex::count_sentence_endings("메뉴 건너뛰기") == 0);
}

TEST_CASE("the article beats a longer list of links", "[content]") {
    std::string para = "<p>" + syllables(60) + "다. " + syllables(40) + ", " + syllables(30) + "다.</p>";
    std::string links;
    for (int i = 0; i < 30; ++i)
        links += "<li><a href='/" + std::to_string(i) + "'>" + syllables(30) + "</a></li>";
    auto doc = dom::document::parse("<div id='list'><ul>" + links + "</ul></div><div id='story'>" + para + para + para +
                                    "</div>");
    auto page = ex::segment_page(doc.body());
    auto choice = ex::choose_main_content(page);
    REQUIRE(choice.top != nullptr);
    CHECK(dom::attr_or_empty(choice.top, "id") == "story");
    CHECK_FALSE(ex::in_choice(page, choice, 0));                   // first link
    CHECK(ex::in_choice(page, choice, page.segments.size() - 1));  // last paragraph
}

TEST_CASE("strong siblings join the top block", "[content]") {
    std::string para = "<p>" + syllables(80) + "다. " + syllables(60) + ", " + syllables(30) + "다.</p>";
    auto doc = dom::document::parse("<div id='wrap'><div id='a'>" + para + para + para +
                                    "</div><div id='ad'>광고</div>" + "<div id='b'>" + para + para + "</div></div>");
    auto page = ex::segment_page(doc.body());
    auto choice = ex::choose_main_content(page);
    REQUIRE(choice.roots.size() == 2);
    CHECK(dom::attr_or_empty(choice.roots[0], "id") == "a");
    CHECK(dom::attr_or_empty(choice.roots[1], "id") == "b");
}

TEST_CASE("prose that malformed markup left after the top block continues it", "[content]") {
    std::string para = "<p>" + syllables(50) + "다. " + syllables(30) + "다.</p>";
    auto doc = dom::document::parse("<div class='share'><div class='art_body'>" + para + para + "</div></div>" + para +
                                    "<div class='copy'>ⓒ 신문</div>");
    auto page = ex::segment_page(doc.body());
    auto choice = ex::choose_main_content(page);
    CHECK(choice.continuation.size() == 1);
}

TEST_CASE("a page without prose has no top block", "[content]") {
    auto doc = dom::document::parse("<ul><li><a href='/1'>하나</a></li><li><a href='/2'>둘</a></li></ul>");
    auto page = ex::segment_page(doc.body());
    CHECK(ex::choose_main_content(page).top == nullptr);
}
