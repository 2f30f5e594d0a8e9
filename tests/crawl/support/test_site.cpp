// The pages of the test site (test_site.hpp), written from templates so that 80 articles stay readable here.
#include "crawl/support/test_site.hpp"

#include <iconv.h>

#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace gisa::test {

namespace {

constexpr std::array<std::string_view, 10> topics{
    "도서관 야간 개관", "버스 노선 개편", "공원 산책로 정비", "분리수거 요일 변경", "어린이 놀이터 보수",
    "전통시장 주차장",  "하천 자전거길",  "경로당 난방비",    "골목길 가로등 교체", "주민센터 민원 창구"};
constexpr std::array<std::string_view, 6> authors{"빵순이",       "초록지구", "나눔장터",
                                                  "놀이터지킴이", "12층주민", "동네기자"};

std::string topic(int n) {
    return std::string(topics[static_cast<std::size_t>(n) % topics.size()]);
}

int number_or(const std::string& text, int fallback) {
    if (text.empty() || text.size() > 6) return fallback;
    int n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return fallback;
        n = n * 10 + (c - '0');
    }
    return n;
}

// An article page in the layout of the yonhap-article fixture: headline, time, photo, paragraphs,
// reporter's address, copyright line, related links and a footer.
std::string article_page(const std::string& title, int n, const std::string& charset) {
    const std::string t = topic(n);
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"" + charset + "\">\n<title>" + title +
        " | 동네뉴스</title>\n<meta property=\"og:site_name\" content=\"동네뉴스\">\n" +
        "<meta property=\"article:published_time\" content=\"2024-07-18T10:12:00+09:00\">\n</head>\n<body>\n" +
        "<div class=\"skip-navi\"><a href=\"#articleWrap\">본문 바로가기</a></div>\n" +
        "<div id=\"header\"><h1 class=\"logo\"><a href=\"/\">동네뉴스</a></h1>\n" +
        "<nav id=\"gnb\"><ul><li><a href=\"/news/list.html?sc=1\">사회</a></li>" +
        "<li><a href=\"/news/list.html?sc=2\">경제</a></li></ul></nav></div>\n" +
        "<div id=\"container\">\n<header class=\"title-article01\"><h1 class=\"tit\">" + title +
        "</h1>\n<p class=\"update-time\">송고2024-07-18 10:12</p></header>\n" +
        "<div id=\"articleWrap\" class=\"article-wrap01\"><article class=\"story-news article\">\n";
    html += "<p>(서울=동네뉴스) 김민지 기자 = " + t + " 문제를 두고 " + std::to_string(n) +
            "번째 주민 설명회가 18일 오후 구민회관에서 열렸다. 참석한 주민 수십 명이 의견을 냈다.</p>\n";
    html += "<p>구청은 이날 " + t +
            " 계획의 세부 일정과 예산을 공개했다. 담당 과장은 \"주민 불편이 없도록 단계적으로 " +
            "추진하겠다\"고 말했다. 사업비는 모두 " + std::to_string(n * 3 + 40) + "억 원으로 잡혔다.</p>\n";
    html +=
        "<p>일부 주민은 공사 기간 소음과 통행 불편을 걱정했다. 한 주민은 \"설명회가 평일 낮에만 열려 직장인은 "
        "참석하기 어렵다\"며 저녁 설명회를 따로 열어 달라고 요청했다.</p>\n";
    html += "<p>구청은 다음 달 " + std::to_string(n % 28 + 1) +
            "일까지 온라인으로 의견을 더 받은 뒤 최종안을 확정할 계획이다.</p>\n";
    html +=
        "<p class=\"adrs\">minji@dongne.example</p>\n<p class=\"txt-copyright\">&lt;저작권자(c) 동네뉴스, 무단 "
        "전재-재배포 "
        "금지&gt;</p>\n</article></div>\n";
    html +=
        "<section class=\"related-news\"><h2>관련 뉴스</h2><ul><li><a href=\"/about.html\">동네뉴스 소개</a></li></ul>"
        "</section>\n</div>\n<footer id=\"footer\"><p>Copyright (c) 동네뉴스. All rights reserved.</p></footer>\n"
        "</body>\n</html>\n";
    return html;
}

std::string to_cp949(const std::string& utf8) {
    iconv_t cd = iconv_open("CP949", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot convert to CP949");
    std::string out(utf8.size() * 2, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    const std::size_t done = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    if (done == static_cast<std::size_t>(-1)) throw std::runtime_error("a test page is not CP949 text");
    out.resize(out.size() - out_left);
    return out;
}

// One board row in the gnuboard basic skin's markup.
std::string board_row(int no) {
    const std::string href = "/bbs/board.php?bo_table=free&amp;wr_id=" + std::to_string(no);
    const std::string author(authors[static_cast<std::size_t>(no) % authors.size()]);
    return "<tr>\n<td class=\"td_num2\">" + std::to_string(no) +
           "</td>\n<td class=\"td_subject\"><div class=\"bo_tit\"><a href=\"" + href + "\">" +
           test_site::post_title(no) + "</a> <span class=\"cnt_cmt\">+ " + std::to_string(no % 7) +
           "</span></div></td>\n<td class=\"td_name sv_use\"><span class=\"sv_wrap\"><a "
           "href=\"/bbs/profile.php?mb_id=u" +
           std::to_string(no) + "\" class=\"sv_member\">" + author + "</a></span></td>\n<td class=\"td_num\">" +
           std::to_string(100 + no * 3) + "</td>\n<td class=\"td_datetime\">07-" + std::to_string(10 + no % 9) +
           "</td>\n</tr>\n";
}

std::string board_page(int page) {
    const int pages = test_site::board_posts / test_site::rows_per_page;
    std::string html =
        "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n<title>동네 자유게시판 " +
        std::to_string(page) +
        " 페이지 | 동네카페</title>\n</head>\n<body>\n<div id=\"hd\"><h1 id=\"hd_h1\">동네 자유게시판</h1>" +
        "<div id=\"skip_to_container\"><a href=\"#container\">본문 바로가기</a></div>\n" +
        "<nav id=\"gnb\"><ul><li><a href=\"/bbs/board.php?bo_table=notice\">공지사항</a></li>" +
        "<li><a href=\"/bbs/board.php?bo_table=free\">자유게시판</a></li></ul></nav></div>\n" +
        "<div id=\"container\"><div id=\"bo_list\"><div class=\"tbl_head01 tbl_wrap\"><table>\n" +
        "<caption>동네 자유게시판 목록</caption>\n<thead><tr><th scope=\"col\">번호</th><th scope=\"col\">제목</th>" +
        "<th scope=\"col\">글쓴이</th><th scope=\"col\">조회</th><th scope=\"col\">날짜</th></tr></thead>\n<tbody>\n";
    const int first = test_site::board_posts - (page - 1) * test_site::rows_per_page;
    for (int no = first; no > first - test_site::rows_per_page && no > 0; --no)
        html += board_row(no);
    html += "</tbody>\n</table></div></div>\n<nav class=\"pg_wrap\"><span class=\"pg\">";
    for (int p = 1; p <= pages; ++p)
        html += p == page
                    ? "<strong class=\"pg_current\">" + std::to_string(p) + "</strong>\n"
                    : "<a href=\"/bbs/board.php?bo_table=free&amp;page=" + std::to_string(p) + "\" class=\"pg_page\">" +
                          std::to_string(p) + "<span class=\"sound_only\">페이지</span></a>\n";
    html +=
        "</span></nav>\n</div>\n<div id=\"ft\"><div id=\"ft_copy\">Copyright &copy; <b>동네카페.</b> All rights "
        "reserved.</div></div>\n</body>\n</html>\n";
    return html;
}

std::string section_page() {
    std::string html =
        "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n<title>사회 | "
        "동네뉴스</title>\n</head>\n"
        "<body>\n<div id=\"header\"><h1><a href=\"/\">동네뉴스</a></h1><nav><ul><li><a "
        "href=\"/news/list.html?sc=2\">경제"
        "</a></li><li><a href=\"/about.html\">소개</a></li></ul></nav></div>\n<div id=\"container\"><h2>사회</h2>\n"
        "<ul class=\"type2\">\n";
    for (int n = test_site::section_first; n < test_site::section_first + test_site::section_count; ++n)
        html += "<li><h4 class=\"titles\"><a href=\"/news/articleView.html?idxno=" + std::to_string(n) + "\">" +
                topic(n) + " 주민 설명회 열려 (" + std::to_string(n) + ")</a></h4><p class=\"lead\">" + topic(n) +
                " 계획을 두고 주민 의견을 듣는 자리가 마련됐다.</p></li>\n";
    html += "</ul>\n</div>\n<footer><p>Copyright (c) 동네뉴스. All rights reserved.</p></footer>\n</body>\n</html>\n";
    return html;
}

std::string rss_feed(const std::string& base) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>동네뉴스 전체기사</title>"
        "<link>" +
        base + "/</link><description>동네뉴스</description>\n";
    for (int n = test_site::rss_first; n < test_site::rss_first + test_site::rss_count; ++n)
        xml += "<item><title>" + topic(n) + " 소식 (" + std::to_string(n) + ")</title><link>" + base +
               "/feed/article.html?id=" + std::to_string(n) +
               "</link><pubDate>Thu, 18 Jul 2024 01:12:00 GMT</pubDate></item>\n";
    return xml + "</channel></rss>\n";
}

std::string sitemap_index(const std::string& base) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
           "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<sitemap><loc>" +
           base +
           "/sitemap-news.xml</loc></sitemap>\n"
           "</sitemapindex>\n";
}

std::string news_sitemap(const std::string& base) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n";
    for (int n = test_site::sitemap_first; n < test_site::sitemap_first + test_site::sitemap_count; ++n)
        xml += "<url><loc>" + base + "/map/article.html?id=" + std::to_string(n) + "</loc><news:news><news:title>" +
               topic(n) + "</news:title></news:news></url>\n";
    return xml + "</urlset>\n";
}

response html(std::string body) {
    return response::make(200, std::move(body), "text/html; charset=utf-8");
}

response board(const http_request& request, const std::shared_ptr<std::atomic<int>>& flaky_tries) {
    const int post = number_or(request.query("wr_id"), 0);
    if (post == 0) {
        const int page = number_or(request.query("page"), 1);
        if (page < 1 || page > test_site::board_posts / test_site::rows_per_page) return response::not_found();
        return html(board_page(page));
    }
    if (post > test_site::board_posts || post == test_site::private_post) return response::not_found();
    const std::string title = test_site::post_title(post);
    if (post == test_site::euckr_post)
        return response::make(200, to_cp949(article_page(title, post, "euc-kr")), "text/html; charset=euc-kr");
    if (post == test_site::flaky_post && flaky_tries->fetch_add(1) < 2)
        return response::make(500, "<html><body>Internal Server Error</body></html>");
    // Posts carry an ETag, as gnuboard behind a cache does: a re-check with it is answered 304.
    const std::string etag = "\"post-" + std::to_string(post) + "\"";
    if (request.header("If-None-Match") == etag) return response::make(304, "", "", {"ETag: " + etag});
    response r = response::make(200, article_page(title, post, "utf-8"), "text/html; charset=utf-8", {"ETag: " + etag});
    if (post == test_site::slow_post)
        r.steps.insert(r.steps.begin(), {response_step::kind::pause, {}, test_site::slow_pause});
    return r;
}

}  // namespace

std::string test_site::post_title(int n) {
    return topic(n) + " 이야기 나눠요 " + std::to_string(n) + "번째";
}

void test_site::serve(http_server& server) {
    auto flaky_tries = std::make_shared<std::atomic<int>>(0);
    // Feeds and sitemaps carry absolute URLs, as real ones do.
    const std::string base = server.url("");
    server.on("/robots.txt", [](const http_request&) {
        return response::make(200, "User-agent: *\nDisallow: " + test_site::private_target() + "$\n", "text/plain");
    });
    server.on("/bbs/board.php", [flaky_tries](const http_request& r) { return board(r, flaky_tries); });
    server.on("/news/section.html", [](const http_request&) { return html(section_page()); });
    const auto article_by = [](std::string_view key) {
        return [key](const http_request& r) {
            const int n = number_or(r.query(key), 0);
            if (n == 0) return response::not_found();
            return html(article_page(topic(n) + " 관련 " + std::to_string(n) + "호 기사", n, "utf-8"));
        };
    };
    server.on("/news/articleView.html", article_by("idxno"));
    server.on("/feed/article.html", article_by("id"));
    server.on("/map/article.html", article_by("id"));
    server.on("/rss.xml", [base](const http_request&) {
        return response::make(200, rss_feed(base), "application/rss+xml; charset=utf-8");
    });
    server.on("/sitemap.xml",
              [base](const http_request&) { return response::make(200, sitemap_index(base), "application/xml"); });
    server.on("/sitemap-news.xml",
              [base](const http_request&) { return response::make(200, news_sitemap(base), "application/xml"); });
}

void test_site::serve_wide(http_server& server, int hosts, int pages) {
    for (int i = 2; i <= hosts; ++i)
        server.listen_also(wide_host(i));
    server.on("/robots.txt",
              [](const http_request&) { return response::make(200, "User-agent: *\nAllow: /\n", "text/plain"); });
    server.on("/wide/sitemap.xml", [pages](const http_request& r) {
        const std::string base = "http://" + r.header("Host").value_or("127.0.0.1");
        std::string xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
            "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
        for (int n = 1; n <= pages; ++n)
            xml += "<url><loc>" + base + "/wide/article.html?id=" + std::to_string(n) + "</loc></url>\n";
        return response::make(200, xml + "</urlset>\n", "application/xml");
    });
    server.on("/wide/article.html", [pages](const http_request& r) {
        const int n = number_or(r.query("id"), 0);
        if (n < 1 || n > pages) return response::not_found();
        const std::string host = r.header("Host").value_or("127.0.0.1");
        return html(article_page(topic(n) + " 소식 " + std::to_string(n) + "호 (" + host + ")", n, "utf-8"));
    });
}

std::string test_site::wide_sources_toml(unsigned short port, int hosts, int interval_s) {
    std::string toml = "[[source]]\nname = \"wide\"\nfollow_rows = false\ninterval_s = " + std::to_string(interval_s) +
                       "\nstart_urls = [\n";
    for (int i = 1; i <= hosts; ++i)
        toml += "  \"http://" + wide_host(i) + ":" + std::to_string(port) + "/wide/sitemap.xml\",\n";
    return toml + "]\n";
}

std::string test_site::sources_toml(const std::string& base, int interval_s) {
    const std::string interval = std::to_string(interval_s);
    return "[[source]]\nname = \"dongne-board\"\nstart_urls = [\"" + base +
           "/bbs/board.php?bo_table=free\"]\nfollow_rows = true\nmax_pages = 3\ninterval_s = " + interval +
           "\n\n[[source]]\nname = \"dongne-news\"\nstart_urls = [\"" + base + "/news/section.html\", \"" + base +
           "/rss.xml\", \"" + base +
           "/sitemap.xml\"]\nfollow_rows = false\nfollow_links = ['/news/articleView\\.html\\?idxno=']\n" +
           "interval_s = " + interval + "\n";
}

}  // namespace gisa::test
