// Stages "body" and "captions": which segments of the chosen content are article paragraphs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/content.hpp"

namespace gisa::extract {

// What a segment of the article region turns out to be.
enum class line_kind {
    paragraph,  // article text
    caption,    // a photo caption (goes to "captions")
    interface,  // skip link, menu label, share/print/font-size button text
    copyright,  // 무단전재 및 재배포 금지, ⓒ, Copyright
    dates,      // 입력/수정 line
    byline,     // the reporter line
    title,      // the headline repeated
    link_list,  // mostly link text: related articles, tags
    contact,    // a short line with the reporter's e-mail ("sunny@yna.co.kr")
    tip,        // a broadcaster's tip line, correction notice or hashtag line
};

struct line_context {
    std::string_view title;  // the page title, to drop its repetition
};

// Classifies one segment of the article region (record.md "body" and "captions").
line_kind classify_line(const segment& s, const line_context& ctx);

// Short paragraphs that are a photo credit ("... /연합뉴스", "[사진=...]", "... 캡처").
bool looks_like_credit_caption(std::string_view text);
// Paragraphs that are a caption wherever they stand: "[사진 출처 : 연합뉴스]", "▲ ...".
bool starts_like_credit(std::string_view text);
bool is_copyright_line(std::string_view text);
// "※ '당신의 제보가 뉴스가 됩니다'", "[카카오톡] ...", "#전세사기 #금융위", "...반론·정정·추후 보도를 청구하실
// 분은...".
bool is_tip_line(std::string_view text);
bool is_interface_line(std::string_view text);

struct article_text {
    std::vector<std::string> body;
    std::vector<std::string> captions;
    std::optional<std::string> byline;     // from a byline line of the article region
    std::optional<std::string> publisher;  // from a trailing source line ("조선비즈")
    std::optional<std::string> subtitle;
    std::optional<std::string> contact_email;  // from a contact line of the body
};

// Bytes of a dateline that opens a paragraph: "(서울=연합뉴스) 김철수 기자 = ", "[서울=뉴시스]이재훈 기자 = ";
// 0 when the text has none. The body keeps the text after it; the byline is read from it.
std::size_t dateline_length(std::string_view text);

// A sub-headline the page marks as such (h2.subtitle, h4.subheading, strong.summary_view, ...) above
// the article text: the lines of one element (split by <br>), joined by "\n", and the segments
// [first, end) they came from.
struct subtitle_lines {
    std::optional<std::string> text;
    std::size_t first = 0;
    std::size_t end = 0;
};
subtitle_lines find_subtitle_lines(const segmented_page& page, const content_choice& choice);
std::optional<std::string> find_subtitle(const segmented_page& page, const content_choice& choice);

// Records the first byline of the article region: a short byline line or a dateline.
void note_byline(const segment& s, article_text& out);

// The article region: the nearest ancestor of the chosen content that is the article as a
// whole (<article>, a content-hint block), else the chosen roots' parent. Captions and bylines
// are looked for there; paragraphs only inside the chosen roots.
dom::node article_scope(const segmented_page& page, const content_choice& choice);

article_text assemble_article(const segmented_page& page, const content_choice& choice, const line_context& ctx);

// Drops a last paragraph that signs the story off with the reporter's name: "산업2부 유찬입니다."
// for the byline "유찬 기자".
void drop_sign_off(std::vector<std::string>& body, const std::optional<std::string>& byline);

// A last paragraph that only names the source ("조선비즈"), moved to publisher.
std::optional<std::string> take_trailing_publisher(std::vector<std::string>& body, std::string_view site_name);

// The first short, link-free byline line anywhere on the page (a reporter card outside the
// article region).
std::optional<std::string> page_byline(const segmented_page& page);

// "김철수 기자" + the e-mail of a short line naming 김철수 anywhere on the page (a reporter card),
// else the body's contact e-mail; unchanged when it has one or none is found.
std::string complete_byline(std::string byline, const segmented_page& page, const std::optional<std::string>& contact);

}  // namespace gisa::extract
