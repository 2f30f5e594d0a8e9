// Unit tests of the UTF-8 string helpers: whitespace normalisation, code points, name tokens.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <string_view>
#include <tuple>

#include "extract/strings.hpp"

namespace ex = gisa::extract;
using namespace std::string_view_literals;

TEST_CASE("whitespace is normalised as the record wants it", "[strings]") {
    auto [in, out] = GENERATE(table<std::string, std::string>({
        {"  a  b  ", "a b"},
        {"a\r\n\tb", "a b"},
        {"a\xC2\xA0\xC2\xA0"
         "b",
         "a b"},  // NBSP
        {"a\xE2\x80\x8B"
         "b",
         "ab"},  // zero-width space removed, not a space
        {"\xEF\xBB\xBF"
         "가나",
         "가나"},                       // BOM
        {"가\xE3\x80\x80나", "가 나"},  // ideographic space
        {"", ""},
    }));
    CHECK(ex::normalize_whitespace(in) == out);
}

TEST_CASE("visible code points are counted without building the string", "[strings]") {
    bool in_space = true;  // at a block start: leading spaces are not counted
    CHECK(ex::count_visible_code_points("  가  나  ", in_space) == 4);  // "가 나 "
    CHECK(in_space);
    CHECK(ex::count_visible_code_points("다", in_space) == 1);
    CHECK_FALSE(in_space);
    CHECK(ex::count_visible_code_points("a\xE2\x80\x8B", in_space) == 1);  // zero-width not counted
}

TEST_CASE("lengths are code points and not bytes", "[strings]") {
    CHECK(ex::code_points("가나다") == 3);
    CHECK(ex::code_points("abc") == 3);
    CHECK(ex::code_points("") == 0);
}

TEST_CASE("name tokens match whole words of class and id", "[strings][rules]") {
    constexpr std::array tokens{"ad"sv, "nav"sv};
    auto [names, expected] = GENERATE(table<std::string, bool>({
        {"top_ad", true},
        {"ad-slot main", true},
        {"AD", true},
        {"head", false},
        {"read_more", false},
        {"canvas", false},
        {"gnb nav2", false},
        {"", false},
    }));
    INFO(names);
    CHECK(ex::has_name_token(names, tokens) == expected);
}

TEST_CASE("case-insensitive helpers", "[strings]") {
    CHECK(ex::iequals("Copyright", "COPYRIGHT"));
    CHECK(ex::icontains("All Rights Reserved.", "rights reserved"));
    CHECK(ex::istarts_with("JavaScript:void(0)", "javascript:"));
    CHECK(ex::iends_with("photo.JPG", ".jpg"));
    CHECK_FALSE(ex::icontains("abc", "abcd"));
}

TEST_CASE("entities left by double escaping are decoded", "[strings]") {
    auto [in, out] = GENERATE(table<std::string, std::string>({
        {"[D리포트] &#34;밤 깎게 칼 좀 주세요&#34;", "[D리포트] \"밤 깎게 칼 좀 주세요\""},
        {"&#x27;연진아&#x27;", "'연진아'"},
        {"R&amp;D &lt;법&gt;", "R&D <법>"},
        {"AT&T & co; &unknown;", "AT&T & co; &unknown;"},
        {"&#0; &#99999999;", "&#0; &#99999999;"},
        {"&#8216;The Medium&#8217;", "\xE2\x80\x98The Medium\xE2\x80\x99"},
    }));
    CHECK(ex::decode_leftover_entities(in) == out);
}

// Fragments that overlap: a partial match that fails must still find a fragment that starts
// inside it (the automaton's fallbacks).
TEST_CASE("substring_set finds a fragment that starts inside a failed partial match", "[strings]") {
    static constexpr std::array fragments{"abcd"sv, "bce"sv, "cabx"sv, "Bb"sv};
    const ex::substring_set set(fragments);
    auto [names, expected] = GENERATE(table<std::string_view, bool>({
        {"abce", true},
        {"abcabx", true},
        {"ABCABX", true},
        {"abc", false},
        {"abcab", false},
        {"abb", true},
        {"xaBbx", true},
        {"ab cd", false},
    }));
    CAPTURE(names);
    CHECK(set.contains(names) == expected);
    CHECK(ex::has_substring(names, fragments) == expected);
}

TEST_CASE("substring_set answers as has_substring does, and icontains folds ASCII only", "[strings]") {
    static constexpr std::array fragments{"sidebar"sv, "ad_"sv, "Related"sv, "기사"sv, "©"sv, "x"sv};
    const ex::substring_set set(fragments);
    auto [names, expected] = GENERATE(table<std::string_view, bool>({
        {" ", false},
        {"", false},
        {"left-sidebar wrap", true},
        {"LEFT-SIDEBAR", true},
        {"top_ad_box", true},
        {"ad", false},
        {"news_related", true},
        {"관련기사 목록", true},
        {"관련 기", false},
        {"© 2024", true},
        {"box", true},
        {"side bar", false},
    }));
    CAPTURE(names);
    CHECK(set.contains(names) == expected);
    CHECK(ex::has_substring(names, fragments) == expected);
    // The table may hold an empty fragment: it is in every string.
    static constexpr std::array with_empty{"zzz"sv, ""sv};
    CHECK(ex::substring_set(with_empty).contains(names));
    CHECK(ex::icontains("Copyright © 조선일보", "COPYRIGHT"));
    CHECK(ex::icontains("무단 전재 및 재배포 금지", "재배포 금지"));
    CHECK_FALSE(ex::icontains("무단 전재", "재배포"));
    CHECK(ex::icontains("Tel. 02-123 ALL Rights", "all rights"));
    CHECK_FALSE(ex::icontains("all right", "all rights"));
}
