// One HTTP(S) attempt: owns its CURL easy handle, collects headers and body, then reports a fetch_result.
#pragma once

#include <memory>
#include <string>

#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"

namespace gisa::fetch {

// Where a request goes, as politeness and robots.txt see it.
struct request_target {
    std::string host_key;  // scheme://host:port
    std::string path;      // path and query, as robots.txt rules see them
};

// Checks done before any handle exists (URL syntax, scheme, non-public IP literal); an error
// means no request may go out. With `where`, also fills in the target from the same parse.
core::error check_target(const fetch_request& request, const transfer_limits& limits, request_target* where = nullptr);

class easy_transfer {
  public:
    // A transfer ready to be added to a multi handle, or nullptr with `refused` filled when the
    // request must not go out at all: a malformed URL, a scheme other than http(s), or an IP
    // literal that is not public while allow_private is off. No byte is sent in those cases.
    // `request` and `limits` are kept by reference: both must outlive the transfer.
    // `target_checked`: the caller already ran check_target on this request with these limits.
    static std::unique_ptr<easy_transfer> create(const fetch_request& request, const transfer_limits& limits,
                                                 core::error& refused, bool target_checked = false);

    ~easy_transfer();
    easy_transfer(const easy_transfer&) = delete;
    easy_transfer& operator=(const easy_transfer&) = delete;

    // The CURL* (libcurl's CURL is void), for curl_multi_add_handle.
    void* handle() const noexcept;

    // Reads the outcome once curl reported the transfer done with `curl_code` (a CURLcode).
    fetch_result finish(int curl_code);

    struct state;

  private:
    explicit easy_transfer(std::unique_ptr<state> s);
    std::unique_ptr<state> state_;
};

}  // namespace gisa::fetch
