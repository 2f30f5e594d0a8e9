// Tells pages from other bodies (PDF, images, archives) by Content-Type and by the first bytes.
#pragma once

#include <cstddef>
#include <string_view>

#include "fetch/fetch_result.hpp"

namespace gisa::fetch {

// Enough bytes to see a magic number or a NUL byte of a binary file.
inline constexpr std::size_t sniff_bytes = 512;

// The kind of a body from its Content-Type (may be empty) and its first bytes (up to sniff_bytes).
// Magic numbers beat the header: servers label PDFs text/html often enough.
body_kind classify_body(std::string_view content_type, std::string_view first_bytes);

// "text/html" from "Text/HTML; charset=EUC-KR".
std::string_view media_type(std::string_view content_type);

}  // namespace gisa::fetch
