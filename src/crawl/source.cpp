// A source's follow_links patterns and its settings as JSON (source.hpp).
#include "crawl/source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gisa::crawl {

void source_config::compile() {
    link_patterns.clear();
    for (const std::string& pattern : follow_links)
        link_patterns.emplace_back(pattern, std::regex::ECMAScript | std::regex::optimize);
}

bool source_config::follows_link(const std::string& url) const {
    return std::any_of(link_patterns.begin(), link_patterns.end(),
                       [&](const std::regex& re) { return std::regex_search(url, re); });
}

std::string source_config::settings_json() const {
    nlohmann::ordered_json j;
    j["start_urls"] = start_urls;
    j["follow_rows"] = follow_rows;
    j["follow_links"] = follow_links;
    j["max_pages"] = max_pages;
    j["interval_s"] = interval.count();
    j["article_recheck_s"] = recheck_every ? nlohmann::ordered_json(recheck_every->count()) : nullptr;
    j["article_recheck_for_s"] = recheck_for ? nlohmann::ordered_json(recheck_for->count()) : nullptr;
    return j.dump();
}

}  // namespace gisa::crawl
