// The crawl's pure decisions: next fetch times, failures, discovery (crawl/schedule.hpp).
#include <catch2/catch.hpp>

#include "crawl/schedule.hpp"

namespace {

using namespace std::chrono_literals;
using gisa::crawl::time_point;
using gisa::store::url_kind;
using what = gisa::store::fetch_outcome::what;

const time_point t0 = time_point(std::chrono::hours(24 * 365 * 55));

gisa::store::claimed_url claimed(url_kind kind, int attempts = 0, int list_page = 0) {
    gisa::store::claimed_url c;
    c.url = "https://b.example/list";
    c.source_id = 7;
    c.kind = kind;
    c.attempts = attempts;
    c.list_page = list_page;
    c.first_claimed_at = t0;
    return c;
}

gisa::crawl::source_config board_source() {
    gisa::crawl::source_config s;
    s.name = "b";
    s.interval = 600s;
    s.max_pages = 3;
    s.follow_links = {"^https://b\\.example/news/"};
    s.compile();
    return s;
}

gisa::core::error retryable(std::string message) {
    return {gisa::core::errc::fetch, std::move(message), true, std::nullopt};
}

}  // namespace

TEST_CASE("lists come back after the interval and articles are re-checked for a bounded time", "[schedule]") {
    const gisa::crawl::crawl_options o;  // re-check every 6 h for 72 h
    const auto s = board_source();
    CHECK(gisa::crawl::next_after_success(claimed(url_kind::start), s, o, t0 + 5s) == t0 + 5s + 600s);
    CHECK(gisa::crawl::next_after_success(claimed(url_kind::list), s, o, t0) == t0 + 600s);
    CHECK(gisa::crawl::next_after_success(claimed(url_kind::article), s, o, t0) == t0 + 6h);
    // The last re-check that still falls within the window, and the first that would not.
    CHECK(gisa::crawl::next_after_success(claimed(url_kind::article), s, o, t0 + 66h) == t0 + 72h);
    CHECK_FALSE(gisa::crawl::next_after_success(claimed(url_kind::article), s, o, t0 + 66h + 1s).has_value());
    auto own = s;
    own.recheck_for = 0s;
    CHECK_FALSE(gisa::crawl::next_after_success(claimed(url_kind::article), own, o, t0).has_value());
}

TEST_CASE("failures back off and honour Retry-After and give up on articles after max_failures", "[schedule]") {
    gisa::crawl::crawl_options o;
    o.failure_backoff = 60s;
    o.max_failures = 3;
    const auto s = board_source();
    auto out = gisa::crawl::on_failure(claimed(url_kind::article, 0), retryable("HTTP 503"), 503, s, o, t0);
    CHECK(out.outcome == what::retry_later);
    CHECK(out.next_fetch_at == t0 + 60s);
    CHECK(out.error == "HTTP 503");
    out = gisa::crawl::on_failure(claimed(url_kind::article, 1), retryable("timeout"), 0, s, o, t0);
    CHECK(out.next_fetch_at == t0 + 120s);
    auto later = retryable("HTTP 429");
    later.retry_after = 3600s;
    out = gisa::crawl::on_failure(claimed(url_kind::article, 1), later, 429, s, o, t0);
    CHECK(out.next_fetch_at == t0 + 3600s);
    out = gisa::crawl::on_failure(claimed(url_kind::article, 2), retryable("timeout"), 0, s, o, t0);
    CHECK(out.outcome == what::failed);
    CHECK_FALSE(out.next_fetch_at.has_value());
    // A source's own list keeps being tried, never more often than its interval.
    out = gisa::crawl::on_failure(claimed(url_kind::start, 9), retryable("timeout"), 0, s, o, t0);
    CHECK(out.outcome == what::retry_later);
    CHECK(out.next_fetch_at == t0 + 600s);
}

TEST_CASE("final errors: 404 and 410 are gone and other refusals fail at once", "[schedule]") {
    const gisa::crawl::crawl_options o;
    const auto s = board_source();
    const gisa::core::error final_status{gisa::core::errc::http_status, "HTTP 404", false, std::nullopt};
    CHECK(gisa::crawl::on_failure(claimed(url_kind::article), final_status, 404, s, o, t0).outcome == what::gone);
    CHECK(gisa::crawl::on_failure(claimed(url_kind::article), final_status, 410, s, o, t0).outcome == what::gone);
    const gisa::core::error robots{gisa::core::errc::refused, "robots.txt disallows", false, std::nullopt};
    const auto refused = gisa::crawl::on_failure(claimed(url_kind::article), robots, 0, s, o, t0);
    CHECK(refused.outcome == what::failed);
    CHECK(refused.error == "robots.txt disallows");
}

TEST_CASE("a list page adds its rows' posts and matching links and its next page up to max_pages", "[schedule]") {
    auto s = board_source();
    gisa::core::page_record page;
    page.url = page.final_url = "https://b.example/list";
    page.board.rows.push_back({1, "첫 글", "https://b.example/view/1", {}, {}, {}, false, {}});
    page.board.rows.push_back({std::nullopt, "공지", "https://b.example/view/0", {}, {}, {}, true, {}});
    page.links_out = {"https://b.example/view/1", "https://b.example/news/3", "https://b.example/about",
                      "https://b.example/list"};
    page.board.next_page = "https://b.example/list?page=2";

    auto found = gisa::crawl::discover(page, claimed(url_kind::start), s);
    REQUIRE(found.size() == 4);
    CHECK(found[0].url == "https://b.example/view/1");
    CHECK(found[0].kind == url_kind::article);
    CHECK(found[1].url == "https://b.example/view/0");
    CHECK(found[2].url == "https://b.example/news/3");
    CHECK(found[3].url == "https://b.example/list?page=2");
    CHECK(found[3].kind == url_kind::list);
    CHECK(found[3].list_page == 1);
    CHECK(found[3].source_id == 7);

    // The third page is the last one read.
    found = gisa::crawl::discover(page, claimed(url_kind::list, 0, 2), s);
    CHECK(found.size() == 3);
    // Without follow_rows only the matching link and the next page.
    s.follow_rows = false;
    CHECK(gisa::crawl::discover(page, claimed(url_kind::start), s).size() == 2);
    // An article adds nothing.
    CHECK(gisa::crawl::discover(page, claimed(url_kind::article), s).empty());
}

TEST_CASE("a feed adds articles and a sitemap index adds sitemaps", "[schedule]") {
    gisa::crawl::feed_result feed;
    feed.kind = gisa::crawl::feed_kind::rss;
    feed.urls = {"https://b.example/a/1", "https://b.example/a/2"};
    auto found = gisa::crawl::discover(feed, claimed(url_kind::start));
    REQUIRE(found.size() == 2);
    CHECK(found[1].kind == url_kind::article);
    feed.kind = gisa::crawl::feed_kind::sitemap_index;
    CHECK(gisa::crawl::discover(feed, claimed(url_kind::start))[0].kind == url_kind::feed);
}
