// The Gumbo arena of gumbo_arena.hpp.
#include "extract/gumbo_arena.hpp"

#include <cstdlib>

namespace gisa::extract::dom {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool every_block_from_malloc = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool every_block_from_malloc = true;
#else
constexpr bool every_block_from_malloc = false;
#endif
#else
constexpr bool every_block_from_malloc = false;
#endif

// The word before every block says what it is: its size class, or large_tag.
constexpr std::uint64_t large_tag = ~std::uint64_t{0};

}  // namespace

// A large block: [prev][next][tag = large_tag][the block...]
struct gumbo_arena::large_block {
    large_block* prev;
    large_block* next;
    std::uint64_t tag;
};

gumbo_arena::~gumbo_arena() {
    while (large_ != nullptr) {
        large_block* next = large_->next;
        std::free(large_);
        large_ = next;
    }
    for (void* chunk : chunks_)
        std::free(chunk);
}

bool gumbo_arena::pools_small_blocks() noexcept {
    return !every_block_from_malloc;
}

void* gumbo_arena::allocate(void* self, std::size_t size) noexcept {
    return static_cast<gumbo_arena*>(self)->take(size);
}

void gumbo_arena::deallocate(void* self, void* block) noexcept {
    if (block != nullptr) static_cast<gumbo_arena*>(self)->give(block);
}

void* gumbo_arena::take(std::size_t size) noexcept {
    if (size == 0) size = 1;  // as malloc: a block of its own
    if (every_block_from_malloc || size > max_small_block) return take_large(size);
    return take_small((size + granule - 1) / granule - 1);
}

void gumbo_arena::give(void* block) noexcept {
    auto* tag = static_cast<std::uint64_t*>(block) - 1;
    if (*tag == large_tag) {
        give_large(tag);
        return;
    }
    *static_cast<void**>(block) = free_[*tag];
    free_[*tag] = block;
}

void* gumbo_arena::take_small(std::size_t size_class) noexcept {
    if (void* block = free_[size_class]) {
        free_[size_class] = *static_cast<void**>(block);
        return block;
    }
    const std::size_t need = sizeof(std::uint64_t) + (size_class + 1) * granule;
    if (static_cast<std::size_t>(bump_end_ - bump_) < need) {
        void* chunk = std::malloc(chunk_bytes);
        if (chunk == nullptr) return nullptr;
        chunks_.push_back(chunk);
        bump_ = static_cast<char*>(chunk);
        bump_end_ = bump_ + chunk_bytes;
    }
    auto* tag = reinterpret_cast<std::uint64_t*>(bump_);
    *tag = size_class;
    bump_ += need;
    return tag + 1;
}

void* gumbo_arena::take_large(std::size_t size) noexcept {
    auto* block = static_cast<large_block*>(std::malloc(sizeof(large_block) + size));
    if (block == nullptr) return nullptr;
    block->prev = nullptr;
    block->next = large_;
    block->tag = large_tag;
    if (large_ != nullptr) large_->prev = block;
    large_ = block;
    return block + 1;
}

void gumbo_arena::give_large(std::uint64_t* tag) noexcept {
    auto* block = reinterpret_cast<large_block*>(reinterpret_cast<char*>(tag) - offsetof(large_block, tag));
    if (block->prev != nullptr) block->prev->next = block->next;
    if (block->next != nullptr) block->next->prev = block->prev;
    if (large_ == block) large_ = block->next;
    std::free(block);
}

}  // namespace gisa::extract::dom
