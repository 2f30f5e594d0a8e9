// The extraction entry point: page bytes in, page record out. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/page_record.hpp"

namespace gisa::extract {

struct page_input {
    std::string_view bytes;        // the body as fetched, in any charset
    std::string url;               // the page's URL (final URL after redirects)
    std::string content_type;      // HTTP Content-Type header, if any
    std::string charset_override;  // --charset: beats every other source
    std::string fetched_at;        // ISO 8601; resolves "14:32" or "07-18" in boards; empty: now
};

struct extract_result {
    core::page_record record;  // always filled as far as it got (url, charset, notes)
    core::error error;         // code ok, or why the page was refused
};

// Runs the pipeline of docs/DESIGN.md in order. Never throws on bad input:
// a refused page comes back with error.code set and a note in the record.
extract_result extract_page(const page_input& input);

}  // namespace gisa::extract
