// The memory of one parsed document: Gumbo allocates every node, attribute and string through
// the allocator in its options, and this arena serves them from large chunks.
//
// Why: a page is parsed into hundreds of thousands of small blocks, allocated once and freed
// together when the document goes. malloc and free for each were a fifth of the parse, and
// gumbo_destroy_output walks the whole tree again to free them one by one. Here a block comes
// from a bump pointer (or a free list of its size, when Gumbo frees one early, as it does for
// the buffers it outgrows), and the whole document is released by freeing its chunks.
// Blocks over max_small_block go to malloc, linked so that they are released too.
//
// Under AddressSanitizer every block goes to malloc, so that reads past a node stay visible.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gisa::extract::dom {

class gumbo_arena {
  public:
    gumbo_arena() = default;
    gumbo_arena(const gumbo_arena&) = delete;
    gumbo_arena& operator=(const gumbo_arena&) = delete;
    ~gumbo_arena();

    // The GumboOptions allocator and deallocator; `self` is the arena (GumboOptions::userdata).
    static void* allocate(void* self, std::size_t size) noexcept;
    static void deallocate(void* self, void* block) noexcept;

    // False under AddressSanitizer, where every block comes from malloc.
    static bool pools_small_blocks() noexcept;

    // Bytes of chunks taken from the system (large blocks not counted), for tests.
    std::size_t chunk_bytes_reserved() const noexcept { return chunks_.size() * chunk_bytes; }

  private:
    static constexpr std::size_t granule = 8;  // block sizes and alignment (Gumbo stores pointers)
    static constexpr std::size_t max_small_block = 512;
    static constexpr std::size_t class_count = max_small_block / granule;
    static constexpr std::size_t chunk_bytes = 256 * 1024;

    struct large_block;  // header of a block taken from malloc

    void* take(std::size_t size) noexcept;
    void give(void* block) noexcept;
    void* take_small(std::size_t size_class) noexcept;
    void* take_large(std::size_t size) noexcept;
    void give_large(std::uint64_t* tag) noexcept;

    std::vector<void*> chunks_;
    char* bump_ = nullptr;  // free space left in the newest chunk: [bump_, bump_end_)
    char* bump_end_ = nullptr;
    std::array<void*, class_count> free_{};  // per size class, a list threaded through the blocks
    large_block* large_ = nullptr;           // live large blocks, doubly linked
};

}  // namespace gisa::extract::dom
