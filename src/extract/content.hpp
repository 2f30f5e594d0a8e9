// Stage "main content": scores blocks by text length, commas, sentence endings and link density,
// and keeps the best subtree with its strong siblings (after Mozilla Readability's grabArticle).
#pragma once

#include <cstddef>
#include <vector>

#include "extract/segments.hpp"

namespace gisa::extract {

struct content_choice {
    dom::node top = nullptr;                // the best-scoring block; nullptr when nothing scored
    double top_score = 0;                   // its score after the link-density penalty
    std::vector<dom::node> roots;           // top and the siblings that join it, in document order
    std::vector<std::size_t> continuation;  // segments of prose right after the roots (sorted)
    // Per segment of the page: in_choice, computed once by choose_main_content (later stages
    // ask it for every segment; roots can be thousands of siblings). Empty: in_choice asks
    // roots and continuation directly.
    std::vector<bool> inside;
};

// Points one paragraph earns for the block holding it: nothing under
// rules::min_paragraph_chars, else 1 + commas + length points + sentence-ending points.
double segment_score(const segment& s);

// Sentence endings (다. 요. ...) in text: the Korean sign of running prose.
std::size_t count_sentence_endings(std::string_view text);

// The block that a segment's score goes to first: the owner itself when it is a container
// (div, section, article, td, ...), else the owner's parent (a <p> credits its parent).
dom::node scoring_container(dom::node owner);

content_choice choose_main_content(const segmented_page& page);

// True when segment i lies inside one of choice.roots.
bool in_choice(const segmented_page& page, const content_choice& choice, std::size_t i);

}  // namespace gisa::extract
