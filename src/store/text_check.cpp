// UTF-8 validation by the rules of RFC 3629 (no overlongs, no surrogates, nothing past U+10FFFF).
#include "store/text_check.hpp"

#include <cstdint>
#include <cstring>

#include "store/db_error.hpp"

namespace gisa::store {

namespace {

// Length of the sequence at text[i], or 0 when it is not well-formed UTF-8.
std::size_t sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    std::size_t length = 0;
    std::uint8_t low = 0x80;
    std::uint8_t high = 0xBF;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return length;
}

// Eight ASCII bytes without a NUL: the common case of URLs and markup-free
// English, skipped a word at a time.
bool plain_ascii_word(std::string_view text, std::size_t i) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof word);
    constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
    constexpr std::uint64_t low_bits = 0x0101010101010101ULL;
    const bool any_high = (word & high_bits) != 0;
    const bool any_zero = ((word - low_bits) & ~word & high_bits) != 0;
    return !any_high && !any_zero;
}

// A three-byte sequence whose lead has no narrower range for its second
// byte (E1..EC, EE, EF): all of Hangul syllables and most CJK.
bool plain_three_bytes(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    if (lead < 0xE1 || lead > 0xEF || lead == 0xED || i + 3 > text.size()) return false;
    return (byte(i + 1) & 0xC0) == 0x80 && (byte(i + 2) & 0xC0) == 0x80;
}

}  // namespace

std::optional<std::string> text_problem(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size() && plain_ascii_word(text, i)) {
            i += 8;
            continue;
        }
        if (plain_three_bytes(text, i)) {
            i += 3;
            continue;
        }
        if (text[i] == '\0') return "NUL byte at byte " + std::to_string(i);
        const std::size_t length = sequence_length(text, i);
        if (length == 0) return "invalid UTF-8 at byte " + std::to_string(i);
        i += length;
    }
    return std::nullopt;
}

void check_text(std::string_view field, std::string_view text) {
    if (auto problem = text_problem(text))
        throw db_error(bad_text("refused to store " + std::string(field) + ": " + *problem));
}

}  // namespace gisa::store
