// Unit tests of body-line classification: captions, boilerplate lines, bylines, datelines, source lines.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "extract/body.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace ex = gisa::extract;
using ex::line_kind;

namespace {

ex::segment line(const std::string& text, bool after_image = false, std::size_t link_chars = 0) {
    ex::segment s;
    s.text = text;
    s.chars = ex::code_points(text);
    s.after_image = after_image;
    s.link_chars = link_chars;
    return s;
}

}  // namespace

TEST_CASE("lines of the article region are classified", "[body]") {
    ex::line_context ctx{"기사 제목"};
    auto [text, after_image, kind] = GENERATE(table<std::string, bool, line_kind>({
        {"메뉴 건너뛰기", false, line_kind::interface},
        {"본문 바로가기", false, line_kind::interface},
        {"기사 제목", false, line_kind::title},
        {"ⓒ 한국일보, 무단전재 및 재배포 금지", false, line_kind::copyright},
        {"Copyright © KBS. All rights reserved.", false, line_kind::copyright},
        {"전문 게재나 인터뷰 인용 보도 시,", false, line_kind::copyright},
        {"입력 2024.07.18 15:12", false, line_kind::dates},
        {"박지환 기자", false, line_kind::byline},
        {"sunny@yna.co.kr", false, line_kind::contact},
        {"최태원 회장이 인스타그램에 올린 사진. /최태원 회장 인스타그램 캡처", true, line_kind::caption},
        {"최태원 회장이 인스타그램에 올린 사진. /최태원 회장 인스타그램 캡처", false, line_kind::paragraph},
        {"[사진 출처 : 연합뉴스]", false, line_kind::caption},
        {"(서울=연합뉴스) 민선희 기자 = 한국은행 금융통화위원회가 18일 기준금리를 연 3.50%로 다시 묶었다.", false,
         line_kind::paragraph},
        {"비가 내렸다. 하천 수위가 올랐다.", false, line_kind::paragraph},
        {"※ '당신의 제보가 뉴스가 됩니다'", false, line_kind::tip},
        {"[카카오톡] 시험방송 검색해 채널 추가", false, line_kind::tip},
        {"[전화] 02-000-0000", false, line_kind::tip},
        {"[메일] jebo@example.co.kr", false, line_kind::tip},  // not the reporter's contact line
        {"기사문의 및 제보 : 카톡/라인 testnews", false, line_kind::tip},
        {"#전세사기 #금융위", false, line_kind::tip},
        {"#중견기업에 재직 중인 50대 김씨는 올해 초 창업박람회를 찾았다.", false, line_kind::paragraph},
        {"시험방송의 기사에 대해 반론·정정·추후 보도를 청구하실 분은 아래의 연락처로 연락주시길 바랍니다.", false,
         line_kind::tip},
    }));
    INFO(text);
    CHECK(ex::classify_line(line(text, after_image), ctx) == kind);
}

TEST_CASE("a mostly-link line is a link list", "[body]") {
    using ex::rules::max_link_density_pct;
    auto [link_pct, kind] = GENERATE(table<std::size_t, line_kind>({
        {max_link_density_pct, line_kind::paragraph},
        {max_link_density_pct + 1, line_kind::link_list},
    }));
    std::string text(100, 'x');
    CHECK(ex::classify_line(line(text, false, link_pct), {}) == kind);
}

TEST_CASE("a copyright line is short", "[body]") {
    using ex::rules::max_copyright_line_chars;
    std::string marker = "ⓒ";
    auto [chars, copyright] = GENERATE(table<std::size_t, bool>({
        {max_copyright_line_chars, true},
        {max_copyright_line_chars + 1, false},
    }));
    std::string text = marker + std::string(chars - 1, 'x');
    CHECK(ex::is_copyright_line(text) == copyright);
}

TEST_CASE("a tip line is short", "[body]") {
    using ex::rules::max_tip_line_chars;
    std::string prefix = "[전화]";  // 4 code points
    auto [chars, tip] = GENERATE(table<std::size_t, bool>({
        {max_tip_line_chars, true},
        {max_tip_line_chars + 1, false},
    }));
    CHECK(ex::is_tip_line(prefix + std::string(chars - 4, 'x')) == tip);
}

TEST_CASE("a broadcast sign-off with the reporter's name leaves the body", "[body]") {
    using ex::rules::max_sign_off_chars;
    std::vector<std::string> body{"본문이다.", "산업2부 유찬입니다."};
    ex::drop_sign_off(body, std::string("유찬 기자 curry30@mtn.co.kr"));
    CHECK(body == std::vector<std::string>{"본문이다."});
    std::vector<std::string> other{"본문이다.", "산업2부 김철수입니다."};
    ex::drop_sign_off(other, std::string("유찬 기자"));
    CHECK(other.size() == 2);
    std::vector<std::string> long_line{"본문이다.", std::string(max_sign_off_chars - 5, 'x') + "유찬입니다."};
    ex::drop_sign_off(long_line, std::string("유찬 기자"));
    CHECK(long_line.size() == 2);  // one code point over the limit: a sentence, kept
}

TEST_CASE("datelines are cut from the paragraph they open", "[body]") {
    auto [text, rest] = GENERATE(table<std::string, std::string>({
        {"(서울=연합뉴스) 민선희 기자 = 한국은행이", "한국은행이"},
        {"[서울=뉴시스]이재훈 기자 = 서울 지하철", "서울 지하철"},
        {"서울시는 A = B라고 밝혔다", "서울시는 A = B라고 밝혔다"},  // no byline before " = "
        {"한국은행이 금리를 묶었다", "한국은행이 금리를 묶었다"},
    }));
    CHECK(text.substr(ex::dateline_length(text)) == rest);
}

TEST_CASE("a trailing source line becomes the publisher", "[body]") {
    std::vector<std::string> body{"첫 문단이다.", "조선비즈"};
    CHECK(ex::take_trailing_publisher(body, "") == "조선비즈");
    CHECK(body.size() == 1);
    std::vector<std::string> ends_in_prose{"첫 문단이다.", "끝 문단이다."};
    CHECK_FALSE(ex::take_trailing_publisher(ends_in_prose, "").has_value());
    std::vector<std::string> english{"First paragraph.", "Reuters"};
    CHECK_FALSE(ex::take_trailing_publisher(english, "").has_value());
    CHECK(ex::take_trailing_publisher(english, "Reuters") == "Reuters");
}

TEST_CASE("a bracket that holds a byline opens the paragraph as a dateline", "[body]") {
    auto [text, rest] = GENERATE(table<std::string, std::string>({
        {"[스포츠조선 안소윤 기자] 가수 겸 배우", "가수 겸 배우"},
        {"[OSEN=대전, 지형준 기자] 7일 오후", "7일 오후"},
        {"[김철수 기자의 눈] 오늘은", "[김철수 기자의 눈] 오늘은"},  // a column's title, kept
        {"[속보] 지진 발생", "[속보] 지진 발생"},
    }));
    CHECK(text.substr(ex::dateline_length(text)) == rest);
}

TEST_CASE("a byline element with a name and an e-mail is a byline", "[body][byline]") {
    auto doc = gisa::extract::dom::document::parse(
        "<div class='byline'><p><span class='byline_s'>조민정(jjung@edaily.co.kr)</span></p></div>"
        "<p class='other'>문의(help@example.kr)</p>");
    auto page = ex::segment_page(doc.body());
    CHECK(ex::page_byline(page) == "조민정 jjung@edaily.co.kr");
    auto elsewhere = gisa::extract::dom::document::parse("<p class='other'>문의(help@example.kr)</p>");
    CHECK_FALSE(ex::page_byline(ex::segment_page(elsewhere.body())).has_value());
}
