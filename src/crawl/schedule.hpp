// The crawl's decisions, pure: when a URL is due again, what a failure makes of it, what a page adds to the frontier.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/page_record.hpp"
#include "crawl/feed.hpp"
#include "crawl/source.hpp"
#include "fetch/fetch_result.hpp"
#include "store/frontier.hpp"

namespace gisa::crawl {

using time_point = std::chrono::system_clock::time_point;

// After a successful fetch (stored, unchanged or 304): lists and feeds come back after the
// source's interval; an article is re-checked every recheck_every until recheck_for has passed
// since it was first claimed, then never (nullopt).
std::optional<time_point> next_after_success(const store::claimed_url& url, const source_config& source,
                                             const crawl_options& options, time_point now);

// A fetch or extraction that failed. 404 and 410 are gone; other final errors (4xx, robots.txt,
// not a page, too large) fail at once. Retryable errors (timeouts, 5xx, 429) back off
// exponentially from failure_backoff, never sooner than a Retry-After; an article fails after
// max_failures tries, while a start page, list or feed keeps being tried at most once an interval
// (a source's own pages are worth waiting for; their last error shows in gisa status).
store::fetch_outcome on_failure(const store::claimed_url& url, const core::error& error, long http_status,
                                const source_config& source, const crawl_options& options, time_point now);

// What a fetched page adds to the frontier: on a start page or list, the articles its board
// rows link to (follow_rows), its links_out that match follow_links, and its next page while
// fewer than max_pages were read. An article adds nothing: the crawl does not wander.
std::vector<store::discovered_url> discover(const core::page_record& page, const store::claimed_url& url,
                                            const source_config& source);

// What a feed adds: its items as articles; a sitemap index's sitemaps as feeds.
std::vector<store::discovered_url> discover(const feed_result& feed, const store::claimed_url& url);

}  // namespace gisa::crawl
