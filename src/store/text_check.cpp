// UTF-8 validation by the rules of RFC 3629 (no overlongs, no surrogates, nothing past U+10FFFF).
#include "store/text_check.hpp"

#include <array>
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

// The first problem and its byte offset, walked sequence by sequence; only
// run on text that the automaton below has already refused.
std::string first_problem(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\0') return "NUL byte at byte " + std::to_string(i);
        const std::size_t length = sequence_length(text, i);
        if (length == 0) return "invalid UTF-8 at byte " + std::to_string(i);
        i += length;
    }
    return "invalid UTF-8 at byte " + std::to_string(i);  // not reached: the automaton and the walk agree
}

// The same rules as a finite automaton, one table look-up and one shift per
// byte, no branch: most text the store checks is Korean, three-byte
// sequences between spaces, where a walk that branches on every lead byte
// runs at a third of the speed. This is the "shift-based DFA": a state is a
// bit offset (a multiple of 6) into the 64-bit row of the byte read, whose
// 6 bits there are the next state's offset.
enum dfa_state : std::uint64_t {
    accept = 0,          // between sequences
    refused = 1,         // sticky
    one_more = 2,        // one continuation byte (80..BF) to go
    two_more = 3,        // two continuation bytes to go
    after_e0 = 4,        // A0..BF, then one more (no overlong)
    after_ed = 5,        // 80..9F, then one more (no UTF-16 surrogate)
    after_f0 = 6,        // 90..BF, then two more (no overlong)
    three_more = 7,      // three continuation bytes to go
    after_f4 = 8,        // 80..8F, then two more (nothing past U+10FFFF)
    dfa_state_count = 9  // 9 states x 6 bits fit in a row
};

constexpr dfa_state next_state(std::uint64_t state, unsigned byte) {
    const bool continuation = byte >= 0x80 && byte <= 0xBF;
    switch (state) {
        case accept:
            if (byte >= 0x01 && byte <= 0x7F) return accept;  // NUL is refused
            if (byte >= 0xC2 && byte <= 0xDF) return one_more;
            if (byte == 0xE0) return after_e0;
            if (byte == 0xED) return after_ed;
            if (byte >= 0xE1 && byte <= 0xEF) return two_more;
            if (byte == 0xF0) return after_f0;
            if (byte >= 0xF1 && byte <= 0xF3) return three_more;
            if (byte == 0xF4) return after_f4;
            return refused;
        case one_more:
            return continuation ? accept : refused;
        case two_more:
            return continuation ? one_more : refused;
        case after_e0:
            return byte >= 0xA0 && byte <= 0xBF ? one_more : refused;
        case after_ed:
            return byte >= 0x80 && byte <= 0x9F ? one_more : refused;
        case after_f0:
            return byte >= 0x90 && byte <= 0xBF ? two_more : refused;
        case three_more:
            return continuation ? two_more : refused;
        case after_f4:
            return byte >= 0x80 && byte <= 0x8F ? two_more : refused;
        default:
            return refused;
    }
}

constexpr unsigned bits_per_state = 6;

struct dfa_table {
    std::array<std::uint64_t, 256> rows{};
    constexpr dfa_table() {
        for (unsigned byte = 0; byte < 256; ++byte)
            for (std::uint64_t state = 0; state < dfa_state_count; ++state)
                rows[byte] |= (next_state(state, byte) * bits_per_state) << (state * bits_per_state);
    }
};

constexpr dfa_table utf8_dfa;

// Only the low 6 bits of `offset` are the state; the bits above them are
// left over from the row and ignored (masking them on every byte would
// lengthen the chain of dependent instructions that sets the pace).
bool well_formed(std::string_view text) {
    constexpr std::uint64_t state_mask = 63;
    std::uint64_t offset = accept * bits_per_state;
    for (const char c : text)
        offset = utf8_dfa.rows[static_cast<std::uint8_t>(c)] >> (offset & state_mask);
    return (offset & state_mask) == accept * bits_per_state;
}

}  // namespace

std::optional<std::string> text_problem(std::string_view text) {
    if (well_formed(text)) return std::nullopt;
    return first_problem(text);
}

void check_text(std::string_view field, std::string_view text) {
    if (auto problem = text_problem(text))
        throw db_error(bad_text("refused to store " + std::string(field) + ": " + *problem));
}

}  // namespace gisa::store
