// The extraction record: what one page yields. Field names are the JSON contract
// of docs/DESIGN.md ("Extraction record"); fixtures pin them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gisa::core {

// One row of a board list (번호 / 제목 / 글쓴이 / 날짜 / 조회).
struct board_row {
    std::optional<std::int64_t> no;  // null for notice rows
    std::string title;
    std::string url;  // absolute
    std::optional<std::string> author;
    std::optional<std::string> date;  // ISO date, or date-time with offset
    std::optional<std::int64_t> views;
    bool notice = false;
    // The category or shop prefix when the page keeps it apart from the title (a 분류 column,
    // gnuboard's a.bo_cate_link, XE's span.category, a "[질문]" in its own element); never in title.
    std::optional<std::string> category;

    friend bool operator==(const board_row&, const board_row&) = default;
};

struct board_list {
    std::vector<board_row> rows;
    std::optional<std::string> next_page;  // absolute URL

    friend bool operator==(const board_list&, const board_list&) = default;
};

struct page_record {
    std::string url;                   // as asked for
    std::string final_url;             // after redirects; equal to url for files
    std::string charset;               // as detected, e.g. "UTF-8", "CP949"
    std::uint64_t replaced_bytes = 0;  // undecodable bytes turned into U+FFFD

    std::optional<std::string> title;
    std::optional<std::string> subtitle;
    std::vector<std::string> body;  // paragraphs; empty when the page holds no article
    std::vector<std::string> captions;
    std::optional<std::string> byline;
    std::optional<std::string> publisher;
    std::optional<std::string> published_at;  // ISO 8601 with offset
    std::optional<std::string> modified_at;

    board_list board;
    std::vector<std::string> links_out;

    // Why the body is empty, or what was refused ("no article found", ...);
    // empty when an article was found. Never a made-up body.
    std::vector<std::string> notes;

    bool has_article() const noexcept { return !body.empty(); }

    friend bool operator==(const page_record&, const page_record&) = default;
};

}  // namespace gisa::core
