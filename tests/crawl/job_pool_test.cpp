// The worker pools behind the crawl loop: order, drain, stop, and what the watchdog reads (crawl/job_pool.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "crawl/job_pool.hpp"

using namespace std::chrono_literals;
using gisa::crawl::job_pool;

TEST_CASE("one thread runs jobs in submission order and drains", "[job_pool]") {
    job_pool pool(1);
    std::vector<int> order;
    for (int i = 0; i < 100; ++i)
        pool.submit([&order, i] { order.push_back(i); });
    REQUIRE(pool.drain(job_pool::clock::now() + 5s));
    REQUIRE(order.size() == 100);
    for (int i = 0; i < 100; ++i)
        CHECK(order[static_cast<std::size_t>(i)] == i);
    CHECK_FALSE(pool.oldest_running().has_value());
}

TEST_CASE("a job that does not end shows in oldest_running and keeps drain from returning true", "[job_pool]") {
    job_pool pool(2);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> started{false};
    pool.submit([&] {
        started = true;
        released.wait();
    });
    while (!started)
        std::this_thread::sleep_for(1ms);
    const auto since = pool.oldest_running();
    REQUIRE(since.has_value());
    CHECK(job_pool::clock::now() - *since < 5s);
    CHECK_FALSE(pool.drain(job_pool::clock::now() + 50ms));
    release.set_value();
    CHECK(pool.drain(job_pool::clock::now() + 5s));
    CHECK_FALSE(pool.oldest_running().has_value());
}

TEST_CASE("stop drops queued jobs and lets the running one finish", "[job_pool]") {
    std::atomic<int> ran{0};
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    {
        job_pool pool(1);
        pool.submit([&] {
            released.wait();
            ran += 1;
        });
        for (int i = 0; i < 10; ++i)
            pool.submit([&] { ran += 100; });
        while (!pool.oldest_running())
            std::this_thread::sleep_for(1ms);
        pool.stop();
        pool.submit([&] { ran += 1000; });  // refused after stop
        CHECK(pool.queued() == 0);
        release.set_value();
    }  // joins
    CHECK(ran == 1);
}
