// `gisa run [--config FILE] [--dsn DSN] [--allow-private]`: the crawl daemon's life cycle. It reads the config,
// starts the crawl loop (src/crawl/) on one io_context, serves /metrics when [metrics] listen is set, and speaks
// systemd's notify protocol: READY=1 after the first claim, STATUS= every few seconds, WATCHDOG=1 only while the
// loop and its pools make progress. SIGHUP reloads the sources; SIGTERM (or SIGINT) stops within 10 s, exit 0.
//
// Exit codes (commands.hpp): exit_usage for a missing or invalid config file; exit_database when the database
// refuses the schema; exit_ok after a stop by signal.
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "app/commands.hpp"
#include "app/daemon_notify.hpp"
#include "app/fetch_config.hpp"
#include "app/metrics_server.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "crawl/crawler.hpp"
#include "store/dsn_source.hpp"

namespace gisa::app {

namespace {

namespace net = boost::asio;
using core::log;
using core::log_level;

// SIGTERM to exit: systemd waits TimeoutStopSec (15 s in our unit); we promise 10.
constexpr auto hard_stop_after = std::chrono::milliseconds(9500);
// A pool job (one extraction, one database call) running longer than this means a wedged daemon.
constexpr auto stuck_after = std::chrono::seconds(120);
// Without a watchdog the progress check still runs, to log a wedge.
constexpr auto default_watchdog_tick = std::chrono::seconds(10);

log_level level_named(const std::string& name) {
    if (name == "debug") return log_level::debug;
    if (name == "notice") return log_level::notice;
    if (name == "warning") return log_level::warning;
    if (name == "error") return log_level::error;
    return log_level::info;
}

// The config for the daemon: the file (which must exist: a daemon without sources has nothing to
// do), then the command line's widening of it.
config_file daemon_config(const daemon_options& options) {
    config_file file = load_config_file(options.config, fetch::fetcher_options{});
    file.fetch.limits.allow_private = file.fetch.limits.allow_private || options.allow_private;
    file.fetch.limits.allow_file = false;  // a crawler follows links from pages it does not control
    file.crawl.prepared_statements = file.prepared_statements;
    return file;
}

class daemon {
  public:
    daemon(const daemon_options& options, config_file config, std::string dsn)
        : options_(options),
          config_(std::move(config)),
          signals_(io_, SIGTERM, SIGINT, SIGHUP),
          watchdog_timer_(io_),
          hard_stop_(io_),
          crawler_(io_, std::move(dsn), config_.fetch, config_.crawl, config_.sources, metrics_, hooks()) {}

    int run() {
        if (!config_.metrics_listen.empty()) {
            metrics_server_ =
                std::make_unique<metrics_server>(io_, config_.metrics_listen, [this] { return metrics_.render(); });
            log(log_level::notice, fmt::format("metrics on http://{}/metrics", config_.metrics_listen));
        }
        if (config_.sources.empty())
            log(log_level::warning, fmt::format("{} has no [[source]]: nothing to crawl until one is added and the "
                                                "daemon reloaded (SIGHUP)",
                                                options_.config));
        wait_for_signal();
        arm_watchdog();
        crawler_.start();
        io_.run();
        return exit_code_;
    }

  private:
    crawl::crawl_hooks hooks() {
        crawl::crawl_hooks h;
        h.on_ready = [] {
            notify_ready();
            log(log_level::notice, "ready: the first claim succeeded");
        };
        h.on_status = [](const std::string& line) { notify_status(line); };
        h.on_fatal = [this] {
            exit_code_ = exit_database;
            stop();
        };
        return h;
    }

    void wait_for_signal() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            if (signal == SIGHUP) {
                reload();
                wait_for_signal();
                return;
            }
            log(log_level::notice, fmt::format("signal {}: stopping", signal == SIGTERM ? "TERM" : "INT"));
            stop();
        });
    }

    void reload() {
        notify_reloading();
        try {
            config_file fresh = daemon_config(options_);
            log(log_level::notice, fmt::format("reloading sources from {}", options_.config));
            crawler_.reload(std::move(fresh.sources));
        } catch (const fetch_config_error& failure) {
            log(log_level::error, fmt::format("reload refused, the sources stay as they were: {}", failure.what()));
        }
        notify_ready();
    }

    void stop() {
        if (stopping_) return;
        stopping_ = true;
        notify_stopping();
        watchdog_timer_.cancel();
        hard_stop_.expires_after(hard_stop_after);
        hard_stop_.async_wait([](const boost::system::error_code& ec) {
            if (ec) return;
            // The database or a transfer did not let go in time; the leases run out by themselves.
            log(log_level::warning, "stop took too long: exiting now");
            std::_Exit(exit_ok);
        });
        crawler_.stop([this] {
            hard_stop_.cancel();
            signals_.cancel();
            if (metrics_server_) metrics_server_->stop();
            io_.stop();
        });
    }

    void arm_watchdog() {
        const std::optional<std::chrono::microseconds> interval = watchdog_interval();
        const auto tick = interval ? std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2)
                                   : std::chrono::duration_cast<std::chrono::milliseconds>(default_watchdog_tick);
        watchdog_timer_.expires_after(tick);
        watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping_) return;
            // This runs on the loop, so the loop itself moves; the pools are asked.
            if (crawler_.making_progress(stuck_after))
                notify_watchdog();
            else
                log(log_level::error, "a worker is stuck: no watchdog ping (systemd restarts a wedged daemon)");
            arm_watchdog();
        });
    }

    const daemon_options& options_;
    config_file config_;
    net::io_context io_;
    core::metrics::registry metrics_;
    std::unique_ptr<metrics_server> metrics_server_;
    net::signal_set signals_;
    net::steady_timer watchdog_timer_;
    net::steady_timer hard_stop_;
    crawl::crawler crawler_;
    bool stopping_ = false;
    int exit_code_ = exit_ok;
};

}  // namespace

int run_daemon(const daemon_options& options) {
    config_file config;
    try {
        config = daemon_config(options);
    } catch (const fetch_config_error& failure) {
        std::fprintf(stderr, "gisa run: %s\n", failure.what());
        return exit_usage;
    }
    core::set_log_level(level_named(config.log_level));
    const store::dsn_choice target = store::choose_dsn(options.dsn, config.dsn, options.config);
    if (!config.fetch.limits.verify_tls)
        log(log_level::warning,
            fmt::format("TLS certificates are not verified (verify_tls = false in {})", options.config));
    try {
        daemon d(options, std::move(config), target.dsn);
        return d.run();
    } catch (const std::runtime_error& failure) {  // the metrics address could not be bound
        std::fprintf(stderr, "gisa run: %s\n", failure.what());
        return exit_usage;
    }
}

}  // namespace gisa::app
