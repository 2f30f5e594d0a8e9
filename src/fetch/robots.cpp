// robots.txt parsing and matching (RFC 9309).
#include "fetch/robots.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace gisa::fetch {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

struct line {
    std::string_view key;
    std::string_view value;
};

// "Disallow: /x # comment" -> {"Disallow", "/x"}; nullopt for blank and malformed lines.
std::optional<line> split_line(std::string_view raw) {
    if (const auto hash = raw.find('#'); hash != std::string_view::npos) raw = raw.substr(0, hash);
    const auto colon = raw.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return line{trim(raw.substr(0, colon)), trim(raw.substr(colon + 1))};
}

std::optional<std::chrono::milliseconds> parse_delay(std::string_view value) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{} || end == value.data() || !std::isfinite(seconds) || seconds < 0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<long long>(std::min(seconds, 86400.0) * 1000));
}

// One group as read: its agents, then its rules.
struct group {
    std::vector<std::string_view> agents;
    std::vector<robots_rule> rules;
    std::optional<std::chrono::milliseconds> crawl_delay;
};

std::vector<group> read_groups(std::string_view text) {
    std::vector<group> groups;
    bool in_rules = false;  // a user-agent line after rules starts a new group
    while (!text.empty()) {
        const auto eol = text.find_first_of("\r\n");
        const auto raw = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        const auto parsed = split_line(raw);
        if (!parsed) continue;
        if (iequals(parsed->key, "user-agent")) {
            if (groups.empty() || in_rules) groups.emplace_back();
            in_rules = false;
            groups.back().agents.push_back(parsed->value);
        } else if (!groups.empty() && (iequals(parsed->key, "allow") || iequals(parsed->key, "disallow"))) {
            in_rules = true;
            if (!parsed->value.empty())  // "Disallow:" with nothing allows everything: no rule
                groups.back().rules.push_back({std::string(parsed->value), iequals(parsed->key, "allow")});
        } else if (!groups.empty() && iequals(parsed->key, "crawl-delay")) {
            in_rules = true;
            groups.back().crawl_delay = parse_delay(parsed->value);
        }
    }
    return groups;
}

bool names_agent(const group& g, std::string_view agent) {
    return std::any_of(g.agents.begin(), g.agents.end(), [&](std::string_view a) { return iequals(a, agent); });
}

// Length of a pattern for "longest match wins": its characters, wildcards included.
std::size_t specificity(const robots_rule& rule) {
    return rule.pattern.size();
}

}  // namespace

bool robots_pattern_matches(std::string_view pattern, std::string_view path) {
    const bool anchored = !pattern.empty() && pattern.back() == '$';
    if (anchored) pattern.remove_suffix(1);
    // Greedy-with-backtracking wildcard match over prefixes; patterns are short.
    std::size_t p = 0, s = 0, star_p = std::string_view::npos, star_s = 0;
    while (true) {
        if (p == pattern.size()) {
            if (!anchored || s == path.size()) return true;
        } else if (pattern[p] == '*') {
            star_p = p++;
            star_s = s;
            continue;
        } else if (s < path.size() && pattern[p] == path[s]) {
            ++p;
            ++s;
            continue;
        }
        if (star_p == std::string_view::npos || star_s >= path.size()) return false;
        p = star_p + 1;
        s = ++star_s;
    }
}

robots_rules robots_rules::parse(std::string_view text, std::string_view agent) {
    const auto groups = read_groups(text);
    const auto named = std::any_of(groups.begin(), groups.end(), [&](const group& g) { return names_agent(g, agent); });
    robots_rules out;
    for (const auto& g : groups) {
        if (!(named ? names_agent(g, agent) : names_agent(g, "*"))) continue;  // groups for one agent combine
        out.rules_.insert(out.rules_.end(), g.rules.begin(), g.rules.end());
        if (g.crawl_delay)
            out.crawl_delay_ = std::max(out.crawl_delay_.value_or(std::chrono::milliseconds{0}), *g.crawl_delay);
    }
    return out;
}

robots_rules robots_rules::disallow_all() {
    robots_rules out;
    out.rules_.push_back({"/", false});
    return out;
}

bool robots_rules::allowed(std::string_view path_and_query) const {
    if (path_and_query == "/robots.txt") return true;
    const robots_rule* best = nullptr;
    for (const auto& rule : rules_) {
        if (!robots_pattern_matches(rule.pattern, path_and_query)) continue;
        if (best == nullptr || specificity(rule) > specificity(*best) ||
            (specificity(rule) == specificity(*best) && rule.allow))
            best = &rule;
    }
    return best == nullptr || best->allow;
}

std::string robots_agent_token(std::string_view user_agent) {
    const auto end = user_agent.find_first_of("/ ");
    return std::string(user_agent.substr(0, end));
}

}  // namespace gisa::fetch
