// The metrics registry: exact text format 0.0.4 for small cases, escaping, identity, errors and concurrency.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"

namespace metrics = gisa::core::metrics;

TEST_CASE("a counter renders with HELP, TYPE and one line per series, labels sorted by name") {
    metrics::registry r;
    r.get_counter("gisa_fetches_total", "Fetches by status.", {{"status", "200"}, {"host", "a.kr"}}).inc();
    r.get_counter("gisa_fetches_total", "Fetches by status.", {{"host", "a.kr"}, {"status", "404"}}).inc(2);
    CHECK(r.render() ==
          "# HELP gisa_fetches_total Fetches by status.\n"
          "# TYPE gisa_fetches_total counter\n"
          "gisa_fetches_total{host=\"a.kr\",status=\"200\"} 1\n"
          "gisa_fetches_total{host=\"a.kr\",status=\"404\"} 2\n");
}

TEST_CASE("families render sorted by name, each with its own HELP and TYPE") {
    metrics::registry r;
    r.get_gauge("gisa_queue_depth", "URLs due.").set(7);
    r.get_counter("gisa_bytes_total", "Bytes fetched.").inc(1234567);
    r.add_callback_gauge("gisa_in_flight", "Transfers in flight.", [] { return 3.0; });
    CHECK(r.render() ==
          "# HELP gisa_bytes_total Bytes fetched.\n"
          "# TYPE gisa_bytes_total counter\n"
          "gisa_bytes_total 1234567\n"
          "# HELP gisa_in_flight Transfers in flight.\n"
          "# TYPE gisa_in_flight gauge\n"
          "gisa_in_flight 3\n"
          "# HELP gisa_queue_depth URLs due.\n"
          "# TYPE gisa_queue_depth gauge\n"
          "gisa_queue_depth 7\n");
}

TEST_CASE("a histogram renders cumulative le buckets in increasing order, +Inf, _sum and _count") {
    metrics::registry r;
    auto& h = r.get_histogram("gisa_fetch_seconds", "Fetch latency.", {1, 0.5}, {{"stage", "fetch"}});
    h.observe(0.25);
    h.observe(0.5);  // le is inclusive
    h.observe(0.75);
    h.observe(3);
    CHECK(r.render() ==
          "# HELP gisa_fetch_seconds Fetch latency.\n"
          "# TYPE gisa_fetch_seconds histogram\n"
          "gisa_fetch_seconds_bucket{stage=\"fetch\",le=\"0.5\"} 2\n"
          "gisa_fetch_seconds_bucket{stage=\"fetch\",le=\"1\"} 3\n"
          "gisa_fetch_seconds_bucket{stage=\"fetch\",le=\"+Inf\"} 4\n"
          "gisa_fetch_seconds_sum{stage=\"fetch\"} 4.5\n"
          "gisa_fetch_seconds_count{stage=\"fetch\"} 4\n");
    CHECK(h.count() == 4);
    CHECK(h.sum() == 4.5);
}

TEST_CASE("a histogram without labels has only le in its braces, and a given +Inf bound is implied") {
    metrics::registry r;
    r.get_histogram("x_seconds", "h", {0.1, std::numeric_limits<double>::infinity()}).observe(0.1);
    CHECK(r.render() ==
          "# HELP x_seconds h\n"
          "# TYPE x_seconds histogram\n"
          "x_seconds_bucket{le=\"0.1\"} 1\n"
          "x_seconds_bucket{le=\"+Inf\"} 1\n"
          "x_seconds_sum 0.1\n"
          "x_seconds_count 1\n");
}

TEST_CASE("label values escape backslash, double quote and newline, HELP only escapes backslash and newline") {
    metrics::registry r;
    r.get_gauge("g", "a \\ b\nc \"q\"", {{"v", "x\\y\"z\nw 한글"}}).set(1);
    CHECK(r.render() ==
          "# HELP g a \\\\ b\\nc \"q\"\n"
          "# TYPE g gauge\n"
          "g{v=\"x\\\\y\\\"z\\nw 한글\"} 1\n");
}

TEST_CASE("values are spelled as Prometheus reads them") {
    using metrics::format_value;
    CHECK(format_value(0) == "0");
    CHECK(format_value(-0.0) == "0");
    CHECK(format_value(1e6) == "1000000");
    CHECK(format_value(-42) == "-42");
    CHECK(format_value(0.25) == "0.25");
    CHECK(format_value(0.001) == "0.001");
    CHECK(format_value(1e300) == "1e+300");
    CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("a callback gauge that throws renders NaN, and registering it again replaces the callback") {
    metrics::registry r;
    r.add_callback_gauge("cb", "c", []() -> double { throw std::runtime_error("gone"); });
    CHECK(r.render() == "# HELP cb c\n# TYPE cb gauge\ncb NaN\n");
    r.add_callback_gauge("cb", "c", [] { return 2.5; });
    CHECK(r.render() == "# HELP cb c\n# TYPE cb gauge\ncb 2.5\n");
}

TEST_CASE("same name and same labels return the same object, whatever the label order") {
    metrics::registry r;
    auto& a = r.get_counter("c_total", "c", {{"a", "1"}, {"b", "2"}});
    auto& b = r.get_counter("c_total", "other help is ignored", {{"b", "2"}, {"a", "1"}});
    auto& other = r.get_counter("c_total", "c", {{"a", "1"}, {"b", "3"}});
    CHECK(&a == &b);
    CHECK(&a != &other);
    CHECK(&r.get_gauge("g", "g") == &r.get_gauge("g", "g"));
    auto& h = r.get_histogram("h_seconds", "h", metrics::latency_buckets_s());
    CHECK(&h == &r.get_histogram("h_seconds", "h", metrics::latency_buckets_s()));
}

TEST_CASE("a counter only goes up, a gauge goes both ways") {
    metrics::counter c;
    c.inc();
    c.inc(-5);
    c.inc(std::numeric_limits<double>::quiet_NaN());
    c.inc(0.5);
    CHECK(c.value() == 1.5);
    metrics::gauge g;
    g.set(3);
    g.add(-4.5);
    CHECK(g.value() == -1.5);
}

TEST_CASE("registering a name as another type throws") {
    metrics::registry r;
    r.get_counter("m_total", "m");
    CHECK_THROWS_AS(r.get_gauge("m_total", "m"), std::invalid_argument);
    CHECK_THROWS_AS(r.get_histogram("m_total", "m", {1}), std::invalid_argument);
    r.get_gauge("g", "g", {{"k", "v"}});
    CHECK_THROWS_AS(r.add_callback_gauge("g", "g", [] { return 1.0; }, {{"k", "v"}}), std::invalid_argument);
    r.add_callback_gauge("cb", "g", [] { return 1.0; });
    CHECK_THROWS_AS(r.get_gauge("cb", "g"), std::invalid_argument);
    r.get_histogram("h_seconds", "h", {1, 2});
    CHECK_THROWS_AS(r.get_histogram("h_seconds", "h", {1, 3}, {{"k", "v"}}), std::invalid_argument);
}

TEST_CASE("invalid metric names, label names and bounds throw") {
    metrics::registry r;
    const std::vector<std::string> bad_names{"", "1abc", "a-b", "a b", "é", "a.b"};
    for (const auto& name : bad_names)
        CHECK_THROWS_AS(r.get_counter(name, "x"), std::invalid_argument);
    CHECK_NOTHROW(r.get_counter("ns:sub_total", "colons are allowed in metric names"));
    CHECK_NOTHROW(r.get_counter("_x_total", "x"));

    const std::vector<std::string> bad_labels{"", "__reserved", "1a", "a:b", "a-b"};
    for (const auto& label : bad_labels)
        CHECK_THROWS_AS(r.get_gauge("g", "g", {{label, "v"}}), std::invalid_argument);
    CHECK_THROWS_AS(r.get_gauge("g", "g", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
    CHECK_THROWS_AS(r.get_histogram("h_seconds", "h", {1}, {{"le", "1"}}), std::invalid_argument);
    CHECK_THROWS_AS(r.get_histogram("h2_seconds", "h", {1, 1}), std::invalid_argument);
    CHECK_THROWS_AS(r.get_histogram("h3_seconds", "h", {std::nan("")}), std::invalid_argument);
    CHECK_THROWS_AS(r.add_callback_gauge("cb", "c", nullptr), std::invalid_argument);
    // A failed registration leaves nothing behind.
    CHECK(r.render().find("# HELP g ") == std::string::npos);
}

TEST_CASE("latency buckets run from a millisecond to a minute, increasing") {
    const auto b = metrics::latency_buckets_s();
    REQUIRE(b.size() >= 10);
    CHECK(b.front() == 0.001);
    CHECK(b.back() == 60);
    CHECK(std::is_sorted(b.begin(), b.end()));
}

TEST_CASE("increments from 4 threads sum exactly") {
    metrics::registry r;
    constexpr int threads = 4;
    constexpr int per_thread = 100000;
    auto& c = r.get_counter("c_total", "c");
    auto& g = r.get_gauge("g", "g");
    auto& h = r.get_histogram("h_seconds", "h", {0.5});
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&r, &c, &g, &h, t] {
            for (int i = 0; i < per_thread; ++i) {
                c.inc();
                g.add(2);
                h.observe(t % 2 == 0 ? 0.25 : 1.0);
                if (i % 10000 == 0) r.get_counter("c_total", "c", {{"t", std::to_string(t)}}).inc();
            }
        });
    for (auto& w : workers)
        w.join();
    CHECK(c.value() == threads * per_thread);
    CHECK(g.value() == 2.0 * threads * per_thread);
    CHECK(h.count() == threads * per_thread);
    CHECK(h.cumulative_counts().front() == threads / 2 * per_thread);
    CHECK(h.sum() == (0.25 + 1.0) * threads / 2 * per_thread);
    CHECK(r.get_counter("c_total", "c", {{"t", "3"}}).value() == per_thread / 10000);
}
