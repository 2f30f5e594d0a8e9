// Reading the [database] dsn key with toml++; nothing else of the config file.
#include "store/dsn_source.hpp"

#include <toml++/toml.h>

#include <filesystem>

namespace gisa::store {

namespace {

std::optional<std::string> dsn_in_file(const std::string& path) {
    toml::table config;
    try {
        config = toml::parse_file(path);
    } catch (const toml::parse_error& failure) {
        throw config_error("cannot read config " + path + ": " + std::string(failure.description()));
    }
    const toml::node_view<toml::node> dsn = config["database"]["dsn"];
    if (!dsn) return std::nullopt;
    if (!dsn.is_string()) throw config_error("config " + path + ": [database] dsn must be a string");
    return dsn.value<std::string>();
}

}  // namespace

dsn_choice resolve_dsn(const std::string& cli_dsn, const std::string& config_path) {
    if (!cli_dsn.empty()) return {cli_dsn, "--dsn"};
    std::string path = config_path;
    if (path.empty()) {
        std::error_code ignored;
        if (std::filesystem::exists(default_config_path, ignored)) path = default_config_path;
    }
    return choose_dsn(cli_dsn, path.empty() ? std::nullopt : dsn_in_file(path), path);
}

dsn_choice choose_dsn(const std::string& cli_dsn, const std::optional<std::string>& config_dsn,
                      const std::string& config_path) {
    if (!cli_dsn.empty()) return {cli_dsn, "--dsn"};
    if (config_dsn) return {*config_dsn, "config " + config_path};
    return {"", "PG* environment"};
}

}  // namespace gisa::store
