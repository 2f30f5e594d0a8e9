// Reads the [fetch] tables of the config file, and its [database] dsn, with toml++. Every key is checked: an unknown
// key (a typo), a wrong type or a value out of range is an error that names the file and the key, never silently
// ignored. Durations carry their unit in the key name (_ms, _s).
#include "app/fetch_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

namespace gisa::app {

namespace {

// Reads typed keys out of one TOML table and remembers which keys it was asked for, so that
// finish() can refuse the others.
class table_reader {
  public:
    table_reader(const toml::table* table, std::string where) : table_(table), where_(std::move(where)) {}

    void text(std::string_view key, std::string& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_string()) fail(key, "must be a string");
            out = n->as_string()->get();
        }
    }

    // A string key that may be absent (nullopt then).
    void text(std::string_view key, std::optional<std::string>& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_string()) fail(key, "must be a string");
            out = n->as_string()->get();
        }
    }

    void flag(std::string_view key, bool& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_boolean()) fail(key, "must be true or false");
            out = n->as_boolean()->get();
        }
    }

    template <typename Int>
    void integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
        if (const toml::node* n = find(key)) out = static_cast<Int>(bounded(key, *n, min, max));
    }

    // An integer count of `Unit` (seconds for "_s" keys, milliseconds for "_ms").
    template <typename Unit, typename Duration>
    void duration(std::string_view key, Duration& out, std::int64_t min, std::int64_t max) {
        if (const toml::node* n = find(key))
            out = std::chrono::duration_cast<Duration>(Unit(bounded(key, *n, min, max)));
    }

    // A sub-table ("politeness" in [fetch]); nullptr when absent.
    const toml::table* table(std::string_view key) {
        const toml::node* n = find(key);
        if (n == nullptr) return nullptr;
        if (!n->is_table()) fail(key, "must be a table");
        return n->as_table();
    }

    void finish() const {
        if (table_ == nullptr) return;
        for (const auto& [key, value] : *table_)
            if (!asked_.contains(std::string(key.str())))
                throw fetch_config_error(fmt::format("{}: unknown key \"{}\"", where_, key.str()));
    }

  private:
    const toml::node* find(std::string_view key) {
        asked_.emplace(key);
        return table_ == nullptr ? nullptr : table_->get(key);
    }

    std::int64_t bounded(std::string_view key, const toml::node& n, std::int64_t min, std::int64_t max) const {
        const auto range = [&] { return fmt::format("must be an integer from {} to {}", min, max); };
        if (!n.is_integer()) fail(key, range());
        const std::int64_t v = n.as_integer()->get();
        if (v < min || v > max) fail(key, fmt::format("{} (got {})", range(), v));
        return v;
    }

    [[noreturn]] void fail(std::string_view key, std::string_view what) const {
        throw fetch_config_error(fmt::format("{} {} {}", where_, key, what));
    }

    const toml::table* table_;
    std::string where_;
    std::set<std::string, std::less<>> asked_;
};

constexpr std::int64_t hour_s = 3600;
constexpr std::int64_t day_s = 24 * hour_s;

void read_limits(table_reader& r, fetch::transfer_limits& l) {
    r.text("user_agent", l.user_agent);
    r.flag("allow_private", l.allow_private);
    r.flag("verify_tls", l.verify_tls);
    r.text("proxy", l.proxy);
    r.duration<std::chrono::seconds>("connect_timeout_s", l.connect_timeout, 1, hour_s);
    r.duration<std::chrono::seconds>("total_timeout_s", l.total_timeout, 1, day_s);
    r.integer("low_speed_bytes_per_s", l.low_speed_bytes_per_s, 0, std::int64_t{1} << 30);
    r.duration<std::chrono::seconds>("low_speed_window_s", l.low_speed_window, 1, hour_s);
    r.integer("max_redirects", l.max_redirects, 0, 50);
    r.integer("max_body_bytes", l.max_body_bytes, 1024, std::int64_t{1} << 32);
}

void read_politeness(table_reader& r, fetch::politeness_options& p) {
    r.duration<std::chrono::milliseconds>("min_host_delay_ms", p.min_host_delay, 0, hour_s * 1000);
    r.integer("max_in_flight_per_host", p.max_in_flight_per_host, 1, 1000);
    r.integer("max_in_flight", p.max_in_flight, 1, 100'000);
    r.flag("obey_robots", p.obey_robots);
    r.text("robots_agent", p.robots_agent);
    r.duration<std::chrono::seconds>("robots_ttl_s", p.robots_ttl, 1, 30 * day_s);
    r.duration<std::chrono::seconds>("robots_error_ttl_s", p.robots_error_ttl, 0, day_s);
    r.duration<std::chrono::seconds>("max_crawl_delay_s", p.max_crawl_delay, 0, day_s);
    r.integer("max_robots_bytes", p.max_robots_bytes, 1024, std::int64_t{64} << 20);
}

void read_retry(table_reader& r, fetch::retry_options& o) {
    r.integer("max_attempts", o.max_attempts, 1, 20);
    r.duration<std::chrono::milliseconds>("base_delay_ms", o.base_delay, 0, hour_s * 1000);
    r.duration<std::chrono::milliseconds>("max_delay_ms", o.max_delay, 0, day_s * 1000);
    r.duration<std::chrono::seconds>("max_retry_after_s", o.max_retry_after, 0, day_s);
}

// The tables gisa reads today; a misspelt one ("[fecth]") would otherwise be ignored whole.
// Returns [database] dsn when the file has one.
std::optional<std::string> check_tables(const toml::table& config, const std::string& origin) {
    table_reader top(&config, origin);
    top.table("database");
    top.table("fetch");
    top.finish();
    table_reader database(top.table("database"), origin + ": [database]");
    std::optional<std::string> dsn;
    database.text("dsn", dsn);
    database.finish();
    return dsn;
}

config_file apply(const toml::table& config, const std::string& origin, fetch::fetcher_options o) {
    std::optional<std::string> dsn = check_tables(config, origin);
    const toml::node* fetch_node = config.get("fetch");
    if (fetch_node == nullptr) return {std::move(o), std::move(dsn)};

    table_reader fetch_table(fetch_node->as_table(), origin + ": [fetch]");
    read_limits(fetch_table, o.limits);
    fetch_table.integer("transfer_threads", o.transfer_threads, 0, 64);
    table_reader politeness(fetch_table.table("politeness"), origin + ": [fetch.politeness]");
    read_politeness(politeness, o.politeness);
    table_reader retry(fetch_table.table("retry"), origin + ": [fetch.retry]");
    read_retry(retry, o.retry);
    fetch_table.finish();
    politeness.finish();
    retry.finish();

    if (o.retry.max_delay < o.retry.base_delay)
        throw fetch_config_error(origin + ": [fetch.retry] max_delay_ms must not be below base_delay_ms");
    if (o.politeness.max_in_flight_per_host > o.politeness.max_in_flight)
        throw fetch_config_error(origin + ": [fetch.politeness] max_in_flight_per_host must not exceed max_in_flight");
    return {std::move(o), std::move(dsn)};
}

toml::table parse(const std::string& toml_text, const std::string& origin) {
    try {
        return toml::parse(toml_text, origin);
    } catch (const toml::parse_error& failure) {
        const auto& at = failure.source().begin;
        throw fetch_config_error(
            fmt::format("cannot read config {} (line {}): {}", origin, at.line, failure.description()));
    }
}

}  // namespace

fetch::fetcher_options apply_fetch_config(const std::string& toml_text, const std::string& origin,
                                          fetch::fetcher_options base) {
    return apply(parse(toml_text, origin), origin, std::move(base)).fetch;
}

config_file load_config_file(const std::string& path, fetch::fetcher_options base) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fetch_config_error(fmt::format("cannot read config {}: {}", path, std::strerror(errno)));
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return apply(parse(text, path), path, std::move(base));
}

}  // namespace gisa::app
