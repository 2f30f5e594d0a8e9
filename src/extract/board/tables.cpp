// Board rows in tables: header rows, column inference without one, nested cells.
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

// ---- tables -------------------------------------------------------------------------------

std::vector<node> table_rows(node table) {
    std::vector<node> rows;
    for (node c : dom::children(table)) {
        if (dom::has_tag(c, GUMBO_TAG_TR)) {
            rows.push_back(c);
        } else if (dom::has_tag(c, GUMBO_TAG_THEAD) || dom::has_tag(c, GUMBO_TAG_TBODY) ||
                   dom::has_tag(c, GUMBO_TAG_TFOOT)) {
            for (node r : dom::children(c)) {
                if (dom::has_tag(r, GUMBO_TAG_TR)) rows.push_back(r);
            }
        }
    }
    return rows;
}

// Cells of a row by column index (colspan taken into account; a spanning cell sits at its first column).
std::vector<std::pair<std::size_t, node>> row_cells(node tr) {
    std::vector<std::pair<std::size_t, node>> cells;
    std::size_t column = 0;
    for (node c : dom::children(tr)) {
        if (!dom::has_tag(c, GUMBO_TAG_TD) && !dom::has_tag(c, GUMBO_TAG_TH)) continue;
        cells.emplace_back(column, c);
        int span = 1;
        std::string_view cs = dom::attr_or_empty(c, "colspan");
        std::from_chars(cs.data(), cs.data() + cs.size(), span);
        column += static_cast<std::size_t>(std::clamp(span, 1, 50));
    }
    return cells;
}

std::vector<column_kind> header_columns(node tr) {
    std::vector<column_kind> columns;
    for (auto [column, cell] : row_cells(tr)) {
        if (columns.size() <= column) columns.resize(column + 1, column_kind::unknown);
        columns[column] = classify_header_cell(cell);
    }
    return columns;
}

// A column kind that appears twice keeps its first column; a number column after the
// title is a count (gnuboard's td_num marks both 번호 and 조회).
void settle_columns(std::vector<column_kind>& columns) {
    bool after_title = false;
    std::vector<column_kind> seen;
    for (auto& k : columns) {
        if (k == column_kind::number && after_title) k = column_kind::views;
        if (k == column_kind::title) after_title = true;
        if (k == column_kind::unknown) continue;
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
            k = column_kind::unknown;
        } else {
            seen.push_back(k);
        }
    }
}

template <typename Pred>
bool most_rows(const std::vector<node>& rows, std::size_t column, Pred pred) {
    std::size_t yes = 0, total = 0;
    for (node tr : rows) {
        for (auto [c, cell] : row_cells(tr)) {
            if (c != column) continue;
            ++total;
            if (pred(cell)) ++yes;
        }
    }
    return total > 0 && yes * 100 >= total * static_cast<std::size_t>(min_column_agreement_pct) &&
           total * 100 >= rows.size() * static_cast<std::size_t>(min_column_agreement_pct);
}

// Columns of a table without a header row: first by the cells' classes, then by what
// the cells hold (dates, links, integers, short names).
std::vector<column_kind> infer_columns(const std::vector<node>& rows) {
    std::size_t width = 0;
    for (node tr : rows) {
        for (auto [c, cell] : row_cells(tr))
            width = std::max(width, c + 1);
    }
    std::vector<column_kind> columns(width, column_kind::unknown);
    for (std::size_t c = 0; c < width; ++c) {
        for (column_kind k : {column_kind::number, column_kind::title, column_kind::author, column_kind::date,
                              column_kind::views, column_kind::votes, column_kind::category}) {
            if (most_rows(rows, c, [&](node cell) { return classify_by_class(cell) == k; })) {
                columns[c] = k;
                break;
            }
        }
    }
    auto has = [&](column_kind k) { return std::find(columns.begin(), columns.end(), k) != columns.end(); };
    for (std::size_t c = 0; c < width; ++c) {
        if (columns[c] != column_kind::unknown) continue;
        if (!has(column_kind::date) &&
            most_rows(rows, c, [](node cell) { return looks_like_date(shown_text(cell)); })) {
            columns[c] = column_kind::date;
        } else if (!has(column_kind::title) && most_rows(rows, c, [](node cell) {
                       node a = dom::find_first(cell, [](node x) { return is_row_link(x); });
                       return a != nullptr && code_points(title_text(a)) >= 2;
                   })) {
            columns[c] = column_kind::title;
        }
    }
    for (std::size_t c = 0; c < width; ++c) {
        if (columns[c] != column_kind::unknown) continue;
        const bool after_title =
            has(column_kind::title) &&
            c > static_cast<std::size_t>(std::find(columns.begin(), columns.end(), column_kind::title) -
                                         columns.begin());
        if (most_rows(rows, c, [](node cell) { return parse_int(shown_text(cell)).has_value(); })) {
            columns[c] = after_title ? column_kind::views : column_kind::number;
        } else if (after_title && !has(column_kind::author) && most_rows(rows, c, [](node cell) {
                       const std::string t = shown_text(cell);
                       return !t.empty() && code_points(t) <= max_author_chars && !looks_like_date(t);
                   })) {
            columns[c] = column_kind::author;
        }
    }
    settle_columns(columns);
    return columns;
}

bool headerless_board(const std::vector<column_kind>& columns) {
    auto has = [&](column_kind k) { return std::find(columns.begin(), columns.end(), k) != columns.end(); };
    return has(column_kind::title) && has(column_kind::date) && (has(column_kind::number) || has(column_kind::author));
}

void assign_field(row_fields& f, column_kind kind, node cell) {
    switch (kind) {
        case column_kind::number:
            f.number = cell;
            break;
        case column_kind::title:
            f.title = cell;
            break;
        case column_kind::author:
            f.author = cell;
            break;
        case column_kind::date:
            f.date = cell;
            break;
        case column_kind::views:
            f.views = cell;
            break;
        case column_kind::category:
            f.category = cell;
            break;
        default:
            break;
    }
}

row_fields table_row_fields(node tr, const std::vector<column_kind>& columns) {
    row_fields f;
    f.row = tr;
    for (auto [column, cell] : row_cells(tr)) {
        if (column < columns.size()) assign_field(f, columns[column], cell);
    }
    return f;
}

// A custom engine may put a whole row in one cell (Quasarzone: a title column whose cell holds
// divs with the name, the count and the date): a field that no column gave is looked for by
// the classes inside the row.
row_fields with_nested_fields(row_fields f) {
    if (f.title == nullptr || (f.author != nullptr && f.date != nullptr)) return f;
    const row_fields nested = class_fields(f.row);
    if (f.author == nullptr) f.author = nested.author;
    if (f.date == nullptr && nested.date != nullptr && !best_date_text(nested.date).empty()) f.date = nested.date;
    return f;
}

bool is_spacer_row(node tr) {
    return !dom::has_visible_text(tr) &&
           dom::find_first(tr, [](node c) { return dom::has_tag(c, GUMBO_TAG_A); }) == nullptr;
}

// Rows of a table are read by read_table only, never as a list of <tr>.
bool is_table_part(node n) {
    return dom::has_tag(n, GUMBO_TAG_THEAD) || dom::has_tag(n, GUMBO_TAG_TBODY) || dom::has_tag(n, GUMBO_TAG_TFOOT) ||
           dom::has_tag(n, GUMBO_TAG_TR) || dom::has_tag(n, GUMBO_TAG_COLGROUP) || dom::has_tag(n, GUMBO_TAG_SELECT);
}

// The rows of a table that is a board, or nothing.
std::vector<core::board_row> read_table(node table, const row_reader& r) {
    const std::vector<node> rows = table_rows(table);
    std::vector<column_kind> columns;
    std::size_t first_data = 0;
    for (std::size_t i = 0; i < std::min(rows.size(), max_header_scan_rows); ++i) {
        auto candidate = header_columns(rows[i]);
        if (is_board_header(candidate)) {
            columns = std::move(candidate);
            first_data = i + 1;
            break;
        }
    }
    // Spacer rows (1-pixel separators, empty colspan cells) are layout, not rows.
    std::vector<node> data;
    std::copy_if(rows.begin() + static_cast<std::ptrdiff_t>(first_data), rows.end(), std::back_inserter(data),
                 [](node tr) { return !is_spacer_row(tr); });
    if (columns.empty()) {
        if (data.size() < min_headerless_rows) return {};
        columns = infer_columns(data);
        if (!headerless_board(columns)) return {};
    } else {
        settle_columns(columns);
    }
    std::vector<core::board_row> out;
    for (node tr : data) {
        if (auto row = read_row(with_nested_fields(table_row_fields(tr, columns)), r)) out.push_back(std::move(*row));
    }
    return out;
}

}  // namespace gisa::extract::board_detail
