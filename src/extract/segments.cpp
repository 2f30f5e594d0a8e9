// Stages "prune boilerplate" and "paragraphs": the segment walk of segments.hpp.
#include "extract/segments.hpp"

#include <gumbo.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "extract/dom_tag.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {

namespace {

// `names` is dom::class_and_id(n), computed once per element by the caller.
bool has_content_hint(dom::node n, std::string_view names) {
    if (dom::has_tag(n, GUMBO_TAG_ARTICLE) || dom::has_tag(n, GUMBO_TAG_MAIN)) return true;
    if (iequals(dom::attr_or_empty(n, "itemprop"), "articleBody")) return true;
    // names is " " without class and id (most elements): no fragment can match.
    static const substring_set content(rules::content_substrings);
    return names.size() > 1 && content.contains(names);
}

// has_content_hint(n, dom::class_and_id(n)) without building the names: the fragments hold no
// space and match case-insensitively, so matching the class and the id apart is the same.
bool has_content_hint(dom::node n) {
    if (dom::has_tag(n, GUMBO_TAG_ARTICLE) || dom::has_tag(n, GUMBO_TAG_MAIN)) return true;
    if (iequals(dom::attr_or_empty(n, "itemprop"), "articleBody")) return true;
    static const substring_set content(rules::content_substrings);
    return content.contains(dom::attr_or_empty(n, "class")) || content.contains(dom::attr_or_empty(n, "id"));
}

prune_reason classify_region_named(dom::node n, std::string_view names) {
    if (dom::has_tag(n, GUMBO_TAG_BODY) || dom::has_tag(n, GUMBO_TAG_HTML)) return prune_reason::none;
    if (dom::is_boilerplate_region(n, names)) return prune_reason::boilerplate;
    if (has_content_hint(n, names)) return prune_reason::none;
    std::string_view role = dom::attr_or_empty(n, "role");
    bool by_tag = std::any_of(rules::non_article_tag_names.begin(), rules::non_article_tag_names.end(),
                              [&](std::string_view t) { return dom::has_tag(n, t); });
    bool by_role = std::any_of(rules::non_article_roles.begin(), rules::non_article_roles.end(),
                               [&](std::string_view r) { return iequals(role, r); });
    if (by_tag || by_role) return prune_reason::non_article;
    if (names.size() <= 1) return prune_reason::none;
    static const substring_set non_article(rules::non_article_substrings);
    if (non_article.contains(names) || has_name_token(names, rules::non_article_tokens)) {
        return prune_reason::non_article;
    }
    return prune_reason::none;
}

bool is_caption_element_named(dom::node n, std::string_view names) {
    if (dom::has_tag(n, GUMBO_TAG_FIGCAPTION)) return true;
    // A caption is small: <body class="f_caption_muted_videos_on ..."> is not one.
    if (dom::has_tag(n, GUMBO_TAG_BODY) || dom::has_tag(n, GUMBO_TAG_HTML) || dom::has_tag(n, GUMBO_TAG_MAIN) ||
        dom::has_tag(n, GUMBO_TAG_ARTICLE)) {
        return false;
    }
    constexpr std::size_t max_caption_nodes = 96;
    static const substring_set caption(rules::caption_substrings);
    return names.size() > 1 && caption.contains(names) && !dom::subtree_larger_than(n, max_caption_nodes) &&
           dom::visible_chars(n) <= rules::max_caption_chars;
}

// Per element: does an element strictly below it carry a content hint? Filled bottom-up, one
// subtree at a time and never twice, so that asking it for every region of a page costs one
// walk of the page rather than one walk per region (quadratic on nested regions).
class content_hint_cache {
  public:
    bool hint_below(dom::node n) {
        fill(n);
        return facts_[known_.find(n)].below;
    }

  private:
    struct facts {
        bool self = false;   // has_content_hint(n)
        bool below = false;  // some element strictly below n has one
    };

    bool known(dom::node n) const noexcept { return known_.find(n) != node_index::npos; }

    void fill(dom::node n) {
        if (known(n)) return;
        dom::walk(
            n, [&](dom::node c) { return dom::is_element(c) && !known(c); },
            [&](dom::node c) {
                if (!dom::is_element(c) || known(c)) return;
                facts f;
                f.self = has_content_hint(c);
                for (dom::node child : dom::children(c)) {
                    if (!dom::is_element(child)) continue;
                    const facts& cf = facts_[known_.find(child)];
                    if (cf.self || cf.below) {
                        f.below = true;
                        break;
                    }
                }
                known_.add(c);
                facts_.push_back(f);
            });
    }

    node_index known_;          // elements whose facts are known
    std::vector<facts> facts_;  // by known_'s numbers
};

int heading_level(dom::node n) {
    if (!dom::is_element(n)) return 0;
    switch (n->v.element.tag) {
        case GUMBO_TAG_H1:
            return 1;
        case GUMBO_TAG_H2:
            return 2;
        case GUMBO_TAG_H3:
            return 3;
        case GUMBO_TAG_H4:
            return 4;
        case GUMBO_TAG_H5:
            return 5;
        case GUMBO_TAG_H6:
            return 6;
        default:
            return 0;
    }
}

// What decides a photo box's shape, read in one walk that stops after max_nodes nodes.
struct box_shape {
    bool small = true;  // at most max_nodes nodes, n included
    bool image = false;
    bool heading = false;
    std::size_t paragraphs = 0;
};

box_shape shape_of(dom::node n, std::size_t max_nodes) {
    box_shape shape;
    std::size_t seen = 0;
    dom::walk(n, [&](dom::node c) {
        if (!shape.small) return false;
        if (++seen > max_nodes) {
            shape.small = false;
            return false;
        }
        if (dom::is_element(c)) {
            const GumboTag tag = c->v.element.tag;
            shape.image = shape.image || tag == GUMBO_TAG_IMG;
            shape.heading = shape.heading || heading_level(c) > 0;
            if (tag == GUMBO_TAG_P) ++shape.paragraphs;
        }
        return true;
    });
    return shape;
}

// True when the first text after the box's image follows a blank line (two or more <br>s):
// an editor that writes one <div> per paragraph puts the lead photo into the first paragraph's
// <div> ("<div><img><br><br>첫 문단...</div>", MTN); a caption sits right under its photo.
bool paragraph_after_photo(dom::node box) {
    bool image = false, decided = false, paragraph = false;
    int breaks = 0;
    dom::walk(box, [&](dom::node c) {
        if (decided) return false;
        if (dom::is_text(c)) {
            if (image && !normalize_whitespace(dom::text_of(c)).empty()) {
                paragraph = breaks >= 2;
                decided = true;
            }
            return false;
        }
        if (!dom::is_element(c)) return false;
        if (dom::has_tag(c, GUMBO_TAG_IMG)) {
            image = true;
            breaks = 0;
        } else if (dom::has_tag(c, GUMBO_TAG_BR) && image) {
            ++breaks;
        }
        return true;
    });
    return paragraph;
}

// A photo box: a table, figure or div holding an image and no more text than a caption
// (not a thumbnail link, not a paragraph of its own): its text is the photo's caption.
bool is_photo_box(dom::node n) {
    if (!dom::is_element(n)) return false;
    switch (n->v.element.tag) {
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_SPAN:
            break;
        default:
            return false;
    }
    // A photo box is small: this bound keeps the checks below from walking big subtrees for
    // every <div> of the page (quadratic on deep pages).
    constexpr std::size_t max_photo_box_nodes = 48;
    constexpr std::size_t max_photo_box_paragraphs = 1;
    const box_shape shape = shape_of(n, max_photo_box_nodes);
    // A headline beside a picture is a title block, not a caption.
    if (!shape.small || !shape.image || shape.heading || shape.paragraphs > max_photo_box_paragraphs) return false;
    if (paragraph_after_photo(n)) return false;
    std::size_t chars = dom::visible_chars(n);
    if (chars == 0 || chars > rules::max_caption_chars) return false;
    return dom::link_chars(n) * 2 < chars;
}

// A region that reads like an article is not boilerplate whatever its class says: class names
// describe styling as often as purpose (KBS's body is "detail-body font-size"). Comment
// widgets are never protected: comments are prose too.
// Prose is measured in paragraphs (<p> with few links) so that a wrapper holding both the
// article and its sidebar ("content-with-sidebar") still counts; or, for text written straight
// into a <div> between <br>s, as the region's text when it has few links.
bool holds_prose(dom::node n, std::string_view names) {
    static const substring_set discussion(rules::discussion_substrings);
    if (discussion.contains(names)) return false;
    std::size_t chars = dom::visible_chars(n);
    if (chars < rules::min_protected_prose_chars) return false;
    if (dom::link_chars(n) * 100 < chars * rules::max_protected_link_density_pct) return true;
    std::size_t prose = 0;
    dom::find_all(
        n, [](dom::node d) { return dom::has_tag(d, GUMBO_TAG_P); },
        [&](dom::node p) {
            std::size_t c = dom::visible_chars(p);
            if (c >= rules::min_paragraph_chars &&
                dom::link_chars(p) * 100 < c * rules::max_protected_link_density_pct) {
                prose += c;
            }
        });
    return prose >= rules::min_protected_prose_chars && prose * rules::min_prose_share_divisor >= chars;
}

// An <a> that leads to a page: javascript: and "#" hrefs are buttons, mailto: an address.
bool is_real_link(dom::node n) {
    if (!dom::has_tag(n, GUMBO_TAG_A)) return false;
    auto href = dom::attr(n, "href");
    if (!href) return false;
    std::string_view h = *href;
    while (!h.empty() && h.front() == ' ')
        h.remove_prefix(1);
    return !h.empty() && h.front() != '#' && !istarts_with(h, "javascript:") && !istarts_with(h, "mailto:");
}

constexpr std::size_t no_stats = static_cast<std::size_t>(-1);

// The walk's state: an explicit stack (deep pages must not recurse), the open segment.
class segmenter {
  public:
    explicit segmenter(segmented_page& out) : out_(out) {}

    void run(dom::node body) {
        page_chars_ = dom::visible_chars(body);
        enter(body);
        while (!stack_.empty()) {
            frame& top = stack_.back();
            if (top.next >= dom::child_count(top.n)) {
                leave();
                continue;
            }
            dom::node child = dom::child_at(top.n, top.next++);
            visit(child);
        }
        flush();
    }

  private:
    struct frame {
        dom::node n;
        std::size_t next = 0;
        bool pruned = false;
        bool caption = false;
        bool photo = false;  // inside a photo box (is_photo_box)
        bool link = false;
        int heading = 0;
        std::size_t stats = no_stats;  // n's index in out_.elements
    };

    void visit(dom::node n) {
        if (dom::is_text(n)) {
            append(dom::text_of(n));
        } else if (dom::is_element(n) && !dom::is_invisible(n)) {
            if (dom::has_tag(n, GUMBO_TAG_BR)) {
                caption_joins() ? append(" ") : flush();
            } else if (dom::has_tag(n, GUMBO_TAG_IMG) || dom::has_tag(n, "picture")) {
                flush();
                if (!current().pruned) image_seen_ = true;
            } else {
                enter(n);
            }
        }
    }

    const frame& current() const { return stack_.back(); }

    // Inside a photo box (an image and a caption's worth of text) a non-article class
    // ("img-info") is the caption's own box, kept.
    bool prunes(dom::node n, std::string_view names, bool in_photo_box) {
        const prune_reason reason = classify_region_named(n, names);
        if (reason == prune_reason::none || (in_photo_box && reason == prune_reason::non_article)) return false;
        return !hints_.hint_below(n) && !holds_prose(n, names);
    }

    // A region holding the headline and most of the page's text is the page itself
    // (rules::min_page_wrapper_share_pct); a comment list never is.
    bool wraps_page(dom::node n, std::string_view names) {
        constexpr std::size_t percent = 100;
        static const substring_set discussion(rules::discussion_substrings);
        const std::size_t limit = page_chars_ * rules::min_page_wrapper_share_pct / percent;
        if (page_chars_ == 0 || discussion.contains(names) || !dom::visible_chars_above(n, limit)) return false;
        if (dom::find_first(n, [](dom::node d) { return dom::has_tag(d, GUMBO_TAG_H1); }) == nullptr) return false;
        out_.page_wrappers.push_back(n);
        return true;
    }

    // Inside a caption, blocks only separate words: one caption element is one caption.
    bool caption_joins() const { return !stack_.empty() && current().caption; }

    void enter(dom::node n) {
        if (dom::is_block(n)) caption_joins() ? append(" ") : flush();
        frame f{n};
        if (!stack_.empty()) {
            const frame& up = stack_.back();
            f.pruned = up.pruned;
            f.caption = up.caption;
            f.photo = up.photo;
            f.link = up.link;
            f.heading = up.heading;
        }
        // A region is kept when it holds the article itself (a wrapper whose class says "header").
        dom::class_and_id(n, names_);
        const std::string_view names = names_;
        if (!f.pruned && prunes(n, names, f.photo)) f.pruned = !wraps_page(n, names);
        const bool photo_box = !f.pruned && is_photo_box(n);
        f.photo = f.photo || photo_box;
        f.caption = f.caption || is_caption_element_named(n, names) || photo_box;
        f.link = f.link || is_real_link(n);
        if (int h = heading_level(n)) f.heading = h;
        // Entering or leaving a pruned or caption region ends a segment, like a block would.
        if (!stack_.empty() && (f.pruned != current().pruned || f.caption != current().caption)) flush();
        f.stats = out_.elements.add(n);
        out_.elements[f.stats].first_segment = out_.segments.size();
        out_.elements[f.stats].pruned = f.pruned;
        out_.order.push_back(n);
        // The parent of n is the element below on the stack: the one whose children are visited.
        links_.push_back({f.stats, stack_.empty() ? no_stats : stack_.back().stats});
        stack_.push_back(f);
        if (dom::is_block(n)) owners_.push_back(f);
    }

    void leave() {
        const frame& f = stack_.back();
        dom::node n = f.n;
        bool boundary = stack_.size() < 2 || f.pruned != stack_[stack_.size() - 2].pruned ||
                        f.caption != stack_[stack_.size() - 2].caption;
        if (boundary || (dom::is_block(n) && !caption_joins())) flush();
        if (dom::is_block(n) && caption_joins()) append(" ");
        if (dom::is_block(n)) owners_.pop_back();
        out_.elements[f.stats].end_segment = out_.segments.size() + (pending_.empty() ? 0 : 1);
        stack_.pop_back();
    }

    void append(std::string_view text) {
        if (stack_.empty()) return;
        const frame& f = current();
        bool in_space = pending_.empty() || pending_.back() == ' ';
        std::size_t added = count_visible_code_points(text, in_space);
        if (added == 0 && pending_.empty()) return;
        if (pending_.empty()) {
            pending_owner_ = owners_.empty() ? f : owners_.back();
            pending_flags_ = f;
        }
        pending_ += text;
        if (f.link) pending_link_chars_ += added;
        pending_flags_.caption = pending_flags_.caption || f.caption;
    }

    void flush() {
        if (pending_.empty()) return;
        std::string text = normalize_whitespace(pending_);
        pending_.clear();
        std::size_t links = pending_link_chars_;
        pending_link_chars_ = 0;
        if (text.empty()) return;
        segment s;
        s.chars = code_points(text);
        s.text = std::move(text);
        s.owner = pending_owner_.n;
        segment_owners_.push_back(pending_owner_.stats);
        s.link_chars = std::min(links, s.chars);
        s.pruned = pending_flags_.pruned;
        s.in_caption = pending_flags_.caption;
        s.heading = pending_flags_.heading;
        s.after_image = image_seen_;
        image_seen_ = false;
        out_.segments.push_back(std::move(s));
    }

    segmented_page& out_;
    content_hint_cache hints_;
    std::string names_;  // class_and_id of the element being entered (one buffer, reused)
    std::vector<frame> stack_;
    std::vector<frame> owners_;  // open block elements
    std::string pending_;
    frame pending_owner_{nullptr};
    frame pending_flags_{nullptr};
    std::size_t pending_link_chars_ = 0;
    bool image_seen_ = false;
    std::size_t page_chars_ = 0;                              // visible code points of body
    std::vector<std::size_t> segment_owners_;                 // per segment: its owner's stats index
    std::vector<std::pair<std::size_t, std::size_t>> links_;  // per element, pre-order: (its, parent's)

  public:
    // Adds each unpruned segment to its owner, then each element to its parent (reverse
    // pre-order), through the indices kept by the walk rather than by hash lookups.
    void accumulate_stats() {
        for (std::size_t i = 0; i < out_.segments.size(); ++i) {
            const segment& s = out_.segments[i];
            if (s.pruned) continue;
            element_stats& owner = out_.elements[segment_owners_[i]];
            owner.chars += s.chars;
            owner.link_chars += s.link_chars;
        }
        for (auto it = links_.rbegin(); it != links_.rend(); ++it) {
            if (it->second == no_stats) continue;
            element_stats& up = out_.elements[it->second];
            const element_stats& own = out_.elements[it->first];
            up.chars += own.chars;
            up.link_chars += own.link_chars;
        }
    }
};

}  // namespace

// ---- element_table ----------------------------------------------------------------------

std::size_t element_table::add(dom::node n) {
    const node_index::added a = index_.add(n);
    if (a.fresh) stats_.emplace_back();
    return a.index;
}

const element_stats* element_table::find(dom::node n) const noexcept {
    const std::size_t i = index_.find(n);
    return i == node_index::npos ? nullptr : &stats_[i];
}

const element_stats& element_table::at(dom::node n) const {
    const element_stats* found = find(n);
    if (found == nullptr) throw std::out_of_range("element_table::at: no stats for this element");
    return *found;
}

// ---- public -------------------------------------------------------------------------------

prune_reason classify_region(dom::node n) {
    return classify_region_named(n, dom::class_and_id(n));
}

bool is_caption_element(dom::node n) {
    return is_caption_element_named(n, dom::class_and_id(n));
}

segmented_page segment_page(dom::node body) {
    segmented_page page;
    if (body == nullptr) return page;
    segmenter walker{page};
    walker.run(body);
    walker.accumulate_stats();
    return page;
}

}  // namespace gisa::extract
