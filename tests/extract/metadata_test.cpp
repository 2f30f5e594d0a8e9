// Unit tests of the metadata stage: site suffixes, machine dates, JSON-LD / OpenGraph / <title> precedence.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>

#include "extract/metadata.hpp"
#include "extract/rules.hpp"

namespace ex = gisa::extract;

TEST_CASE("site suffixes come off <title>", "[metadata][title]") {
    auto [title, site, expected] = GENERATE(table<std::string, std::string, std::string>({
        {"경기 북부 물폭탄… 주민 대피 - 조선일보", "", "경기 북부 물폭탄… 주민 대피"},
        {"남북 통신선 종일 불통 | YTN", "", "남북 통신선 종일 불통"},
        {"주담대 금리 다시 오른다 : 네이버 뉴스", "", "주담대 금리 다시 오른다"},
        {"Seoul adds night buses l KBS WORLD", "", "Seoul adds night buses"},
        {"한겨레 기사 제목입니다 :: 한겨레", "한겨레", "한겨레 기사 제목입니다"},
        {"충분히 긴 기사 제목 - 조선일보 - 조선일보", "조선일보", "충분히 긴 기사 제목"},  // both cut
        {"짧은 제목 - 조선일보", "", "짧은 제목"},   // a short headline loses it too (issue #15)
        {"폭염 - 조선일보", "", "폭염 - 조선일보"},  // 2 chars left < min_title_chars_after_cut
        {"오마이뉴스 - 마을버스 끊긴 산동네, 할머니들의 버스", "", "마을버스 끊긴 산동네, 할머니들의 버스"},
        // A board's name first: the short part after it is the site's; two words after any
        // other short first part read as the site's name too, not as a headline.
        {"공지사항 | 한빛구 평생학습관", "", "공지사항"},
        {"공지사항 | 한빛구 평생학습관", "한빛구 평생학습관", "공지사항"},
        {"이벤트 | 한빛구 평생학습관", "", "이벤트 | 한빛구 평생학습관"},
        {"핫딜 - 에펨코리아", "", "핫딜"},
        // ... unless it reads as a post's title; a board's name after a site's short name.
        {"자유게시판 - 요즘 전기요금 얼마나 나오세요", "", "요즘 전기요금 얼마나 나오세요"},
        {"자유게시판 - 장마 끝났나요?", "", "자유게시판 - 장마 끝났나요?"},
        {"뽐뿌 - 자유게시판", "", "자유게시판"},
        {"26일 정상회담 · 27일 의회연설 예정된 국빈 방미", "", "26일 정상회담 · 27일 의회연설 예정된 국빈 방미"},
    }));
    INFO(title);
    CHECK(ex::strip_site_suffix(title, site, true) == expected);
}

TEST_CASE("a suffix is cut at most max_site_suffix_chars long", "[metadata][title]") {
    using ex::rules::max_site_suffix_chars;
    auto [suffix_chars, cut] = GENERATE(table<std::size_t, bool>({
        {max_site_suffix_chars, true},
        {max_site_suffix_chars + 1, false},
    }));
    std::string head = "이것은 충분히 긴 기사 제목이고 사이트 이름보다 훨씬 더 길다";
    std::string tail(suffix_chars, 'x');
    std::string result = ex::strip_site_suffix(head + " | " + tail, "", true);
    CHECK((result == head) == cut);
}

TEST_CASE("a headline keeps at least min_title_chars_after_cut characters", "[metadata][title]") {
    using ex::rules::min_title_chars_after_cut;
    using ex::rules::min_title_chars_after_named_site;
    // A suffix that only contains the site's name, or only looks like one, leaves at least
    // min_title_chars_after_cut; the site's name itself leaves min_title_chars_after_named_site.
    auto [head_chars, site, cut] = GENERATE(table<std::size_t, std::string, bool>({
        {min_title_chars_after_cut, "시험", true},
        {min_title_chars_after_cut - 1, "시험", false},
        {min_title_chars_after_cut - 1, "", false},
        {min_title_chars_after_named_site, "시험일보", true},
        {min_title_chars_after_named_site - 1, "시험일보", false},
    }));
    std::string head;
    for (std::size_t i = 0; i < head_chars; ++i)
        head += "가";
    INFO(head << " / " << site);
    CHECK((ex::strip_site_suffix(head + " - 시험일보", site, true) == head) == cut);
}

TEST_CASE("the page's <title> and <h1> correct the metadata's headline", "[metadata][title]") {
    auto title_of = [](const std::string& html) {
        return ex::read_metadata(gisa::extract::dom::document::parse(html), "").title;
    };
    // The suffix <title> carries is the site's name on og:title too, however many words.
    CHECK(title_of(R"(<title>철밥통 없다 칼바람 - 머니투데이 뉴스</title>
        <meta property="og:title" content="철밥통 없다 칼바람 - 머니투데이 뉴스">)") == "철밥통 없다 칼바람");
    // An og:title that is only the site's name.
    CHECK(title_of(R"(<title>LG이노텍 : 네이버 금융</title><meta property="og:title" content="네이버 금융">)") ==
          "LG이노텍");
    // Quotation marks the metadata dropped come back from <title> or <h1>.
    CHECK(title_of(R"(<title>"왜 싸우나"... DJ 고향에서 - 시험일보</title>
        <meta property="og:title" content="왜 싸우나... DJ 고향에서">)") == "\"왜 싸우나\"... DJ 고향에서");
    CHECK(
        title_of(
            R"(<meta property="og:title" content="왜 싸우나... DJ 고향에서"><body><h1>“왜 싸우나”... DJ 고향에서</h1>)") ==
        "“왜 싸우나”... DJ 고향에서");
    // Without og:site_name, the name on the logo's link to the front page is the site's.
    CHECK(title_of(R"(<title>공지사항 | 한빛구 평생학습관</title><body><h1><a href="/index.do">
        <img src="/logo.png" alt="한빛구 평생학습관 로고"></a></h1><h3>공지사항</h3>)") == "공지사항");
    CHECK(title_of(R"(<title>자유게시판 - 캠핑 이야기 마당</title><body><a href="/">캠핑 이야기 마당</a>)") ==
          "자유게시판");
    // The logo's alt with the site's slogan after its name; og:site_name on a board's page.
    CHECK(title_of(
              R"(<title>핫딜 - 캠핑마켓</title><body><a href="/"><img alt="캠핑마켓 - 캠핑, 차박, 장비 장터"></a>)") ==
          "핫딜");
    CHECK(title_of(R"(<title>핫딜 | 퀘이사 QUASAR</title><meta property="og:title" content="퀘이사">
        <meta property="og:site_name" content="퀘이사">)") == "핫딜");
    // A link to the page itself or its folder is no link to the front page.
    CHECK(title_of(R"(<title>이벤트 | 한빛구 평생학습관</title><body><a href="">한빛구 평생학습관</a>
        <a href="./">한빛구 평생학습관</a>)") == "이벤트 | 한빛구 평생학습관");
    // A link that only says "home" names nothing.
    CHECK(title_of(R"(<title>이벤트 | 한빛구 평생학습관</title><body><a href="/">홈</a>)") ==
          "이벤트 | 한빛구 평생학습관");
    CHECK(title_of(R"(<title>이벤트 | 한빛구 평생학습관</title><body><a href="/"><img alt="한빛구 평생학습관"></a>)") ==
          "이벤트");
    // A different <title> is no reason to change the headline.
    CHECK(
        title_of(
            R"(<title>관점이 있는 뉴스 - 프레시안</title><meta property="og:title" content="사드 비준 필요 없다">)") ==
        "사드 비준 필요 없다");
}

TEST_CASE("og:title and JSON-LD headlines lose only the known site name", "[metadata][title]") {
    CHECK(ex::strip_site_suffix("미국 - 중국 정상회담 열린다", "", false) == "미국 - 중국 정상회담 열린다");
    CHECK(ex::strip_site_suffix("정상회담 열린다 | 연합뉴스", "연합뉴스", false) == "정상회담 열린다");
}

TEST_CASE("metadata dates become ISO 8601 with an offset", "[metadata][dates]") {
    auto [in, out] = GENERATE(table<std::string, std::optional<std::string>>({
        {"2024-07-18T15:12:00+09:00", "2024-07-18T15:12:00+09:00"},
        {"2024-07-18T15:12+0900", "2024-07-18T15:12:00+09:00"},
        {"2024-07-18 14:03:27", "2024-07-18T14:03:27+09:00"},  // Korean local time
        {"2023-04-07T10:11:02.613Z", "2023-04-07T10:11:02+00:00"},
        {"2024.07.18", "2024-07-18"},
        {"2024-07-18", "2024-07-18"},
        {"18 July 2024", std::nullopt},
        {"2024-07-18T25", std::nullopt},
        {"", std::nullopt},
    }));
    INFO(in);
    CHECK(ex::iso_datetime(in) == out);
}

TEST_CASE("JSON-LD beats OpenGraph beats <title>", "[metadata]") {
    auto doc = gisa::extract::dom::document::parse(R"(<html><head>
        <title>제목 &amp; 부제 - 한국일보</title>
        <meta property="og:title" content="OG 제목">
        <meta property="og:site_name" content="한국일보">
        <meta property="article:published_time" content="2024-07-18T09:00:00+09:00">
        <script type="application/ld+json">[{"@type":"WebSite","name":"x"},
          {"@type":["NewsArticle"],"headline":"LD 제목","datePublished":"2024-07-18T10:00:00+09:00",
           "author":[{"name":"김철수"},{"name":"이영희"}],"publisher":{"name":"한국일보"}}]</script>
        </head><body><h1>H1 제목</h1></body></html>)");
    auto meta = ex::read_metadata(doc, "https://www.hankookilbo.com/a");
    CHECK(meta.title == "LD 제목");
    CHECK(meta.published_at == "2024-07-18T10:00:00+09:00");
    CHECK(meta.author == "김철수·이영희");
    CHECK(meta.publisher == "한국일보");
    CHECK(meta.is_article);
}

TEST_CASE("without metadata the title comes from title and then h1", "[metadata]") {
    auto with_title =
        gisa::extract::dom::document::parse("<title>긴 기사 제목 &amp; 부제 - 한국일보</title><h1>H1</h1>");
    CHECK(ex::read_metadata(with_title, "").title == "긴 기사 제목 & 부제");
    auto only_h1 = gisa::extract::dom::document::parse("<body><h1> 큰  제목 </h1>");
    CHECK(ex::read_metadata(only_h1, "").title == "큰 제목");
    auto broken_ld = gisa::extract::dom::document::parse(
        R"(<script type="application/ld+json">{"@type": "NewsArticle", </script><title>T</title>)");
    CHECK(ex::read_metadata(broken_ld, "").title == "T");
}

TEST_CASE("on a portal's page the publisher is the press", "[metadata]") {
    auto doc = gisa::extract::dom::document::parse(R"(<head>
        <meta property="og:site_name" content="네이버 뉴스">
        <meta property="og:article:author" content="머니투데이 | 네이버"></head>)");
    CHECK(ex::read_metadata(doc, "https://n.news.naver.com/article/008/1").publisher == "머니투데이");
    auto daum = gisa::extract::dom::document::parse(R"(<meta property="og:article:author" content="경향신문">)");
    CHECK(ex::read_metadata(daum, "https://v.daum.net/v/2024").publisher == "경향신문");
    CHECK_FALSE(ex::read_metadata(daum, "https://www.khan.co.kr/a").publisher.has_value());
}

TEST_CASE("dates in attributes are read when meta tags have none", "[metadata][dates]") {
    auto doc = gisa::extract::dom::document::parse(
        R"(<span class="date" data-date-time="2024-07-18 15:30:12">오후 3:30</span>)"
        R"(<span data-modify-date-time="2024-07-18 16:02:45">오후 4:02</span>)");
    auto meta = ex::read_metadata(doc, "");
    CHECK(meta.published_at == "2024-07-18T15:30:12+09:00");
    CHECK(meta.modified_at == "2024-07-18T16:02:45+09:00");
}
