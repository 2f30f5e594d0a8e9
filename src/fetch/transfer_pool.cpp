// Transfer shards: curl multi drivers on the caller's io_context and on extra threads.
//
// Why threads: at tens of thousands of small pages per second, libcurl's own work per
// transfer (URL parsing, building the request, the system calls) is most of a crawler's CPU,
// and one thread cannot use a second core (issue #5's benchmark). Each extra thread owns an
// io_context, a curl_multi_driver and, through easy_transfer's thread-local pool, its easy
// handles; nothing curl touches is shared. The caller's thread hands a request over with
// net::post and gets the finished fetch_result back the same way, so everything of a
// transfer that another thread sees is handed over through Asio's queue, never shared.
#include "fetch/transfer_pool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>

#include "fetch/easy_transfer.hpp"

namespace gisa::fetch {

namespace net = boost::asio;

namespace {

// More threads than this do not pay for themselves unless asked for: the caller's thread
// (scheduling, results) becomes the limit.
constexpr std::size_t max_auto_transfer_threads = 4;

}  // namespace

std::size_t transfer_thread_count(std::size_t requested) noexcept {
    if (requested > 0) return requested;
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, max_auto_transfer_threads);
}

struct transfer_pool::shard {
    struct running {
        std::unique_ptr<easy_transfer> transfer;
        done_handler done;
    };

    net::io_context& home;
    std::unique_ptr<net::io_context> own;  // null for the shard on the caller's thread
    net::io_context& io;                   // where its curl runs: home or *own
    std::unique_ptr<curl_multi_driver> driver;
    std::unordered_map<void*, running> transfers;  // by CURL*; touched on io's thread only
    std::weak_ptr<int> alive;                      // the pool's: checked on home before a handler runs
    std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    std::thread thread;

    shard(net::io_context& home_io, bool threaded, const multi_limits& limits, std::weak_ptr<int> pool_alive)
        : home(home_io),
          own(threaded ? std::make_unique<net::io_context>(1) : nullptr),
          io(threaded ? *own : home_io),
          driver(std::make_unique<curl_multi_driver>(io, limits)),
          alive(std::move(pool_alive)) {
        if (!threaded) return;
        keep_running.emplace(own->get_executor());
        thread = std::thread([this] {
            own->run();
            close();
        });
    }

    // On io's thread.
    void begin(const fetch_request& request, const transfer_limits& limits, std::size_t first_multi,
               std::size_t multi_span, done_handler done) {
        core::error refused;
        auto transfer = easy_transfer::create(request, limits, refused, true);
        if (!transfer) return hand_back(std::move(done), failed_request(request, std::move(refused)), false);
        void* easy = transfer->handle();
        transfers.insert_or_assign(easy, running{std::move(transfer), std::move(done)});
        if (driver->add(
                easy, [this, easy](int code) { finish(easy, code); }, first_multi, multi_span))
            return;
        auto node = transfers.extract(easy);
        hand_back(std::move(node.mapped().done),
                  failed_request(request, {core::errc::fetch, "curl refused the transfer", true, std::nullopt}), false);
    }

    // From the driver, on io's thread, outside libcurl.
    void finish(void* easy, int curl_code) {
        auto node = transfers.extract(easy);
        auto result = node.mapped().transfer->finish(curl_code);
        node.mapped().transfer.reset();  // its handle goes back to this thread's pool
        hand_back(std::move(node.mapped().done), std::move(result), true);
    }

    // `now`: the caller is already running from home's io_context, outside libcurl and the
    // scheduler, so the handler may run at once.
    void hand_back(done_handler done, fetch_result&& result, bool now) {
        if (now && !own) return done(std::move(result));
        net::post(home, [alive = alive, done = std::move(done), r = std::move(result)]() mutable {
            if (!alive.expired()) done(std::move(r));
        });
    }

    // On io's thread, once nothing more runs there: transfers out of curl, then the driver.
    void close() {
        for (auto& [easy, entry] : transfers)
            driver->remove(easy);
        transfers.clear();
        driver.reset();
    }

    void stop() {
        if (!own) return close();
        keep_running.reset();
        own->stop();
        if (thread.joinable()) thread.join();
    }
};

transfer_pool::transfer_pool(net::io_context& home, std::size_t shards, const multi_limits& per_shard) {
    ensure_curl_global_init();  // before any thread may call libcurl
    const std::size_t count = std::max<std::size_t>(1, shards);
    for (std::size_t i = 0; i < count; ++i)
        shards_.push_back(std::make_unique<shard>(home, i > 0, per_shard, alive_));
    running_.assign(count, 0);
    started_.assign(count, 0);
}

transfer_pool::~transfer_pool() {
    alive_.reset();
    for (auto& s : shards_)
        s->stop();
    // Their done handlers will not run: home's run() must not wait for them.
    for (; away_ > 0; --away_)
        shards_.front()->home.get_executor().on_work_finished();
}

std::size_t transfer_pool::shards() const noexcept {
    return shards_.size();
}

std::size_t transfer_pool::least_busy(std::size_t first, std::size_t span) const noexcept {
    std::size_t best = first % shards_.size();
    for (std::size_t i = 1; i < std::min(span, shards_.size()); ++i) {
        const std::size_t candidate = (first + i) % shards_.size();
        if (running_[candidate] < running_[best]) best = candidate;
    }
    return best;
}

void transfer_pool::start(std::size_t index, const fetch_request& request, const transfer_limits& limits,
                          std::size_t first_multi, std::size_t multi_span, done_handler done) {
    shard& s = *shards_[index];
    ++running_[index];
    ++started_[index];
    // While a transfer runs on another thread, nothing of it is pending on home: counted work
    // keeps home's run() from returning meanwhile, as a pending socket wait would.
    const bool away = s.own != nullptr;
    if (away) {
        ++away_;
        s.home.get_executor().on_work_started();
    }
    // Runs on home, like every done handler: the counts are only ever touched there.
    done_handler counted = [this, index, away, done = std::move(done)](fetch_result&& r) {
        --running_[index];
        if (away) {
            --away_;
            shards_[index]->home.get_executor().on_work_finished();
        }
        done(std::move(r));
    };
    if (!away) return s.begin(request, limits, first_multi, multi_span, std::move(counted));
    net::post(*s.own, [&s, &request, &limits, first_multi, multi_span, counted = std::move(counted)]() mutable {
        s.begin(request, limits, first_multi, multi_span, std::move(counted));
    });
}

std::size_t transfer_pool::started(std::size_t index) const noexcept {
    return started_[index];
}

std::size_t transfer_pool::watched_sockets() const {
    std::size_t total = 0;
    for (const auto& s : shards_) {
        if (!s->own) {
            total += s->driver->watched_sockets();
            continue;
        }
        std::promise<std::size_t> answer;
        net::post(*s->own, [&answer, &s] { answer.set_value(s->driver->watched_sockets()); });
        total += answer.get_future().get();
    }
    return total;
}

}  // namespace gisa::fetch
