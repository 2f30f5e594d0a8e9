// Korean and ISO 8601 date strings (article date lines, board cells) to ISO 8601.
#include "text/korean_date.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <ctime>

#include "text/normalize.hpp"

namespace gisa::text {
namespace {

constexpr int min_year = 1900;
constexpr int max_year = 2100;
constexpr int korea_offset_minutes = 9 * 60;
constexpr int max_offset_minutes = 14 * 60;    // UTC+14 is the furthest zone
constexpr int two_digit_year_base = 2000;      // board cells: "24.07.18" is 2024
constexpr std::size_t max_weekday_bytes = 16;  // "(목)", "(목요일)", "(Thu)"
constexpr int minutes_per_day = 24 * 60;

struct date_parts {
    int year = 0;
    int month = 0;
    int day = 0;
};

struct time_parts {
    int hour = 0;
    int minute = 0;
    int second = 0;
};

struct stamp {
    date_parts date;
    std::optional<time_parts> time;
    std::optional<int> offset_minutes;  // none: Korean local time
    bool zulu = false;                  // the offset was written "Z"
};

// A read position over text, copied to backtrack.
class cursor {
  public:
    explicit cursor(std::string_view text, std::size_t pos = 0) : text_(text), pos_(pos) {}

    bool done() const noexcept { return pos_ >= text_.size(); }
    std::size_t pos() const noexcept { return pos_; }
    char peek() const noexcept { return done() ? '\0' : text_[pos_]; }
    bool at_digit() const noexcept { return peek() >= '0' && peek() <= '9'; }

    // Reads min..max digits; fails (consuming nothing) if fewer, or if more digits follow.
    std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
        std::size_t end = pos_;
        int value = 0;
        while (end < text_.size() && text_[end] >= '0' && text_[end] <= '9' && end - pos_ < max_digits) {
            value = value * 10 + (text_[end] - '0');
            ++end;
        }
        const std::size_t count = end - pos_;
        if (count < min_digits || (end < text_.size() && text_[end] >= '0' && text_[end] <= '9')) return std::nullopt;
        pos_ = end;
        return value;
    }

    // Consumes `word` if it comes next (ASCII letters compared case-insensitively).
    bool literal(std::string_view word) {
        if (text_.size() - pos_ < word.size() || pos_ > text_.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k) {
            if (lower(text_[pos_ + k]) != lower(word[k])) return false;
        }
        pos_ += word.size();
        return true;
    }

    bool one_of(std::string_view chars, char& which) {
        if (done() || chars.find(peek()) == std::string_view::npos) return false;
        which = text_[pos_++];
        return true;
    }

    // Skips spaces, tabs and NBSPs; returns whether any were skipped.
    bool skip_spaces() {
        const std::size_t start = pos_;
        for (;;) {
            if (peek() == ' ' || peek() == '\t') {
                ++pos_;
            } else if (!literal("\xC2\xA0")) {
                break;
            }
        }
        return pos_ != start;
    }

    void advance(std::size_t bytes) noexcept { pos_ = bytes < text_.size() - pos_ ? pos_ + bytes : text_.size(); }

    void skip_digits() {
        while (at_digit())
            ++pos_;
    }

    std::string_view rest() const noexcept { return done() ? std::string_view{} : text_.substr(pos_); }

  private:
    static char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

    std::string_view text_;
    std::size_t pos_;
};

bool is_leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
    constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

bool valid_date(const date_parts& d) noexcept {
    return d.year >= min_year && d.year <= max_year && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

bool valid_time(const time_parts& t) noexcept {
    return t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 59;
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(date_parts d) noexcept {
    const int y = d.month <= 2 ? d.year - 1 : d.year;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int mp = (d.month + 9) % 12;
    const int doy = (153 * mp + 2) / 5 + d.day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

date_parts civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<int>(z - era * 146097);
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int day = doy - (153 * mp + 2) / 5 + 1;
    const int month = mp < 10 ? mp + 3 : mp - 9;
    const auto year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
    return {year, month, day};
}

std::string format_date(const date_parts& d) {
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

std::string format_stamp(const stamp& s) {
    std::string out = format_date(s.date);
    if (!s.time) return out;
    out += fmt::format("T{:02}:{:02}:{:02}", s.time->hour, s.time->minute, s.time->second);
    if (s.zulu) return out + "Z";
    if (!s.offset_minutes) return out + std::string(korea_utc_offset);
    const int offset = *s.offset_minutes;
    const int magnitude = offset < 0 ? -offset : offset;
    return out + fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

// --- dates ---

// "2024.07.18", "2024. 7. 18.", "2024-07-18", "2024/07/18" after the year.
std::optional<date_parts> numeric_date_tail(cursor& c, int year) {
    char sep = 0;
    if (!c.one_of(".-/", sep)) return std::nullopt;
    const bool dotted = sep == '.';
    if (dotted) c.skip_spaces();
    const auto month = c.number(1, 2);
    if (!month) return std::nullopt;
    if (dotted) c.skip_spaces();
    if (!c.literal(std::string_view(&sep, 1))) return std::nullopt;
    if (dotted) c.skip_spaces();
    const auto day = c.number(1, 2);
    if (!day) return std::nullopt;
    if (dotted) c.literal(".");
    return date_parts{year, *month, *day};
}

// "2024년 7월 18일" after the year.
std::optional<date_parts> korean_date_tail(cursor& c, int year) {
    c.skip_spaces();
    if (!c.literal("년")) return std::nullopt;
    c.skip_spaces();
    const auto month = c.number(1, 2);
    c.skip_spaces();
    if (!month || !c.literal("월")) return std::nullopt;
    c.skip_spaces();
    const auto day = c.number(1, 2);
    c.skip_spaces();
    if (!day || !c.literal("일")) return std::nullopt;
    return date_parts{year, *month, *day};
}

constexpr std::array<std::string_view, 7> weekday_names = {"월요일", "화요일", "수요일", "목요일",
                                                           "금요일", "토요일", "일요일"};

// A weekday after a date: "(목)", "(목요일)", "(Thu)", "목요일".
void skip_weekday(cursor& c) {
    cursor probe = c;
    probe.skip_spaces();
    for (auto name : weekday_names) {
        if (probe.literal(name)) {
            c = probe;
            return;
        }
    }
    if (!probe.literal("(")) return;
    const std::string_view rest = probe.rest();
    const std::size_t close = rest.find(')');
    if (close == std::string_view::npos || close > max_weekday_bytes) return;
    for (char ch : rest.substr(0, close)) {
        if (ch >= '0' && ch <= '9') return;
    }
    probe.advance(close + 1);
    c = probe;
}

// --- times ---

enum class meridiem { none, am, pm };

meridiem read_meridiem(cursor& c) {
    if (c.literal("오전") || c.literal("a.m.") || c.literal("am")) return meridiem::am;
    if (c.literal("오후") || c.literal("p.m.") || c.literal("pm")) return meridiem::pm;
    return meridiem::none;
}

// "9:05", "09:05:33.120" after the hour.
std::optional<time_parts> colon_time_tail(cursor& c, int hour) {
    if (!c.literal(":")) return std::nullopt;
    const auto minute = c.number(2, 2);
    if (!minute) return std::nullopt;
    time_parts t{hour, *minute, 0};
    cursor probe = c;
    if (probe.literal(":")) {
        if (const auto second = probe.number(2, 2)) {
            t.second = *second;
            c = probe;
            if (c.literal(".") || c.literal(",")) c.skip_digits();
        }
    }
    return t;
}

// "9시", "9시 5분", "9시 5분 30초" after the hour.
std::optional<time_parts> korean_time_tail(cursor& c, int hour) {
    c.skip_spaces();
    if (!c.literal("시")) return std::nullopt;
    time_parts t{hour, 0, 0};
    cursor probe = c;
    probe.skip_spaces();
    const auto minute = probe.number(1, 2);
    probe.skip_spaces();
    if (!minute || !probe.literal("분")) return t;
    t.minute = *minute;
    c = probe;
    probe.skip_spaces();
    const auto second = probe.number(1, 2);
    probe.skip_spaces();
    if (second && probe.literal("초")) {
        t.second = *second;
        c = probe;
    }
    return t;
}

// Applies 오전/오후 (AM/PM) to an hour; 24-hour values after 오후 are taken as written.
void apply_meridiem(time_parts& t, meridiem m) noexcept {
    if (m == meridiem::none || t.hour > 12) return;
    if (m == meridiem::pm && t.hour < 12) t.hour += 12;
    if (m == meridiem::am && t.hour == 12) t.hour = 0;
}

// "Z", "+09:00", "+0900", "+09", " KST", " UTC" after a time; false if out of range.
bool read_offset(cursor& c, stamp& s) {
    if (c.literal("Z")) {
        s.offset_minutes = 0;
        s.zulu = true;
        return true;
    }
    cursor probe = c;
    probe.skip_spaces();
    if (probe.literal("KST")) {
        s.offset_minutes = korea_offset_minutes;
        c = probe;
        return true;
    }
    if (probe.literal("UTC") || probe.literal("GMT")) {
        s.offset_minutes = 0;
        c = probe;
        return true;
    }
    char sign = 0;
    if (!probe.one_of("+-", sign)) return true;
    const auto hours = probe.number(2, 2);
    if (!hours) return true;
    int minutes = 0;
    cursor after_hours = probe;
    after_hours.literal(":");
    if (const auto m = after_hours.number(2, 2)) {
        minutes = *m;
        probe = after_hours;
    }
    s.offset_minutes = (sign == '-' ? -1 : 1) * (*hours * 60 + minutes);
    c = probe;
    return minutes <= 59 && *hours * 60 + minutes <= max_offset_minutes;
}

enum class parse_outcome { absent, valid, invalid };

// A time after a date: "T09:12:00+09:00", " 오후 3:12", " 15:12", " 오전 9시 5분", " 3:12 PM".
parse_outcome read_time(cursor& c, stamp& s) {
    cursor probe = c;
    if (!probe.literal("T")) probe.skip_spaces();
    meridiem m = read_meridiem(probe);
    probe.skip_spaces();
    const auto hour = probe.number(1, 2);
    if (!hour) return parse_outcome::absent;
    auto t = colon_time_tail(probe, *hour);
    if (!t) t = korean_time_tail(probe, *hour);
    if (!t) return parse_outcome::absent;
    if (m == meridiem::none) {
        cursor after = probe;
        after.skip_spaces();
        if ((m = read_meridiem(after)) != meridiem::none) probe = after;
    }
    apply_meridiem(*t, m);
    s.time = *t;
    const bool offset_ok = read_offset(probe, s);
    c = probe;
    return valid_time(*t) && offset_ok ? parse_outcome::valid : parse_outcome::invalid;
}

// A full date (four-digit year) with an optional time, starting at c.
std::optional<stamp> read_stamp(cursor& c) {
    const auto year = c.number(4, 4);
    if (!year) return std::nullopt;
    cursor numeric = c;
    auto date = numeric_date_tail(numeric, *year);
    if (date) {
        c = numeric;
    } else if (date = korean_date_tail(c, *year); !date) {
        return std::nullopt;
    }
    stamp s{*date, std::nullopt, std::nullopt, false};
    if (!valid_date(s.date)) return std::nullopt;
    skip_weekday(c);
    if (read_time(c, s) == parse_outcome::invalid) return std::nullopt;
    return s;
}

bool is_digit(char ch) noexcept {
    return ch >= '0' && ch <= '9';
}

std::optional<stamp> find_stamp(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        if (!is_digit(text[pos]) || (pos > 0 && is_digit(text[pos - 1]))) continue;
        cursor c(text, pos);
        if (auto s = read_stamp(c)) return s;
    }
    return std::nullopt;
}

// --- board cells ---

// The reference instant in Korean local time.
std::optional<stamp> korean_reference(std::string_view reference_iso) {
    auto ref = find_stamp(reference_iso);
    if (!ref || !ref->time || !ref->offset_minutes || *ref->offset_minutes == korea_offset_minutes) return ref;
    const std::int64_t minutes = days_from_civil(ref->date) * minutes_per_day + ref->time->hour * 60 +
                                 ref->time->minute - *ref->offset_minutes + korea_offset_minutes;
    const std::int64_t day =
        minutes >= 0 ? minutes / minutes_per_day : (minutes - minutes_per_day + 1) / minutes_per_day;
    const auto minute_of_day = static_cast<int>(minutes - day * minutes_per_day);
    ref->date = civil_from_days(day);
    ref->time = time_parts{minute_of_day / 60, minute_of_day % 60, ref->time->second};
    ref->offset_minutes.reset();
    ref->zulu = false;
    return ref;
}

std::optional<std::string> finish(cursor& c, const stamp& s) {
    c.skip_spaces();
    if (!c.done() || !valid_date(s.date) || (s.time && !valid_time(*s.time))) return std::nullopt;
    return format_stamp(s);
}

// "24.07.18" or "24-07-18", optional time.
std::optional<std::string> two_digit_year_date(cursor c) {
    const auto year = c.number(2, 2);
    if (!year) return std::nullopt;
    auto date = numeric_date_tail(c, two_digit_year_base + *year);
    if (!date) return std::nullopt;
    stamp s{*date, std::nullopt, std::nullopt, false};
    if (read_time(c, s) == parse_outcome::invalid) return std::nullopt;
    return finish(c, s);
}

// The year of the reference, or the year before when the day would be in the future.
date_parts place_in_year(int month, int day, const date_parts& reference) {
    date_parts d{reference.year, month, day};
    if (!valid_date(d)) return d;
    if (days_from_civil(d) > days_from_civil(reference) + 1) d.year -= 1;
    return d;
}

// "07-18", "07.18", "7/18", "7월 18일", optional time.
std::optional<std::string> month_day_date(cursor c, const date_parts& reference) {
    const auto month = c.number(1, 2);
    if (!month) return std::nullopt;
    std::optional<int> day;
    char sep = 0;
    if (c.one_of(".-/", sep)) {
        day = c.number(1, 2);
        if (sep == '.') c.literal(".");
    } else {
        c.skip_spaces();
        if (!c.literal("월")) return std::nullopt;
        c.skip_spaces();
        day = c.number(1, 2);
        c.skip_spaces();
        if (!c.literal("일")) return std::nullopt;
    }
    if (!day || *month < 1 || *month > 12) return std::nullopt;
    stamp s{place_in_year(*month, *day, reference), std::nullopt, std::nullopt, false};
    if (read_time(c, s) == parse_outcome::invalid) return std::nullopt;
    return finish(c, s);
}

// "14:32" or "14:32:10" on the reference's day.
std::optional<std::string> time_only(cursor c, const date_parts& reference) {
    const auto hour = c.number(1, 2);
    if (!hour) return std::nullopt;
    auto t = colon_time_tail(c, *hour);
    if (!t) return std::nullopt;
    return finish(c, stamp{reference, *t, std::nullopt, false});
}

// Shifts a Korean local reference back by `minutes`.
stamp minus_minutes(const stamp& reference, std::int64_t minutes) {
    const time_parts t = reference.time.value_or(time_parts{});
    std::int64_t total = days_from_civil(reference.date) * minutes_per_day + t.hour * 60 + t.minute - minutes;
    const std::int64_t day = total >= 0 ? total / minutes_per_day : (total - minutes_per_day + 1) / minutes_per_day;
    total -= day * minutes_per_day;
    const auto minute_of_day = static_cast<int>(total);
    return stamp{civil_from_days(day), time_parts{minute_of_day / 60, minute_of_day % 60, t.second}, std::nullopt,
                 false};
}

struct relative_unit {
    std::string_view word;
    std::int64_t minutes;  // 0 for seconds: "N초 전" is the reference time itself
    bool date_only;
};
constexpr std::array relative_units = {
    relative_unit{"초", 0, false},
    relative_unit{"분", 1, false},
    relative_unit{"시간", 60, false},
    relative_unit{"일", minutes_per_day, true},
};

// "방금", "N분 전", "N시간 전", "N일 전", "어제", "오늘".
std::optional<std::string> relative_date(cursor c, const stamp& reference) {
    if (c.literal("방금")) {
        c.skip_spaces();
        c.literal("전");
        return reference.time ? finish(c, reference) : std::nullopt;
    }
    if (c.literal("오늘")) return finish(c, stamp{reference.date, std::nullopt, std::nullopt, false});
    if (c.literal("어제")) return finish(c, stamp{minus_minutes(reference, minutes_per_day).date, {}, {}, false});
    const auto count = c.number(1, 4);
    if (!count) return std::nullopt;
    c.skip_spaces();
    for (const auto& unit : relative_units) {
        if (!c.literal(unit.word)) continue;
        c.skip_spaces();
        if (!c.literal("전")) return std::nullopt;
        stamp s = minus_minutes(reference, *count * unit.minutes);
        if (unit.date_only) s.time.reset();
        if (!unit.date_only && !reference.time) return std::nullopt;
        return finish(c, s);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_korean_datetime(std::string_view text) {
    auto s = find_stamp(text);
    if (!s) return std::nullopt;
    return format_stamp(*s);
}

std::optional<std::string> parse_board_date(std::string_view cell, std::string_view reference_iso) {
    const std::string text = normalize_space(cell);
    if (auto full = parse_korean_datetime(text)) return full;
    if (auto dated = two_digit_year_date(cursor(text))) return dated;
    const auto reference = korean_reference(reference_iso);
    if (!reference) return std::nullopt;
    if (auto dated = month_day_date(cursor(text), reference->date)) return dated;
    if (auto timed = time_only(cursor(text), reference->date)) return timed;
    return relative_date(cursor(text), *reference);
}

std::string korean_now_iso() {
    constexpr std::time_t kst_offset_s = 9 * 3600;
    const std::time_t now = std::time(nullptr) + kst_offset_s;
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+09:00", &parts);
    return text;
}

}  // namespace gisa::text
