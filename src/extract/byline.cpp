// Stage "byline, publisher, dates": byline, e-mail and date-line readers (byline.hpp).
#include "extract/byline.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "extract/rules.hpp"
#include "extract/strings.hpp"
#include "text/korean_date.hpp"
#include "text/normalize.hpp"

namespace gisa::extract {

namespace {

using namespace std::string_view_literals;

constexpr std::size_t hangul_bytes = 3;
constexpr std::size_t min_name_syllables = 2;
constexpr std::size_t max_name_syllables = 4;
// Words written between a name and 기자 that belong to the title: "김철수 선임기자".
constexpr std::array title_modifiers{"선임"sv, "객원"sv, "인턴"sv, "전문"sv, "수습"sv, "수석"sv};
// Separators between co-authors: "김철수·이영희 기자". (Not commas: "[OSEN=대전, 지형준 기자]".)
constexpr std::array name_joiners{"·"sv, "ㆍ"sv, "∙"sv};
// Titles whose longer forms are other words: 기자회견, 기자단, 기자들.
constexpr std::array title_words{"기자"sv, "특파원"sv, "논설위원"sv, "기상캐스터"sv};

bool hangul_at(std::string_view s, std::size_t pos) {
    return text::is_hangul_syllable_at(s, pos);
}

// Start of the run of Hangul syllables that ends at `end` (byte offset), and its length.
std::size_t hangul_run_start(std::string_view s, std::size_t end, std::size_t& syllables) {
    syllables = 0;
    while (end >= hangul_bytes && hangul_at(s, end - hangul_bytes)) {
        end -= hangul_bytes;
        ++syllables;
    }
    return end;
}

// Names before `end`: "김철수" or "김철수·이영희"; returns the byte where they start, or npos.
std::size_t names_start(std::string_view s, std::size_t end) {
    std::size_t syllables = 0;
    std::size_t start = hangul_run_start(s, end, syllables);
    if (syllables < min_name_syllables || syllables > max_name_syllables) return std::string_view::npos;
    for (;;) {
        bool joined = false;
        for (std::string_view j : name_joiners) {
            if (start >= j.size() && s.substr(start - j.size(), j.size()) == j) {
                std::size_t more = 0;
                std::size_t prev = hangul_run_start(s, start - j.size(), more);
                if (more >= min_name_syllables && more <= max_name_syllables) {
                    start = prev;
                    joined = true;
                    break;
                }
            }
        }
        if (!joined) return start;
    }
}

bool email_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '+' || c == '%';
}

// "2024-07-18 [10:25:00]" and "2024.07.18 (14:03)": brackets around a time hide it from the parser.
std::string without_brackets(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c == '[' || c == ']' || c == '(' || c == ')') c = ' ';
    }
    return out;
}

std::optional<std::string> byline_at(std::string_view line, std::size_t pos, std::string_view word) {
    std::size_t after = pos + word.size();
    if (after < line.size() && hangul_at(line, after)) return std::nullopt;  // 기자회견
    std::size_t title_start = pos;
    for (std::string_view m : title_modifiers) {
        if (title_start >= m.size() && line.substr(title_start - m.size(), m.size()) == m) {
            title_start -= m.size();
            break;
        }
    }
    std::size_t name_end = title_start;
    if (name_end > 0 && line[name_end - 1] == ' ') --name_end;
    std::size_t start = names_start(line, name_end);
    if (start == std::string_view::npos) return std::nullopt;
    std::string names(line.substr(start, name_end - start));
    std::string byline = names + " " + std::string(line.substr(title_start, after - title_start));
    if (auto email = find_email(line.substr(after))) byline += " " + *email;
    return byline;
}

}  // namespace

std::optional<std::string> find_email(std::string_view text) {
    for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t b = at;
        while (b > 0 && email_char(text[b - 1]))
            --b;
        std::size_t e = at + 1;
        while (e < text.size() && email_char(text[e]))
            ++e;
        while (e > at + 1 && text[e - 1] == '.')
            --e;
        std::string_view domain = text.substr(at + 1, e - at - 1);
        if (b < at && domain.find('.') != std::string_view::npos) return std::string(text.substr(b, e - b));
    }
    return std::nullopt;
}

std::optional<std::string> find_byline(std::string_view line) {
    std::size_t best_pos = std::string_view::npos;
    std::optional<std::string> best;
    for (std::string_view word : title_words) {
        for (std::size_t pos = line.find(word); pos != std::string_view::npos; pos = line.find(word, pos + 1)) {
            if (pos >= best_pos) break;
            if (auto b = byline_at(line, pos, word)) {
                best = b;
                best_pos = pos;
                break;
            }
        }
    }
    return best;
}

line_dates read_date_line(std::string_view line) {
    static constexpr std::array modified_labels{"최종수정"sv, "수정"sv, "업데이트"sv, "Updated"sv};
    line_dates out;
    // Every label needs a digit after it: a line without one (most of a page) is no dates line.
    if (std::none_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; })) return out;
    // Cut the line at each label; the date after a label belongs to it.
    for (std::string_view label : rules::date_line_labels) {
        std::size_t pos = line.find(label);
        if (pos == std::string_view::npos) continue;
        std::string_view rest = line.substr(pos + label.size());
        constexpr std::size_t max_label_gap_bytes = 12;  // "입력 : 2024..." / "기사입력 2024..."
        std::size_t digit = rest.find_first_of("0123456789");
        if (digit == std::string_view::npos || digit > max_label_gap_bytes) continue;
        auto date = text::parse_korean_datetime(without_brackets(rest));
        if (!date) continue;
        out.labelled = true;
        bool is_modified = std::find(modified_labels.begin(), modified_labels.end(), label) != modified_labels.end();
        auto& slot = is_modified ? out.modified : out.published;
        if (!slot) slot = date;
    }
    return out;
}

bool is_date_line(std::string_view line) {
    if (code_points(line) > rules::max_date_line_chars) return false;
    if (read_date_line(line).labelled) return true;
    // An unlabelled date line: a date and little else ("2024.07.18 15:12").
    constexpr std::size_t max_unlabelled_date_chars = 30;
    return code_points(line) <= max_unlabelled_date_chars && text::parse_korean_datetime(line).has_value() &&
           line.find_first_of("0123456789") < 4;
}

}  // namespace gisa::extract
