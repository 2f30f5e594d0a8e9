// Feeds and sitemaps read as URL lists (crawl/feed.hpp): every format, charsets, limits and errors.
#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "crawl/feed.hpp"

namespace {

using gisa::core::errc;
using gisa::crawl::feed_kind;
using gisa::crawl::feed_result;
using gisa::crawl::looks_like_feed;
using gisa::crawl::max_feed_urls;
using gisa::crawl::read_feed;
using strings = std::vector<std::string>;

// The limit feed.cpp names max_feed_bytes: the sitemap protocol's 50 MiB.
constexpr std::size_t fifty_mib = 50 * 1024 * 1024;

const std::string news_base = "https://news.example.kr/rss/main.xml";

// Reads a feed that must be read without error.
feed_result read_ok(const std::string& bytes, const std::string& content_type = "application/xml",
                    const std::string& base_url = news_base) {
    feed_result result = read_feed(bytes, content_type, base_url);
    INFO(result.error.message);
    REQUIRE(result.error.code == errc::ok);
    return result;
}

std::string rss_with_items(const std::string& items) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n" + items +
           "</channel></rss>\n";
}

std::string rss_with_links(const strings& links) {
    std::string items;
    for (const auto& link : links)
        items += "<item><link>" + link + "</link></item>\n";
    return rss_with_items(items);
}

// ASCII text as UTF-16LE code units.
std::string utf16le(const std::string& ascii) {
    std::string out;
    for (char c : ascii) {
        out += c;
        out += '\0';
    }
    return out;
}

}  // namespace

TEST_CASE("feed kinds have stable names", "[feed]") {
    CHECK(to_string(feed_kind::rss) == "rss");
    CHECK(to_string(feed_kind::atom) == "atom");
    CHECK(to_string(feed_kind::sitemap) == "sitemap");
    CHECK(to_string(feed_kind::sitemap_index) == "sitemap_index");
}

TEST_CASE("RSS 2.0 item links are trimmed, unescaped and resolved against the feed URL", "[feed][rss]") {
    const std::string feed = rss_with_items(
        "<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" href=\"https://news.example.kr/rss\"/>\n"
        "<item><title>one</title><link>/article/1</link></item>\n"
        "<item><link>\n   article/2   \n</link></item>\n"
        "<item><link>https://other.example.kr/a?b=1#comments</link></item>\n"
        "<item><link>https://news.example.kr/view.php?id=4&amp;page=1</link></item>\n"
        "<item><link><![CDATA[https://news.example.kr/view.php?id=5&page=2]]></link></item>\n"
        "<item><link>\n  <![CDATA[ /article/6 ]]>\n</link></item>\n");
    const feed_result result = read_ok(feed, "application/rss+xml");
    CHECK(result.kind == feed_kind::rss);
    CHECK(result.urls == strings{
                             "https://news.example.kr/article/1",
                             "https://news.example.kr/rss/article/2",
                             "https://other.example.kr/a?b=1",
                             "https://news.example.kr/view.php?id=4&page=1",
                             "https://news.example.kr/view.php?id=5&page=2",
                             "https://news.example.kr/article/6",
                         });
}

TEST_CASE("an RSS guid stands in for a missing link only as an http(s) permalink", "[feed][rss]") {
    auto [item, expected] = GENERATE(table<std::string, strings>({
        {"<guid>https://news.example.kr/g/1</guid>", {"https://news.example.kr/g/1"}},
        {"<guid isPermaLink=\"true\"> https://news.example.kr/g/2 </guid>", {"https://news.example.kr/g/2"}},
        {"<guid isPermaLink=\"false\">https://news.example.kr/g/3</guid>", {}},
        {"<guid>tag:news.example.kr,2024:4</guid>", {}},
        {"<guid>article-5</guid>", {}},
        {"<guid>/relative/6</guid>", {}},
        {"<link>https://news.example.kr/7</link><guid>https://news.example.kr/g/7</guid>",
         {"https://news.example.kr/7"}},
        {"<link>javascript:void(0)</link><guid>https://news.example.kr/g/8</guid>", {"https://news.example.kr/g/8"}},
    }));
    INFO(item);
    CHECK(read_ok(rss_with_items("<item>" + item + "</item>")).urls == expected);
}

TEST_CASE("RSS 1.0 items beside the channel are read, with rdf:about as the fallback", "[feed][rss]") {
    const std::string feed =
        "<?xml version=\"1.0\"?>\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">\n"
        " <channel rdf:about=\"https://www.example.kr/\"><link>https://www.example.kr/</link>\n"
        "  <items><rdf:Seq><rdf:li rdf:resource=\"https://www.example.kr/1\"/></rdf:Seq></items></channel>\n"
        " <item rdf:about=\"https://www.example.kr/1\"><title>1</title><link>https://www.example.kr/1</link></item>\n"
        " <item rdf:about=\"https://www.example.kr/2\"><title>2</title></item>\n"
        "</rdf:RDF>\n";
    const feed_result result = read_ok(feed, "application/rdf+xml", "https://www.example.kr/index.rdf");
    CHECK(result.kind == feed_kind::rss);
    CHECK(result.urls == strings{"https://www.example.kr/1", "https://www.example.kr/2"});
}

TEST_CASE("Atom entries give their alternate link, resolved through xml:base", "[feed][atom]") {
    const std::string feed =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://blog.example.kr/posts/\">\n"
        " <link rel=\"self\" href=\"https://blog.example.kr/feed.atom\"/>\n"
        " <link rel=\"alternate\" href=\"https://blog.example.kr/\"/>\n"
        " <entry><link rel=\"edit\" href=\"edit/1\"/><link rel=\"alternate\" type=\"text/html\" href=\"1.html\"/>"
        "</entry>\n"
        " <entry><link href=\"2.html\"/></entry>\n"
        " <entry><link rel=\"self\" href=\"3.atom\"/><link rel=\"edit\" href=\"edit/3\"/></entry>\n"
        " <entry xml:base=\"/archive/2024/\"><link href=\"4.html\"/></entry>\n"
        " <entry><link rel=\"http://www.iana.org/assignments/relation/alternate\" href=\"5.html\"/></entry>\n"
        " <entry><link rel=\"enclosure\" href=\"6.mp3\"/>"
        "<link rel=\"alternate\" xml:base=\"https://cdn.example.kr/\" href=\"6.html\"/></entry>\n"
        " <entry><link href=\"7.html\"/><link rel=\"alternate\" hreflang=\"en\" href=\"en/7.html\"/></entry>\n"
        "</feed>\n";
    const feed_result result = read_ok(feed, "application/atom+xml", "https://www.example.kr/feed");
    CHECK(result.kind == feed_kind::atom);
    CHECK(result.urls == strings{
                             "https://blog.example.kr/posts/1.html",
                             "https://blog.example.kr/posts/2.html",
                             "https://blog.example.kr/archive/2024/4.html",
                             "https://blog.example.kr/posts/5.html",
                             "https://cdn.example.kr/6.html",
                             "https://blog.example.kr/posts/7.html",
                         });
}

TEST_CASE("prefixed Atom without xml:base resolves against the feed URL", "[feed][atom]") {
    const std::string feed =
        "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\">"
        "<a:entry><a:link href=\"/news/1\"/></a:entry>"
        "<a:entry><a:link rel=\"alternate\" href=\"news/2\"/></a:entry>"
        "</a:feed>";
    const feed_result result = read_ok(feed, "text/xml", "https://www.example.kr/atom/index.xml");
    CHECK(result.kind == feed_kind::atom);
    CHECK(result.urls == strings{"https://www.example.kr/news/1", "https://www.example.kr/atom/news/2"});
}

TEST_CASE("a urlset gives its url/loc values", "[feed][sitemap]") {
    const std::string sitemap =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        " <url><loc>  https://www.example.kr/a  </loc><lastmod>2024-05-01</lastmod><priority>0.8</priority></url>\n"
        " <url><loc>/b?x=1&amp;y=2</loc></url>\n"
        " <url><changefreq>daily</changefreq></url>\n"
        " <url><loc>mailto:desk@example.kr</loc></url>\n"
        "</urlset>\n";
    const feed_result result = read_ok(sitemap, "application/xml", "https://www.example.kr/sitemap.xml");
    CHECK(result.kind == feed_kind::sitemap);
    CHECK(result.urls == strings{"https://www.example.kr/a", "https://www.example.kr/b?x=1&y=2"});
}

TEST_CASE("a Google news sitemap gives page locs and ignores news and image elements", "[feed][sitemap]") {
    const std::string sitemap =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
        "        xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"\n"
        "        xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n"
        " <url>\n"
        "  <loc>https://news.example.kr/article/100</loc>\n"
        "  <news:news>\n"
        "   <news:publication><news:name>Example News</news:name><news:language>ko</news:language>"
        "</news:publication>\n"
        "   <news:publication_date>2024-05-01T09:00:00+09:00</news:publication_date>\n"
        "   <news:title>title</news:title>\n"
        "  </news:news>\n"
        "  <image:image><image:loc>https://img.example.kr/100.jpg</image:loc></image:image>\n"
        " </url>\n"
        " <url><loc>https://news.example.kr/article/101</loc></url>\n"
        "</urlset>\n";
    const feed_result result = read_ok(sitemap, "text/xml", "https://news.example.kr/sitemap-news.xml");
    CHECK(result.kind == feed_kind::sitemap);
    CHECK(result.urls == strings{"https://news.example.kr/article/100", "https://news.example.kr/article/101"});
}

TEST_CASE("a sitemap index lists its child sitemaps", "[feed][sitemap]") {
    const std::string index =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        " <sitemap><loc>https://www.example.kr/sitemap-1.xml</loc><lastmod>2024-05-01</lastmod></sitemap>\n"
        " <sitemap><loc>/sitemap-2.xml.gz</loc></sitemap>\n"
        "</sitemapindex>\n";
    const feed_result result = read_ok(index, "application/xml", "https://www.example.kr/sitemap.xml");
    CHECK(result.kind == feed_kind::sitemap_index);
    CHECK(result.urls == strings{"https://www.example.kr/sitemap-1.xml", "https://www.example.kr/sitemap-2.xml.gz"});
}

TEST_CASE("an EUC-KR feed is decoded as CP949 before parsing", "[feed][charset]") {
    // 기사 is B1E2 BBE7 in EUC-KR and EA B8 B0 EC 82 AC in UTF-8, which a URL carries percent-encoded.
    const std::string article = "\xb1\xe2\xbb\xe7";
    // Where the charset is said: the declaration, the HTTP header (over a declaration saying UTF-8), or nowhere
    // (bytes that are not UTF-8 but clean CP949).
    auto [declaration, content_type] = GENERATE(table<std::string, std::string>({
        {"<?xml version=\"1.0\" encoding=\"euc-kr\"?>", "application/rss+xml"},
        {"<?xml version=\"1.0\" encoding=\"EUC-KR\"?>", "text/xml; charset=euc-kr"},
        {"<?xml version=\"1.0\" encoding=\"utf-8\"?>", "text/xml; charset=EUC-KR"},
        {"<?xml version=\"1.0\"?>", "text/xml"},
    }));
    const std::string feed = declaration + "\n<rss version=\"2.0\"><channel><title>" + article + "</title>\n" +
                             "<item><title>" + article + " 1</title><link>/" + article + "/1</link></item>\n" +
                             "<item><title>" + article +
                             " 2</title><link>https://news.example.kr/%EA%B8%B0%EC%82%AC/2</link></item>\n" +
                             "<item><link>https://news.example.kr/view?section=" + article +
                             "&amp;id=3</link></item>\n" + "</channel></rss>\n";
    INFO(declaration << " / " << content_type);
    const feed_result result = read_ok(feed, content_type);
    CHECK(result.urls == strings{
                             "https://news.example.kr/%EA%B8%B0%EC%82%AC/1",
                             "https://news.example.kr/%EA%B8%B0%EC%82%AC/2",
                             "https://news.example.kr/view?section=%EA%B8%B0%EC%82%AC&id=3",
                         });
}

TEST_CASE("a legacy declaration is not applied again after decoding", "[feed][charset]") {
    // é is E9 in ISO-8859-1 and C3 A9 in UTF-8; decoding twice would give C3 83 C2 A9.
    const std::string feed =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<rss><channel><item><link>https://news.example.kr/caf\xe9</link></item></channel></rss>";
    CHECK(read_ok(feed).urls == strings{"https://news.example.kr/caf%C3%A9"});
}

TEST_CASE("a UTF-16 feed is read with or without a byte order mark", "[feed][charset]") {
    const std::string bom = GENERATE(std::string("\xFF\xFE"), std::string());
    const std::string feed =
        bom + utf16le(
                  "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><item><link>/a/1</link></item>"
                  "</channel></rss>");
    CHECK(read_ok(feed).urls == strings{"https://news.example.kr/a/1"});
}

TEST_CASE("a UTF-16 declaration on ASCII bytes is ignored", "[feed][charset]") {
    const std::string feed =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><item><link>/a/2</link></item></channel></rss>";
    CHECK(read_ok(feed).urls == strings{"https://news.example.kr/a/2"});
}

TEST_CASE("duplicate links are kept once, first first, after normalisation", "[feed]") {
    const std::string feed = rss_with_links({
        "https://news.example.kr/a",
        "HTTPS://NEWS.EXAMPLE.KR/a#comments",
        "/a",
        "https://news.example.kr/a?utm_source=rss&amp;utm_medium=feed",
        "https://news.example.kr/b",
        "https://news.example.kr/a",
        "https://news.example.kr/b#top",
    });
    CHECK(read_ok(feed).urls == strings{"https://news.example.kr/a", "https://news.example.kr/b"});
}

TEST_CASE("links that are not http(s) are dropped", "[feed]") {
    const std::string href =
        GENERATE(as<std::string>{}, "javascript:void(0)", "mailto:desk@news.example.kr", "tel:0212345678",
                 "ftp://files.example.kr/a", "data:text/html,hi", "#top", "", "   ");
    INFO("href: " << href);
    const std::string feed = rss_with_links({href, "https://news.example.kr/kept"});
    CHECK(read_ok(feed).urls == strings{"https://news.example.kr/kept"});
}

TEST_CASE("URLs are cut at max_feed_urls, duplicates not counted", "[feed][limits]") {
    std::string sitemap = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    sitemap += "<url><loc>https://www.example.kr/a/0</loc></url>\n";  // repeated just below: not counted
    for (std::size_t i = 0; i <= max_feed_urls; ++i)
        sitemap += "<url><loc>https://www.example.kr/a/" + std::to_string(i) + "</loc></url>\n";
    sitemap += "</urlset>\n";
    const feed_result result = read_ok(sitemap);
    REQUIRE(result.urls.size() == max_feed_urls);
    CHECK(result.urls.front() == "https://www.example.kr/a/0");
    CHECK(result.urls[1] == "https://www.example.kr/a/1");
    CHECK(result.urls.back() == "https://www.example.kr/a/" + std::to_string(max_feed_urls - 1));
}

TEST_CASE("input over 50 MiB is refused before parsing", "[feed][limits]") {
    auto [size, expected] = GENERATE(table<std::size_t, errc>({
        {fifty_mib, errc::ok},
        {fifty_mib + 1, errc::too_large},
    }));
    const std::string open = "<urlset><url><loc>https://www.example.kr/big</loc></url>";
    const std::string close = "</urlset>";
    const std::string sitemap = open + std::string(size - open.size() - close.size(), ' ') + close;
    REQUIRE(sitemap.size() == size);
    const feed_result result = read_feed(sitemap, "application/xml", news_base);
    INFO(result.error.message);
    CHECK(result.error.code == expected);
    CHECK(result.urls.size() == (expected == errc::ok ? 1U : 0U));
}

TEST_CASE("malformed XML is a parse error with its byte offset", "[feed][errors]") {
    const std::string feed = "<rss><channel><item><link>https://news.example.kr/1</link></item>\n<1/></channel></rss>";
    const feed_result result = read_feed(feed, "application/rss+xml", news_base);
    CHECK(result.error.code == errc::parse);
    CHECK_FALSE(result.error.retryable);
    CHECK(result.urls.empty());
    // pugixml points at the character after '<' that cannot start a tag.
    const std::string offset = std::to_string(feed.find("<1/>") + 1);
    CHECK_THAT(result.error.message, Catch::Contains("malformed XML") && Catch::Contains("at byte " + offset));
}

TEST_CASE("an EUC-KR parse error says its offset is in the decoded text", "[feed][errors]") {
    const std::string feed = "<?xml version=\"1.0\" encoding=\"euc-kr\"?><rss><title>\xb1\xe2\xbb\xe7</rss>";
    const feed_result result = read_feed(feed, "text/xml", news_base);
    CHECK(result.error.code == errc::parse);
    CHECK_THAT(result.error.message, Catch::Contains("decoded from CP949"));
}

TEST_CASE("well-formed XML that is no feed says which root it found", "[feed][errors]") {
    const std::string xhtml =
        "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>hi</p></body></html>";
    const feed_result result = read_feed(xhtml, "application/xhtml+xml", news_base);
    CHECK(result.error.code == errc::nothing_extracted);
    CHECK_THAT(result.error.message, Catch::Contains("<html>"));
    CHECK(result.urls.empty());
}

TEST_CASE("an empty body is an error, not an empty feed", "[feed][errors]") {
    const std::string body = GENERATE(as<std::string>{}, "", " \n\t\r\n ");
    const feed_result result = read_feed(body, "application/rss+xml", news_base);
    CHECK(result.error.code == errc::parse);
    CHECK_THAT(result.error.message, Catch::Contains("empty"));
    CHECK(result.urls.empty());
}

TEST_CASE("an empty but well-formed feed has no URLs and no error", "[feed]") {
    const feed_result result = read_ok("<rss version=\"2.0\"><channel><title>t</title></channel></rss>");
    CHECK(result.kind == feed_kind::rss);
    CHECK(result.urls.empty());
}

TEST_CASE("looks_like_feed sniffs the root element and never takes a page", "[feed][sniff]") {
    auto [bytes, content_type, expected] = GENERATE(table<std::string, std::string, bool>({
        {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", "application/rss+xml", true},
        {"<rss version=\"2.0\">", "text/xml", true},
        {"<feed xmlns=\"http://www.w3.org/2005/Atom\">", "application/xml", true},
        {"\xEF\xBB\xBF<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">", "", true},
        {"<?xml version=\"1.0\"?><!-- generated --><!DOCTYPE sitemapindex [<!ENTITY a \"<b>\">]>\n<sitemapindex>",
         "text/xml; charset=utf-8", true},
        {"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">", "application/rdf+xml", true},
        {"<?xml version=\"1.0\" encoding=\"euc-kr\"?>\r\n<rss>", "text/html; charset=euc-kr", true},
        {"<?xml-stylesheet type=\"text/xsl\" href=\"/rss.xsl\"?><rss>", "application/octet-stream", true},
        {"\xFF\xFE" + utf16le("<?xml version=\"1.0\"?><rss>"), "text/xml", true},
        {"<?xml version=\"1.0\"?>", "application/atom+xml", true},
        {"<?xml version=\"1.0\"?>", "text/xml", false},
        {"<html><body>", "text/xml", false},
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
         "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
         "application/xhtml+xml", false},
        {"<!doctype html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss\">", "text/html",
         false},
        {"<html><body><rss>", "application/rss+xml", false},
        {"<svg xmlns=\"http://www.w3.org/2000/svg\">", "application/xml", false},
        {"just text", "text/plain", false},
        {"", "", false},
    }));
    INFO(bytes << " / " << content_type);
    CHECK(looks_like_feed(bytes, content_type) == expected);
}
