// Errors that callers can act on: what failed, whether to retry, and when.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gisa::core {

enum class errc {
    ok = 0,
    usage,        // bad arguments or configuration
    io,           // a local file could not be read or written
    fetch,        // the network or the server failed us
    http_status,  // a final (non-retryable) HTTP status
    not_html,     // the body is not a page (PDF, image, binary)
    too_large,    // over a size or depth bound
    refused,      // a policy refused it (robots.txt, private address)
    decode,       // bytes could not be turned into text
    parse,        // markup could not be parsed within bounds
    nothing_extracted,
    database,
    not_implemented,
};

std::string_view to_string(errc code) noexcept;

struct error {
    errc code = errc::ok;
    std::string message;
    bool retryable = false;
    std::optional<std::chrono::milliseconds> retry_after;
};

}  // namespace gisa::core
