// The CURLcode / HTTP status mapping: what is retried, what is final, what our aborts become.
#include <catch2/catch.hpp>

#include <curl/curl.h>

#include "fetch/classify.hpp"

using namespace gisa::fetch;
using gisa::core::errc;

namespace {
attempt_outcome status(long s, bool conditional = false) {
    attempt_outcome o;
    o.status = s;
    o.conditional = conditional;
    return o;
}
attempt_outcome curl(CURLcode code) {
    attempt_outcome o;
    o.curl_code = code;
    return o;
}
}  // namespace

TEST_CASE("HTTP statuses: 2xx ok, 5xx/429/408 retryable, other 4xx final") {
    auto [code, expected, retryable] = GENERATE(table<long, errc, bool>({
        {200, errc::ok, false},
        {204, errc::ok, false},
        {404, errc::http_status, false},
        {403, errc::http_status, false},
        {410, errc::http_status, false},
        {408, errc::fetch, true},
        {429, errc::fetch, true},
        {500, errc::fetch, true},
        {502, errc::fetch, true},
        {503, errc::fetch, true},
        {501, errc::http_status, false},
    }));
    CAPTURE(code);
    const auto e = classify(status(code));
    CHECK(e.code == expected);
    CHECK(e.retryable == retryable);
}

TEST_CASE("304 is an answer only to a conditional request") {
    CHECK(classify(status(304, true)).code == errc::ok);
    CHECK(classify(status(304, false)).code == errc::http_status);
}

TEST_CASE("Retry-After travels with retryable statuses only") {
    auto o = status(429);
    o.retry_after = std::chrono::milliseconds(3000);
    CHECK(classify(o).retry_after == std::chrono::milliseconds(3000));
    o.status = 404;
    CHECK_FALSE(classify(o).retry_after);
}

TEST_CASE("curl codes: network trouble is retried, policy and size are final") {
    auto [code, expected, retryable] = GENERATE(table<CURLcode, errc, bool>({
        {CURLE_OPERATION_TIMEDOUT, errc::fetch, true},
        {CURLE_COULDNT_CONNECT, errc::fetch, true},
        {CURLE_COULDNT_RESOLVE_HOST, errc::fetch, true},
        {CURLE_RECV_ERROR, errc::fetch, true},
        {CURLE_GOT_NOTHING, errc::fetch, true},
        {CURLE_PARTIAL_FILE, errc::fetch, true},
        {CURLE_TOO_MANY_REDIRECTS, errc::fetch, false},
        {CURLE_FILESIZE_EXCEEDED, errc::too_large, false},
        {CURLE_UNSUPPORTED_PROTOCOL, errc::refused, false},
        {CURLE_PEER_FAILED_VERIFICATION, errc::fetch, false},
        {CURLE_URL_MALFORMAT, errc::usage, false},
    }));
    CAPTURE(code);
    const auto e = classify(curl(code));
    CHECK(e.code == expected);
    CHECK(e.retryable == retryable);
    CHECK_FALSE(e.message.empty());
}

TEST_CASE("our own aborts beat curl's write error") {
    auto o = curl(CURLE_WRITE_ERROR);
    o.aborted = abort_reason::too_large;
    CHECK(classify(o).code == errc::too_large);
    o.aborted = abort_reason::not_html;
    o.abort_detail = "application/pdf";
    CHECK(classify(o).code == errc::not_html);
    CHECK(classify(o).message.find("application/pdf") != std::string::npos);
    o.aborted = abort_reason::refused_address;
    CHECK(classify(o).code == errc::refused);
    o.aborted = abort_reason::redirect_loop;
    CHECK(classify(o).message.find("redirect loop") != std::string::npos);
    CHECK_FALSE(classify(o).retryable);
}
