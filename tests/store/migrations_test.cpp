// Migrations against a real PostgreSQL: from empty, re-run, two at once, edited or failing ones, `gisa migrate`.
#include <catch2/catch.hpp>

#include <thread>

#include "store/db_error.hpp"
#include "store/migrations.hpp"
#include "store_test_support.hpp"

using namespace gisa;
using gisa::test::fresh_db;

namespace {

long long count(store::connection& conn, std::string_view sql) {
    return conn.exec(sql).get_int(0, 0);
}

const std::vector<std::string> schema_tables{"sources", "urls",   "articles",     "article_revisions", "board_rows",
                                             "hosts",   "boards", "robots_files", "crawlers"};

}  // namespace

TEST_CASE("migrations apply to an empty database and a re-run does nothing", "[store][migrations][pg]") {
    fresh_db db;
    store::connection conn = store::connection::open(db.dsn());
    const store::migrate_report first = store::apply_migrations(conn);
    CHECK(first.applied == std::vector<std::string>{"0001_init", "0002_urls_fillfactor", "0003_board_generations",
                                                    "0004_crawl_frontier", "0005_shared_politeness",
                                                    "0006_board_row_category", "0007_board_row_key_title"});
    CHECK(first.already_applied == 0);
    CHECK(first.schema_version == 7);
    for (const std::string& table : schema_tables) {
        CAPTURE(table);
        CHECK(conn.exec("SELECT to_regclass($1) IS NOT NULL", {table}).get(0, 0) == "t");
    }
    const store::migrate_report again = store::apply_migrations(conn);
    CHECK(again.applied.empty());
    CHECK(again.already_applied == 7);
    CHECK(again.schema_version == 7);
    CHECK(count(conn, "SELECT count(*) FROM schema_migrations") == 7);
    // The frontier's pages keep room for same-page updates.
    CHECK(conn.exec("SELECT reloptions::text FROM pg_class WHERE relname = 'urls'").get(0, 0) == "{fillfactor=70}");
    // The advisory lock is given back.
    CHECK(count(conn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0);
}

TEST_CASE("two processes migrating at once apply each migration once", "[store][migrations][pg]") {
    fresh_db db;
    constexpr int racers = 4;
    std::vector<store::migrate_report> reports(racers);
    std::vector<std::string> failures(racers);
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i)
            threads.emplace_back([&, i] {
                try {
                    store::connection conn = store::connection::open(db.dsn());
                    reports[static_cast<std::size_t>(i)] = store::apply_migrations(conn);
                } catch (const std::exception& e) {
                    failures[static_cast<std::size_t>(i)] = e.what();
                }
            });
        for (std::thread& t : threads)
            t.join();
    }
    int applied = 0;
    for (int i = 0; i < racers; ++i) {
        CHECK(failures[static_cast<std::size_t>(i)].empty());
        applied += static_cast<int>(reports[static_cast<std::size_t>(i)].applied.size());
        CHECK(reports[static_cast<std::size_t>(i)].schema_version == 7);
    }
    CHECK(applied == 7);
    store::connection conn = store::connection::open(db.dsn());
    CHECK(count(conn, "SELECT count(*) FROM schema_migrations") == 7);
}

TEST_CASE("migrations apply in version order, a failing one leaves nothing behind", "[store][migrations][pg]") {
    fresh_db db;
    store::connection conn = store::connection::open(db.dsn());
    const std::vector<store::migration> list{
        {2, "0002_second", "CREATE TABLE second (a_id int REFERENCES first (id));"},
        {1, "0001_first", "CREATE TABLE first (id int PRIMARY KEY);"},
    };
    CHECK(store::apply_migrations(conn, list).applied == std::vector<std::string>{"0001_first", "0002_second"});

    std::vector<store::migration> broken = list;
    broken.push_back({3, "0003_broken", "CREATE TABLE third (x int); SELECT no_such_function();"});
    CHECK_THROWS_AS(store::apply_migrations(conn, broken), store::db_error);
    CHECK(conn.exec("SELECT to_regclass('third') IS NULL").get(0, 0) == "t");
    CHECK(count(conn, "SELECT max(version) FROM schema_migrations") == 2);

    std::vector<store::migration> edited = list;
    edited[1].sql = "CREATE TABLE first (id bigint PRIMARY KEY);";
    try {
        store::apply_migrations(conn, edited);
        FAIL("an edited migration was accepted");
    } catch (const store::db_error& refused) {
        CHECK(std::string(refused.what()).find("0001_first differs") != std::string::npos);
    }
}

TEST_CASE("gisa migrate reports what it applied and exits 5 when the database is down", "[store][migrations][pg]") {
    fresh_db db;
    const std::string gisa = std::string(GISA_BINARY_DIR) + "/src/app/gisa";
    std::string out;
    CHECK(test::run_program({gisa, "migrate", "--dsn", db.dsn()}, &out) == 0);
    CHECK(out.find("applied 0001_init") != std::string::npos);
    CHECK(out.find("applied 0002_urls_fillfactor") != std::string::npos);
    CHECK(out.find("applied 0003_board_generations") != std::string::npos);
    CHECK(out.find("applied 0004_crawl_frontier") != std::string::npos);
    CHECK(out.find("applied 0005_shared_politeness") != std::string::npos);
    CHECK(out.find("applied 0006_board_row_category") != std::string::npos);
    CHECK(out.find("applied 0007_board_row_key_title") != std::string::npos);
    out.clear();
    CHECK(test::run_program({gisa, "migrate", "--dsn", db.dsn()}, &out) == 0);
    CHECK(out.find("up to date at version 7") != std::string::npos);

    // Port 1 on loopback: nothing listens there.
    out.clear();
    CHECK(test::run_program({gisa, "migrate", "--dsn", "host=127.0.0.1 port=1 user=gisa connect_timeout=2"}, &out) ==
          5);
    CHECK(out.find("cannot connect to the database") != std::string::npos);
}

TEST_CASE("gisa migrate finds the database in --dsn, then the config file", "[store][migrations][pg]") {
    fresh_db db;
    const std::string gisa = std::string(GISA_BINARY_DIR) + "/src/app/gisa";
    const std::string config = std::string(GISA_BINARY_DIR) + "/tests/store/" + db.name() + ".toml";
    const auto write_config = [&](const std::string& text) {
        std::FILE* file = std::fopen(config.c_str(), "w");
        REQUIRE(file != nullptr);
        std::fputs(text.c_str(), file);
        std::fclose(file);
    };
    std::string out;
    write_config("[database]\ndsn = \"" + db.dsn() + "\"\n");
    CHECK(test::run_program({gisa, "migrate", "--config", config}, &out) == 0);
    CHECK(out.find("applied 0001_init") != std::string::npos);

    // --dsn wins over the file.
    write_config("[database]\ndsn = \"host=127.0.0.1 port=1 user=gisa\"\n");
    out.clear();
    CHECK(test::run_program({gisa, "migrate", "--config", config, "--dsn", db.dsn()}, &out) == 0);
    CHECK(out.find("up to date") != std::string::npos);
    out.clear();
    CHECK(test::run_program({gisa, "migrate", "--config", config}, &out) == 5);
    CHECK(out.find("database from config") != std::string::npos);

    // A config file that is not TOML is a usage error.
    write_config("[database\n");
    out.clear();
    CHECK(test::run_program({gisa, "migrate", "--config", config}, &out) == 2);
    CHECK(out.find("cannot read config") != std::string::npos);
    std::remove(config.c_str());
}

TEST_CASE("0003 applies on a database at 0002: due URLs stay due, stored boards are looked into",
          "[store][migrations][pg]") {
    fresh_db db;
    store::connection conn = store::connection::open(db.dsn());
    std::vector<store::migration> up_to_0002;
    for (const store::migration& m : store::embedded_migrations())
        if (m.version <= 2) up_to_0002.push_back(m);
    REQUIRE(store::apply_migrations(conn, up_to_0002).schema_version == 2);
    // A frontier and a board as 0002 left them: one URL due, one not, one stored board list.
    const std::string board = "https://gall.example.com/bbs/board.php?bo_table=old";
    conn.exec_script(R"(
        INSERT INTO urls (url, host, state, next_fetch_at) VALUES
            ('https://a.example/due', 'a.example', 'new', now() - interval '1 minute'),
            ('https://a.example/later', 'a.example', 'fetched', now() + interval '1 hour'))");
    conn.exec(
        "INSERT INTO urls (url, host, state, content_hash, next_fetch_at) VALUES ($1, 'gall.example.com', "
        "'fetched', '\\x00', now() + interval '1 hour')",
        {board});
    conn.exec(
        "INSERT INTO board_rows (board_url, post_no, title, url, content_hash) VALUES ($1, 1000, 'old', $2, "
        "'\\x00')",
        {board, board + "&wr_id=1000"});

    const store::migrate_report report = store::apply_migrations(conn);
    CHECK(report.applied == std::vector<std::string>{"0003_board_generations", "0004_crawl_frontier",
                                                     "0005_shared_politeness", "0006_board_row_category",
                                                     "0007_board_row_key_title"});
    CHECK(report.schema_version == 7);
    // The scheduler's question is still answered from the due index.
    conn.exec("SET enable_seqscan = off");
    const std::string due_sql =
        "SELECT url FROM urls WHERE state <> 'gone' AND next_fetch_at <= now() ORDER BY next_fetch_at";
    CHECK(conn.exec(due_sql).rows() == 1);
    CHECK(conn.exec(due_sql).get(0, 0) == "https://a.example/due");
    const store::result plan = conn.exec("EXPLAIN " + due_sql);
    std::string plan_text;
    for (int r = 0; r < plan.rows(); ++r)
        plan_text += std::string(plan.get(r, 0)) + "\n";
    CAPTURE(plan_text);
    CHECK(plan_text.find("urls_due") != std::string::npos);
    conn.exec("RESET enable_seqscan");

    // The board's frontier row has no generation yet: its rows are compared,
    // the old one updated, the new ones inserted; the next read is unchanged.
    store::store s = store::store::connect(db.dsn());
    core::page_record page = test::sample_board(board, 2);
    store::fetch_meta meta;
    const store::ingest_result first = s.upsert_page(page, meta);
    CHECK(first.rows_updated == 1);
    CHECK(first.rows_inserted == 2);
    meta.fetched_at += std::chrono::hours(1);
    const store::ingest_result again = s.upsert_page(page, meta);
    CHECK(again.unchanged);
    CHECK(again.rows_unchanged == 3);
    CHECK(count(conn, "SELECT count(*) FROM urls WHERE board_generation IS NOT NULL") == 1);
}
