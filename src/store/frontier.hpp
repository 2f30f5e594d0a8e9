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
    std::string host;  // urls.host: the host name its politeness lease is on
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

// A host leased to the claiming instance: only it claims the host's URLs until it gives the host
// back (release_hosts) or the lease runs out, so its fetcher's per-host delay and in-flight cap hold
// for every instance together (issue #14).
struct host_grant {
    std::string host;
    std::chrono::milliseconds wait{0};  // until the host may be asked again (hosts.next_allowed_at)
    bool renewed = false;               // the owner held it already
};

// robots.txt as one instance fetched it, shared with the others through robots_files.
struct robots_copy {
    std::string origin;  // scheme://host:port
    int status = 0;      // 2xx: `body` holds the rules; 4xx: none
    std::string body;
    std::chrono::seconds age{0};  // since it was fetched (in claims' answers)
};

struct claim_request {
    std::string owner;
    int limit = 64;  // URLs at most
    std::chrono::seconds lease{300};
    std::chrono::seconds robots_ttl{86400};  // robots_files older than this are not handed out
};

struct claim_answer {
    std::vector<claimed_url> urls;
    std::vector<host_grant> hosts;    // the hosts this owner holds after the claim and claimed URLs of
    std::vector<robots_copy> robots;  // fresh robots.txt of the hosts newly granted
    int instances = 1;                // owners seen within a lease, this one included
    int host_share = 0;               // the hosts this owner may hold at once now
};

// In one transaction: says the owner is alive; takes host leases up to its fair share (the hosts with
// due work over the live instances; hosts it holds first, then free ones, longest waiting first);
// claims up to `limit` due URLs of enabled sources on those hosts (FOR UPDATE SKIP LOCKED), spread
// over them, oldest due first, and leases them to the owner. An expired lease of another owner, a
// URL's or a host's, is taken over.
claim_answer claim_due(connection& conn, const claim_request& request);

// The same, for callers that want only the URLs (tests, tools).
std::vector<claimed_url> claim_due(connection& conn, const std::string& owner, int limit, std::chrono::seconds lease);

// A host this owner is done with for now: nothing of it left to fetch. `wait`: how long the next
// owner must wait before asking it (the owner's fetcher knows: its last request and the delay).
struct host_release {
    std::string host;
    std::chrono::milliseconds wait{0};
};
// Gives the hosts back; returns how many this owner held.
int release_hosts(connection& conn, const std::string& owner, const std::vector<host_release>& hosts);

// SIGTERM: every host the owner still holds is given back with `wait` (unless release_hosts said
// more), and the owner leaves the live instances. Returns how many hosts were released.
int leave_frontier(connection& conn, const std::string& owner, std::chrono::milliseconds wait);

// Keeps the owner's host leases and its place among the live instances (the lease renewal timer).
// Returns how many hosts it still holds.
int renew_hosts(connection& conn, const std::string& owner, std::chrono::seconds lease);

// robots.txt an instance fetched, for the others. Copies that PostgreSQL cannot hold as text (NUL
// bytes, invalid UTF-8) are left out: each instance then fetches its own.
void share_robots(connection& conn, const std::vector<robots_copy>& copies);

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
