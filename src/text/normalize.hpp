// Whitespace and invisible-character normalisation for text extracted from pages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gisa::text {

// Normalises the whitespace of UTF-8 text, as the extraction record wants it:
//  - ASCII whitespace and control characters (tab, CR, LF, FF, VT, other C0, DEL),
//    NBSP (U+00A0), NEL (U+0085), U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
//    U+205F and U+3000 become a space;
//  - zero-width and invisible format characters are removed: U+200B..U+200F,
//    U+2060, U+FEFF, U+180E and the soft hyphen U+00AD (it only marks where a word
//    may break, so removing it rejoins the word);
//  - runs of spaces collapse to one; the result is trimmed.
// Invalid UTF-8 is copied through unchanged (decode_html never produces it).
std::string normalize_space(std::string_view utf8);

// The code points normalize_space would keep of `utf8`, without building the string, for text
// that arrives in pieces: `in_space` carries "the last character was a space" from one piece to
// the next (start with true to skip leading spaces). A run of spaces counts as one code point;
// a trailing one is counted too, as the next piece may follow it.
std::size_t visible_code_point_count(std::string_view utf8, bool& in_space) noexcept;

// What visible_code_point_count needs to know of a piece to count it in any context, read in
// one pass: count is its result with in_space = true; a piece without visible characters
// counts 0, and its leading and trailing flags both say whether it holds a space at all.
struct visible_run {
    std::size_t count = 0;
    bool visible = false;         // holds a visible character
    bool leading_space = false;   // a space before the first visible character
    bool trailing_space = false;  // a space after the last one (in_space after the piece)
};
visible_run visible_run_of(std::string_view utf8) noexcept;

// True when normalize_space would return an empty string.
bool is_blank(std::string_view utf8) noexcept;

// True when every byte is ASCII.
bool is_ascii(std::string_view bytes) noexcept;

// The number of Unicode code points (UTF-8 lead bytes), e.g. for length thresholds
// that must treat one Hangul syllable (three bytes) as one character.
std::size_t code_point_count(std::string_view utf8) noexcept;

// True for a Hangul syllable (U+AC00..U+D7A3) starting at utf8[pos].
bool is_hangul_syllable_at(std::string_view utf8, std::size_t pos) noexcept;

}  // namespace gisa::text
