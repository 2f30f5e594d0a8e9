// `gisa ingest --url URL [--allow-private] [--dsn DSN] [--config FILE] [--follow]`: fetch one page
// (http, https, file), extract it, and store it. With a database (--dsn, or the config file's
// [database] dsn, or with --config the PG* environment) it prints a one-line JSON summary of what was
// written; without one it prints the record and says that nothing was stored.
//
// --follow (issue #13): also fetch, extract and store the posts the page's board rows link to
// (ingest_follow.hpp), in one batch with the page. The posts keep the per-host delay of
// [fetch.politeness] (1 s by default: 20 rows take about 20 s); without --follow the one page is
// fetched at once. The summary then adds "followed" and "failures"; without a database the page's
// record and then each post's are printed as JSON Lines.
//
// The config file (--config) also sets the fetch limits, politeness and retries ([fetch] tables).
//
// Exit codes (commands.hpp): exit_usage for an unreadable or invalid config file; exit_database when the
// database cannot be reached or refuses the page; exit_fetch when the page could not be fetched or
// read, or when --follow followed rows and not one post could be fetched, read and stored (failed
// posts are listed, and otherwise do not change the exit code); exit_nothing when it is not a page
// (PDF, image, binary, plain text) or yields neither an article nor board rows; exit_ok otherwise.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/fetch_config.hpp"
#include "app/ingest_follow.hpp"
#include "extract/record_json.hpp"
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
    // One request (after robots.txt) needs no spacing; the posts --follow fetches do.
    if (!options.follow) o.politeness.min_host_delay = std::chrono::milliseconds(0);
    return file;
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

// 1. fetch; an error here is the caller's exit code, else 0.
int fetch_page(const ingest_options& options, blocking_fetcher& fetcher, fetch::fetch_result& page) {
    page = fetcher.fetch(options.url);
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

// 2. extract (extract_fetched); a page counts when it yields an article or board rows.
int extracted_exit_code(const extract::extract_result& extracted) {
    if (extracted.error.code != core::errc::ok) return exit_nothing;
    const bool yielded = extracted.record.has_article() || !extracted.record.board.rows.empty();
    return yielded ? exit_ok : exit_nothing;
}

store::fetch_meta meta_of(const fetch::fetch_result& page) {
    store::fetch_meta meta;
    meta.http_status = static_cast<int>(page.status == 0 ? 200 : page.status);  // file: URLs have no status
    if (!page.etag.empty()) meta.etag = page.etag;
    if (!page.last_modified.empty()) meta.last_modified = page.last_modified;
    return meta;
}

nlohmann::ordered_json page_summary(const store::ingest_result& r, const core::page_record& record) {
    nlohmann::ordered_json summary;
    summary["url"] = record.url;
    summary["final_url"] = record.final_url;
    summary["title"] = record.title ? nlohmann::ordered_json(*record.title) : nullptr;
    summary["article"] = article_outcome(r, record);
    summary["board_rows"] = {
        {"inserted", r.rows_inserted}, {"updated", r.rows_updated}, {"unchanged", r.rows_unchanged}};
    summary["links_out"] = record.links_out.size();
    return summary;
}

// 3. store: one transaction for the page's article, board rows and frontier row; with --follow,
// the posts go in the same batch (store::upsert_pages), after the page.
int store_pages(store::store& db, const fetch::fetch_result& page, const extract::extract_result& extracted,
                followed_posts* followed) {
    std::vector<core::page_record> records{extracted.record};
    std::vector<store::fetch_meta> metas{meta_of(page)};
    if (followed != nullptr)
        for (const followed_post& post : followed->posts) {
            records.push_back(post.extracted.record);
            metas.push_back(meta_of(post.fetched));
        }
    const std::vector<store::ingest_result> results = followed == nullptr
                                                          ? std::vector{db.upsert_page(records.front(), metas.front())}
                                                          : db.upsert_pages(records, metas);
    if (results.front().error) {
        std::fprintf(stderr, "gisa ingest: %s was not stored: %s\n", extracted.record.url.c_str(),
                     results.front().error->message.c_str());
        return exit_database;
    }
    nlohmann::ordered_json summary = page_summary(results.front(), extracted.record);
    const int code = extracted_exit_code(extracted);
    if (followed == nullptr) {
        print_line(summary);
        return code;
    }
    const std::size_t stored = add_follow_summary(summary, *followed, std::span(results).subspan(1));
    print_line(summary);
    return code != exit_ok ? code : follow_exit_code(followed->rows, stored);
}

int fetch_extract_store(const ingest_options& options, const config_file& config, const store::dsn_choice& target) {
    const fetch::fetcher_options& fetch_options = config.fetch;
    try {
        // Connect first: a database that is down fails in a second, before any fetch.
        store::store_options store_options;
        store_options.prepared_statements = config.prepared_statements;
        store::store db = store::store::connect(target.dsn, store_options);
        blocking_fetcher fetcher(fetch_options);
        fetch::fetch_result page;
        if (const int failed = fetch_page(options, fetcher, page); failed != exit_ok) return failed;
        const auto extracted = extract_fetched(options.url, page);
        if (!options.follow) return store_pages(db, page, extracted, nullptr);
        followed_posts followed = follow_rows(fetcher, extracted.record);
        return store_pages(db, page, extracted, &followed);
    } catch (const store::db_error& failure) {
        std::fprintf(stderr, "gisa ingest: %s (database from %s); nothing was stored\n", failure.what(),
                     target.origin.c_str());
        return exit_database;
    }
}

// Without a database: the page's record, then with --follow each post's, as JSON Lines.
int fetch_extract_print(const ingest_options& options, const fetch::fetcher_options& fetch_options) {
    blocking_fetcher fetcher(fetch_options);
    fetch::fetch_result page;
    if (const int failed = fetch_page(options, fetcher, page); failed != exit_ok) return failed;
    const auto extracted = extract_fetched(options.url, page);
    print_line(extract::record_to_json(extracted.record, extracted.error));
    int code = extracted_exit_code(extracted);
    if (options.follow) {
        const followed_posts followed = follow_rows(fetcher, extracted.record);
        for (const followed_post& post : followed.posts)
            print_line(extract::record_to_json(post.extracted.record, post.extracted.error));
        if (code == exit_ok) code = follow_exit_code(followed.rows, followed.posts.size());
    }
    std::fprintf(stderr, "nothing stored: no database configured\n");
    return code;
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
            return fetch_extract_store(options, config, target);
    }
    return fetch_extract_print(options, fetch_options);
}

}  // namespace gisa::app
