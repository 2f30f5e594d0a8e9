// One HTTP(S) attempt: owns its CURL easy handle, collects headers and body, then reports a fetch_result.
#pragma once

#include <memory>

#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"

namespace gisa::fetch {

// Checks done before any handle exists (URL syntax, scheme, non-public IP literal); an error
// means no request may go out.
core::error check_target(const fetch_request& request, const transfer_limits& limits);

class easy_transfer {
  public:
    // A transfer ready to be added to a multi handle, or nullptr with `refused` filled when the
    // request must not go out at all: a malformed URL, a scheme other than http(s), or an IP
    // literal that is not public while allow_private is off. No byte is sent in those cases.
    static std::unique_ptr<easy_transfer> create(const fetch_request& request, const transfer_limits& limits,
                                                 core::error& refused);

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
