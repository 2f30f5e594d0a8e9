// node_index: the flat node -> number table of node_index.hpp.
#include "extract/node_index.hpp"

#include <cstdint>

namespace gisa::extract {

namespace {

constexpr std::size_t initial_slots = 256;
constexpr std::uint64_t fibonacci_multiplier = 0x9E3779B97F4A7C15ULL;
// Nodes are malloc-aligned: their low address bits say nothing.
constexpr unsigned ignored_address_bits = 4;

}  // namespace

std::size_t node_index::slot_of(dom::node n) const noexcept {
    const auto bits = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(n)) >> ignored_address_bits;
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = static_cast<std::size_t>(bits * fibonacci_multiplier) & mask;
    while (slots_[at].key != nullptr && slots_[at].key != n)
        at = (at + 1) & mask;
    return at;
}

void node_index::grow() {
    std::vector<slot> old(slots_.empty() ? initial_slots : slots_.size() * 2);
    old.swap(slots_);
    for (const slot& s : old) {
        if (s.key != nullptr) slots_[slot_of(s.key)] = s;
    }
}

node_index::added node_index::add(dom::node n) {
    // At most half full: probes stay short.
    if ((size_ + 1) * 2 > slots_.size()) grow();
    slot& s = slots_[slot_of(n)];
    if (s.key == n) return {s.number, false};
    s = slot{n, size_};
    return {size_++, true};
}

std::size_t node_index::find(dom::node n) const noexcept {
    if (slots_.empty() || n == nullptr) return npos;
    const slot& s = slots_[slot_of(n)];
    return s.key == n ? s.number : npos;
}

}  // namespace gisa::extract
