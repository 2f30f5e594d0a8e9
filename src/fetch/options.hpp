// Fetch settings: per-transfer limits, politeness, retries. Defaults are safe for a crawler.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace gisa::fetch {

using namespace std::chrono_literals;

// Bounds on one transfer. libcurl 7.88's own defaults (no total timeout, 300 s to
// connect, unlimited redirects, no size cap) are unsafe for a crawler: every one is set.
struct transfer_limits {
    std::chrono::milliseconds connect_timeout = 10s;
    std::chrono::milliseconds total_timeout = 60s;
    // Aborted when fewer than low_speed_bytes_per_s arrive for low_speed_window (curl counts whole seconds).
    long low_speed_bytes_per_s = 100;
    std::chrono::seconds low_speed_window = 20s;
    long max_redirects = 5;
    std::size_t max_body_bytes = std::size_t{8} << 20;  // decoded bytes: a gzip bomb stops here too
    std::string user_agent = "gisa/0.1 (+https://github.com/gisa-crawler/gisa)";
    bool verify_tls = true;
    bool allow_private = false;  // loopback, private and link-local targets (tests, intranets)
    bool allow_file = false;     // file:// URLs (gisa ingest); never reachable through a redirect
    // Empty: no proxy, whatever the environment says. With a proxy, only IP literals in URLs
    // can be checked against allow_private: the proxy resolves names itself.
    std::string proxy;
};

// Politeness lives here, not in CURLMOPT_MAX_HOST_CONNECTIONS: that limits connections,
// and HTTP/2 multiplexes many requests over one.
struct politeness_options {
    // Between two request starts to one host, and from a request's end to the next start.
    std::chrono::milliseconds min_host_delay = 1s;
    int max_in_flight_per_host = 2;
    int max_in_flight = 64;  // global cap
    bool obey_robots = true;
    std::string robots_agent;  // product token matched in robots.txt; empty: taken from the User-Agent
    std::chrono::seconds robots_ttl = 24h;
    std::chrono::milliseconds robots_error_ttl = 5min;  // how long an unreachable robots.txt blocks a host
    std::chrono::seconds max_crawl_delay = 60s;         // a larger Crawl-delay is clamped to this
    std::size_t max_robots_bytes = 512 * 1024;          // RFC 9309 asks for at least 500 KiB
};

struct retry_options {
    int max_attempts = 3;  // first try included
    std::chrono::milliseconds base_delay = 500ms;
    std::chrono::milliseconds max_delay = 30s;
    // A Retry-After beyond this is not waited for here: the error goes back with retry_after set.
    std::chrono::milliseconds max_retry_after = 120s;
};

struct fetcher_options {
    transfer_limits limits;
    politeness_options politeness;
    retry_options retry;
    // Threads that run transfers (libcurl's work), the caller's included; scheduling and
    // handlers stay on the caller's thread. 0: one per hardware thread, at most 4. 1: none is
    // started. On issue #5's 2-core benchmark a second thread brought 40-50% more pages per
    // second at the same CPU per page while the second core was free, and nothing (with up
    // to a fifth more CPU per page) while other work kept it busy.
    std::size_t transfer_threads = 0;
};

}  // namespace gisa::fetch
