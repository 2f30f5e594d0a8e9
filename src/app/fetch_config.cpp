// Reads the config file with toml++: [database] dsn, the [fetch] tables, [[source]], [crawl], [metrics]. Every key is
// checked: an unknown key (a typo), a wrong type or a value out of range is an error that names the file and the key,
// never silently ignored. Durations carry their unit in the key name (_ms, _s).
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
#include <regex>
#include <set>
#include <vector>

#include "core/web_url.hpp"

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

    // An array of strings.
    void texts(std::string_view key, std::vector<std::string>& out) {
        if (const toml::node* n = find(key)) {
            const toml::array* items = n->as_array();
            if (items == nullptr) fail(key, "must be an array of strings");
            out.clear();
            for (const toml::node& item : *items) {
                if (!item.is_string()) fail(key, "must be an array of strings");
                out.push_back(item.as_string()->get());
            }
        }
    }

    // An array of tables ([[source]]); nullptr when absent.
    const toml::array* tables(std::string_view key) {
        const toml::node* n = find(key);
        if (n == nullptr) return nullptr;
        const toml::array* items = n->as_array();
        if (items == nullptr || !items->is_array_of_tables()) fail(key, "must be an array of tables ([[source]])");
        return items;
    }

    void flag(std::string_view key, bool& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_boolean()) fail(key, "must be true or false");
            out = n->as_boolean()->get();
        }
    }

    void optional_integer(std::string_view key, std::optional<std::int64_t>& out, std::int64_t min, std::int64_t max) {
        if (const toml::node* n = find(key)) out = bounded(key, *n, min, max);
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
// Reads [database] into `out`.
void check_tables(const toml::table& config, const std::string& origin, config_file& out) {
    table_reader top(&config, origin);
    top.table("database");
    top.table("fetch");
    top.tables("source");
    top.table("crawl");
    top.table("metrics");
    top.finish();
    table_reader database(top.table("database"), origin + ": [database]");
    database.text("dsn", out.dsn);
    database.flag("prepared_statements", out.prepared_statements);
    database.finish();
}

crawl::source_config read_source(const toml::table& table, const std::string& where) {
    table_reader r(&table, where);
    crawl::source_config s;
    r.text("name", s.name);
    r.texts("start_urls", s.start_urls);
    r.flag("follow_rows", s.follow_rows);
    r.texts("follow_links", s.follow_links);
    r.integer("max_pages", s.max_pages, 1, 1000);
    r.duration<std::chrono::seconds>("interval_s", s.interval, 10, 30 * day_s);
    std::optional<std::int64_t> every;
    std::optional<std::int64_t> window;
    r.optional_integer("article_recheck_s", every, 60, 365 * day_s);
    r.optional_integer("article_recheck_for_s", window, 0, 10 * 365 * day_s);
    if (every) s.recheck_every = std::chrono::seconds(*every);
    if (window) s.recheck_for = std::chrono::seconds(*window);
    r.finish();
    if (s.name.empty()) throw fetch_config_error(where + " name must be set (a unique name)");
    if (s.start_urls.empty()) throw fetch_config_error(where + " start_urls must list at least one URL");
    for (const std::string& url : s.start_urls)
        if (!core::is_web_url(url))
            throw fetch_config_error(fmt::format("{} start_urls: \"{}\" is not an http(s) URL", where, url));
    try {
        s.compile();
    } catch (const std::regex_error& bad) {
        throw fetch_config_error(fmt::format("{} follow_links: a pattern does not compile: {}", where, bad.what()));
    }
    return s;
}

void read_crawl(table_reader& r, crawl::crawl_options& c, std::string& log_level) {
    r.text("owner", c.owner);
    r.duration<std::chrono::seconds>("lease_s", c.lease, 10, day_s);
    r.integer("claim_batch", c.claim_batch, 1, 10'000);
    r.integer("max_outstanding", c.max_outstanding, 1, 100'000);
    r.integer("extract_threads", c.extract_threads, 0, 256);
    r.integer("store_batch", c.store_batch, 1, 10'000);
    r.duration<std::chrono::milliseconds>("store_flush_ms", c.store_flush, 1, 60'000);
    r.duration<std::chrono::milliseconds>("idle_poll_ms", c.idle_poll, 10, 3'600'000);
    r.duration<std::chrono::seconds>("article_recheck_s", c.recheck_every, 60, 365 * day_s);
    r.duration<std::chrono::seconds>("article_recheck_for_s", c.recheck_for, 0, 10 * 365 * day_s);
    r.integer("max_failures", c.max_failures, 1, 100);
    r.duration<std::chrono::seconds>("failure_backoff_s", c.failure_backoff, 1, day_s);
    r.duration<std::chrono::seconds>("max_backoff_s", c.max_backoff, 1, 30 * day_s);
    r.text("log_level", log_level);
    static const std::set<std::string, std::less<>> levels{"debug", "info", "notice", "warning", "error"};
    if (!levels.contains(log_level))
        throw fetch_config_error("[crawl] log_level must be one of debug, info, notice, warning, error");
}

void read_crawl_tables(const toml::table& config, const std::string& origin, config_file& out) {
    if (const toml::node* node = config.get("source")) {
        std::set<std::string, std::less<>> names;
        std::size_t i = 0;
        for (const toml::node& item : *node->as_array()) {
            const std::string where = fmt::format("{}: [[source]] #{}", origin, ++i);
            crawl::source_config s = read_source(*item.as_table(), where);
            if (!names.insert(s.name).second)
                throw fetch_config_error(fmt::format("{} name \"{}\" is used by an earlier source", where, s.name));
            out.sources.push_back(std::move(s));
        }
    }
    table_reader crawl_table(config.get_as<toml::table>("crawl"), origin + ": [crawl]");
    try {
        read_crawl(crawl_table, out.crawl, out.log_level);
    } catch (const fetch_config_error& failure) {
        const std::string what = failure.what();
        throw fetch_config_error(what.starts_with(origin) ? what : origin + ": " + what);
    }
    crawl_table.finish();
    table_reader metrics(config.get_as<toml::table>("metrics"), origin + ": [metrics]");
    metrics.text("listen", out.metrics_listen);
    metrics.finish();
}

config_file apply(const toml::table& config, const std::string& origin, fetch::fetcher_options o) {
    config_file out;
    check_tables(config, origin, out);
    read_crawl_tables(config, origin, out);
    const toml::node* fetch_node = config.get("fetch");
    if (fetch_node == nullptr) {
        out.fetch = std::move(o);
        return out;
    }

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
    out.fetch = std::move(o);
    return out;
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

config_file read_config(const std::string& toml_text, const std::string& origin, fetch::fetcher_options base) {
    return apply(parse(toml_text, origin), origin, std::move(base));
}

config_file load_config_file(const std::string& path, fetch::fetcher_options base) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fetch_config_error(fmt::format("cannot read config {}: {}", path, std::strerror(errno)));
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return apply(parse(text, path), path, std::move(base));
}

}  // namespace gisa::app
