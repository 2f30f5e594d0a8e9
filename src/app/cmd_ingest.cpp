// `gisa ingest --url URL [--allow-private] [--dsn DSN] [--config FILE]`: fetch one page (http, https,
// file), extract it, and store it. With a database (--dsn, or the config file's [database] dsn, or
// with --config the PG* environment) it
// prints a one-line JSON summary of what was written; without one it prints the record and says that
// nothing was stored.
//
// The config file (--config) also sets the fetch limits, politeness and retries ([fetch] tables).
//
// Exit codes (commands.hpp): exit_usage for an unreadable or invalid config file; exit_database when the
// database cannot be reached or refuses the page; exit_fetch when the page could not be fetched or
// read; exit_nothing when it is not a page (PDF, image, binary, plain text) or yields neither an
// article nor board rows; exit_ok otherwise.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "app/commands.hpp"
#include "app/fetch_config.hpp"
#include "extract/extractor.hpp"
#include "extract/record_json.hpp"
#include "fetch/fetcher.hpp"
#include "store/db_error.hpp"
#include "store/dsn_source.hpp"
#include "store/store.hpp"

namespace gisa::app {

namespace {

// The crawler's safe defaults (timeouts, size cap, robots.txt, TLS checks), then the config file's
// [fetch] tables when --config names one; --allow-private can only widen what the file says.
// The file is read once: its [database] dsn comes back beside the fetch settings.
config_file ingest_config(const ingest_options& options) {
    config_file file;
    if (!options.config.empty()) file = load_config_file(options.config, file.fetch);
    fetch::fetcher_options& o = file.fetch;
    if (!o.limits.verify_tls)
        std::fprintf(stderr, "gisa ingest: warning: TLS certificates are not verified (verify_tls = false in %s)\n",
                     options.config.c_str());
    o.limits.allow_private = o.limits.allow_private || options.allow_private;
    o.limits.allow_file = true;  // a local page named on the command line; never reachable by redirect
    o.politeness.min_host_delay = std::chrono::milliseconds(0);  // one request (after robots.txt)
    return file;
}

// Now as ISO 8601 in Korean time: boards print "14:32" for today's posts, in Korean time.
std::string now_korean_iso() {
    constexpr std::time_t kst_offset_s = 9 * 3600;
    const std::time_t now = std::time(nullptr) + kst_offset_s;
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+09:00", &parts);
    return text;
}

void print_line(const nlohmann::ordered_json& j) {
    const std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// A config file without [database] dsn still stores when libpq's environment names a server.
bool pg_environment_names_a_database() {
    for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE", "PGUSER"})
        if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return true;
    return false;
}

// Why a fetch failed, with what the user needs to decide on a rerun: how many attempts were
// made, and when to try again: a 429's or 503's Retry-After, or how long an unreachable
// robots.txt keeps the host closed.
std::string describe_failure(const fetch::fetch_result& page) {
    std::string text = page.error.message;
    if (page.attempts > 1) text += " (after " + std::to_string(page.attempts) + " attempts)";
    if (page.error.retry_after) {
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(*page.error.retry_after).count();
        text += "; retry in " + std::to_string(seconds) + " s";
    }
    return text;
}

// 1. fetch; an error here is the caller's exit code, else 0.
int fetch_page(const ingest_options& options, const fetch::fetcher_options& fetch_options, fetch::fetch_result& page) {
    page = fetch::fetch_one(fetch::fetch_request{options.url, {}, {}}, fetch_options);
    if (page.error.code == core::errc::not_html) {
        std::fprintf(stderr, "gisa ingest: %s: %s; nothing extracted\n", options.url.c_str(),
                     page.error.message.c_str());
        return exit_nothing;
    }
    if (!page.ok()) {
        std::fprintf(stderr, "gisa ingest: could not fetch %s: %s\n", options.url.c_str(),
                     describe_failure(page).c_str());
        return exit_fetch;
    }
    if (page.kind != fetch::body_kind::html) {
        std::fprintf(stderr, "gisa ingest: %s: not a page (%s %s); nothing extracted\n", options.url.c_str(),
                     std::string(to_string(page.kind)).c_str(), page.content_type.c_str());
        return exit_nothing;
    }
    return exit_ok;
}

// 2. extract: the record keeps the URL as asked for and the final URL after redirects.
extract::extract_result extract_fetched(const ingest_options& options, const fetch::fetch_result& page) {
    extract::page_input input;
    input.bytes = page.body;
    input.url = page.final_url;
    input.content_type = page.content_type;
    input.fetched_at = now_korean_iso();
    auto result = extract::extract_page(input);
    result.record.url = options.url;
    result.record.final_url = page.final_url;
    return result;
}

int extracted_exit_code(const extract::extract_result& extracted) {
    if (extracted.error.code != core::errc::ok) return exit_nothing;
    const bool yielded = extracted.record.has_article() || !extracted.record.board.rows.empty();
    return yielded ? exit_ok : exit_nothing;
}

const char* article_outcome(const store::ingest_result& r, const core::page_record& record) {
    if (r.article_inserted) return "inserted";
    if (r.article_updated) return "updated";
    if (!record.has_article()) return "none";
    return "unchanged";
}

// 3. store: one transaction for the page's article, board rows and frontier row.
int store_page(store::store& db, const fetch::fetch_result& page, const extract::extract_result& extracted) {
    store::fetch_meta meta;
    meta.http_status = static_cast<int>(page.status == 0 ? 200 : page.status);  // file: URLs have no status
    if (!page.etag.empty()) meta.etag = page.etag;
    if (!page.last_modified.empty()) meta.last_modified = page.last_modified;
    const store::ingest_result r = db.upsert_page(extracted.record, meta);
    if (r.error) {
        std::fprintf(stderr, "gisa ingest: %s was not stored: %s\n", extracted.record.url.c_str(),
                     r.error->message.c_str());
        return exit_database;
    }
    nlohmann::ordered_json summary;
    summary["url"] = extracted.record.url;
    summary["final_url"] = extracted.record.final_url;
    summary["title"] = extracted.record.title ? nlohmann::ordered_json(*extracted.record.title) : nullptr;
    summary["article"] = article_outcome(r, extracted.record);
    summary["board_rows"] = {
        {"inserted", r.rows_inserted}, {"updated", r.rows_updated}, {"unchanged", r.rows_unchanged}};
    summary["links_out"] = extracted.record.links_out.size();
    print_line(summary);
    return extracted_exit_code(extracted);
}

int fetch_extract_store(const ingest_options& options, const fetch::fetcher_options& fetch_options,
                        const store::dsn_choice& target) {
    try {
        // Connect first: a database that is down fails in a second, before any fetch.
        store::store db = store::store::connect(target.dsn);
        fetch::fetch_result page;
        if (const int failed = fetch_page(options, fetch_options, page); failed != exit_ok) return failed;
        return store_page(db, page, extract_fetched(options, page));
    } catch (const store::db_error& failure) {
        std::fprintf(stderr, "gisa ingest: %s (database from %s); nothing was stored\n", failure.what(),
                     target.origin.c_str());
        return exit_database;
    }
}

}  // namespace

int run_ingest(const ingest_options& options) {
    config_file config;
    try {
        config = ingest_config(options);
    } catch (const fetch_config_error& failure) {
        std::fprintf(stderr, "gisa ingest: %s\n", failure.what());
        return exit_usage;
    }
    const fetch::fetcher_options& fetch_options = config.fetch;
    if (!options.dsn.empty() || !options.config.empty()) {
        const store::dsn_choice target = store::choose_dsn(options.dsn, config.dsn, options.config);
        if (!target.dsn.empty() || pg_environment_names_a_database())
            return fetch_extract_store(options, fetch_options, target);
    }
    fetch::fetch_result page;
    if (const int failed = fetch_page(options, fetch_options, page); failed != exit_ok) return failed;
    const auto extracted = extract_fetched(options, page);
    print_line(extract::record_to_json(extracted.record, extracted.error));
    std::fprintf(stderr, "nothing stored: no database configured\n");
    return extracted_exit_code(extracted);
}

}  // namespace gisa::app
