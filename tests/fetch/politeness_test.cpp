// Politeness: robots.txt obeyed (disallowed paths never requested), Crawl-delay and per-host delay kept.
#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>

#include <functional>

#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

namespace {

std::vector<fetch::fetch_request> requests_for(const http_server& server, std::initializer_list<const char*> paths) {
    std::vector<fetch::fetch_request> out;
    for (const auto* p : paths)
        out.push_back({server.url(p), {}, {}});
    return out;
}

void serve_pages(http_server& server, std::initializer_list<const char*> paths) {
    for (const auto* p : paths)
        server.on(p, [](const http_request&) { return response::make(200, "<p>page</p>"); });
}

}  // namespace

TEST_CASE("robots.txt: disallowed paths are never requested, allowed ones are") {
    http_server server;
    server.on("/robots.txt", [](const http_request&) {
        return response::make(200,
                              "User-agent: *\nDisallow: /\n\n"
                              "User-agent: gisa-test\nDisallow: /secret\nAllow: /secret/public$\nDisallow: /*.php$\n",
                              "text/plain");
    });
    serve_pages(server, {"/news/1", "/secret/x", "/secret/public", "/index.php", "/index.php5"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    const auto results = fetch_all(
        requests_for(server, {"/news/1", "/secret/x", "/secret/public", "/index.php", "/index.php5"}), options);
    CHECK(results[0].ok());
    CHECK(results[1].error.code == core::errc::refused);
    CHECK(results[1].error.message.find("robots.txt") != std::string::npos);
    CHECK(results[2].ok());
    CHECK(results[3].error.code == core::errc::refused);
    CHECK(results[4].ok());
    CHECK(server.request_count("/robots.txt") == 1);  // cached for the host
    CHECK(server.request_count("/secret/x") == 0);
    CHECK(server.request_count("/index.php") == 0);
    CHECK(server.request_count("/news/1") == 1);
}

TEST_CASE("robots.txt missing (404) allows everything") {
    http_server server;
    serve_pages(server, {"/a"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    CHECK(fetch_url(server.url("/a"), options).ok());
    CHECK(server.request_count("/robots.txt") == 1);
    CHECK(server.request_count("/a") == 1);
}

TEST_CASE("robots.txt unreachable (5xx) blocks the host for a while, retryably") {
    http_server server;
    server.on("/robots.txt", [](const http_request&) { return response::make(500, "oops", "text/plain"); });
    serve_pages(server, {"/a"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    const auto r = fetch_url(server.url("/a"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(r.error.message.find("robots.txt unreachable") != std::string::npos);
    CHECK(server.request_count("/a") == 0);
}

TEST_CASE("Crawl-delay in robots.txt spaces the requests to the host") {
    http_server server;
    server.on("/robots.txt", [](const http_request&) {
        return response::make(200, "User-agent: *\nCrawl-delay: 0.3\n", "text/plain");
    });
    serve_pages(server, {"/1", "/2", "/3"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    options.politeness.max_in_flight_per_host = 1;  // one at a time: each gap is then a strict bound
    for (const auto& r : fetch_all(requests_for(server, {"/1", "/2", "/3"}), options))
        CHECK(r.ok());
    const auto log = server.requests();
    REQUIRE(log.size() == 4);  // robots.txt first
    CHECK(log[0].path() == "/robots.txt");
    for (std::size_t i = 1; i < log.size(); ++i) {
        CAPTURE(i);
        CHECK(log[i].received - log[i - 1].received >= 300ms);
    }
}

TEST_CASE("the per-host minimum delay separates requests as the server sees them") {
    http_server server;
    serve_pages(server, {"/1", "/2", "/3", "/4"});
    auto options = test_options();
    options.politeness.min_host_delay = 200ms;
    // One at a time: the delay also runs from each request's end, so every gap the server
    // sees is a strict bound, however long a request took to arrive.
    options.politeness.max_in_flight_per_host = 1;
    for (const auto& r : fetch_all(requests_for(server, {"/1", "/2", "/3", "/4"}), options))
        CHECK(r.ok());
    const auto log = server.requests();
    REQUIRE(log.size() == 4);
    for (std::size_t i = 1; i < log.size(); ++i) {
        CAPTURE(i);
        CHECK(log[i].received - log[i - 1].received >= 200ms);
    }
}

TEST_CASE("per-host in-flight cap: never more concurrent requests than allowed") {
    http_server server(2);
    server.on("/slow", [](const http_request&) {
        response r;
        r.pause(50ms).write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n<p/>");
        return r;
    });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 2;
    std::vector<fetch::fetch_request> requests(8, fetch::fetch_request{server.url("/slow"), {}, {}});
    boost::asio::io_context io;
    fetch::fetcher f(io, options);
    std::size_t peak_client = 0, left = requests.size();
    for (auto& req : requests)
        f.fetch(req, [&](fetch::fetch_result r) {
            CHECK(r.ok());
            if (--left == 0) io.stop();
        });
    // Sample the fetcher's own count while it runs.
    boost::asio::steady_timer sampler(io);
    std::function<void()> sample = [&] {
        peak_client = std::max(peak_client, f.in_flight());
        sampler.expires_after(5ms);
        sampler.async_wait([&](boost::system::error_code ec) {
            if (!ec) sample();
        });
    };
    sample();
    io.run();
    CHECK(peak_client == 2);
    CHECK(server.connections_accepted() <= 2);
}

// Issue #14: politeness shared between instances through the frontier's host leases.
TEST_CASE("a hold on a host name delays its first request, robots.txt included, and next_start tells the delay") {
    http_server server;
    server.on("/robots.txt", [](const http_request&) { return response::make(200, "User-agent: *\n", "text/plain"); });
    serve_pages(server, {"/a"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    options.politeness.min_host_delay = 100ms;
    boost::asio::io_context io;
    fetch::fetcher f(io, options);
    CHECK_FALSE(f.next_start("127.0.0.1"));
    const auto t0 = std::chrono::steady_clock::now();
    f.hold_host("127.0.0.1", t0 + 300ms);  // another instance asked the host a moment ago
    fetch::fetch_result result;
    f.fetch({server.url("/a"), {}, {}}, [&](fetch::fetch_result r) {
        result = std::move(r);
        io.stop();
    });
    io.run();
    CHECK(result.ok());
    const auto log = server.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0].path() == "/robots.txt");
    CHECK(log[0].received - t0 >= 300ms);
    CHECK(log[1].received - log[0].received >= 100ms);
    // The next owner of the host must wait the delay after the last request.
    const auto next = f.next_start("127.0.0.1");
    REQUIRE(next);
    CHECK(*next >= log[1].received + 100ms - 5ms);
}

TEST_CASE("robots.txt fetched by another instance is used and not fetched again, and one fetched here is passed on") {
    http_server server;
    server.on("/robots.txt", [](const http_request&) {
        return response::make(200, "User-agent: *\nDisallow: /here\n", "text/plain");
    });
    serve_pages(server, {"/a", "/b", "/here"});
    auto options = test_options();
    options.politeness.obey_robots = true;
    const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
    boost::asio::io_context io;
    std::vector<std::pair<std::string, int>> shared;
    {
        fetch::fetcher f(io, options);
        f.on_robots([&](const std::string& o, int status, const std::string&) { shared.emplace_back(o, status); });
        // The copy in the database says /b is off limits (the live file disallows /here instead).
        f.prime_robots(origin, 200, "User-agent: *\nDisallow: /b\n", 60s);
        std::vector<fetch::fetch_result> results(2);
        int left = 2;
        f.fetch({server.url("/a"), {}, {}}, [&](fetch::fetch_result r) {
            results[0] = std::move(r);
            if (--left == 0) io.stop();
        });
        f.fetch({server.url("/b"), {}, {}}, [&](fetch::fetch_result r) {
            results[1] = std::move(r);
            if (--left == 0) io.stop();
        });
        io.run();
        CHECK(results[0].ok());
        CHECK(results[1].error.code == core::errc::refused);
        CHECK(server.request_count("/robots.txt") == 0);
        CHECK(shared.empty());
    }
    // A stale copy (older than robots_ttl) is not used: this fetcher reads robots.txt itself and
    // passes it on.
    io.restart();
    fetch::fetcher f(io, options);
    f.on_robots([&](const std::string& o, int status, const std::string& body) {
        shared.emplace_back(o, status);
        CHECK(body.find("Disallow: /here") != std::string::npos);
    });
    f.prime_robots(origin, 200, "User-agent: *\nDisallow: /b\n", options.politeness.robots_ttl + 1s);
    fetch::fetch_result b;
    f.fetch({server.url("/b"), {}, {}}, [&](fetch::fetch_result r) {
        b = std::move(r);
        io.stop();
    });
    io.run();
    CHECK(b.ok());
    CHECK(server.request_count("/robots.txt") == 1);
    REQUIRE(shared.size() == 1);
    CHECK(shared[0] == std::pair<std::string, int>{origin, 200});
}
