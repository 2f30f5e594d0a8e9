// Backoff arithmetic and Retry-After parsing (RFC 9110 section 10.2.3).
#include "fetch/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace gisa::fetch {

std::chrono::milliseconds backoff_delay(const retry_options& options, int next_attempt, std::mt19937& rng) {
    const int doublings = std::clamp(next_attempt - 2, 0, 30);
    const auto base = options.base_delay.count();
    const auto ceiling = options.max_delay.count();
    const long long full = std::min<long long>(ceiling, base << std::min(doublings, 20));
    std::uniform_int_distribution<long long> jitter(full / 2, std::max<long long>(full, full / 2));
    return std::chrono::milliseconds(jitter(rng));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc{} && end == value.data() + value.size())
        return seconds < 0 ? std::nullopt : std::optional(std::chrono::milliseconds(seconds * 1000));
    const std::string date(value);
    const std::time_t when = curl_getdate(date.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    return std::chrono::milliseconds(std::max<long long>(0, static_cast<long long>(when - now)) * 1000);
}

std::optional<std::chrono::milliseconds> retry_wait(const retry_options& options, const core::error& error,
                                                    int attempts_made, std::mt19937& rng) {
    if (!error.retryable || attempts_made >= options.max_attempts) return std::nullopt;
    if (error.retry_after) {
        if (*error.retry_after > options.max_retry_after) return std::nullopt;  // the caller reschedules
        return *error.retry_after;
    }
    return backoff_delay(options, attempts_made + 1, rng);
}

}  // namespace gisa::fetch
