// `gisa extract FILE|- [--url U] [--charset C]`: saved pages in, one JSON record per page out.
//
// One file: one compact JSON object on one line. Several files: JSON Lines, each record with
// "file" first. Every input (a file, "-" for stdin, a FIFO, a device) is read through one bounded
// reader (bounded_input.hpp), never past 8 MiB. These get their own record with "error", and the rest
// go on (issue #15): an input that cannot be read (missing, a directory, a read error: io); binary
// data, an image, a PDF or an executable, at any size (not_html); an input over 8 MiB (too_large,
// nothing past the bound read); a page the extractor refuses; a page whose extraction threw. Each
// record is flushed when printed, so records already extracted survive whatever comes next.
// Exit codes (commands.hpp), the first that applies to the run: exit_fetch when an input could not
// be read or was over 8 MiB (as gisa ingest of such a file: URL); exit_nothing when a page was
// refused or no page yielded an article body or board rows; else exit_ok.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "app/bounded_input.hpp"
#include "app/commands.hpp"
#include "extract/extractor.hpp"
#include "extract/record_json.hpp"
#include "fetch/content_kind.hpp"

namespace gisa::app {

namespace {

struct outcome {
    bool unreadable = false;
    bool refused = false;
    bool yielded = false;  // an article body or board rows
};

void print(const nlohmann::ordered_json& j) {
    std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
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

// The first bytes of /dev/zero or of a zero-filled file say nothing of what it is, but that it is
// too large if it is: such an input gets too_large, not not_html.
bool all_zero(std::string_view bytes) {
    return bytes.substr(0, fetch::sniff_bytes).find_first_not_of('\0') == std::string_view::npos;
}

outcome extract_one(const std::string& path, const extract_options& options, bool with_file) {
    const std::string file_label = with_file ? path : std::string{};
    bounded_input in = read_bounded(path);
    if (in.error.code == core::errc::io) {
        print_error(options, in.error.code, std::move(in.error.message), file_label);
        return {.unreadable = true};
    }
    // Binary data is not a page at any size: an executable over the bound is still refused as such.
    const bool too_large = in.error.code == core::errc::too_large;
    if (is_binary(in.bytes) && !(too_large && all_zero(in.bytes))) {
        print_error(options, core::errc::not_html, "not a page: binary data (a file signature or NUL bytes)",
                    file_label);
        return {.refused = true};
    }
    if (too_large) {
        print_error(options, in.error.code, std::move(in.error.message), file_label);
        return {.unreadable = true};
    }
    extract::page_input input;
    input.bytes = in.bytes;
    input.url = options.url;
    input.charset_override = options.charset;
    input.fetched_at = options.fetched_at;
    extract::extract_result result = extract::extract_page(input);
    print(extract::record_to_json(result.record, result.error, file_label));
    return {.refused = result.error.code != core::errc::ok,
            .yielded = result.record.has_article() || !result.record.board.rows.empty()};
}

// One file, whatever happens: an exception is this file's error record, never the end of the run.
outcome extract_guarded(const std::string& path, const extract_options& options, bool with_file) {
    try {
        return extract_one(path, options, with_file);
    } catch (const std::exception& e) {
        print_error(options, core::errc::parse, path + ": extraction failed: " + e.what(),
                    with_file ? path : std::string{});
        return {.refused = true};
    }
}

}  // namespace

int run_extract(const extract_options& options) {
    const bool several = options.files.size() > 1;
    outcome all;
    for (const std::string& path : options.files) {
        outcome one = extract_guarded(path, options, several);
        all.unreadable = all.unreadable || one.unreadable;
        all.refused = all.refused || one.refused;
        all.yielded = all.yielded || one.yielded;
    }
    if (all.unreadable) return exit_fetch;
    if (all.refused || !all.yielded) return exit_nothing;
    return exit_ok;
}

}  // namespace gisa::app
