// The text the store refuses: NUL bytes and every kind of invalid UTF-8; Korean passes.
#include <catch2/catch.hpp>

#include "store/db_error.hpp"
#include "store/text_check.hpp"

using gisa::store::text_problem;

TEST_CASE("valid UTF-8 passes, Korean and 4-byte characters included", "[store][text]") {
    CHECK_FALSE(text_problem(""));
    CHECK_FALSE(text_problem("plain ASCII"));
    CHECK_FALSE(text_problem("무단전재 및 재배포 금지"));
    CHECK_FALSE(text_problem("\xF0\x9F\x98\x80 emoji, \xEF\xBF\xBD replacement"));
    CHECK_FALSE(text_problem("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("NUL and malformed sequences are refused with their byte offset", "[store][text]") {
    auto [text, problem] = GENERATE(table<std::string, std::string>({
        {std::string("ab\0c", 4), "NUL byte at byte 2"},
        {"\xC0\xAF", "invalid UTF-8 at byte 0"},                  // overlong '/'
        {"ok\xE0\x80\xAF", "invalid UTF-8 at byte 2"},            // overlong 3-byte
        {"\xED\xA0\x80", "invalid UTF-8 at byte 0"},              // surrogate U+D800
        {"\xF4\x90\x80\x80", "invalid UTF-8 at byte 0"},          // past U+10FFFF
        {"\xF5\x80\x80\x80", "invalid UTF-8 at byte 0"},          // lead byte never valid
        {"한\xEA\xB8", "invalid UTF-8 at byte 3"},                // truncated at the end
        {"\x80", "invalid UTF-8 at byte 0"},                      // lone continuation
        {"\xEB\x8B\x41", "invalid UTF-8 at byte 0"},              // continuation missing
        {"\xB1\xE8\xC3\xB6\xBC\xF6", "invalid UTF-8 at byte 0"},  // 김철수 in EUC-KR
        // Past the word-at-a-time ASCII and the three-byte fast paths.
        {std::string("abcdefghij\0klmnop", 17), "NUL byte at byte 10"},
        {"0123456789abcdef\x80", "invalid UTF-8 at byte 16"},
        {"가나다라마바사\xEB\x8B\x41", "invalid UTF-8 at byte 21"},
        {"가나다\xED\xA0\x80", "invalid UTF-8 at byte 9"},
    }));
    CAPTURE(text);
    REQUIRE(text_problem(text));
    CHECK(*text_problem(text) == problem);
}

TEST_CASE("check_text names the field and throws a decode error", "[store][text]") {
    try {
        gisa::store::check_text("title", std::string("a\0", 2));
        FAIL("no exception");
    } catch (const gisa::store::db_error& refused) {
        CHECK(refused.info().error.code == gisa::core::errc::decode);
        CHECK_FALSE(refused.retryable());
        CHECK(std::string(refused.what()) == "refused to store title: NUL byte at byte 1");
    }
}
