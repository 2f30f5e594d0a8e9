// The fetch API: queued requests fetched politely (per-host delay and in-flight caps, robots.txt), with retries.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"

namespace boost::asio {
class io_context;
}

namespace gisa::fetch {

// Fetches http(s) URLs (and file: URLs when limits.allow_file) on `io`. Every request ends
// in exactly one call of its handler, from the io_context, never from inside fetch().
// Call it from the thread that runs `io`; libcurl's work may run on threads of its own
// (fetcher_options::transfer_threads), but handlers and scheduling stay on that thread. For coroutines see
// async_fetch.hpp.
class fetcher {
  public:
    using handler = std::function<void(fetch_result)>;

    explicit fetcher(boost::asio::io_context& io, fetcher_options options = {});
    ~fetcher();  // pending requests are dropped: their handlers are not called
    fetcher(const fetcher&) = delete;
    fetcher& operator=(const fetcher&) = delete;

    void fetch(fetch_request request, handler done);

    // Politeness shared with other instances (issue #14): the database leases a host to one
    // instance at a time and says when it may be asked next. `host` is a host name as urls.host
    // keeps it (lower case, no port): the hold covers each of its origins, known or not yet.
    void hold_host(const std::string& host, std::chrono::steady_clock::time_point until);
    // When a host may be asked next from here (its last request and the delay); nullopt when no
    // request to it is remembered.
    std::optional<std::chrono::steady_clock::time_point> next_start(const std::string& host) const;

    // robots.txt another instance fetched for `origin` (scheme://host:port) `age` ago: used as if
    // fetched here, unless a fresh copy is known here already. `status` 2xx: `body` holds the rules;
    // 4xx: no rules.
    void prime_robots(const std::string& origin, int status, std::string body, std::chrono::seconds age);
    // Called (on the io_context's thread) with each robots.txt fetched here that others may use:
    // a 2xx answer or a 4xx one other than 429. Unreachable answers are not passed on.
    using robots_observer = std::function<void(const std::string& origin, int status, const std::string& body)>;
    void on_robots(robots_observer observer);

    const fetcher_options& options() const noexcept;
    std::size_t queued() const noexcept;            // waiting for politeness, robots.txt or a retry
    std::size_t in_flight() const noexcept;         // transfers running, robots.txt included
    std::size_t watched_sockets() const;            // over every transfer thread (waits for their answers)
    std::size_t transfer_threads() const noexcept;  // the caller's included

    struct impl;

  private:
    std::unique_ptr<impl> impl_;
};

// Fetches one URL and blocks until done: `gisa ingest` and tools. Runs its own io_context.
fetch_result fetch_one(const fetch_request& request, const fetcher_options& options);

}  // namespace gisa::fetch
