// Faults: a database down at start, a connection lost between and inside batches, and a
// server restart in the middle of a batch (a private server, so the shared one keeps running).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/db_error.hpp"
#include "store/migrations.hpp"
#include "store_test_support.hpp"

using namespace gisa;
using gisa::test::fresh_db;
using gisa::test::sample_article;
using gisa::test::sample_board;

namespace {

constexpr const char* down_dsn = "host=127.0.0.1 port=1 user=gisa connect_timeout=2";

long long scalar(store::connection& conn, std::string_view sql, const store::params& values = {}) {
    return conn.exec(sql, values).get_int(0, 0);
}

// Forty articles and ten board pages of five posts each (numbers never repeat).
std::vector<core::page_record> mixed_pages() {
    std::vector<core::page_record> pages;
    for (int i = 0; i < 50; ++i) {
        if (i % 5 == 4) {
            pages.push_back(sample_board("https://b.example/bbs/board.php?bo_table=t" + std::to_string(i), 5, i * 100));
        } else {
            pages.push_back(sample_article("https://news.example/article/" + std::to_string(i), 4));
        }
    }
    return pages;
}

// Nothing lost, nothing doubled: every page stored once, as a fresh ingest would.
void check_stored_once(store::connection& c, const std::vector<store::ingest_result>& results) {
    int inserted_or_recovered = 0;
    for (const auto& r : results) {
        CHECK_FALSE(r.error);
        if (r.article_inserted || r.rows_inserted > 0 || r.recovered) ++inserted_or_recovered;
    }
    CHECK(inserted_or_recovered == 50);
    CHECK(scalar(c, "SELECT count(*) FROM urls") == 50);
    CHECK(scalar(c, "SELECT count(*) FROM urls WHERE attempts = 0 AND state = 'fetched'") == 50);
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 40);
    CHECK(scalar(c, "SELECT count(*) FROM article_revisions") == 0);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows") == 10 * 6);
    CHECK(scalar(c, "SELECT count(DISTINCT (board_url, row_key)) FROM board_rows") == 10 * 6);
}

}  // namespace

TEST_CASE("a database that is down at start is a clear, retryable error", "[store][faults][pg]") {
    try {
        store::store::connect(down_dsn);
        FAIL("connected to nothing");
    } catch (const store::db_error& down) {
        CHECK(down.retryable());
        CHECK(down.poisons_connection());
        CHECK(std::string(down.what()).find("cannot connect to the database") != std::string::npos);
    }
}

TEST_CASE("connect_with_backoff waits, then gives up or is told to stop", "[store][faults][pg]") {
    store::store_options options;
    options.reconnect.initial = std::chrono::milliseconds(20);
    options.reconnect.max_delay = std::chrono::milliseconds(80);
    options.reconnect.give_up_after = std::chrono::milliseconds(400);
    const auto start = std::chrono::steady_clock::now();
    int asked = 0;
    CHECK_THROWS_AS(store::store::connect_with_backoff(down_dsn, options,
                                                       [&](const core::error& e) {
                                                           CHECK(e.code == core::errc::database);
                                                           return ++asked < 3;
                                                       }),
                    store::db_error);
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(asked == 3);
    // Three rounds of a policy that gives up after 400 ms, each waiting some of it.
    CHECK(waited >= std::chrono::milliseconds(300));
    CHECK(waited < std::chrono::seconds(10));

    fresh_db db;
    store::store s = store::store::connect_with_backoff(db.dsn(), options);
    CHECK(s.migrate().schema_version == static_cast<int>(store::embedded_migrations().size()));
}

TEST_CASE("a connection lost between batches is reconnected and nothing is dropped", "[store][faults][pg]") {
    fresh_db db;
    store::store_options options;
    options.max_pages_per_batch = 10;
    store::store s = store::store::connect(db.dsn(), options);
    s.migrate();
    store::connection killer = store::connection::open(db.dsn());
    const std::vector<core::page_record> pages = mixed_pages();
    const std::vector<store::fetch_meta> metas(pages.size());
    const auto first_half = s.upsert_pages(std::span(pages).first(25), std::span(metas).first(25));
    const int old_pid = s.raw().backend_pid();
    CHECK(scalar(killer, "SELECT pg_terminate_backend($1::int4)::int", {std::to_string(old_pid)}) == 1);
    auto results = s.upsert_pages(std::span(pages).subspan(25), std::span(metas).subspan(25));
    CHECK(s.raw().backend_pid() != old_pid);
    results.insert(results.begin(), first_half.begin(), first_half.end());
    check_stored_once(killer, results);
}

TEST_CASE("a commit whose answer is lost is found committed by the content hash", "[store][faults][pg]") {
    fresh_db db;
    store::connection watcher = store::connection::open(db.dsn());
    store::store_options options;
    options.max_pages_per_batch = 10;
    std::atomic<int> batches{0};
    // Batch 3 commits, and its answer is lost: the store must not send it again.
    options.after_batch_sent = [&] {
        if (++batches != 3) return false;
        for (int i = 0; i < 500 && scalar(watcher, "SELECT count(*) FROM urls") < 30; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return true;
    };
    store::store s = store::store::connect(db.dsn(), options);
    s.migrate();
    const std::vector<core::page_record> pages = mixed_pages();
    const std::vector<store::fetch_meta> metas(pages.size());
    const auto results = s.upsert_pages(pages, metas);
    CHECK(batches == 5);
    for (std::size_t i = 0; i < results.size(); ++i)
        CHECK(results[i].recovered == (i >= 20 && i < 30));
    check_stored_once(watcher, results);
    for (const auto& r : s.upsert_pages(pages, metas))
        CHECK(r.unchanged);
}

TEST_CASE("a commit whose answer is lost is found not committed and sent again", "[store][faults][pg]") {
    fresh_db db;
    store::store_options options;
    options.max_pages_per_batch = 10;
    store::store s = store::store::connect(db.dsn(), options);
    s.migrate();
    const std::vector<core::page_record> pages = mixed_pages();
    const std::vector<store::fetch_meta> metas(pages.size());
    // The crawler knows batch 3's URLs already; another session holds their rows,
    // so batch 3 waits before its commit, and its backend is killed while it waits.
    store::connection holder = store::connection::open(db.dsn());
    for (std::size_t i = 20; i < 30; ++i)
        holder.exec("INSERT INTO urls (url, host) VALUES ($1, 'x')", {pages[i].url});
    holder.exec("BEGIN");
    holder.exec("SELECT count(*) FROM (SELECT 1 FROM urls FOR UPDATE) s");
    store::connection killer = store::connection::open(db.dsn());
    std::atomic<int> batches{0};
    int victim = 0;
    options.after_batch_sent = [&] {
        if (++batches != 3) return false;
        const std::string waiting =
            "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int4 AND wait_event_type = 'Lock'";
        for (int i = 0; i < 500 && scalar(killer, waiting, {std::to_string(victim)}) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        CHECK(scalar(killer, "SELECT pg_terminate_backend($1::int4)::int", {std::to_string(victim)}) == 1);
        holder.exec("COMMIT");
        return false;
    };
    s = store::store::connect(db.dsn(), options);
    victim = s.raw().backend_pid();
    const auto results = s.upsert_pages(pages, metas);
    CHECK(batches == 6);
    for (const auto& r : results)
        CHECK_FALSE(r.recovered);
    check_stored_once(killer, results);
}

TEST_CASE("a server restart in the middle of a batch loses nothing and doubles nothing", "[store][faults][pg]") {
    test::private_server server;
    const std::string dsn = server.dsn();
    REQUIRE_FALSE(dsn.empty());
    store::store_options options;
    options.max_pages_per_batch = 10;
    options.reconnect.initial = std::chrono::milliseconds(50);
    options.reconnect.give_up_after = std::chrono::seconds(60);
    std::atomic<int> batches{0};
    std::thread restarter;
    // Batch 3 is on the wire when the server goes down; it comes back a second later.
    options.after_batch_sent = [&] {
        if (++batches != 3) return false;
        CHECK(server.stop() == 0);
        restarter = std::thread([&] {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            server.start();
        });
        return false;
    };
    store::store s = store::store::connect(dsn, options);
    s.migrate();
    const std::vector<core::page_record> pages = mixed_pages();
    const std::vector<store::fetch_meta> metas(pages.size());
    const auto results = s.upsert_pages(pages, metas);
    if (restarter.joinable()) restarter.join();
    REQUIRE(server.dsn() == dsn);  // same port again, or the store could not have reconnected
    store::connection c = store::connection::open(dsn);
    check_stored_once(c, results);
    const auto again = s.upsert_pages(pages, metas);
    for (const auto& r : again)
        CHECK(r.unchanged);
}
