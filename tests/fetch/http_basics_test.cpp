// Fetching over loopback: headers and charsets kept, gzip and chunked decoded, redirects, 304, file:, coroutines.
#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>

#include "fetch/async_fetch.hpp"
#include "fetch/support/fetch_helpers.hpp"
#include "fetch/support/gzip_page.hpp"
#include "fetch/support/http_server.hpp"

using namespace gisa;
using namespace gisa::test;

namespace {

const std::string euc_kr_page =
    "<html><head><title>\xc7\xd1\xb1\xb9</title></head><body>\xb4\xba\xbd\xba</body></html>";

}  // namespace

TEST_CASE("status, headers and body bytes come back as sent, charset untouched") {
    http_server server;
    server.on("/page", [](const http_request&) {
        return response::make(200, euc_kr_page, "text/html; charset=EUC-KR", {"X-Test: yes", "ETag: \"abc\""});
    });
    const auto r = fetch_url(server.url("/page"), test_options());
    REQUIRE(r.ok());
    CHECK(r.status == 200);
    CHECK(r.body == euc_kr_page);  // bytes as sent: decoding is the text module's job
    CHECK(r.content_type == "text/html; charset=EUC-KR");
    CHECK(r.kind == fetch::body_kind::html);
    CHECK(r.header("x-test") == std::optional<std::string_view>("yes"));
    CHECK(r.etag == "\"abc\"");
    CHECK(r.final_url == server.url("/page"));
    CHECK(r.http_version == "1.1");
    CHECK(r.attempts == 1);
    CHECK(r.timings.total.count() > 0);
}

TEST_CASE("requests carry our User-Agent and Accept-Encoding") {
    http_server server;
    server.on("/", [](const http_request&) { return response::make(200, "<p>x</p>"); });
    auto options = test_options();
    options.limits.user_agent = "gisa-probe/9";
    REQUIRE(fetch_url(server.url("/"), options).ok());
    const auto log = server.requests();
    REQUIRE(log.size() == 1);
    CHECK(log[0].header("user-agent") == std::optional<std::string>("gisa-probe/9"));
    const auto encodings = log[0].header("accept-encoding").value_or("");
    CHECK(encodings.find("gzip") != std::string::npos);
}

TEST_CASE("a gzip-encoded body arrives decoded") {
    const std::string page = gzip_page_text();
    const std::string packed = gzip_page_bytes();
    REQUIRE(packed.size() < page.size() / 10);
    REQUIRE(packed.substr(0, 2) == "\x1f\x8b");
    http_server server;
    server.on("/gz", [&](const http_request&) {
        return response::make(200, packed, "text/html; charset=utf-8", {"Content-Encoding: gzip"});
    });
    const auto r = fetch_url(server.url("/gz"), test_options());
    REQUIRE(r.ok());
    CHECK(r.body == page);
    CHECK(r.kind == fetch::body_kind::html);
}

TEST_CASE("a chunked body sent in pieces is put back together") {
    http_server server;
    server.on("/chunked", [](const http_request&) {
        response r;
        r.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n");
        r.write("6\r\n<html>\r\n").pause(20ms).write("5\r\nhello\r\n").pause(20ms).write("7\r\n</html>\r\n0\r\n\r\n");
        return r;
    });
    const auto r = fetch_url(server.url("/chunked"), test_options());
    REQUIRE(r.ok());
    CHECK(r.body == "<html>hello</html>");
}

TEST_CASE("redirects are followed and the final URL reported") {
    http_server server;
    server.on("/old", [](const http_request&) { return response::redirect(301, "/new?x=1"); });
    server.on("/new", [](const http_request&) { return response::make(200, "<p>new</p>"); });
    const auto r = fetch_url(server.url("/old"), test_options());
    REQUIRE(r.ok());
    CHECK(r.final_url == server.url("/new?x=1"));
    CHECK(r.redirects == 1);
    CHECK(r.body == "<p>new</p>");
}

TEST_CASE("a matching ETag gets 304, reported as unchanged") {
    http_server server;
    server.on("/article", [](const http_request& req) {
        if (req.header("if-none-match") == std::optional<std::string>("\"v1\""))
            return response::make(304, "", "", {"ETag: \"v1\""});
        return response::make(200, "<p>article</p>", "text/html",
                              {"ETag: \"v1\"", "Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT"});
    });
    const auto first = fetch_url(server.url("/article"), test_options());
    REQUIRE(first.ok());
    CHECK_FALSE(first.not_modified);
    CHECK(first.etag == "\"v1\"");
    CHECK(first.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT");

    const auto again = fetch::fetch_one({server.url("/article"), first.etag, first.last_modified}, test_options());
    REQUIRE(again.ok());
    CHECK(again.not_modified);
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    const auto log = server.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[1].header("if-modified-since") == std::optional<std::string>(first.last_modified));
}

TEST_CASE("a final 4xx is reported once, with its status, and not retried") {
    http_server server;
    auto options = test_options();
    options.retry.max_attempts = 4;
    const auto r = fetch_url(server.url("/missing"), options);
    CHECK(r.error.code == core::errc::http_status);
    CHECK_FALSE(r.error.retryable);
    CHECK(r.status == 404);
    CHECK(r.attempts == 1);
    CHECK(server.request_count("/missing") == 1);
}

TEST_CASE("connections are reused for one host") {
    http_server server;
    server.on("/p", [](const http_request&) { return response::make(200, "<p>p</p>"); });
    auto options = test_options();
    options.politeness.max_in_flight_per_host = 1;
    std::vector<fetch::fetch_request> requests(10, fetch::fetch_request{server.url("/p"), {}, {}});
    for (const auto& r : fetch_all(requests, options))
        CHECK(r.ok());
    CHECK(server.request_count("/p") == 10);
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("file: URLs read local pages when allowed, and are refused otherwise") {
    char path[] = "/tmp/gisa-fetch-test-XXXXXX.html";
    const int fd = mkstemps(path, 5);
    REQUIRE(fd >= 0);
    ::close(fd);
    { std::ofstream(path) << "<html><body>local</body></html>"; }
    auto options = test_options();
    options.limits.allow_file = true;
    const auto r = fetch_url(std::string("file://") + path, options);
    CHECK(r.ok());
    CHECK(r.body == "<html><body>local</body></html>");
    CHECK(r.content_type == "text/html");
    options.limits.allow_file = false;
    CHECK(fetch_url(std::string("file://") + path, options).error.code == core::errc::refused);
    options.limits.allow_file = true;
    CHECK(fetch_url("file:///nonexistent/gisa/page.html", options).error.code == core::errc::io);
    std::remove(path);
}

TEST_CASE("the coroutine API: co_await async_fetch") {
    http_server server;
    server.on("/co", [](const http_request&) { return response::make(200, "<p>co</p>"); });
    boost::asio::io_context io;
    fetch::fetcher f(io, test_options());
    std::optional<fetch::fetch_result> got;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            // Named requests: GCC 12 mishandles temporaries inside co_await expressions.
            const fetch::fetch_request request{server.url("/co"), {}, {}};
            auto first = co_await fetch::async_fetch(f, request, boost::asio::use_awaitable);
            auto second = co_await fetch::async_fetch(f, request, boost::asio::use_awaitable);
            CHECK(first.ok());
            got = std::move(second);
            io.stop();
        },
        boost::asio::detached);
    io.run();
    REQUIRE(got);
    CHECK(got->body == "<p>co</p>");
}
