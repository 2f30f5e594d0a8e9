// Upserts against a real PostgreSQL: idempotence measured in row versions, statistics and WAL,
// revisions, deduplication, concurrent writers, Korean text and refused input.
#include <catch2/catch.hpp>

#include <thread>

#include "store/db_error.hpp"
#include "store/page_batch.hpp"
#include "store_test_support.hpp"

using namespace gisa;
using gisa::test::fresh_db;
using gisa::test::sample_article;
using gisa::test::sample_board;

namespace {

constexpr const char* article_url = "https://biz.chosun.com/real_estate/2024/07/18/ABC/";
constexpr const char* board_url = "https://gall.example.com/bbs/board.php?bo_table=free";

store::store migrated(const fresh_db& db) {
    store::store s = store::store::connect(db.dsn());
    s.migrate();
    return s;
}

long long scalar(store::connection& conn, std::string_view sql, const store::params& values = {}) {
    return conn.exec(sql, values).get_int(0, 0);
}

std::string text(store::connection& conn, std::string_view sql, const store::params& values = {}) {
    const store::result r = conn.exec(sql, values);
    return r.is_null(0, 0) ? "<null>" : std::string(r.get(0, 0));
}

// Every row version of the data tables, as (table, id, xmin, ctid) in one string.
std::string row_versions(store::connection& conn) {
    const store::result r = conn.exec(R"(
        SELECT string_agg(v, ' ' ORDER BY v) FROM (
            SELECT 'a' || id || ':' || xmin || '@' || ctid AS v FROM articles
            UNION ALL SELECT 'r' || id || ':' || xmin || '@' || ctid FROM article_revisions
            UNION ALL SELECT 'b' || id || ':' || xmin || '@' || ctid FROM board_rows) s)");
    return std::string(r.get(0, 0));
}

// Inserted, updated (HOT included) and deleted tuples of the data tables, as
// the statistics collector counts them, after making the writer flush.
std::string tuple_counts(store::store& writer, store::connection& reader) {
    writer.raw().exec("SELECT pg_stat_force_next_flush()");
    writer.raw().exec("SELECT 1");
    reader.exec("SELECT pg_stat_clear_snapshot()");
    return text(reader, R"(
        SELECT string_agg(relname || ' ins=' || n_tup_ins || ' upd=' || n_tup_upd || ' hot=' || n_tup_hot_upd
                          || ' del=' || n_tup_del, '; ' ORDER BY relname)
        FROM pg_stat_user_tables WHERE relname IN ('articles', 'article_revisions', 'board_rows'))");
}

// WAL records between two positions that touch the data tables, their TOAST
// tables or any of their indexes (pg_walinspect, PostgreSQL 15).
long long wal_records_on_data_tables(store::connection& conn, const std::string& from, const std::string& to) {
    // pg_walinspect reads only flushed WAL and the test server commits
    // asynchronously: a synchronous commit that wrote WAL flushes all before it.
    conn.exec("SET synchronous_commit = on");
    conn.exec("CREATE TABLE IF NOT EXISTS wal_flush_probe (x int)");
    conn.exec("INSERT INTO wal_flush_probe VALUES (1)");
    return scalar(conn, R"(
        WITH t AS (SELECT oid, reltoastrelid FROM pg_class
                   WHERE relname IN ('articles', 'article_revisions', 'board_rows') AND relkind = 'r'),
        rels AS (SELECT oid FROM t
                 UNION SELECT reltoastrelid FROM t WHERE reltoastrelid <> 0
                 UNION SELECT indexrelid FROM pg_index
                       WHERE indrelid IN (SELECT oid FROM t UNION SELECT reltoastrelid FROM t)),
        nodes AS (SELECT '/' || d.oid || '/' || pg_relation_filenode(rels.oid) || ' ' AS pattern
                  FROM rels, pg_database d WHERE d.datname = current_database())
        SELECT count(*) FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) w
        WHERE EXISTS (SELECT 1 FROM nodes WHERE strpos(w.block_ref, nodes.pattern) > 0))",
                  {from, to});
}

store::fetch_meta fetched_at(int seconds_after) {
    store::fetch_meta meta;
    meta.fetched_at = std::chrono::system_clock::time_point{std::chrono::seconds(1'721'283'120 + seconds_after)};
    return meta;
}

}  // namespace

TEST_CASE("a new page is stored whole: article, board rows, frontier", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    const core::page_record article = sample_article(article_url);
    const store::ingest_result first = s.upsert_page(article, fetched_at(0));
    CHECK(first.article_inserted);
    CHECK_FALSE(first.article_updated);
    CHECK_FALSE(first.unchanged);

    const core::page_record board = sample_board(std::string(board_url) + "&page=1", 20);
    const store::ingest_result rows = s.upsert_page(board, fetched_at(0));
    CHECK_FALSE(rows.article_inserted);
    CHECK(rows.rows_inserted == 21);
    CHECK(rows.rows_unchanged == 0);

    store::connection& c = s.raw();
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 1);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows WHERE board_url = $1", {std::string(board_url)}) == 21);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows WHERE notice AND post_no IS NULL") == 1);
    CHECK(scalar(c, "SELECT count(*) FROM urls WHERE state = 'fetched' AND attempts = 0") == 2);
    CHECK(text(c, "SELECT host FROM articles") == "biz.chosun.com");
    CHECK(text(c, "SELECT published_at AT TIME ZONE 'UTC' FROM articles") == "2024-07-18 06:12:00");
    CHECK(text(c, "SELECT published_text FROM articles") == "2024-07-18T15:12:00+09:00");
    CHECK(text(c, "SELECT modified_at AT TIME ZONE 'Asia/Seoul' FROM articles") == "2024-07-18 00:00:00");
    CHECK(text(c, "SELECT fetched_at AT TIME ZONE 'UTC' FROM urls WHERE url = $1", {std::string(article_url)}) ==
          "2024-07-18 06:12:00");
}

TEST_CASE("Korean text comes back byte for byte", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    core::page_record page = sample_article(article_url);
    page.title = "\"따옴표\" 와 \\역슬래시\\, {중괄호}, 쉼표, NULL";
    page.body = {"첫 문단입니다.", "둘째 문단 — 😀 이모지와 한자 漢字", "NULL", "", "  공백  "};
    page.captions = {};
    page.byline = std::nullopt;
    s.upsert_page(page, {});
    store::connection& c = s.raw();
    CHECK(text(c, "SELECT title FROM articles") == *page.title);
    const store::result body = c.exec("SELECT unnest(body) FROM articles");
    REQUIRE(body.rows() == static_cast<int>(page.body.size()));
    for (int i = 0; i < body.rows(); ++i)
        CHECK(body.get(i, 0) == page.body[static_cast<std::size_t>(i)]);
    CHECK(scalar(c, "SELECT cardinality(captions) FROM articles") == 0);
    CHECK(text(c, "SELECT byline FROM articles") == "<null>");
    CHECK(text(c, "SELECT octet_length(body[2])::text FROM articles") == std::to_string(page.body[1].size()));
}

TEST_CASE("re-ingesting an unchanged page writes no row version and no WAL for the data", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection reader = store::connection::open(db.dsn());
    reader.exec("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    const std::vector<core::page_record> pages{sample_article(article_url, 20),
                                               sample_board(std::string(board_url), 30)};
    const std::vector<store::fetch_meta> first_fetch{fetched_at(0), fetched_at(0)};
    const std::string start = text(reader, "SELECT pg_current_wal_insert_lsn()::text");
    s.upsert_pages(pages, first_fetch);

    const std::string versions = row_versions(reader);
    const std::string counts = tuple_counts(s, reader);
    // The statistics were flushed: the first ingest's inserts are counted.
    CHECK(counts ==
          "article_revisions ins=0 upd=0 hot=0 del=0; articles ins=1 upd=0 hot=0 del=0; "
          "board_rows ins=31 upd=0 hot=0 del=0");

    // Insert positions: pg_current_wal_lsn() is the write position and lags behind.
    const std::string before = text(reader, "SELECT pg_current_wal_insert_lsn()::text");
    const std::vector<store::fetch_meta> second_fetch{fetched_at(3600), fetched_at(3600)};
    const std::vector<store::ingest_result> again = s.upsert_pages(pages, second_fetch);
    const std::string after = text(reader, "SELECT pg_current_wal_insert_lsn()::text");

    REQUIRE(again.size() == 2);
    CHECK(again[0].unchanged);
    CHECK_FALSE(again[0].article_inserted);
    CHECK_FALSE(again[0].article_updated);
    CHECK(again[1].unchanged);
    CHECK(again[1].rows_unchanged == 31);
    CHECK(again[1].rows_inserted + again[1].rows_updated == 0);

    CHECK(row_versions(reader) == versions);
    CHECK(tuple_counts(s, reader) == counts);
    CHECK(wal_records_on_data_tables(reader, before, after) == 0);
    // Only the frontier moved: both URLs carry the new fetch time.
    CHECK(scalar(reader, "SELECT count(*) FROM urls WHERE fetched_at = '2024-07-18 07:12:00+00'") == 2);
    // The measurement itself can see writes: the first ingest had plenty.
    CHECK(wal_records_on_data_tables(reader, start, before) > 0);
}

TEST_CASE("an unchanged board list page is not looked into but a row written by another page is",
          "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection reader = store::connection::open(db.dsn());
    // Rows of board_rows written, as the statistics collector counts them. (This test counted scans
    // until it was found never to have run: its name held a ';', where CTest's discovery cut it. Scans
    // are plan-dependent: on a table this small the planner hashes all of board_rows once per round-1
    // statement, so a scan shows even for a page whose rows are not compared. What the page hash
    // saves is visible in the writes and in the results' counts.)
    const auto board_row_reads = [&] {
        s.raw().exec("SELECT pg_stat_force_next_flush()");
        s.raw().exec("SELECT 1");
        reader.exec("SELECT pg_stat_clear_snapshot()");
        return scalar(reader, "SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE relname = 'board_rows'");
    };
    const core::page_record page1 = sample_board(std::string(board_url), 3);
    core::page_record page2 = sample_board(std::string(board_url) + "&page=2", 2, 2000);
    s.upsert_page(page1, fetched_at(0));
    s.upsert_page(page2, fetched_at(0));
    const long long reads = board_row_reads();
    const store::ingest_result again = s.upsert_page(page1, fetched_at(60));
    CHECK(again.unchanged);
    CHECK(again.rows_unchanged == 4);
    CHECK(board_row_reads() == reads);

    // Page 2 now shows page 1's notice, edited: the board moves on, and page 1,
    // unchanged itself, is looked into and writes its notice back.
    page2.board.rows[0] = page1.board.rows[0];
    page2.board.rows[0].title = "[공지] 게시판 이용 규칙 (개정)";
    CHECK(s.upsert_page(page2, fetched_at(120)).rows_updated == 1);
    const store::ingest_result back = s.upsert_page(page1, fetched_at(180));
    CHECK(back.rows_updated == 1);
    CHECK(back.rows_unchanged == 3);
    CHECK(text(reader, "SELECT title FROM board_rows WHERE post_no IS NULL") == "[공지] 게시판 이용 규칙");
    CHECK(board_row_reads() > reads);
    // And is left alone again after that.
    const long long later = board_row_reads();
    CHECK(s.upsert_page(page1, fetched_at(240)).unchanged);
    CHECK(board_row_reads() == later);
}

TEST_CASE("a changed article is updated in place and its old version kept", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    s.upsert_page(sample_article(article_url, 3), fetched_at(0));
    const long long id = scalar(c, "SELECT id FROM articles");

    const store::ingest_result changed = s.upsert_page(sample_article(article_url, 3, " (수정)"), fetched_at(60));
    CHECK(changed.article_updated);
    CHECK_FALSE(changed.article_inserted);
    CHECK_FALSE(changed.unchanged);
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 1);
    CHECK(scalar(c, "SELECT id FROM articles") == id);
    CHECK(text(c, "SELECT title FROM articles") == "서울 아파트값 3주 연속 상승 (수정)");
    CHECK(scalar(c, "SELECT count(*) FROM article_revisions WHERE article_id = $1", {std::to_string(id)}) == 1);
    CHECK(text(c, "SELECT title FROM article_revisions") == "서울 아파트값 3주 연속 상승");
    CHECK(text(c, "SELECT body[1] FROM article_revisions") == sample_article(article_url).body[0]);
    CHECK(text(c,
               "SELECT (valid_from AT TIME ZONE 'UTC')::text || ' ' || (replaced_at AT TIME ZONE 'UTC')::text "
               "FROM article_revisions") == "2024-07-18 06:12:00 2024-07-18 06:13:00");
    CHECK(text(c, "SELECT (first_seen < last_changed)::text FROM articles") == "true");

    // The same change again is no change; a third version keeps a second revision.
    CHECK(s.upsert_page(sample_article(article_url, 3, " (수정)"), fetched_at(120)).unchanged);
    CHECK(s.upsert_page(sample_article(article_url, 4, " (수정)"), fetched_at(180)).article_updated);
    CHECK(scalar(c, "SELECT count(*) FROM article_revisions") == 2);
    CHECK(scalar(c, "SELECT count(DISTINCT content_hash) FROM article_revisions") == 2);
}

TEST_CASE("changed board rows are updated, the others left alone", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    core::page_record board = sample_board(board_url, 5);
    s.upsert_page(board, {});
    const std::string untouched = text(c, "SELECT xmin::text FROM board_rows WHERE post_no = 1001");
    board.board.rows[1].views = 999;                  // post 1000: more views
    board.board.rows.push_back(board.board.rows[5]);  // post 1004 again ...
    board.board.rows.back().no = 1005;                // ... as a new post 1005
    const store::ingest_result r = s.upsert_page(board, {});
    CHECK(r.rows_updated == 1);
    CHECK(r.rows_inserted == 1);
    CHECK(r.rows_unchanged == 5);
    CHECK_FALSE(r.unchanged);
    CHECK(scalar(c, "SELECT views FROM board_rows WHERE post_no = 1000") == 999);
    CHECK(text(c, "SELECT xmin::text FROM board_rows WHERE post_no = 1001") == untouched);

    // Page 2 of the same board holds post 1000 again: still one row for it.
    core::page_record page2 = sample_board(std::string(board_url) + "&page=2", 1);
    s.upsert_page(page2, {});
    CHECK(scalar(c, "SELECT count(*) FROM board_rows WHERE post_no = 1000") == 1);
    CHECK(scalar(c, "SELECT views FROM board_rows WHERE post_no = 1000") == 100);
}

TEST_CASE("a board row's category is stored, and rows without one keep their hashes", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    core::page_record board = sample_board(board_url, 3);
    s.upsert_page(board, {});
    CHECK(scalar(c, "SELECT count(*) FROM board_rows WHERE category IS NULL") == 4);
    // The page now shows a category for one row: that row alone is rewritten.
    board.board.rows[2].category = "질문";
    const store::ingest_result r = s.upsert_page(board, {});
    CHECK(r.rows_updated == 1);
    CHECK(r.rows_unchanged == 3);
    CHECK(text(c, "SELECT category FROM board_rows WHERE post_no = 1001") == "질문");
    board.board.rows[3].category = "판매";
    board.board.rows.push_back(board.board.rows[3]);
    board.board.rows.back().no = 1003;
    board.board.rows.back().category = "구매";
    const store::ingest_result again = s.upsert_page(board, {});
    CHECK(again.rows_inserted == 1);
    CHECK(again.rows_updated == 1);
    CHECK(text(c, "SELECT category FROM board_rows WHERE post_no = 1003") == "구매");
}

TEST_CASE("a batch is deduplicated before it is sent", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    std::vector<core::page_record> pages{sample_article(article_url, 2, " v1"), sample_board(board_url, 3),
                                         sample_article(article_url, 2, " v2"),
                                         sample_board(std::string(board_url) + "&page=2", 2, 1002)};
    pages[3].board.rows[0].url = pages[1].board.rows[0].url;  // the same notice on both pages
    const std::vector<store::fetch_meta> metas(pages.size());
    const std::vector<store::ingest_result> results = s.upsert_pages(pages, metas);
    CHECK(results[0].superseded);
    CHECK(results[2].article_inserted);
    CHECK(results[1].rows_inserted + results[3].rows_inserted == 1 + 3 + 1);  // posts 1000-1003 and the notice
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 1);
    CHECK(text(c, "SELECT title FROM articles") == "서울 아파트값 3주 연속 상승 v2");
    CHECK(scalar(c, "SELECT count(*) FROM article_revisions") == 0);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows") == 5);
    CHECK(scalar(c, "SELECT count(*) FROM urls") == 3);
}

TEST_CASE("a board row on two pages of one batch is stored as the later page has it", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    std::vector<core::page_record> pages{sample_board(board_url, 2),
                                         sample_board(std::string(board_url) + "&page=2", 1, 1002)};
    pages[1].board.rows[0].url = pages[0].board.rows[0].url;  // the same notice, edited in between
    pages[1].board.rows[0].title = "[공지] 게시판 이용 규칙 (개정)";
    const std::vector<store::fetch_meta> metas(pages.size());
    s.upsert_pages(pages, metas);
    CHECK(text(s.raw(), "SELECT title FROM board_rows WHERE post_no IS NULL") == "[공지] 게시판 이용 규칙 (개정)");
    // The stored hash is that version's: the second page again changes nothing,
    // the first (with the old notice) changes the notice back.
    const store::ingest_result second = s.upsert_page(pages[1], metas[1]);
    CHECK(second.unchanged);
    CHECK(second.rows_unchanged == 2);
    const store::ingest_result first = s.upsert_page(pages[0], metas[0]);
    CHECK(first.rows_updated == 1);
    CHECK(first.rows_unchanged == 2);
}

TEST_CASE("many pages go in batches, one result per page", "[store][upsert][pg]") {
    fresh_db db;
    store::store_options options;
    options.max_pages_per_batch = 7;
    store::store s = store::store::connect(db.dsn(), options);
    s.migrate();
    std::vector<core::page_record> pages;
    for (int i = 0; i < 50; ++i)
        pages.push_back(sample_article(std::string(article_url) + std::to_string(i)));
    const std::vector<store::fetch_meta> metas(pages.size());
    const auto results = s.upsert_pages(pages, metas);
    REQUIRE(results.size() == 50);
    for (const auto& r : results)
        CHECK(r.article_inserted);
    CHECK(scalar(s.raw(), "SELECT count(*) FROM articles") == 50);
    const auto again = s.upsert_pages(pages, metas);
    for (const auto& r : again)
        CHECK(r.unchanged);
}

TEST_CASE("NUL bytes and invalid UTF-8 are refused before they reach the server", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    core::page_record nul = sample_article(article_url);
    nul.body[1] = std::string("본문\0끝", 8);
    try {
        s.upsert_page(nul, {});
        FAIL("a NUL byte was accepted");
    } catch (const store::db_error& refused) {
        CHECK(refused.info().error.code == core::errc::decode);
        CHECK(std::string(refused.what()) == "refused to store body: NUL byte at byte 6");
    }
    core::page_record euc_kr = sample_board(board_url, 2);
    euc_kr.board.rows[1].title = "\xB1\xE8\xC3\xB6\xBC\xF6";
    const core::page_record good = sample_article(std::string(article_url) + "ok");
    const std::vector<core::page_record> batch{euc_kr, good};
    const std::vector<store::fetch_meta> metas(2);
    const auto results = s.upsert_pages(batch, metas);
    REQUIRE(results[0].error);
    CHECK(results[0].error->message == "refused to store board row title: invalid UTF-8 at byte 0");
    CHECK_FALSE(results[1].error);
    CHECK(results[1].article_inserted);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows") == 0);
    CHECK(scalar(c, "SELECT count(*) FROM urls") == 1);
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 1);
}

TEST_CASE("a page the server refuses costs only itself", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    // A constraint added for the test makes the server refuse one page (23514).
    std::vector<store::fetch_meta> metas(3);
    metas[1].http_status = -1;
    c.exec("ALTER TABLE urls ADD CONSTRAINT status_range CHECK (last_status BETWEEN 100 AND 599)");
    const std::vector<core::page_record> pages{sample_article(std::string(article_url) + "1"),
                                               sample_article(std::string(article_url) + "2"),
                                               sample_article(std::string(article_url) + "3")};
    const auto results = s.upsert_pages(pages, metas);
    CHECK(results[0].article_inserted);
    REQUIRE(results[1].error);
    CHECK(results[1].error->message.find("status_range") != std::string::npos);
    CHECK(results[2].article_inserted);
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 2);
    CHECK(scalar(c, "SELECT count(*) FROM urls") == 2);
}

TEST_CASE("concurrent writers of the same URL neither fail nor double rows", "[store][upsert][pg]") {
    fresh_db db;
    migrated(db);
    constexpr int writers = 4;
    constexpr int rounds = 15;
    std::vector<std::vector<store::ingest_result>> seen(writers);
    std::vector<std::string> failures(writers);
    {
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                try {
                    store::store s = store::store::connect(db.dsn());
                    for (int r = 0; r < rounds; ++r) {
                        // Two versions of the article alternate between writers.
                        const std::string tag = ((w + r) % 2 == 0) ? " 가" : " 나";
                        const std::vector<core::page_record> pages{sample_article(article_url, 3, tag),
                                                                   sample_board(board_url, 10 + (r % 3))};
                        const std::vector<store::fetch_meta> metas(2);
                        for (const auto& one : s.upsert_pages(pages, metas))
                            seen[static_cast<std::size_t>(w)].push_back(one);
                    }
                } catch (const std::exception& e) {
                    failures[static_cast<std::size_t>(w)] = e.what();
                }
            });
        for (std::thread& t : threads)
            t.join();
    }
    int inserted = 0;
    int updated = 0;
    int rows_inserted = 0;
    for (int w = 0; w < writers; ++w) {
        CHECK(failures[static_cast<std::size_t>(w)].empty());
        for (const auto& r : seen[static_cast<std::size_t>(w)]) {
            CHECK_FALSE(r.error);
            inserted += r.article_inserted ? 1 : 0;
            updated += r.article_updated ? 1 : 0;
            rows_inserted += r.rows_inserted;
        }
    }
    store::connection c = store::connection::open(db.dsn());
    CHECK(inserted == 1);
    CHECK(scalar(c, "SELECT count(*) FROM articles") == 1);
    // Every update kept exactly one old version.
    CHECK(scalar(c, "SELECT count(*) FROM article_revisions") == updated);
    CHECK(rows_inserted == 13);  // the notice and posts 1000-1011
    CHECK(scalar(c, "SELECT count(*) FROM board_rows") == 13);
    CHECK(scalar(c, "SELECT count(*) FROM urls") == 2);
}

TEST_CASE("copy_in loads COPY text data", "[store][pg]") {
    fresh_db db;
    store::connection c = store::connection::open(db.dsn());
    c.exec("CREATE TABLE t (a text, b int)");
    c.copy_in("COPY t FROM STDIN", "가나\t1\n\\N\t2\ntab\\there\t3\n");
    CHECK(scalar(c, "SELECT count(*) FROM t") == 3);
    CHECK(text(c, "SELECT a FROM t WHERE b = 1") == "가나");
    CHECK(text(c, "SELECT a FROM t WHERE b = 2") == "<null>");
    CHECK(text(c, "SELECT a FROM t WHERE b = 3") == "tab\there");
    CHECK_THROWS_AS(c.copy_in("COPY t FROM STDIN", "x\tnot a number\n"), store::db_error);
    CHECK(scalar(c, "SELECT count(*) FROM t") == 3);
}

TEST_CASE("board rows without a post number or a URL are told apart by their titles", "[store][upsert][pg]") {
    fresh_db db;
    store::store s = migrated(db);
    store::connection& c = s.raw();
    core::page_record board = sample_board(board_url, 1);
    // Notices whose links are script calls: no number, no URL (the extractor emits no javascript: URL).
    for (const char* title : {"[공지] 개인정보 처리방침 변경", "[공지] 서버 점검 안내"}) {
        core::board_row notice;
        notice.title = title;
        notice.notice = true;
        board.board.rows.push_back(notice);
    }
    const store::ingest_result r = s.upsert_page(board, {});
    CHECK(r.rows_inserted == 4);
    CHECK(scalar(c, "SELECT count(*) FROM board_rows WHERE url = ''") == 2);
    CHECK(s.upsert_page(board, {}).rows_unchanged == 4);
}
