// Board rows (issues 4 and 15): finds board lists in tables, ul/ol lists and div rows, reads their
// rows and keeps the board's own posts. The pieces live beside this file in src/extract/board/.
#include "extract/board.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "extract/board/detail.hpp"
#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract {

using namespace board_detail;

// ---- public -----------------------------------------------------------------------------------

column_kind classify_header_text(std::string_view text) {
    return classify_word(text);
}

bool is_board_header(const std::vector<column_kind>& columns) {
    int others = 0;
    bool title = false;
    std::vector<column_kind> seen;
    for (column_kind k : columns) {
        if (k == column_kind::unknown || std::find(seen.begin(), seen.end(), k) != seen.end()) continue;
        seen.push_back(k);
        if (k == column_kind::title) {
            title = true;
        } else {
            ++others;
        }
    }
    return title && others >= min_board_header_columns;
}

std::string clean_row_title(std::string_view text) {
    std::string t = normalize_whitespace(text);
    // "제목 [12] new" loses its icon word, then its count: strip until nothing changes.
    bool stripped = true;
    while (stripped)
        stripped = strip_trailing_count(t) || strip_trailing_icon_word(t);
    return t;
}

board_result extract_board(const GumboNode* root, const page_context& ctx) {
    board_result result;
    if (root == nullptr) return result;
    const std::string& given = !ctx.fetched_at.empty() ? ctx.fetched_at : ctx.page_date;
    const row_reader reader{ctx, board_reference(given)};
    // 1. runs of rows: tables, then repeated lists and div rows, in document order; nothing
    // inside a board found already. Each run keeps its own posts only.
    struct run {
        node container;
        std::vector<core::board_row> rows;
    };
    std::vector<run> runs;
    dom::walk(root, [&](node c) {
        if (!dom::is_element(c)) return false;
        if (dom::has_tag(c, GUMBO_TAG_HEAD) || dom::is_invisible(c)) return false;
        std::vector<core::board_row> rows;
        if (dom::has_tag(c, GUMBO_TAG_TABLE)) {
            rows = read_table(c, reader);
        } else if (!is_table_part(c)) {
            rows = read_list(c, reader);
        }
        if (rows.empty()) return true;
        keep_own_posts(rows);
        runs.push_back(run{c, std::move(rows)});
        return false;
    });
    // 2. the board's own list is the run with the most regular rows among the runs that list
    // the page's own board (its URL's bo_table=, id=, or path), else among all; other runs (a
    // best widget, a sidebar of recent posts, longer though it may be) are left out, except
    // notice blocks, and when the page's board is known only those that list it.
    std::vector<bool> own(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i)
        own[i] = lists_page_board(runs[i].rows, ctx.page_url);
    const bool own_known = std::any_of(own.begin(), own.end(), [](bool b) { return b; });
    auto rank = [&](std::size_t i) { return std::pair{!own_known || own[i], regular_rows(runs[i].rows)}; };
    std::size_t main_run = 0;
    for (std::size_t i = 1; i < runs.size(); ++i) {
        if (rank(main_run) < rank(i)) main_run = i;
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        auto& rn = runs[i];
        const bool notices_only = regular_rows(rn.rows) == 0;
        if (i != main_run && (!notices_only || (own_known && !own[i]))) continue;
        result.containers.push_back(rn.container);
        for (auto& row : rn.rows)
            result.board.rows.push_back(std::move(row));
    }
    if (result.board.rows.empty()) return result;
    // 3. the next page, from the board's pagination.
    if (node pagination = find_pagination(root, result.containers.front())) {
        result.board.next_page = next_page_in(pagination, reader);
        result.containers.push_back(pagination);
    }
    return result;
}

}  // namespace gisa::extract
