// UTF-8 validation by the rules of RFC 3629 (no overlongs, no surrogates, nothing past U+10FFFF).
#include "store/text_check.hpp"

#include <cstdint>

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

}  // namespace

std::optional<std::string> text_problem(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
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
