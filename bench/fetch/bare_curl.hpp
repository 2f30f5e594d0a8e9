// The fetch benchmark's floor: libcurl alone, with none of gisa around it.
#pragma once

#include <string>

namespace gisa::bench {

struct bare_figures {
    double seconds = 0;
    int ok = 0;
    int failed = 0;
    double cpu_us_per_page = 0;  // user + system time of the whole process over the run, per page

    double requests_per_s() const { return ok / seconds; }
};

// Fetches `pages` times `url` (with "?i=N" appended) with `concurrency` transfers in flight,
// split over `threads` threads, each its own multi handle driven through the socket-action API
// on a plain epoll descriptor, with reused easy handles. The request is the one gisa sends (its
// User-Agent line, Accept-Encoding "gzip, br"); nothing else runs: no scheduler, no event loop
// library, no header or body bookkeeping beyond counting bytes. A page counts as fetched when it
// is a 200 of `page_bytes` bytes. (A curl_multi_poll loop, measured first, reached only
// 0.31-0.39x wrk at 1,000 transfers: curl_multi_perform walks every handle each time.)
bare_figures run_bare_curl(const std::string& url, int pages, std::size_t page_bytes, int concurrency, int threads);

}  // namespace gisa::bench
