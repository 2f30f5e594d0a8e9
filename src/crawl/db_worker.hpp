// The crawl's database thread: one connection, jobs in order, waiting through outages until told to stop.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/metrics.hpp"
#include "crawl/job_pool.hpp"
#include "store/store.hpp"

namespace boost::asio {
class io_context;
}

namespace gisa::crawl {

class db_worker {
  public:
    using work = std::function<void(store::store&)>;
    // Runs on the loop: nullopt when the work was done, else why not (text for the log).
    using done = std::function<void(const std::optional<std::string>&)>;

    db_worker(boost::asio::io_context& io, std::string dsn, store::store_options options, core::metrics::gauge& up);
    ~db_worker();  // stops waiting, drops queued jobs, joins
    db_worker(const db_worker&) = delete;
    db_worker& operator=(const db_worker&) = delete;

    // Runs `w` on the database thread, in order with the others. A lost connection or an
    // unreachable server is retried with backoff for as long as it takes (everything the crawl
    // writes is idempotent), until give_up(); other failures go to `d` at once. `d` runs on the loop,
    // and never after this worker is gone.
    void post(work w, done d);

    // Jobs waiting for the database stop waiting and fail; new ones fail at once if it is away.
    void give_up() noexcept { stopping_ = true; }

    bool up() const noexcept { return up_; }
    // For the watchdog: a job has run longer than `limit` without a sign of life (a call into
    // libpq that does not return). Waiting through an outage is a sign of life.
    bool stuck(std::chrono::steady_clock::duration limit) const;

  private:
    std::optional<std::string> run(const work& w);
    bool sleep_unless_stopping(std::chrono::milliseconds delay);
    void set_up(bool up, const std::string& why);

    boost::asio::io_context& io_;
    std::string dsn_;
    store::store_options options_;
    core::metrics::gauge& up_gauge_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    std::optional<store::store> db_;  // the database thread's alone
    std::atomic<bool> up_{false};
    bool down_logged_ = false;  // the database thread's alone
    std::atomic<bool> stopping_{false};
    std::atomic<std::chrono::steady_clock::rep> beat_{0};
    job_pool thread_{1};  // last: stopped and joined first, while the rest still exists
};

}  // namespace gisa::crawl
