// Stage "script state": an article that a page ships only as JSON for its scripts to render.
//
// Arc XP sites (the Chosun Ilbo among them) send the article as `Fusion.globalContent = {...}`
// with "content_elements" (text, header, image with caption) and an empty <body>: a reader
// with a browser sees the article, so the record must hold it too. Used only when the markup
// itself yields no article.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/dom.hpp"

namespace gisa::extract {

struct script_article {
    std::vector<std::string> paragraphs;  // text and header elements, in order
    std::vector<std::string> captions;    // image captions
    std::optional<std::string> byline;    // credits.by, as a byline ("안소윤 기자")
};

// Markers of the script assignments this stage reads, e.g. "Fusion.globalContent=".
inline constexpr std::string_view fusion_content_marker = "Fusion.globalContent=";

// The end (one past the closing brace) of the JSON object starting at text[start] == '{',
// honouring strings and escapes; npos when it does not close.
std::size_t json_object_end(std::string_view text, std::size_t start) noexcept;

// Text of an element's HTML content: tags removed (<br> and block tags split paragraphs),
// character references decoded, whitespace normalised; empty parts dropped.
std::vector<std::string> html_fragment_paragraphs(std::string_view html);

// The article of the page's script state, or nullopt when there is none.
std::optional<script_article> read_script_article(const dom::document& doc);

}  // namespace gisa::extract
