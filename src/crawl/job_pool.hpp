// A fixed set of threads that run queued jobs in order: the extraction pool, and the database's one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gisa::crawl {

class job_pool {
  public:
    using clock = std::chrono::steady_clock;

    explicit job_pool(std::size_t threads);
    ~job_pool();  // stop(), then join
    job_pool(const job_pool&) = delete;
    job_pool& operator=(const job_pool&) = delete;

    // Jobs run in submission order (one thread: strictly one after another). A job must not throw.
    void submit(std::function<void()> job);

    // Queued jobs are dropped; running ones finish; threads end. Safe to call twice.
    void stop();
    // Waits until the queue is empty and no job runs, or until `deadline`; true when drained.
    bool drain(clock::time_point deadline);

    std::size_t queued() const;
    // When the longest-running job started (for the watchdog); nullopt when none runs.
    std::optional<clock::time_point> oldest_running() const;
    std::size_t size() const noexcept { return threads_.size(); }

  private:
    void work(std::size_t slot);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::optional<clock::time_point>> running_;  // by slot
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace gisa::crawl
