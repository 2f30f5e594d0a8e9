// Board rows: what a header cell or a class names (번호 / 제목 / 글쓴이 / 날짜 / 조회).
#include "extract/board/detail.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

// ---- columns ------------------------------------------------------------------------------

std::string header_key(std::string_view text) {
    std::string key = ascii_lowercase(text);
    for (std::string_view noise : header_noise) {
        for (std::size_t at = key.find(noise); at != std::string::npos; at = key.find(noise))
            key.erase(at, noise.size());
    }
    std::erase_if(key, [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    return key;
}

column_kind classify_word(std::string_view word) {
    const std::string key = header_key(word);
    for (const auto& hw : header_words) {
        if (key == hw.word) return hw.kind;
    }
    return column_kind::unknown;
}

// An image header cell: its alt text, else the words of its file name ("board_subject.gif"),
// else its title (Clien gives every header image title="no", so the file name goes first).
column_kind classify_header_image(node img) {
    if (auto alt = dom::attr(img, "alt"); alt && !alt->empty()) {
        if (auto k = classify_header_text(*alt); k != column_kind::unknown) return k;
    }
    std::string_view src = dom::attr_or_empty(img, "src");
    src = src.substr(0, src.find_first_of("?#"));
    if (auto slash = src.rfind('/'); slash != std::string_view::npos) src.remove_prefix(slash + 1);
    src = src.substr(0, src.rfind('.'));
    std::size_t i = 0;
    while (i < src.size()) {
        std::size_t j = src.find_first_of("_-. ", i);
        if (j == std::string_view::npos) j = src.size();
        if (auto k = classify_word(src.substr(i, j - i)); k != column_kind::unknown) return k;
        i = j + 1;
    }
    return classify_header_text(dom::attr_or_empty(img, "title"));
}

// The longest header word, in bytes: a cell whose text is surely longer names no column.
constexpr std::size_t max_header_word_bytes = [] {
    std::size_t longest = 0;
    for (const auto& hw : header_words)
        longest = std::max(longest, hw.word.size());
    return longest;
}();

// Bytes of t that surely stay in its header_key: ASCII letters and digits, and the three
// bytes of a Hangul-block character (neither space nor noise).
std::size_t kept_key_bytes(std::string_view t) noexcept {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const auto b = static_cast<unsigned char>(t[i]);
        const bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
        const bool hangul_lead = b >= 0xEA && b <= 0xED && i + 2 < t.size() &&
                                 (static_cast<unsigned char>(t[i + 1]) & 0xC0) == 0x80 &&
                                 (static_cast<unsigned char>(t[i + 2]) & 0xC0) == 0x80;
        if (alnum) ++kept;
        if (hangul_lead) {
            kept += 3;
            i += 2;
        }
    }
    return kept;
}

// True when shown_text(cell) is sure to be longer than every header word: found by a walk
// that stops there, rather than by building the text of a big cell (every list's first row
// is asked whether it is a header).
bool longer_than_header_words(node cell) {
    std::size_t kept = 0;
    dom::walk(cell, [&](node c) {
        if (kept > max_header_word_bytes) return false;
        if (dom::is_text(c)) {
            kept += kept_key_bytes(dom::text_of(c));
            return false;
        }
        return dom::is_element(c) && !is_hidden_element(c);
    });
    return kept > max_header_word_bytes;
}

column_kind classify_header_cell(node cell) {
    if (longer_than_header_words(cell)) return column_kind::unknown;
    const std::string text = shown_text(cell);
    if (!text.empty()) return classify_header_text(text);
    node img = dom::find_first(cell, [](node c) { return dom::has_tag(c, GUMBO_TAG_IMG); });
    return img != nullptr ? classify_header_image(img) : column_kind::unknown;
}

bool is_category_class_token(std::string_view token) {
    std::size_t i = 0;
    while (i < token.size()) {
        std::size_t j = token.find_first_of("_-", i);
        if (j == std::string_view::npos) j = token.size();
        const std::string_view part = token.substr(i, j - i);
        if (istarts_with(part, category_part_prefix) || equals_any(part, category_part_tokens)) return true;
        i = j + 1;
    }
    return false;
}

constexpr bool has_no_upper_case(std::string_view word) {
    return std::none_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
static_assert(std::all_of(class_token_kinds.begin(), class_token_kinds.end(),
                          [](const word_kind& w) { return has_no_upper_case(w.word); }));
static_assert(std::all_of(class_kinds.begin(), class_kinds.end(),
                          [](const word_kind& w) { return has_no_upper_case(w.word); }));
static_assert(std::all_of(class_exclusions.begin(), class_exclusions.end(), has_no_upper_case));

// The words of class_kinds, for a substring_set.
constexpr std::array<std::string_view, class_kinds.size()> class_kind_words = [] {
    std::array<std::string_view, class_kinds.size()> words{};
    for (std::size_t i = 0; i < class_kinds.size(); ++i)
        words[i] = class_kinds[i].word;
    return words;
}();

// The tables hold lower-case ASCII words matched ASCII case-insensitively: the token is
// lower-cased once (into a buffer on the stack for the usual short token) and then compared and
// searched as is. This runs for every class token of every element of every candidate row, and
// a case-insensitive search per table word showed in profiles.
column_kind classify_class_token(std::string_view token) {
    constexpr std::size_t inline_token_bytes = 64;
    std::array<char, inline_token_bytes> buffer{};
    std::string long_token;
    std::string_view t;
    if (token.size() <= buffer.size()) {
        std::transform(token.begin(), token.end(), buffer.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
        t = std::string_view(buffer.data(), token.size());
    } else {
        long_token = ascii_lowercase(token);
        t = long_token;
    }
    auto has = [&](std::string_view word) { return t.find(word) != std::string_view::npos; };
    for (const auto& tk : class_token_kinds) {
        if (t == tk.word) return tk.kind;
    }
    if (is_category_class_token(t)) return column_kind::category;
    // Most tokens hold no word of class_kinds: one pass over the token says so.
    static const substring_set any_class_kind(class_kind_words);
    if (!any_class_kind.contains(t)) return column_kind::unknown;
    if (std::any_of(class_exclusions.begin(), class_exclusions.end(), has)) return column_kind::unknown;
    for (const auto& ck : class_kinds) {
        if (has(ck.word)) return ck.kind;
    }
    return column_kind::unknown;
}

column_kind classify_by_class(node n) {
    return first_class_match(dom::attr_or_empty(n, "class"), classify_class_token);
}

}  // namespace gisa::extract::board_detail
