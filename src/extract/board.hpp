// Board lists (번호 / 제목 / 글쓴이 / 날짜 / 조회): the rows of a page's board and its next page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page_record.hpp"
#include "extract/links.hpp"

namespace gisa::extract {

struct board_result {
    core::board_list board;                    // rows and next_page; empty when the page holds no board
    std::vector<const GumboNode*> containers;  // elements holding the rows and the pagination: the
                                               // pipeline keeps them out of the article body
};

// Finds the page's board lists (tables, ul/ol lists and div rows whose header or cells
// read like a board) and returns their rows in document order, and the next page from the
// board's pagination. Calendars, data tables and link lists with dates only yield nothing.
// Row times ("14:32", "07-18") are resolved against ctx.fetched_at, else ctx.page_date,
// else the clock. Pure: reads the tree, never changes it; give it the unpruned tree (gnuboard
// lists sit inside a <form>, which the boilerplate rules prune).
board_result extract_board(const GumboNode* root, const page_context& ctx);

// ---- pieces exposed for unit tests (and the pipeline, if it wants them) ----

// What a header cell (or a cell's class) says its column holds.
enum class column_kind { unknown, number, title, author, date, views, votes, category };

// "번호", "No", "글쓴이", "작성자", "이름", "날짜", "등록일", "조회수", "추천", "분류" ...; also the
// alt text of an image header cell.
column_kind classify_header_text(std::string_view text);

// A header row is a board header when it names a title column and at least
// min_board_header_columns other known columns.
inline constexpr int min_board_header_columns = 1;
bool is_board_header(const std::vector<column_kind>& columns);

// A row title without comment counts ("[12]", "(3)"), icon words (new, hot, N, 사진)
// and surrounding whitespace.
std::string clean_row_title(std::string_view text);

// A row's date cell as ISO 8601: "2024.07.18" / "24.07.18" / "2024-07-18" -> "2024-07-18";
// "07-18" / "07.18" -> the reference's year (last year's if that would be in the future);
// "14:32" -> the reference's date + "T14:32:00+09:00" (the day before if later than the
// reference); "2024.07.18 14:32" -> date-time; "3분 전" / "2시간 전" -> counted back.
// reference is ISO 8601 ("2024-07-18T20:00:00+09:00" or "2024-07-18"), converted to Korean
// time; "" means now. nullopt when the cell holds no date.
std::optional<std::string> resolve_row_date(std::string_view cell, std::string_view reference);

}  // namespace gisa::extract
