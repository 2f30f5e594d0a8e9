// Unit tests of gumbo_arena: the memory Gumbo parses a document into.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "extract/dom.hpp"
#include "extract/gumbo_arena.hpp"

namespace dom = gisa::extract::dom;
using dom::gumbo_arena;

namespace {

void* take(gumbo_arena& arena, std::size_t size) {
    return gumbo_arena::allocate(&arena, size);
}

void give(gumbo_arena& arena, void* block) {
    gumbo_arena::deallocate(&arena, block);
}

}  // namespace

TEST_CASE("gumbo_arena hands out separate, aligned, writable blocks of every size", "[gumbo_arena]") {
    gumbo_arena arena;
    const std::vector<std::size_t> sizes{0, 1, 7, 8, 9, 24, 511, 512, 513, 4096, 300'000};
    struct held {
        unsigned char* p;
        std::size_t size;
        unsigned char mark;
    };
    std::vector<held> blocks;
    for (int round = 0; round < 200; ++round) {
        for (std::size_t size : sizes) {
            auto* p = static_cast<unsigned char*>(take(arena, size));
            REQUIRE(p != nullptr);
            CHECK(reinterpret_cast<std::uintptr_t>(p) % 8 == 0);
            const auto mark = static_cast<unsigned char>(blocks.size() * 31 + 7);
            std::memset(p, mark, size);
            blocks.push_back({p, size, mark});
        }
    }
    // Every block still holds what was written into it: none overlaps another.
    for (const held& b : blocks) {
        for (std::size_t i = 0; i < b.size; ++i) {
            if (b.p[i] != b.mark) FAIL("block of " << b.size << " bytes overwritten at byte " << i);
        }
    }
    // Some freed early (small and large), the rest with the arena.
    for (std::size_t i = 0; i < blocks.size(); i += 3)
        give(arena, blocks[i].p);
    give(arena, nullptr);  // as free(nullptr)
}

TEST_CASE("gumbo_arena reuses a freed block of the same size instead of growing", "[gumbo_arena]") {
    if (!gumbo_arena::pools_small_blocks()) {
        SUCCEED("this build (AddressSanitizer) takes every block from malloc");
        return;
    }
    gumbo_arena arena;
    void* first = take(arena, 20);
    give(arena, first);
    CHECK(take(arena, 24) == first);  // 20 and 24 bytes share a size class
    give(arena, first);
    const std::size_t reserved = arena.chunk_bytes_reserved();
    for (int i = 0; i < 100'000; ++i) {
        void* p = take(arena, 100);
        void* q = take(arena, 300);
        give(arena, p);
        give(arena, q);
    }
    CHECK(arena.chunk_bytes_reserved() == reserved);  // without reuse: 40 MB more
}

TEST_CASE("a parsed document keeps its tree through moves and frees it with its arena", "[gumbo_arena]") {
    std::string html = "<!DOCTYPE html><html><head><title>제목</title></head><body>";
    for (int i = 0; i < 3000; ++i)
        html += "<div class=\"row\" data-n=\"" + std::to_string(i) + "\"><p>본문 " + std::to_string(i) + "</p></div>";
    html += "</body></html>";
    auto doc = dom::document::parse(html);
    dom::document moved = std::move(doc);
    CHECK(doc.root() == nullptr);  // NOLINT(bugprone-use-after-move): a moved-from document is empty
    std::size_t paragraphs = 0;
    dom::walk(moved.root(), [&](dom::node n) {
        paragraphs += dom::has_tag(n, "p") ? 1 : 0;
        return true;
    });
    CHECK(paragraphs == 3000);
    CHECK(dom::text_content(moved.head()) == "제목");
    moved = dom::document::parse("<p>again</p>");  // the first tree goes with its arena
    CHECK(dom::text_content(moved.body()) == "again");
}
