// `gisa extract FILE|- [--url U] [--charset C]`: saved pages in, one JSON record per page out.
//
// One file: one compact JSON object on one line. Several files: JSON Lines, each record with
// "file" first. A file that cannot be read, or a page that is refused (binary data such as an image,
// a PDF or an executable is not a page), gets its own record with "error" and the rest go on.
// Exit codes (commands.hpp): exit_fetch when a file could not be read; else exit_nothing when a
// page was refused or no page yielded an article body or board rows; else exit_ok.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "app/commands.hpp"
#include "extract/extractor.hpp"
#include "extract/record_json.hpp"
#include "fetch/content_kind.hpp"

namespace gisa::app {

namespace {

// The whole file, or stdin for "-"; nullopt when it cannot be read.
std::optional<std::string> read_input(const std::string& path) {
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        if (std::cin.bad()) return std::nullopt;
        return std::move(buffer).str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::nullopt;
    return bytes;
}

struct outcome {
    bool unreadable = false;
    bool refused = false;
    bool yielded = false;  // an article body or board rows
};

void print(const nlohmann::ordered_json& j) {
    std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
}

// Binary data (a file signature or NUL bytes in the first bytes) is not a page; UTF-16 text with
// its byte order mark is (content_kind.hpp).
bool is_binary(std::string_view bytes) {
    return fetch::classify_body({}, bytes.substr(0, fetch::sniff_bytes)) == fetch::body_kind::binary;
}

// The record of a file that yields no page: empty fields and the error.
void print_error(const extract_options& options, core::errc code, std::string message, const std::string& file_label) {
    core::error err;
    err.code = code;
    err.message = std::move(message);
    core::page_record record;
    record.url = options.url;
    record.final_url = options.url;
    print(extract::record_to_json(record, err, file_label));
}

outcome extract_one(const std::string& path, const extract_options& options, bool with_file) {
    const std::string file_label = with_file ? path : std::string{};
    auto bytes = read_input(path);
    if (!bytes) {
        print_error(options, core::errc::io, "cannot read " + path, file_label);
        return {.unreadable = true};
    }
    if (is_binary(*bytes)) {
        print_error(options, core::errc::not_html, "not a page: binary data (a file signature or NUL bytes)",
                    file_label);
        return {.refused = true};
    }
    extract::page_input input;
    input.bytes = *bytes;
    input.url = options.url;
    input.charset_override = options.charset;
    input.fetched_at = options.fetched_at;
    extract::extract_result result = extract::extract_page(input);
    print(extract::record_to_json(result.record, result.error, file_label));
    return {.refused = result.error.code != core::errc::ok,
            .yielded = result.record.has_article() || !result.record.board.rows.empty()};
}

}  // namespace

int run_extract(const extract_options& options) {
    const bool several = options.files.size() > 1;
    outcome all;
    for (const std::string& path : options.files) {
        outcome one = extract_one(path, options, several);
        all.unreadable = all.unreadable || one.unreadable;
        all.refused = all.refused || one.refused;
        all.yielded = all.yielded || one.yielded;
    }
    std::fflush(stdout);
    if (all.unreadable) return exit_fetch;
    if (all.refused || !all.yielded) return exit_nothing;
    return exit_ok;
}

}  // namespace gisa::app
