// Bounds on a transfer: timeouts, stalls, resets, redirect loops, body size, non-page bodies.
#include <catch2/catch.hpp>

#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

namespace {
bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("a slow first byte runs into the total timeout, which is retryable") {
    http_server server;
    server.on("/slow", [](const http_request&) {
        response r;
        r.pause(3s).write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        return r;
    });
    auto options = test_options();
    options.limits.total_timeout = 300ms;
    const auto r = fetch_url(server.url("/slow"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(contains(r.error.message, "timeout"));
}

TEST_CASE("a stall in the middle of the body trips the low-speed limit") {
    http_server server;
    server.on("/stall", [](const http_request&) {
        response r;
        r.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" +
                std::string(1000, 'x'));
        r.pause(8s).write(std::string(99000, 'y'));
        return r;
    });
    auto options = test_options();
    options.limits.low_speed_bytes_per_s = 1000;
    options.limits.low_speed_window = 1s;
    const auto r = fetch_url(server.url("/stall"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(contains(r.error.message, "too slow"));
}

TEST_CASE("a connection reset is a retryable connection error") {
    http_server server;
    server.on("/reset", [](const http_request&) {
        response r;
        r.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial").pause(20ms).reset();
        return r;
    });
    auto options = test_options();
    options.retry.max_attempts = 2;
    const auto r = fetch_url(server.url("/reset"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(r.error.retryable);
    CHECK(r.attempts == 2);
    CHECK(server.request_count("/reset") == 2);
}

TEST_CASE("a redirect loop is detected before the redirect limit") {
    http_server server;
    server.on("/a", [](const http_request&) { return response::redirect(302, "/b"); });
    server.on("/b", [](const http_request&) { return response::redirect(302, "/a"); });
    auto options = test_options();
    options.limits.max_redirects = 20;
    const auto r = fetch_url(server.url("/a"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK_FALSE(r.error.retryable);
    CHECK(contains(r.error.message, "redirect loop"));
    CHECK(server.request_count("/a") == 1);
    CHECK(server.request_count("/b") == 1);
}

TEST_CASE("a redirect chain longer than the limit stops at the limit") {
    http_server server;
    for (int i = 0; i < 10; ++i)
        server.on("/r" + std::to_string(i),
                  [i](const http_request&) { return response::redirect(302, "/r" + std::to_string(i + 1)); });
    auto options = test_options();
    options.limits.max_redirects = 3;
    const auto r = fetch_url(server.url("/r0"), options);
    CHECK(r.error.code == core::errc::fetch);
    CHECK(contains(r.error.message, "redirects"));
    CHECK(server.requests().size() == 4);  // the first request and three redirects
}

TEST_CASE("a redirect to file: is refused") {
    http_server server;
    server.on("/to-file", [](const http_request&) { return response::redirect(302, "file:///etc/passwd"); });
    auto options = test_options();
    options.limits.allow_file = true;  // even where file: URLs are allowed directly
    const auto r = fetch_url(server.url("/to-file"), options);
    CHECK(r.error.code == core::errc::refused);
    CHECK(r.body.empty());
}

TEST_CASE("an announced oversized body is refused before it is read") {
    http_server server;
    server.on("/big", [](const http_request&) { return response::make(200, std::string(200'000, 'x')); });
    auto options = test_options();
    options.limits.max_body_bytes = 10'000;
    const auto r = fetch_url(server.url("/big"), options);
    CHECK(r.error.code == core::errc::too_large);
    CHECK(r.body.empty());
}

TEST_CASE("an unannounced oversized body is cut off: the client stops reading") {
    constexpr std::size_t chunk = 64 * 1024;
    constexpr int chunks = 512;  // 32 MiB offered
    http_server server;
    server.on("/endless", [](const http_request&) {
        response r;
        r.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < chunks; ++i)
            r.write(std::string(chunk, 'x'));
        return r.close();
    });
    auto options = test_options();
    options.limits.max_body_bytes = 100'000;
    const auto r = fetch_url(server.url("/endless"), options);
    CHECK(r.error.code == core::errc::too_large);
    CHECK(r.body.empty());
    // The server's writes fail once the client has gone; it never gets to send everything.
    CHECK(eventually([&] { return server.write_failures() > 0; }));
    CHECK(server.bytes_written() < chunk * chunks);
}

TEST_CASE("a PDF is reported as not a page, by its Content-Type") {
    http_server server;
    server.on("/doc.pdf", [](const http_request&) {
        return response::make(200, "%PDF-1.7\n" + std::string(100'000, 'z'), "application/pdf");
    });
    const auto r = fetch_url(server.url("/doc.pdf"), test_options());
    CHECK(r.error.code == core::errc::not_html);
    CHECK(contains(r.error.message, "application/pdf"));
    CHECK(r.kind == fetch::body_kind::binary);
    CHECK(r.body.empty());
}

TEST_CASE("a PDF labelled text/html is caught by its first bytes") {
    http_server server;
    server.on("/liar", [](const http_request&) {
        return response::make(200, "%PDF-1.4\n" + std::string(2000, 'z'), "text/html; charset=utf-8");
    });
    const auto r = fetch_url(server.url("/liar"), test_options());
    CHECK(r.error.code == core::errc::not_html);
    CHECK(r.body.empty());
}

TEST_CASE("a small image is caught too, by its magic number") {
    http_server server;
    server.on("/pic", [](const http_request&) { return response::make(200, "\x89PNG\r\n\x1a\n....", ""); });
    const auto r = fetch_url(server.url("/pic"), test_options());
    CHECK(r.error.code == core::errc::not_html);
}

TEST_CASE("text that is not a page comes back marked as text") {
    http_server server;
    server.on("/feed", [](const http_request&) { return response::make(200, "<rss/>", "application/rss+xml"); });
    const auto r = fetch_url(server.url("/feed"), test_options());
    CHECK(r.ok());
    CHECK(r.kind == fetch::body_kind::text);
}
