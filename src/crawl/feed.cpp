// Placeholder until the feed reader lands (issue #13).
#include "crawl/feed.hpp"

namespace gisa::crawl {

std::string_view to_string(feed_kind kind) noexcept {
    switch (kind) {
        case feed_kind::rss: return "rss";
        case feed_kind::atom: return "atom";
        case feed_kind::sitemap: return "sitemap";
        case feed_kind::sitemap_index: return "sitemap_index";
    }
    return "rss";
}

bool looks_like_feed(std::string_view, std::string_view) { return false; }

feed_result read_feed(std::string_view, std::string_view, const std::string&) {
    feed_result r;
    r.error = {core::errc::not_implemented, "feeds are not read yet", false, std::nullopt};
    return r;
}

}  // namespace gisa::crawl
