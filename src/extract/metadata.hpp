// Stage "metadata": what the page says about itself in JSON-LD, OpenGraph, <meta> and <title>.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/dom.hpp"

namespace gisa::extract {

struct page_metadata {
    std::optional<std::string> title;         // best headline, site suffix removed, whitespace normalised
    std::optional<std::string> site_name;     // og:site_name, JSON-LD publisher name, application-name
    std::optional<std::string> publisher;     // site_name, or the press on a portal's page
    std::optional<std::string> author;        // JSON-LD author name(s) or meta author, as written
    std::optional<std::string> published_at;  // ISO 8601 (iso_datetime)
    std::optional<std::string> modified_at;
    std::optional<std::string> canonical_url;
    bool is_article = false;  // og:type article or a JSON-LD article type
};

// Reads head and body metadata: JSON-LD (NewsArticle first), og:*, article:*, <meta name>,
// itemprop, <title>; falls back to the first <h1> for the title. page_url tells a portal's page
// and the site's origin (a link to its front page names the site when og:site_name does not).
page_metadata read_metadata(const dom::document& doc, std::string_view page_url);

// "헤드라인 - 조선일보" -> "헤드라인". Cuts the last " - ", " | ", " : ", " l " ... part when it
// names the site, or (guess_short_suffix: for <title>, which carries one by convention) when
// it is short enough to be a site name (rules::max_site_suffix_chars); never leaves a
// headline under rules::min_title_chars_after_cut, or under min_title_chars_after_named_site
// when the part is site_name itself ("핫딜 - 에펨코리아"). Also cuts a leading "사이트명 : "
// (one word before a headline of several words).
std::string strip_site_suffix(std::string_view title, std::string_view site_name, bool guess_short_suffix);

// A machine date from metadata as the record writes it: "2024-07-18T15:12:00+09:00".
// Accepts ISO 8601 with or without seconds, fraction, "Z" or "+0900"; a date-time without
// an offset is Korean local time (+09:00); a bare date stays a date. nullopt otherwise.
std::optional<std::string> iso_datetime(std::string_view value);

}  // namespace gisa::extract
