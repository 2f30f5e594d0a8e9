// RSS 2.0, Atom and XML sitemaps (urlset, news sitemaps, sitemap indexes) read as lists of URLs to fetch.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace gisa::crawl {

enum class feed_kind { rss, atom, sitemap, sitemap_index };
std::string_view to_string(feed_kind kind) noexcept;

// The sitemap protocol's own limit on URLs in one file; feeds are cut there too.
inline constexpr std::size_t max_feed_urls = 50'000;

struct feed_result {
    feed_kind kind = feed_kind::rss;
    // Absolute http(s) URLs in document order, each once: item/entry links of a feed, <loc> of a
    // sitemap; for a sitemap index, the URLs of the sitemaps it lists.
    std::vector<std::string> urls;
    core::error error;  // ok, or why the bytes are not a feed (errc::parse with a position)
};

// Whether a fetched body is a feed or sitemap rather than a page: an XML media type
// (application/rss+xml, application/atom+xml, application/xml, text/xml), or bytes whose first
// element (after a BOM, white space, the XML declaration, comments and a doctype) is <rss>,
// <feed>, <urlset>, <sitemapindex> or <rdf:RDF>. An HTML page is never one.
bool looks_like_feed(std::string_view bytes, std::string_view content_type);

// Reads a feed or sitemap. Relative URLs are resolved against `base_url` (the feed's final URL,
// or xml:base in Atom). Bytes in a legacy charset (encoding="euc-kr" in the XML declaration, or
// the Content-Type charset) are decoded first, euc-kr as CP949. Never throws on bad input.
feed_result read_feed(std::string_view bytes, std::string_view content_type, const std::string& base_url);

}  // namespace gisa::crawl
