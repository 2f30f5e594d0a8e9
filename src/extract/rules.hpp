// The extraction heuristics as data: pattern tables and named thresholds, grouped by pipeline stage.
//
// Every table says why it exists. Fragments are matched against class + " " + id, lower-cased.
// "substring" fragments are long enough to be safe anywhere ("comment" in "article-comments");
// "token" fragments are short and match only a whole word of a class/id split at non-letters
// ("ad" in "ad-slot" or "top_ad", never in "head" or "read").
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace gisa::extract::rules {

using namespace std::string_view_literals;

// ---- stage: metadata / title --------------------------------------------------------------

// Separators between a headline and the site name in <title> and og:title:
// " - 조선일보", " | YTN", " : 네이버 뉴스", " l KBS WORLD", " :: 한겨레", " – BBC".
// (" · " is not one: headlines use it between clauses, "26일 정상회담 · 27일 의회연설".)
inline constexpr std::array title_suffix_separators{" - "sv, " | "sv, " : "sv,  " l "sv, " :: "sv,
                                                    " – "sv, " — "sv, " ｜ "sv, " < "sv};
// A trailing part longer than this is part of the headline, not a site name.
inline constexpr std::size_t max_site_suffix_chars = 24;
// A site name before the headline ("오마이뉴스 - ...") is one word of at most this many characters.
inline constexpr std::size_t max_site_prefix_chars = 12;
// ... and the headline after it has at least this many words (a shorter rest reads as the
// site's name after the page's: "이벤트 | 한빛구 평생학습관"), or is a board's name.
inline constexpr std::size_t min_headline_words_after_prefix = 3;
// How the name of a board ends, in a <title> part: such a part is the page's, the other the
// site's, whichever comes first ("공지사항 | 한빛구 평생학습관", "뽐뿌 - 자유게시판").
inline constexpr std::array board_name_endings{
    "게시판"sv, "공지사항"sv, "자료실"sv, "갤러리"sv, "질문답변"sv, "묻고답하기"sv, "묻고 답하기"sv, "핫딜"sv,
    "q&a"sv,    "faq"sv,      "토론방"sv, "방명록"sv, "자유"sv,     "유머"sv,       "알림마당"sv,    "새소식"sv};
// How a sentence ends (a post's title after its board's name, never a site's name).
inline constexpr std::array title_sentence_endings{"?"sv, "!"sv, "."sv, "요"sv, "다"sv, "까"sv, "죠"sv, "…"sv};
// The headline left after cutting must keep at least this many characters ("폭염 경보 - 시험일보"
// is a headline of 5: short headlines lose the suffix too).
inline constexpr std::size_t min_title_chars_after_cut = 4;
// ... or this many when the part cut off is the site's name itself (og:site_name or the logo's):
// a board's name is often two characters ("핫딜 | 퀘이사존 QUASARZONE").
inline constexpr std::size_t min_title_chars_after_named_site = 2;
// The name on the link to the front page (the logo's text or alt) is the site's name when no
// og:site_name says it: at least this many characters, not a word that only says "home",
// without a trailing "로고".
inline constexpr std::size_t min_home_link_name_chars = 3;
inline constexpr std::array home_link_words{"홈"sv,          "home"sv,       "홈으로"sv, "처음으로"sv,
                                            "메인"sv,        "메인으로"sv,   "main"sv,   "홈페이지"sv,
                                            "메인 페이지"sv, "메인페이지"sv, "go home"sv};
inline constexpr std::array logo_alt_suffixes{" 로고"sv, " 로고 이미지"sv, " logo"sv, " 로고이미지"sv};

// Portals that re-publish press articles: on their pages the publisher is the press
// (og:article:author, twitter:creator), not the portal's og:site_name.
inline constexpr std::array portal_site_names{"네이버"sv, "naver"sv, "다음"sv, "daum"sv, "네이트"sv, "nate"sv, "zum"sv};

// Quotation marks a headline may open with ("\"왜 ... 싸우나\"... DJ 고향에서"); some sites drop
// them from og:title and JSON-LD, never from the <title> or <h1> (metadata.cpp choose_title).
inline constexpr std::array title_quotation_marks{"\""sv, "“"sv, "”"sv, "'"sv, "‘"sv, "’"sv};

// JSON-LD @type values that describe an article.
inline constexpr std::array article_ld_types{
    "NewsArticle"sv,        "Article"sv, "ReportageNewsArticle"sv, "AnalysisNewsArticle"sv, "BlogPosting"sv,
    "OpinionNewsArticle"sv, "WebPage"sv};

// ---- stage: prune boilerplate (regions whose links are not article links either) ---------

// Tags that hold site chrome. header/footer inside <article> are the article's own and stay.
// aside is not one: its related and most-read lists lead to articles (non_article_* below).
inline constexpr std::array boilerplate_tags{"nav"sv, "form"sv, "menu"sv, "header"sv, "footer"sv, "dialog"sv};
inline constexpr std::array boilerplate_roles{"navigation"sv, "banner"sv,  "contentinfo"sv, "search"sv,
                                              "menu"sv,       "menubar"sv, "dialog"sv};
// Menus, skip links, share/print/font-size bars, login/search boxes, ads, comment widgets, in
// English and in the romanised Korean that Korean CMSs use (gnb = global nav, lnb = local nav,
// snb = side nav, sns = share buttons, cmt/reply = comments, layer = pop-up layers, vod = video players; not "player":
// sports tables name rows so).
inline constexpr std::array boilerplate_substrings{
    "navigation"sv,  "navbar"sv,      "breadcrumb"sv,    "skipnav"sv,  "skip-nav"sv,    "skip_nav"sv,    "skiplink"sv,
    "skip-link"sv,   "skip_link"sv,   "accessibility"sv, "sitemap"sv,  "site-header"sv, "site_header"sv, "masthead"sv,
    "site-footer"sv, "site_footer"sv, "menu"sv,          "share"sv,    "social"sv,      "sharing"sv,     "login"sv,
    "signin"sv,      "search"sv,      "advert"sv,        "banner"sv,   "sponsor"sv,     "comment"sv,     "disqus"sv,
    "reply"sv,       "replies"sv,     "popup"sv,         "modal"sv,    "cookie"sv,      "gdpr"sv,        "consent"sv,
    "toolbar"sv,     "font_size"sv,   "font-size"sv,     "fontsize"sv, "text_size"sv,   "print"sv,       "pagination"sv,
    "paging"sv,      "dable"sv,       "taboola"sv,       "outbrain"sv, "subscribe"sv,   "newsletter"sv,  "paywall"sv,
    "scrolltop"sv,   "go_top"sv,      "btn_top"sv,
};
inline constexpr std::array boilerplate_tokens{
    "nav"sv,  "gnb"sv, "lnb"sv,  "snb"sv,   "tnb"sv,    "fnb"sv,     "header"sv,   "footer"sv, "ad"sv,
    "ads"sv,  "adv"sv, "advt"sv, "sns"sv,   "util"sv,   "utility"sv, "cmt"sv,      "skip"sv,   "gototop"sv,
    "foot"sv, "hd"sv,  "ft"sv,   "tools"sv, "widget"sv, "layer"sv,   "bookmark"sv, "vod"sv,
};

// A matched region with at least this much link-free prose is kept (segments.cpp holds_prose)...
inline constexpr std::size_t min_protected_prose_chars = 300;
inline constexpr std::size_t max_protected_link_density_pct = 10;
// ... or whose <p> paragraphs hold at least 1/this of its text (article + sidebar wrappers).
inline constexpr std::size_t min_prose_share_divisor = 3;
// ... or that holds the page's <h1> and at least this share of its visible text: it is the page's
// wrapper, not a piece of chrome (old layouts name the current menu on it: div#wrap.gnb-news-00).
inline constexpr std::size_t min_page_wrapper_share_pct = 50;
// ... unless it is a discussion: comments are prose too.
inline constexpr std::array discussion_substrings{"comment"sv, "reply"sv,      "replies"sv, "cmt"sv,
                                                  "disqus"sv,  "discussion"sv, "talk"sv,    "forum"sv};

// ---- stage: prune non-article blocks (body only; their links still count in links_out) ---

// Related and most-read lists, sidebars, reporter cards, tags, recommendation widgets, copyright boxes.
inline constexpr std::array non_article_tag_names{"aside"sv};
inline constexpr std::array non_article_roles{"complementary"sv};
inline constexpr std::array non_article_substrings{
    "sidebar"sv,    "side_bar"sv,   "side-bar"sv,   "related"sv,     "relation"sv,     "recommend"sv,    "popular"sv,
    "mostread"sv,   "most-read"sv,  "most_read"sv,  "most-viewed"sv, "ranking"sv,      "rank_"sv,        "reporter"sv,
    "journalist"sv, "author-bio"sv, "author_bio"sv, "copyright"sv,   "tag_list"sv,     "tags"sv,         "keyword"sv,
    "more_news"sv,  "more-news"sv,  "othernews"sv,  "other_news"sv,  "other-news"sv,   "hot_news"sv,     "hotnews"sv,
    "promo"sv,      "byline"sv,     "newsletter"sv, "read-more"sv,   "readmore"sv,     "also-read"sv,    "recirc"sv,
    "trending"sv,   "partner"sv,    "timestamp"sv,  "dateline"sv,    "article-info"sv, "article_info"sv, "reaction"sv,
    "emotion"sv,    "like_"sv,
};
inline constexpr std::array non_article_tokens{"aside"sv,  "side"sv,   "rank"sv,  "best"sv, "more"sv,
                                               "tag"sv,    "date"sv,   "info"sv,  "meta"sv, "byline"sv,
                                               "credit"sv, "writer"sv, "author"sv};

// Hints that a region is the article itself: these are never pruned, and score higher.
inline constexpr std::array content_substrings{
    "detail-body"sv,  "detail_body"sv, "newstext"sv,      "news_text"sv,     "art_body"sv,        "artbody"sv,
    "art_txt"sv,      "articlebody"sv, "article-body"sv,  "article_body"sv,  "articlecont"sv,     "article_cont"sv,
    "article-cont"sv, "news_body"sv,   "newsbody"sv,      "news_cnt"sv,      "newsct_article"sv,  "story-body"sv,
    "story_body"sv,   "storybody"sv,   "entry-content"sv, "post-content"sv,  "post_content"sv,    "article-text"sv,
    "article_txt"sv,  "article-txt"sv, "view_con"sv,      "view_cont"sv,     "cont_view"sv,       "read_body"sv,
    "text_area"sv,    "dic_area"sv,    "article_view"sv,  "articleview"sv,   "news_view"sv,       "newsview"sv,
    "body-text"sv,    "bodytext"sv,    "main-content"sv,  "story-content"sv, "article-content"sv, "article_content"sv,
};

// ---- stage: paragraphs (lines dropped from the body whatever region they sit in) ----------

// Skip links and interface labels: a paragraph equal to one of these is never article text.
inline constexpr std::array interface_lines{
    "메뉴 건너뛰기"sv,
    "본문 바로가기"sv,
    "주메뉴 바로가기"sv,
    "본문으로 바로가기"sv,
    "메인메뉴 바로가기"sv,
    "주요 메뉴 바로가기"sv,
    "skip to main content"sv,
    "skip to content"sv,
    "skip navigation"sv,
    "글자크기"sv,
    "글자 크기"sv,
    "인쇄"sv,
    "인쇄하기"sv,
    "공유"sv,
    "공유하기"sv,
    "스크랩"sv,
    "댓글"sv,
    "좋아요"sv,
    "구독"sv,
    "구독하기"sv,
    "기사 공유하기"sv,
    "advertisement"sv,
    "광고"sv,
    "관련기사"sv,
    "관련 기사"sv,
    "많이 본 뉴스"sv,
    "가장 많이 본 뉴스"sv,
    "url 복사"sv,
    "닫기"sv,
    "목록"sv,
    "top"sv,
    "맨위로"sv,
    "이전"sv,
    "다음"sv,
};
// Copyright lines: a short paragraph containing one of these is dropped (it is not text), and
// reuse notices ("전문 게재나 인터뷰 인용 보도 시, ... 밝혀주시기 바랍니다.").
inline constexpr std::array copyright_markers{
    "무단전재"sv,  "무단 전재"sv,           "재배포 금지"sv, "재배포금지"sv,   "ⓒ"sv,         "©"sv,
    "copyright"sv, "all rights reserved"sv, "저작권자"sv,    "인용 보도 시"sv, "전문 게재"sv, "<저작권자"sv,
};
inline constexpr std::size_t max_copyright_line_chars = 160;

// Broadcasters' tip lines under the story: a call for tips and the ways to send them, and the
// correction-request notice. They are the station's, not the story's text (issue #15), dropped
// like a copyright line: a short paragraph that opens with a prefix or holds a phrase. Lines of
// hashtags only ("#전세사기 #금융위") go too (body.cpp is_hashtag_line).
inline constexpr std::array tip_line_prefixes{"[카카오톡]"sv, "[전화]"sv,     "[메일]"sv,   "[이메일]"sv,
                                              "[제보]"sv,     "▷ 카카오톡"sv, "▷ 이메일"sv, "▷ 전화"sv};
inline constexpr std::array tip_line_phrases{"제보가 뉴스가 됩니다"sv, "기사문의 및 제보"sv, "보도를 청구하실 분은"sv,
                                             "반론·정정·추후 보도"sv};
inline constexpr std::size_t max_tip_line_chars = 160;
// A reporter's sign-off closing a broadcast story ("산업2부 유찬입니다.": the byline's name and
// "입니다.") is the byline line of television news; at most this long.
inline constexpr std::size_t max_sign_off_chars = 40;

// Dates lines ("입력 2024.07.18 09:12", "수정 ...", "기사입력 ...", "승인 ...").
inline constexpr std::array date_line_labels{"입력"sv, "수정"sv, "등록"sv, "기사입력"sv, "최종수정"sv, "업데이트"sv,
                                             "승인"sv, "발행"sv, "송고"sv, "게재"sv,     "작성"sv};
inline constexpr std::size_t max_date_line_chars = 80;

// ---- stage: main content scoring -------------------------------------------------------

// Tags whose own text makes them a paragraph candidate.
inline constexpr std::array paragraph_tags{"p"sv,   "pre"sv,     "td"sv,      "blockquote"sv, "li"sv,
                                           "div"sv, "section"sv, "article"sv, "dd"sv};
// Sentence endings: Korean polite and plain declaratives and English full stops.
// (English ". " is counted apart, only after ASCII, so that "다." is one ending, not two.)
inline constexpr std::array sentence_endings{"다."sv, "요."sv, "다”"sv, "다\""sv, "까?"sv, "죠."sv, "오."sv};
inline constexpr std::size_t min_paragraph_chars = 25;      // shorter text earns no score
inline constexpr std::size_t chars_per_length_point = 100;  // one point per this many chars
inline constexpr double max_length_points = 3.0;
inline constexpr double sentence_ending_points = 1.0;  // per sentence ending, capped:
inline constexpr double max_sentence_points = 3.0;
inline constexpr double content_hint_bonus = 25.0;  // content_substrings match
inline constexpr double article_tag_bonus = 10.0;   // <article>, itemprop=articleBody
inline constexpr double grandparent_share = 0.5;    // score passed two levels up
inline constexpr double sibling_min_share = 0.2;    // sibling joins at top * this
inline constexpr double sibling_min_score = 10.0;
inline constexpr int max_link_density_pct = 50;        // a paragraph above is a link list
inline constexpr int max_block_link_density_pct = 33;  // a block above this is dropped

// ---- stage: captions --------------------------------------------------------------------

// Caption classes (substring): caption, photo_caption, img_desc, wp-caption-text, ...
inline constexpr std::array caption_substrings{
    "caption"sv,  "img_desc"sv,   "photo_desc"sv,   "desc_photo"sv,   "img_txt"sv,   "photo_txt"sv,
    "imgtxt"sv,   "phototxt"sv,   "pic_desc"sv,     "photo_tit"sv,    "thumb_txt"sv, "image_desc"sv,
    "img-desc"sv, "figcaption"sv, "photo-credit"sv, "image-credit"sv, "img_cap"sv,   "photo_cap"sv,
};
// Credit lines that make a short paragraph a caption wherever it stands ("[사진 출처 : 연합뉴스]")...
inline constexpr std::array caption_credit_prefixes{"[사진"sv, "(사진"sv, "사진="sv, "▲"sv, "△"sv};
// ... and those that do right after an image ("... /연합뉴스", "... 인스타그램 캡처").
inline constexpr std::array caption_credit_markers{
    "[사진="sv, "(사진="sv,      "사진="sv,        "ⓒ"sv,   "/연합뉴스"sv, "/뉴스1"sv,  "/뉴시스"sv,  "캡처"sv,
    "제공"sv,   "/게티이미지"sv, "getty images"sv, "/ap"sv, "/afp"sv,      "/로이터"sv, "/reuters"sv, "/epa"sv};
inline constexpr std::size_t max_caption_chars = 300;

// ---- reading order: inline elements styled as blocks -------------------------------------

// Inline elements (strong, b, span, em) whose class (substring) sites style as a block: Naver's
// <strong class="media_end_summary">line<br>line</strong> is followed at once by the article text,
// with no <br>, and would glue its last line to the first paragraph.
// <span class="subhead"> opens a body container the same way.
inline constexpr std::array block_inline_class_substrings{"summary"sv,   "subtitle"sv, "sub_title"sv,
                                                          "sub-title"sv, "subhead"sv,  "sub_head"sv};

// ---- stage: subtitle -------------------------------------------------------------------

// Sub-headlines marked as such (부제): h2.subtitle, div.sub_title, p.article-subhead, ...
inline constexpr std::array subtitle_substrings{"subtitle"sv,   "sub_title"sv, "sub-title"sv,
                                                "subhead"sv,    "sub_head"sv,  "title_sub"sv,
                                                "standfirst"sv, "deck"sv,      "summary_title"sv};
// An inline element with a summary class above the article text (<strong class="summary_view">,
// Naver's strong.media_end_summary) is the sub-headline too: its lines (joined by <br>) go to
// "subtitle", joined by "\n", not into the body (issue #15).
inline constexpr std::array summary_inline_substrings{"summary"sv};

// ---- stage: byline, publisher -----------------------------------------------------------

// Titles written after a reporter's name (김철수 기자, 이영희 특파원).
inline constexpr std::array byline_titles{"기자"sv,     "특파원"sv,   "선임기자"sv, "객원기자"sv,
                                          "인턴기자"sv, "논설위원"sv, "전문기자"sv, "기상캐스터"sv};
inline constexpr std::size_t max_byline_line_chars = 80;
inline constexpr std::size_t max_contact_line_chars = 60;  // "◎공감언론 뉴시스 hokma@newsis.com"
inline constexpr std::size_t max_dateline_bytes = 120;  // "(서울=연합뉴스) 김철수 기자 = " opens a paragraph
inline constexpr std::size_t max_publisher_line_chars = 20;  // a trailing "조선비즈" line

// ---- stage: no article ------------------------------------------------------------------

// Less body text than this is not an article (a front page, a list, an error page) ...
inline constexpr std::size_t min_article_chars = 80;
// ... and without article metadata (og:type article, JSON-LD) the bar is higher.
inline constexpr std::size_t min_article_chars_without_metadata = 200;

}  // namespace gisa::extract::rules
