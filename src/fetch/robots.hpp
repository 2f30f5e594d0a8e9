// robots.txt (RFC 9309): the rules of the group that names our agent, longest match wins, Crawl-delay.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gisa::fetch {

struct robots_rule {
    std::string pattern;  // path pattern with '*' wildcards and an optional trailing '$'
    bool allow = false;
};

class robots_rules {
  public:
    // Everything allowed: what a missing robots.txt (4xx) means.
    robots_rules() = default;

    // Parses a robots.txt and keeps the groups that apply to `agent` (a product token such
    // as "gisa", matched case-insensitively); the "*" groups when none names it.
    static robots_rules parse(std::string_view text, std::string_view agent);

    // Everything disallowed: what an unreachable robots.txt (5xx) means for a while.
    static robots_rules disallow_all();

    // Whether `path_and_query` ("/a/b?c=d") may be fetched. The longest matching pattern
    // wins; Allow wins a tie; no match allows. /robots.txt itself is always allowed.
    bool allowed(std::string_view path_and_query) const;

    std::optional<std::chrono::milliseconds> crawl_delay() const noexcept { return crawl_delay_; }
    const std::vector<robots_rule>& rules() const noexcept { return rules_; }

  private:
    std::vector<robots_rule> rules_;
    std::optional<std::chrono::milliseconds> crawl_delay_;
};

// Whether `path` matches a robots.txt pattern ('*' any run of characters, '$' the end).
bool robots_pattern_matches(std::string_view pattern, std::string_view path);

// The product token of a User-Agent: "gisa" from "gisa/0.1 (+https://...)".
std::string robots_agent_token(std::string_view user_agent);

}  // namespace gisa::fetch
