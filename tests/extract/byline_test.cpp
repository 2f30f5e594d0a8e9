// Unit tests of byline, e-mail and date-line reading.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>

#include "extract/byline.hpp"

namespace ex = gisa::extract;

TEST_CASE("bylines are read as written", "[byline]") {
    auto [line, expected] = GENERATE(table<std::string, std::optional<std::string>>({
        {"박지환 기자", "박지환 기자"},
        {"박지환기자", "박지환 기자"},
        {"김철수·이영희 기자", "김철수·이영희 기자"},
        {"이영희 특파원", "이영희 특파원"},
        {"김철수 선임기자", "김철수 선임기자"},
        {"(서울=연합뉴스) 민선희 기자 = 한국은행", "민선희 기자"},
        {"이소연 기자 always99@donga.com", "이소연 기자 always99@donga.com"},
        {"CBS노컷뉴스 오대일 기자", "오대일 기자"},
        {"기자회견을 열었다", std::nullopt},  // 기자 starts a longer word
        {"남궁 기자", "남궁 기자"},           // 2 syllables: the shortest name
        {"김 기자", std::nullopt},            // 1 syllable is not a name
        {"독고다이수리 기자", std::nullopt},  // 6 syllables: a phrase, not a name
        {"경찰은 기자들에게 말했다", std::nullopt},
        {"", std::nullopt},
    }));
    INFO(line);
    CHECK(ex::find_byline(line) == expected);
}

TEST_CASE("e-mail addresses are found inside text", "[byline]") {
    CHECK(ex::find_email("◎공감언론 뉴시스 hokma@newsis.com") == "hokma@newsis.com");
    CHECK(ex::find_email("kmj@fnnews.com 김미정 기자") == "kmj@fnnews.com");
    CHECK(ex::find_email("mail: a.b@c.co.kr.") == "a.b@c.co.kr");
    CHECK_FALSE(ex::find_email("@twitter handle").has_value());
    CHECK_FALSE(ex::find_email("user@localhost").has_value());
}

TEST_CASE("dates lines give published and modified times", "[byline][dates]") {
    auto d = ex::read_date_line("입력 2024.07.18 15:12 수정 2024.07.18 16:40");
    CHECK(d.labelled);
    CHECK(d.published == "2024-07-18T15:12:00+09:00");
    CHECK(d.modified == "2024-07-18T16:40:00+09:00");
    auto bracketed = ex::read_date_line("입력 : 2024-07-18 [10:25:00] | 수정 : 2024-07-18 [11:02:00]");
    CHECK(bracketed.published == "2024-07-18T10:25:00+09:00");
    CHECK(bracketed.modified == "2024-07-18T11:02:00+09:00");
    auto approved = ex::read_date_line("승인 2024.07.18 17:20");
    CHECK(approved.published == "2024-07-18T17:20:00+09:00");
    CHECK_FALSE(ex::read_date_line("입력된 값이 없습니다").labelled);
}

TEST_CASE("a dates line is short and mostly a date", "[byline][dates]") {
    auto [line, expected] = GENERATE(table<std::string, bool>({
        {"입력 2024.07.18 15:12", true},
        {"2024-07-18 15:02", true},
        {"2024년 7월 18일", true},
        {"서울시는 2024년 7월 18일 새 노선을 발표했다고 밝혔다.", false},
        {"날씨가 덥다", false},
    }));
    INFO(line);
    CHECK(ex::is_date_line(line) == expected);
}
