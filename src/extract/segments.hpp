// Stages "prune boilerplate" and "paragraphs": one walk that cuts a page into text segments.
//
// A segment is the text between two block boundaries (a block element starting or ending, or
// a run of <br>s): what a reader sees as one paragraph. Segments inside boilerplate regions are
// kept but flagged, so later stages can still read a byline or a date from a reporter card.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "extract/dom.hpp"
#include "extract/node_index.hpp"

namespace gisa::extract {

struct segment {
    std::string text;            // whitespace-normalised, never empty
    dom::node owner = nullptr;   // the nearest block element holding the text
    std::size_t chars = 0;       // code points of text
    std::size_t link_chars = 0;  // code points inside <a href>
    bool pruned = false;         // inside a boilerplate or non-article region
    bool in_caption = false;     // inside figcaption / a caption-class element / a photo table
    bool after_image = false;    // an <img> came between the previous segment and this one
    int heading = 0;             // 1..6 inside <h1>..<h6>, else 0
};

// Per element: where its subtree sits in the walk, and what text it holds.
struct element_stats {
    std::size_t first_segment = 0;  // segments [first_segment, end_segment) lie inside
    std::size_t end_segment = 0;
    std::size_t chars = 0;       // unpruned segment code points inside
    std::size_t link_chars = 0;  // of which inside links
    bool pruned = false;
};

// element_stats by node, kept in a vector numbered by a node_index.
class element_table {
  public:
    // The stats of n, added (default) when n has none yet; returned by index, which stays valid
    // while later elements are added (a reference would not).
    std::size_t add(dom::node n);
    element_stats& operator[](std::size_t index) noexcept { return stats_[index]; }

    const element_stats* find(dom::node n) const noexcept;
    bool contains(dom::node n) const noexcept { return find(n) != nullptr; }
    // Throws std::out_of_range when n has no stats, like std::unordered_map::at.
    const element_stats& at(dom::node n) const;
    std::size_t size() const noexcept { return stats_.size(); }

  private:
    node_index index_;
    std::vector<element_stats> stats_;  // by index_'s numbers
};

struct segmented_page {
    std::vector<segment> segments;  // document order
    element_table elements;         // every visible element of body
    std::vector<dom::node> order;   // visible elements, pre-order
    // Regions whose class or tag reads as chrome but that wrap most of the page (rules::
    // min_page_wrapper_share_pct): kept, and their links are not boilerplate either.
    std::vector<dom::node> page_wrappers;
};

// Why an element is left out of the article body (none: it is not).
enum class prune_reason { none, boilerplate, non_article };
prune_reason classify_region(dom::node n);

// True for figcaption and caption-class elements (rules::caption_substrings).
bool is_caption_element(dom::node n);

// Walks body once: segments, per-element stats, pruning flags.
segmented_page segment_page(dom::node body);

}  // namespace gisa::extract
