// Unit tests of the segment walk: paragraphs, pruning flags, captions, prose protection.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/rules.hpp"
#include "extract/segments.hpp"

namespace ex = gisa::extract;
namespace dom = gisa::extract::dom;

namespace {

struct walked {
    dom::document doc;
    ex::segmented_page page;
};

walked walk_html(const std::string& html) {
    auto doc = dom::document::parse(html);
    auto page = ex::segment_page(doc.body());
    return {std::move(doc), std::move(page)};
}

std::vector<std::string> texts(const ex::segmented_page& page, bool pruned) {
    std::vector<std::string> out;
    for (const auto& s : page.segments) {
        if (s.pruned == pruned) out.push_back(s.text);
    }
    return out;
}

}  // namespace

TEST_CASE("blocks and runs of <br> end paragraphs but inline elements do not", "[segments]") {
    auto w = walk_html("<div>첫 문단 <b>굵게</b> <a href='/x'>링크</a>.<br><br>둘째<br>셋째<p>넷째</p>다섯째</div>");
    CHECK(texts(w.page, false) == std::vector<std::string>{"첫 문단 굵게 링크.", "둘째", "셋째", "넷째", "다섯째"});
    CHECK(w.page.segments[0].link_chars == 2);
}

TEST_CASE("boilerplate and non-article regions are flagged and kept", "[segments]") {
    auto w = walk_html(
        "<p class='skip'><a href='#c'>본문 바로가기</a></p><nav>메뉴</nav>"
        "<div class='related-news'><a href='/1'>관련 기사 하나</a></div><p>본문</p>");
    CHECK(texts(w.page, true) == std::vector<std::string>{"본문 바로가기", "메뉴", "관련 기사 하나"});
    CHECK(texts(w.page, false) == std::vector<std::string>{"본문"});
}

TEST_CASE("a caption element is one caption with its blocks joined", "[segments][captions]") {
    auto w = walk_html(
        "<figure><img src='a.jpg'><figcaption><span>제목</span><p>설명 문장.</p></figcaption></figure><p>본문</p>");
    REQUIRE(w.page.segments.size() == 2);
    CHECK(w.page.segments[0].text == "제목 설명 문장.");
    CHECK(w.page.segments[0].in_caption);
    CHECK_FALSE(w.page.segments[1].in_caption);
}

TEST_CASE("a photo box holds an image and a caption-sized text", "[segments][captions]") {
    auto w = walk_html(
        "<div class='thumb'><img src='a.jpg'><p>[서울=뉴시스] 김근수 기자 = 시민들이 열차에 오르고 있다.</p></div>"
        "<div class='thumbs'><a href='/1'><img src='b.jpg'>다른 기사 제목</a></div>");
    REQUIRE(w.page.segments.size() == 2);
    CHECK(w.page.segments[0].in_caption);
    CHECK_FALSE(w.page.segments[1].in_caption);  // a thumbnail link is not a caption
}

TEST_CASE("a caption class on a large wrapper is not a caption", "[segments][captions]") {
    std::string prose(400, 'x');
    auto w = walk_html("<body class='f_caption_muted_videos_on'><p>" + prose + ".</p></body>");
    REQUIRE(w.page.segments.size() == 1);
    CHECK_FALSE(w.page.segments[0].in_caption);
}

TEST_CASE("segments after an image are marked", "[segments][captions]") {
    auto w = walk_html("<p>앞 문단</p><p><img src='a.jpg'></p><p>사진 설명 /연합뉴스</p><p>뒤 문단</p>");
    REQUIRE(w.page.segments.size() == 3);
    CHECK_FALSE(w.page.segments[0].after_image);
    CHECK(w.page.segments[1].after_image);
    CHECK_FALSE(w.page.segments[2].after_image);
}

TEST_CASE("a region of link-free prose is kept whatever its class says", "[segments]") {
    // KBS writes its article into <div class="detail-body font-size">: "font-size" names a
    // font-size bar elsewhere, so prose decides.
    using gisa::extract::rules::min_protected_prose_chars;
    auto body_of = [](std::size_t chars) {
        std::string text;
        while (text.size() < chars)
            text += "가";
        return "<div class='view font-size'>" + text.substr(0, chars) + "</div>";
    };
    auto [chars, pruned] = GENERATE(table<std::size_t, bool>({
        {3 * (min_protected_prose_chars - 1), true},  // bytes: 3 per syllable
        {3 * min_protected_prose_chars, false},
    }));
    auto w = walk_html(body_of(chars));
    REQUIRE(w.page.segments.size() == 1);
    CHECK(w.page.segments[0].pruned == pruned);
}

TEST_CASE("a chrome-named region that holds the headline and most of the page is its wrapper", "[segments]") {
    // Old layouts put the whole page in div#wrap.gnb-news-00 (the current menu's name): the
    // "gnb" token must not prune the page. The share is of the page's visible characters.
    using gisa::extract::rules::min_page_wrapper_share_pct;
    STATIC_REQUIRE(min_page_wrapper_share_pct == 50);
    auto [inside, heading, pruned] = GENERATE(table<std::size_t, bool, bool>({
        {51, true, false},  // 51 of 100 characters: more than half
        {50, true, true},   // half: not more
        {90, false, true},  // no <h1>: a big menu, not the page
    }));
    std::string page = "<div class='sub-wrap gnb-news-00'>" + std::string(heading ? "<h1>T</h1>" : "<p>T</p>") + "<p>" +
                       std::string(inside - 1, 'x') + "</p></div><p>" + std::string(100 - inside, 'y') + "</p>";
    auto w = walk_html(page);
    REQUIRE(w.page.segments.size() == 3);
    CHECK(w.page.segments[1].pruned == pruned);
    CHECK(w.page.page_wrappers.size() == (pruned ? 0U : 1U));
}

TEST_CASE("comments stay pruned however long", "[segments]") {
    std::string prose(2000, 'x');
    auto w = walk_html("<div class='comment_list'><p>" + prose + ".</p></div>");
    REQUIRE(w.page.segments.size() == 1);
    CHECK(w.page.segments[0].pruned);
}

TEST_CASE("element stats add up text and links per subtree", "[segments]") {
    auto w = walk_html("<div id='a'><p>12345</p><p><a href='/x'>67</a></p></div>");
    dom::node div = dom::find_first(w.doc.body(), [](dom::node n) { return dom::has_tag(n, "div"); });
    const auto& st = w.page.elements.at(div);
    CHECK(st.chars == 7);
    CHECK(st.link_chars == 2);
    CHECK(st.first_segment == 0);
    CHECK(st.end_segment == 2);
}
