// Database failures as callers act on them: retry or not, reconnect or not.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gisa::store {

// What went wrong, classified once (classify_sqlstate) from the server's SQLSTATE.
struct db_error_info {
    core::error error;                // code is errc::database, or errc::decode for refused text
    bool poisons_connection = false;  // the connection is unusable: reconnect before retrying
    bool outcome_unknown = false;     // a commit was sent but its answer was lost
    std::string sqlstate;             // "" when the server never answered
};

class db_error : public std::runtime_error {
  public:
    explicit db_error(db_error_info info);
    const db_error_info& info() const noexcept { return info_; }
    bool retryable() const noexcept { return info_.error.retryable; }
    bool poisons_connection() const noexcept { return info_.poisons_connection; }

  private:
    db_error_info info_;
};

// The one mapping from SQLSTATE (PostgreSQL appendix A) to what we do about it.
db_error_info classify_sqlstate(std::string_view sqlstate, std::string message);

// A connection that was lost or never made (no SQLSTATE): retryable, poisons the connection.
db_error_info connection_lost(std::string message);

// Text refused before it reached the server (NUL byte, invalid UTF-8).
db_error_info bad_text(std::string message);

}  // namespace gisa::store
