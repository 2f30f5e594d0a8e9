// The depth guard: a linear pre-scan of HTML that bounds nesting before Gumbo parses it.
//
// Gumbo 0.10.1's work grows with the square of nesting depth (100,000 nested <div>s,
// 1 MB: 27 s; 20,000 nested <table><tr><td>, 300 KB: 75 s and 12.5 GB). Real pages nest
// a few dozen elements deep. scan_depth estimates the depth of open elements the way an
// HTML parser would (void elements, comments, raw text, self-closing tags and the end
// tags that real pages leave out are allowed for), and flatten_depth drops the tags
// beyond a bound, keeping their text, so Gumbo always gets a bounded tree.
//
// Use:
//   const depth_scan scan = scan_depth(html);
//   if (scan.verdict == depth_verdict::refuse) -> refuse the page with scan.message
//   std::string flat;
//   std::string_view to_parse = html;
//   if (scan.needs_flatten()) { flat = flatten_depth(html); to_parse = flat; }
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gisa::extract {

// The deepest nesting of open elements handed to Gumbo. Real pages stay under ~60.
inline constexpr std::size_t max_open_depth = 400;
// The largest page (decoded UTF-8 text) that is parsed at all: 10 MiB.
inline constexpr std::size_t max_page_bytes = 10 * 1024 * 1024;
// The most elements (start tags) a page may have to be parsed. Parsing and extraction cost
// time and memory per element: 10 MiB of "<p>x" is 2.6 million elements, 7 s and 1.4 GB;
// a board table of 294,000 elements (9 MB) took 1.9 s of CPU in `gisa extract`. Real pages
// have a few thousand (the evaluation corpus at most 1,737); past this limit a page is
// refused, so that any page is extracted or refused within 2 s and 500 MB (bench/extract).
inline constexpr std::size_t max_page_elements = 250'000;
// Gumbo compares each attribute's name with every earlier one of its element, so an element
// of n attributes costs n(n-1)/2 compares: one <div> of 50,000 attributes (440 KB) took 9 s.
// The page's sum is bounded (about 0.2 s of compares here). Real elements have a dozen
// attributes or so; at 8 bytes an attribute, elements of up to 45 cannot reach the bound
// within max_page_bytes.
inline constexpr std::size_t max_attribute_pairs = 30'000'000;

enum class depth_verdict {
    ok,       // parse as is
    flatten,  // parse flatten_depth(html) instead
    refuse,   // too large to parse: see message
};

struct depth_scan {
    depth_verdict verdict = depth_verdict::ok;
    std::size_t max_depth = 0;        // the deepest nesting found (an estimate; 0 when refused unread)
    std::size_t attribute_pairs = 0;  // sum over elements of n(n-1)/2 for n attributes
    std::size_t start_tags = 0;       // start tags seen (counting stops past max_page_elements)
    std::string message;              // why, for flatten and refuse; empty for ok

    bool needs_flatten() const noexcept { return verdict == depth_verdict::flatten; }
};

// One pass over the text, linear in its size. Refuses text over max_page_bytes, with more
// than max_page_elements start tags, or over max_attribute_pairs.
depth_scan scan_depth(std::string_view html, std::size_t max_depth = max_open_depth);

// The same text with every start tag that would open an element deeper than max_depth
// dropped, and its end tag too; text, comments, raw text and void elements are kept. A
// dropped block-level tag leaves a newline so words on either side stay apart.
std::string flatten_depth(std::string_view html, std::size_t max_depth = max_open_depth);

}  // namespace gisa::extract
