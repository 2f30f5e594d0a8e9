// Dates in board lists ("2024-07-18", "24.07.18", "07-18 14:32", "14:32", "3분 전", "어제"), read and
// resolved against the time the list was seen (board.cpp's rows and column inference use these).
#pragma once

#include <string>
#include <string_view>

namespace gisa::extract {

// True when the whole (trimmed) text is a date or a time, nothing else: used to recognise date
// columns and date fields by their content.
bool looks_like_date(std::string_view text);

// True when the whole text counts back from when the list was seen: "3분 전", "23분전", "2시간 전",
// "방금", "어제", "어제 14:35", "일요일 11:47" (part of looks_like_date).
bool looks_like_relative_date(std::string_view text);

// How much a date text says: a full date-time beats a date, which beats "07-18" or "14:32"; 0 when
// the text is not a date.
int date_detail(std::string_view text);

// The reference that short dates are resolved against, as ISO 8601: `given` (the fetch time or the
// page's date) when it parses, else now in Korean time.
std::string board_reference(std::string_view given);

}  // namespace gisa::extract
