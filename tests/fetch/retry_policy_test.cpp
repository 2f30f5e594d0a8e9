// Retry arithmetic: Retry-After in both forms, backoff bounds, attempt limits.
#include <catch2/catch.hpp>

#include "fetch/retry_policy.hpp"

using namespace gisa::fetch;
using namespace std::chrono_literals;

TEST_CASE("Retry-After as seconds and as an HTTP-date") {
    const std::time_t now = 1'700'000'000;  // 2023-11-14T22:13:20Z
    CHECK(parse_retry_after("120", now) == std::chrono::milliseconds(120'000));
    CHECK(parse_retry_after(" 0 ", now) == std::chrono::milliseconds(0));
    CHECK(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now) == std::chrono::milliseconds(30'000));
    CHECK(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now) == std::chrono::milliseconds(0));  // past: now
    CHECK_FALSE(parse_retry_after("soon", now));
    CHECK_FALSE(parse_retry_after("-5", now));
    CHECK_FALSE(parse_retry_after("", now));
}

TEST_CASE("backoff doubles, stays within its cap, and jitters in the upper half") {
    retry_options options;
    options.base_delay = 100ms;
    options.max_delay = 1000ms;
    std::mt19937 rng(42);
    for (int i = 0; i < 50; ++i) {
        const auto first = backoff_delay(options, 2, rng);
        CHECK(first >= 50ms);
        CHECK(first <= 100ms);
        const auto third = backoff_delay(options, 4, rng);
        CHECK(third >= 200ms);
        CHECK(third <= 400ms);
        const auto late = backoff_delay(options, 30, rng);
        CHECK(late >= 500ms);
        CHECK(late <= 1000ms);
    }
}

TEST_CASE("retry_wait: only retryable errors, bounded attempts, Retry-After first") {
    retry_options options;
    options.max_attempts = 3;
    options.max_retry_after = 10s;
    std::mt19937 rng(1);
    gisa::core::error retryable{gisa::core::errc::fetch, "HTTP 503", true, std::nullopt};
    CHECK(retry_wait(options, retryable, 1, rng));
    CHECK(retry_wait(options, retryable, 2, rng));
    CHECK_FALSE(retry_wait(options, retryable, 3, rng));

    gisa::core::error final_error{gisa::core::errc::http_status, "HTTP 404", false, std::nullopt};
    CHECK_FALSE(retry_wait(options, final_error, 1, rng));

    retryable.retry_after = 7s;
    CHECK(retry_wait(options, retryable, 1, rng) == std::chrono::milliseconds(7s));
    retryable.retry_after = 60s;  // longer than we wait here: the caller reschedules
    CHECK_FALSE(retry_wait(options, retryable, 1, rng));
}
