// Worker threads over one queue (job_pool.hpp).
#include "crawl/job_pool.hpp"

#include <algorithm>

namespace gisa::crawl {

job_pool::job_pool(std::size_t threads) : running_(std::max<std::size_t>(threads, 1)) {
    for (std::size_t slot = 0; slot < running_.size(); ++slot)
        threads_.emplace_back([this, slot] { work(slot); });
}

job_pool::~job_pool() {
    stop();
    for (std::thread& t : threads_)
        if (t.joinable()) t.join();
}

void job_pool::submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void job_pool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    idle_.notify_all();
}

bool job_pool::drain(clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return idle_.wait_until(lock, deadline, [&] {
        return queue_.empty() && std::none_of(running_.begin(), running_.end(), [](const auto& r) { return r; });
    });
}

std::size_t job_pool::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::optional<job_pool::clock::time_point> job_pool::oldest_running() const {
    std::lock_guard lock(mutex_);
    std::optional<clock::time_point> oldest;
    for (const auto& r : running_)
        if (r && (!oldest || *r < *oldest)) oldest = r;
    return oldest;
}

void job_pool::work(std::size_t slot) {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping
        std::function<void()> job = std::move(queue_.front());
        queue_.pop_front();
        running_[slot] = clock::now();
        lock.unlock();
        job();
        job = nullptr;  // whatever the job holds is released outside the lock
        lock.lock();
        running_[slot].reset();
        if (queue_.empty()) idle_.notify_all();
    }
}

}  // namespace gisa::crawl
