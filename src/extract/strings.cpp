// UTF-8 string helpers of the extraction stages (strings.hpp).
#include "extract/strings.hpp"

#include <string.h>  // memmem (GNU): glibc's is sublinear, unlike a byte loop

#include <algorithm>
#include <array>
#include <bitset>

#include "text/normalize.hpp"

namespace gisa::extract {

namespace {

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_ci(char x, char y) noexcept {
    return lower(x) == lower(y);
}

bool has_ascii_upper(std::string_view s) noexcept {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

constexpr std::size_t pair_hash_buckets = 1024;

std::size_t pair_hash(char a, char b) noexcept {
    constexpr std::size_t multiplier = 31;
    return (static_cast<unsigned char>(a) * multiplier + static_cast<unsigned char>(b)) % pair_hash_buckets;
}

// icontains(hay, needle) for a needle whose first byte is no ASCII letter (so matches only
// itself) and no longer than hay: candidates are found by memchr.
bool icontains_from_exact_first(std::string_view hay, std::string_view needle) noexcept {
    const std::size_t last_start = hay.size() - needle.size();
    for (std::size_t pos = hay.find(needle[0]); pos != std::string_view::npos && pos <= last_start;
         pos = hay.find(needle[0], pos + 1)) {
        std::size_t j = 1;
        while (j < needle.size() && same_ci(hay[pos + j], needle[j]))
            ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

bool has_ascii_letter(std::string_view s) noexcept {
    return std::any_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// icontains(hay, needle) for a needle without ASCII letters (Hangul, "©"): case folding
// changes nothing, so it is an exact search (Hangul text is full of a Hangul needle's first
// byte: a memchr per candidate was slow).
bool contains_exact(std::string_view hay, std::string_view needle) noexcept {
    return memmem(hay.data(), hay.size(), needle.data(), needle.size()) != nullptr;
}

// icontains(hay, needle) for a needle starting with an ASCII letter: candidates are found by
// memchr of both cases of that letter rather than by lowering every byte of hay.
bool icontains_letter_first(std::string_view hay, std::string_view needle, char lower_first) noexcept {
    const char upper_first = static_cast<char>(lower_first - 'a' + 'A');
    const std::size_t last_start = hay.size() - needle.size();
    std::size_t at_lower = hay.find(lower_first), at_upper = hay.find(upper_first);
    for (;;) {
        const std::size_t pos = std::min(at_lower, at_upper);
        if (pos == std::string_view::npos || pos > last_start) return false;
        std::size_t j = 1;
        while (j < needle.size() && same_ci(hay[pos + j], needle[j]))
            ++j;
        if (j == needle.size()) return true;
        if (pos == at_lower) {
            at_lower = hay.find(lower_first, pos + 1);
        } else {
            at_upper = hay.find(upper_first, pos + 1);
        }
    }
}

// icontains(hay, needle) for a hay without ASCII upper-case letters: a byte of hay equals its
// lower-case form, so only the needle needs lowering.
bool contains_in_lower(std::string_view hay, std::string_view needle) noexcept {
    if (needle.size() > hay.size()) return false;
    const char first = lower(needle[0]);
    const std::size_t last_start = hay.size() - needle.size();
    for (std::size_t pos = hay.find(first); pos != std::string_view::npos && pos <= last_start;
         pos = hay.find(first, pos + 1)) {
        std::size_t j = 1;
        while (j < needle.size() && hay[pos + j] == lower(needle[j]))
            ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

}  // namespace

std::string normalize_whitespace(std::string_view utf8) {
    return text::normalize_space(utf8);
}

std::size_t count_visible_code_points(std::string_view utf8, bool& in_space) {
    return text::visible_code_point_count(utf8, in_space);
}

std::size_t code_points(std::string_view utf8) noexcept {
    return text::code_point_count(utf8);
}

namespace {

void append_utf8(std::string& out, unsigned long cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The code point of a numeric reference body ("#34", "#x22"), or 0.
unsigned long numeric_reference(std::string_view body) {
    if (body.size() < 2 || body[0] != '#') return 0;
    bool hex = body[1] == 'x' || body[1] == 'X';
    std::string_view digits = body.substr(hex ? 2 : 1);
    constexpr std::size_t max_reference_digits = 7;
    if (digits.empty() || digits.size() > max_reference_digits) return 0;
    unsigned long cp = 0;
    for (char c : digits) {
        int v = (c >= '0' && c <= '9')          ? c - '0'
                : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                : -1;
        if (v < 0) return 0;
        cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
    }
    return cp;
}

}  // namespace

std::string decode_leftover_entities(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> named[] = {
        {"quot", "\""}, {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"apos", "'"}, {"nbsp", " "}};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::size_t semi = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
        constexpr std::size_t max_reference_bytes = 10;
        if (semi == std::string_view::npos || semi - i > max_reference_bytes) {
            out += text[i];
            continue;
        }
        std::string_view body = text.substr(i + 1, semi - i - 1);
        if (unsigned long cp = numeric_reference(body)) {
            append_utf8(out, cp);
            i = semi;
            continue;
        }
        auto it = std::find_if(std::begin(named), std::end(named), [&](const auto& e) { return e.first == body; });
        if (it == std::end(named)) {
            out += text[i];
            continue;
        }
        out += it->second;
        i = semi;
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_ci(a[i], b[i])) return false;
    }
    return true;
}

// Hand-written rather than std::search with a comparator: rule tables call this for every
// element of a page, and the generic search did not inline the comparison.
bool icontains(std::string_view hay, std::string_view needle) noexcept {
    if (needle.empty()) return true;
    if (needle.size() > hay.size()) return false;
    const char first = lower(needle[0]);
    if (first >= 'a' && first <= 'z') return icontains_letter_first(hay, needle, first);
    if (!has_ascii_letter(needle)) return contains_exact(hay, needle);
    // A first byte that is no ASCII letter ("©", Hangul) matches only itself: memchr finds it.
    return icontains_from_exact_first(hay, needle);
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string ascii_lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool has_name_token(std::string_view names, std::span<const std::string_view> tokens) noexcept {
    auto is_word_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    std::size_t i = 0;
    while (i < names.size()) {
        while (i < names.size() && !is_word_char(names[i]))
            ++i;
        std::size_t start = i;
        while (i < names.size() && is_word_char(names[i]))
            ++i;
        if (i == start) continue;
        std::string_view word = names.substr(start, i - start);
        if (std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return iequals(word, t); })) {
            return true;
        }
    }
    return false;
}

bool has_substring(std::string_view names, std::span<const std::string_view> fragments) noexcept {
    // Rule tables are matched against lower-cased names (class_and_id) for every element of a
    // page. Without upper-case letters in names, a fragment can only match where its lower-cased
    // first byte occurs: a table of the bytes present skips most fragments at once.
    if (has_ascii_upper(names)) {
        return std::any_of(fragments.begin(), fragments.end(), [&](std::string_view f) { return icontains(names, f); });
    }
    // Likewise for a fragment's first two bytes: the adjacent pairs present, hashed into a bit set.
    std::bitset<pair_hash_buckets> pairs;
    std::array<bool, 256> present{};
    for (std::size_t i = 0; i < names.size(); ++i) {
        present[static_cast<unsigned char>(names[i])] = true;
        if (i + 1 < names.size()) pairs.set(pair_hash(names[i], names[i + 1]));
    }
    return std::any_of(fragments.begin(), fragments.end(), [&](std::string_view f) {
        if (f.empty()) return true;
        if (!present[static_cast<unsigned char>(lower(f[0]))]) return false;
        if (f.size() >= 2 && !pairs.test(pair_hash(lower(f[0]), lower(f[1])))) return false;
        return contains_in_lower(names, f);
    });
}

substring_set::substring_set(std::span<const std::string_view> fragments) {
    // Classes: one per lower-cased byte the fragments use; an upper-case letter shares its
    // lower-case letter's class.
    for (std::string_view f : fragments) {
        has_empty_ = has_empty_ || f.empty();
        for (char c : f) {
            std::uint8_t& k = class_of_[static_cast<unsigned char>(lower(c))];
            if (k == 0) k = static_cast<std::uint8_t>(classes_++);
        }
    }
    for (char c = 'A'; c <= 'Z'; ++c)
        class_of_[static_cast<unsigned char>(c)] = class_of_[static_cast<unsigned char>(lower(c))];
    // The trie of the fragments, dense: go[s * classes_ + k] is the child, or none.
    constexpr state none = static_cast<state>(-1);
    std::vector<state> go(classes_, none);
    std::vector<bool> ends(1, false);
    for (std::string_view f : fragments) {
        if (f.empty()) continue;
        state s = 0;
        for (char c : f) {
            state& child = go[s * classes_ + class_of_[static_cast<unsigned char>(c)]];
            if (child == none) {
                child = static_cast<state>(ends.size());
                ends.push_back(false);
                go.resize(go.size() + classes_, none);
            }
            s = go[s * classes_ + class_of_[static_cast<unsigned char>(c)]];
        }
        ends[s] = true;
    }
    // Breadth first: a state's fallback (the longest proper suffix that is in the trie) is
    // done before the state, so a missing child becomes the fallback's transition, and a state
    // accepts when its fallback does.
    std::vector<state> fallback(ends.size(), 0);
    std::vector<state> queue;
    for (std::size_t k = 0; k < classes_; ++k) {
        state& child = go[k];
        if (child == none) {
            child = 0;
        } else {
            queue.push_back(child);
        }
    }
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const state s = queue[q];
        for (std::size_t k = 0; k < classes_; ++k) {
            state& child = go[s * classes_ + k];
            const state via_fallback = go[fallback[s] * classes_ + k];
            if (child == none) {
                child = via_fallback;
                continue;
            }
            fallback[child] = via_fallback;
            if (ends[via_fallback]) ends[child] = true;
            queue.push_back(child);
        }
    }
    next_.resize(go.size());
    for (std::size_t i = 0; i < go.size(); ++i)
        next_[i] = (go[i] * static_cast<state>(classes_)) << 1 | (ends[go[i]] ? accepting : 0);
}

bool substring_set::contains(std::string_view names) const noexcept {
    if (has_empty_) return true;
    state at = 0;  // the current state times classes_
    for (char c : names) {
        const state entry = next_[at + class_of_[static_cast<unsigned char>(c)]];
        if ((entry & accepting) != 0) return true;
        at = entry >> 1;
    }
    return false;
}

}  // namespace gisa::extract
