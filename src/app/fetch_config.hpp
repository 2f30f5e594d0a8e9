// The config file (config/gisa.toml): [database] dsn, the [fetch] tables (transfer limits, politeness, retries), the
// crawl's [[source]] tables, [crawl] and [metrics].
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crawl/source.hpp"
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

// What gisa takes from one reading of the file at `path`: the fetch settings (apply_fetch_config
// over `base`), the [database] dsn when the file has one, and what `gisa run` needs: the sources
// (each checked: a unique name, http(s) start URLs, follow_links that compile), [crawl] and
// [metrics] listen (empty: no endpoint).
struct config_file {
    fetch::fetcher_options fetch;
    std::optional<std::string> dsn;
    bool prepared_statements = true;  // [database]; false for PgBouncer in transaction pooling mode
    std::vector<crawl::source_config> sources;
    crawl::crawl_options crawl;
    std::string metrics_listen;
    std::string log_level = "info";  // debug, info, notice, warning, error
};
config_file load_config_file(const std::string& path, fetch::fetcher_options base);
// The same from text in hand; `origin` names it in error messages.
config_file read_config(const std::string& toml_text, const std::string& origin, fetch::fetcher_options base);

}  // namespace gisa::app
