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
    CHECK(first[0].host == "a.example");
    CHECK(first[0].source_id == report.ids[0].second);
    CHECK_FALSE(first[0].fetched_before);
    CHECK(gisa::store::claim_due(t.conn(), "two", 10, 60s).empty());

    CHECK(gisa::store::renew_leases(t.conn(), "one", {"https://a.example/1", "https://a.example/2"}, 60s) == 2);
    CHECK(gisa::store::renew_leases(t.conn(), "two", {"https://a.example/1"}, 60s) == 0);

    // Released, URL and host: due again at once for the next claimer.
    CHECK(gisa::store::release_leases(t.conn(), "one", {"https://a.example/1"}) == 1);
    CHECK(gisa::store::claim_due(t.conn(), "two", 10, 60s).empty());  // "one" still holds the host
    CHECK(gisa::store::release_hosts(t.conn(), "one", {{"a.example", 0ms}}) == 1);
    const auto second = gisa::store::claim_due(t.conn(), "two", 10, 60s);
    REQUIRE(second.size() == 1);
    CHECK(second[0].url == "https://a.example/1");

    // Expired leases, the URLs' and the host's, are taken over.
    t.conn().exec("UPDATE urls SET lease_expires_at = now() - interval '1 second' WHERE lease_owner = 'one'");
    t.conn().exec("UPDATE hosts SET lease_expires_at = now() - interval '1 second'");
    CHECK(gisa::store::claim_due(t.conn(), "three", 10, 60s).size() == 1);
    CHECK(gisa::store::release_leases(t.conn(), "three") == 1);
}

TEST_CASE("a host is leased to one owner at a time and the next one waits for its last request's delay", "[frontier]") {
    migrated_db t;
    gisa::store::sync_sources(
        t.conn(),
        {source("a", {"https://a.example/1", "https://a.example/2", "https://b.example/1", "https://b.example/2"})});
    gisa::store::claim_request one{"one", 10, 60s, 3600s};
    const auto first = gisa::store::claim_due(t.conn(), one);
    // Alone on the frontier, "one" takes both hosts and every due URL of them.
    CHECK(first.instances == 1);
    CHECK(first.host_share == 2);
    REQUIRE(first.hosts.size() == 2);
    CHECK(first.urls.size() == 4);
    CHECK(t.count("SELECT count(*) FROM hosts WHERE lease_owner = 'one'") == 2);

    // New URLs of a held host are not for another owner, however long they have been due.
    const std::int64_t id = t.count("SELECT id FROM sources WHERE name = 'a'");
    gisa::store::enqueue(t.conn(), {{"https://a.example/3", id, url_kind::article, 0}});
    gisa::store::claim_request two{"two", 10, 60s, 3600s};
    const auto refused = gisa::store::claim_due(t.conn(), two);
    CHECK(refused.urls.empty());
    CHECK(refused.instances == 2);

    // "one" gives a.example back, asking for 5 s of quiet after its last request: "two" gets the
    // host with that wait (less the time the statements took), and /3 with it.
    CHECK(gisa::store::release_hosts(t.conn(), "one", {{"a.example", 5000ms}}) == 1);
    const auto taken = gisa::store::claim_due(t.conn(), two);
    REQUIRE(taken.hosts.size() == 1);
    CHECK(taken.hosts[0].host == "a.example");
    CHECK_FALSE(taken.hosts[0].renewed);
    CHECK(taken.hosts[0].wait > 4000ms);
    CHECK(taken.hosts[0].wait <= 5000ms);
    REQUIRE(taken.urls.size() == 1);
    CHECK(taken.urls[0].url == "https://a.example/3");

    // SIGTERM: every host goes back and the owner leaves the live instances.
    CHECK(gisa::store::leave_frontier(t.conn(), "one", 1000ms) == 1);
    CHECK(t.count("SELECT count(*) FROM crawlers WHERE owner = 'one'") == 0);
    CHECK(t.count("SELECT count(*) FROM hosts WHERE host = 'b.example' AND lease_owner IS NULL "
                  "AND next_allowed_at > now()") == 1);
    // Renewal keeps the hosts of the owner that renews, and no others.
    CHECK(gisa::store::renew_hosts(t.conn(), "two", 60s) == 1);
    CHECK(gisa::store::renew_hosts(t.conn(), "one", 60s) == 0);
}

TEST_CASE("each instance takes its fair share of the hosts with work", "[frontier]") {
    migrated_db t;
    std::vector<std::string> urls;
    for (int host = 1; host <= 6; ++host)
        for (int page = 1; page <= 3; ++page)
            urls.push_back("https://h" + std::to_string(host) + ".example/" + std::to_string(page));
    gisa::store::sync_sources(t.conn(), {source("a", urls)});
    // Two instances known to be alive: six hosts with work make a share of three each.
    t.conn().exec("INSERT INTO crawlers (owner) VALUES ('two')");
    const auto one = gisa::store::claim_due(t.conn(), gisa::store::claim_request{"one", 6, 60s, 3600s});
    CHECK(one.instances == 2);
    CHECK(one.host_share == 3);
    CHECK(one.hosts.size() == 3);
    // The claim is spread over the hosts: two URLs of each rather than six of one.
    CHECK(one.urls.size() == 6);
    CHECK(t.count("SELECT count(DISTINCT host) FROM urls WHERE lease_owner = 'one'") == 3);
    const auto two = gisa::store::claim_due(t.conn(), gisa::store::claim_request{"two", 6, 60s, 3600s});
    CHECK(two.hosts.size() == 3);
    CHECK(t.count("SELECT count(*) FROM hosts WHERE lease_owner IS NULL") == 0);

    // A third instance arrives: the share falls to two. "one" keeps claiming on two of its hosts only
    // and lets the third drain; given back, that host goes to the newcomer.
    t.conn().exec("INSERT INTO crawlers (owner) VALUES ('three')");
    const auto again = gisa::store::claim_due(t.conn(), gisa::store::claim_request{"one", 6, 60s, 3600s});
    CHECK(again.host_share == 2);
    CHECK(again.hosts.size() == 2);
    std::vector<std::string> mine;
    const auto held = t.conn().exec("SELECT host FROM hosts WHERE lease_owner = 'one' ORDER BY host");
    for (int i = 0; i < held.rows(); ++i)
        mine.emplace_back(held.get(i, 0));
    REQUIRE(mine.size() == 3);
    std::vector<std::string> kept;
    for (const auto& g : again.hosts)
        kept.push_back(g.host);
    const auto dropped = std::find_if(mine.begin(), mine.end(), [&](const std::string& h) {
        return std::find(kept.begin(), kept.end(), h) == kept.end();
    });
    REQUIRE(dropped != mine.end());
    CHECK(gisa::store::release_hosts(t.conn(), "one", {{*dropped, 0ms}}) == 1);
    const auto three = gisa::store::claim_due(t.conn(), gisa::store::claim_request{"three", 6, 60s, 3600s});
    REQUIRE(three.hosts.size() == 1);
    CHECK(three.hosts[0].host == *dropped);
}

TEST_CASE("robots.txt one instance fetched comes with the host to the next", "[frontier]") {
    migrated_db t;
    gisa::store::sync_sources(t.conn(), {source("a", {"https://a.example/1", "https://b.example/1"})});
    gisa::store::share_robots(t.conn(), {{"https://a.example:443", 200, "User-agent: *\nDisallow: /private\n", 0s},
                                         {"https://b.example:443", 200, std::string("bad \xff byte"), 0s}});
    // Text PostgreSQL cannot hold is not shared (each instance fetches its own).
    CHECK(t.count("SELECT count(*) FROM robots_files") == 1);
    const auto first = gisa::store::claim_due(t.conn(), gisa::store::claim_request{"one", 10, 60s, 3600s});
    REQUIRE(first.robots.size() == 1);
    CHECK(first.robots[0].origin == "https://a.example:443");
    CHECK(first.robots[0].status == 200);
    CHECK(first.robots[0].body.find("Disallow: /private") != std::string::npos);
    // A host this owner held already brings no copy again; a stale copy (past the TTL) none at all.
    t.conn().exec("UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL");
    CHECK(gisa::store::claim_due(t.conn(), gisa::store::claim_request{"one", 10, 60s, 3600s}).robots.empty());
    gisa::store::leave_frontier(t.conn(), "one", 0ms);
    t.conn().exec("UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL");
    t.conn().exec("UPDATE robots_files SET fetched_at = now() - interval '2 hours'");
    CHECK(gisa::store::claim_due(t.conn(), gisa::store::claim_request{"two", 10, 60s, 3600s}).robots.empty());
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
    t.conn().exec("UPDATE hosts SET lease_expires_at = now() - interval '1 second'");
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
