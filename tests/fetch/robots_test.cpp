// robots.txt: group selection, wildcards, '$', longest match, Crawl-delay.
#include <catch2/catch.hpp>

#include "fetch/robots.hpp"

using namespace gisa::fetch;

TEST_CASE("robots patterns: '*' matches any run, '$' anchors the end, otherwise a prefix") {
    auto [pattern, path, matches] = GENERATE(table<const char*, const char*, bool>({
        {"/", "/anything", true},
        {"/private", "/private/x", true},
        {"/private", "/privatex", true},
        {"/private", "/public", false},
        {"/*.pdf", "/docs/a.pdf", true},
        {"/*.pdf$", "/docs/a.pdf", true},
        {"/*.pdf$", "/docs/a.pdf?x=1", false},
        {"/a*b*c", "/axxbyyc/z", true},
        {"/a*b*c", "/axxcyyb", false},
        {"/page$", "/page", true},
        {"/page$", "/page/", false},
        {"*", "/", true},
        {"/board?*mode=write", "/board?id=1&mode=write", true},
    }));
    CAPTURE(pattern, path);
    CHECK(robots_pattern_matches(pattern, path) == matches);
}

TEST_CASE("robots: our own group beats '*', and its rules alone apply") {
    const auto text =
        "User-agent: *\n"
        "Disallow: /private\n"
        "\n"
        "User-agent: Gisa\n"
        "Disallow: /secret   # not for us\n"
        "Allow: /secret/ok$\n"
        "Crawl-delay: 2.5\n";
    const auto rules = robots_rules::parse(text, "gisa");
    CHECK_FALSE(rules.allowed("/secret/x"));
    CHECK(rules.allowed("/secret/ok"));
    CHECK_FALSE(rules.allowed("/secret/ok/more"));
    CHECK(rules.allowed("/private"));  // the '*' group does not apply once a group names us
    REQUIRE(rules.crawl_delay());
    CHECK(rules.crawl_delay()->count() == 2500);

    const auto other = robots_rules::parse(text, "otherbot");
    CHECK_FALSE(other.allowed("/private/a"));
    CHECK(other.allowed("/secret/x"));
    CHECK_FALSE(other.crawl_delay());
}

TEST_CASE("robots: the longest match wins and Allow wins a tie") {
    const auto rules = robots_rules::parse(
        "User-agent: *\nDisallow: /news\nAllow: /news/article\nDisallow: /news/article/draft\n"
        "Allow: /tie\nDisallow: /tie\n",
        "gisa");
    CHECK_FALSE(rules.allowed("/news/list"));
    CHECK(rules.allowed("/news/article/1"));
    CHECK_FALSE(rules.allowed("/news/article/draft/2"));
    CHECK(rules.allowed("/tie"));
    CHECK(rules.allowed("/elsewhere"));
}

TEST_CASE("robots: several user-agent lines share one group and empty Disallow allows all") {
    const auto rules =
        robots_rules::parse("User-agent: a\nUser-agent: gisa\nDisallow: /x\n\nUser-agent: b\nDisallow:\n", "gisa");
    CHECK_FALSE(rules.allowed("/x/1"));
    const auto b =
        robots_rules::parse("User-agent: a\nUser-agent: gisa\nDisallow: /x\n\nUser-agent: b\nDisallow:\n", "b");
    CHECK(b.allowed("/x/1"));
}

TEST_CASE("robots: no file, garbage, and the unreachable case") {
    CHECK(robots_rules{}.allowed("/anything"));
    CHECK(robots_rules::parse("<html>not robots</html>\n\0\xff", "gisa").allowed("/a"));
    const auto blocked = robots_rules::disallow_all();
    CHECK_FALSE(blocked.allowed("/a"));
    CHECK(blocked.allowed("/robots.txt"));
}

TEST_CASE("robots: rules before any user-agent line and a CRLF file") {
    const auto rules = robots_rules::parse("Disallow: /orphan\r\nUser-agent: *\r\nDisallow: /tmp/\r\n", "gisa");
    CHECK(rules.allowed("/orphan"));
    CHECK_FALSE(rules.allowed("/tmp/x"));
}

TEST_CASE("robots: the agent token comes from the User-Agent") {
    CHECK(robots_agent_token("gisa/0.1 (+https://example.org)") == "gisa");
    CHECK(robots_agent_token("gisa") == "gisa");
    CHECK(robots_agent_token("Mozilla/5.0 (compatible; gisa)") == "Mozilla");
}
