// The single mapping from libcurl result codes and HTTP statuses to core::error.
#include "fetch/classify.hpp"

#include <curl/curl.h>

#include <fmt/format.h>

namespace gisa::fetch {
namespace {

using core::errc;

core::error make(errc code, std::string message, bool retryable) {
    return core::error{code, std::move(message), retryable, std::nullopt};
}

core::error from_abort(const attempt_outcome& o) {
    switch (o.aborted) {
        case abort_reason::too_large:
            return make(errc::too_large, "body over the size limit: " + o.abort_detail, false);
        case abort_reason::not_html:
            return make(errc::not_html, "not a page: " + o.abort_detail, false);
        case abort_reason::refused_address:
            return make(errc::refused, "refused to connect to " + o.abort_detail + " (allow_private is off)", false);
        case abort_reason::redirect_loop:
            return make(errc::fetch, "redirect loop: " + o.abort_detail, false);
        case abort_reason::redirect_scheme:
            return make(errc::refused, "redirect to a scheme other than http(s): " + o.abort_detail, false);
        case abort_reason::none:
            break;
    }
    return make(errc::fetch, "aborted", false);
}

core::error from_status(const attempt_outcome& o) {
    const long s = o.status;
    if ((s >= 200 && s < 300) || (s == 304 && o.conditional)) return {};
    const auto text = fmt::format("HTTP {}", s);
    // 408 and 429 say "later"; 5xx are the server's trouble, except those that never change.
    const bool retryable = s == 408 || s == 429 || (s >= 500 && s != 501 && s != 505);
    auto error = make(retryable ? errc::fetch : errc::http_status, text, retryable);
    error.retry_after = retryable ? o.retry_after : std::nullopt;
    return error;
}

}  // namespace

core::error classify(const attempt_outcome& o) {
    if (o.aborted != abort_reason::none) return from_abort(o);
    const auto message = [&](std::string_view what) {
        return fmt::format("{}: {}", what,
                           o.curl_message.empty() ? curl_easy_strerror(CURLcode(o.curl_code)) : o.curl_message);
    };
    switch (static_cast<CURLcode>(o.curl_code)) {
        case CURLE_OK:
            return from_status(o);
        case CURLE_OPERATION_TIMEDOUT:
            return make(errc::fetch, message("timeout"), true);
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return make(errc::fetch, message("name lookup failed"), true);
        case CURLE_COULDNT_CONNECT:
            return make(errc::fetch, message("connection failed"), true);
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_HTTP3:
        case CURLE_SSL_CONNECT_ERROR:
            return make(errc::fetch, message("connection error"), true);
        case CURLE_TOO_MANY_REDIRECTS:
            return make(errc::fetch, message("too many redirects"), false);
        case CURLE_FILESIZE_EXCEEDED:
            return make(errc::too_large, message("body over the size limit"), false);
        case CURLE_UNSUPPORTED_PROTOCOL:
            return make(errc::refused, message("scheme not allowed"), false);
        case CURLE_URL_MALFORMAT:
            return make(errc::usage, message("malformed URL"), false);
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
            return make(errc::fetch, message("TLS verification failed"), false);
        case CURLE_BAD_CONTENT_ENCODING:
            return make(errc::decode, message("bad content encoding"), false);
        case CURLE_OUT_OF_MEMORY:
            return make(errc::fetch, message("out of memory"), true);
        default:
            return make(errc::fetch, message("transfer failed"), false);
    }
}

}  // namespace gisa::fetch
