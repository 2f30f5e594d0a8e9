// The database thread of the crawl (db_worker.hpp).
#include "crawl/db_worker.hpp"

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <thread>

#include "core/log.hpp"
#include "store/db_error.hpp"

namespace gisa::crawl {

namespace {

namespace net = boost::asio;
using steady = std::chrono::steady_clock;
using core::log;
using core::log_level;

constexpr auto retry_first = std::chrono::milliseconds(250);
constexpr auto retry_max = std::chrono::milliseconds(10'000);
constexpr auto stop_check = std::chrono::milliseconds(100);

}  // namespace

db_worker::db_worker(net::io_context& io, std::string dsn, store::store_options options, core::metrics::gauge& up)
    : io_(io), dsn_(std::move(dsn)), options_(std::move(options)), up_gauge_(up) {
    options_.reconnect.give_up_after = std::chrono::milliseconds(0);  // run() waits, interruptibly
}

db_worker::~db_worker() {
    alive_.reset();
    stopping_ = true;
    thread_.stop();
}

void db_worker::post(work w, done d) {
    thread_.submit([this, alive_now = std::weak_ptr<int>(alive_), w = std::move(w), d = std::move(d)] {
        std::optional<std::string> failure = run(w);
        net::post(io_, [alive_now, d, failure] {
            if (alive_now.lock()) d(failure);
        });
    });
}

bool db_worker::stuck(steady::duration limit) const {
    const std::optional<steady::time_point> since = thread_.oldest_running();
    if (!since) return false;
    const steady::time_point beat{steady::duration(beat_.load())};
    return steady::now() - std::max(*since, beat) > limit;
}

std::optional<std::string> db_worker::run(const work& w) {
    auto delay = retry_first;
    for (;;) {
        beat_ = steady::now().time_since_epoch().count();
        try {
            if (!db_) db_.emplace(store::store::connect(dsn_, options_));
            w(*db_);
            set_up(true, {});
            return std::nullopt;
        } catch (const store::db_error& failure) {
            if (!failure.poisons_connection() && !failure.retryable()) return std::string(failure.what());
            if (failure.poisons_connection()) db_.reset();
            set_up(false, failure.what());
            if (!sleep_unless_stopping(delay)) return std::string("stopped while the database was away");
            delay = std::min(delay * 2, retry_max);
        } catch (const std::exception& failure) {
            return std::string(failure.what());
        }
    }
}

bool db_worker::sleep_unless_stopping(std::chrono::milliseconds delay) {
    const auto until = steady::now() + delay;
    while (steady::now() < until) {
        if (stopping_) return false;
        std::this_thread::sleep_for(std::min<steady::duration>(stop_check, until - steady::now()));
        beat_ = steady::now().time_since_epoch().count();
    }
    return !stopping_;
}

void db_worker::set_up(bool up, const std::string& why) {
    up_ = up;
    up_gauge_.set(up ? 1 : 0);
    if (!up && !down_logged_) {
        log(log_level::warning, fmt::format("database unreachable, the crawl waits for it: {}", why));
        down_logged_ = true;
    } else if (up && down_logged_) {
        log(log_level::notice, "database reachable again; the crawl goes on");
        down_logged_ = false;
    }
}

}  // namespace gisa::crawl
