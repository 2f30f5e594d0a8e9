// Board rows in lists: ul/ol items, div rows and links repeated under one parent, desktop and mobile.
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

// ---- lists (ul/li, div rows, mobile and gallery skins) --------------------------------------

// Fields of a list row by the classes of its elements, else by structure: a date by its
// text, the title in the row's main link, a bare name after the date.
row_fields list_row_fields(node row) {
    row_fields f = class_fields(row);
    if (f.date != nullptr && best_date_text(f.date).empty()) f.date = nullptr;
    if (f.date == nullptr) f.date = text_date_field(row);
    return f;
}

// The fields that need the whole row read: a title and a name by structure, and the checks of
// number and views. Run only for lists whose rows have dates (menus are most lists, and stop before).
// The element after a label that names a field ("<span>Views</span><b>87</b>", "조회 <em>12</em>"),
// or the element that holds both ("<li>조회 57</li>").
node labelled_field(node row, column_kind kind) {
    node label = dom::find_first(row, [&](node c) {
        return dom::is_element(c) && dom::child_count(c) == 1 && dom::is_text(dom::child_at(c, 0)) &&
               dom::text_of(dom::child_at(c, 0)).size() <= max_label_bytes &&
               classify_header_text(dom::text_of(dom::child_at(c, 0))) == kind;
    });
    if (label == nullptr) {
        // Label and number in one element ("<li>조회 57</li>"): the element itself.
        return dom::find_first(row, [&](node c) {
            if (!dom::is_element(c) || dom::child_count(c) != 1 || !dom::is_text(dom::child_at(c, 0))) return false;
            const std::string_view text = dom::text_of(dom::child_at(c, 0));
            const std::size_t digit = text.find_first_of("0123456789");
            if (digit == std::string_view::npos || digit == 0 || digit > max_label_bytes) return false;
            std::string words = normalize_whitespace(text.substr(0, digit));
            if (!words.empty() && words.back() == ':') words.pop_back();
            return classify_header_text(words) == kind;
        });
    }
    node parent = dom::parent(label);
    for (std::size_t i = dom::index_in_parent(label) + 1; i < dom::child_count(parent); ++i) {
        if (node next = dom::child_at(parent, i); dom::is_element(next)) return next;
    }
    return nullptr;
}

void complete_list_row(row_fields& f) {
    node row = f.row;
    if (f.title == nullptr) f.title = structural_title(row, f);
    if (f.author == nullptr) f.author = structural_author(row, f);
    if (f.number != nullptr && !parse_int(shown_text(f.number)) && !is_notice_row(f)) f.number = nullptr;
    // A "num" after the title is a count (Humoruniv's span.ok_num votes), as in tables.
    if (f.number != nullptr && f.title != nullptr && comes_before(row, f.title, f.number)) f.number = nullptr;
    if (f.views == nullptr) f.views = labelled_field(row, column_kind::views);
    if (f.views != nullptr && !first_int(shown_text(f.views))) f.views = nullptr;
}

// The children of a container that look like its repeated rows: the most common tag
// among them, if it occurs often enough.
std::vector<node> repeated_children(node container) {
    std::vector<node> rows;
    // Every element of the page is asked: most have too few children to hold rows at all.
    if (dom::child_count(container) < min_headerless_rows) return rows;
    // Few distinct tags: a small vector beats a hash map (this runs for every element with
    // children). Tags Gumbo knows are told apart by its enum and named by its static names (a
    // std::string per child showed in profiles); only the others have their name built.
    struct tag_count {
        GumboTag tag;
        std::string unknown_name;  // for GUMBO_TAG_UNKNOWN: dom::tag_name
        std::size_t count;
        std::string_view name() const {
            return tag == GUMBO_TAG_UNKNOWN ? std::string_view(unknown_name) : gumbo_normalized_tagname(tag);
        }
    };
    std::vector<tag_count> counts;
    for (node c : dom::children(container)) {
        if (!dom::is_element(c)) continue;
        const GumboTag tag = c->v.element.tag;
        std::string unknown_name = tag == GUMBO_TAG_UNKNOWN ? dom::tag_name(c) : std::string();
        auto it = std::find_if(counts.begin(), counts.end(),
                               [&](const tag_count& tc) { return tc.tag == tag && tc.unknown_name == unknown_name; });
        if (it == counts.end()) {
            counts.push_back({tag, std::move(unknown_name), 1});
        } else {
            ++it->count;
        }
    }
    const tag_count* best = nullptr;
    for (const tag_count& tc : counts) {
        if (best == nullptr || tc.count > best->count || (tc.count == best->count && tc.name() < best->name())) {
            best = &tc;
        }
    }
    if (best == nullptr || best->count < min_headerless_rows) return rows;
    for (node c : dom::children(container)) {
        if (best->tag != GUMBO_TAG_UNKNOWN ? dom::has_tag(c, best->tag) : dom::has_tag(c, best->name())) {
            rows.push_back(c);
        }
    }
    return rows;
}

bool enough(std::size_t part, std::size_t whole) {
    return whole > 0 && part * 100 >= whole * static_cast<std::size_t>(min_column_agreement_pct);
}

// The rows of a list that is a board, or nothing. A list of links with dates only (a
// related-articles box, a news section list) is not a board: it also needs authors,
// post numbers or view counts.
std::vector<node> element_children(node n) {
    std::vector<node> out;
    for (node c : dom::children(n)) {
        if (dom::is_element(c) && !dom::is_invisible(c)) out.push_back(c);
    }
    return out;
}

// A list whose first row is a header (<li><span>번호</span><span>제목</span>...</li>): the
// columns of its rows by position; empty when the first row is not a board header.
std::vector<column_kind> list_header(node first_row) {
    std::vector<column_kind> columns;
    for (node cell : element_children(first_row))
        columns.push_back(classify_header_cell(cell));
    if (!is_board_header(columns)) return {};
    settle_columns(columns);
    return columns;
}

std::vector<core::board_row> read_rows_by_header(const std::vector<node>& rows, const std::vector<column_kind>& columns,
                                                 const row_reader& r) {
    std::vector<core::board_row> out;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        row_fields f;
        f.row = rows[i];
        const std::vector<node> cells = element_children(rows[i]);
        for (std::size_t c = 0; c < std::min(cells.size(), columns.size()); ++c)
            assign_field(f, columns[c], cells[c]);
        if (auto row = read_row(f, r)) out.push_back(std::move(*row));
    }
    return out;
}

std::vector<core::board_row> read_list(node container, const row_reader& r) {
    const std::vector<node> rows = repeated_children(container);
    if (rows.empty()) return {};
    if (auto columns = list_header(rows.front()); !columns.empty()) return read_rows_by_header(rows, columns, r);
    // Most lists are menus and link lists: once too many rows lack a date for the share checked
    // below, the rest need not be read (nothing is returned either way).
    std::vector<row_fields> fields;
    std::size_t without_date = 0;
    for (node row : rows) {
        if (dom::visible_chars_above(row, max_list_row_chars)) return {};
        fields.push_back(list_row_fields(row));
        without_date += fields.back().date == nullptr ? 1 : 0;
        if (!enough(rows.size() - without_date, rows.size())) return {};
    }
    for (auto& f : fields)
        complete_list_row(f);
    auto share = [&](node row_fields::*member) {
        return static_cast<std::size_t>(
            std::count_if(fields.begin(), fields.end(), [&](const row_fields& f) { return f.*member != nullptr; }));
    };
    const std::size_t n = fields.size();
    if (!enough(share(&row_fields::title), n) || !enough(share(&row_fields::date), n)) return {};
    if (!enough(share(&row_fields::author), n) && !enough(share(&row_fields::number), n) &&
        !enough(share(&row_fields::views), n)) {
        return {};
    }
    std::vector<core::board_row> out;
    for (const auto& f : fields) {
        if (auto row = read_row(f, r)) out.push_back(std::move(*row));
    }
    if (out.size() < min_headerless_rows) return {};
    return out;
}

}  // namespace gisa::extract::board_detail
