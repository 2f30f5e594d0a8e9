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
    // The counter agrees with the normaliser: leading spaces skipped, a trailing run counted once.
    bool in_space = true;
    const std::size_t counted = gisa::text::visible_code_point_count(input, in_space);
    CHECK(counted == gisa::text::code_point_count(expected) + (in_space && !expected.empty() ? 1 : 0));
    // visible_run_of says the same, and how the piece counts after a visible character.
    const gisa::text::visible_run run = gisa::text::visible_run_of(input);
    CHECK(run.count == counted);
    CHECK(run.visible == !expected.empty());
    if (run.visible) CHECK(run.trailing_space == in_space);
    bool after_visible = false;
    const std::size_t counted_after_visible = gisa::text::visible_code_point_count(input, after_visible);
    CHECK(counted_after_visible == counted + (run.leading_space ? 1 : 0));
    CHECK(after_visible == (run.visible ? run.trailing_space : run.leading_space));
}

TEST_CASE("normalize_space leaves Korean text alone apart from spaces") {
    const std::string text =
        "\xEB\xAC\xB4\xEB\x8B\xA8\xEC\xA0\x84\xEC\x9E\xAC \xEB\xB0\x8F  \xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC";
    CHECK(normalize_space(text) ==
          "\xEB\xAC\xB4\xEB\x8B\xA8\xEC\xA0\x84\xEC\x9E\xAC \xEB\xB0\x8F \xEC\x9E\xAC\xEB\xB0\xB0\xED\x8F\xAC");
}

TEST_CASE("normalize_space keeps stray and cut-off bytes and never reads past the text") {
    // A lead byte without its continuation bytes is one visible byte, as it is in the input.
    CHECK(normalize_space("\xEA\xB0\x80 \xEA") == "\xEA\xB0\x80 \xEA");
    CHECK(normalize_space("\xEA a") == "\xEA a");
    CHECK(normalize_space("\xEA\xB0  a") == "\xEA\xB0 a");
    // A space character cut off by the end of the text ends it.
    CHECK(normalize_space("\xEA\xB0\x80"
                          "b\xE2\x80") ==
          "\xEA\xB0\x80"
          "b");
    CHECK(normalize_space("\xEA\xB0\x80\xE3\x80") == "\xEA\xB0\x80\xE3\x80");  // not a U+3000: kept
    // Invisible characters inside a run of Hangul join its two sides.
    CHECK(normalize_space("\xEA\xB0\x80\xE2\x80\x8B\xEA\xB0\x81") == "\xEA\xB0\x80\xEA\xB0\x81");
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
    // Every length, so that both the eight-byte steps and the tail are counted: characters of
    // 2, 1, 3 and 4 bytes, and stray continuation bytes, which start no character.
    const std::string mixed =
        "\xC3\xA9"
        "a"
        "\xED\x95\x9C"
        "\xF0\x9F\x98\x80"
        "\x80\x80"
        "b";
    std::string text;
    std::size_t expected = 0;
    for (int i = 0; i < 6; ++i) {
        CHECK(gisa::text::code_point_count(text) == expected);
        text += mixed;
        expected += 5;
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            std::size_t naive = 0;
            for (std::size_t k = 0; k < cut; ++k)
                naive += (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80 ? 1 : 0;
            CHECK(gisa::text::code_point_count(std::string_view(text).substr(0, cut)) == naive);
        }
    }
    CHECK(gisa::text::is_hangul_syllable_at("a\xED\x95\x9C", 1));
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("a\xED\x95\x9C", 0));
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("\xE3\x84\xB1", 0));  // ㄱ (jamo, not a syllable)
    CHECK_FALSE(gisa::text::is_hangul_syllable_at("\xED\x95", 0));      // truncated
    CHECK(gisa::text::is_ascii("plain"));
    CHECK_FALSE(gisa::text::is_ascii("plain text with \xC2\xA0"));
}
