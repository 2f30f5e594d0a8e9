// libFuzzer target: the text module and the depth guard, with their invariants checked.
//
// For any bytes: decode_html gives valid UTF-8; normalize_space is idempotent and leaves
// no doubled, leading or trailing space; a parsed date re-parses to itself; and the text
// the depth guard lets through (as is or flattened) gives Gumbo a tree no deeper than
// max_gumbo_depth. A broken invariant traps, so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "extract/depth_guard.hpp"
#include "extract/dom.hpp"
#include "text/charset.hpp"
#include "text/korean_date.hpp"
#include "text/normalize.hpp"

namespace {

// Gumbo's tree may be deeper than the guard's estimate (implied <tbody>, re-created
// formatting elements), but by a bounded factor.
constexpr std::size_t max_gumbo_depth = 2 * gisa::extract::max_open_depth + 16;
constexpr std::size_t board_cell_bytes = 40;

void require(bool ok) {
    if (!ok) __builtin_trap();
}

void check_normalize(std::string_view utf8) {
    const std::string once = gisa::text::normalize_space(utf8);
    require(gisa::text::is_valid_utf8(once));
    require(gisa::text::normalize_space(once) == once);
    require(once.find("  ") == std::string::npos);
    require(once.empty() || (once.front() != ' ' && once.back() != ' '));
    require(gisa::text::is_blank(utf8) == once.empty());
}

void check_dates(std::string_view utf8) {
    if (auto iso = gisa::text::parse_korean_datetime(utf8)) {
        require(gisa::text::parse_korean_datetime(*iso) == iso);
    }
    const std::string_view cell = utf8.substr(0, board_cell_bytes);
    if (auto iso = gisa::text::parse_board_date(cell, "2024-07-18T20:00:00+09:00")) {
        require(gisa::text::parse_korean_datetime(*iso) == iso);
    }
}

std::size_t gumbo_depth(std::string_view html) {
    const auto doc = gisa::extract::dom::document::parse(html);
    std::unordered_map<gisa::extract::dom::node, std::size_t> depth;
    std::size_t deepest = 0;
    gisa::extract::dom::walk(doc.root(), [&](gisa::extract::dom::node n) {
        const auto parent = depth.find(gisa::extract::dom::parent(n));
        const std::size_t d = parent == depth.end() ? 1 : parent->second + 1;
        depth[n] = d;
        if (d > deepest) deepest = d;
        return true;
    });
    return deepest;
}

void check_depth_guard(const std::string& utf8) {
    const auto scan = gisa::extract::scan_depth(utf8);
    if (scan.verdict == gisa::extract::depth_verdict::refuse) return;
    if (scan.verdict == gisa::extract::depth_verdict::ok) {
        require(gumbo_depth(utf8) <= max_gumbo_depth);
        return;
    }
    const std::string flat = gisa::extract::flatten_depth(utf8);
    require(gumbo_depth(flat) <= max_gumbo_depth);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string_view content_type = !bytes.empty() && bytes.front() == 'K' ? "text/html; charset=euc-kr" : "";
    const gisa::text::decoded_text decoded = gisa::text::decode_html(bytes, content_type);
    require(gisa::text::is_valid_utf8(decoded.utf8));
    require(decoded.replaced <= bytes.size());
    check_normalize(decoded.utf8);
    check_dates(decoded.utf8);
    check_depth_guard(decoded.utf8);
    return 0;
}
