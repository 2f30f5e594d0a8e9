// node_index: numbers the nodes of a parsed page 0, 1, 2, ... in the order they are added.
//
// Stages keep per-element facts in vectors indexed by these numbers. std::unordered_map
// allocated one heap node per element and its inserts and lookups showed in profiles of big
// pages; this is one flat open-addressing table of (node, number) pairs.
#pragma once

#include <cstddef>
#include <vector>

#include "extract/dom.hpp"

namespace gisa::extract {

class node_index {
  public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    // n's number, and whether n was added just now (numbered size() - 1) rather than before.
    struct added {
        std::size_t index;
        bool fresh;
    };
    added add(dom::node n);
    // n's number, or npos when n was never added.
    std::size_t find(dom::node n) const noexcept;
    std::size_t size() const noexcept { return size_; }

  private:
    std::size_t slot_of(dom::node n) const noexcept;  // n's slot, or the empty slot where it would go
    void grow();

    // A node and its number side by side: a lookup touches one cache line, not two (the table
    // of a big page is far larger than the caches).
    struct slot {
        dom::node key = nullptr;  // nullptr when empty
        std::size_t number = 0;
    };
    std::vector<slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace gisa::extract
