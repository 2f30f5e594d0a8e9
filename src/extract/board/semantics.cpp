// Board rows: which rows are the board's own posts (other boards, pinned copies).
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

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

}  // namespace gisa::extract::board_detail
