// The config file: its [fetch] tables (transfer limits, politeness, retries; config/gisa.toml) and its [database] dsn.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "fetch/options.hpp"

namespace gisa::app {

// A config file that cannot be read, or a [fetch] key that is unknown, of the wrong type or out of range.
// The message names the file and the key.
class fetch_config_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// `base` with every key present in the [fetch], [fetch.politeness] and [fetch.retry] tables of
// `toml_text` applied over it; keys that are absent keep base's values. `origin` names the text
// in error messages (a file path).
fetch::fetcher_options apply_fetch_config(const std::string& toml_text, const std::string& origin,
                                          fetch::fetcher_options base);

// What `gisa ingest --config FILE` takes from one reading of the file at `path`: the fetch
// settings (apply_fetch_config over `base`), and the [database] dsn when the file has one.
struct config_file {
    fetch::fetcher_options fetch;
    std::optional<std::string> dsn;
};
config_file load_config_file(const std::string& path, fetch::fetcher_options base);

}  // namespace gisa::app
