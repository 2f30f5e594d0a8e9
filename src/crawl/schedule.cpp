// When URLs are due again and what pages add to the frontier (schedule.hpp).
#include "crawl/schedule.hpp"

#include <algorithm>
#include <string>

#include "core/web_url.hpp"

namespace gisa::crawl {

namespace {

using store::url_kind;
using what = store::fetch_outcome::what;

bool is_list(url_kind kind) noexcept {
    return kind == url_kind::start || kind == url_kind::list || kind == url_kind::feed;
}

// failure_backoff doubled per earlier failure, capped.
std::chrono::seconds backoff(int earlier_failures, std::chrono::seconds first, std::chrono::seconds cap) {
    std::chrono::seconds wait = first;
    for (int i = 0; i < earlier_failures && wait < cap; ++i)
        wait *= 2;
    return std::min(wait, cap);
}

}  // namespace

std::optional<time_point> next_after_success(const store::claimed_url& url, const source_config& source,
                                             const crawl_options& options, time_point now) {
    if (is_list(url.kind)) return now + source.interval;
    const auto every = source.recheck_every.value_or(options.recheck_every);
    const auto window = source.recheck_for.value_or(options.recheck_for);
    if (now + every - url.first_claimed_at > window) return std::nullopt;
    return now + every;
}

store::fetch_outcome on_failure(const store::claimed_url& url, const core::error& error, long http_status,
                                const source_config& source, const crawl_options& options, time_point now) {
    store::fetch_outcome out;
    out.url = url.url;
    out.http_status = static_cast<int>(http_status);
    out.error = error.message;
    out.fetched_at = now;
    if (!error.retryable) {
        out.outcome = (http_status == 404 || http_status == 410) ? what::gone : what::failed;
        out.next_fetch_at = std::nullopt;
        // A source's own page that is refused or gone is still looked at again once an interval.
        if (is_list(url.kind)) {
            out.outcome = what::retry_later;
            out.next_fetch_at = now + source.interval;
        }
        return out;
    }
    const bool lists = is_list(url.kind);
    if (!lists && url.attempts + 1 >= options.max_failures) {
        out.outcome = what::failed;
        out.next_fetch_at = std::nullopt;
        return out;
    }
    const auto cap = lists ? std::min(options.max_backoff, source.interval) : options.max_backoff;
    auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(backoff(url.attempts, options.failure_backoff, cap));
    if (error.retry_after) wait = std::max(wait, *error.retry_after);
    out.outcome = what::retry_later;
    out.next_fetch_at = now + wait;
    return out;
}

std::vector<store::discovered_url> discover(const core::page_record& page, const store::claimed_url& url,
                                            const source_config& source) {
    std::vector<store::discovered_url> out;
    if (!is_list(url.kind)) return out;
    const auto add = [&](const std::string& link, url_kind kind, int list_page) {
        if (core::is_web_url(link) && link != page.url && link != page.final_url)
            out.push_back({link, url.source_id, kind, list_page});
    };
    if (source.follow_rows)
        for (const core::board_row& row : page.board.rows)
            add(row.url, url_kind::article, 0);
    if (!source.link_patterns.empty())
        for (const std::string& link : page.links_out)
            if (source.follows_link(link)) add(link, url_kind::article, 0);
    if (page.board.next_page && url.list_page + 1 < source.max_pages)
        add(*page.board.next_page, url_kind::list, url.list_page + 1);
    return out;
}

std::vector<store::discovered_url> discover(const feed_result& feed, const store::claimed_url& url) {
    std::vector<store::discovered_url> out;
    const url_kind kind = feed.kind == feed_kind::sitemap_index ? url_kind::feed : url_kind::article;
    out.reserve(feed.urls.size());
    for (const std::string& link : feed.urls)
        out.push_back({link, url.source_id, kind, 0});
    return out;
}

}  // namespace gisa::crawl
