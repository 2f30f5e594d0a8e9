// Private, loopback and link-local targets: refused by default, with no request sent.
#include <catch2/catch.hpp>

#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

namespace {
fetch::fetcher_options strict_options() {
    auto options = test_options();
    options.limits.allow_private = false;
    options.retry.max_attempts = 3;  // a refusal is final: never retried
    return options;
}
}  // namespace

TEST_CASE("a loopback IP literal is refused and the server sees nothing") {
    http_server server;
    server.on("/", [](const http_request&) { return response::make(200, "<p>secret</p>"); });
    const auto r = fetch_url(server.url("/"), strict_options());
    CHECK(r.error.code == core::errc::refused);
    CHECK_FALSE(r.error.retryable);
    CHECK(r.error.message.find("127.0.0.1") != std::string::npos);
    CHECK(r.error.message.find("loopback") != std::string::npos);
    CHECK(r.body.empty());
    CHECK(server.connections_accepted() == 0);
    CHECK(server.requests().empty());
}

TEST_CASE("a host name that resolves to loopback is refused after resolution, before connecting") {
    http_server server;
    server.on("/", [](const http_request&) { return response::make(200, "<p>secret</p>"); });
    const auto r = fetch_url("http://localhost:" + std::to_string(server.port()) + "/", strict_options());
    CHECK(r.error.code == core::errc::refused);
    CHECK(r.error.message.find("loopback") != std::string::npos);
    CHECK(r.attempts == 1);
    CHECK(server.connections_accepted() == 0);
}

TEST_CASE("robots.txt of a refused host is not fetched either and the refusal is what the caller sees") {
    http_server server;
    auto options = strict_options();
    options.politeness.obey_robots = true;
    const auto r = fetch_url("http://localhost:" + std::to_string(server.port()) + "/page", options);
    CHECK(r.error.code == core::errc::refused);
    CHECK(server.connections_accepted() == 0);
}

TEST_CASE("private and link-local literals are refused without a connection attempt") {
    auto options = strict_options();
    for (const char* url : {"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/",
                            "http://192.168.0.1:81/", "https://[fe80::1]/"}) {
        CAPTURE(url);
        const auto r = fetch_url(url, options);
        CHECK(r.error.code == core::errc::refused);
        CHECK(r.attempts == 0);  // refused before any transfer was made
    }
}

TEST_CASE("allow_private lets loopback through") {
    http_server server;
    server.on("/", [](const http_request&) { return response::make(200, "<p>intranet</p>"); });
    auto options = strict_options();
    options.limits.allow_private = true;
    const auto r = fetch_url("http://localhost:" + std::to_string(server.port()) + "/", options);
    CHECK(r.ok());
    CHECK(r.body == "<p>intranet</p>");
}

TEST_CASE("schemes other than http(s) are refused") {
    const auto r = fetch_url("ftp://example.org/file", test_options());
    CHECK(r.error.code == core::errc::refused);
    CHECK(fetch_url("not a url", test_options()).error.code == core::errc::usage);
}
