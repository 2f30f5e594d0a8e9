// What one fetch asks for and what it brings back: status, final URL, headers, body, timings or an error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace gisa::fetch {

struct fetch_request {
    std::string url;
    // Validators stored from an earlier fetch: sent as If-None-Match / If-Modified-Since.
    std::string etag;
    std::string last_modified;
};

struct header_field {
    std::string name;  // as received
    std::string value;
};

// What the body is: only html goes to the extractor.
enum class body_kind { html, text, binary };
std::string_view to_string(body_kind kind) noexcept;

struct fetch_timings {
    std::chrono::microseconds queued{0};       // waiting for politeness, robots.txt, retries
    std::chrono::microseconds name_lookup{0};  // the following are curl's, from the last attempt's start
    std::chrono::microseconds connect{0};
    std::chrono::microseconds tls{0};
    std::chrono::microseconds first_byte{0};
    std::chrono::microseconds total{0};
};

struct fetch_result {
    std::string url;        // as asked for
    std::string final_url;  // after redirects
    long status = 0;        // HTTP status of the final response; 0 when none arrived
    std::string http_version;
    std::vector<header_field> headers;  // the final response's
    std::string body;
    std::string content_type;
    body_kind kind = body_kind::html;
    bool not_modified = false;  // 304 to a conditional request
    std::string etag;           // validators to store for the next conditional GET
    std::string last_modified;
    long redirects = 0;
    int attempts = 0;
    fetch_timings timings;
    core::error error;  // code ok, or why it failed (retryable, retry_after)

    bool ok() const noexcept { return error.code == core::errc::ok; }
    // First header of that name, case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;
};

// The result of a request that failed before any response: its URL as both url and final_url.
fetch_result failed_request(const fetch_request& request, core::error error);

}  // namespace gisa::fetch
