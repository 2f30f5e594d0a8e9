// Maps a finished attempt (curl's result code, the HTTP status, our own aborts) to a gisa error.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace gisa::fetch {

// Why we stopped a transfer ourselves, before curl finished it.
enum class abort_reason { none, too_large, not_html, refused_address, redirect_loop, redirect_scheme };

struct attempt_outcome {
    int curl_code = 0;         // CURLcode
    std::string curl_message;  // curl's error buffer
    long status = 0;
    bool conditional = false;  // validators were sent, so 304 is an answer
    abort_reason aborted = abort_reason::none;
    std::string abort_detail;  // the refused address, the loop, the content type
    std::optional<std::chrono::milliseconds> retry_after;
};

// The one place where CURLcode and HTTP status become ours: what failed, whether to retry.
core::error classify(const attempt_outcome& outcome);

}  // namespace gisa::fetch
