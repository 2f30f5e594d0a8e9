// The two pieces of a URL the store keys on: its host, and a board list's URL without paging.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace gisa::store {

namespace {

// Query parameters that only page through a list (Korean board skins and CMSs:
// gnuboard "page", XE "page", zeroboard "page"/"pg", JSP/ASP sites "pageNo",
// "pageIndex", "cpage", "curPage", offset-style "start"/"offset").
constexpr std::array<std::string_view, 13> paging_parameters{"page",      "p",       "pg",         "pageno", "page_no",
                                                             "pageindex", "cpage",   "curpage",    "npage",  "start",
                                                             "offset",    "pagenum", "currentpage"};

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

bool is_paging(std::string_view pair) {
    const std::string name = lower(pair.substr(0, pair.find('=')));
    return std::find(paging_parameters.begin(), paging_parameters.end(), name) != paging_parameters.end();
}

}  // namespace

std::string host_of(const std::string& url) {
    const std::size_t scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
    std::string_view authority(url.data() + start, end - start);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') {
        authority = authority.substr(0, authority.find(']') + 1);
    } else if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
        authority = authority.substr(0, colon);
    }
    return lower(authority);
}

std::string board_key_of(const std::string& url) {
    const std::size_t fragment = url.find('#');
    const std::string_view base(url.data(), fragment == std::string::npos ? url.size() : fragment);
    const std::size_t query = base.find('?');
    if (query == std::string_view::npos) return std::string(base);
    std::string out(base.substr(0, query));
    std::string_view rest = base.substr(query + 1);
    char separator = '?';
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (!pair.empty() && !is_paging(pair)) {
            out.push_back(separator);
            out.append(pair);
            separator = '&';
        }
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return out;
}

}  // namespace gisa::store
