// What `gisa status` shows, read from the database alone: per source, its frontier and what it stored lately.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace gisa::store {

using status_time = std::chrono::system_clock::time_point;

// The lowest schema version read_status can read (0004 added the crawl frontier's columns).
inline constexpr int status_min_schema_version = 4;

// A next due time of 'infinity': nothing of the source will be fetched again.
inline constexpr status_time due_never = status_time::max();

// The frontier's URLs of one source (or of all of them, in the totals), by what the crawl does next.
struct url_counts {
    std::int64_t known = 0;
    std::int64_t due = 0;        // claimable now: new or fetched, due, not leased (enabled sources only)
    std::int64_t in_flight = 0;  // under a live lease
    std::int64_t fetched = 0;
    std::int64_t failing = 0;  // failed at least once since their last success, still tried again
    std::int64_t failed = 0;   // given up
    std::int64_t gone = 0;
};

// Rows stored lately: new by first_seen, changed by last_changed (a changed row stored before it).
struct stored_counts {
    std::int64_t new_hour = 0;
    std::int64_t new_day = 0;
    std::int64_t changed_hour = 0;
    std::int64_t changed_day = 0;
};

struct url_error {
    std::string url;
    std::string state;  // new or fetched (still tried again), failed
    int attempts = 0;
    int http_status = 0;  // 0: no response
    std::string error;
};

struct source_status {
    std::int64_t id = 0;
    std::string name;
    bool enabled = true;
    std::chrono::seconds interval{0};
    url_counts urls;
    std::vector<std::string> lease_owners;    // owners of its live leases, sorted
    std::optional<status_time> last_success;  // the latest fetched_at of its URLs
    std::optional<status_time> next_due;      // nullopt: nothing claimable; due_never: 'infinity'
    stored_counts articles;
    stored_counts board_rows;
    std::vector<url_error> errors;  // up to max_errors_per_source
};

// One owner of live leases: a running daemon, or one that died less than a lease ago.
struct lease_holder {
    std::string owner;
    std::int64_t leases = 0;
    status_time expires;  // its latest lease's end
};

// An instance on the frontier (the crawlers table, schema 5): one that stopped with SIGTERM has left;
// one that died stays until a day after it was last seen.
struct crawl_instance {
    std::string owner;
    status_time started;
    status_time seen;        // its last claim or lease renewal
    std::int64_t hosts = 0;  // hosts leased to it now
};

struct status_report {
    status_time now;  // the database's clock: every count is as of this instant
    int schema_version = 0;
    int schema_latest = 0;               // the newest migration this gisa carries
    std::vector<source_status> sources;  // by name, disabled ones included
    url_counts totals;
    stored_counts article_totals;
    stored_counts board_row_totals;
    std::vector<lease_holder> lease_holders;  // by owner
    std::vector<crawl_instance> instances;    // by owner; empty before schema 5
};

inline constexpr int max_errors_per_source = 3;

// Reads everything in one read-only snapshot, so the numbers agree with each other while the daemon
// writes. Throws db_error (schema older than status_min_schema_version: "run gisa migrate").
status_report read_status(connection& conn);

}  // namespace gisa::store
