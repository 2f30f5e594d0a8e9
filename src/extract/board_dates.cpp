// Dates in board lists (board_dates.hpp): a small scanner for Korean and numeric date forms, and
// their resolution against a reference day (a year-less "07-18", a time-only "14:32", "3분 전").
#include "extract/board_dates.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "extract/board.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {
namespace {

using namespace std::string_view_literals;

// "(목)" or "(Thu)" between a date and its time.
constexpr std::size_t max_weekday_bytes = 9;
// A list or headerless table row time later than the reference by more than this is from the day before.
constexpr std::chrono::minutes max_clock_skew{10};

struct local_time {
    std::chrono::sys_days day;
    std::optional<std::chrono::seconds> time;  // since midnight, Korean time
};

constexpr std::chrono::hours korea_offset{9};

struct scanner {
    std::string_view s;
    std::size_t i = 0;

    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool eat(std::string_view w) {
        if (s.substr(i, w.size()) != w) return false;
        i += w.size();
        return true;
    }
    void skip_spaces() {
        while (!done() && (s[i] == ' ' || s[i] == 'T'))
            ++i;
    }
    // Digits at i: value and count; nothing consumed when there are none.
    std::optional<std::pair<int, std::size_t>> number() {
        std::size_t j = i;
        int v = 0;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 5)
            v = v * 10 + (s[j++] - '0');
        if (j == i || (j < s.size() && s[j] >= '0' && s[j] <= '9')) return std::nullopt;
        std::pair<int, std::size_t> out{v, j - i};
        i = j;
        return out;
    }
};

std::optional<std::chrono::sys_days> make_day(int y, int m, int d) {
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days{ymd};
}

// "HH:MM" or "HH:MM:SS" at the scanner, optionally after "오전"/"오후" ("오후 2:35" is 14:35).
std::optional<std::chrono::seconds> scan_time(scanner& sc) {
    const std::size_t start = sc.i;
    const bool pm = sc.eat("오후");
    const bool am = !pm && sc.eat("오전");
    if (pm || am) sc.skip_spaces();
    auto h = sc.number();
    if (!h || h->second > 2 || !sc.eat(":")) {
        sc.i = start;
        return std::nullopt;
    }
    auto m = sc.number();
    if (!m || m->second != 2 || h->first > 23 || m->first > 59) {
        sc.i = start;
        return std::nullopt;
    }
    int sec = 0;
    const std::size_t before_seconds = sc.i;
    if (sc.eat(":")) {
        auto s = sc.number();
        if (s && s->second == 2 && s->first <= 59) {
            sec = s->first;
        } else {
            sc.i = before_seconds;
        }
    }
    int hour = h->first;
    if ((pm || am) && hour > 12) {
        sc.i = start;
        return std::nullopt;
    }
    if (pm && hour < 12) hour += 12;
    if (am && hour == 12) hour = 0;
    return std::chrono::hours{hour} + std::chrono::minutes{m->first} + std::chrono::seconds{sec};
}

bool eat_date_separator(scanner& sc) {
    return sc.eat(".") || sc.eat("-") || sc.eat("/");
}

struct parsed_date {
    std::optional<int> year;  // absent: "07-18"
    int month = 0;
    int day = 0;
    bool time_only = false;
    std::optional<std::chrono::seconds> time;
};

// Y.M.D, YY.MM.DD, M.D, 2024년 7월 18일, 7월 18일, optionally followed by a time; or a time alone.
using number_run = std::pair<int, std::size_t>;  // value, digit count

// "2024년 7월 18일" or "7월 18일", the first number already read.
std::optional<parsed_date> scan_korean_date(scanner& sc, number_run first) {
    parsed_date out;
    if (sc.eat("년")) {
        if (first.second != 4) return std::nullopt;
        out.year = first.first;
        sc.skip_spaces();
        auto m = sc.number();
        if (!m || !sc.eat("월")) return std::nullopt;
        out.month = m->first;
    } else if (sc.eat("월")) {
        out.month = first.first;
    } else {
        return std::nullopt;
    }
    sc.skip_spaces();
    auto d = sc.number();
    if (!d || !sc.eat("일")) return std::nullopt;
    out.day = d->first;
    return out;
}

// "2024.07.18", "24-07-18", "07/18", the first number already read.
std::optional<parsed_date> scan_numeric_date(scanner& sc, number_run first) {
    eat_date_separator(sc);
    auto b = sc.number();
    if (!b || b->second > 2) return std::nullopt;
    const std::size_t after_b = sc.i;
    std::optional<number_run> c;
    if (eat_date_separator(sc)) {
        c = sc.number();
        if (!c || c->second > 2) {
            sc.i = after_b;
            c.reset();
        }
    }
    sc.eat(".");
    if (!c) {
        if (first.second > 2) return std::nullopt;
        return parsed_date{std::nullopt, first.first, b->first, false, std::nullopt};
    }
    if (first.second == 4) return parsed_date{first.first, b->first, c->first, false, std::nullopt};
    if (first.second == 2) return parsed_date{2000 + first.first, b->first, c->first, false, std::nullopt};
    return std::nullopt;
}

// An optional "(목)" weekday and time after a date; an offset of +09:00 (Korean time) is read past.
void scan_time_after_date(scanner& sc, parsed_date& out) {
    const std::size_t before_time = sc.i;
    sc.skip_spaces();
    if (sc.eat("(")) {
        const std::size_t close = sc.s.find(')', sc.i);
        if (close != std::string_view::npos && close - sc.i <= max_weekday_bytes) sc.i = close + 1;
        sc.skip_spaces();
    }
    out.time = scan_time(sc);
    if (!out.time) {
        sc.i = before_time;
    } else if (!sc.eat("+09:00")) {
        sc.eat("+0900");
    }
}

// Y.M.D, YY.MM.DD, M.D, 2024년 7월 18일, 7월 18일, optionally followed by a time; or a time alone.
// Nothing is consumed when there is no date at the scanner.
std::optional<parsed_date> scan_date(scanner& sc) {
    const std::size_t start = sc.i;
    if (auto t = scan_time(sc)) return parsed_date{std::nullopt, 0, 0, true, t};
    auto first = sc.number();
    if (!first) return std::nullopt;
    const bool numeric = sc.peek() == '.' || sc.peek() == '-' || sc.peek() == '/';
    auto out = numeric ? scan_numeric_date(sc, *first) : scan_korean_date(sc, *first);
    if (!out || out->month < 1 || out->month > 12 || out->day < 1 || out->day > 31) {
        sc.i = start;
        return std::nullopt;
    }
    scan_time_after_date(sc, *out);
    return out;
}

std::optional<local_time> parse_reference(std::string_view iso) {
    scanner sc{iso};
    auto y = sc.number();
    if (!y || y->second != 4 || !sc.eat("-")) return std::nullopt;
    auto m = sc.number();
    if (!m || !sc.eat("-")) return std::nullopt;
    auto d = sc.number();
    if (!d) return std::nullopt;
    auto day = make_day(y->first, m->first, d->first);
    if (!day) return std::nullopt;
    local_time out{*day, std::nullopt};
    if (!sc.eat("T") && !sc.eat(" ")) return out;
    auto t = scan_time(sc);
    if (!t) return out;
    if (sc.eat(".")) {
        while (!sc.done() && sc.peek() >= '0' && sc.peek() <= '9')
            ++sc.i;
    }
    // The offset moves the instant to Korean time; no offset means Korean local time already.
    std::chrono::seconds offset = korea_offset;
    if (sc.eat("Z")) {
        offset = std::chrono::seconds{0};
    } else if (sc.peek() == '+' || sc.peek() == '-') {
        const int sign = sc.peek() == '-' ? -1 : 1;
        ++sc.i;
        auto oh = sc.number();
        if (oh && oh->second == 4) {
            offset = sign * (std::chrono::hours{oh->first / 100} + std::chrono::minutes{oh->first % 100});
        } else if (oh && sc.eat(":")) {
            auto om = sc.number();
            offset = sign * (std::chrono::hours{oh->first} + std::chrono::minutes{om ? om->first : 0});
        }
    }
    const std::chrono::sys_seconds instant = std::chrono::sys_seconds{*day} + *t - offset;
    const std::chrono::sys_seconds korea = instant + korea_offset;
    out.day = std::chrono::floor<std::chrono::days>(korea);
    out.time = korea - std::chrono::sys_seconds{out.day};
    return out;
}

local_time now_in_korea() {
    const auto korea = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + korea_offset;
    const auto day = std::chrono::floor<std::chrono::days>(korea);
    return local_time{day, korea - std::chrono::sys_seconds{day}};
}

void append_padded(std::string& out, long long value, std::size_t width) {
    std::string digits = std::to_string(value);
    if (digits.size() < width) out.append(width - digits.size(), '0');
    out += digits;
}

std::string format_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    std::string out;
    append_padded(out, static_cast<int>(ymd.year()), 4);
    out += '-';
    append_padded(out, static_cast<unsigned>(ymd.month()), 2);
    out += '-';
    append_padded(out, static_cast<unsigned>(ymd.day()), 2);
    return out;
}

std::string format_local(std::chrono::sys_days day, std::chrono::seconds time) {
    const auto h = std::chrono::duration_cast<std::chrono::hours>(time);
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(time - h);
    const auto s = time - h - m;
    std::string out = format_day(day);
    out += 'T';
    append_padded(out, h.count(), 2);
    out += ':';
    append_padded(out, m.count(), 2);
    out += ':';
    append_padded(out, s.count(), 2);
    out += "+09:00";
    return out;
}

std::string format_reference(const local_time& t) {
    return t.time ? format_local(t.day, *t.time) : format_day(t.day);
}

// Day words of mobile lists: "어제 14:35", "일요일 11:47" (the last such day before the reference).
constexpr std::array<std::string_view, 7> weekday_words{"일요일"sv, "월요일"sv, "화요일"sv, "수요일"sv,
                                                        "목요일"sv, "금요일"sv, "토요일"sv};

// How many days before the reference a day word at the start of text names; the scanner is left after it.
std::optional<int> days_back(scanner& sc, const local_time& ref) {
    if (sc.eat("오늘")) return 0;
    if (sc.eat("어제")) return 1;
    if (sc.eat("그제") || sc.eat("그저께")) return 2;
    const unsigned today = std::chrono::weekday{ref.day}.c_encoding();  // 0 = Sunday
    for (unsigned wd = 0; wd < weekday_words.size(); ++wd) {
        if (!sc.eat(weekday_words[wd])) continue;
        const unsigned back = (today + 7 - wd) % 7;
        return static_cast<int>(back == 0 ? 7 : back);
    }
    return std::nullopt;
}

// "어제", "일요일", optionally followed by a time: that day, counted back from the reference.
std::optional<std::string> resolve_day_word(std::string_view text, const local_time& ref) {
    scanner sc{text};
    auto back = days_back(sc, ref);
    if (!back) return std::nullopt;
    const auto day = ref.day - std::chrono::days{*back};
    sc.skip_spaces();
    if (sc.done()) return format_day(day);
    auto time = scan_time(sc);
    if (!time || !sc.done()) return std::nullopt;
    return format_local(day, *time);
}

// "3분 전", "2시간 전", "1일 전", "2주 전", "방금", "어제", "일요일 14:35": counted back from the reference.
std::optional<std::string> resolve_relative(std::string_view text, const local_time& ref) {
    if (icontains(text, "방금")) {
        return ref.time ? format_local(ref.day, *ref.time) : format_day(ref.day);
    }
    if (auto day = resolve_day_word(text, ref)) return day;
    if (icontains(text, "어제")) return format_day(ref.day - std::chrono::days{1});
    scanner sc{text};
    auto n = sc.number();
    if (!n) return std::nullopt;
    sc.skip_spaces();
    std::chrono::seconds back{0};
    if (sc.eat("초")) {
        back = std::chrono::seconds{n->first};
    } else if (sc.eat("분")) {
        back = std::chrono::minutes{n->first};
    } else if (sc.eat("시간")) {
        back = std::chrono::hours{n->first};
    } else if (sc.eat("일")) {
        sc.skip_spaces();
        if (!sc.eat("전")) return std::nullopt;
        return format_day(ref.day - std::chrono::days{n->first});
    } else if (sc.eat("주")) {
        sc.skip_spaces();
        if (!sc.eat("전")) return std::nullopt;
        return format_day(ref.day - std::chrono::days{7 * n->first});
    } else {
        return std::nullopt;
    }
    sc.skip_spaces();
    if (!sc.eat("전")) return std::nullopt;
    if (!ref.time) return format_day(ref.day);
    const std::chrono::sys_seconds at = std::chrono::sys_seconds{ref.day} + *ref.time - back;
    const auto day = std::chrono::floor<std::chrono::days>(at);
    return format_local(day, at - std::chrono::sys_seconds{day});
}

std::optional<std::string> resolve_parsed(const parsed_date& p, const local_time& ref) {
    if (p.time_only) {
        auto day = ref.day;
        // A time later than the reference was shown yesterday's (the list was seen after midnight).
        if (ref.time && *p.time > *ref.time + max_clock_skew) day -= std::chrono::days{1};
        return format_local(day, *p.time);
    }
    const std::chrono::year_month_day ref_ymd{ref.day};
    int year = p.year.value_or(static_cast<int>(ref_ymd.year()));
    auto day = make_day(year, p.month, p.day);
    if (!day) return std::nullopt;
    // "12-31" read on January 2nd is last year's.
    if (!p.year && *day > ref.day + std::chrono::days{1}) {
        day = make_day(year - 1, p.month, p.day);
        if (!day) return std::nullopt;
    }
    return p.time ? format_local(*day, *p.time) : format_day(*day);
}

}  // namespace

// True when the whole (trimmed) text is a date or a time, nothing else: used to recognise
// date columns and date fields by their content.
bool looks_like_date(std::string_view text) {
    if (text.empty() || text.size() > 40) return false;
    scanner sc{text};
    auto p = scan_date(sc);
    return (p && sc.done()) || looks_like_relative_date(text);
}

bool looks_like_relative_date(std::string_view text) {
    if (text.empty() || text.size() > 40) return false;
    if (text == "방금"sv || text == "방금 전"sv) return true;
    // Any reference will do: only whether the text reads as a day word or a count back matters.
    const local_time any{std::chrono::sys_days{std::chrono::days{0}}, std::chrono::hours{12}};
    if (resolve_day_word(text, any)) return true;
    scanner sc{text};
    if (!sc.number()) return false;
    sc.skip_spaces();
    if (!sc.eat("분") && !sc.eat("시간") && !sc.eat("일") && !sc.eat("초") && !sc.eat("주")) return false;
    sc.skip_spaces();
    return sc.eat("전") && sc.done();
}

// How much a date text says: a full date-time beats a date, which beats "07-18" or "14:32".
int date_detail(std::string_view text) {
    if (!looks_like_date(text)) return 0;
    scanner sc{text};
    auto p = scan_date(sc);
    if (!p || !sc.done()) return 1;  // "3분 전", "어제 14:35": as much as a time alone
    if (p->time_only) return 1;
    return (p->year ? 2 : 1) + (p->time ? 2 : 0);
}

std::string board_reference(std::string_view given) {
    const auto reference = given.empty() ? std::nullopt : parse_reference(given);
    return format_reference(reference.value_or(now_in_korea()));
}

std::optional<std::string> resolve_row_date(std::string_view cell, std::string_view reference) {
    const std::string text = normalize_whitespace(cell);
    const local_time ref = reference.empty() ? now_in_korea() : parse_reference(reference).value_or(now_in_korea());
    if (auto rel = resolve_relative(text, ref)) return rel;
    // The first place in the text where a date or a time starts ("Date 2024-04-03").
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool starts_number =
            text[i] >= '0' && text[i] <= '9' && (i == 0 || text[i - 1] < '0' || text[i - 1] > '9');
        const std::string_view rest = std::string_view(text).substr(i);
        if (!starts_number && !rest.starts_with("오후") && !rest.starts_with("오전")) continue;
        scanner sc{text, i};
        if (auto p = scan_date(sc)) return resolve_parsed(*p, ref);
    }
    return std::nullopt;
}

}  // namespace gisa::extract
