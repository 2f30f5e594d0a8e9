// Feeds and sitemaps read as URL lists (crawl/feed.hpp).
#include <catch2/catch.hpp>

#include "crawl/feed.hpp"

TEST_CASE("an HTML page is not a feed", "[feed]") {
    CHECK_FALSE(gisa::crawl::looks_like_feed("<!doctype html><html><body></body></html>", "text/html"));
}
