// The fetch API: queued requests fetched politely (per-host delay and in-flight caps, robots.txt), with retries.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
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
