// Which database a one-shot command talks to: --dsn, else the config file, else libpq's PG* environment.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace gisa::store {

// The config file gisa reads when none is named (the daemon's default).
inline constexpr const char* default_config_path = "/etc/gisa/gisa.toml";

struct dsn_choice {
    std::string dsn;     // "" lets libpq read PGHOST, PGDATABASE, ... (and ~/.pgpass)
    std::string origin;  // for messages: "--dsn", "config /etc/gisa/gisa.toml", "PG* environment"
};

// A named config file that cannot be read or parsed, or whose dsn is not a string.
class config_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Precedence: `cli_dsn` when not empty; else the [database] dsn key of
// `config_path` (when empty, default_config_path if it exists); else "".
// Only that one key is read here; the daemon owns the rest of the file.
dsn_choice resolve_dsn(const std::string& cli_dsn, const std::string& config_path);

// The same precedence for a caller that has read the config file itself: `config_dsn` is its
// [database] dsn (nullopt: the file has none), `config_path` the file's name for messages.
dsn_choice choose_dsn(const std::string& cli_dsn, const std::optional<std::string>& config_dsn,
                      const std::string& config_path);

}  // namespace gisa::store
