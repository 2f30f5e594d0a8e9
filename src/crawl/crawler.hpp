// The crawl loop: claim due URLs under a lease, fetch them, extract on a pool, store in batches, discover, schedule.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "crawl/source.hpp"
#include "fetch/options.hpp"

namespace boost::asio {
class io_context;
}

namespace gisa::crawl {

// What the loop tells its owner (the daemon's life cycle: sd_notify, logs).
struct crawl_hooks {
    std::function<void()> on_ready;                     // the first claim succeeded
    std::function<void(const std::string&)> on_status;  // a one-line summary, every few seconds
    std::function<void()> on_fatal;                     // the database refused the migrations: the daemon cannot go on
};

class crawler {
  public:
    // Runs on `io` (call everything from the thread that runs it). Nothing happens before start().
    crawler(boost::asio::io_context& io, std::string dsn, fetch::fetcher_options fetch_options, crawl_options options,
            std::vector<source_config> sources, core::metrics::registry& metrics, crawl_hooks hooks = {});
    ~crawler();
    crawler(const crawler&) = delete;
    crawler& operator=(const crawler&) = delete;

    // Connects (waiting for the database with backoff, however long it takes), migrates, syncs the
    // sources, then claims and crawls until stop().
    void start();

    // SIGHUP: the sources again (added, changed, disabled); work in flight goes on.
    void reload(std::vector<source_config> sources);

    // SIGTERM: claims stop; work in flight may finish within options.stop_grace; what is left is
    // released for the next claimer; pending results are written; then `done` runs on the loop.
    void stop(std::function<void()> done);

    // For the watchdog: true while the loop, the database thread and the extraction pool all move
    // (none stuck in one job for longer than `stuck_after`).
    bool making_progress(std::chrono::steady_clock::duration stuck_after) const;

    struct impl;

  private:
    std::shared_ptr<impl> impl_;
};

// "host:pid": the default lease owner.
std::string default_owner();

}  // namespace gisa::crawl
