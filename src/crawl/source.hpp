// A crawl source as the config file's [[source]] table gives it, and the crawl-wide settings of [crawl].
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace gisa::crawl {

using namespace std::chrono_literals;

struct source_config {
    std::string name;  // unique; status, metrics and logs name the source by it
    std::vector<std::string> start_urls;
    bool follow_rows = true;                // fetch the articles that board rows link to
    std::vector<std::string> follow_links;  // also follow links_out matching one of these (ECMAScript regex, searched)
    int max_pages = 1;                      // board pages read through next_page per visit, the start page included
    std::chrono::seconds interval = 600s;   // how often start pages (and their later pages) are read again
    // Overrides of the crawl-wide article re-check ([crawl]); nullopt: the crawl's.
    std::optional<std::chrono::seconds> recheck_every;
    std::optional<std::chrono::seconds> recheck_for;

    // follow_links compiled (filled by compile(); throws std::regex_error on a bad pattern).
    std::vector<std::regex> link_patterns;
    void compile();
    bool follows_link(const std::string& url) const;
    // Every setting as one JSON object, for the sources table (change detection, gisa status).
    std::string settings_json() const;
};

// [crawl]: how the loop claims, fetches, extracts and stores.
struct crawl_options {
    std::string owner;                              // lease owner; empty: host name and pid
    bool prepared_statements = true;                // [database]: false for PgBouncer in transaction pooling mode
    std::chrono::seconds lease = 300s;              // renewed while the work is in flight
    int claim_batch = 64;                           // URLs per claim
    std::size_t max_outstanding = 256;              // claimed and not yet stored; claims wait above it
    std::size_t extract_threads = 0;                // 0: one per core
    int store_batch = 64;                           // pages per write
    std::chrono::milliseconds store_flush = 500ms;  // a smaller batch is written after this long
    std::chrono::milliseconds idle_poll = 2000ms;   // how soon to look again when nothing was due
    std::chrono::seconds recheck_every = 6h;        // articles: conditional GET this often ...
    std::chrono::seconds recheck_for = 72h;         // ... for this long after the first fetch, then never
    int max_failures = 5;                           // tries (each with the fetcher's retries) before failed
    std::chrono::seconds failure_backoff = 60s;     // first wait after a failure; doubles, capped at the interval
    std::chrono::seconds max_backoff = 6h;
    // SIGTERM: in-flight work may finish within this; with the last write (at most 1.5 s) the daemon
    // exits well within the 10 s it promises, and systemd waits 15 (TimeoutStopSec).
    std::chrono::milliseconds stop_grace = 6000ms;
};

}  // namespace gisa::crawl
