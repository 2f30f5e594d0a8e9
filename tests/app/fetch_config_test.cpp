// The config file: every key of [fetch], [[source]], [crawl] and [metrics] reaches its options, and
// every mistake is refused with a message that names the key.
#include <catch2/catch.hpp>

#include <string>

#include "app/fetch_config.hpp"

using gisa::app::apply_fetch_config;
using gisa::app::fetch_config_error;
using gisa::app::load_config_file;
using gisa::fetch::fetcher_options;
using namespace std::chrono_literals;

namespace {

fetcher_options parse(const std::string& text) {
    return apply_fetch_config(text, "test.toml", {});
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const fetch_config_error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a file without [fetch] keeps the safe defaults", "[app][config]") {
    const fetcher_options defaults;
    const auto o = parse("[database]\ndsn = \"dbname=gisa\"\n");
    CHECK(o.limits.verify_tls);
    CHECK_FALSE(o.limits.allow_private);
    CHECK(o.limits.total_timeout == defaults.limits.total_timeout);
    CHECK(o.politeness.min_host_delay == defaults.politeness.min_host_delay);
    CHECK(o.politeness.obey_robots);
    CHECK(o.retry.max_attempts == defaults.retry.max_attempts);
}

TEST_CASE("every [fetch] key reaches the fetcher options", "[app][config]") {
    const auto o = parse(R"toml(
[fetch]
user_agent = "corpus-bot/2.0 (+mailto:ops@example.org)"
allow_private = true
verify_tls = true
proxy = "http://proxy.internal:3128"
connect_timeout_s = 7
total_timeout_s = 45
low_speed_bytes_per_s = 500
low_speed_window_s = 15
max_redirects = 3
max_body_bytes = 2_000_000
transfer_threads = 3

[fetch.politeness]
min_host_delay_ms = 2500
max_in_flight_per_host = 1
max_in_flight = 32
obey_robots = false
robots_agent = "corpus-bot"
robots_ttl_s = 3600
robots_error_ttl_s = 60
max_crawl_delay_s = 30
max_robots_bytes = 100000

[fetch.retry]
max_attempts = 5
base_delay_ms = 200
max_delay_ms = 10000
max_retry_after_s = 90
)toml");
    CHECK(o.limits.user_agent == "corpus-bot/2.0 (+mailto:ops@example.org)");
    CHECK(o.limits.allow_private);
    CHECK(o.limits.proxy == "http://proxy.internal:3128");
    CHECK(o.limits.connect_timeout == 7s);
    CHECK(o.limits.total_timeout == 45s);
    CHECK(o.limits.low_speed_bytes_per_s == 500);
    CHECK(o.limits.low_speed_window == 15s);
    CHECK(o.limits.max_redirects == 3);
    CHECK(o.limits.max_body_bytes == 2'000'000);
    CHECK(o.transfer_threads == 3);
    CHECK(o.politeness.min_host_delay == 2500ms);
    CHECK(o.politeness.max_in_flight_per_host == 1);
    CHECK(o.politeness.max_in_flight == 32);
    CHECK_FALSE(o.politeness.obey_robots);
    CHECK(o.politeness.robots_agent == "corpus-bot");
    CHECK(o.politeness.robots_ttl == 3600s);
    CHECK(o.politeness.robots_error_ttl == 60s);
    CHECK(o.politeness.max_crawl_delay == 30s);
    CHECK(o.politeness.max_robots_bytes == 100'000);
    CHECK(o.retry.max_attempts == 5);
    CHECK(o.retry.base_delay == 200ms);
    CHECK(o.retry.max_delay == 10s);
    CHECK(o.retry.max_retry_after == 90s);
}

TEST_CASE("absent keys keep the values they had", "[app][config]") {
    fetcher_options base;
    base.politeness.max_in_flight = 7;
    const auto o = apply_fetch_config("[fetch.politeness]\nmin_host_delay_ms = 0\n", "test.toml", base);
    CHECK(o.politeness.min_host_delay == 0ms);
    CHECK(o.politeness.max_in_flight == 7);
}

TEST_CASE("mistakes in [fetch] are refused and name the key", "[app][config]") {
    CHECK(error_of("[fetch]\nuser_agnet = \"x\"\n") == "test.toml: [fetch]: unknown key \"user_agnet\"");
    CHECK(error_of("[fetch.retry]\nattempts = 2\n") == "test.toml: [fetch.retry]: unknown key \"attempts\"");
    CHECK(error_of("[fetch]\nconnect_timeout_s = \"10\"\n") ==
          "test.toml: [fetch] connect_timeout_s must be an integer from 1 to 3600");
    CHECK(error_of("[fetch]\nconnect_timeout_s = 0\n") ==
          "test.toml: [fetch] connect_timeout_s must be an integer from 1 to 3600 (got 0)");
    CHECK(error_of("[fetch]\ntransfer_threads = 65\n") ==
          "test.toml: [fetch] transfer_threads must be an integer from 0 to 64 (got 65)");
    CHECK(error_of("[fetch.politeness]\nmax_in_flight = -1\n") ==
          "test.toml: [fetch.politeness] max_in_flight must be an integer from 1 to 100000 (got -1)");
    CHECK(error_of("[fetch]\nallow_private = \"yes\"\n") == "test.toml: [fetch] allow_private must be true or false");
    CHECK(error_of("[fetch]\npoliteness = 3\n") == "test.toml: [fetch] politeness must be a table");
    CHECK(error_of("fetch = 1\n") == "test.toml fetch must be a table");
    CHECK(error_of("[fetch.politeness]\nmax_in_flight = 2\nmax_in_flight_per_host = 3\n") ==
          "test.toml: [fetch.politeness] max_in_flight_per_host must not exceed max_in_flight");
    CHECK(error_of("[fetch.retry]\nbase_delay_ms = 5000\nmax_delay_ms = 100\n") ==
          "test.toml: [fetch.retry] max_delay_ms must not be below base_delay_ms");
}

TEST_CASE("a misspelt table or a stray key outside [fetch] is refused too", "[app][config]") {
    CHECK(error_of("[fecth]\nuser_agent = \"x\"\n") == "test.toml: unknown key \"fecth\"");
    CHECK(error_of("[database]\ndns = \"dbname=gisa\"\n") == "test.toml: [database]: unknown key \"dns\"");
    CHECK(error_of("[database]\ndsn = 5\n") == "test.toml: [database] dsn must be a string");
    CHECK(error_of("user_agent = \"x\"\n") == "test.toml: unknown key \"user_agent\"");
}

TEST_CASE("a config that is not TOML, or not there, is refused with its place", "[app][config]") {
    const std::string bad = error_of("[fetch\nuser_agent = 1\n");
    CHECK(bad.rfind("cannot read config test.toml (line 1): ", 0) == 0);
    try {
        load_config_file("/nonexistent/gisa.toml", {});
        FAIL("no error for a missing file");
    } catch (const fetch_config_error& e) {
        CHECK(std::string(e.what()) == "cannot read config /nonexistent/gisa.toml: No such file or directory");
    }
}

TEST_CASE("the shipped example config is valid", "[app][config]") {
    const auto o = load_config_file(GISA_SOURCE_DIR "/config/gisa.toml", {}).fetch;
    CHECK(o.limits.verify_tls);
    CHECK_FALSE(o.limits.allow_private);
}

TEST_CASE("one reading of the file gives the fetch settings and the [database] dsn", "[app][config]") {
    const auto with_dsn = load_config_file(GISA_SOURCE_DIR "/tests/app/configs/database-down.toml", {});
    REQUIRE(with_dsn.dsn);
    CHECK(*with_dsn.dsn == "host=127.0.0.1 port=1 dbname=gisa connect_timeout=2");
    const auto without = load_config_file(GISA_SOURCE_DIR "/tests/app/configs/private-allowed.toml", {});
    CHECK_FALSE(without.dsn);
    CHECK(without.fetch.limits.allow_private);
}

namespace {

std::string config_error_of(const std::string& text) {
    try {
        gisa::app::read_config(text, "test.toml", {});
    } catch (const fetch_config_error& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string a_source = "[[source]]\nname = \"a\"\nstart_urls = [\"https://a.example/list\"]\n";

}  // namespace

TEST_CASE("[[source]] tables become crawl sources with the documented defaults", "[app][config]") {
    const auto c = gisa::app::read_config(a_source + R"(
[[source]]
name = "b"
start_urls = ["https://b.example/bbs", "https://b.example/rss.xml"]
follow_rows = false
follow_links = ['^https://b\.example/news/']
max_pages = 3
interval_s = 900
article_recheck_s = 3600
article_recheck_for_s = 0
[crawl]
owner = "crawler-1"
claim_batch = 16
log_level = "debug"
[metrics]
listen = "127.0.0.1:9464"
)",
                                          "test.toml", {});
    REQUIRE(c.sources.size() == 2);
    CHECK(c.sources[0].name == "a");
    CHECK(c.sources[0].follow_rows);
    CHECK(c.sources[0].max_pages == 1);
    CHECK(c.sources[0].interval == 600s);
    CHECK_FALSE(c.sources[0].recheck_every.has_value());
    CHECK(c.sources[1].start_urls.size() == 2);
    CHECK_FALSE(c.sources[1].follow_rows);
    CHECK(c.sources[1].follows_link("https://b.example/news/1"));
    CHECK_FALSE(c.sources[1].follows_link("https://b.example/about"));
    CHECK(c.sources[1].max_pages == 3);
    CHECK(c.sources[1].interval == 900s);
    CHECK(c.sources[1].recheck_every == 3600s);
    CHECK(c.sources[1].recheck_for == 0s);
    CHECK(c.crawl.owner == "crawler-1");
    CHECK(c.crawl.claim_batch == 16);
    CHECK(c.log_level == "debug");
    CHECK(c.metrics_listen == "127.0.0.1:9464");
}

TEST_CASE("mistakes in [[source]], [crawl] and [metrics] are refused and name the key", "[app][config]") {
    CHECK(config_error_of(a_source + "follow_row = true\n") == "test.toml: [[source]] #1: unknown key \"follow_row\"");
    CHECK(config_error_of(a_source + a_source) == "test.toml: [[source]] #2 name \"a\" is used by an earlier source");
    CHECK(config_error_of("[[source]]\nstart_urls = [\"https://a.example/\"]\n") ==
          "test.toml: [[source]] #1 name must be set (a unique name)");
    CHECK(config_error_of("[[source]]\nname = \"a\"\n") ==
          "test.toml: [[source]] #1 start_urls must list at least one URL");
    CHECK(config_error_of("[[source]]\nname = \"a\"\nstart_urls = [\"ftp://a.example/\"]\n") ==
          "test.toml: [[source]] #1 start_urls: \"ftp://a.example/\" is not an http(s) URL");
    CHECK(config_error_of(a_source + "follow_links = [\"(unclosed\"]\n")
              .rfind("test.toml: [[source]] #1 follow_links: a pattern does not compile", 0) == 0);
    CHECK(config_error_of(a_source + "interval_s = 1\n") ==
          "test.toml: [[source]] #1 interval_s must be an integer from 10 to 2592000 (got 1)");
    CHECK(config_error_of(a_source + "start_urls = \"https://a.example/\"\n").find("start_urls") != std::string::npos);
    CHECK(config_error_of("[crawl]\nclaim_bach = 3\n") == "test.toml: [crawl]: unknown key \"claim_bach\"");
    CHECK(config_error_of("[crawl]\nlog_level = \"loud\"\n") ==
          "test.toml: [crawl] log_level must be one of debug, info, notice, warning, error");
    CHECK(config_error_of("[metrics]\nlisten = 9464\n") == "test.toml: [metrics] listen must be a string");
    CHECK(config_error_of("[source]\nname = \"a\"\n") == "test.toml source must be an array of tables ([[source]])");
}
