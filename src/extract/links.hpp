// Links of a page: URL resolution against <base>, normalisation, and the links_out list.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page_record.hpp"

struct GumboInternalNode;
using GumboNode = GumboInternalNode;  // as <gumbo.h> names it

namespace gisa::extract {

// What board and link extraction need to know about the page beyond its DOM.
struct page_context {
    std::string page_url;    // the page's final URL ("" if unknown: relative links are then dropped)
    std::string base_url;    // <base href> resolved against page_url; equal to page_url without <base>
    std::string fetched_at;  // ISO 8601 with offset; resolves "14:32" and "07-18" in rows
    std::string page_date;   // the page's own date (ISO) if known; used when fetched_at is empty
};

// Fills base_url from the first <base href> of the document. Empty fetched_at and
// page_date leave the reference to the clock (now, Korean time) at resolution.
page_context make_page_context(const GumboNode* root, std::string_view page_url, std::string_view fetched_at,
                               std::string_view page_date = {});

// An href as the crawler should see it: resolved against base_url, scheme and host
// lower-cased, fragment removed, utm_* parameters dropped. nullopt for anything that is
// not http(s) (javascript:, mailto:, tel:, data:), for an empty or "#..." href, and for
// an href that does not parse.
std::optional<std::string> normalize_link(std::string_view href, std::string_view base_url);

// True for an element whose whole subtree holds no article links (nav, header, footer,
// menus, share bars, forms, ads, comments). Supplied by the pipeline's boilerplate rules.
using boilerplate_predicate = std::function<bool(const GumboNode*)>;

// The links_out list of record.md: board row URLs first (row order), then every other
// http(s) <a href> of the page in document order, skipping subtrees for which
// is_boilerplate is true and the board's own containers (header sort links, author
// links, pagination), normalised, deduplicated, without the page's own URL.
std::vector<std::string> collect_links(const GumboNode* root, const core::board_list& board,
                                       const std::vector<const GumboNode*>& board_containers, const page_context& ctx,
                                       const boilerplate_predicate& is_boilerplate);

}  // namespace gisa::extract
