// `gisa status` against a real PostgreSQL: read_status's numbers on a known frontier, and the command's output.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "store/db_error.hpp"
#include "store/frontier.hpp"
#include "store/status.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using gisa::store::status_time;
using gisa::store::url_kind;
using what = gisa::store::fetch_outcome::what;

constexpr const char* board_start = "https://a.example/board?bo=free";
constexpr const char* board_page2 = "https://a.example/board?bo=free&page=2";
constexpr const char* news_start = "https://a.example/news";

std::string view(int n) {
    return "https://a.example/view/" + std::to_string(n);
}

struct migrated_db {
    gisa::test::fresh_db db;
    gisa::store::store st = gisa::store::store::connect(db.dsn());
    migrated_db() { st.migrate(); }
    gisa::store::connection& conn() { return st.raw(); }
};

gisa::store::source_spec source(std::string name, std::vector<std::string> urls) {
    return {std::move(name), std::move(urls), 600s, "{}"};
}

gisa::store::fetch_meta at(status_time when, std::optional<status_time> next = std::nullopt) {
    gisa::store::fetch_meta meta;
    meta.fetched_at = when;
    meta.next_fetch_at = next;
    return meta;
}

gisa::store::fetch_outcome outcome(std::string url, what w, int status, status_time now,
                                   std::optional<status_time> next) {
    gisa::store::fetch_outcome o;  // outcome: fetched, the default
    o.url = std::move(url);
    if (w != o.outcome) {
        o.outcome = w;
        o.error = "HTTP " + std::to_string(status);
    }
    o.http_status = status;
    o.fetched_at = now;
    o.next_fetch_at = next;
    return o;
}

// Three sources at `now`:
//   alpha (enabled): 2 start URLs, 6 articles, 1 later list page, claimed by crawler-1; then
//     news start fetched (304), view/2 failing (503, due again), view/3 failed (404), view/5 gone
//     (410), the board page 2 still leased; stored: the board start page three times (2 days ago:
//     the notice; 5 h ago: posts 1000 and 1001; now: 1001 changed, 1002-1004 new), view/1 (2 h ago,
//     changed now), view/4 (now), view/6 (3 h ago);
//   beta (disabled): its start URL, never fetched;
//   gamma (enabled): its start URL fetched, never due again ('infinity').
// Plus an article and a board stored by `gisa ingest` (no source), which count nowhere.
void fill(gisa::store::store& st, status_time now) {
    gisa::store::connection& conn = st.raw();
    gisa::store::sync_sources(conn, {source("alpha", {board_start, news_start}), source("beta", {"https://b.example/"}),
                                     source("gamma", {"https://g.example/feed"})});
    const auto report = gisa::store::sync_sources(
        conn, {source("alpha", {board_start, news_start}), source("gamma", {"https://g.example/feed"})});
    REQUIRE(report.disabled == 1);
    const std::int64_t alpha = report.ids[0].second;
    std::vector<gisa::store::discovered_url> found{{board_page2, alpha, url_kind::list, 1}};
    for (int n = 1; n <= 6; ++n)
        found.push_back({view(n), alpha, url_kind::article, 0});
    REQUIRE(gisa::store::enqueue(conn, found) == 7);
    REQUIRE(gisa::store::claim_due(conn, "crawler-1", 50, 600s).size() == 10);

    REQUIRE(gisa::store::record_outcomes(conn, "crawler-1",
                                         {outcome(news_start, what::fetched, 304, now, now + 1h),
                                          outcome(view(2), what::retry_later, 503, now, now - 1s),
                                          outcome(view(3), what::failed, 404, now, std::nullopt),
                                          outcome(view(5), what::gone, 410, now, std::nullopt),
                                          outcome("https://g.example/feed", what::fetched, 200, now, std::nullopt)}) ==
            5);

    st.upsert_page(gisa::test::sample_board(board_start, 0), at(now - 48h));
    st.upsert_page(gisa::test::sample_board(board_start, 2, 1000), at(now - 5h));
    gisa::core::page_record board = gisa::test::sample_board(board_start, 5, 1000);
    board.board.rows[2].title += " (수정)";  // post 1001
    st.upsert_page(board, at(now, now + 10min));

    st.upsert_page(gisa::test::sample_article(view(1)), at(now - 2h, now + 1h));
    st.upsert_page(gisa::test::sample_article(view(1), 3, " 수정"), at(now, now + 1h));
    st.upsert_page(gisa::test::sample_article(view(4)), at(now, now + 1h));
    st.upsert_page(gisa::test::sample_article(view(6)), at(now - 3h, now + 1h));

    st.upsert_page(gisa::test::sample_article("https://c.example/news/1"), at(now));
    st.upsert_page(gisa::test::sample_board("https://c.example/bbs?bo=x", 3), at(now));
}

bool near(status_time a, status_time b) {
    return (a > b ? a - b : b - a) < 1ms;
}

void check_urls(const gisa::store::url_counts& u, std::int64_t known, std::int64_t due, std::int64_t in_flight,
                std::int64_t fetched, std::int64_t failing, std::int64_t failed, std::int64_t gone) {
    CHECK(u.known == known);
    CHECK(u.due == due);
    CHECK(u.in_flight == in_flight);
    CHECK(u.fetched == fetched);
    CHECK(u.failing == failing);
    CHECK(u.failed == failed);
    CHECK(u.gone == gone);
}

void check_stored(const gisa::store::stored_counts& c, std::int64_t new_hour, std::int64_t new_day,
                  std::int64_t changed_hour, std::int64_t changed_day) {
    CHECK(c.new_hour == new_hour);
    CHECK(c.new_day == new_day);
    CHECK(c.changed_hour == changed_hour);
    CHECK(c.changed_day == changed_day);
}

const std::string gisa_binary = std::string(GISA_BINARY_DIR) + "/src/app/gisa";

}  // namespace

TEST_CASE("read_status counts each source's frontier and what it stored lately", "[store][status][pg]") {
    migrated_db t;
    const status_time now = std::chrono::system_clock::now();
    fill(t.st, now);
    const gisa::store::status_report r = gisa::store::read_status(t.conn());

    CHECK(r.schema_version == 7);
    CHECK(r.schema_latest >= 7);
    CHECK(r.now >= now);
    REQUIRE(r.sources.size() == 3);

    const gisa::store::source_status& alpha = r.sources[0];
    CHECK(alpha.name == "alpha");
    CHECK(alpha.enabled);
    CHECK(alpha.interval == 600s);
    check_urls(alpha.urls, 9, 1, 1, 5, 1, 1, 1);
    CHECK(alpha.lease_owners == std::vector<std::string>{"crawler-1"});
    REQUIRE(alpha.last_success);
    CHECK(near(*alpha.last_success, now));
    REQUIRE(alpha.next_due);
    CHECK(near(*alpha.next_due, now - 1s));  // view/2, due again
    check_stored(alpha.articles, 1, 3, 1, 1);
    check_stored(alpha.board_rows, 3, 5, 1, 1);
    REQUIRE(alpha.errors.size() == 2);
    CHECK(alpha.errors[0].url == view(2));
    CHECK(alpha.errors[0].state == "new");
    CHECK(alpha.errors[0].attempts == 1);
    CHECK(alpha.errors[0].http_status == 503);
    CHECK(alpha.errors[0].error == "HTTP 503");
    CHECK(alpha.errors[1].url == view(3));
    CHECK(alpha.errors[1].state == "failed");
    CHECK(alpha.errors[1].http_status == 404);

    const gisa::store::source_status& beta = r.sources[1];
    CHECK(beta.name == "beta");
    CHECK_FALSE(beta.enabled);
    check_urls(beta.urls, 1, 0, 0, 0, 0, 0, 0);  // due, but a disabled source is not crawled
    CHECK_FALSE(beta.last_success);
    CHECK_FALSE(beta.next_due);
    check_stored(beta.articles, 0, 0, 0, 0);
    CHECK(beta.errors.empty());

    const gisa::store::source_status& gamma = r.sources[2];
    CHECK(gamma.name == "gamma");
    check_urls(gamma.urls, 1, 0, 0, 1, 0, 0, 0);
    CHECK(gamma.next_due == gisa::store::due_never);
    CHECK(gamma.lease_owners.empty());

    check_urls(r.totals, 11, 1, 1, 6, 1, 1, 1);
    check_stored(r.article_totals, 1, 3, 1, 1);
    check_stored(r.board_row_totals, 3, 5, 1, 1);
    REQUIRE(r.lease_holders.size() == 1);
    CHECK(r.lease_holders[0].owner == "crawler-1");
    CHECK(r.lease_holders[0].leases == 1);
    CHECK(r.lease_holders[0].expires > r.now);
    // The claim made crawler-1 an instance on the frontier, holding the hosts it claimed from.
    REQUIRE(r.instances.size() == 1);
    CHECK(r.instances[0].owner == "crawler-1");
    CHECK(r.instances[0].hosts == 2);  // a.example and g.example (beta, on b.example, is disabled)
    CHECK(r.instances[0].seen <= r.now);
}

TEST_CASE("read_status on an empty database and on one without the schema", "[store][status][pg]") {
    migrated_db t;
    const gisa::store::status_report r = gisa::store::read_status(t.conn());
    CHECK(r.sources.empty());
    CHECK(r.lease_holders.empty());
    check_urls(r.totals, 0, 0, 0, 0, 0, 0, 0);

    gisa::test::fresh_db bare;
    gisa::store::connection conn = gisa::store::connection::open(bare.dsn());
    try {
        gisa::store::read_status(conn);
        FAIL("read_status read a database without gisa's schema");
    } catch (const gisa::store::db_error& refused) {
        CHECK(std::string(refused.what()).find("run gisa migrate") != std::string::npos);
    }
}

TEST_CASE("gisa status prints a table and --json and exits 5 when the database is down", "[store][status][pg]") {
    migrated_db t;
    std::string out;
    CHECK(gisa::test::run_program({gisa_binary, "status", "--dsn", t.db.dsn()}, &out) == 0);
    CHECK(out.find("No sources yet") != std::string::npos);

    fill(t.st, std::chrono::system_clock::now());
    out.clear();
    CHECK(gisa::test::run_program({gisa_binary, "status", "--dsn", t.db.dsn()}, &out) == 0);
    INFO(out);
    CHECK(out.find("crawler-1 holds 1 URL") != std::string::npos);
    CHECK(out.find("beta (off)") != std::string::npos);
    CHECK(out.find("instance: crawler-1, up since ") != std::string::npos);
    CHECK(out.find("alpha: enabled, every 10 min") != std::string::npos);
    CHECK(out.find(view(2) + "  HTTP 503, 1 try, retried: HTTP 503") != std::string::npos);
    CHECK(out.find("never (every URL is done)") != std::string::npos);
    // alpha's row: 9 URLs, 1 due, 1 leased, 5 fetched, 1 failing, 1 failed, 1 gone, then the stored rows.
    CHECK(out.find("alpha  ") != std::string::npos);
    CHECK(out.find("1 / 3") != std::string::npos);
    CHECK(out.find("3 / 5") != std::string::npos);

    out.clear();
    CHECK(gisa::test::run_program({gisa_binary, "status", "--dsn", t.db.dsn(), "--json"}, &out) == 0);
    const nlohmann::json doc = nlohmann::json::parse(out);
    CHECK(doc["schema_version"] == 7);
    REQUIRE(doc["sources"].size() == 3);
    CHECK(doc["sources"][0]["name"] == "alpha");
    CHECK(doc["sources"][0]["urls"]["known"] == 9);
    CHECK(doc["sources"][0]["board_rows"]["new_last_day"] == 5);
    CHECK(doc["sources"][1]["enabled"] == false);
    CHECK(doc["sources"][1]["next_due"].is_null());
    CHECK(doc["sources"][2]["next_due"] == "infinity");
    CHECK(doc["totals"]["urls"]["known"] == 11);
    CHECK(doc["lease_holders"][0]["owner"] == "crawler-1");
    CHECK(doc["instances"][0]["owner"] == "crawler-1");
    const std::string last_success = doc["sources"][0]["last_success"];
    CHECK(last_success.size() == 20);
    CHECK(last_success.back() == 'Z');

    // Port 1 on loopback: nothing listens there.
    out.clear();
    CHECK(gisa::test::run_program({gisa_binary, "status", "--dsn", "host=127.0.0.1 port=1 connect_timeout=2"}, &out) ==
          5);
    CHECK(out.find("cannot connect to the database") != std::string::npos);

    gisa::test::fresh_db bare;
    out.clear();
    CHECK(gisa::test::run_program({gisa_binary, "status", "--dsn", bare.dsn()}, &out) == 5);
    CHECK(out.find("run gisa migrate") != std::string::npos);
}
