// A small Korean site on the tests' loopback server, for the crawl's end-to-end test and `make demo`.
//
// Every page is written here by hand after the fixtures (fixtures/extract/board-gnuboard5-basic for
// the board, yonhap-article for the articles):
//   /robots.txt                                   disallows post 5 (an RFC 9309 pattern ending in $)
//   /bbs/board.php?bo_table=free[&page=2|3]       a gnuboard board list: three pages of 20 rows,
//                                                 60 posts
//   /bbs/board.php?bo_table=free&wr_id=N          post N: an article with an ETag (304 to a
//                                                 conditional GET); post 7 in EUC-KR, post 13
//                                                 answers 500 twice before 200, post 21 is slow
//   /news/section.html                            a news section: 8 article links that follow_links
//                                                 matches, and links it does not (/news/list.html,
//                                                 /about.html)
//   /news/articleView.html?idxno=N                the section's articles (101-108)
//   /rss.xml                                      RSS 2.0 listing /feed/article.html?id=201-205
//   /sitemap.xml -> /sitemap-news.xml             a sitemap index and its news sitemap
//                                                 (/map/article.html?id=301-305)
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "fetch/support/http_server.hpp"

namespace gisa::test {

struct test_site {
    static constexpr int board_posts = 60;
    static constexpr int rows_per_page = 20;
    static constexpr int private_post = 5;
    static constexpr int euckr_post = 7;
    static constexpr int flaky_post = 13;  // 500, 500, then 200
    static constexpr int slow_post = 21;
    static constexpr std::chrono::milliseconds slow_pause{1500};
    static constexpr int section_first = 101;
    static constexpr int section_count = 8;
    static constexpr int rss_first = 201;
    static constexpr int rss_count = 5;
    static constexpr int sitemap_first = 301;
    static constexpr int sitemap_count = 5;

    // Articles a crawl of both sources must store: every post but the disallowed one, the
    // section's, the feed's and the sitemap's.
    static constexpr int expected_articles = board_posts - 1 + section_count + rss_count + sitemap_count;
    static constexpr int expected_board_rows = board_posts;

    // Registers every route on `server`.
    static void serve(http_server& server);

    // The [[source]] tables of a config that crawls this site at `base` ("http://127.0.0.1:PORT").
    static std::string sources_toml(const std::string& base, int interval_s = 3600);

    // Paths a crawl must never request.
    static std::vector<std::string> forbidden_paths() { return {"/news/list.html", "/about.html"}; }
    // The post robots.txt disallows: its row is stored, its page never requested.
    static std::string private_target() { return "/bbs/board.php?bo_table=free&wr_id=" + std::to_string(private_post); }

    // The title of post N as stored (for checks of the EUC-KR post).
    static std::string post_title(int n);

    // Many hosts on one server, for issue #14's scale-out test and benchmark: the server also listens
    // on 127.0.0.2 .. 127.0.0.<hosts>, and each host (named by the request's Host header) has
    //   /robots.txt                     allows everything
    //   /wide/sitemap.xml               a sitemap of its `pages` articles
    //   /wide/article.html?id=N         article N of that host (1..pages)
    static void serve_wide(http_server& server, int hosts, int pages);
    // "127.0.0.<i>" for i in 1..hosts.
    static std::string wide_host(int i) { return "127.0.0." + std::to_string(i); }
    // One [[source]] whose start URLs are the hosts' sitemaps.
    static std::string wide_sources_toml(unsigned short port, int hosts, int interval_s = 3600);
};

}  // namespace gisa::test
