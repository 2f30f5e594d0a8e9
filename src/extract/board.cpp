// Board rows (issue 4): finds board lists in tables, ul/ol lists and div rows, and reads their rows.
#include "extract/board.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "extract/board_dates.hpp"
#include "extract/dom.hpp"
#include "extract/dom_tag.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {
namespace {

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
constexpr std::array header_words{
    word_kind{"번호"sv, column_kind::number},     word_kind{"글번호"sv, column_kind::number},
    word_kind{"no"sv, column_kind::number},       word_kind{"num"sv, column_kind::number},
    word_kind{"number"sv, column_kind::number},   word_kind{"id"sv, column_kind::number},
    word_kind{"제목"sv, column_kind::title},      word_kind{"글제목"sv, column_kind::title},
    word_kind{"title"sv, column_kind::title},     word_kind{"subject"sv, column_kind::title},
    word_kind{"글쓴이"sv, column_kind::author},   word_kind{"작성자"sv, column_kind::author},
    word_kind{"이름"sv, column_kind::author},     word_kind{"닉네임"sv, column_kind::author},
    word_kind{"등록자"sv, column_kind::author},   word_kind{"필명"sv, column_kind::author},
    word_kind{"글쓴사람"sv, column_kind::author}, word_kind{"name"sv, column_kind::author},
    word_kind{"writer"sv, column_kind::author},   word_kind{"author"sv, column_kind::author},
    word_kind{"nick"sv, column_kind::author},     word_kind{"날짜"sv, column_kind::date},
    word_kind{"등록일"sv, column_kind::date},     word_kind{"작성일"sv, column_kind::date},
    word_kind{"등록일자"sv, column_kind::date},   word_kind{"작성일자"sv, column_kind::date},
    word_kind{"일시"sv, column_kind::date},       word_kind{"작성시간"sv, column_kind::date},
    word_kind{"date"sv, column_kind::date},       word_kind{"regdate"sv, column_kind::date},
    word_kind{"time"sv, column_kind::date},       word_kind{"조회"sv, column_kind::views},
    word_kind{"조회수"sv, column_kind::views},    word_kind{"hit"sv, column_kind::views},
    word_kind{"hits"sv, column_kind::views},      word_kind{"view"sv, column_kind::views},
    word_kind{"views"sv, column_kind::views},     word_kind{"read"sv, column_kind::views},
    word_kind{"추천"sv, column_kind::votes},      word_kind{"추천수"sv, column_kind::votes},
    word_kind{"공감"sv, column_kind::votes},      word_kind{"vote"sv, column_kind::votes},
    word_kind{"recommend"sv, column_kind::votes},
};

// Sort marks that header cells carry after their word ("날짜 ▼").
constexpr std::array header_noise{"▼"sv, "▲"sv, "↓"sv, "↑"sv, "∨"sv, "∧"sv, "⇅"sv, "."sv, ":"sv};

// Class fragments that never name a column even though they contain a column word:
// comment counts ("replyNum"), categories ("bo_cate_link"), reply icons.
constexpr std::array class_exclusions{"reply"sv, "cmt"sv, "comment"sv, "cate"sv, "trackback"sv, "icon"sv, "chk"sv};

// Class fragments of row cells, checked in this order (the first match wins), from the
// skins the fixtures copy: XE/Rhymix (no, title, author, time, readNum, voteNum, m_no),
// gnuboard (td_num, td_subject, bo_tit, td_name, sv_member, td_datetime, gall_date),
// Clien (post_subject, post_name) and mobile skins (bo_subject, auth, date).
constexpr std::array class_kinds{
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
constexpr std::array class_token_kinds{
    word_kind{"m_no"sv, column_kind::views},  // XE sketchbook: hidden on mobile, holds views and votes
    word_kind{"no"sv, column_kind::number},    word_kind{"tit"sv, column_kind::title},
    word_kind{"id"sv, column_kind::number},    word_kind{"col-id"sv, column_kind::number},  // Ruliweb, div rows
    word_kind{"bo_tit"sv, column_kind::title}, word_kind{"hx"sv, column_kind::title},
};

// Screen-reader-only text and widgets that are not shown: not part of a title or an author.
constexpr std::array hidden_classes{"sound_only"sv, "blind"sv,           "hidden"sv, "hide"sv, "screen_out"sv,
                                    "sr-only"sv,    "visually-hidden"sv, "ir_pm"sv,  "sv"sv,   "sv_nojs"sv};
// Elements inside a title that hold the comment count or an icon, not the title.
constexpr std::array title_noise_fragments{"reply"sv,     "cmt"sv,  "comment"sv,     "cnt"sv,  "count"sv,
                                           "trackback"sv, "icon"sv, "extraimages"sv, "cate"sv, "notice"sv};
// Whole class tokens of comment counts, too short to match as fragments (<span class="rp">3</span>).
constexpr std::array title_noise_tokens{"rp"sv, "num"sv, "re"sv, "cm"sv};
// A hidden label that says the rest of the title element is the comment count
// (gnuboard: <span class="sound_only">댓글</span>12<span class="sound_only">개</span>).
constexpr std::array comment_labels{"댓글"sv, "comment"sv, "comments"sv};

// Words that icons add after a title (img alt text or text badges), removed at the end.
constexpr std::array title_icon_words{"new"sv,  "hot"sv,  "n"sv,    "사진"sv, "새글"sv,
                                      "인기"sv, "file"sv, "파일"sv, "img"sv,  "image"sv};

// Where gnuboard keeps member nickname images; the file name is the member id.
constexpr std::string_view member_image_dir = "/member/"sv;

// What a number cell or a row says when the row is a notice.
constexpr std::array notice_words{"공지"sv, "notice"sv, "공지사항"sv, "필독"sv};
// Ad rows between posts: whole class tokens (too short for fragments), class fragments and
// badge texts.
constexpr std::array ad_row_tokens{"ad"sv, "ads"sv, "ad_row"sv, "ad-row"sv, "pr"sv};
constexpr std::array ad_row_fragments{"advert"sv, "sponsor"sv, "powerlink"sv, "adsense"sv, "adfit"sv};
constexpr std::array ad_badges{"AD"sv, "광고"sv, "Sponsored"sv, "스폰서"sv};
// Row classes of notice rows: XE "notice", gnuboard "bo_notice", Clien "post_notice".
constexpr std::string_view notice_class_fragment = "notice"sv;

// Pagination blocks: XE "pagination", gnuboard "pg_wrap", Clien "paging", sketchbook "bd_pg".
constexpr std::array pagination_fragments{"pagination"sv, "paging"sv,   "paginate"sv, "pg_wrap"sv,
                                          "bd_pg"sv,      "page_nav"sv, "pagenav"sv,  "page_list"sv,
                                          "pagelist"sv,   "pgnum"sv,    "pagenum"sv,  "page_num"sv};
constexpr std::array pagination_tokens{"page"sv, "pages"sv, "pg"sv, "pn"sv, "paginator"sv};
// Classes that mark the current page in a pagination block.
constexpr std::array current_page_tokens{"on"sv,  "active"sv,   "current"sv, "cur"sv, "cur_page"sv,
                                         "sel"sv, "selected"sv, "this"sv,    "now"sv, "pg_current"sv};
// Link words of the "next page" link; "끝"/"last" links jump to the end and are not it.
constexpr std::array next_words{"다음"sv, "next"sv, "›"sv, "＞"sv};
constexpr std::array last_words{"끝"sv, "마지막"sv, "last"sv, "맨뒤"sv, "end"sv};

// ---- thresholds -------------------------------------------------------------------------------

// Header rows are looked for among the first rows of a table (a caption row may come first).
constexpr std::size_t max_header_scan_rows = 3;
// A table without a header row, or a list, needs this many rows to be seen as a board.
constexpr std::size_t min_headerless_rows = 3;
// Share of the rows that must agree for a column (or a list field) to count.
constexpr int min_column_agreement_pct = 60;
// A pagination block is short: page numbers and a few words (처음, 이전, 다음, 맨끝).
constexpr std::size_t max_pagination_chars = 200;
// Share of a run's rows that must lead to one board before rows leading elsewhere are left
// out (a small list mixing URL forms is left alone).
constexpr std::size_t min_own_board_key_pct = 80;
// A date text is short ("2024.07.18 (목) 14:32:05", "일요일 11:47").
constexpr std::size_t max_date_text_bytes = 60;
// A list row longer than this is a content block (a teaser, a section), not a board row.
constexpr std::size_t max_list_row_chars = 400;
// Author cells longer than this are not names.
constexpr std::size_t max_author_chars = 40;
// A name found by structure alone (a bare <span> in a mobile row) is shorter than this.
constexpr std::size_t max_bare_author_chars = 20;
// A count, icon word or category inside a title element is at most this long; a longer
// noise-named element holds the title.
constexpr std::size_t max_title_noise_chars = 12;
// Numbers in brackets between these are years, not comment counts.
constexpr std::int64_t min_year_in_title = 1900;
constexpr std::int64_t max_year_in_title = 2100;

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

// "1,234" or " 57 " -> the integer; anything else (letters, inner spaces, signs) -> nullopt.
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
             has_class_in(c, title_noise_tokens)) &&
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

column_kind classify_class_token(std::string_view token) {
    for (const auto& tk : class_token_kinds) {
        if (iequals(token, tk.word)) return tk.kind;
    }
    if (contains_any(token, class_exclusions)) return column_kind::unknown;
    for (const auto& ck : class_kinds) {
        if (icontains(token, ck.word)) return ck.kind;
    }
    return column_kind::unknown;
}

column_kind classify_by_class(node n) {
    return first_class_match(dom::attr_or_empty(n, "class"), classify_class_token);
}

// ---- rows ---------------------------------------------------------------------------------

struct row_fields {
    node row = nullptr;
    node number = nullptr;
    node title = nullptr;
    node author = nullptr;
    node date = nullptr;
    node views = nullptr;
};

// True when a starts before b inside root.
bool comes_before(node root, node a, node b) {
    return dom::find_first(root, [&](node c) { return c == a || c == b; }) == a;
}

bool inside_or_is(node n, node field) {
    return field != nullptr && (n == field || dom::is_ancestor(field, n));
}

// A sponsored row inside a list: its class says so (ad, ads, advert, sponsor, powerlink) or
// it carries an "AD"/"광고" badge.
bool is_ad_row(node row) {
    if (has_class_in(row, ad_row_tokens) || contains_any(dom::attr_or_empty(row, "class"), ad_row_fragments)) {
        return true;
    }
    return dom::find_first(row, [&](node c) {
               if (!dom::is_element(c) || c == row || dom::child_count(c) != 1) return false;
               node t = dom::child_at(c, 0);
               return dom::is_text(t) && equals_any(normalize_whitespace(dom::text_of(t)), ad_badges);
           }) != nullptr;
}

struct row_reader {
    const page_context& ctx;
    std::string reference_text;  // ISO 8601, Korean time: what "14:32" and "07-18" are resolved against
};

bool is_usable_link(node a) {
    auto href = dom::attr(a, "href");
    if (!href) return false;
    std::string_view h = *href;
    while (!h.empty() && h.front() == ' ')
        h.remove_prefix(1);
    return !h.empty() && h.front() != '#' && !istarts_with(h, "javascript:");
}

// The link that carries a row's title: the longest-titled usable <a> inside the title
// element (skipping comment-count and category links), or the <a> around it.
node title_link(node title, node row) {
    node best = nullptr;
    std::size_t best_len = 0;
    dom::find_all(
        title, [](node c) { return dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c); },
        [&](node a) {
            if (contains_any(dom::attr_or_empty(a, "class"), title_noise_fragments)) return;
            const std::size_t len = title_text(a).size();
            if (len > best_len) {
                best = a;
                best_len = len;
            }
        });
    if (best != nullptr) return best;
    for (node up = title; up != nullptr && up != dom::parent(row); up = dom::parent(up)) {
        if (dom::has_tag(up, GUMBO_TAG_A) && is_usable_link(up)) return up;
    }
    return nullptr;
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// "[12]", "(3)", " +12", " + 12" at the end of a title. A bracketed year ("(2024)") is part of the title.
bool strip_trailing_count(std::string& t) {
    if (t.empty()) return false;
    const char close = t.back();
    if (close == ']' || close == ')') {
        const std::size_t start = t.rfind(close == ']' ? '[' : '(');
        if (start == std::string::npos) return false;
        const auto count = parse_int(std::string_view(t).substr(start + 1, t.size() - start - 2));
        if (!count || (*count >= min_year_in_title && *count <= max_year_in_title)) return false;
        t.erase(start);
    } else {
        std::size_t i = t.size();
        while (i > 0 && is_digit(t[i - 1]))
            --i;
        if (i == t.size()) return false;
        while (i > 0 && t[i - 1] == ' ')
            --i;
        // "쿠폰15원+5" is the title's own "+5": a count stands apart ("제목 +12").
        if (i == 0 || t[i - 1] != '+' || i < 2 || t[i - 2] != ' ') return false;
        t.erase(i - 1);
    }
    while (!t.empty() && t.back() == ' ')
        t.pop_back();
    return true;
}

bool strip_trailing_icon_word(std::string& t) {
    const std::size_t space = t.rfind(' ');
    if (space == std::string::npos) return false;
    if (!equals_any(std::string_view(t).substr(space + 1), title_icon_words)) return false;
    t.erase(space);
    return true;
}

// The most complete date a date cell holds: Clien puts "2016-07-24 20:45:22" in a title
// attribute and shows "20:45"; its newer layout adds a span.timestamp beside the short form.
// "" when nothing in the cell is a date.
std::string best_date_text(node cell) {
    std::string best;
    int best_detail = 0;
    auto consider = [&](std::string_view raw) {
        std::string text = normalize_whitespace(raw);
        const int detail = date_detail(text);
        if (detail > best_detail) {
            best_detail = detail;
            best = std::move(text);
        }
    };
    dom::walk(cell, [&](node c) {
        if (dom::is_text(c)) {
            consider(dom::text_of(c));
            return false;
        }
        if (!dom::is_element(c) || dom::is_invisible(c)) return false;
        consider(dom::attr_or_empty(c, "title"));
        consider(dom::attr_or_empty(c, "datetime"));
        return true;
    });
    return best;
}

std::optional<std::string> read_date(node cell, const row_reader& r) {
    if (cell == nullptr) return std::nullopt;
    std::string text = best_date_text(cell);
    // Nothing that is a date on its own: the cell may still say "3분 전" or "등록일 07-18".
    if (text.empty()) text = shown_text(cell);
    return resolve_row_date(text, r.reference_text);
}

// The text of an author element without the date or counts that mobile skins put inside
// it (XE mobile: <span class="auth"><strong>닉</strong> <span class="time">07.18</span></span>).
std::string author_text(node n) {
    std::string raw;
    dom::walk(n, [&](node c) {
        if (dom::is_text(c)) {
            raw += dom::text_of(c);
            return false;
        }
        if (!dom::is_element(c) || is_hidden_element(c)) return false;
        if (c != n) {
            const column_kind k = classify_by_class(c);
            if (k == column_kind::date || k == column_kind::views || k == column_kind::votes) return false;
        }
        if (dom::is_block(c)) raw += ' ';
        return true;
    });
    return normalize_whitespace(raw);
}

// Separators that skins print around a name ("쇼핑몰 / 가격 / 통신문란": fmkorea's " / 통신문란").
// A decoration stands apart from the name by a space ("아타호-_-" keeps its dashes).
constexpr std::array author_decorations{"/"sv, "|"sv, "·"sv, "ㆍ"sv, "by"sv, "By"sv, "-"sv, ":"sv};

std::string strip_author_decorations(std::string text) {
    bool stripped = true;
    while (stripped && !text.empty()) {
        stripped = false;
        for (std::string_view d : author_decorations) {
            if (text.starts_with(d) && text.size() > d.size() && text[d.size()] == ' ') {
                text.erase(0, d.size());
                stripped = true;
            } else if (text.ends_with(d) && text.size() > d.size() && text[text.size() - d.size() - 1] == ' ') {
                text.erase(text.size() - d.size());
                stripped = true;
            }
        }
        text = normalize_whitespace(text);
    }
    return text;
}

// A nickname drawn as an image: its alt text, else, for gnuboard member images
// (data/member/ab/<member id>.gif, as Clien shows them), the member id.
std::string image_name(node img) {
    std::string alt = normalize_whitespace(dom::attr_or_empty(img, "alt"));
    if (!alt.empty()) return alt;
    std::string_view src = dom::attr_or_empty(img, "src");
    if (src.find(member_image_dir) == std::string_view::npos) return {};
    src = src.substr(0, src.find_first_of("?#"));
    src.remove_prefix(src.rfind('/') + 1);
    return std::string(src.substr(0, src.rfind('.')));
}

std::optional<std::string> read_author(node cell) {
    if (cell == nullptr) return std::nullopt;
    // gnuboard and XE wrap the name (sv_member, member_123) and add a hidden menu beside it.
    // Ruliweb puts a hidden <input class="member_srl"> first: a name element shows text.
    node name = dom::find_first(cell, [&](node c) {
        return c != cell &&
               (dom::class_contains(c, "sv_member") || dom::class_contains(c, "member_") ||
                dom::class_contains(c, "nick")) &&
               !is_hidden_element(c) && dom::visible_chars_above(c, 0);
    });
    std::string text = strip_author_decorations(author_text(name != nullptr ? name : cell));
    if (text.empty()) {
        node img = dom::find_first(cell, [](node c) { return dom::has_tag(c, GUMBO_TAG_IMG); });
        if (img != nullptr) text = image_name(img);
    }
    if (text.empty() || code_points(text) > max_author_chars) return std::nullopt;
    return text;
}

// An element inside the row marked as a notice badge: <span class="notice">공지</span>.
bool has_notice_badge(node row) {
    return dom::find_first(row, [&](node c) {
               return c != row && dom::class_contains(c, notice_class_fragment) &&
                      contains_any(shown_text(c) + image_words(c), notice_words);
           }) != nullptr;
}

// A cell or label outside the title that reads just "공지" (DC Inside's operator rows: a
// subject cell <b>공지</b>, no notice class).
bool has_notice_label(const row_fields& f) {
    return dom::find_first(f.row, [&](node c) {
               if (!dom::is_element(c) || c == f.row || inside_or_is(c, f.title)) return false;
               if (dom::child_count(c) != 1 || !dom::is_text(dom::child_at(c, 0))) return false;
               return equals_any(normalize_whitespace(dom::text_of(dom::child_at(c, 0))), notice_words);
           }) != nullptr;
}

bool is_notice_row(const row_fields& f) {
    if (f.row != nullptr && (dom::class_contains(f.row, notice_class_fragment) || has_notice_badge(f.row))) return true;
    if (f.row != nullptr && has_notice_label(f)) return true;
    if (f.number == nullptr) return false;
    const std::string words = shown_text(f.number) + image_words(f.number);
    return contains_any(words, notice_words);
}

std::optional<core::board_row> read_row(const row_fields& f, const row_reader& r) {
    if (f.title == nullptr || is_ad_row(f.row)) return std::nullopt;
    node link = title_link(f.title, f.row);
    if (link == nullptr) return std::nullopt;
    core::board_row row;
    const bool link_inside_title = link == f.title || dom::is_ancestor(f.title, link);
    row.title = clean_row_title(title_text(link_inside_title ? link : f.title));
    if (row.title.empty()) return std::nullopt;
    const std::string_view href = dom::attr_or_empty(link, "href");
    row.url = normalize_link(href, r.ctx.base_url).value_or(normalize_whitespace(href));
    if (f.number != nullptr) row.no = parse_int(shown_text(f.number));
    row.notice = is_notice_row(f);
    if (row.notice) row.no.reset();
    row.author = read_author(f.author);
    row.date = read_date(f.date, r);
    if (f.views != nullptr) row.views = first_int(shown_text(f.views));
    return row;
}

// Fields of a row by the classes of its elements (XE "title", "author", "time"; gnuboard
// "td_subject", "sv_member"; "nick", "date", "regdate" of custom skins).
row_fields class_fields(node row) {
    row_fields f;
    f.row = row;
    dom::walk(row, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c)) return false;
        if (c == row) return true;
        switch (classify_by_class(c)) {
            case column_kind::number:
                if (f.number == nullptr) f.number = c;
                break;
            case column_kind::title:
                if (f.title == nullptr) f.title = c;
                break;
            case column_kind::author:
                if (f.author == nullptr) f.author = c;
                break;
            case column_kind::date:
                if (f.date == nullptr) f.date = c;
                break;
            case column_kind::views:
                if (f.views == nullptr) f.views = c;
                break;
            default:
                break;
        }
        return true;
    });
    return f;
}

// The element of a row whose whole text is a date or a time ("2024.07.18", "14:32", "3분 전").
// Icons beside the text (<i class="fa fa-clock"></i> 2 분 전) are allowed: elements without text.
node text_date_field(node row) {
    return dom::find_first(row, [](node c) {
        if (!dom::is_element(c)) return false;
        std::string raw;
        for (node k : dom::children(c)) {
            if (dom::is_text(k)) raw += dom::text_of(k);
            if (raw.size() > max_date_text_bytes) return false;
        }
        const std::string text = normalize_whitespace(raw);
        if (!looks_like_date(text)) return false;
        for (node k : dom::children(c)) {
            if (dom::is_element(k) && dom::visible_chars_above(k, 0)) return false;
        }
        return true;
    });
}

bool is_field(const row_fields& f, node n) {
    return inside_or_is(n, f.number) || inside_or_is(n, f.author) || inside_or_is(n, f.date) ||
           inside_or_is(n, f.views);
}

// The row's main link: the usable <a> (the row itself included) with the longest title text.
node main_link(node row) {
    node best = nullptr;
    std::size_t best_len = 0;
    auto consider = [&](node a) {
        const std::size_t len = title_text(a).size();
        if (len > best_len) {
            best = a;
            best_len = len;
        }
    };
    if (dom::has_tag(row, GUMBO_TAG_A) && is_usable_link(row)) consider(row);
    dom::find_all(
        row, [&](node c) { return c != row && dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c); }, consider);
    return best;
}

std::size_t own_text_bytes(node n) {
    std::size_t bytes = 0;
    for (node c : dom::children(n)) {
        if (dom::is_text(c)) bytes += normalize_whitespace(dom::text_of(c)).size();
    }
    return bytes;
}

// A row without a title class: its main link, or, when that link wraps the whole row with its
// date and name (mobile lists: <a><strong>title</strong> <time>..</time> <span>name</span></a>),
// the element inside it with the longest own text that is none of the fields.
node structural_title(node row, const row_fields& f) {
    node link = main_link(row);
    if (link == nullptr) return nullptr;
    const bool wraps_fields = [&] {
        for (node field : {f.number, f.author, f.date, f.views}) {
            if (field != nullptr && dom::is_ancestor(link, field)) return true;
        }
        return false;
    }();
    if (!wraps_fields) return link;
    node best = nullptr;
    std::size_t best_bytes = 0;
    dom::walk(link, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c) || is_field(f, c)) return false;
        if (const std::size_t bytes = own_text_bytes(c); bytes > best_bytes) {
            best = c;
            best_bytes = bytes;
        }
        return true;
    });
    return best;
}

// A name without a class, in a row whose link wraps the title and the date (mobile lists:
// <a><strong>title</strong> <time>..</time> <span>name</span></a>): a short leaf inside that
// link after the date (else the last one) that is not the title, a number, a date, a count
// ("조회 12") or a notice word. Outside such a link a bare short text is as likely a news
// list's publisher (Naver's span.writing) as a name, and is not taken.
node structural_author(node row, const row_fields& f) {
    if (f.title == nullptr || f.date == nullptr) return nullptr;
    node link =
        dom::closest_ancestor(f.date, [&](node c) { return dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c); });
    if (link == nullptr || (link != row && !dom::is_ancestor(row, link)) || !inside_or_is(f.title, link)) {
        return nullptr;
    }
    node after_date = nullptr, last = nullptr;
    bool date_passed = false;
    dom::walk(link, [&](node c) {
        if (after_date != nullptr || !dom::is_element(c) || is_hidden_element(c)) return false;
        if (c == f.date) {
            date_passed = true;
            return false;
        }
        if (inside_or_is(c, f.title) || is_field(f, c)) return false;
        if (dom::child_count(c) != 1 || !dom::is_text(dom::child_at(c, 0))) return true;
        if (contains_any(dom::attr_or_empty(c, "class"), class_exclusions)) return false;
        const std::string t = normalize_whitespace(dom::text_of(dom::child_at(c, 0)));
        if (t.empty() || code_points(t) > max_bare_author_chars || parse_int(t) || looks_like_date(t) ||
            equals_any(t, notice_words) || (first_int(t) && t.find(' ') != std::string::npos)) {
            return false;
        }
        (date_passed ? after_date : last) = c;
        return false;
    });
    return after_date != nullptr ? after_date : last;
}

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
                              column_kind::views, column_kind::votes}) {
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
                       node a = dom::find_first(
                           cell, [](node x) { return dom::has_tag(x, GUMBO_TAG_A) && is_usable_link(x); });
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
    return !dom::visible_chars_above(tr, 0) &&
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

// ---- lists (ul/li, div rows, mobile and gallery skins) --------------------------------------

// Fields of a list row by the classes of its elements, else by structure: a date by its
// text, the title in the row's main link, a bare name after the date.
row_fields list_row_fields(node row) {
    row_fields f = class_fields(row);
    if (f.date != nullptr && best_date_text(f.date).empty()) f.date = nullptr;
    if (f.date == nullptr) f.date = text_date_field(row);
    if (f.title == nullptr) f.title = structural_title(row, f);
    if (f.author == nullptr) f.author = structural_author(row, f);
    if (f.number != nullptr && !parse_int(shown_text(f.number)) && !is_notice_row(f)) f.number = nullptr;
    // A "num" after the title is a count (Humoruniv's span.ok_num votes), as in tables.
    if (f.number != nullptr && f.title != nullptr && comes_before(row, f.title, f.number)) f.number = nullptr;
    if (f.views != nullptr && !first_int(shown_text(f.views))) f.views = nullptr;
    return f;
}

// The children of a container that look like its repeated rows: the most common tag
// among them, if it occurs often enough.
std::vector<node> repeated_children(node container) {
    std::vector<node> rows;
    // Every element of the page is asked: most have too few children to hold rows at all.
    if (dom::child_count(container) < min_headerless_rows) return rows;
    // Few distinct tags: a small vector beats a hash map (this runs for every element with children).
    std::vector<std::pair<std::string, std::size_t>> counts;
    for (node c : dom::children(container)) {
        if (!dom::is_element(c)) continue;
        std::string tag = dom::tag_name(c);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& tc) { return tc.first == tag; });
        if (it == counts.end()) {
            counts.emplace_back(std::move(tag), 1);
        } else {
            ++it->second;
        }
    }
    std::string best;
    std::size_t best_count = 0;
    for (const auto& [tag, count] : counts) {
        if (count > best_count || (count == best_count && tag < best)) {
            best = tag;
            best_count = count;
        }
    }
    if (best_count < min_headerless_rows) return rows;
    for (node c : dom::children(container)) {
        if (dom::has_tag(c, best)) rows.push_back(c);
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
    // Most lists are menus and link lists: once too many rows lack a title or a date for the
    // shares checked below, the rest need not be read (nothing is returned either way).
    std::vector<row_fields> fields;
    std::size_t without_title = 0, without_date = 0;
    for (node row : rows) {
        if (dom::visible_chars_above(row, max_list_row_chars)) return {};
        fields.push_back(list_row_fields(row));
        without_title += fields.back().title == nullptr ? 1 : 0;
        without_date += fields.back().date == nullptr ? 1 : 0;
        if (!enough(rows.size() - without_title, rows.size()) || !enough(rows.size() - without_date, rows.size())) {
            return {};
        }
    }
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

// ---- row semantics: which rows are the board's own posts ----------------------------------

// Where a row leads, as far as telling boards apart goes: host, path with the digits of its last
// segment dropped ("/market/board/1020/read/#"), and the first query parameter when it names
// something ("id=mf", "bo_table=free", "mid=hotdeal"). Posts of one board share it.
std::string board_key(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    const std::size_t q = url.find('?');
    std::string_view path = url.substr(0, q);
    std::string_view query = q == std::string_view::npos ? std::string_view{} : url.substr(q + 1);
    const std::size_t last_slash = path.rfind('/');
    std::string key(path.substr(0, last_slash == std::string_view::npos ? 0 : last_slash + 1));
    if (last_slash != std::string_view::npos) {
        for (char c : path.substr(last_slash + 1))
            if (!is_digit(c)) key += c;
    }
    const std::string_view first = query.substr(0, query.find('&'));
    const std::size_t eq = first.find('=');
    if (eq != std::string_view::npos && !parse_int(first.substr(eq + 1))) {
        key += '?';
        key += first;
    }
    return key;
}

// The key most regular rows share, if enough of them do.
std::optional<std::string> common_board_key(const std::vector<core::board_row>& rows) {
    std::vector<std::pair<std::string, std::size_t>> counts;
    std::size_t regular = 0;
    for (const auto& row : rows) {
        if (row.notice) continue;
        ++regular;
        std::string key = board_key(row.url);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& kc) { return kc.first == key; });
        if (it == counts.end()) {
            counts.emplace_back(std::move(key), 1);
        } else {
            ++it->second;
        }
    }
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best == counts.end() || best->second * 100 < regular * min_own_board_key_pct) return std::nullopt;
    return best->first;
}

// The board's own posts (issue #15): a row leading to another board or site (an operator's
// link to a news site, a notice of the site-wide board) is left out unless it is a notice; a
// row whose post is listed again further down (a pinned or "best" copy above the list) is
// left out unless the page marks it as a notice.
void keep_own_posts(std::vector<core::board_row>& rows) {
    const auto key = common_board_key(rows);
    std::vector<core::board_row> kept;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        if (!row.notice && key && board_key(row.url) != *key) continue;
        const bool repeated = std::any_of(rows.begin() + static_cast<std::ptrdiff_t>(i) + 1, rows.end(),
                                          [&](const core::board_row& later) { return later.url == row.url; });
        if (repeated && !row.notice) continue;
        kept.push_back(std::move(row));
    }
    rows = std::move(kept);
}

std::size_t regular_rows(const std::vector<core::board_row>& rows) {
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const core::board_row& r) { return !r.notice; }));
}

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
    // first numbered link after it.
    std::optional<std::int64_t> current;
    std::optional<std::string> next_numbered, next_word, second_page;
    dom::walk(pagination, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c) || next_numbered) return false;
        const bool link = dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c);
        const bool leaf_like = link || dom::has_tag(c, GUMBO_TAG_STRONG) || dom::has_tag(c, GUMBO_TAG_SPAN) ||
                               dom::has_tag(c, GUMBO_TAG_EM) || dom::has_tag(c, GUMBO_TAG_B) ||
                               dom::has_tag(c, GUMBO_TAG_A);
        if (!leaf_like) return true;
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

}  // namespace

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
    // 2. the board's own list is the run with the most regular rows; other runs (a best widget,
    // a sidebar of recent posts) are left out, except notice blocks above or below it.
    auto main_run = std::max_element(runs.begin(), runs.end(), [](const run& a, const run& b) {
        return regular_rows(a.rows) < regular_rows(b.rows);
    });
    for (auto& rn : runs) {
        const bool notices_only = regular_rows(rn.rows) == 0;
        if (&rn != &*main_run && !notices_only) continue;
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
