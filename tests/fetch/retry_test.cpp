// Retries: 429 with Retry-After waits as told, a burst of 503s is ridden out, attempts are bounded.
#include <catch2/catch.hpp>

#include <atomic>

#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

TEST_CASE("429 with Retry-After: 1 is retried no sooner than a second later") {
    http_server server;
    std::atomic<int> calls{0};
    server.on("/busy", [&](const http_request&) {
        if (calls++ == 0) return response::make(429, "slow down", "text/plain", {"Retry-After: 1"});
        return response::make(200, "<p>ok</p>");
    });
    auto options = test_options();
    options.retry.max_attempts = 3;
    const auto r = fetch_url(server.url("/busy"), options);
    REQUIRE(r.ok());
    CHECK(r.attempts == 2);
    const auto log = server.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[1].received - log[0].received >= 1s);
}

TEST_CASE("429 asking for longer than we wait goes back to the caller with retry_after") {
    http_server server;
    server.on("/later",
              [](const http_request&) { return response::make(429, "later", "text/plain", {"Retry-After: 3600"}); });
    auto options = test_options();
    options.retry.max_attempts = 3;
    const auto r = fetch_url(server.url("/later"), options);
    CHECK(r.error.retryable);
    REQUIRE(r.error.retry_after);
    CHECK(*r.error.retry_after == std::chrono::milliseconds(3'600'000));
    CHECK(r.attempts == 1);
    CHECK(server.request_count("/later") == 1);
}

TEST_CASE("a burst of 503s then 200: retried with backoff until it works") {
    http_server server;
    std::atomic<int> calls{0};
    server.on("/flaky", [&](const http_request&) {
        if (calls++ < 3) return response::make(503, "busy", "text/plain");
        return response::make(200, "<p>finally</p>");
    });
    auto options = test_options();
    options.retry.max_attempts = 5;
    options.retry.base_delay = 40ms;
    options.retry.max_delay = 1s;
    const auto r = fetch_url(server.url("/flaky"), options);
    REQUIRE(r.ok());
    CHECK(r.body == "<p>finally</p>");
    CHECK(r.attempts == 4);
    const auto log = server.requests();
    REQUIRE(log.size() == 4);
    // Backoff: at least half of 40, 80, 160 ms between the attempts.
    CHECK(log[1].received - log[0].received >= 20ms);
    CHECK(log[2].received - log[1].received >= 40ms);
    CHECK(log[3].received - log[2].received >= 80ms);
}

TEST_CASE("503 forever: attempts are bounded and the error stays retryable for the caller") {
    http_server server;
    server.on("/down", [](const http_request&) { return response::make(503, "down", "text/plain"); });
    auto options = test_options();
    options.retry.max_attempts = 3;
    const auto r = fetch_url(server.url("/down"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(r.status == 503);
    CHECK(r.attempts == 3);
    CHECK(server.request_count("/down") == 3);
}

TEST_CASE("a refused connection is retried and then reported") {
    unsigned short port = 0;
    {
        http_server gone;  // take a port and close it again: nothing listens there now
        port = gone.port();
    }
    auto options = test_options();
    options.retry.max_attempts = 2;
    const auto r = fetch_url("http://127.0.0.1:" + std::to_string(port) + "/", options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(r.attempts == 2);
}
