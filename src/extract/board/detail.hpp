// Board rows, inside: the rule tables, thresholds and pieces that the files of src/extract/board/
// share (tables, lists, row reading, row semantics, pagination). Not part of the public API.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/page_record.hpp"
#include "extract/board.hpp"
#include "extract/dom.hpp"
#include "extract/links.hpp"
#include "extract/strings.hpp"

namespace gisa::extract::board_detail {

using namespace std::string_view_literals;
using dom::node;

// ---- rule tables ----------------------------------------------------------------------------

struct word_kind {
    std::string_view word;
    column_kind kind;
};

// What header cells of Korean boards read (XE/Rhymix lang files, gnuboard skins, Clien's
// header images named board_no/board_subject/board_name/board_date/board_hit), compared
// after lower-casing ASCII and removing spaces, dots and sort arrows.
inline constexpr std::array header_words{
    word_kind{"번호"sv, column_kind::number},       word_kind{"글번호"sv, column_kind::number},
    word_kind{"no"sv, column_kind::number},         word_kind{"num"sv, column_kind::number},
    word_kind{"number"sv, column_kind::number},     word_kind{"id"sv, column_kind::number},
    word_kind{"제목"sv, column_kind::title},        word_kind{"글제목"sv, column_kind::title},
    word_kind{"title"sv, column_kind::title},       word_kind{"subject"sv, column_kind::title},
    word_kind{"글쓴이"sv, column_kind::author},     word_kind{"작성자"sv, column_kind::author},
    word_kind{"이름"sv, column_kind::author},       word_kind{"닉네임"sv, column_kind::author},
    word_kind{"등록자"sv, column_kind::author},     word_kind{"필명"sv, column_kind::author},
    word_kind{"글쓴사람"sv, column_kind::author},   word_kind{"name"sv, column_kind::author},
    word_kind{"writer"sv, column_kind::author},     word_kind{"author"sv, column_kind::author},
    word_kind{"nick"sv, column_kind::author},       word_kind{"날짜"sv, column_kind::date},
    word_kind{"등록일"sv, column_kind::date},       word_kind{"작성일"sv, column_kind::date},
    word_kind{"등록일자"sv, column_kind::date},     word_kind{"작성일자"sv, column_kind::date},
    word_kind{"일시"sv, column_kind::date},         word_kind{"작성시간"sv, column_kind::date},
    word_kind{"date"sv, column_kind::date},         word_kind{"regdate"sv, column_kind::date},
    word_kind{"time"sv, column_kind::date},         word_kind{"조회"sv, column_kind::views},
    word_kind{"조회수"sv, column_kind::views},      word_kind{"hit"sv, column_kind::views},
    word_kind{"hits"sv, column_kind::views},        word_kind{"view"sv, column_kind::views},
    word_kind{"views"sv, column_kind::views},       word_kind{"read"sv, column_kind::views},
    word_kind{"추천"sv, column_kind::votes},        word_kind{"추천수"sv, column_kind::votes},
    word_kind{"공감"sv, column_kind::votes},        word_kind{"vote"sv, column_kind::votes},
    word_kind{"recommend"sv, column_kind::votes},   word_kind{"분류"sv, column_kind::category},
    word_kind{"구분"sv, column_kind::category},     word_kind{"말머리"sv, column_kind::category},
    word_kind{"머리말"sv, column_kind::category},   word_kind{"카테고리"sv, column_kind::category},
    word_kind{"category"sv, column_kind::category},
};

// Sort marks that header cells carry after their word ("날짜 ▼").
inline constexpr std::array header_noise{"▼"sv, "▲"sv, "↓"sv, "↑"sv, "∨"sv, "∧"sv, "⇅"sv, "."sv, ":"sv};

// Parts of a class token (split at '_' and '-') that name a category: XE/Rhymix "category" and
// "cate", gnuboard "bo_cate_link", Ruliweb "divsn" (구분). A part must start with "cate"
// ("duplicate", "indicate" do not name one).
inline constexpr std::string_view category_part_prefix = "cate"sv;
inline constexpr std::array category_part_tokens{"divsn"sv, "ctg"sv, "ctgr"sv};
// Brackets around a category set apart in a title ("<b>[판매]</b> 캠핑 의자").
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 3> category_brackets{
    {{"["sv, "]"sv}, {"【"sv, "】"sv}, {"［"sv, "］"sv}}};

// Class fragments that never name a column even though they contain a column word:
// comment counts ("replyNum"), categories ("bo_cate_link"), reply icons.
inline constexpr std::array class_exclusions{"reply"sv,     "cmt"sv,  "comment"sv, "cate"sv,
                                             "trackback"sv, "icon"sv, "chk"sv};

// Class fragments of row cells, checked in this order (the first match wins), from the
// skins the fixtures copy: XE/Rhymix (no, title, author, time, readNum, voteNum, m_no),
// gnuboard (td_num, td_subject, bo_tit, td_name, sv_member, td_datetime, gall_date),
// Clien (post_subject, post_name) and mobile skins (bo_subject, auth, date).
inline constexpr std::array class_kinds{
    word_kind{"subject"sv, column_kind::title}, word_kind{"title"sv, column_kind::title},
    word_kind{"date"sv, column_kind::date},     word_kind{"time"sv, column_kind::date},
    word_kind{"vote"sv, column_kind::votes},    word_kind{"recomm"sv, column_kind::votes},
    word_kind{"good"sv, column_kind::votes},    word_kind{"symph"sv, column_kind::votes},  // Clien: 공감
    word_kind{"hit"sv, column_kind::views},     word_kind{"read"sv, column_kind::views},
    word_kind{"view"sv, column_kind::views},    word_kind{"auth"sv, column_kind::author},
    word_kind{"writer"sv, column_kind::author}, word_kind{"nick"sv, column_kind::author},
    word_kind{"name"sv, column_kind::author},   word_kind{"member"sv, column_kind::author},
    word_kind{"user"sv, column_kind::author},   word_kind{"num"sv, column_kind::number},
};
// Whole class tokens: too short to match as fragments.
inline constexpr std::array class_token_kinds{
    word_kind{"m_no"sv, column_kind::views},  // XE sketchbook: hidden on mobile, holds views and votes
    word_kind{"no"sv, column_kind::number},    word_kind{"tit"sv, column_kind::title},
    word_kind{"id"sv, column_kind::number},    word_kind{"col-id"sv, column_kind::number},  // Ruliweb, div rows
    word_kind{"bo_tit"sv, column_kind::title}, word_kind{"hx"sv, column_kind::title},
};

// Screen-reader-only text and widgets that are not shown: not part of a title or an author.
inline constexpr std::array hidden_classes{"sound_only"sv, "blind"sv,           "hidden"sv, "hide"sv, "screen_out"sv,
                                           "sr-only"sv,    "visually-hidden"sv, "ir_pm"sv,  "sv"sv,   "sv_nojs"sv};
// Elements inside a title that hold the comment count or an icon, not the title.
inline constexpr std::array title_noise_fragments{"reply"sv,     "cmt"sv,  "comment"sv,     "cnt"sv,  "count"sv,
                                                  "trackback"sv, "icon"sv, "extraimages"sv, "cate"sv, "notice"sv};
// Whole class tokens of comment counts, too short to match as fragments (<span class="rp">3</span>).
inline constexpr std::array title_noise_tokens{"rp"sv, "num"sv, "re"sv, "cm"sv};
// Words of a class that draws an icon from a sprite, whatever the text under it says
// (<span class="sp-lst sp-lst-img">이미지</span>, <i class="ico_new">N</i>).
inline constexpr std::array title_sprite_tokens{"sp"sv, "ico"sv, "icon"sv, "sprite"sv};
// A hidden label that says the rest of the title element is the comment count
// (gnuboard: <span class="sound_only">댓글</span>12<span class="sound_only">개</span>).
inline constexpr std::array comment_labels{"댓글"sv, "comment"sv, "comments"sv};

// Words that icons add after a title (img alt text or text badges), removed at the end.
inline constexpr std::array title_icon_words{"new"sv,  "hot"sv,  "n"sv,    "사진"sv, "새글"sv,
                                             "인기"sv, "file"sv, "파일"sv, "img"sv,  "image"sv};

// URL schemes that run a script rather than lead to a page: never a row's URL.
inline constexpr std::array script_schemes{"javascript:"sv, "vbscript:"sv, "data:"sv};

// Where gnuboard keeps member nickname images; the file name is the member id.
inline constexpr std::string_view member_image_dir = "/member/"sv;

// What a number cell or a row says when the row is a notice.
inline constexpr std::array notice_words{"공지"sv, "notice"sv, "공지사항"sv, "필독"sv};
// Ad rows between posts: whole class tokens (too short for fragments), class fragments and
// badge texts.
inline constexpr std::array ad_row_tokens{"ad"sv, "ads"sv, "ad_row"sv, "ad-row"sv, "pr"sv};
inline constexpr std::array ad_row_fragments{"advert"sv, "sponsor"sv, "powerlink"sv, "adsense"sv, "adfit"sv};
inline constexpr std::array ad_badges{"AD"sv, "광고"sv, "Sponsored"sv, "스폰서"sv};
// Row classes of notice rows: XE "notice", gnuboard "bo_notice", Clien "post_notice".
inline constexpr std::string_view notice_class_fragment = "notice"sv;
// Row classes of rows pinned above the list (whole tokens: "fixed" and "top" also name layout).
inline constexpr std::array pinned_row_tokens{"pinned"sv,    "sticky"sv, "is-pinned"sv, "is_pinned"sv,
                                              "fixed_row"sv, "pin"sv,    "top_fixed"sv};

// Pagination blocks: XE "pagination", gnuboard "pg_wrap", Clien "paging", sketchbook "bd_pg".
inline constexpr std::array pagination_fragments{"pagination"sv, "paging"sv,   "paginate"sv, "pg_wrap"sv,
                                                 "bd_pg"sv,      "page_nav"sv, "pagenav"sv,  "page_list"sv,
                                                 "pagelist"sv,   "pgnum"sv,    "pagenum"sv,  "page_num"sv};
inline constexpr std::array pagination_tokens{"page"sv, "pages"sv, "pg"sv, "pn"sv, "paginator"sv};
// Classes that mark the current page in a pagination block.
inline constexpr std::array current_page_tokens{"on"sv,  "active"sv,   "current"sv, "cur"sv, "cur_page"sv,
                                                "sel"sv, "selected"sv, "this"sv,    "now"sv, "pg_current"sv};
// Link words of the "next page" link; "끝"/"last" links jump to the end and are not it.
inline constexpr std::array next_words{"다음"sv, "next"sv, "›"sv, "＞"sv};
inline constexpr std::array last_words{"끝"sv, "마지막"sv, "last"sv, "맨뒤"sv, "end"sv};

// ---- thresholds -------------------------------------------------------------------------------

// Header rows are looked for among the first rows of a table (a caption row may come first).
inline constexpr std::size_t max_header_scan_rows = 3;
// A table without a header row, or a list, needs this many rows to be seen as a board.
inline constexpr std::size_t min_headerless_rows = 3;
// Share of the rows that must agree for a column (or a list field) to count.
inline constexpr int min_column_agreement_pct = 60;
// A pagination block is short: page numbers and a few words (처음, 이전, 다음, 맨끝).
inline constexpr std::size_t max_pagination_chars = 200;
// Share of a run's rows that must lead to one board before rows leading elsewhere are left
// out (a small list mixing URL forms is left alone).
inline constexpr std::size_t min_own_board_key_pct = 80;
// Rows that open their post by script only are the board's own when at least this share of its
// regular rows do (else they are the operator's surveys and popups among linked posts).
inline constexpr std::size_t min_scripted_rows_pct = 50;
// A run lists the page's own board when at least this share of its rows lead to it.
inline constexpr std::size_t min_page_board_rows_pct = 50;
// A run of digits this long in a row URL is its post's id (shorter ones are pages, years, sections).
inline constexpr std::size_t min_post_id_digits = 3;
// Post ids (or URLs) tell a run's rows apart when at least this share of them differ (a pinned
// copy or two repeat one; a year in every URL makes them all one id; an old board may link one
// view page from every row).
inline constexpr std::size_t min_distinct_post_ids_pct = 50;
// A date text is short ("2024.07.18 (목) 14:32:05", "일요일 11:47").
inline constexpr std::size_t max_date_text_bytes = 60;
// A field label ("Views", "조회수") is a word or two.
inline constexpr std::size_t max_label_bytes = 24;
// A list row longer than this is a content block (a teaser, a section), not a board row.
inline constexpr std::size_t max_list_row_chars = 400;
// Author cells longer than this are not names.
inline constexpr std::size_t max_author_chars = 40;
// A name found by structure alone (a bare <span> in a mobile row) is shorter than this.
inline constexpr std::size_t max_bare_author_chars = 20;
// A category ("PC/하드웨어", "브레이크") is a word or two; a longer text is no category.
inline constexpr std::size_t max_category_chars = 20;
// A count, icon word or category inside a title element is at most this long; a longer
// noise-named element holds the title.
inline constexpr std::size_t max_title_noise_chars = 12;
// Numbers in brackets between these are years, not comment counts.
inline constexpr std::int64_t min_year_in_title = 1900;
inline constexpr std::int64_t max_year_in_title = 2100;

// ---- small text helpers -------------------------------------------------------------------------

template <std::size_t N>
bool contains_any(std::string_view hay, const std::array<std::string_view, N>& needles) {
    return has_substring(hay, std::span<const std::string_view>(needles));
}

template <std::size_t N>
bool equals_any(std::string_view s, const std::array<std::string_view, N>& words) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return iequals(s, w); });
}

// The first class token of `classes` for which fn returns a value, else that type's default
// (a callback rather than a vector of tokens: it runs for every element of many walks).
template <typename Fn>
auto first_class_match(std::string_view classes, Fn fn) -> decltype(fn(std::string_view())) {
    std::size_t i = 0;
    while (i < classes.size()) {
        while (i < classes.size() && classes[i] == ' ')
            ++i;
        std::size_t j = i;
        while (j < classes.size() && classes[j] != ' ' && classes[j] != '\t' && classes[j] != '\n')
            ++j;
        if (j > i) {
            if (auto found = fn(classes.substr(i, j - i)); found != decltype(found){}) return found;
        }
        i = j + 1;
    }
    return {};
}

template <std::size_t N>
bool has_class_in(node n, const std::array<std::string_view, N>& tokens) {
    return first_class_match(dom::attr_or_empty(n, "class"), [&](std::string_view c) { return equals_any(c, tokens); });
}

// ---- rows -------------------------------------------------------------------------------

struct row_fields {
    node row = nullptr;
    node number = nullptr;
    node title = nullptr;
    node author = nullptr;
    node date = nullptr;
    node views = nullptr;
    node category = nullptr;
};

struct row_reader {
    const page_context& ctx;
    std::string reference_text;  // ISO 8601, Korean time: what "14:32" and "07-18" are resolved against
};

// ---- functions shared between the files -------------------------------------------------

std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<std::int64_t> first_int(std::string_view s);
bool is_hidden_element(node n);
std::string shown_text(node n);
std::string title_text(node n);
std::string image_words(node n);
std::string header_key(std::string_view text);
column_kind classify_word(std::string_view word);
column_kind classify_header_image(node img);
std::size_t kept_key_bytes(std::string_view t) noexcept;
bool longer_than_header_words(node cell);
column_kind classify_header_cell(node cell);
bool is_category_class_token(std::string_view token);
column_kind classify_class_token(std::string_view token);
column_kind classify_by_class(node n);
bool comes_before(node root, node a, node b);
bool inside_or_is(node n, node field);
bool is_ad_row(node row);
std::string_view trimmed_href(std::string_view h);
bool is_script_href(std::string_view h);
bool is_usable_link(node a);
bool calls_with_number(std::string_view script);
bool is_script_post_link(node a);
bool is_row_link(node a);
node overlay_link(node row);
node title_link(node title, node row);
bool is_digit(char c) noexcept;
bool strip_trailing_count(std::string& t);
bool strip_trailing_icon_word(std::string& t);
std::string best_date_text(node cell);
std::optional<std::string> read_date(node cell, const row_reader& r);
std::string author_text(node n);
std::string strip_author_decorations(std::string text);
std::string image_name(node img);
std::optional<std::string> read_author(node cell);
bool has_notice_badge(node row);
bool has_notice_label(const row_fields& f);
bool is_notice_row(const row_fields& f);
node row_heading(node row);
std::optional<std::string> category_text(node n);
node category_by_class(node row);
node bracket_prefix(node title);
void read_category(core::board_row& row, const row_fields& f, node title_node);
std::optional<core::board_row> read_row(const row_fields& f, const row_reader& r);
row_fields class_fields(node row);
node text_date_field(node row);
bool is_field(const row_fields& f, node n);
node main_link(node row);
std::size_t own_text_bytes(node n);
node structural_title(node row, const row_fields& f);
node structural_author(node row, const row_fields& f);
std::vector<node> table_rows(node table);
std::vector<std::pair<std::size_t, node>> row_cells(node tr);
std::vector<column_kind> header_columns(node tr);
void settle_columns(std::vector<column_kind>& columns);
std::vector<column_kind> infer_columns(const std::vector<node>& rows);
bool headerless_board(const std::vector<column_kind>& columns);
void assign_field(row_fields& f, column_kind kind, node cell);
row_fields table_row_fields(node tr, const std::vector<column_kind>& columns);
row_fields with_nested_fields(row_fields f);
bool is_spacer_row(node tr);
bool is_table_part(node n);
std::vector<core::board_row> read_table(node table, const row_reader& r);
row_fields list_row_fields(node row);
node labelled_field(node row, column_kind kind);
void complete_list_row(row_fields& f);
std::vector<node> repeated_children(node container);
bool enough(std::size_t part, std::size_t whole);
std::vector<node> element_children(node n);
std::vector<column_kind> list_header(node first_row);
std::vector<core::board_row> read_rows_by_header(const std::vector<node>& rows, const std::vector<column_kind>& columns,
                                                 const row_reader& r);
std::vector<core::board_row> read_list(node container, const row_reader& r);
std::string board_key(std::string_view url);
std::optional<std::string> common_board_key(const std::vector<core::board_row>& rows);
std::string post_identity(std::string_view url);
std::vector<std::string> post_keys(const std::vector<core::board_row>& rows);
void keep_own_posts(std::vector<core::board_row>& rows);
std::size_t regular_rows(const std::vector<core::board_row>& rows);
bool leads_to_page_board(std::string_view row_url, std::string_view page_url);
bool lists_page_board(const std::vector<core::board_row>& rows, std::string_view page_url);
std::optional<std::int64_t> page_number(std::string_view text);
bool has_page_link(node n);
bool is_pagination(node n);
bool is_unnamed_pager(node n);
bool marks_current(node n, node pagination);
std::optional<std::string> next_page_in(node pagination, const row_reader& r);
node find_pagination(node root, node first_board);

}  // namespace gisa::extract::board_detail
