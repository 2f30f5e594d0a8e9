// UTF-8 string helpers of the extraction stages: whitespace normalisation, code-point counts, matching.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

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

}  // namespace gisa::extract
