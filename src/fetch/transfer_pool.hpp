// Where transfers run: on the caller's io_context and on extra threads, each with its own curl multi driver.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "fetch/curl_multi_driver.hpp"
#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"

namespace boost::asio {
class io_context;
}

namespace gisa::fetch {

// The caller's thread (shard 0) runs transfers too; each further shard is a thread with its own
// io_context, curl multi driver and easy-handle pool. Only curl's work runs there: creating the
// easy handle, the transfer, and reading its result. Scheduling (politeness, robots.txt,
// retries) stays with the caller, so per-host state is never shared between threads.
// Use it from the thread that runs `home`.
class transfer_pool {
  public:
    // The result; for a transfer that never started, its error says why.
    using done_handler = std::function<void(fetch_result&&)>;

    // `shards`: 1 runs everything on `home` (no thread is started).
    transfer_pool(boost::asio::io_context& home, std::size_t shards, const multi_limits& per_shard);
    ~transfer_pool();  // stops and joins the threads; pending done handlers are dropped
    transfer_pool(const transfer_pool&) = delete;
    transfer_pool& operator=(const transfer_pool&) = delete;

    std::size_t shards() const noexcept;

    // The shard with the fewest running transfers among `span` from `first` (modulo shards()).
    std::size_t least_busy(std::size_t first, std::size_t span) const noexcept;

    // Runs `request` with `limits` on `shard` (its multi handle chosen as curl_multi_driver::add
    // does, from first_multi over multi_span). `done` runs once, from `home`, never from inside
    // start(). `request` and `limits` must stay unchanged and alive until then (or until the
    // pool is destroyed). The URL must already have passed check_target with these limits.
    void start(std::size_t shard, const fetch_request& request, const transfer_limits& limits, std::size_t first_multi,
               std::size_t multi_span, done_handler done);

    // Sockets curl wants watched, over all shards (asks each thread and waits for its answer).
    std::size_t watched_sockets() const;

    std::size_t started(std::size_t index) const noexcept;  // transfers handed to it so far (for tests)

    struct shard;

  private:
    std::vector<std::unique_ptr<shard>> shards_;
    std::vector<std::size_t> running_;  // per shard, counted on the caller's thread
    std::vector<std::size_t> started_;
    std::size_t away_ = 0;  // transfers running on other threads: counted as work of home
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// The shard count a fetcher uses for `requested` (0: one per hardware thread, at most
// max_auto_transfer_threads).
std::size_t transfer_thread_count(std::size_t requested) noexcept;

}  // namespace gisa::fetch
