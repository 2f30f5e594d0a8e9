// The crawl frontier against a real PostgreSQL: source sync, claims under leases, outcomes (store/frontier.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "store/frontier.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using gisa::store::connection;
using gisa::store::url_kind;

struct migrated_db {
    gisa::test::fresh_db db;
    gisa::store::store st = gisa::store::store::connect(db.dsn());
    migrated_db() { st.migrate(); }
    connection& conn() { return st.raw(); }
    long long count(const std::string& sql) { return conn().exec(sql).get_int(0, 0); }
};

gisa::store::source_spec source(std::string name, std::vector<std::string> urls, std::string settings = "{}") {
    return {std::move(name), std::move(urls), 600s, std::move(settings)};
}

}  // namespace

TEST_CASE("sync adds sources and queues their start URLs and disables the ones left out", "[frontier]") {
    migrated_db t;
    auto report = gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/list", "https://a.example/rss"}),
                                                       source("b", {"https://b.example/"})});
    CHECK(report.added == 2);
    CHECK(report.ids.size() == 2);
    CHECK(t.count("SELECT count(*) FROM urls WHERE kind = 'start' AND next_fetch_at <= now()") == 3);

    // The same config again changes nothing; a changed setting is seen; b leaves and is disabled.
    report = gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/list", "https://a.example/rss"})});
    CHECK(report.unchanged == 1);
    CHECK(report.disabled == 1);
    report = gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/list"}, R"({"max_pages": 2})")});
    CHECK(report.changed == 1);
    // The start URL that left the config belongs to no source any more; its row is kept.
    CHECK(t.count("SELECT count(*) FROM urls WHERE url = 'https://a.example/rss' AND source_id IS NULL") == 1);
    CHECK(t.count("SELECT count(*) FROM sources WHERE name = 'b' AND NOT enabled") == 1);
}

TEST_CASE("a claim leases due URLs once and a second owner gets nothing until the lease ends", "[frontier]") {
    migrated_db t;
    const auto report =
        gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/1", "https://a.example/2"})});
    const auto first = gisa::store::claim_due(t.conn(), "one", 10, 60s);
    REQUIRE(first.size() == 2);
    CHECK(first[0].kind == url_kind::start);
    CHECK(first[0].source_id == report.ids[0].second);
    CHECK_FALSE(first[0].fetched_before);
    CHECK(gisa::store::claim_due(t.conn(), "two", 10, 60s).empty());

    CHECK(gisa::store::renew_leases(t.conn(), "one", {"https://a.example/1", "https://a.example/2"}, 60s) == 2);
    CHECK(gisa::store::renew_leases(t.conn(), "two", {"https://a.example/1"}, 60s) == 0);

    // Released: due again at once for the next claimer.
    CHECK(gisa::store::release_leases(t.conn(), "one", {"https://a.example/1"}) == 1);
    const auto second = gisa::store::claim_due(t.conn(), "two", 10, 60s);
    REQUIRE(second.size() == 1);
    CHECK(second[0].url == "https://a.example/1");

    // An expired lease is taken over.
    t.conn().exec("UPDATE urls SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'one'");
    CHECK(gisa::store::claim_due(t.conn(), "three", 10, 60s).size() == 1);
    CHECK(gisa::store::release_leases(t.conn(), "three") == 1);
}

TEST_CASE("discovered URLs are queued once and a disabled source's URLs are not claimed", "[frontier]") {
    migrated_db t;
    const auto report = gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/list"})});
    const std::int64_t id = report.ids[0].second;
    const std::vector<gisa::store::discovered_url> found{{"https://a.example/view/1", id, url_kind::article, 0},
                                                         {"https://a.example/view/1", id, url_kind::article, 0},
                                                         {"https://a.example/list?page=2", id, url_kind::list, 1}};
    CHECK(gisa::store::enqueue(t.conn(), found) == 2);
    CHECK(gisa::store::enqueue(t.conn(), found) == 0);
    CHECK(t.count("SELECT list_page FROM urls WHERE url = 'https://a.example/list?page=2'") == 1);

    gisa::store::sync_sources(t.conn(), {});
    CHECK(gisa::store::claim_due(t.conn(), "one", 10, 60s).empty());
    CHECK(gisa::store::due_count(t.conn()) == 0);
}

TEST_CASE("outcomes: a 304 resets attempts and a failure counts one and given up stays out of claims", "[frontier]") {
    migrated_db t;
    gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/1", "https://a.example/2"})});
    REQUIRE(gisa::store::claim_due(t.conn(), "one", 10, 60s).size() == 2);
    using what = gisa::store::fetch_outcome::what;
    const auto now = std::chrono::system_clock::now();
    std::vector<gisa::store::fetch_outcome> outcomes(2);
    outcomes[0] = {"https://a.example/1", what::retry_later, 503, "HTTP 503", now, now - 1s};
    outcomes[1] = {"https://a.example/2", what::failed, 403, "HTTP 403", now, std::nullopt};
    // Another owner's record is not written.
    CHECK(gisa::store::record_outcomes(t.conn(), "two", outcomes) == 0);
    CHECK(gisa::store::record_outcomes(t.conn(), "one", outcomes) == 2);
    CHECK(t.count("SELECT attempts FROM urls WHERE url = 'https://a.example/1'") == 1);
    CHECK(t.count("SELECT count(*) FROM urls WHERE state = 'failed' AND last_error = 'HTTP 403'") == 1);
    CHECK(t.count("SELECT count(*) FROM urls WHERE next_fetch_at = 'infinity'") == 1);

    const auto again = gisa::store::claim_due(t.conn(), "one", 10, 60s);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempts == 1);
    gisa::store::record_outcomes(t.conn(), "one", {{again[0].url, what::fetched, 304, std::nullopt, now, now + 1h}});
    CHECK(t.count("SELECT attempts FROM urls WHERE url = 'https://a.example/1' AND state = 'fetched'") == 0);

    // Listed again by the operator, a failed start URL is tried again.
    gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/1", "https://a.example/2"})});
    CHECK(gisa::store::claim_due(t.conn(), "one", 10, 60s).size() == 1);
}

TEST_CASE("a lease taken over by another owner is lost and so is one whose URL another owner stored since",
          "[frontier]") {
    migrated_db t;
    gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/1", "https://a.example/2"})});
    const auto mine = gisa::store::claim_due(t.conn(), "one", 10, 60s);
    REQUIRE(mine.size() == 2);
    std::vector<gisa::store::held_url> held;
    for (const auto& c : mine)
        held.push_back({c.url, c.claimed_at});
    CHECK(gisa::store::leases_lost(t.conn(), "one", held).empty());

    // Our leases run out; "two" takes /1 over and is still at work, and /2 was stored by another owner.
    t.conn().exec("UPDATE urls SET lease_expires_at = now() - interval '1 second'");
    REQUIRE(gisa::store::claim_due(t.conn(), "two", 1, 60s).size() == 1);
    const std::string taken = t.conn().exec("SELECT url FROM urls WHERE lease_owner = 'two'").get(0, 0).data();
    const std::string other = taken == "https://a.example/1" ? "https://a.example/2" : "https://a.example/1";
    t.conn().exec(
        "UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL, fetched_at = now() + interval '1 "
        "second' WHERE url = $1",
        {other});
    auto lost = gisa::store::leases_lost(t.conn(), "one", held);
    std::sort(lost.begin(), lost.end());
    CHECK(lost == std::vector<std::string>{"https://a.example/1", "https://a.example/2"});
    // To the new owner, its own claim is not lost.
    CHECK(gisa::store::leases_lost(t.conn(), "two", {{taken, std::chrono::system_clock::now()}}).empty());
}
