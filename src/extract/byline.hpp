// Stage "byline, publisher, dates": reading reporter names, e-mails and date lines from text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gisa::extract {

// The reporter named in a line, as the record writes it: "김철수 기자", "김철수·이영희 기자",
// "이영희 특파원", with an e-mail when the line has one after the name: "김철수 기자 kim@x.com".
// Finds "<name> 기자" where name is 2..4 Hangul syllables (several joined by · or ,) and the
// title word is not the start of a longer word (기자회견). nullopt when there is none.
std::optional<std::string> find_byline(std::string_view line);

// The first e-mail address in text, or nullopt.
std::optional<std::string> find_email(std::string_view text);

// Dates of a dates line ("입력 2024.07.18 15:12 수정 2024.07.18 16:40"): published from
// 입력/등록/기사입력/송고/발행/승인/작성, modified from 수정/최종수정/업데이트.
struct line_dates {
    std::optional<std::string> published;
    std::optional<std::string> modified;
    bool labelled = false;  // a date label was found next to a date
};
line_dates read_date_line(std::string_view line);

// True for a short line that is only dates ("입력 2024.07.18 15:12", "2024-07-18 09:12").
bool is_date_line(std::string_view line);

}  // namespace gisa::extract
