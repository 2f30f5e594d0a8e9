// The text the store refuses: NUL bytes and every kind of invalid UTF-8; Korean passes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

namespace {

// RFC 3629 by decoding: the code point and its shortest form, no surrogates,
// nothing past U+10FFFF, no NUL. Slow and plain, to check the fast one against.
bool reference_valid(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
        if (length == 0 || lead > 0xF7 || i + length > text.size()) return false;
        std::uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (next & 0x3F);
        }
        const std::size_t shortest = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (cp == 0 || shortest != length || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
        i += length;
    }
    return true;
}

}  // namespace

TEST_CASE("every sequence of up to four bytes from the boundary values is judged as by decoding", "[store][text]") {
    // The values where the rules change: NUL, ASCII, continuation bytes and
    // the narrower second-byte ranges (80..8F, 90..9F, A0..BF), overlong and
    // never-valid leads, the leads with their own ranges (E0, ED, F0, F4).
    const std::vector<unsigned char> edges{0x00, 0x01, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                           0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
                                           0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF};
    std::size_t checked = 0;
    std::string text;
    const std::function<void(std::size_t)> extend = [&](std::size_t depth) {
        if (!text.empty()) {
            ++checked;
            if (text_problem(text).has_value() == reference_valid(text)) {
                CAPTURE(text);
                FAIL("text_problem and decoding disagree");
            }
        }
        if (depth == 4) return;
        for (const unsigned char byte : edges) {
            text.push_back(static_cast<char>(byte));
            extend(depth + 1);
            text.pop_back();
        }
    };
    extend(0);
    CHECK(checked == 27 + 27 * 27 + 27 * 27 * 27 + 27 * 27 * 27 * 27);
    // Valid text of every length after a long valid run still ends well or badly as it should.
    const std::string korean = "무단전재 및 재배포 금지 ";
    CHECK_FALSE(text_problem(korean + korean + korean));
    CHECK(*text_problem(korean + "\xEA\xB0") == "invalid UTF-8 at byte " + std::to_string(korean.size()));
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
