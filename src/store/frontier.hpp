// The crawl's frontier in PostgreSQL: sources synced from the config, due URLs claimed under leases, outcomes recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace gisa::store {

// What a URL is to the crawl loop (migration 0004 explains each).
enum class url_kind { page, start, list, feed, article };
std::string_view to_string(url_kind kind) noexcept;
url_kind url_kind_from(std::string_view text) noexcept;  // unknown text: page

// One [[source]] of the config as the database keeps it.
struct source_spec {
    std::string name;
    std::vector<std::string> start_urls;
    std::chrono::seconds interval{600};
    std::string settings_json;  // every key of the source, for gisa status and for change detection
};

struct sync_report {
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    int disabled = 0;  // in the database, no longer in the config: kept, not crawled
    std::vector<std::pair<std::string, std::int64_t>> ids;  // name -> sources.id, for every configured source
};

// Brings the sources table in line with the config in one transaction: adds and updates the
// configured sources, disables the others (their data stays), and queues their start URLs (a new
// start URL is due at once; a failed one is tried again; a URL no longer a start URL of its source
// is left to no source). A shorter interval brings the due time of its lists forward.
sync_report sync_sources(connection& conn, const std::vector<source_spec>& sources);

// A URL taken from the frontier, leased to one owner until lease_expires.
struct claimed_url {
    std::string url;
    std::int64_t source_id = 0;
    url_kind kind = url_kind::article;
    int list_page = 0;
    std::string etag;
    std::string last_modified;
    int attempts = 0;  // failed tries since the last success
    std::chrono::system_clock::time_point first_claimed_at;
    std::chrono::system_clock::time_point claimed_at;  // the database's clock
    bool fetched_before = false;
};

// Claims up to `limit` due URLs of enabled sources (FOR UPDATE SKIP LOCKED), oldest due first, and
// leases them to `owner` for `lease`. An expired lease of another owner is taken over.
std::vector<claimed_url> claim_due(connection& conn, const std::string& owner, int limit, std::chrono::seconds lease);

// Extends the leases `owner` holds on `urls`; returns how many it still held.
int renew_leases(connection& conn, const std::string& owner, const std::vector<std::string>& urls,
                 std::chrono::seconds lease);

// Gives up the leases `owner` holds on `urls` (all of them when `urls` is empty): they are due again
// at once for whoever claims next. Returns how many were released.
int release_leases(connection& conn, const std::string& owner, const std::vector<std::string>& urls = {});

// A URL found on a page of a source: queued once (an existing URL is left as it is, except that a
// URL stored by `gisa ingest` joins the source).
struct discovered_url {
    std::string url;
    std::int64_t source_id = 0;
    url_kind kind = url_kind::article;
    int list_page = 0;
};
// Returns how many URLs were new.
int enqueue(connection& conn, const std::vector<discovered_url>& urls);

// How a claimed URL ended when no page was stored for it: a 304, a feed, or a failure.
struct fetch_outcome {
    std::string url;
    // fetched: nothing to store (a 304, a feed): state fetched, attempts back to 0, fetch time set;
    // retry_later: a failure that will be tried again (state kept, attempts + 1);
    // failed and gone: given up (attempts + 1).
    enum class what { fetched, retry_later, failed, gone } outcome = what::fetched;
    int http_status = 0;               // 0: no response
    std::optional<std::string> error;  // the last error, for failures
    std::chrono::system_clock::time_point fetched_at;
    std::optional<std::chrono::system_clock::time_point> next_fetch_at;  // nullopt: never again (infinity)
};
// Records the outcomes of URLs that `owner` holds, and releases their leases. A URL whose lease
// another owner took over meanwhile is left alone. Returns how many rows were written.
int record_outcomes(connection& conn, const std::string& owner, const std::vector<fetch_outcome>& outcomes);

// A claimed URL and when it was claimed, to check before its result is written.
struct held_url {
    std::string url;
    std::chrono::system_clock::time_point claimed_at;
};
// Of `urls`, the ones this owner lost since it claimed them: another owner holds a live lease on
// it now (ours ran out and was taken over), or another owner's result was written after our claim.
// A late result must not be written over the new owner's work (issue #14).
std::vector<std::string> leases_lost(connection& conn, const std::string& owner, const std::vector<held_url>& urls);

// How many URLs of enabled sources are due now (the frontier depth, for metrics and STATUS=).
std::int64_t due_count(connection& conn);

}  // namespace gisa::store
