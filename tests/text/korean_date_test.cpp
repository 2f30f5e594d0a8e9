// Tests for Korean and ISO date parsing (article date lines and board cells).
#include "text/korean_date.hpp"

#include <catch2/catch.hpp>

#include <string>

using gisa::text::parse_board_date;
using gisa::text::parse_korean_datetime;

namespace {
// An empty expectation means "no date".
std::string or_none(const std::optional<std::string>& value) {
    return value.value_or("");
}
}  // namespace

TEST_CASE("parse_korean_datetime: forms found on article pages") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"2024.07.18", "2024-07-18"},
        {"2024-07-18", "2024-07-18"},
        {"2024/07/18", "2024-07-18"},
        {"2024.7.8", "2024-07-08"},
        {"2024. 7. 18.", "2024-07-18"},
        {"2024-07-18 09:12", "2024-07-18T09:12:00+09:00"},
        {"2024/07/18 09:12:33", "2024-07-18T09:12:33+09:00"},
        {"2016-03-01 14:32:10", "2016-03-01T14:32:10+09:00"},
        {"2024-07-18 09:12:00.0", "2024-07-18T09:12:00+09:00"},
        {"입력 2024.07.18. 오후 3:12", "2024-07-18T15:12:00+09:00"},
        {"입력 2024.07.18 오전 11:05", "2024-07-18T11:05:00+09:00"},
        {"2024.07.18. 오후 12:30", "2024-07-18T12:30:00+09:00"},
        {"2024.07.18. 오전 12:30", "2024-07-18T00:30:00+09:00"},
        {"2024.07.18 3:12 PM", "2024-07-18T15:12:00+09:00"},
        {"2024.07.18 3:12 am", "2024-07-18T03:12:00+09:00"},
        {"2024년 7월 18일", "2024-07-18"},
        {"2024년 07월 18일 (목)", "2024-07-18"},
        {"2024년 7월 18일 오전 9시 5분", "2024-07-18T09:05:00+09:00"},
        {"2024년 7월 18일 오후 9시", "2024-07-18T21:00:00+09:00"},
        {"2024년7월18일 15시 30분 12초", "2024-07-18T15:30:12+09:00"},
        {"2024년 7월 18일 (목) 15:12", "2024-07-18T15:12:00+09:00"},
        {"2024. 07. 18(목) 15:12", "2024-07-18T15:12:00+09:00"},
        {"2024년 7월 18일 목요일 오후 3시", "2024-07-18T15:00:00+09:00"},
        {"2024.07.18 (Thu) 3:12 PM", "2024-07-18T15:12:00+09:00"},
        {"2024-07-18T09:12:00+09:00", "2024-07-18T09:12:00+09:00"},
        {"2024-07-18T09:12+09:00", "2024-07-18T09:12:00+09:00"},
        {"2024-07-18T09:12:00+0900", "2024-07-18T09:12:00+09:00"},
        {"2024-07-18T00:12:00Z", "2024-07-18T00:12:00Z"},
        {"2024-07-18T00:12:00.123Z", "2024-07-18T00:12:00Z"},
        {"2024-07-18T09:12:00-05:00", "2024-07-18T09:12:00-05:00"},
        {"2024-07-18T09:12:00", "2024-07-18T09:12:00+09:00"},
        {"2024-07-18 09:12:00 KST", "2024-07-18T09:12:00+09:00"},
        {"기사입력 2024.07.18 오후 3:12 | 최종수정 2024.07.19 오전 8:00", "2024-07-18T15:12:00+09:00"},
        {"승인 2024.07.18 15:12", "2024-07-18T15:12:00+09:00"},
        {"등록 2024-07-18 | 조회 1234", "2024-07-18"},
        {"2024.07.18 12345", "2024-07-18"},  // a number after a date is not a time
        {"2024-02-29", "2024-02-29"},        // leap year
        {"2000-02-29", "2000-02-29"},
    }));
    CAPTURE(input);
    CHECK(or_none(parse_korean_datetime(input)) == expected);
}

TEST_CASE("parse_korean_datetime rejects impossible dates and non-dates") {
    auto input = GENERATE(as<std::string>{},
                          "",                           // nothing
                          "조회수 1234",                // no date
                          "2024.13.01",                 // month 13
                          "2024.00.10",                 // month 0
                          "2024-02-30",                 // Feb 30
                          "2023-02-29",                 // not a leap year
                          "1900-02-29",                 // century, not a leap year
                          "2024-04-31",                 // April has 30 days
                          "2024-07-00",                 // day 0
                          "2024-07-18 25:00",           // hour 25
                          "2024-07-18 24:00",           // hour 24
                          "2024-07-18 09:60",           // minute 60
                          "2024-07-18 09:12:61",        // second 61
                          "2024-07-18T09:12:00+15:00",  // offset beyond UTC+14
                          "2024년 7월 32일",            // day 32
                          "20240718",                   // compact digits are not read
                          "12024-07-18",                // five-digit year
                          "1899-12-31",                 // before the year range
                          "02-1234-5678");              // a phone number
    CAPTURE(input);
    CHECK_FALSE(parse_korean_datetime(input).has_value());
}

TEST_CASE("parse_korean_datetime: month-length boundaries") {
    auto [input, valid] = GENERATE(table<std::string, bool>({
        {"2024-01-31", true},
        {"2024-02-29", true},
        {"2024-02-30", false},
        {"2025-02-28", true},
        {"2025-02-29", false},
        {"2024-06-30", true},
        {"2024-06-31", false},
        {"2024-12-31", true},
        {"2024-12-32", false},
        {"2024-07-18 23:59:59", true},
        {"2024-07-18 00:00:00", true},
        {"2024-07-18 23:60", false},
    }));
    CAPTURE(input);
    CHECK(parse_korean_datetime(input).has_value() == valid);
}

TEST_CASE("parse_board_date: short forms against a reference") {
    const std::string reference = "2024-07-18T20:00:00+09:00";
    auto [cell, expected] = GENERATE(table<std::string, std::string>({
        {"14:32", "2024-07-18T14:32:00+09:00"},
        {" 14:32 ", "2024-07-18T14:32:00+09:00"},
        {"09:05:10", "2024-07-18T09:05:10+09:00"},
        {"07-18", "2024-07-18"},
        {"07.17", "2024-07-17"},
        {"07/01", "2024-07-01"},
        {"7월 16일", "2024-07-16"},
        {"07-19", "2024-07-19"},  // one day ahead: clock skew, same year
        {"12-31", "2023-12-31"},  // would be in the future: last year
        {"24.07.18", "2024-07-18"},
        {"24-07-18", "2024-07-18"},
        {"24.07.18 14:32", "2024-07-18T14:32:00+09:00"},
        {"2024.07.18", "2024-07-18"},
        {"2024-07-18 14:32", "2024-07-18T14:32:00+09:00"},
        {"방금", "2024-07-18T20:00:00+09:00"},
        {"5분 전", "2024-07-18T19:55:00+09:00"},
        {"3시간 전", "2024-07-18T17:00:00+09:00"},
        {"21시간 전", "2024-07-17T23:00:00+09:00"},
        {"2일 전", "2024-07-16"},
        {"어제", "2024-07-17"},
        {"오늘", "2024-07-18"},
        {"25:00", ""},
        {"13-01", ""},
        {"02-30", ""},
        {"1234", ""},
        {"조회 14:32", ""},  // the cell must be the date alone
        {"", ""},
    }));
    CAPTURE(cell);
    CHECK(or_none(parse_board_date(cell, reference)) == expected);
}

TEST_CASE("parse_board_date: the reference is taken in Korean time") {
    // 2024-07-18T16:00Z is 2024-07-19 01:00 in Seoul.
    CHECK(or_none(parse_board_date("14:32", "2024-07-18T16:00:00Z")) == "2024-07-19T14:32:00+09:00");
    CHECK(or_none(parse_board_date("1시간 전", "2024-07-18T16:30:00Z")) == "2024-07-19T00:30:00+09:00");
    // New Year: "12-31" read on January 1st belongs to the year before.
    CHECK(or_none(parse_board_date("12-31", "2025-01-01T09:00:00+09:00")) == "2024-12-31");
    CHECK(or_none(parse_board_date("01-01", "2025-01-01T09:00:00+09:00")) == "2025-01-01");
    // A date-only reference still resolves dates, but not times.
    CHECK(or_none(parse_board_date("07-18", "2024-07-18")) == "2024-07-18");
    CHECK(or_none(parse_board_date("14:32", "2024-07-18")) == "2024-07-18T14:32:00+09:00");
    CHECK_FALSE(parse_board_date("5분 전", "2024-07-18").has_value());
    // Without a usable reference only full dates work.
    CHECK_FALSE(parse_board_date("14:32", "").has_value());
    CHECK(or_none(parse_board_date("2024.07.18", "")) == "2024-07-18");
    CHECK(or_none(parse_board_date("24.07.18", "")) == "2024-07-18");
}
