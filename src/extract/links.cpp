// Links of a page: URL resolution against <base>, normalisation, and the links_out list (record.md "links_out").
#include "extract/links.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "extract/dom.hpp"
#include "extract/dom_tag.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {
namespace {

using namespace std::string_view_literals;
namespace urls = boost::urls;

// Query parameters that only track where a click came from (Google Analytics' utm_*):
// two links that differ in them lead to the same article.
constexpr std::string_view tracking_param_prefix = "utm_"sv;

// Schemes whose links lead to pages the crawler can fetch.
constexpr std::array crawlable_schemes{"http"sv, "https"sv};

bool is_url_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Characters that browsers accept in an href but RFC 3986 does not: they are
// percent-encoded the way a browser sends them (as UTF-8 bytes).
bool needs_encoding(unsigned char c) noexcept {
    if (c >= 0x80 || c < 0x21) return true;
    constexpr std::string_view unsafe = "\"<>^`{|}"sv;
    return unsafe.find(static_cast<char>(c)) != std::string_view::npos;
}

// An href as a browser reads it: outer whitespace trimmed, tabs and newlines inside
// removed (WHATWG URL), backslashes as slashes, unsafe bytes and stray '%' encoded,
// any '#' after the first encoded.
std::string browser_href(std::string_view href) {
    while (!href.empty() && is_url_space(href.front()))
        href.remove_prefix(1);
    while (!href.empty() && is_url_space(href.back()))
        href.remove_suffix(1);
    constexpr std::string_view hex_digits = "0123456789ABCDEF"sv;
    std::string out;
    out.reserve(href.size());
    bool seen_fragment = false;
    for (std::size_t i = 0; i < href.size(); ++i) {
        const char c = href[i];
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\t' || c == '\n' || c == '\r') continue;
        if (c == '\\' && !seen_fragment) {
            out += '/';
        } else if (c == '%' && !(i + 2 < href.size() && is_hex(href[i + 1]) && is_hex(href[i + 2]))) {
            out += "%25";
        } else if ((c == '#' && seen_fragment) || needs_encoding(byte)) {
            out += '%';
            out += hex_digits[byte >> 4];
            out += hex_digits[byte & 0x0f];
        } else {
            if (c == '#') seen_fragment = true;
            out += c;
        }
    }
    return out;
}

void drop_tracking_params(urls::url& u) {
    auto params = u.encoded_params();
    for (auto it = params.begin(); it != params.end();) {
        if (istarts_with((*it).key, tracking_param_prefix)) {
            it = params.erase(it);
        } else {
            ++it;
        }
    }
    if (params.empty()) u.remove_query();
}

bool is_crawlable_scheme(std::string_view scheme) {
    return std::any_of(crawlable_schemes.begin(), crawlable_schemes.end(),
                       [&](std::string_view s) { return iequals(s, scheme); });
}

// Resolves ref against base (either may be empty); nullopt when the result is not an
// absolute URL.
// A base URL parsed once (nullopt: not an absolute URL), for resolving many links against it.
std::optional<urls::url> parse_base(std::string_view base_text) {
    const std::string base_encoded = browser_href(base_text);
    auto base = urls::parse_uri(base_encoded);
    if (!base) return std::nullopt;
    return urls::url(*base);
}

std::optional<urls::url> resolve_reference(std::string_view ref_text, const std::optional<urls::url>& base) {
    const std::string ref_encoded = browser_href(ref_text);
    auto ref = urls::parse_uri_reference(ref_encoded);
    if (!ref) return std::nullopt;
    if (ref->has_scheme()) {
        urls::url absolute(*ref);
        absolute.normalize_path();
        return absolute;
    }
    if (!base) return std::nullopt;
    urls::url dest;
    if (!urls::resolve(*base, *ref, dest)) return std::nullopt;
    return dest;
}

std::optional<urls::url> resolve_reference(std::string_view ref_text, std::string_view base_text) {
    return resolve_reference(ref_text, parse_base(base_text));
}

bool is_anchor_with_href(dom::node n) {
    return dom::has_tag(n, GUMBO_TAG_A) || dom::has_tag(n, GUMBO_TAG_AREA);
}

}  // namespace

namespace {

std::optional<std::string> normalize_link(std::string_view href, const std::optional<urls::url>& base) {
    while (!href.empty() && is_url_space(href.front()))
        href.remove_prefix(1);
    // "" and "#top" point at the page itself; the crawler has it already.
    if (href.empty() || href.front() == '#') return std::nullopt;
    auto resolved = resolve_reference(href, base);
    if (!resolved || !is_crawlable_scheme(resolved->scheme())) return std::nullopt;
    if (resolved->encoded_host().empty()) return std::nullopt;
    resolved->normalize_scheme();
    resolved->normalize_authority();
    resolved->remove_fragment();
    drop_tracking_params(*resolved);
    // "https://a.kr" and "https://a.kr/" are one page (RFC 3986 6.2.3).
    if (resolved->encoded_path().empty()) resolved->set_path_absolute(true);
    return std::string(resolved->buffer());
}

}  // namespace

std::optional<std::string> normalize_link(std::string_view href, std::string_view base_url) {
    // The base is parsed even for an absolute href: a page's many links go through
    // collect_links, which parses its base once.
    return normalize_link(href, parse_base(base_url));
}

page_context make_page_context(const GumboNode* root, std::string_view page_url, std::string_view fetched_at,
                               std::string_view page_date) {
    page_context ctx;
    ctx.page_url = std::string(page_url);
    ctx.base_url = ctx.page_url;
    ctx.fetched_at = std::string(fetched_at);
    ctx.page_date = std::string(page_date);
    // The first <base href> counts (HTML "frozen base URL"); it is itself relative to the page.
    dom::node base =
        dom::find_first(root, [](dom::node n) { return dom::has_tag(n, GUMBO_TAG_BASE) && dom::attr(n, "href"); });
    if (base != nullptr) {
        auto resolved = resolve_reference(dom::attr_or_empty(base, "href"), page_url);
        if (resolved) ctx.base_url = std::string(resolved->buffer());
    }
    return ctx;
}

std::vector<std::string> collect_links(const GumboNode* root, const core::board_list& board,
                                       const std::vector<const GumboNode*>& board_containers, const page_context& ctx,
                                       const boilerplate_predicate& is_boilerplate) {
    std::vector<std::string> links;
    std::unordered_set<std::string> seen;
    // The page's own URL is never a link out, however it is written.
    if (auto self = normalize_link(ctx.page_url, ctx.page_url)) seen.insert(*self);
    auto add = [&](std::string url) {
        if (seen.insert(url).second) links.push_back(std::move(url));
    };
    const std::optional<urls::url> base = parse_base(ctx.base_url);
    for (const auto& row : board.rows) {
        if (auto url = normalize_link(row.url, base)) add(std::move(*url));
    }
    // An href met again resolves to the URL added already (or to none): skipped unresolved.
    std::unordered_set<std::string_view> hrefs_seen;
    dom::walk(root, [&](dom::node n) {
        if (!dom::is_element(n)) return false;
        if (dom::has_tag(n, GUMBO_TAG_HEAD) || dom::has_tag(n, GUMBO_TAG_SCRIPT) || dom::has_tag(n, GUMBO_TAG_STYLE) ||
            dom::has_tag(n, GUMBO_TAG_TEMPLATE) || dom::has_tag(n, GUMBO_TAG_NOSCRIPT)) {
            return false;
        }
        if (std::find(board_containers.begin(), board_containers.end(), n) != board_containers.end()) return false;
        if (is_boilerplate && is_boilerplate(n)) return false;
        if (is_anchor_with_href(n)) {
            if (auto href = dom::attr(n, "href"); href && hrefs_seen.insert(*href).second) {
                if (auto url = normalize_link(*href, base)) add(std::move(*url));
            }
        }
        return true;
    });
    return links;
}

}  // namespace gisa::extract
