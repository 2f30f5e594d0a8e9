// RSS 2.0 and 1.0, Atom and XML sitemaps (urlset, news sitemaps, sitemap indexes) read as lists of URLs to fetch.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace gisa::crawl {

enum class feed_kind { rss, atom, sitemap, sitemap_index };
std::string_view to_string(feed_kind kind) noexcept;

// The sitemap protocol's own limit on URLs in one file; feeds are cut there too (silently: the URLs kept are
// the first ones, and error stays ok).
inline constexpr std::size_t max_feed_urls = 50'000;

struct feed_result {
    feed_kind kind = feed_kind::rss;
    // Absolute http(s) URLs in document order, each once: item/entry links of a feed, <loc> of a
    // sitemap; for a sitemap index, the URLs of the sitemaps it lists.
    std::vector<std::string> urls;
    core::error error;  // ok, or why the bytes are not a feed (errc::parse with a position)
};

// Whether a fetched body is a feed or sitemap rather than a page, from a sniff of its first 64 KiB (no
// parse). The bytes decide when they reach a first element (after a BOM, white space, the XML
// declaration, processing instructions, comments and a doctype; UTF-16 too): <rss>, <feed>, <urlset>,
// <sitemapindex> or <rdf:RDF> (any prefix) is a feed whatever the media type, even text/html as some
// Korean CMSs send it; any other element is not, so an HTML page (XHTML served as
// application/xhtml+xml or text/xml included) is never one. Only a body that ends before its first
// element is judged by its media type: application/rss+xml or application/atom+xml.
bool looks_like_feed(std::string_view bytes, std::string_view content_type);

// Reads a feed or sitemap. Relative URLs are resolved against `base_url` (the feed's final URL,
// or xml:base in Atom) and normalised as page links are (extract::normalize_link). Bytes in a
// legacy charset (the Content-Type charset, else encoding="euc-kr" in the XML declaration) are
// decoded first, euc-kr as CP949. Errors: too_large over 50 MiB, parse for empty or malformed XML
// (with pugixml's byte offset), nothing_extracted for XML whose root is no feed. Never throws on
// bad input (only std::bad_alloc can escape).
feed_result read_feed(std::string_view bytes, std::string_view content_type, const std::string& base_url);

}  // namespace gisa::crawl
