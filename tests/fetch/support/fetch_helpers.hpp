// Shortcuts for fetch tests: options with small timeouts and loopback allowed, synchronous runs.
#pragma once

#include <boost/asio/io_context.hpp>

#include <dirent.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fetch/fetcher.hpp"

namespace gisa::test {

using namespace std::chrono_literals;

// Loopback allowed, robots.txt and delays off, every timeout small: tests turn on what they test.
inline fetch::fetcher_options test_options() {
    fetch::fetcher_options o;
    o.limits.allow_private = true;
    o.limits.connect_timeout = 2s;
    o.limits.total_timeout = 10s;  // an upper bound against hangs, never reached by a passing test
    o.limits.low_speed_window = 5s;
    o.limits.user_agent = "gisa-test/1.0";
    o.politeness.obey_robots = false;
    o.politeness.min_host_delay = 0ms;
    o.politeness.max_in_flight_per_host = 8;
    o.retry.max_attempts = 1;
    o.retry.base_delay = 10ms;
    o.retry.max_delay = 50ms;
    return o;
}

inline fetch::fetch_result fetch_url(const std::string& url, const fetch::fetcher_options& options) {
    return fetch::fetch_one(fetch::fetch_request{url, {}, {}}, options);
}

// Fetches every request on one fetcher and returns the results in request order.
inline std::vector<fetch::fetch_result> fetch_all(const std::vector<fetch::fetch_request>& requests,
                                                  const fetch::fetcher_options& options) {
    boost::asio::io_context io;
    std::vector<fetch::fetch_result> results(requests.size());
    std::size_t left = requests.size();
    fetch::fetcher f(io, options);
    for (std::size_t i = 0; i < requests.size(); ++i)
        f.fetch(requests[i], [&, i](fetch::fetch_result r) {
            results[i] = std::move(r);
            if (--left == 0) io.stop();
        });
    if (left > 0) io.run();
    return results;
}

inline std::size_t open_descriptors() {
    std::size_t count = 0;
    if (DIR* dir = opendir("/proc/self/fd")) {
        while (readdir(dir) != nullptr)
            ++count;
        closedir(dir);
    }
    return count;
}

// Polls `done` every 10 ms until it holds or `limit` passes (an upper bound against hangs).
template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

}  // namespace gisa::test
