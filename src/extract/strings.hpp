// UTF-8 string helpers of the extraction stages: whitespace normalisation, code-point counts, matching.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gisa::extract {

// NBSP, ideographic space, CR/LF/tabs -> space; zero-width characters and BOM removed;
// runs of spaces collapsed; trimmed (record.md "body").
std::string normalize_whitespace(std::string_view utf8);

// Code points of text as normalize_whitespace would leave them, without building it.
// in_space carries "the previous character was a space" across calls.
std::size_t count_visible_code_points(std::string_view utf8, bool& in_space);

// Code points of a UTF-8 string (continuation bytes not counted).
std::size_t code_points(std::string_view utf8) noexcept;

// Decodes character references left in text that was escaped twice ("&amp;#34;" in the source
// arrives as "&#34;"): &#NN;, &#xHH;, &quot; &amp; &lt; &gt; &apos; &nbsp;. Anything else stays.
std::string decode_leftover_entities(std::string_view text);

// ASCII case-insensitive comparisons (Hangul bytes compare exactly).
bool iequals(std::string_view a, std::string_view b) noexcept;
bool icontains(std::string_view hay, std::string_view needle) noexcept;
bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
bool iends_with(std::string_view s, std::string_view suffix) noexcept;
std::string ascii_lowercase(std::string_view s);

// True when one of the words of `names` (split at anything but ASCII letters and digits)
// equals one of `tokens`, e.g. "top_ad" has the word "ad" (rules.hpp "token" fragments).
bool has_name_token(std::string_view names, std::span<const std::string_view> tokens) noexcept;
// True when `names` contains one of `fragments` (ASCII case-insensitive).
bool has_substring(std::string_view names, std::span<const std::string_view> fragments) noexcept;

// A rule table of fragments compiled once: contains(names) == has_substring(names, fragments),
// in one pass over names whatever the table's size (asked for several tables for every element
// of a page, matching fragment by fragment showed in profiles): an Aho-Corasick automaton over
// lower-cased bytes, its transitions a dense table over the bytes the fragments use.
// The table must outlive the set (rules.hpp tables are static).
class substring_set {
  public:
    explicit substring_set(std::span<const std::string_view> fragments);
    bool contains(std::string_view names) const noexcept;

  private:
    using state = std::uint32_t;
    // A state's transition entry: the next state times classes_, with the low bit set when
    // some fragment ends there (contains stops at once).
    static constexpr state accepting = 1;

    std::array<std::uint8_t, 256> class_of_{};  // byte -> its class; 0: in no fragment
    std::size_t classes_ = 1;                   // class 0 included
    std::vector<state> next_;                   // by state * classes_ + class
    bool has_empty_ = false;                    // "" is in every string
};

}  // namespace gisa::extract
