// Whitespace and invisible-character normalisation for text extracted from pages.
#include "text/normalize.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace gisa::text {
namespace {

enum class char_kind { visible, space, invisible };

struct classified {
    char_kind kind;
    std::size_t length;  // bytes of the character
};

bool is_ascii_space_or_control(unsigned char c) noexcept {
    return c <= 0x20 || c == 0x7F;
}

unsigned char byte_at(std::string_view s, std::size_t pos) noexcept {
    return pos < s.size() ? static_cast<unsigned char>(s[pos]) : 0;
}

// Two-byte characters starting with 0xC2.
char_kind classify_c2(unsigned char second) noexcept {
    if (second == 0xA0 || second == 0x85) return char_kind::space;  // NBSP, NEL
    if (second == 0xAD) return char_kind::invisible;                // soft hyphen
    return char_kind::visible;
}

// Three-byte characters starting with 0xE2 0x80 or 0xE2 0x81 (U+2000..U+207F).
char_kind classify_general_punctuation(unsigned code_point) noexcept {
    if (code_point <= 0x200A) return char_kind::space;                          // en quad .. hair space
    if (code_point <= 0x200F) return char_kind::invisible;                      // ZWSP, ZWNJ, ZWJ, LRM, RLM
    if (code_point == 0x2028 || code_point == 0x2029) return char_kind::space;  // line / paragraph separator
    if (code_point == 0x202F || code_point == 0x205F) return char_kind::space;  // narrow NBSP, math space
    if (code_point == 0x2060) return char_kind::invisible;                      // word joiner
    return char_kind::visible;
}

// The bytes of a visible character starting with lead byte c at pos: its whole sequence when
// the continuation bytes are there (one step for a Hangul syllable), else one byte: a stray
// byte is visible text of its own, as it was before any decoding.
std::size_t visible_length(std::string_view s, std::size_t pos, unsigned char c) noexcept {
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (pos + n > s.size()) return 1;
    for (std::size_t i = 1; i < n; ++i) {
        if ((static_cast<unsigned char>(s[pos + i]) & 0xC0) != 0x80) return 1;
    }
    return n;
}

// Classifies the character at pos by its bytes, without a full decode.
classified classify(std::string_view s, std::size_t pos) noexcept {
    const unsigned char c = byte_at(s, pos);
    if (c < 0x80) return {is_ascii_space_or_control(c) ? char_kind::space : char_kind::visible, 1};
    const unsigned char b1 = byte_at(s, pos + 1);
    const unsigned char b2 = byte_at(s, pos + 2);
    if (c == 0xC2) return {classify_c2(b1), 2};
    if (c == 0xE2 && (b1 == 0x80 || b1 == 0x81)) {
        const unsigned code_point = 0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
        return {classify_general_punctuation(code_point), 3};
    }
    if (c == 0xE1 && b1 == 0x9A && b2 == 0x80) return {char_kind::space, 3};      // U+1680
    if (c == 0xE1 && b1 == 0xA0 && b2 == 0x8E) return {char_kind::invisible, 3};  // U+180E
    if (c == 0xE3 && b1 == 0x80 && b2 == 0x80) return {char_kind::space, 3};      // U+3000
    if (c == 0xEF && b1 == 0xBB && b2 == 0xBF) return {char_kind::invisible, 3};  // U+FEFF
    return {char_kind::visible, visible_length(s, pos, c)};
}

// Plain ASCII: only ASCII spaces and controls to collapse.
std::string normalize_ascii(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (char ch : s) {
        if (is_ascii_space_or_control(static_cast<unsigned char>(ch))) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += ch;
    }
    return out;
}

}  // namespace

bool is_ascii(std::string_view bytes) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, 8);
        if (word & 0x8080808080808080ULL) return false;
    }
    for (; i < bytes.size(); ++i) {
        if (static_cast<unsigned char>(bytes[i]) >= 0x80) return false;
    }
    return true;
}

std::string normalize_space(std::string_view utf8) {
    if (is_ascii(utf8)) return normalize_ascii(utf8);
    std::string out;
    out.reserve(utf8.size());
    bool pending_space = false;
    std::size_t run = 0;  // visible characters are copied a run at a time: [run, pos)
    auto copy_run = [&](std::size_t end) {
        if (end == run) return;
        if (pending_space) out += ' ';
        pending_space = false;
        out.append(utf8.substr(run, end - run));
    };
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const classified ch = classify(utf8, pos);
        if (ch.kind != char_kind::visible) {
            copy_run(pos);
            if (ch.kind == char_kind::space) pending_space = !out.empty();
            run = std::min(pos + ch.length, utf8.size());  // a sequence cut short ends the text
        }
        pos += ch.length;
    }
    copy_run(utf8.size());
    return out;
}

std::size_t visible_code_point_count(std::string_view utf8, bool& in_space) noexcept {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const classified ch = classify(utf8, pos);
        if (ch.kind == char_kind::visible) {
            ++count;
            in_space = false;
        } else if (ch.kind == char_kind::space) {
            if (!in_space) ++count;
            in_space = true;
        }
        pos += ch.length;
    }
    return count;
}

visible_run visible_run_of(std::string_view utf8) noexcept {
    visible_run run;
    bool in_space = true;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const classified ch = classify(utf8, pos);
        if (ch.kind == char_kind::visible) {
            ++run.count;
            run.visible = true;
            in_space = false;
        } else if (ch.kind == char_kind::space) {
            if (!run.visible) run.leading_space = true;
            if (!in_space) ++run.count;
            in_space = true;
        }
        pos += ch.length;
    }
    run.trailing_space = run.visible ? in_space : run.leading_space;
    return run;
}

bool is_blank(std::string_view utf8) noexcept {
    for (std::size_t pos = 0; pos < utf8.size();) {
        const classified ch = classify(utf8, pos);
        if (ch.kind == char_kind::visible) return false;
        pos += ch.length;
    }
    return true;
}

std::size_t code_point_count(std::string_view utf8) noexcept {
    // Every byte but the continuation bytes (10xxxxxx) starts a character. Eight bytes at a
    // time: a continuation byte has its top bit set and the next bit clear.
    constexpr std::uint64_t top_bits = 0x8080808080808080ULL;
    std::size_t continuation = 0;
    std::size_t i = 0;
    for (; i + 8 <= utf8.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, utf8.data() + i, 8);
        continuation += static_cast<std::size_t>(__builtin_popcountll(word & ~(word << 1) & top_bits));
    }
    for (; i < utf8.size(); ++i) {
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) ++continuation;
    }
    return utf8.size() - continuation;
}

bool is_hangul_syllable_at(std::string_view utf8, std::size_t pos) noexcept {
    const unsigned char c = byte_at(utf8, pos);
    if (c < 0xEA || c > 0xED) return false;
    const unsigned char b1 = byte_at(utf8, pos + 1);
    const unsigned char b2 = byte_at(utf8, pos + 2);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
    const unsigned code_point = ((c & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    return code_point >= 0xAC00 && code_point <= 0xD7A3;
}

}  // namespace gisa::text
