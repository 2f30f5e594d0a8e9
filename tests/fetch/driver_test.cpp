// The curl/Asio bridge under load: many concurrent transfers finish, reused descriptor numbers
// are handled, resolver sockets are watched, and no descriptor leaks.
#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <boost/asio/steady_timer.hpp>

#include "fetch/curl_multi_driver.hpp"
#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

namespace {

std::vector<fetch::fetch_request> many(const std::string& url, int count) {
    std::vector<fetch::fetch_request> out;
    for (int i = 0; i < count; ++i)
        out.push_back({url + "?n=" + std::to_string(i), {}, {}});
    return out;
}

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

}  // namespace

TEST_CASE("200 concurrent transfers all complete, and no descriptor leaks") {
    http_server server(2);
    server.on("/p", [](const http_request&) { return response::make(200, "<p>" + std::string(2000, 'x') + "</p>"); });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 200;
    options.politeness.max_in_flight = 200;
    const auto before = open_descriptors();
    {
        const auto results = fetch_all(many(server.url("/p"), 200), options);
        for (const auto& r : results)
            REQUIRE(r.ok());
    }
    CHECK(server.request_count("/p") == 200);
    // The server closes its side once the client's connections are gone.
    CHECK(eventually([&] { return open_descriptors() <= before; }));
    CHECK(open_descriptors() == before);
}

TEST_CASE("sockets of curl's resolver thread are watched until removed, then released") {
    // "localhost." (with the dot) is not special-cased by curl: it goes to the threaded
    // resolver, whose wake-up socket curl reports to the socket callback like any other.
    // Whether it resolves depends on the machine; either way every transfer must end.
    http_server server;
    server.on("/r", [](const http_request&) { return response::make(200, "<p>r</p>"); });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 20;
    const auto before = open_descriptors();
    {
        boost::asio::io_context io;
        fetch::fetcher f(io, options);
        int left = 20;
        for (const auto& req : many("http://localhost.:" + std::to_string(server.port()) + "/r", 20))
            f.fetch(req, [&](fetch::fetch_result r) {
                CHECK((r.ok() || r.error.code == core::errc::fetch));
                if (--left == 0) io.stop();
            });
        io.run();
        CHECK(left == 0);
        CHECK(f.watched_sockets() == 0);
    }
    CHECK(eventually([&] { return open_descriptors() <= before; }));
}

TEST_CASE("connections closed after every response: descriptor numbers are reused safely") {
    http_server server;
    server.on("/c", [](const http_request&) {
        auto r = response::make(200, "<p>c</p>", "text/html", {"Connection: close"});
        return r.close();
    });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 16;
    const auto before = open_descriptors();
    {
        const auto results = fetch_all(many(server.url("/c"), 300), options);
        for (const auto& r : results)
            REQUIRE(r.ok());
    }
    CHECK(server.connections_accepted() == 300);
    CHECK(eventually([&] { return open_descriptors() <= before; }));
}

TEST_CASE("the driver stops watching every socket once transfers are done") {
    http_server server;
    server.on("/w", [](const http_request&) { return response::make(200, "<p>w</p>"); });
    boost::asio::io_context io;
    auto options = test_options();
    fetch::fetcher f(io, options);
    int left = 20;
    for (const auto& req : many(server.url("/w"), 20))
        f.fetch(req, [&](fetch::fetch_result r) {
            CHECK(r.ok());
            if (--left == 0) io.stop();
        });
    io.run();
    CHECK(left == 0);
    CHECK(f.in_flight() == 0);
    CHECK(f.queued() == 0);
    // Idle connections stay in curl's cache; while no transfer uses them curl has told us to
    // stop watching them (CURL_POLL_REMOVE).
    CHECK(f.watched_sockets() == 0);
}

TEST_CASE("timeouts with no socket activity are driven by the timer alone") {
    http_server server;
    server.on("/silent", [](const http_request&) {
        response r;
        r.pause(5s);
        return r;
    });
    auto options = test_options();
    options.limits.total_timeout = 200ms;
    options.politeness.max_in_flight_per_host = 10;
    const auto results = fetch_all(many(server.url("/silent"), 10), options);
    for (const auto& r : results) {
        CHECK(r.error.code == core::errc::fetch);
        CHECK(r.error.message.find("timeout") != std::string::npos);
    }
}

TEST_CASE("a fetcher destroyed with transfers in flight cleans up without calling back") {
    http_server server;
    server.on("/hang", [](const http_request&) {
        response r;
        r.pause(1s);
        return r;
    });
    const auto before = open_descriptors();
    bool called = false;
    {
        boost::asio::io_context io;
        fetch::fetcher f(io, test_options());
        for (const auto& req : many(server.url("/hang"), 5))
            f.fetch(req, [&](fetch::fetch_result) { called = true; });
        boost::asio::steady_timer t(io, 100ms);
        t.async_wait([&](boost::system::error_code) { io.stop(); });
        io.run();
    }
    CHECK_FALSE(called);
    CHECK(eventually([&] { return open_descriptors() <= before; }));
}

TEST_CASE("keep-alive: sequential requests share one connection, unwatched between requests") {
    http_server server;
    server.on("/k", [](const http_request&) { return response::make(200, "<p>k</p>"); });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 1;
    boost::asio::io_context io;
    fetch::fetcher f(io, options);
    int left = 30;
    for (const auto& req : many(server.url("/k"), 30))
        f.fetch(req, [&](fetch::fetch_result r) {
            CHECK(r.ok());
            if (--left == 0) io.stop();
        });
    io.run();
    CHECK(left == 0);
    // The idle connection stays registered with the event loop between requests (parked), but
    // curl's CURL_POLL_REMOVE means it is not watched for curl.
    CHECK(server.connections_accepted() == 1);
    CHECK(f.watched_sockets() == 0);
}

TEST_CASE("an idle connection the server closed is replaced, and its descriptor number reused safely") {
    // Each response is followed by the server closing the connection a little later, while
    // curl keeps it idle in its cache: curl finds it dead at the next request, closes it
    // through the driver (which drops the registration first) and opens a new socket, which
    // usually gets the same descriptor number.
    http_server server;
    server.on("/d", [](const http_request&) {
        auto r = response::make(200, "<p>d</p>");
        return r.pause(20ms).close();
    });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 1;
    options.politeness.min_host_delay = 60ms;
    const auto before = open_descriptors();
    {
        const auto results = fetch_all(many(server.url("/d"), 6), options);
        for (const auto& r : results)
            REQUIRE(r.ok());
    }
    CHECK(server.connections_accepted() == 6);
    CHECK(eventually([&] { return open_descriptors() <= before; }));
}

TEST_CASE("transfers spread over several multi handles finish, and their idle connections close with the driver") {
    http_server server(2);
    server.on("/s", [](const http_request&) { return response::make(200, "<p>s</p>"); });
    constexpr int transfers = 30;
    const auto before = open_descriptors();
    std::vector<CURL*> handles;
    {
        boost::asio::io_context io;
        // A cache large enough for every connection (curl's default follows the number of handles).
        fetch::curl_multi_driver driver(io, fetch::multi_limits{0, 100, 3});
        REQUIRE(driver.shards() == 3);
        int left = transfers;
        const std::string url = server.url("/s");
        for (int i = 0; i < transfers; ++i) {
            CURL* easy = curl_easy_init();
            REQUIRE(easy != nullptr);
            handles.push_back(easy);
            curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
            curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard_body);
            curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
            REQUIRE(driver.add(
                easy,
                [&](int code) {
                    CHECK(code == CURLE_OK);
                    if (--left == 0) io.stop();
                },
                static_cast<std::size_t>(i)));
        }
        io.run();
        CHECK(left == 0);
        CHECK(driver.active_transfers() == 0);
        CHECK(driver.watched_sockets() == 0);
        // Every connection the server accepted is idle in one of the caches, still registered.
        CHECK(driver.parked_sockets() == server.connections_accepted());
        CHECK(driver.parked_sockets() >= 3);
    }  // curl_multi_cleanup closes them through the driver's close callback
    for (CURL* easy : handles)
        curl_easy_cleanup(easy);
    CHECK(eventually([&] { return open_descriptors() <= before; }));
}
