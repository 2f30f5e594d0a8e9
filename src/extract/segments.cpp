// Stages "prune boilerplate" and "paragraphs": the segment walk of segments.hpp.
#include "extract/segments.hpp"

#include <gumbo.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "extract/dom_tag.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"
#include "text/normalize.hpp"

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

// visible_chars: dom::visible_chars, or the same from subtree_facts.
bool is_caption_element_named(dom::node n, std::string_view names,
                              dom::function_ref<std::size_t(dom::node)> visible_chars) {
    if (dom::has_tag(n, GUMBO_TAG_FIGCAPTION)) return true;
    // A caption is small: <body class="f_caption_muted_videos_on ..."> is not one.
    if (dom::has_tag(n, GUMBO_TAG_BODY) || dom::has_tag(n, GUMBO_TAG_HTML) || dom::has_tag(n, GUMBO_TAG_MAIN) ||
        dom::has_tag(n, GUMBO_TAG_ARTICLE)) {
        return false;
    }
    constexpr std::size_t max_caption_nodes = 96;
    static const substring_set caption(rules::caption_substrings);
    return names.size() > 1 && caption.contains(names) && !dom::subtree_larger_than(n, max_caption_nodes) &&
           visible_chars(n) <= rules::max_caption_chars;
}

// A paragraph that holds_prose counts: long enough, with few links.
bool is_prose_paragraph(std::size_t chars, std::size_t links) {
    constexpr std::size_t percent = 100;
    return chars >= rules::min_paragraph_chars && links * percent < chars * rules::max_protected_link_density_pct;
}

// What the page's elements hold, counted for every element of body in one walk from the
// bottom up, so that asking it for every region considered for pruning (and for every <p>
// inside one) costs a lookup rather than a walk of the subtree (quadratic on nested regions):
// visible and link characters (dom::visible_chars, dom::link_chars), the characters of prose
// paragraphs (holds_prose) and content hints. Text inside invisible elements is not read (a
// page's scripts are much of its bytes): the elements there are answered by the dom walks.
class subtree_facts {
  public:
    explicit subtree_facts(dom::node body) { count(body); }

    std::size_t visible_chars(dom::node n) const {
        const facts* f = find(n);
        return f != nullptr && f->chars != unknown ? f->chars : dom::visible_chars(n);
    }
    std::size_t link_chars(dom::node n) const {
        const facts* f = find(n);
        return f != nullptr && f->links != unknown ? f->links : dom::link_chars(n);
    }
    // The characters of the paragraphs under n (n included) that holds_prose counts, or
    // nullopt when one of them is inside an invisible element.
    std::optional<std::size_t> prose_chars(dom::node n) const {
        const facts* f = find(n);
        if (f == nullptr || f->prose == unknown) return std::nullopt;
        return f->prose;
    }
    // Does an element strictly below n carry a content hint (has_content_hint)?
    bool hint_below(dom::node n) const {
        const facts* f = find(n);
        return f != nullptr ? f->hint_below : below_has_hint(n);
    }

  private:
    static constexpr std::size_t unknown = static_cast<std::size_t>(-1);

    struct facts {
        std::size_t chars = unknown;  // visible characters
        std::size_t links = unknown;  // link characters
        std::size_t prose = unknown;  // characters of prose paragraphs, n included
        bool hint = false;            // has_content_hint(n)
        bool hint_below = false;      // some element strictly below n has one
    };

    // Visible text as visible_code_point_count meets it, joined piece by piece: a space
    // between two pieces counts once, and only after a visible character.
    struct run {
        std::size_t count = 0;  // with in_space = true at the start
        bool visible = false;
        bool leading_space = false;
        bool trailing_space = false;

        void append(const run& next) {
            count += next.count + (visible && !trailing_space && next.leading_space ? 1 : 0);
            leading_space = visible ? leading_space : (leading_space || next.leading_space);
            trailing_space = next.visible ? next.trailing_space : (trailing_space || next.trailing_space);
            visible = visible || next.visible;
        }
        void append_space() { append(run{0, false, true, true}); }
        // What count_visible_chars returns: a trailing space is trimmed.
        std::size_t chars() const { return count - (visible && trailing_space ? 1 : 0); }
    };

    // One open element of the walk.
    struct frame {
        dom::node n;
        std::size_t next = 0;
        bool hidden = false;  // n or an ancestor is invisible: its text is not read
        bool block = false;   // dom::is_block(n)
        run text{};
        std::size_t links = 0;
        std::size_t prose = 0;  // unknown once a paragraph below is hidden
        bool hint_below = false;
    };

    const facts* find(dom::node n) const noexcept {
        const std::size_t i = index_.find(n);
        return i == node_index::npos ? nullptr : &facts_[i];
    }

    static bool below_has_hint(dom::node n) {
        return dom::find_first(n, [&](dom::node d) { return d != n && has_content_hint(d); }) != nullptr;
    }

    void open(dom::node n, bool hidden_above) {
        frame f{n};
        f.hidden = hidden_above || dom::is_invisible(n);
        f.block = !f.hidden && dom::is_block(n);
        if (f.block) f.text.append_space();
        stack_.push_back(f);
    }

    void count(dom::node body) {
        if (!dom::is_element(body)) return;
        open(body, false);
        while (!stack_.empty()) {
            frame& top = stack_.back();
            if (top.next < dom::child_count(top.n)) {
                dom::node c = dom::child_at(top.n, top.next++);
                if (dom::is_element(c)) {
                    open(c, top.hidden);
                } else if (dom::is_text(c) && !top.hidden) {
                    const text::visible_run piece = text::visible_run_of(dom::text_of(c));
                    top.text.append({piece.count, piece.visible, piece.leading_space, piece.trailing_space});
                }
                continue;
            }
            close();
        }
    }

    // The facts of the element on top of the stack, and what it adds to its parent.
    void close() {
        frame f = stack_.back();
        stack_.pop_back();
        const bool in_hidden = !stack_.empty() && stack_.back().hidden;
        facts done;
        done.hint = has_content_hint(f.n);
        done.hint_below = f.hint_below;
        if (!in_hidden) {
            if (f.block) f.text.append_space();
            const bool shown = !f.hidden;
            done.chars = shown ? f.text.chars() : 0;
            const bool link = dom::has_tag(f.n, GUMBO_TAG_A) && dom::attr(f.n, "href").has_value();
            done.links = !shown ? 0 : link ? done.chars : f.links;
        }
        done.prose = f.prose;
        if (dom::has_tag(f.n, GUMBO_TAG_P)) {
            if (done.chars == unknown) {
                done.prose = unknown;
            } else if (done.prose != unknown && is_prose_paragraph(done.chars, done.links)) {
                done.prose += done.chars;
            }
        }
        index_.add(f.n);
        facts_.push_back(done);
        if (stack_.empty()) return;
        frame& up = stack_.back();
        if (!f.hidden) up.text.append(f.text);
        if (done.links != unknown && !f.hidden) up.links += done.links;
        up.prose = up.prose == unknown || done.prose == unknown ? unknown : up.prose + done.prose;
        up.hint_below = up.hint_below || done.hint || done.hint_below;
    }

    std::vector<frame> stack_;
    node_index index_;          // the elements of body
    std::vector<facts> facts_;  // by index_'s numbers
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
bool is_photo_box(const subtree_facts& facts, dom::node n) {
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
    std::size_t chars = facts.visible_chars(n);
    if (chars == 0 || chars > rules::max_caption_chars) return false;
    return facts.link_chars(n) * 2 < chars;
}

// A region that reads like an article is not boilerplate whatever its class says: class names
// describe styling as often as purpose (KBS's body is "detail-body font-size"). Comment
// widgets are never protected: comments are prose too.
// Prose is measured in paragraphs (<p> with few links) so that a wrapper holding both the
// article and its sidebar ("content-with-sidebar") still counts; or, for text written straight
// into a <div> between <br>s, as the region's text when it has few links.
bool holds_prose(const subtree_facts& facts, dom::node n, std::string_view names) {
    static const substring_set discussion(rules::discussion_substrings);
    if (discussion.contains(names)) return false;
    std::size_t chars = facts.visible_chars(n);
    if (chars < rules::min_protected_prose_chars) return false;
    if (facts.link_chars(n) * 100 < chars * rules::max_protected_link_density_pct) return true;
    std::optional<std::size_t> prose = facts.prose_chars(n);
    if (!prose) {
        prose = 0;
        dom::find_all(
            n, [](dom::node d) { return dom::has_tag(d, GUMBO_TAG_P); },
            [&](dom::node p) {
                std::size_t c = facts.visible_chars(p);
                if (is_prose_paragraph(c, facts.link_chars(p))) *prose += c;
            });
    }
    return *prose >= rules::min_protected_prose_chars && *prose * rules::min_prose_share_divisor >= chars;
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
    segmenter(segmented_page& out, dom::node body) : out_(out), facts_(body) {}

    void run(dom::node body) {
        page_chars_ = facts_.visible_chars(body);
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
        return !facts_.hint_below(n) && !holds_prose(facts_, n, names);
    }

    // A region holding the headline and most of the page's text is the page itself
    // (rules::min_page_wrapper_share_pct); a comment list never is.
    bool wraps_page(dom::node n, std::string_view names) {
        constexpr std::size_t percent = 100;
        static const substring_set discussion(rules::discussion_substrings);
        const std::size_t limit = page_chars_ * rules::min_page_wrapper_share_pct / percent;
        if (page_chars_ == 0 || discussion.contains(names) || facts_.visible_chars(n) <= limit) return false;
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
        const bool photo_box = !f.pruned && is_photo_box(facts_, n);
        f.photo = f.photo || photo_box;
        f.caption = f.caption || photo_box ||
                    is_caption_element_named(n, names, [&](dom::node c) { return facts_.visible_chars(c); });
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
    subtree_facts facts_;
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
    return is_caption_element_named(n, dom::class_and_id(n), [](dom::node c) { return dom::visible_chars(c); });
}

segmented_page segment_page(dom::node body) {
    segmented_page page;
    if (body == nullptr) return page;
    segmenter walker{page, body};
    walker.run(body);
    walker.accumulate_stats();
    return page;
}

}  // namespace gisa::extract
