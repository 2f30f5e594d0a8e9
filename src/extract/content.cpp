// Stage "main content": block scoring and selection (content.hpp).
#include "extract/content.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "extract/dom_tag.hpp"
#include "extract/node_index.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {

namespace {

using namespace std::string_view_literals;

// Blocks that hold paragraphs rather than being one.
constexpr std::array container_tags{"div"sv,  "section"sv, "article"sv, "main"sv, "td"sv,
                                    "body"sv, "form"sv,    "center"sv,  "font"sv, "span"sv};

// Credit passed up the ancestors of a scoring container: itself, parent, grandparent.
constexpr std::array ancestor_shares{1.0, rules::grandparent_share, 1.0 / 6.0};

// Readability's start values: a div is likelier a container than a list item or a heading.
double tag_weight(dom::node n) {
    if (dom::has_tag(n, GUMBO_TAG_ARTICLE)) return rules::article_tag_bonus;
    if (dom::has_tag(n, GUMBO_TAG_DIV) || dom::has_tag(n, GUMBO_TAG_MAIN)) return 5;
    if (dom::has_tag(n, GUMBO_TAG_TD) || dom::has_tag(n, GUMBO_TAG_BLOCKQUOTE) || dom::has_tag(n, GUMBO_TAG_PRE))
        return 3;
    if (dom::has_tag(n, GUMBO_TAG_LI) || dom::has_tag(n, GUMBO_TAG_UL) || dom::has_tag(n, GUMBO_TAG_OL) ||
        dom::has_tag(n, GUMBO_TAG_DL) || dom::has_tag(n, GUMBO_TAG_FORM)) {
        return -3;
    }
    return 0;
}

double hint_weight(dom::node n) {
    if (iequals(dom::attr_or_empty(n, "itemprop"), "articleBody")) return rules::content_hint_bonus;
    std::string names = dom::class_and_id(n);
    static const substring_set content(rules::content_substrings);
    return names.size() > 1 && content.contains(names) ? rules::content_hint_bonus : 0;
}

double link_density(const element_stats& st) {
    return st.chars == 0 ? 0.0 : static_cast<double>(st.link_chars) / static_cast<double>(st.chars);
}

std::size_t count_commas(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = text.find(',', pos)) != std::string_view::npos; ++pos)
        ++n;
    for (std::size_t pos = 0; (pos = text.find("，", pos)) != std::string_view::npos; ++pos)
        ++n;
    return n;
}

// Raw scores by block, numbered in the order the blocks first earned points.
struct block_scores {
    node_index blocks;
    std::vector<dom::node> nodes;  // by blocks' numbers
    std::vector<double> raw;       // by blocks' numbers

    const double* find(dom::node n) const noexcept {
        const std::size_t i = blocks.find(n);
        return i == node_index::npos ? nullptr : &raw[i];
    }
};

block_scores raw_scores(const segmented_page& page) {
    block_scores scores;
    for (const segment& s : page.segments) {
        if (s.pruned || s.in_caption) continue;
        double points = segment_score(s);
        if (points <= 0) continue;
        dom::node at = scoring_container(s.owner);
        for (double share : ancestor_shares) {
            if (at == nullptr || !page.elements.contains(at)) break;
            const node_index::added a = scores.blocks.add(at);
            if (a.fresh) {
                scores.nodes.push_back(at);
                scores.raw.push_back(tag_weight(at) + hint_weight(at));
            }
            scores.raw[a.index] += points * share;
            at = dom::parent(at);
        }
    }
    return scores;
}

double final_score(const segmented_page& page, dom::node n, double raw) {
    const element_stats* st = page.elements.find(n);
    if (st == nullptr) return 0;
    return raw * (1.0 - link_density(*st));
}

// A sibling <p> joins on its own merits: long with few links, or short and ending a sentence.
bool paragraph_joins(const segmented_page& page, dom::node n) {
    constexpr std::size_t long_paragraph_chars = 80;
    constexpr double max_long_paragraph_link_density = 0.25;
    const element_stats* found = page.elements.find(n);
    if (found == nullptr || found->pruned || !dom::has_tag(n, GUMBO_TAG_P)) return false;
    const element_stats& st = *found;
    if (st.chars > long_paragraph_chars) return link_density(st) < max_long_paragraph_link_density;
    if (st.chars == 0 || st.link_chars > 0) return false;
    for (std::size_t i = st.first_segment; i < st.end_segment && i < page.segments.size(); ++i) {
        if (count_sentence_endings(page.segments[i].text) > 0) return true;
    }
    return false;
}

// A <p> of running prose: long enough, a sentence ending, few links.
bool is_prose_paragraph(const segment& s) {
    constexpr std::size_t max_prose_link_pct = 25;
    return dom::has_tag(s.owner, GUMBO_TAG_P) && s.chars >= rules::min_paragraph_chars &&
           count_sentence_endings(s.text) > 0 && s.link_chars * 100 < s.chars * max_prose_link_pct;
}

// Paragraphs that continue the article after the chosen blocks end: malformed markup closes the
// body's <div> early (an unclosed <span> before it) and leaves the last paragraphs outside.
// Pruned regions and captions in between are stepped over; anything else ends the run.
std::vector<std::size_t> following_prose(const segmented_page& page, const std::vector<dom::node>& roots) {
    std::vector<std::size_t> out;
    std::size_t end = 0;
    for (dom::node r : roots)
        end = std::max(end, page.elements.at(r).end_segment);
    for (std::size_t i = end; i < page.segments.size(); ++i) {
        const segment& s = page.segments[i];
        if (s.pruned || s.in_caption) continue;
        if (!is_prose_paragraph(s)) break;
        out.push_back(i);
    }
    return out;
}

// in_choice for every segment of the page, by marking each root's range once (a running
// count of the ranges open at each segment) rather than asking every root for every segment.
std::vector<bool> segments_inside(const segmented_page& page, const content_choice& choice) {
    const std::size_t n = page.segments.size();
    std::vector<std::ptrdiff_t> opened(n + 1, 0);
    for (dom::node r : choice.roots) {
        const element_stats& st = page.elements.at(r);
        const std::size_t first = std::min(st.first_segment, n);
        const std::size_t end = std::min(st.end_segment, n);
        if (first >= end) continue;
        ++opened[first];
        --opened[end];
    }
    std::vector<bool> inside(n, false);
    std::ptrdiff_t open = 0;
    for (std::size_t i = 0; i < n; ++i) {
        open += opened[i];
        inside[i] = open > 0;
    }
    for (std::size_t i : choice.continuation) {
        if (i < n) inside[i] = true;
    }
    return inside;
}

}  // namespace

std::size_t count_sentence_endings(std::string_view text) {
    std::size_t n = 0;
    for (std::string_view ending : rules::sentence_endings) {
        for (std::size_t pos = 0; (pos = text.find(ending, pos)) != std::string_view::npos; pos += ending.size())
            ++n;
    }
    // English prose: ".", "?" or "!" after an ASCII letter or digit, before a space or the end.
    for (std::size_t pos = 1; pos < text.size(); ++pos) {
        char c = text[pos];
        if (c != '.' && c != '?' && c != '!') continue;
        bool after_ascii = std::isalnum(static_cast<unsigned char>(text[pos - 1])) != 0;
        bool at_boundary = pos + 1 == text.size() || text[pos + 1] == ' ';
        if (after_ascii && at_boundary) ++n;
    }
    return n;
}

double segment_score(const segment& s) {
    if (s.chars < rules::min_paragraph_chars) return 0;
    double length_points =
        std::min(static_cast<double>(s.chars / rules::chars_per_length_point), rules::max_length_points);
    double sentence_points =
        std::min(static_cast<double>(count_sentence_endings(s.text)) * rules::sentence_ending_points,
                 rules::max_sentence_points);
    return 1.0 + static_cast<double>(count_commas(s.text)) + length_points + sentence_points;
}

dom::node scoring_container(dom::node owner) {
    bool container = std::any_of(container_tags.begin(), container_tags.end(),
                                 [&](std::string_view t) { return dom::has_tag(owner, t); });
    return container ? owner : dom::parent(owner);
}

content_choice choose_main_content(const segmented_page& page) {
    content_choice choice;
    const block_scores scores = raw_scores(page);
    for (std::size_t i = 0; i < scores.nodes.size(); ++i) {
        const dom::node n = scores.nodes[i];
        const double raw = scores.raw[i];
        double score = final_score(page, n, raw);
        bool better = score > choice.top_score ||
                      (score == choice.top_score && choice.top != nullptr &&
                       page.elements.at(n).first_segment < page.elements.at(choice.top).first_segment);
        if (better) {
            choice.top = n;
            choice.top_score = score;
        }
    }
    if (choice.top == nullptr) return choice;
    dom::node up = dom::parent(choice.top);
    if (up == nullptr || !page.elements.contains(up)) {
        choice.roots.push_back(choice.top);
        choice.inside = segments_inside(page, choice);
        return choice;
    }
    double threshold = std::max(rules::sibling_min_score, choice.top_score * rules::sibling_min_share);
    for (dom::node sibling : dom::children(up)) {
        if (sibling == choice.top) {
            choice.roots.push_back(sibling);
            continue;
        }
        const element_stats* st = page.elements.find(sibling);
        if (st == nullptr || st->pruned) continue;
        const double* raw = scores.find(sibling);
        double score = raw == nullptr ? 0 : final_score(page, sibling, *raw);
        if (score >= threshold || paragraph_joins(page, sibling)) choice.roots.push_back(sibling);
    }
    choice.continuation = following_prose(page, choice.roots);
    choice.inside = segments_inside(page, choice);
    return choice;
}

bool in_choice(const segmented_page& page, const content_choice& choice, std::size_t i) {
    if (i < choice.inside.size()) return choice.inside[i];
    if (std::binary_search(choice.continuation.begin(), choice.continuation.end(), i)) return true;
    return std::any_of(choice.roots.begin(), choice.roots.end(), [&](dom::node r) {
        const element_stats& st = page.elements.at(r);
        return i >= st.first_segment && i < st.end_segment;
    });
}

}  // namespace gisa::extract
