// Board rows: which rows are the board's own posts (other boards, pinned copies).
#include "extract/board/detail.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

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

// The key most regular rows with a URL share, if enough of them do (counted in a hash map: a hostile
// table of thousands of rows, each of its own key, stays linear).
std::optional<std::string> common_board_key(const std::vector<core::board_row>& rows) {
    std::unordered_map<std::string, std::size_t> counts;
    std::size_t regular = 0;
    for (const auto& row : rows) {
        if (row.notice || row.url.empty()) continue;
        ++regular;
        ++counts[board_key(row.url)];
    }
    // Two keys cannot both reach the share below: which of equal counts is found does not matter.
    auto best = std::max_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best == counts.end() || best->second * 100 < regular * min_own_board_key_pct) return std::nullopt;
    return best->first;
}

// The host and the post's id in a URL: the longest run of digits after the host, if it is
// long enough to be an id ("/read/101479", "document_srl=2031", "number=1410446"). A pinned
// copy may add parameters ("&from=best", "&page=0") that the listed row does not have.
std::string post_identity(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    const std::size_t slash = url.find_first_of("/?");
    const std::string_view host = url.substr(0, slash);
    const std::string_view rest = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
    std::string_view longest;
    for (std::size_t i = 0; i < rest.size();) {
        std::size_t j = i;
        while (j < rest.size() && is_digit(rest[j]))
            ++j;
        if (j - i > longest.size()) longest = rest.substr(i, j - i);
        i = j == i ? i + 1 : j;
    }
    if (longest.size() < min_post_id_digits) return {};
    return std::string(host) + "#" + std::string(longest);
}

// What tells a row's post apart: its post id when ids tell the run's rows apart, else its URL
// ("/2024/07/slug" puts a year in every URL: no id, but the slugs differ). Nothing when these
// keys do not tell the rows apart either (an old board whose every title links one view page,
// a long table of rows that are all alike): such rows are never copies of each other.
std::vector<std::string> post_keys(const std::vector<core::board_row>& rows) {
    std::vector<std::string> keys;
    keys.reserve(rows.size());
    for (const auto& row : rows)
        keys.push_back(post_identity(row.url));
    auto distinct_share_ok = [&] {
        std::unordered_set<std::string_view> distinct(keys.begin(), keys.end());
        return distinct.size() * 100 >= keys.size() * min_distinct_post_ids_pct;
    };
    const bool any_empty = std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return k.empty(); });
    if (any_empty || !distinct_share_ok()) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            keys[i] = rows[i].url;
    }
    if (!distinct_share_ok()) keys.assign(rows.size(), {});
    return keys;
}

// The board's own posts (issue #15): a row leading to another board or site (an operator's
// link to a news site, a notice of the site-wide board) is left out unless it is a notice; a
// row whose post is listed again further down (a pinned or "best" copy above the list) is
// left out unless the page marks it as a notice.
void keep_own_posts(std::vector<core::board_row>& rows) {
    const auto key = common_board_key(rows);
    const std::vector<std::string> posts = post_keys(rows);
    // Where each post is listed last: a row listed again further down is a pinned or best copy.
    std::unordered_map<std::string_view, std::size_t> last;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!posts[i].empty()) last[posts[i]] = i;
    }
    // A row that opens by script only (no URL) among rows that lead to one board is the
    // operator's survey or popup, not a post of the board; a board whose rows mostly open
    // by script (eGovFrame lists) keeps them.
    const auto scripted = static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const core::board_row& r) { return !r.notice && r.url.empty(); }));
    const bool scripted_board = scripted * 100 >= regular_rows(rows) * min_scripted_rows_pct;
    std::vector<core::board_row> kept;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        const bool elsewhere = row.url.empty() ? !scripted_board : board_key(row.url) != *key;
        if (!row.notice && key && elsewhere) continue;
        const bool repeated = !posts[i].empty() && last[posts[i]] > i;
        if (repeated && !row.notice) continue;
        kept.push_back(std::move(row));
    }
    rows = std::move(kept);
}

// ---- the page's own board ------------------------------------------------------------------

namespace {

struct url_parts {
    std::string_view host, path, query;
};

url_parts split_url(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find('#'));
    const std::size_t slash = url.find_first_of("/?");
    url_parts parts{url.substr(0, slash), {}, {}};
    if (slash == std::string_view::npos) return parts;
    const std::string_view rest = url.substr(slash);
    const std::size_t q = rest.find('?');
    parts.path = rest.substr(0, q);
    if (q != std::string_view::npos) parts.query = rest.substr(q + 1);
    return parts;
}

bool has_query_pair(std::string_view query, std::string_view pair) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        if (query.substr(0, amp) == pair) return true;
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

}  // namespace

// True when a row leads to a post of the board the page lists: same host, and the page's
// first query parameter that names something ("bo_table=free", "id=mf", "table=pds") in the
// row's query, else a row path below the page's ("/market/board/1020" ->
// "/market/board/1020/read/101485"; a list script's folder: "/board/list.html" -> "/board/").
bool leads_to_page_board(std::string_view row_url, std::string_view page_url) {
    const url_parts page = split_url(page_url), row = split_url(row_url);
    if (page.host.empty() || !iequals(page.host, row.host)) return false;
    const std::string_view first = page.query.substr(0, page.query.find('&'));
    const std::size_t eq = first.find('=');
    if (eq != std::string_view::npos && eq > 0 && eq + 1 < first.size() && !parse_int(first.substr(eq + 1)) &&
        !iequals(first.substr(0, eq), "page")) {
        return has_query_pair(row.query, first);
    }
    std::string_view path = page.path;
    const std::size_t last_slash = path.rfind('/');
    if (last_slash != std::string_view::npos && path.find('.', last_slash) != std::string_view::npos) {
        path = path.substr(0, last_slash);
    }
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    if (path.empty()) return false;  // the front page lists no one board
    return row.path.starts_with(path) && row.path.size() > path.size() && row.path[path.size()] == '/';
}

// True when most of the regular rows with a URL (or the notices, in a notices-only run) lead to
// the page's own board.
bool lists_page_board(const std::vector<core::board_row>& rows, std::string_view page_url) {
    const bool notices_only = regular_rows(rows) == 0;
    std::size_t considered = 0, own = 0;
    for (const auto& row : rows) {
        if ((row.notice && !notices_only) || row.url.empty()) continue;
        ++considered;
        if (leads_to_page_board(row.url, page_url)) ++own;
    }
    return considered > 0 && own * 100 >= considered * min_page_board_rows_pct;
}

std::size_t regular_rows(const std::vector<core::board_row>& rows) {
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const core::board_row& r) { return !r.notice; }));
}

}  // namespace gisa::extract::board_detail
