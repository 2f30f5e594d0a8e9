// Store throughput: upsert_pages for new and unchanged pages beside COPY into a staging table
// plus INSERT ... ON CONFLICT merge of the same rows, in the same run (issue #6, item 7).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_time.hpp"
#include "store/connection.hpp"
#include "store/content_hash.hpp"
#include "store/db_error.hpp"
#include "store/page_batch.hpp"
#include "store/store.hpp"

namespace {

using gisa::bench::backend_cpu_s;
using gisa::bench::process_cpu_s;

using namespace gisa;
using clock_type = std::chrono::steady_clock;

struct bench_config {
    std::string dsn;
    int articles = 2000;
    int board_pages = 200;
    int rows_per_board = 25;
    int batch = 200;
    int repeat = 3;  // each figure is the best of this many runs, the paths interleaved
};

// Body text: random Hangul syllables in words of 2-4, sentences ending in "다.",
// so that compression sees about as much structure as in real articles.
std::string korean_paragraph(std::mt19937& random, std::size_t bytes) {
    std::uniform_int_distribution<int> syllable(0xAC00, 0xD7A3);
    std::uniform_int_distribution<int> word_length(2, 4);
    std::uniform_int_distribution<int> words_per_sentence(6, 12);
    std::string out;
    while (out.size() < bytes) {
        const int words = words_per_sentence(random);
        for (int w = 0; w < words; ++w) {
            for (int s = word_length(random); s > 0; --s) {
                const int cp = syllable(random);
                out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            }
            out.push_back(' ');
        }
        out += "했다. ";
    }
    return out;
}

std::vector<core::page_record> make_articles(int count, std::mt19937& random) {
    std::vector<core::page_record> pages;
    pages.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        core::page_record page;
        page.url = "https://news.example.co.kr/article/2024/07/18/" + std::to_string(100000 + i);
        page.final_url = page.url;
        page.title = "벤치마크 기사 제목 " + std::to_string(i) + " " + korean_paragraph(random, 60);
        for (int p = 0; p < 6; ++p)
            page.body.push_back(korean_paragraph(random, 500));  // ~3 KB in all
        page.captions = {"자료 사진. /연합뉴스"};
        page.byline = "홍길동 기자 hong@example.co.kr";
        page.publisher = "예시일보";
        page.published_at = "2024-07-18T15:12:00+09:00";
        pages.push_back(std::move(page));
    }
    return pages;
}

std::vector<core::page_record> make_boards(const bench_config& config, std::mt19937& random) {
    std::vector<core::page_record> pages;
    for (int b = 0; b < config.board_pages; ++b) {
        core::page_record page;
        page.url = "https://bbs.example.co.kr/board.php?bo_table=b" + std::to_string(b);
        page.final_url = page.url;
        for (int r = 0; r < config.rows_per_board; ++r) {
            core::board_row row;
            row.no = 50000 + r;
            row.title = korean_paragraph(random, 45);
            row.url = page.url + "&wr_id=" + std::to_string(50000 + r);
            row.author = "글쓴이" + std::to_string(r);
            row.date = "2024-07-18T14:32:00+09:00";
            row.views = 100 + r;
            page.board.rows.push_back(std::move(row));
        }
        pages.push_back(std::move(page));
    }
    return pages;
}

std::string fresh_database(const std::string& server_dsn, const std::string& name) {
    store::connection admin = store::connection::open(server_dsn);
    admin.exec_script("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");  // a fixed name of ours
    admin.exec_script("CREATE DATABASE " + name);
    const std::string dsn = server_dsn + " dbname=" + name;
    store::connection conn = store::connection::open(dsn);
    store::apply_migrations(conn);
    return dsn;
}

double seconds_of(const std::function<void()>& work) {
    const auto start = clock_type::now();
    work();
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct timing {
    double wall_s = 0;
    double cpu_s = 0;  // client and server backend
};

timing timed(store::connection& server, const std::function<void()>& work) {
    const int pid = server.backend_pid();
    const double cpu_before = process_cpu_s() + backend_cpu_s(pid);
    timing t;
    t.wall_s = seconds_of(work);
    t.cpu_s = process_cpu_s() + backend_cpu_s(pid) - cpu_before;
    return t;
}

long long wal_position(store::connection& conn) {
    return conn.exec("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").get_int(0, 0);
}

// Autovacuum would otherwise start on the fresh rows in the middle of a timed
// phase; both paths get the same treatment, untimed.
void settle(store::connection& conn) {
    conn.exec_script("VACUUM ANALYZE");
}

// WAL bytes between two insert positions whose records touch the tables named
// (their TOAST tables and indexes included), read with pg_walinspect.
long long wal_bytes_on(store::connection& conn, long long from, long long to, const std::string& tables) {
    conn.exec_script("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    conn.exec("SET synchronous_commit = on");
    conn.exec_script("CREATE TABLE IF NOT EXISTS wal_flush_probe (x int); INSERT INTO wal_flush_probe VALUES (1)");
    return conn
        .exec(R"(
        WITH t AS (SELECT oid, reltoastrelid FROM pg_class
                   WHERE relname = ANY(string_to_array($3, ',')) AND relkind = 'r'),
        rels AS (SELECT oid FROM t
                 UNION SELECT reltoastrelid FROM t WHERE reltoastrelid <> 0
                 UNION SELECT indexrelid FROM pg_index
                       WHERE indrelid IN (SELECT oid FROM t UNION SELECT reltoastrelid FROM t)),
        nodes AS (SELECT '/' || d.oid || '/' || pg_relation_filenode(rels.oid) || ' ' AS pattern
                  FROM rels, pg_database d WHERE d.datname = current_database())
        SELECT coalesce(sum(w.record_length), 0)
        FROM pg_get_wal_records_info('0/0'::pg_lsn + $1::numeric, '0/0'::pg_lsn + $2::numeric) w
        WHERE EXISTS (SELECT 1 FROM nodes WHERE strpos(w.block_ref, nodes.pattern) > 0))",
              {std::to_string(from), std::to_string(to), tables})
        .get_int(0, 0);
}

// --- the upsert path -------------------------------------------------------

struct upsert_figures {
    timing new_run, unchanged;
    long long unchanged_wal = 0, unchanged_wal_data = 0, unchanged_wal_urls = 0;
};

upsert_figures run_upserts(const std::string& dsn, const std::vector<core::page_record>& pages, int batch) {
    store::store_options options;
    options.max_pages_per_batch = batch;
    store::store s = store::store::connect(dsn, options);
    std::vector<store::fetch_meta> metas(pages.size());
    upsert_figures f;
    f.new_run = timed(s.raw(), [&] { s.upsert_pages(pages, metas); });
    settle(s.raw());
    for (auto& m : metas)
        m.fetched_at += std::chrono::hours(1);
    const long long before = wal_position(s.raw());
    f.unchanged = timed(s.raw(), [&] {
        for (const auto& r : s.upsert_pages(pages, metas))
            if (!r.unchanged) std::fprintf(stderr, "bench: a re-ingested page was not unchanged\n");
    });
    const long long after = wal_position(s.raw());
    f.unchanged_wal = after - before;
    f.unchanged_wal_data = wal_bytes_on(s.raw(), before, after, "articles,article_revisions,board_rows");
    f.unchanged_wal_urls = wal_bytes_on(s.raw(), before, after, "urls");
    return f;
}

// --- the COPY path ---------------------------------------------------------

// COPY text format: backslash, tab, newline and carriage return are escaped.
void copy_field(std::string& out, const std::optional<std::string>& value) {
    if (!value) {
        out += "\\N";
        return;
    }
    for (const char c : *value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out.push_back(c);
        }
    }
}

void copy_row(std::string& out, std::initializer_list<std::optional<std::string>> fields) {
    bool first = true;
    for (const auto& field : fields) {
        if (!first) out.push_back('\t');
        first = false;
        copy_field(out, field);
    }
    out.push_back('\n');
}

std::string article_hash(const core::page_record& p) {
    store::content_hasher h;
    h.add(p.title).add(p.subtitle).add(p.body).add(p.captions).add(p.byline).add(p.publisher).add(p.published_at);
    h.add(p.modified_at);
    return store::to_hex(h.finish());
}

std::string row_hash(const core::board_row& r) {
    store::content_hasher h;
    h.add(r.no).add(std::string_view(r.title)).add(std::string_view(r.url)).add(r.author).add(r.date).add(r.views);
    h.add(r.notice);
    return store::to_hex(h.finish());
}

constexpr std::string_view article_staging = R"(
CREATE TEMP TABLE IF NOT EXISTS article_staging (url text, host text, title text, subtitle text, body text[],
    captions text[], byline text, publisher text, published_at timestamptz, published_text text, hash text,
    seen_at timestamptz))";
constexpr std::string_view article_merge = R"(
WITH a AS (
    INSERT INTO articles AS t (url, host, title, subtitle, body, captions, byline, publisher, published_at,
                               published_text, content_hash, first_seen, last_changed)
    SELECT url, host, title, subtitle, body, captions, byline, publisher, published_at, published_text,
           decode(hash, 'hex'), seen_at, seen_at FROM article_staging
    ON CONFLICT (url) DO UPDATE SET title = excluded.title, subtitle = excluded.subtitle, body = excluded.body,
        captions = excluded.captions, byline = excluded.byline, publisher = excluded.publisher,
        published_at = excluded.published_at, published_text = excluded.published_text,
        content_hash = excluded.content_hash, last_changed = excluded.last_changed
    WHERE t.content_hash IS DISTINCT FROM excluded.content_hash)
INSERT INTO urls AS u (url, host, state, fetched_at, last_status, content_hash, next_fetch_at)
SELECT url, host, 'fetched', seen_at, 200, decode(hash, 'hex'), seen_at + interval '1 hour' FROM article_staging
ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, content_hash = excluded.content_hash,
    next_fetch_at = excluded.next_fetch_at, attempts = 0)";

constexpr std::string_view row_staging = R"(
CREATE TEMP TABLE IF NOT EXISTS row_staging (board_url text, post_no bigint, title text, url text, author text,
    date text, views bigint, notice bool, hash text, seen_at timestamptz))";
constexpr std::string_view row_merge = R"(
WITH b AS (
    INSERT INTO board_rows AS t (board_url, post_no, title, url, author, date, views, notice, content_hash,
                                 first_seen, last_changed)
    SELECT board_url, post_no, title, url, author, date, views, notice, decode(hash, 'hex'), seen_at, seen_at
    FROM row_staging
    ON CONFLICT (board_url, row_key) DO UPDATE SET title = excluded.title, url = excluded.url,
        author = excluded.author, date = excluded.date, views = excluded.views, notice = excluded.notice,
        content_hash = excluded.content_hash, last_changed = excluded.last_changed
    WHERE t.content_hash IS DISTINCT FROM excluded.content_hash)
INSERT INTO urls AS u (url, host, state, fetched_at, last_status, next_fetch_at)
SELECT DISTINCT ON (board_url) board_url, 'bbs.example.co.kr', 'fetched', seen_at, 200, seen_at + interval '1 hour'
FROM row_staging
ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, next_fetch_at = excluded.next_fetch_at)";

std::string article_copy_data(std::span<const core::page_record> pages, const std::string& seen) {
    std::string data;
    for (const auto& p : pages) {
        const std::vector<std::optional<std::string>> body(p.body.begin(), p.body.end());
        const std::vector<std::optional<std::string>> captions(p.captions.begin(), p.captions.end());
        copy_row(data, {p.url, store::host_of(p.url), p.title, p.subtitle, store::array_literal(body),
                        store::array_literal(captions), p.byline, p.publisher, store::timestamp_input(p.published_at),
                        p.published_at, article_hash(p), seen});
    }
    return data;
}

std::string row_copy_data(std::span<const core::page_record> pages, const std::string& seen) {
    std::string data;
    for (const auto& p : pages)
        for (const auto& r : p.board.rows)
            copy_row(data, {p.url, std::to_string(*r.no), r.title, r.url, r.author, r.date, std::to_string(*r.views),
                            std::string(r.notice ? "t" : "f"), row_hash(r), seen});
    return data;
}

// One transaction per batch of `batch` pages: COPY the batch into the staging table, merge it.
timing run_copy(store::connection& conn, const std::vector<core::page_record>& pages, int batch, bool articles,
                const std::string& seen) {
    return timed(conn, [&] {
        const auto all = std::span(pages);
        for (std::size_t first = 0; first < all.size(); first += static_cast<std::size_t>(batch)) {
            const auto part = all.subspan(first, std::min(all.size() - first, static_cast<std::size_t>(batch)));
            conn.exec("BEGIN");
            conn.exec(articles ? article_staging : row_staging);
            conn.exec(articles ? "TRUNCATE article_staging" : "TRUNCATE row_staging");
            conn.copy_in(articles ? "COPY article_staging FROM STDIN" : "COPY row_staging FROM STDIN",
                         articles ? article_copy_data(part, seen) : row_copy_data(part, seen));
            conn.exec(articles ? article_merge : row_merge);
            conn.exec("COMMIT");
        }
    });
}

struct copy_figures {
    timing new_run, unchanged, all_at_once;
    long long unchanged_wal = 0;
};

copy_figures run_copy_path(const std::string& server_dsn, const std::string& name,
                           const std::vector<core::page_record>& pages, int batch, bool articles) {
    copy_figures f;
    {
        store::connection conn = store::connection::open(fresh_database(server_dsn, name));
        f.new_run = run_copy(conn, pages, batch, articles, "2024-07-18T06:00:00Z");
        settle(conn);
        const long long before = wal_position(conn);
        f.unchanged = run_copy(conn, pages, batch, articles, "2024-07-18T07:00:00Z");
        f.unchanged_wal = wal_position(conn) - before;
    }
    store::connection conn = store::connection::open(fresh_database(server_dsn, name));
    f.all_at_once = run_copy(conn, pages, static_cast<int>(pages.size()), articles, "2024-07-18T06:00:00Z");
    return f;
}

void report(const char* what, std::size_t rows, std::size_t pages, const upsert_figures& u, const copy_figures& c) {
    const auto rate = [&](double s) { return static_cast<double>(rows) / s; };
    const auto line = [&](const char* name, const timing& t, const char* tail) {
        std::printf("  %-26s %10.0f rows/s  %7.1f ms CPU%s\n", name, rate(t.wall_s), t.cpu_s * 1e3, tail);
    };
    std::printf("%s: %zu rows in %zu pages\n", what, rows, pages);
    line("copy+merge, per batch", c.new_run, "   (baseline)");
    line("copy+merge, one batch", c.all_at_once, "");
    line("upsert new", u.new_run, "");
    std::printf("    %.2f x copy per batch  %.2f x copy one batch (target >= 1.0); by CPU time %.2f x, %.2f x\n",
                c.new_run.wall_s / u.new_run.wall_s, c.all_at_once.wall_s / u.new_run.wall_s,
                c.new_run.cpu_s / u.new_run.cpu_s, c.all_at_once.cpu_s / u.new_run.cpu_s);
    line("upsert unchanged", u.unchanged, "");
    std::printf("    %.2f x upsert new (target >= 3.0); by CPU time %.2f x\n", u.new_run.wall_s / u.unchanged.wall_s,
                u.new_run.cpu_s / u.unchanged.cpu_s);
    line("copy+merge unchanged", c.unchanged, "");
    const auto per_page = [&](long long bytes) { return static_cast<double>(bytes) / static_cast<double>(pages); };
    std::printf(
        "  WAL per unchanged page:    upsert %.0f bytes (%.0f on articles/revisions/board rows, %.0f on the "
        "frontier row), copy+merge %.0f bytes\n",
        per_page(u.unchanged_wal), per_page(u.unchanged_wal_data), per_page(u.unchanged_wal_urls),
        per_page(c.unchanged_wal));
}

// The machine is shared: every figure is the best of config.repeat runs, with
// the two paths taking turns so that a busy moment does not favour one of
// them. Wall and CPU time are each the best of their own.
void measure(const char* what, const bench_config& config, const std::vector<core::page_record>& pages,
             std::size_t rows, bool articles) {
    upsert_figures best_u;
    copy_figures best_c;
    const auto keep_min = [](timing& best, const timing& now) {
        best.wall_s = (best.wall_s == 0 || now.wall_s < best.wall_s) ? now.wall_s : best.wall_s;
        best.cpu_s = (best.cpu_s == 0 || now.cpu_s < best.cpu_s) ? now.cpu_s : best.cpu_s;
    };
    for (int round = 0; round < std::max(1, config.repeat); ++round) {
        const upsert_figures u = run_upserts(fresh_database(config.dsn, "bench_upsert"), pages, config.batch);
        const copy_figures c = run_copy_path(config.dsn, "bench_copy", pages, config.batch, articles);
        keep_min(best_u.new_run, u.new_run);
        keep_min(best_u.unchanged, u.unchanged);
        keep_min(best_c.new_run, c.new_run);
        keep_min(best_c.unchanged, c.unchanged);
        keep_min(best_c.all_at_once, c.all_at_once);
        best_u.unchanged_wal = u.unchanged_wal;
        best_u.unchanged_wal_data = u.unchanged_wal_data;
        best_u.unchanged_wal_urls = u.unchanged_wal_urls;
        best_c.unchanged_wal = c.unchanged_wal;
    }
    report(what, rows, pages.size(), best_u, best_c);
}

bench_config parse(int argc, char** argv) {
    bench_config config;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--dsn")
            config.dsn = value;
        else if (flag == "--articles")
            config.articles = std::stoi(value);
        else if (flag == "--board-pages")
            config.board_pages = std::stoi(value);
        else if (flag == "--rows-per-board")
            config.rows_per_board = std::stoi(value);
        else if (flag == "--batch")
            config.batch = std::stoi(value);
        else if (flag == "--repeat")
            config.repeat = std::stoi(value);
        else
            throw std::invalid_argument("unknown option " + std::string(flag));
    }
    return config;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const bench_config config = parse(argc, argv);
        std::mt19937 random(20240718);
        const auto articles = make_articles(config.articles, random);
        const auto boards = make_boards(config, random);
        std::size_t body_bytes = 0;
        for (const auto& a : articles)
            for (const auto& p : a.body)
                body_bytes += p.size();
        std::printf("gisa store benchmark: %d pages per batch, article bodies %.0f bytes on average, best of %d\n",
                    config.batch, static_cast<double>(body_bytes) / static_cast<double>(articles.size()),
                    config.repeat);

        measure("articles", config, articles, articles.size(), true);
        measure("board rows", config, boards, boards.size() * static_cast<std::size_t>(config.rows_per_board), false);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gisa_bench_store: %s\n", e.what());
        return 1;
    }
}
