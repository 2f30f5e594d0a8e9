// Tests for whitespace normalisation of extracted text.
#include "text/normalize.hpp"

#include <catch2/catch.hpp>

#include <string>

using gisa::text::is_blank;
using gisa::text::normalize_space;

TEST_CASE("normalize_space table") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"   ", ""},
        {"a", "a"},
        {"  a  b  ", "a b"},
        {"a\tb\r\nc\fd\ve", "a b c d e"},
        {"a\x01"
         "b\x7F"
         "c",
         "a b c"},                                                                 // other controls
        {"\xC2\xA0\xEA\xB8\xB0\xEC\x82\xAC\xC2\xA0", "\xEA\xB8\xB0\xEC\x82\xAC"},  // NBSP 기사 NBSP
        {"a\xC2\xA0\xC2\xA0 b", "a b"},                                            // NBSP runs collapse with spaces
        {"a\xE2\x80\x82"
         "b\xE2\x80\x8A"
         "c",
         "a b c"},  // en space, hair space
        {"a\xE3\x80\x80"
         "b",
         "a b"},  // ideographic space U+3000
        {"a\xE2\x80\xAF"
         "b",
         "a b"},  // narrow NBSP U+202F
        {"a\xE2\x80\xA8"
         "b\xE2\x80\xA9"
         "c",
         "a b c"},  // line/paragraph separators
        {"ab\xE2\x80\x8B"
         "cd",
         "abcd"},  // ZWSP removed, word not split
        {"\xEF\xBB\xBF"
         "title",
         "title"},  // BOM / ZWNBSP
        {"co\xC2\xAD"
         "operate",
         "cooperate"},  // soft hyphen rejoins the word
        {"a\xE2\x81\xA0"
         "b",
         "ab"},                       // word joiner
        {"a \xE2\x80\x8B b", "a b"},  // invisible between spaces: one space
        {"\xE2\x80\x8B", ""},
        {"\xC2\xA9 2024", "\xC2\xA9 2024"},  // © is kept
        {"\xE2\x80\x94", "\xE2\x80\x94"},    // em dash U+2014 is kept
        {"\xE2\x81\xBF", "\xE2\x81\xBF"},    // U+207F is kept
    }));
    CAPTURE(input);
    CHECK(normalize_space(input) == expected);
    CHECK(is_blank(input) == expected.empty());
}

TEST_CASE("normalize_space leaves Korean text alone apart from spaces") {
    const std::string text =
        "\xEB\xAC\xB4\xEB\x8B\xA8\xEC\xA0\x84\xEC\x9E\xAC \xEB\xB0\x8F  \xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC";
    CHECK(normalize_space(text) ==
          "\xEB\xAC\xB4\xEB\x8B\xA8\xEC\xA0\x84\xEC\x9E\xAC \xEB\xB0\x8F \xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC");
}

TEST_CASE("normalize_space on a long ASCII run takes the fast path and is correct") {
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += "word \n\t ";
    const std::string out = normalize_space(text);
    CHECK(out.size() == 1000 * 5 - 1);
    CHECK(out.find("  ") == std::string::npos);
}

TEST_CASE("code points and Hangul") {
    CHECK(gisa::text::code_point_count("") == 0);
    CHECK(gisa::text::code_point_count("abc") == 3);
    CHECK(gisa::text::code_point_count("\xED\x95\x9C\xEA\xB5\xAD") == 2);
    CHECK(gisa::text::is_hangul_syllable_at("a\xED\x95\x9C", 1));
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("a\xED\x95\x9C", 0));
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("\xE3\x84\xB1", 0));  // ㄱ (jamo, not a syllable)
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("\xED\x95", 0));      // truncated
    CHECK(gisa::text::is_ascii("plain"));
    CHECK_FALSE(gisa::text::is_ascii("plain text with \xC2\xA0"));
}
