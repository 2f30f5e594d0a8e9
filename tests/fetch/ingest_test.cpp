// `gisa ingest` over http against the loopback server: printed record, exit codes, refusals.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fetch/support/http_server.hpp"
#include "fetch/support/run_gisa.hpp"

extern char** environ;

using namespace gisa::test;

namespace {

std::string article_page() {
    std::ifstream in(std::string(GISA_SOURCE_DIR) + "/tests/fetch/pages/article.html", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("ingest over http prints the extracted record and says nothing was stored") {
    http_server server;
    const auto page = article_page();
    REQUIRE_FALSE(page.empty());
    server.on("/news/1", [&](const http_request&) { return response::make(200, page, "text/html; charset=utf-8"); });
    server.on("/old", [](const http_request&) { return response::redirect(301, "/news/1"); });
    const auto r = run_gisa({"ingest", "--url", server.url("/old"), "--allow-private"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "\"url\":\"" + server.url("/old") + "\""));
    CHECK(contains(r.out, "\"final_url\":\"" + server.url("/news/1") + "\""));
    CHECK(contains(r.out, "시립도서관 야간 개관 시범 운영"));
    CHECK(contains(r.out, "퇴근 뒤에 도서관을 찾기 어려웠던"));
    CHECK(contains(r.err, "nothing stored: no database configured"));
}

TEST_CASE("ingest refuses loopback without --allow-private: exit 3, no request sent") {
    http_server server;
    server.on("/news/1", [](const http_request&) { return response::make(200, "<p>x</p>"); });
    const auto r = run_gisa({"ingest", "--url", server.url("/news/1")});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "loopback"));
    CHECK(r.out.empty());
    CHECK(server.connections_accepted() == 0);
}

TEST_CASE("ingest of a PDF: not a page, exit 4, nothing printed on stdout") {
    http_server server;
    server.on("/doc.pdf", [](const http_request&) {
        return response::make(200, "%PDF-1.7\n" + std::string(4000, 'z'), "application/pdf");
    });
    const auto r = run_gisa({"ingest", "--url", server.url("/doc.pdf"), "--allow-private"});
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "not a page"));
    CHECK(r.out.empty());
}

TEST_CASE("ingest of a 404: exit 3 with the status") {
    http_server server;
    const auto r = run_gisa({"ingest", "--url", server.url("/missing"), "--allow-private"});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "HTTP 404"));
}

TEST_CASE("ingest of a 429 asking for an hour: exit 3, says when to retry") {
    http_server server;
    server.on("/busy",
              [](const http_request&) { return response::make(429, "later", "text/plain", {"Retry-After: 3600"}); });
    const auto r = run_gisa({"ingest", "--url", server.url("/busy"), "--allow-private"});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "HTTP 429"));
    CHECK(contains(r.err, "retry in 3600 s"));
    CHECK_FALSE(contains(r.err, "attempts"));  // not retried: the wait is beyond max_retry_after
    CHECK(server.request_count("/busy") == 1);
}

TEST_CASE("ingest of a 503 that never clears: exit 3 after the bounded attempts, and says how many") {
    http_server server;
    server.on("/down", [](const http_request&) { return response::make(503, "down", "text/plain"); });
    const auto r = run_gisa({"ingest", "--url", server.url("/down"), "--allow-private"});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "HTTP 503"));
    CHECK(contains(r.err, "(after 3 attempts)"));
    CHECK(server.request_count("/down") == 3);
}

TEST_CASE("ingest honours robots.txt") {
    http_server server;
    server.on("/robots.txt",
              [](const http_request&) { return response::make(200, "User-agent: *\nDisallow: /\n", "text/plain"); });
    server.on("/news/1", [](const http_request&) { return response::make(200, "<p>x</p>"); });
    const auto r = run_gisa({"ingest", "--url", server.url("/news/1"), "--allow-private"});
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "robots.txt"));
    CHECK(server.request_count("/news/1") == 0);
}
