// Board rows: small text helpers (numbers in cells, shown text, title text without counts).
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

std::optional<std::int64_t> parse_int(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    std::string digits;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c != ',') {
            return std::nullopt;
        }
    }
    if (digits.empty() || digits.size() > 15) return std::nullopt;
    std::int64_t v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return v;
}

// The first run of digits (commas allowed) in s: "조회 1,234" -> 1234.
std::optional<std::int64_t> first_int(std::string_view s) {
    std::size_t i = s.find_first_of("0123456789");
    if (i == std::string_view::npos) return std::nullopt;
    std::size_t j = i;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == ','))
        ++j;
    return parse_int(s.substr(i, j - i));
}

bool is_hidden_element(node n) {
    return dom::is_invisible(n) || has_class_in(n, hidden_classes);
}

// Visible text of n without screen-reader-only parts, whitespace normalised.
std::string shown_text(node n) {
    std::string raw;
    dom::walk(n, [&](node c) {
        if (dom::is_text(c)) {
            raw += dom::text_of(c);
            return false;
        }
        if (!dom::is_element(c) || is_hidden_element(c)) return false;
        if (dom::is_block(c)) raw += ' ';
        return true;
    });
    return normalize_whitespace(raw);
}

// Text of a title element: comment counts, icons and hidden labels left out; everything
// after a hidden "댓글" label is the count. A noise-named element that holds a title-sized
// text is the title itself (Quasarzone: <span class="ellipsis-with-reply-cnt">title</span>).
std::string title_text(node n) {
    std::string raw;
    bool stopped = false;
    dom::walk(n, [&](node c) {
        if (stopped) return false;
        if (dom::is_text(c)) {
            raw += dom::text_of(c);
            return false;
        }
        if (!dom::is_element(c)) return false;
        if (is_hidden_element(c)) {
            if (equals_any(normalize_whitespace(dom::text_content(c)), comment_labels)) stopped = true;
            return false;
        }
        if (c != n &&
            (contains_any(dom::attr_or_empty(c, "class"), title_noise_fragments) ||
             has_class_in(c, title_noise_tokens) ||
             has_name_token(dom::attr_or_empty(c, "class"), title_sprite_tokens)) &&
            !dom::visible_chars_above(c, max_title_noise_chars)) {
            return false;
        }
        if (dom::is_block(c)) raw += ' ';
        return true;
    });
    return normalize_whitespace(raw);
}

std::string image_words(node n) {
    std::string words;
    dom::find_all(
        n, [](node c) { return dom::has_tag(c, GUMBO_TAG_IMG); },
        [&](node img) {
            words += ' ';
            words += dom::attr_or_empty(img, "alt");
            words += ' ';
            words += dom::attr_or_empty(img, "title");
        });
    return words;
}

}  // namespace gisa::extract::board_detail
