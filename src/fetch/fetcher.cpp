// The scheduler in front of the curl multi driver: per-host queues, politeness, robots.txt, retries.
#include "fetch/fetcher.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "fetch/easy_transfer.hpp"
#include "fetch/file_fetch.hpp"
#include "fetch/retry_policy.hpp"
#include "fetch/robots.hpp"
#include "fetch/transfer_pool.hpp"

namespace gisa::fetch {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct job {
    fetch_request request;
    fetcher::handler done;
    std::string host_key;  // scheme://host:port
    std::string path;      // path and query, as robots.txt rules see it
    bool is_robots = false;
    int attempts = 0;
    clock_type::time_point submitted;
    clock_type::time_point started;
};

struct host_state {
    std::deque<std::unique_ptr<job>> queue;
    int in_flight = 0;
    std::size_t first_shard = 0;          // of the transfer threads and their multi handles (see start)
    clock_type::time_point next_start{};  // earliest start of the next request
    std::chrono::milliseconds delay{0};
    enum class robots_state { unknown, fetching, known } robots = robots_state::unknown;
    robots_rules rules;
    std::optional<core::error> robots_block;  // robots.txt unreachable or refused: fail requests
    clock_type::time_point robots_expiry{};
};

// libcurl's per-transfer cost grows with the connections one multi handle holds (see
// curl_multi_driver.cpp), so transfers are spread over one multi handle per this many.
constexpr int transfers_per_multi = 128;
// A host that may have this many transfers in flight per thread is spread over the transfer
// threads (each has its own connections); below it, a host stays on one thread, so that its
// few connections are reused.
constexpr int host_transfers_per_thread = 8;

int ceil_div(int a, int b) {
    return (std::max(a, 1) + b - 1) / b;
}

// Per transfer thread.
multi_limits driver_limits(const politeness_options& p, std::size_t threads) {
    multi_limits m;
    m.max_host_connections = p.max_in_flight_per_host;
    m.max_connections_cached = p.max_in_flight;
    m.shards =
        static_cast<std::size_t>(ceil_div(ceil_div(p.max_in_flight, static_cast<int>(threads)), transfers_per_multi));
    return m;
}

transfer_limits robots_limits(const fetcher_options& options) {
    auto limits = options.limits;
    limits.max_body_bytes = std::min(limits.max_body_bytes, options.politeness.max_robots_bytes);
    return limits;
}

}  // namespace

struct fetcher::impl {
    net::io_context& io_;
    fetcher_options options_;
    transfer_limits robots_limits_;  // robots.txt is read with a smaller size cap
    std::string agent_;
    std::unique_ptr<transfer_pool> pool_;  // reset first: its threads read jobs' requests and options_
    net::steady_timer wake_;
    std::optional<clock_type::time_point> wake_at_;
    std::unordered_map<std::string, host_state> hosts_;  // by origin; nodes stay where they are
    // Host name -> its origins, and the holds the frontier put on host names (hold_host).
    std::unordered_map<std::string, std::vector<host_state*>> by_name_;
    std::unordered_map<std::string, clock_type::time_point> holds_;
    fetcher::robots_observer robots_observer_;
    std::map<std::string, host_state*> waiting_hosts_;                     // hosts with a non-empty queue (into hosts_)
    std::string cursor_;                                                   // round-robin start among waiting hosts
    std::vector<std::map<std::string, host_state*>::iterator> order_;      // pump's buffer, kept to reuse
    std::multimap<clock_type::time_point, std::unique_ptr<job>> delayed_;  // retries not yet due
    std::unordered_map<job*, std::unique_ptr<job>> running_;
    int in_flight_ = 0;
    std::size_t queued_ = 0;
    std::mt19937 rng_{std::random_device{}()};
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);

    impl(net::io_context& io, fetcher_options options)
        : io_(io),
          options_(std::move(options)),
          robots_limits_(robots_limits(options_)),
          agent_(options_.politeness.robots_agent.empty() ? robots_agent_token(options_.limits.user_agent)
                                                          : options_.politeness.robots_agent),
          pool_(std::make_unique<transfer_pool>(
              io, transfer_thread_count(options_.transfer_threads),
              driver_limits(options_.politeness, transfer_thread_count(options_.transfer_threads)))),
          wake_(io) {}

    ~impl() {
        alive_.reset();
        wake_.cancel();
        pool_.reset();  // transfers stopped, threads joined: nothing reads running_ jobs any more
        running_.clear();
    }

    // ---- entry ----

    void submit(fetch_request request, handler done) {
        if (request.url.starts_with("file:")) return submit_file(std::move(request), std::move(done));
        request_target where;
        if (auto error = check_target(request, options_.limits, &where); error.code != core::errc::ok)
            return deliver(std::move(done), failed_request(request, std::move(error)));
        auto j = std::make_unique<job>();
        j->request = std::move(request);
        j->done = std::move(done);
        j->host_key = std::move(where.host_key);
        j->path = std::move(where.path);
        j->submitted = clock_type::now();
        enqueue(std::move(j), false);
        pump();
    }

    void submit_file(fetch_request request, handler done) {
        if (!options_.limits.allow_file)
            return deliver(std::move(done), failed_request(request, {core::errc::refused,
                                                                     "file: URLs are not allowed here: " + request.url,
                                                                     false, std::nullopt}));
        deliver(std::move(done), fetch_file(request, options_.limits));
    }

    // Results are passed on by rvalue reference: a fetch_result is a dozen strings, and each
    // move on the way from curl to the caller's handler showed in the benchmark's profile.
    void deliver(handler done, fetch_result&& result) {
        net::post(io_, [done = std::move(done), r = std::move(result)]() mutable { done(std::move(r)); });
    }

    void complete(std::unique_ptr<job> j, fetch_result&& result) {
        result.attempts = j->attempts;
        result.timings.queued = std::chrono::duration_cast<std::chrono::microseconds>(j->started - j->submitted);
        deliver(std::move(j->done), std::move(result));
    }

    void enqueue(std::unique_ptr<job> j, bool front) {
        const std::string& key = j->host_key;  // the job stays where it is; only its owner moves
        auto& host = host_for(key);
        waiting_hosts_.try_emplace(key, &host);
        if (front)
            host.queue.push_front(std::move(j));
        else
            host.queue.push_back(std::move(j));
        ++queued_;
    }

    host_state& host_for(const std::string& key) {
        auto [it, inserted] = hosts_.try_emplace(key);
        if (inserted) {
            it->second.delay = options_.politeness.min_host_delay;
            it->second.first_shard = std::hash<std::string>{}(key);
            const std::string name = host_name(key);
            by_name_[name].push_back(&it->second);
            if (const auto hold = holds_.find(name); hold != holds_.end()) it->second.next_start = hold->second;
        }
        return it->second;
    }

    // "scheme://Host:port" -> "host", as the store keys hosts.
    static std::string host_name(std::string_view key) {
        if (const auto scheme = key.find("://"); scheme != std::string_view::npos) key.remove_prefix(scheme + 3);
        if (const auto colon = key.rfind(':'); colon != std::string_view::npos && key.back() != ']')
            key = key.substr(0, colon);
        std::string out(key);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
        return out;
    }

    void hold_host(const std::string& name, clock_type::time_point until) {
        auto& hold = holds_[name];
        hold = std::max(hold, until);
        if (const auto it = by_name_.find(name); it != by_name_.end())
            for (host_state* host : it->second)
                host->next_start = std::max(host->next_start, until);
        pump();
    }

    std::optional<clock_type::time_point> next_start(const std::string& name) const {
        std::optional<clock_type::time_point> out;
        if (const auto it = by_name_.find(name); it != by_name_.end())
            for (const host_state* host : it->second)
                out = std::max(out.value_or(host->next_start), host->next_start);
        return out;
    }

    // A host's transfers stay on one multi handle, so that they reuse its connections, unless
    // it may have more than transfers_per_multi in flight: then they spread over as many.
    std::size_t multi_span() const {
        return static_cast<std::size_t>(ceil_div(options_.politeness.max_in_flight_per_host, transfers_per_multi));
    }

    // Likewise over the transfer threads, host_transfers_per_thread at a time.
    std::size_t thread_span() const {
        return static_cast<std::size_t>(
            std::max(1, options_.politeness.max_in_flight_per_host / host_transfers_per_thread));
    }

    // ---- scheduling ----

    void pump() {
        const auto now = clock_type::now();
        release_due_retries(now);
        std::optional<clock_type::time_point> earliest;
        // Only the entry being served is erased meanwhile, so the others' iterators stay valid.
        for (const auto it : round_robin_order()) {
            auto& host = *it->second;
            if (const auto when = serve_host(it->first, host, now))
                earliest = std::min(earliest.value_or(*when), *when);
            if (host.queue.empty()) waiting_hosts_.erase(it);
        }
        if (!delayed_.empty()) earliest = std::min(earliest.value_or(delayed_.begin()->first), delayed_.begin()->first);
        if (earliest) arm_wake(*earliest);
    }

    // The waiting hosts, starting after the one that went first last time. The result is a
    // member buffer: pump() does not nest (failures are delivered from the io_context).
    const std::vector<std::map<std::string, host_state*>::iterator>& round_robin_order() {
        order_.clear();
        const auto start = waiting_hosts_.upper_bound(cursor_);
        for (auto it = start; it != waiting_hosts_.end(); ++it)
            order_.push_back(it);
        for (auto it = waiting_hosts_.begin(); it != start; ++it)
            order_.push_back(it);
        if (!order_.empty()) cursor_ = order_.front()->first;
        return order_;
    }

    // Starts what the host's politeness allows now; returns when it may start more, if waiting on time.
    std::optional<clock_type::time_point> serve_host(const std::string& key, host_state& host,
                                                     clock_type::time_point now) {
        if (options_.politeness.obey_robots && !robots_fresh(host, now)) {
            if (host.robots == host_state::robots_state::fetching) return std::nullopt;
            // robots.txt is a request like the others: it waits for the host's delay (and for a
            // hold another instance's last request put on the host).
            if (now < host.next_start) return host.next_start;
            start_robots(key, host, now);
            return std::nullopt;
        }
        if (host.robots_block) {
            fail_queue(host, *host.robots_block);
            return std::nullopt;
        }
        while (!host.queue.empty() && host.in_flight < options_.politeness.max_in_flight_per_host &&
               in_flight_ < options_.politeness.max_in_flight && now >= host.next_start) {
            auto j = std::move(host.queue.front());
            host.queue.pop_front();
            --queued_;
            if (options_.politeness.obey_robots && !host.rules.allowed(j->path)) {
                auto error = core::error{core::errc::refused, "disallowed by robots.txt: " + j->request.url, false,
                                         std::nullopt};
                j->started = now;
                auto result = failed_request(j->request, std::move(error));
                complete(std::move(j), std::move(result));
                continue;
            }
            host.next_start = now + host.delay;
            start(std::move(j), host, now);
        }
        if (!host.queue.empty() && host.in_flight < options_.politeness.max_in_flight_per_host && now < host.next_start)
            return host.next_start;
        return std::nullopt;
    }

    void release_due_retries(clock_type::time_point now) {
        while (!delayed_.empty() && delayed_.begin()->first <= now) {
            auto j = std::move(delayed_.begin()->second);
            delayed_.erase(delayed_.begin());
            --queued_;
            if (j->is_robots) {
                auto& host = host_for(j->host_key);
                if (now < host.next_start) {  // a retry waits for the host's delay too
                    ++queued_;
                    delayed_.emplace(host.next_start, std::move(j));
                    continue;
                }
                host.next_start = now + host.delay;
                start(std::move(j), host, now);
            } else {
                enqueue(std::move(j), true);
            }
        }
    }

    void arm_wake(clock_type::time_point when) {
        if (wake_at_ && *wake_at_ <= when) return;
        wake_at_ = when;
        wake_.expires_at(when);
        wake_.async_wait([this, alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
            if (alive.expired() || ec == net::error::operation_aborted) return;
            wake_at_.reset();
            pump();
        });
    }

    void fail_queue(host_state& host, const core::error& error) {
        while (!host.queue.empty()) {
            auto j = std::move(host.queue.front());
            host.queue.pop_front();
            --queued_;
            j->started = clock_type::now();
            auto result = failed_request(j->request, error);
            complete(std::move(j), std::move(result));
        }
    }

    // ---- transfers ----

    // Called from pump(); the pool never calls back from inside start, so pump() never nests.
    // The job stays in running_, unchanged, until its transfer is done: the pool's thread
    // reads its request meanwhile.
    void start(std::unique_ptr<job> j, host_state& host, clock_type::time_point now) {
        ++j->attempts;
        j->started = now;
        ++host.in_flight;
        ++in_flight_;
        job* raw = j.get();
        running_.emplace(raw, std::move(j));
        const std::size_t shard = pool_->least_busy(host.first_shard / pool_->shards(), thread_span());
        // Checked at submit (robots.txt URLs are built from a checked host key).
        pool_->start(shard, raw->request, raw->is_robots ? robots_limits_ : options_.limits, host.first_shard,
                     multi_span(), [this, raw](fetch_result&& result) { on_transfer_done(raw, std::move(result)); });
    }

    void on_transfer_done(job* raw, fetch_result&& result) {
        auto node = running_.extract(raw);
        auto j = std::move(node.mapped());
        auto& host = host_for(j->host_key);
        --host.in_flight;
        --in_flight_;
        // The delay also runs from each request's end, so that the server sees the gap even when
        // a request took a while to arrive.
        host.next_start = std::max(host.next_start, clock_type::now() + host.delay);
        // Retry-After speaks for the whole host, not just this URL.
        if (result.error.retry_after && result.error.retry_after <= options_.retry.max_retry_after)
            host.next_start = std::max(host.next_start, clock_type::now() + *result.error.retry_after);
        finish_job(std::move(j), std::move(result));
        pump();
    }

    void finish_job(std::unique_ptr<job> j, fetch_result&& result) {
        if (const auto wait = retry_wait(options_.retry, result.error, j->attempts, rng_)) {
            ++queued_;
            delayed_.emplace(clock_type::now() + *wait, std::move(j));
            return;
        }
        if (j->is_robots) return on_robots(*j, result);
        complete(std::move(j), std::move(result));
    }

    // ---- robots.txt ----

    bool robots_fresh(const host_state& host, clock_type::time_point now) const {
        return host.robots == host_state::robots_state::known && now < host.robots_expiry;
    }

    void start_robots(const std::string& key, host_state& host, clock_type::time_point now) {
        host.robots = host_state::robots_state::fetching;
        auto j = std::make_unique<job>();
        j->request.url = key + "/robots.txt";
        j->host_key = key;
        j->path = "/robots.txt";
        j->is_robots = true;
        j->submitted = now;
        host.next_start = now + host.delay;
        start(std::move(j), host, now);
    }

    void on_robots(const job& j, const fetch_result& result) {
        auto& host = host_for(j.host_key);
        const auto now = clock_type::now();
        const auto& p = options_.politeness;
        host.robots = host_state::robots_state::known;
        host.robots_block.reset();
        host.rules = robots_rules{};
        host.robots_expiry = now + p.robots_ttl;
        const bool unavailable = result.status >= 400 && result.status < 500 && result.status != 429;
        if (result.ok()) {
            host.rules = robots_rules::parse(result.body, agent_);
        } else if (result.error.code == core::errc::refused) {
            host.robots_block = result.error;  // the host itself is refused: say so for each request
            host.robots_expiry = now + p.robots_error_ttl;
        } else if (unavailable) {
            // RFC 9309 2.3.1.3: robots.txt "unavailable" allows everything.
        } else if (result.error.code != core::errc::too_large && result.error.code != core::errc::not_html) {
            // RFC 9309 2.3.1.4: "unreachable" (5xx, network) means complete disallow for a while.
            host.robots_block = core::error{core::errc::fetch, "robots.txt unreachable: " + result.error.message, true,
                                            std::chrono::duration_cast<std::chrono::milliseconds>(p.robots_error_ttl)};
            host.robots_expiry = now + p.robots_error_ttl;
        }
        apply_crawl_delay(host);
        host.next_start = std::max(host.next_start, now + host.delay);
        if (!host.queue.empty()) waiting_hosts_.try_emplace(j.host_key, &host);
        if (robots_observer_ && (result.ok() || unavailable))
            robots_observer_(j.host_key, static_cast<int>(result.status == 0 ? 200 : result.status),
                             result.ok() ? result.body : std::string());
    }

    void prime_robots(const std::string& origin, int status, std::string body, std::chrono::seconds age) {
        const auto& p = options_.politeness;
        if (!p.obey_robots || age >= p.robots_ttl) return;
        auto& host = host_for(origin);
        const auto now = clock_type::now();
        if (robots_fresh(host, now) || host.robots == host_state::robots_state::fetching) return;
        host.robots = host_state::robots_state::known;
        host.robots_block.reset();
        host.rules = status >= 200 && status < 300 ? robots_rules::parse(body, agent_) : robots_rules{};
        host.robots_expiry = now + (p.robots_ttl - age);
        apply_crawl_delay(host);
    }

    void apply_crawl_delay(host_state& host) const {
        const auto& p = options_.politeness;
        const auto crawl_delay = std::min<std::chrono::milliseconds>(
            host.rules.crawl_delay().value_or(std::chrono::milliseconds{0}), p.max_crawl_delay);
        host.delay = std::max(p.min_host_delay, crawl_delay);
    }
};

fetcher::fetcher(net::io_context& io, fetcher_options options)
    : impl_(std::make_unique<impl>(io, std::move(options))) {}
fetcher::~fetcher() = default;

void fetcher::fetch(fetch_request request, handler done) {
    impl_->submit(std::move(request), std::move(done));
}

void fetcher::hold_host(const std::string& host, std::chrono::steady_clock::time_point until) {
    impl_->hold_host(host, until);
}
std::optional<std::chrono::steady_clock::time_point> fetcher::next_start(const std::string& host) const {
    return impl_->next_start(host);
}
void fetcher::prime_robots(const std::string& origin, int status, std::string body, std::chrono::seconds age) {
    impl_->prime_robots(origin, status, std::move(body), age);
}
void fetcher::on_robots(robots_observer observer) {
    impl_->robots_observer_ = std::move(observer);
}

const fetcher_options& fetcher::options() const noexcept {
    return impl_->options_;
}
std::size_t fetcher::queued() const noexcept {
    return impl_->queued_;
}
std::size_t fetcher::in_flight() const noexcept {
    return static_cast<std::size_t>(impl_->in_flight_);
}
std::size_t fetcher::watched_sockets() const {
    return impl_->pool_->watched_sockets();
}

std::size_t fetcher::transfer_threads() const noexcept {
    return impl_->pool_->shards();
}

fetch_result fetch_one(const fetch_request& request, const fetcher_options& options) {
    net::io_context io;
    fetch_result out;
    {
        auto one_thread = options;
        one_thread.transfer_threads = 1;  // one page: a thread would cost more than it brings
        fetcher f(io, one_thread);
        f.fetch(request, [&](fetch_result r) {
            out = std::move(r);
            io.stop();  // curl may keep an idle timer; the answer is in
        });
        io.run();
    }
    return out;
}

}  // namespace gisa::fetch
