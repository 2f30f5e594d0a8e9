// file:// URLs for local pages: read from disk, never through the network or a redirect.
#pragma once

#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"

namespace gisa::fetch {

// Reads a file: URL (host empty or "localhost"), up to limits.max_body_bytes. The result has
// status 0, final_url equal to url, and a Content-Type of text/html for .html/.htm files.
fetch_result fetch_file(const fetch_request& request, const transfer_limits& limits);

}  // namespace gisa::fetch
