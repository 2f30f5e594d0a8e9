// Korean and ISO 8601 date strings (article date lines, board cells) to ISO 8601.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gisa::text {

// The offset given to Korean local times that carry none.
inline constexpr std::string_view korea_utc_offset = "+09:00";

// Finds the first date in `text` and returns it as ISO 8601:
//   "2024.07.18"                     -> "2024-07-18"           (a date without a time stays a date)
//   "입력 2024.07.18. 오후 3:12"     -> "2024-07-18T15:12:00+09:00"
//   "2024년 7월 18일 오전 9시 5분"   -> "2024-07-18T09:05:00+09:00"
//   "2024/07/18 09:12:33", "2024-07-18 09:12", "2024. 7. 18. (목) 15:12"
//   "2024-07-18T00:12:00.000Z"       -> "2024-07-18T00:12:00Z" (an explicit offset is kept, in
//                                       the form +HH:MM, or Z; fractions of a second are dropped)
// Times without an offset are Korean local times (+09:00). Years 1900..2100 with four
// digits only. An impossible date or time (month 13, Feb 30, 25:00, 오후 3:61) makes the
// candidate fail, and the search goes on after it. nullopt when no date is found.
std::optional<std::string> parse_korean_datetime(std::string_view text);

// Parses a board-list date cell. Full dates are read as by parse_korean_datetime; the
// short forms boards use are resolved against `reference_iso` (the page's date or the
// fetch time, ISO 8601; converted to Korean time first):
//   "14:32", "14:32:10"        -> the reference's date, that time, +09:00
//   "07-18", "07.18", "07/18"  -> that day of the reference's year ("2024-07-18"), or of the
//                                 year before when that would be over a day after the reference
//   "7월 18일"                 -> the same
//   "24.07.18", "24-07-18"     -> "2024-07-18" (two-digit years are 20yy), with an optional time
//   "방금", "N초 전", "N분 전", "N시간 전" -> the reference time minus that (date-time)
//   "N일 전", "어제", "오늘"    -> a date
// The whole cell (spaces trimmed) must be one of these short forms. nullopt otherwise, or
// when a short form needs a reference that is missing or unreadable.
std::optional<std::string> parse_board_date(std::string_view cell, std::string_view reference_iso);

// Now as ISO 8601 in Korean time ("2024-07-18T14:32:00+09:00"): the fetch time that board cells
// such as "14:32" are read against, since boards print today's posts in Korean time.
std::string korean_now_iso();

}  // namespace gisa::text
