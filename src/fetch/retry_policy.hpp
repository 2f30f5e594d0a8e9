// When to try again: exponential backoff with jitter, and the server's Retry-After.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <random>
#include <string_view>

#include "core/error.hpp"
#include "fetch/options.hpp"

namespace gisa::fetch {

// The wait before attempt `next_attempt` (2 for the first retry): base * 2^(n-2), capped at
// max_delay, then a random point in its upper half so that a host's many failed requests
// do not all come back at the same moment.
std::chrono::milliseconds backoff_delay(const retry_options& options, int next_attempt, std::mt19937& rng);

// Retry-After as delay-seconds ("120") or an HTTP-date, relative to `now`; nullopt when unreadable.
// A date in the past means "now" (0 ms).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now);

// Whether a failed attempt goes round again, and after how long; nullopt: give up and report.
std::optional<std::chrono::milliseconds> retry_wait(const retry_options& options, const core::error& error,
                                                    int attempts_made, std::mt19937& rng);

}  // namespace gisa::fetch
