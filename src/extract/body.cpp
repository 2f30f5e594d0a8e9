// Stages "body" and "captions": classifying the segments of the article region (body.hpp).
#include "extract/body.hpp"

#include <algorithm>

#include "extract/byline.hpp"
#include "extract/dom_tag.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"
#include "text/normalize.hpp"

namespace gisa::extract {

namespace {

bool has_hangul(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (text::is_hangul_syllable_at(s, i)) return true;
    }
    return false;
}

bool is_inline_summary(dom::node owner, std::string_view names) {
    bool inline_tag = dom::has_tag(owner, GUMBO_TAG_STRONG) || dom::has_tag(owner, GUMBO_TAG_SPAN) ||
                      dom::has_tag(owner, GUMBO_TAG_B) || dom::has_tag(owner, GUMBO_TAG_EM);
    return inline_tag && has_substring(names, rules::summary_inline_substrings);
}

bool is_subtitle_owner(dom::node owner) {
    std::string names;
    for (dom::node n = owner; n != nullptr && dom::is_element(n); n = dom::parent(n)) {
        dom::class_and_id(n, names);
        if (names.size() > 1 && has_substring(names, rules::subtitle_substrings)) return true;
        if (n == owner && is_inline_summary(n, names)) return true;
        if (!dom::has_tag(n, GUMBO_TAG_SPAN) && !dom::has_tag(n, GUMBO_TAG_STRONG) && n != owner) break;
    }
    return false;
}

bool is_link_list(const segment& s) {
    return s.chars > 0 && s.link_chars * 100 > s.chars * static_cast<std::size_t>(rules::max_link_density_pct);
}

bool is_byline_line(const segment& s) {
    if (s.chars > rules::max_byline_line_chars) return false;
    auto b = find_byline(s.text);
    if (!b) return false;
    // "김철수 기자 = 본문 ..." is a dateline that opens a paragraph, kept with it.
    return dateline_length(s.text) == 0 || s.chars < rules::min_paragraph_chars;
}

// A short line with an e-mail and no sentence: "sunny@yna.co.kr", "◎공감언론 뉴시스 hokma@newsis.com".
bool is_contact_line(const segment& s) {
    return s.chars <= rules::max_contact_line_chars && find_email(s.text).has_value() &&
           count_sentence_endings(s.text) == 0;
}

}  // namespace

// "[스포츠조선 안소윤 기자] 본문" / "[OSEN=대전, 지형준 기자] 본문": a bracket that holds a byline.
std::size_t bracket_dateline_length(std::string_view text) {
    if (text.empty() || text[0] != '[') return 0;
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close > rules::max_dateline_bytes) return 0;
    std::string_view inside = text.substr(1, close - 1);
    if (!find_byline(inside) || !iends_with(find_byline(inside).value(), "기자")) return 0;
    // Only when the name ends the bracket: "[김철수 기자의 눈] ..." is a column's title.
    std::size_t end = close + 1;
    std::string_view before_close = inside.substr(0, inside.size());
    if (before_close.size() < std::string_view("기자").size() || !iends_with(before_close, "기자")) return 0;
    while (end < text.size() && text[end] == ' ')
        ++end;
    return end;
}

std::size_t dateline_length(std::string_view text) {
    if (std::size_t bracket = bracket_dateline_length(text)) return bracket;
    std::size_t eq = text.find(" = ");
    std::size_t eq_tight = text.find("= ");
    if (eq == std::string_view::npos) eq = eq_tight;
    if (eq == std::string_view::npos || eq > rules::max_dateline_bytes) return 0;
    if (!find_byline(text.substr(0, eq))) return 0;
    std::size_t end = eq + (text[eq] == ' ' ? 3 : 2);
    while (end < text.size() && text[end] == ' ')
        ++end;
    return end;
}

bool is_interface_line(std::string_view text) {
    return std::any_of(rules::interface_lines.begin(), rules::interface_lines.end(),
                       [&](std::string_view l) { return iequals(text, l); });
}

bool is_copyright_line(std::string_view text) {
    if (code_points(text) > rules::max_copyright_line_chars) return false;
    static const substring_set markers(rules::copyright_markers);
    return markers.contains(text);
}

namespace {

// Every word opens with '#' and says something: "#전세사기 #금융위".
bool is_hashtag_line(std::string_view text) {
    bool any = false;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = std::min(text.find(' ', at), text.size());
        std::string_view word = text.substr(at, end - at);
        if (!word.empty()) {
            if (word.size() < 2 || word[0] != '#') return false;
            any = true;
        }
        at = end + 1;
    }
    return any;
}

}  // namespace

bool is_tip_line(std::string_view text) {
    if (code_points(text) > rules::max_tip_line_chars) return false;
    static const substring_set phrases(rules::tip_line_phrases);
    return std::any_of(rules::tip_line_prefixes.begin(), rules::tip_line_prefixes.end(),
                       [&](std::string_view p) { return text.starts_with(p); }) ||
           phrases.contains(text) || is_hashtag_line(text);
}

void drop_sign_off(std::vector<std::string>& body, const std::optional<std::string>& byline) {
    if (body.empty() || !byline) return;
    std::string_view name = std::string_view(*byline).substr(0, byline->find(' '));
    const std::string& last = body.back();
    if (name.empty() || code_points(last) > rules::max_sign_off_chars) return;
    if (last.ends_with(std::string(name) + "입니다.")) body.pop_back();
}

bool starts_like_credit(std::string_view text) {
    return code_points(text) <= rules::max_caption_chars &&
           std::any_of(rules::caption_credit_prefixes.begin(), rules::caption_credit_prefixes.end(),
                       [&](std::string_view p) { return text.substr(0, p.size()) == p; });
}

bool looks_like_credit_caption(std::string_view text) {
    if (code_points(text) > rules::max_caption_chars) return false;
    if (starts_like_credit(text)) return true;
    return std::any_of(rules::caption_credit_markers.begin(), rules::caption_credit_markers.end(),
                       [&](std::string_view m) { return icontains(text, m); });
}

line_kind classify_line(const segment& s, const line_context& ctx) {
    if (!ctx.title.empty() && s.text == ctx.title) return line_kind::title;
    if (s.in_caption) return line_kind::caption;
    if (starts_like_credit(s.text)) return line_kind::caption;
    if (s.after_image && looks_like_credit_caption(s.text)) return line_kind::caption;
    if (is_interface_line(s.text)) return line_kind::interface;
    if (is_link_list(s)) return line_kind::link_list;
    if (is_copyright_line(s.text)) return line_kind::copyright;
    if (is_date_line(s.text)) return line_kind::dates;
    if (is_tip_line(s.text)) return line_kind::tip;
    if (is_byline_line(s)) return line_kind::byline;
    if (is_contact_line(s)) return line_kind::contact;
    return line_kind::paragraph;
}

dom::node article_scope(const segmented_page& page, const content_choice& choice) {
    if (choice.top == nullptr) return nullptr;
    dom::node article = dom::closest_ancestor(choice.top, [](dom::node n) {
        return dom::has_tag(n, GUMBO_TAG_ARTICLE) || iequals(dom::attr_or_empty(n, "itemprop"), "articleBody");
    });
    if (article != nullptr && page.elements.contains(article)) return article;
    dom::node up = dom::parent(choice.top);
    return page.elements.contains(up) ? up : choice.top;
}

std::optional<std::string> take_trailing_publisher(std::vector<std::string>& body, std::string_view site_name) {
    if (body.empty()) return std::nullopt;
    const std::string& last = body.back();
    bool names_site = !site_name.empty() && iequals(last, site_name);
    bool short_source = code_points(last) <= rules::max_publisher_line_chars && has_hangul(last) &&
                        count_sentence_endings(last) == 0 && last.find_first_of("0123456789.?!") == std::string::npos &&
                        last.find(' ') == std::string::npos;
    if (!names_site && !short_source) return std::nullopt;
    std::string publisher = last;
    body.pop_back();
    return publisher;
}

subtitle_lines find_subtitle_lines(const segmented_page& page, const content_choice& choice) {
    subtitle_lines out;
    for (std::size_t i = 0; i < page.segments.size(); ++i) {
        const segment& s = page.segments[i];
        const bool marked = !s.in_caption && is_subtitle_owner(s.owner);
        if (out.text && (!marked || s.owner != page.segments[out.end - 1].owner || i != out.end)) break;
        if (marked) {
            out.text = out.text ? *out.text + "\n" + s.text : s.text;
            if (out.end == 0) out.first = i;
            out.end = i + 1;
        } else if (in_choice(page, choice, i) && s.chars >= rules::min_paragraph_chars) {
            break;  // the article text began: a sub-headline stands above it
        }
    }
    return out;
}

std::optional<std::string> find_subtitle(const segmented_page& page, const content_choice& choice) {
    return find_subtitle_lines(page, choice).text;
}

void note_byline(const segment& s, article_text& out) {
    // A photo's caption names the photographer ("황기선 기자 = ..."), not the reporter.
    if (out.byline || s.in_caption || (s.after_image && looks_like_credit_caption(s.text))) return;
    if (s.chars <= rules::max_byline_line_chars) {
        out.byline = find_byline(s.text);
    } else if (std::size_t n = dateline_length(s.text)) {
        out.byline = find_byline(s.text.substr(0, n));
    }
}

article_text assemble_article(const segmented_page& page, const content_choice& choice, const line_context& ctx) {
    article_text out;
    dom::node scope = article_scope(page, choice);
    if (scope == nullptr) return out;
    const element_stats& range = page.elements.at(scope);
    const subtitle_lines subtitle = find_subtitle_lines(page, choice);
    out.subtitle = subtitle.text;
    std::size_t end = range.end_segment;
    if (!choice.continuation.empty()) end = std::max(end, choice.continuation.back() + 1);
    for (std::size_t i = range.first_segment; i < end && i < page.segments.size(); ++i) {
        const segment& s = page.segments[i];
        bool inside = in_choice(page, choice, i);
        note_byline(s, out);
        if (s.pruned || (i >= subtitle.first && i < subtitle.end)) continue;
        line_kind kind = classify_line(s, ctx);
        if (kind == line_kind::caption) {
            out.captions.push_back(s.text);
        } else if (kind == line_kind::contact && inside) {
            if (!out.contact_email) out.contact_email = find_email(s.text);
        } else if (kind == line_kind::paragraph && inside) {
            out.body.push_back(s.text.substr(dateline_length(s.text)));
        }
    }
    return out;
}

// A byline element that gives a name and an e-mail without a title: "조민정(jjung@edaily.co.kr)"
// in Naver's span.byline_s. Read as "조민정 jjung@edaily.co.kr".
std::optional<std::string> name_and_email_byline(const segment& s) {
    auto email = find_email(s.text);
    if (!email) return std::nullopt;
    std::string_view name = std::string_view(s.text).substr(0, s.text.find(*email));
    while (!name.empty() && (name.back() == '(' || name.back() == ' ' || name.back() == '<'))
        name.remove_suffix(1);
    constexpr std::size_t min_name_chars = 2;
    constexpr std::size_t max_name_chars = 4;
    std::size_t chars = code_points(name);
    if (chars < min_name_chars || chars > max_name_chars || !has_hangul(name) ||
        name.find(' ') != std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(name) + " " + *email;
}

bool in_byline_element(dom::node owner) {
    constexpr int max_levels = 3;
    int level = 0;
    std::string names;
    for (dom::node n = owner; n != nullptr && level < max_levels; n = dom::parent(n), ++level) {
        dom::class_and_id(n, names);
        if (icontains(names, "byline") || icontains(names, "reporter") || icontains(names, "writer")) return true;
    }
    return false;
}

std::optional<std::string> page_byline(const segmented_page& page) {
    for (const segment& s : page.segments) {
        if (s.chars > rules::max_byline_line_chars || s.link_chars > 0) continue;
        if (auto b = find_byline(s.text)) return b;
    }
    for (const segment& s : page.segments) {
        // An e-mail needs an '@': checked before the (dearer) walk up the owner's ancestors.
        if (s.chars > rules::max_contact_line_chars || s.text.find('@') == std::string::npos ||
            !in_byline_element(s.owner)) {
            continue;
        }
        if (auto b = name_and_email_byline(s)) return b;
    }
    return std::nullopt;
}

std::string complete_byline(std::string byline, const segmented_page& page, const std::optional<std::string>& contact) {
    if (byline.find('@') != std::string::npos) return byline;
    std::string names = byline.find("기자") != std::string::npos || byline.find("특파원") != std::string::npos
                            ? byline.substr(0, byline.find(' '))
                            : byline;
    constexpr std::size_t card_lines = 3;  // a reporter card: name, then e-mail on the next lines
    for (std::size_t i = 0; i < page.segments.size(); ++i) {
        const segment& s = page.segments[i];
        if (s.chars > rules::max_byline_line_chars || s.text.find(names) == std::string::npos) continue;
        for (std::size_t j = i; j < page.segments.size() && j < i + card_lines; ++j) {
            if (j > i && page.segments[j].chars > rules::max_contact_line_chars) break;
            if (auto email = find_email(page.segments[j].text)) return byline + " " + *email;
        }
    }
    return contact ? byline + " " + *contact : byline;
}

}  // namespace gisa::extract
