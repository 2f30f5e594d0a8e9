// Tag tests by Gumbo's enum, for the extraction code's hot paths: has_tag(n, GUMBO_TAG_DIV) is a
// compare where has_tag(n, "div") compares names. For src/extract/*.cpp only: it includes
// <gumbo.h>, which the rest of the project never sees (dom.hpp). Tags Gumbo does not know
// (GUMBO_TAG_UNKNOWN, e.g. <picture> in 0.10.1) must still be tested by name.
#pragma once

#include <gumbo.h>

#include "extract/dom.hpp"

namespace gisa::extract::dom {

inline bool has_tag(node n, GumboTag tag) noexcept {
    return n != nullptr && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) && n->v.element.tag == tag;
}

}  // namespace gisa::extract::dom
