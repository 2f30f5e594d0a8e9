// The subcommands of the gisa executable and their documented exit codes.
#pragma once

#include <string>
#include <vector>

namespace gisa::app {

// Exit codes are part of the interface (README "Exit codes"): scripts branch on them.
enum exit_code : int {
    exit_ok = 0,
    exit_failure = 1,   // anything not listed below
    exit_usage = 2,     // bad arguments or configuration
    exit_fetch = 3,     // the page could not be fetched or read
    exit_nothing = 4,   // fetched, but nothing could be extracted
    exit_database = 5,  // the database failed or could not be reached
};

struct extract_options {
    std::vector<std::string> files;  // "-" is standard input
    std::string url;                 // the page's URL, to resolve links against
    std::string charset;             // overrides every other charset source
    std::string fetched_at;          // ISO 8601; resolves "14:32" or "07-18" in board lists; empty: now
};
int run_extract(const extract_options& options);

struct ingest_options {
    std::string url;
    std::string dsn;     // empty: print the record and store nothing
    std::string config;  // optional config file
    bool allow_private = false;
    bool follow = false;  // also fetch and store the posts the page's board rows link to
};
int run_ingest(const ingest_options& options);

struct migrate_options {
    std::string dsn;
    std::string config;
};
int run_migrate(const migrate_options& options);

struct status_options {
    std::string dsn;
    std::string config;
    bool json = false;
};
int run_status(const status_options& options);

struct daemon_options {
    std::string config = "/etc/gisa/gisa.toml";
    std::string dsn;  // beats the config file's [database] dsn
    bool allow_private = false;
};
int run_daemon(const daemon_options& options);

}  // namespace gisa::app
