// Board rows: the pagination block of a board and its next page.
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

// ---- pagination ---------------------------------------------------------------------------

// A page number as pagers print it: "3", "[3]", "(3)".
std::optional<std::int64_t> page_number(std::string_view text) {
    if (text.size() >= 2 && (text.front() == '[' || text.front() == '(')) text = text.substr(1, text.size() - 2);
    return parse_int(text);
}

bool has_page_link(node n) {
    return dom::find_first(n, [](node c) {
               if (!dom::has_tag(c, GUMBO_TAG_A) || !is_usable_link(c)) return false;
               const std::string text = shown_text(c);
               return page_number(text).has_value() || contains_any(text + image_words(c), next_words) ||
                      dom::class_contains(c, "next");
           }) != nullptr;
}

bool is_pagination(node n) {
    if (!dom::is_element(n)) return false;
    thread_local std::string names;  // one buffer: asked for every element of a board page
    dom::class_and_id(n, names);
    const bool named = contains_any(names, pagination_fragments) || has_name_token(names, pagination_tokens);
    // "page" also names whole-page wrappers (<div id="page">) and menu items ("menu-item-object-page"):
    // a pager is a short run of links, one of them a page number or a next link.
    return named && !dom::visible_chars_above(n, max_pagination_chars) && has_page_link(n);
}

// A pager without a pagination class (old boards print "<b>1</b> [2] [3]" in a table cell):
// a short element with a page number that is not a link and two numbered links.
bool is_unnamed_pager(node n) {
    if (!dom::is_element(n) || dom::visible_chars_above(n, max_pagination_chars)) return false;
    std::size_t numbered_links = 0;
    bool plain_number = false;
    dom::walk(n, [&](node c) {
        if (!dom::is_element(c)) return false;
        const bool link = dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c);
        if (link || dom::has_tag(c, GUMBO_TAG_B) || dom::has_tag(c, GUMBO_TAG_STRONG)) {
            if (page_number(shown_text(c))) {
                if (link) {
                    ++numbered_links;
                } else {
                    plain_number = true;
                }
            }
            return false;
        }
        return true;
    });
    return plain_number && numbered_links >= 2;
}

bool marks_current(node n, node pagination) {
    for (node up = n; up != nullptr && up != pagination; up = dom::parent(up)) {
        if (has_class_in(up, current_page_tokens) || dom::attr(up, "aria-current")) return true;
    }
    return false;
}

std::optional<std::string> next_page_in(node pagination, const row_reader& r) {
    // Page numbers in order: the current one is not a link (or is marked), the next is the
    // first numbered link after it. Zeroboard skins print the current one in a <font>.
    std::optional<std::int64_t> current;
    std::optional<std::string> next_numbered, next_word, second_page;
    dom::walk(pagination, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c) || next_numbered) return false;
        const bool link = dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c);
        const bool leaf_like = link || dom::has_tag(c, GUMBO_TAG_STRONG) || dom::has_tag(c, GUMBO_TAG_SPAN) ||
                               dom::has_tag(c, GUMBO_TAG_EM) || dom::has_tag(c, GUMBO_TAG_B) ||
                               dom::has_tag(c, GUMBO_TAG_FONT) || dom::has_tag(c, GUMBO_TAG_A);
        if (!leaf_like) return true;
        // A wrapper holding the page links (gnuboard's span.pg) is not itself a page number:
        // its text glues them ("12").
        if (!link && dom::find_first(c, [&](node a) { return a != c && dom::has_tag(a, GUMBO_TAG_A); }) != nullptr) {
            return true;
        }
        const std::string text = shown_text(c);
        const auto number = page_number(text);
        if (number && !current && (!link || marks_current(c, pagination))) {
            current = number;
            return false;
        }
        if (link && number && current && *number > *current) {
            next_numbered = normalize_link(dom::attr_or_empty(c, "href"), r.ctx.base_url);
            return false;
        }
        if (link && number == 2 && !second_page)
            second_page = normalize_link(dom::attr_or_empty(c, "href"), r.ctx.base_url);
        if (link && !next_word) {
            const std::string words = text + " " + std::string(dom::attr_or_empty(c, "class")) + " " +
                                      std::string(dom::attr_or_empty(c, "title")) + image_words(c);
            if (contains_any(words, next_words) && !contains_any(words, last_words)) {
                next_word = normalize_link(dom::attr_or_empty(c, "href"), r.ctx.base_url);
            }
        }
        return !link;
    });
    if (next_numbered) return next_numbered;
    // Humoruniv marks no page as current (page 1 is a link too): without a mark or a next
    // word, the list seen is the first page and page 2 comes next.
    return next_word ? next_word : second_page;
}

// The pagination of the board: the first block after the board's start, else the last
// before it; without any named block, the first unnamed pager after the board.
node find_pagination(node root, node first_board) {
    node before = nullptr, after = nullptr, unnamed = nullptr;
    bool passed = false;
    dom::walk(root, [&](node c) {
        if (after != nullptr || !dom::is_element(c)) return false;
        if (c == first_board) passed = true;
        if (is_pagination(c)) {
            (passed ? after : before) = c;
            return false;
        }
        if (passed && unnamed == nullptr && is_unnamed_pager(c)) unnamed = c;
        return true;
    });
    if (after != nullptr) return after;
    return before != nullptr ? before : unnamed;
}

}  // namespace gisa::extract::board_detail
