// The depth guard: a linear pre-scan of HTML that bounds nesting before Gumbo parses it.
//
// The model follows the HTML tree builder (https://html.spec.whatwg.org/#tree-construction)
// only as far as depth is concerned, and errs towards counting too deep, never too
// shallow: a shallow estimate lets a hostile page through to Gumbo's quadratic paths,
// a deep one only flattens a page that is broken anyway. Every search down the stack
// is bounded (search_window), so one tag costs O(1) amortised and the scan is linear.
#include "extract/depth_guard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace gisa::extract {
namespace {

// How far down the stack of open elements implied end tags and end tags look. Past it
// a tag is taken as not closing anything, which only over-counts.
constexpr std::size_t search_window = 256;
// How far back the list of active formatting elements is searched.
constexpr std::size_t formatting_window = 64;
// Noah's Ark clause: at most this many identical formatting elements are remembered.
constexpr std::size_t noahs_ark_limit = 3;
// Formatting elements (<b>, <font>, ...) left open across a block end are re-created
// by the parser at the next text or inline tag. More re-creations than this flattens.
constexpr std::uint64_t max_reopened_elements = 100'000;
// Tag names longer than this are cut before interning (distinct enough for depth).
constexpr std::size_t max_tag_name_bytes = 32;
// Distinct tag names remembered; past it, unknown names share one id.
constexpr std::size_t max_interned_names = 4096;

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// --- tag classes (https://html.spec.whatwg.org/#parsing-main-inbody) ---

enum tag_flag : std::uint32_t {
    f_void = 1u << 0,         // never has content: no push
    f_raw = 1u << 1,          // raw text / RCDATA: content skipped to its end tag
    f_special = 1u << 2,      // the spec's "special" category (block-ish)
    f_formatting = 1u << 3,   // in the list of active formatting elements
    f_closes_p = 1u << 4,     // its start tag closes an open <p>
    f_marker = 1u << 5,       // pushes a marker on the formatting list
    f_scope = 1u << 6,        // bounds "has an element in scope"
    f_table_scope = 1u << 7,  // bounds "in table scope"
    f_foreign = 1u << 8,      // <svg>, <math>: self-closing tags are honoured inside
    f_heading = 1u << 9,
    f_list_scope = 1u << 10,  // <ol>, <ul> also bound list-item scope
    f_plaintext = 1u << 11,   // everything after it is text
    f_single = 1u << 12,      // <html>, <head>, <body>: a second start tag opens nothing
    f_table_part = 1u << 13,  // its end tag looks for it in table scope
};

struct known_tag {
    std::string_view name;
    std::uint32_t flags;
};

// clang-format off
constexpr std::array known_tags = {
    // void elements
    known_tag{"area", f_void | f_special}, known_tag{"base", f_void | f_special},
    known_tag{"basefont", f_void | f_special}, known_tag{"bgsound", f_void | f_special},
    known_tag{"br", f_void | f_special}, known_tag{"col", f_void | f_special},
    known_tag{"embed", f_void | f_special}, known_tag{"frame", f_void | f_special},
    known_tag{"hr", f_void | f_special | f_closes_p}, known_tag{"img", f_void | f_special},
    known_tag{"image", f_void | f_special}, known_tag{"input", f_void | f_special},
    known_tag{"keygen", f_void | f_special}, known_tag{"link", f_void | f_special},
    known_tag{"meta", f_void | f_special}, known_tag{"param", f_void | f_special},
    known_tag{"source", f_void | f_special}, known_tag{"track", f_void | f_special},
    known_tag{"wbr", f_void | f_special},
    // raw text and RCDATA
    known_tag{"script", f_raw | f_special}, known_tag{"style", f_raw | f_special},
    known_tag{"textarea", f_raw | f_special}, known_tag{"title", f_raw | f_special},
    known_tag{"xmp", f_raw | f_special | f_closes_p}, known_tag{"iframe", f_raw | f_special},
    known_tag{"noembed", f_raw | f_special}, known_tag{"noframes", f_raw | f_special},
    known_tag{"plaintext", f_plaintext | f_special | f_closes_p},
    // blocks that close an open <p>
    known_tag{"address", f_special | f_closes_p}, known_tag{"article", f_special | f_closes_p},
    known_tag{"aside", f_special | f_closes_p}, known_tag{"blockquote", f_special | f_closes_p},
    known_tag{"center", f_special | f_closes_p}, known_tag{"details", f_special | f_closes_p},
    known_tag{"dialog", f_special | f_closes_p}, known_tag{"dir", f_special | f_closes_p},
    known_tag{"div", f_special | f_closes_p}, known_tag{"dl", f_special | f_closes_p},
    known_tag{"fieldset", f_special | f_closes_p}, known_tag{"figcaption", f_special | f_closes_p},
    known_tag{"figure", f_special | f_closes_p}, known_tag{"footer", f_special | f_closes_p},
    known_tag{"header", f_special | f_closes_p}, known_tag{"hgroup", f_special | f_closes_p},
    known_tag{"main", f_special | f_closes_p}, known_tag{"menu", f_special | f_closes_p},
    known_tag{"nav", f_special | f_closes_p}, known_tag{"ol", f_special | f_closes_p | f_list_scope},
    known_tag{"ul", f_special | f_closes_p | f_list_scope}, known_tag{"p", f_special | f_closes_p},
    known_tag{"search", f_special | f_closes_p}, known_tag{"section", f_special | f_closes_p},
    known_tag{"summary", f_special | f_closes_p}, known_tag{"pre", f_special | f_closes_p},
    known_tag{"listing", f_special | f_closes_p}, known_tag{"form", f_special | f_closes_p},
    known_tag{"li", f_special | f_closes_p}, known_tag{"dd", f_special | f_closes_p},
    known_tag{"dt", f_special | f_closes_p},
    known_tag{"h1", f_special | f_closes_p | f_heading}, known_tag{"h2", f_special | f_closes_p | f_heading},
    known_tag{"h3", f_special | f_closes_p | f_heading}, known_tag{"h4", f_special | f_closes_p | f_heading},
    known_tag{"h5", f_special | f_closes_p | f_heading}, known_tag{"h6", f_special | f_closes_p | f_heading},
    known_tag{"table", f_special | f_closes_p | f_scope | f_table_scope | f_table_part},
    // tables and other scope boundaries
    known_tag{"tbody", f_special | f_table_part}, known_tag{"thead", f_special | f_table_part},
    known_tag{"tfoot", f_special | f_table_part}, known_tag{"tr", f_special | f_table_part},
    known_tag{"td", f_special | f_marker | f_scope | f_table_part},
    known_tag{"th", f_special | f_marker | f_scope | f_table_part},
    known_tag{"caption", f_special | f_marker | f_scope | f_table_part},
    known_tag{"colgroup", f_special}, known_tag{"applet", f_special | f_marker | f_scope},
    known_tag{"marquee", f_special | f_marker | f_scope}, known_tag{"object", f_special | f_marker | f_scope},
    known_tag{"template", f_special | f_marker | f_scope | f_table_scope},
    known_tag{"html", f_special | f_scope | f_table_scope | f_single},
    known_tag{"head", f_special | f_single}, known_tag{"body", f_special | f_single},
    known_tag{"button", f_special}, known_tag{"frameset", f_special}, known_tag{"select", f_special},
    known_tag{"noscript", f_special}, known_tag{"optgroup", 0}, known_tag{"option", 0},
    known_tag{"svg", f_foreign | f_scope}, known_tag{"math", f_foreign | f_scope},
    // formatting elements
    known_tag{"a", f_formatting}, known_tag{"b", f_formatting}, known_tag{"big", f_formatting},
    known_tag{"code", f_formatting}, known_tag{"em", f_formatting}, known_tag{"font", f_formatting},
    known_tag{"i", f_formatting}, known_tag{"nobr", f_formatting}, known_tag{"s", f_formatting},
    known_tag{"small", f_formatting}, known_tag{"strike", f_formatting}, known_tag{"strong", f_formatting},
    known_tag{"tt", f_formatting}, known_tag{"u", f_formatting},
    // other HTML inline elements: inside <svg> or <math> they break out of foreign content
    known_tag{"span", 0}, known_tag{"sub", 0}, known_tag{"sup", 0}, known_tag{"var", 0}, known_tag{"ruby", 0},
};
// clang-format on

// FNV-1a over bytes: tag names to table slots, attribute text to a Noah's Ark key (equal
// attributes give equal hashes).
std::uint64_t hash_bytes(std::string_view s) noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

// Tag names to small ids, known tags first so their flags are a table lookup. Looked up once
// per tag of the page: an open-addressing table of ids (at most half full), names compared
// only on a hash hit.
class tag_names {
  public:
    tag_names() {
        for (const auto& tag : known_tags)
            add(tag.name, tag.flags, hash_bytes(tag.name));
        other_id_ = add("\x01other", 0, hash_bytes("\x01other"));
    }

    std::uint32_t id(std::string_view name) {
        const std::uint64_t hash = hash_bytes(name);
        for (std::size_t slot = hash & mask();; slot = (slot + 1) & mask()) {
            const std::uint32_t entry = slots_[slot];
            if (entry == empty_slot) break;
            if (hashes_[entry] == hash && names_[entry] == name) return entry;
        }
        if (names_.size() >= max_interned_names) return other_id_;
        return add(name, 0, hash);
    }

    std::uint32_t flags(std::uint32_t id) const noexcept { return flags_[id]; }
    bool is_html(std::uint32_t id) const noexcept { return id < known_tags.size(); }
    bool has(std::uint32_t id, std::uint32_t flag) const noexcept { return (flags_[id] & flag) != 0; }
    const std::string& name(std::uint32_t id) const noexcept { return names_[id]; }
    std::uint32_t lookup(std::string_view name) const {
        for (std::size_t slot = hash_bytes(name) & mask();; slot = (slot + 1) & mask()) {
            const std::uint32_t entry = slots_[slot];
            if (entry == empty_slot) return other_id_;  // not a name of known_tags (never asked)
            if (names_[entry] == name) return entry;
        }
    }

  private:
    static constexpr std::uint32_t empty_slot = static_cast<std::uint32_t>(-1);

    std::size_t mask() const noexcept { return slots_.size() - 1; }

    std::uint32_t add(std::string_view name, std::uint32_t flags, std::uint64_t hash) {
        const auto id = static_cast<std::uint32_t>(names_.size());
        names_.emplace_back(name);
        flags_.push_back(flags);
        hashes_.push_back(hash);
        if (2 * names_.size() > slots_.size()) {
            // Kept at most half full: twice the slots, every id placed again.
            slots_.assign(2 * slots_.size(), empty_slot);
            for (std::uint32_t i = 0; i < names_.size(); ++i)
                place(i);
        } else {
            place(id);
        }
        return id;
    }

    void place(std::uint32_t id) {
        std::size_t slot = hashes_[id] & mask();
        while (slots_[slot] != empty_slot)
            slot = (slot + 1) & mask();
        slots_[slot] = id;
    }

    std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(512, empty_slot);  // a power of two
    std::vector<std::uint64_t> hashes_;
    std::vector<std::string> names_;
    std::vector<std::uint32_t> flags_;
    std::uint32_t other_id_ = 0;
};

// --- the model: a stack of open elements and a list of active formatting elements ---

struct open_element {
    std::uint32_t id;
    bool phantom;  // dropped from the flattened output: Gumbo never sees it
    bool dead;     // removed from the middle of the stack (adoption agency)
    bool listed;   // has an entry in the formatting list
};

struct listed_element {
    std::uint32_t id;         // marker_id for a marker
    std::uint64_t attrs;      // hash of the attribute text (Noah's Ark compares attributes)
    std::size_t stack_index;  // npos: popped but still listed ("lingering")
};

constexpr std::uint32_t marker_id = static_cast<std::uint32_t>(-1);

// Implied end tags a start tag causes: it closes the nearest open `targets` element,
// searching down the stack within `window` entries and no further than an element
// with one of `stop_flags` (unless it is one of `pass_ids`) or one of `stop_ids`.
struct implied_close {
    std::vector<std::uint32_t> targets;
    std::uint32_t stop_flags = 0;
    std::vector<std::uint32_t> pass_ids;
    std::vector<std::uint32_t> stop_ids;
    std::size_t window = search_window;
};

bool contains(const std::vector<std::uint32_t>& ids, std::uint32_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class depth_model {
  public:
    depth_model(std::size_t max_depth, std::string* out) : max_depth_(max_depth), out_(out) {
        build_rules();
        segment_lingering_.push_back(0);
    }

    // A start tag: returns whether it is kept in the flattened output.
    bool start_tag(std::uint32_t id, std::uint64_t attrs, bool self_closing) {
        ++start_tags_;
        if (names_.has(id, f_single) && count(id) > 0) return true;
        apply_implied_closes(id);
        if (names_.has(id, f_formatting) && (id == a_id_ || id == nobr_id_)) close_open_formatting(id);
        if (!names_.has(id, f_special)) reconstruct_event();
        if (names_.has(id, f_void) || names_.has(id, f_raw)) return true;
        // Self-closing counts only for foreign elements (<svg/>, <path/> inside <svg>); an
        // HTML tag there breaks out of foreign content and "<div/>" opens a div.
        const bool foreign = names_.has(id, f_foreign) || (foreign_depth_ > 0 && !names_.is_html(id));
        if (self_closing && foreign) return true;
        const bool phantom = flattening() && kept_depth_ + lingering() >= max_depth_;
        push(id, attrs, phantom);
        return !phantom;
    }

    // An end tag: returns whether it is kept in the flattened output.
    bool end_tag(std::uint32_t id) {
        if (count(id) == 0 && !names_.has(id, f_formatting)) return true;  // closes nothing: Gumbo ignores it
        // </body> and </html> pop nothing: content after them goes back into the open elements.
        if (id == body_id_ || id == html_id_) return true;
        if (names_.has(id, f_formatting)) {
            if (auto kept = formatting_end_tag(id)) return *kept;
        }
        const std::size_t index = find_closable(id);
        if (index == npos) return true;
        const bool phantom = stack_[index].phantom;
        if (id == form_id_) {
            remove_from_middle(index);  // </form> removes the form alone; what it holds stays open
        } else {
            pop_to(index);
        }
        return !phantom;
    }

    void text(bool blank) {
        if (!blank) reconstruct_event();
    }

    void set_output(std::string* out) { out_ = out; }
    std::size_t max_depth_seen() const noexcept { return max_depth_seen_; }
    std::uint64_t reopened() const noexcept { return reopened_; }
    std::size_t start_tags() const noexcept { return start_tags_; }
    tag_names& names() noexcept { return names_; }

  private:
    bool flattening() const noexcept { return out_ != nullptr; }
    std::size_t count(std::uint32_t id) const noexcept { return id < counts_.size() ? counts_[id] : 0; }
    std::size_t lingering() const noexcept { return segment_lingering_.back(); }

    void build_rules() {
        const auto id = [this](std::string_view n) { return names_.lookup(n); };
        a_id_ = id("a");
        form_id_ = id("form");
        body_id_ = id("body");
        html_id_ = id("html");
        nobr_id_ = id("nobr");
        option_id_ = id("option");
        const std::vector<std::uint32_t> none;
        const std::vector<std::uint32_t> sections = {id("tbody"), id("thead"), id("tfoot")};
        // <li>, <dd>, <dt>: look through address, div and p, stop at other special elements.
        const std::vector<std::uint32_t> list_pass = {id("address"), id("div"), id("p")};
        li_rule_ = {{id("li")}, f_special, list_pass, none};
        dd_rule_ = {{id("dd"), id("dt")}, f_special, list_pass, none};
        p_rule_ = {{id("p")}, f_scope, none, {id("button")}};  // "in button scope"
        tr_rule_ = {{id("tr")}, f_table_scope, none, sections};
        cell_rule_ = {{id("td"), id("th")}, f_table_scope, none, {id("tr"), id("tbody"), id("thead"), id("tfoot")}};
        section_rule_ = {sections, f_table_scope, none, none};
        heading_rule_ = {{id("h1"), id("h2"), id("h3"), id("h4"), id("h5"), id("h6")}, 0, none, none, 1};
        option_rule_ = {{option_id_}, 0, none, none, 1};
        optgroup_rule_ = {{option_id_, id("optgroup")}, 0, none, none, 2};
        li_id_ = id("li");
        tr_id_ = id("tr");
        optgroup_id_ = id("optgroup");
    }

    // Which implied-close rules a start tag triggers, in order.
    void apply_implied_closes(std::uint32_t id) {
        if (names_.has(id, f_closes_p)) apply(p_rule_);
        if (id == li_id_) apply(li_rule_);
        if (contains(dd_rule_.targets, id)) apply(dd_rule_);  // dd, dt
        if (names_.has(id, f_heading)) apply(heading_rule_);
        if (id == tr_id_) apply(tr_rule_);
        if (contains(cell_rule_.targets, id)) apply(cell_rule_);        // td, th
        if (contains(section_rule_.targets, id)) apply(section_rule_);  // tbody, thead, tfoot
        if (id == option_id_) apply(option_rule_);
        if (id == optgroup_id_) apply(optgroup_rule_);
    }

    void apply(const implied_close& rule) {
        bool any_open = false;
        for (auto target : rule.targets)
            any_open = any_open || count(target) > 0;
        if (!any_open) return;
        std::size_t seen = 0;
        for (std::size_t i = stack_.size(); i-- > 0 && seen < rule.window;) {
            const open_element& e = stack_[i];
            if (e.dead) continue;
            ++seen;
            if (contains(rule.targets, e.id)) {
                pop_to(i);
                return;
            }
            if (contains(rule.pass_ids, e.id)) continue;
            if (names_.has(e.id, rule.stop_flags) || contains(rule.stop_ids, e.id)) return;
        }
    }

    // The open element an end tag closes, or npos. Block end tags look through
    // anything up to a scope boundary; other end tags stop at any special element.
    std::size_t find_closable(std::uint32_t id) const {
        // Block end tags look "in scope", table parts "in table scope", </li> "in list item
        // scope"; any other end tag stops at the first special element.
        std::uint32_t boundary = f_special;
        if (names_.has(id, f_special)) boundary = names_.has(id, f_table_part) ? f_table_scope : f_scope;
        if (id == li_id_) boundary |= f_list_scope;
        std::size_t seen = 0;
        for (std::size_t i = stack_.size(); i-- > 0 && seen < search_window;) {
            const open_element& e = stack_[i];
            if (e.dead) continue;
            ++seen;
            if (e.id == id) return i;
            if (names_.has(e.id, boundary)) return npos;
        }
        return npos;
    }

    void push(std::uint32_t id, std::uint64_t attrs, bool phantom) {
        const bool listed = !phantom && names_.has(id, f_formatting);
        stack_.push_back(open_element{id, phantom, false, listed});
        if (id >= counts_.size()) counts_.resize(id + 1, 0);
        ++counts_[id];
        ++live_depth_;
        if (!phantom) ++kept_depth_;
        if (names_.has(id, f_foreign)) ++foreign_depth_;
        if (listed) add_formatting(id, attrs, stack_.size() - 1);
        if (!phantom && names_.has(id, f_marker)) {
            list_.push_back(listed_element{marker_id, 0, npos});
            segment_lingering_.push_back(0);
        }
        const std::size_t depth = live_depth_ + lingering();
        if (depth > max_depth_seen_) max_depth_seen_ = depth;
    }

    // Pops every element from the top down to and including stack_[index].
    void pop_to(std::size_t index) {
        while (stack_.size() > index) {
            const open_element e = stack_.back();
            stack_.pop_back();
            if (!e.dead) forget(e);
            if (e.listed && !e.dead) unlist_popped(stack_.size(), e);
            if (!e.phantom && !e.dead && names_.has(e.id, f_marker)) clear_to_marker();
        }
    }

    void forget(const open_element& e) {
        --counts_[e.id];
        --live_depth_;
        if (!e.phantom) --kept_depth_;
        if (names_.has(e.id, f_foreign)) --foreign_depth_;
    }

    // A formatting element popped by something other than its own end tag. Gumbo keeps
    // it listed and re-creates it later; the flattened output closes it explicitly instead.
    void unlist_popped(std::size_t stack_index, const open_element& e) {
        const std::size_t entry = find_listed_at(stack_index);
        if (entry == npos) return;
        if (flattening()) {
            *out_ += "</" + names_.name(e.id) + ">";
            list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(entry));
            return;
        }
        list_[entry].stack_index = npos;
        ++segment_lingering_.back();
        popped_since_reconstruct_ = true;
    }

    std::size_t find_listed_at(std::size_t stack_index) const {
        for (std::size_t i = list_.size(); i-- > 0;) {
            if (list_[i].stack_index == stack_index && list_[i].id != marker_id) return i;
            if (list_[i].id == marker_id) return npos;
        }
        return npos;
    }

    void clear_to_marker() {
        while (!list_.empty()) {
            const listed_element entry = list_.back();
            list_.pop_back();
            if (entry.id == marker_id) break;
            if (entry.stack_index != npos) stack_[entry.stack_index].listed = false;
        }
        if (segment_lingering_.size() > 1) segment_lingering_.pop_back();
    }

    void add_formatting(std::uint32_t id, std::uint64_t attrs, std::size_t stack_index) {
        std::size_t same = 0;
        std::size_t earliest = npos;
        for (std::size_t i = list_.size(), seen = 0; i-- > 0 && seen < formatting_window; ++seen) {
            if (list_[i].id == marker_id) break;
            if (list_[i].id == id && list_[i].attrs == attrs) {
                ++same;
                earliest = i;
            }
        }
        if (same >= noahs_ark_limit) remove_listed(earliest);
        list_.push_back(listed_element{id, attrs, stack_index});
    }

    void remove_listed(std::size_t entry) {
        const listed_element removed = list_[entry];
        if (removed.stack_index == npos) {
            --segment_lingering_.back();
        } else {
            stack_[removed.stack_index].listed = false;
        }
        list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(entry));
    }

    // The adoption agency, as far as depth goes. Returns whether the end tag is kept, or
    // nullopt when the element is not listed (then it is an ordinary end tag).
    std::optional<bool> formatting_end_tag(std::uint32_t id) {
        std::size_t entry = npos;
        for (std::size_t i = list_.size(), seen = 0; i-- > 0 && seen < formatting_window; ++seen) {
            if (list_[i].id == marker_id) break;
            if (list_[i].id == id) {
                entry = i;
                break;
            }
        }
        if (entry == npos) return std::nullopt;
        const std::size_t index = list_[entry].stack_index;
        remove_listed(entry);
        if (index == npos) return true;  // lingering: just forgotten
        if (special_above(index)) {
            remove_from_middle(index);  // a block inside the formatting element stays open
            return true;
        }
        pop_to(index);
        return true;
    }

    // Takes one element out of the stack, leaving the ones above it open (a tombstone,
    // so that indexes stay valid; pop_to skips it).
    void remove_from_middle(std::size_t index) {
        open_element& e = stack_[index];
        if (e.dead) return;
        forget(e);
        e.dead = true;
        if (e.listed) {
            if (const std::size_t entry = find_listed_at(index); entry != npos) remove_listed(entry);
        }
    }

    bool special_above(std::size_t index) const {
        std::size_t seen = 0;
        for (std::size_t i = stack_.size(); i-- > index + 1;) {
            if (++seen > search_window) return true;
            if (!stack_[i].dead && names_.has(stack_[i].id, f_special)) return true;
        }
        return false;
    }

    // <a> and <nobr> close an open one of their kind first (adoption agency).
    void close_open_formatting(std::uint32_t id) {
        if (!formatting_end_tag(id).has_value()) return;
        if (flattening()) *out_ += "</" + names_.name(id) + ">";
    }

    // Text or an inline tag after formatting elements were popped: the parser re-creates
    // every lingering one, each as a new element.
    void reconstruct_event() {
        if (!popped_since_reconstruct_ || lingering() == 0) return;
        reopened_ += lingering();
        popped_since_reconstruct_ = false;
    }

    tag_names names_;
    std::size_t max_depth_;
    std::string* out_;
    std::vector<open_element> stack_;
    std::vector<listed_element> list_;
    std::vector<std::size_t> segment_lingering_;  // lingering entries per marker segment
    std::vector<std::size_t> counts_;             // live open elements per tag id
    std::size_t live_depth_ = 0;
    std::size_t kept_depth_ = 0;
    std::size_t foreign_depth_ = 0;
    std::size_t max_depth_seen_ = 0;
    std::size_t start_tags_ = 0;
    std::uint64_t reopened_ = 0;
    bool popped_since_reconstruct_ = false;
    std::uint32_t a_id_ = 0, nobr_id_ = 0, option_id_ = 0, li_id_ = 0, form_id_ = 0, body_id_ = 0, html_id_ = 0,
                  tr_id_ = 0, optgroup_id_ = 0;
    implied_close li_rule_, dd_rule_, p_rule_, tr_rule_, cell_rule_, section_rule_, heading_rule_, option_rule_,
        optgroup_rule_;
};

// --- the tokenizer: just enough of https://html.spec.whatwg.org/#tokenization ---

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_blank(std::string_view s) noexcept {
    for (char c : s) {
        if (!is_space(c)) return false;
    }
    return true;
}

struct tag_token {
    std::size_t end = 0;  // one past '>' (or the text's end)
    std::array<char, max_tag_name_bytes> name_buffer{};
    std::size_t name_size = 0;
    std::string_view attrs;      // the attribute text, hashed only for formatting elements
    std::size_t attr_count = 0;  // attributes as the parser will see them (names)
    bool self_closing = false;
    bool complete = false;  // false: the text ended inside the tag (the parser drops it)

    std::string_view name() const noexcept { return {name_buffer.data(), name_size}; }
};

// Reads a tag from `pos` (just after "<" or "</") to its '>', honouring quoted values.
tag_token read_tag(std::string_view s, std::size_t pos) {
    tag_token tag;
    while (pos < s.size() && !is_space(s[pos]) && s[pos] != '/' && s[pos] != '>') {
        if (tag.name_size < max_tag_name_bytes) tag.name_buffer[tag.name_size++] = lower(s[pos]);
        ++pos;
    }
    const std::size_t attrs_begin = pos;
    bool expect_name = true;  // the next character that is not a separator starts an attribute
    while (pos < s.size()) {
        const char c = s[pos];
        if (c == '>') {
            tag.self_closing = pos > attrs_begin && s[pos - 1] == '/';
            tag.attrs = s.substr(attrs_begin, pos - attrs_begin);
            tag.end = pos + 1;
            tag.complete = true;
            return tag;
        }
        ++pos;
        if (c != '=') {
            if (is_space(c) || c == '/') {
                expect_name = true;
            } else if (expect_name) {
                ++tag.attr_count;
                expect_name = false;
            }
            continue;
        }
        expect_name = true;  // after a value, even with no space (a="1"b="2"), a new attribute
        while (pos < s.size() && is_space(s[pos]))
            ++pos;
        if (pos < s.size() && (s[pos] == '"' || s[pos] == '\'')) {
            const std::size_t close = s.find(s[pos], pos + 1);
            pos = close == std::string_view::npos ? s.size() : close + 1;
        } else {
            while (pos < s.size() && !is_space(s[pos]) && s[pos] != '>')
                ++pos;  // unquoted: '/' is part of it
            if (pos < s.size() && s[pos] == '>') {
                tag.attrs = s.substr(attrs_begin, pos - attrs_begin);
                tag.end = pos + 1;
                tag.complete = true;
                return tag;
            }
        }
    }
    tag.end = s.size();
    return tag;
}

// The position of the end tag "</name" that ends raw text, or the text's end.
std::size_t raw_text_end(std::string_view s, std::size_t pos, std::string_view name) {
    for (;;) {
        const std::size_t lt = s.find("</", pos);
        if (lt == std::string_view::npos) return s.size();
        std::size_t k = 0;
        while (k < name.size() && lt + 2 + k < s.size() && lower(s[lt + 2 + k]) == name[k])
            ++k;
        const std::size_t after = lt + 2 + k;
        if (k == name.size() && (after >= s.size() || is_space(s[after]) || s[after] == '/' || s[after] == '>')) {
            return lt;
        }
        pos = lt + 2;
    }
}

// Walks the text once, feeding the model; with `out`, writes the flattened text.
class walker {
  public:
    walker(std::string_view html, depth_model& model, std::string* out) : s_(html), model_(model), out_(out) {}

    // Stops early, in a scan only, once the page has more start tags than max_page_elements:
    // it is refused whatever follows (10 MiB of "<p>" is 2.6 million of them).
    void run() {
        std::size_t pos = 0;
        while (pos < s_.size()) {
            if (out_ == nullptr && model_.start_tags() > max_page_elements) break;
            const std::size_t lt = s_.find('<', pos);
            const std::size_t text_end = lt == std::string_view::npos ? s_.size() : lt;
            if (text_end > pos) text(s_.substr(pos, text_end - pos));
            if (lt == std::string_view::npos) break;
            pos = markup(lt);
        }
    }

  private:
    void text(std::string_view t) {
        model_.text(is_blank(t));
        copy(t);
    }

    void copy(std::string_view t) {
        if (out_) out_->append(t);
    }

    // Handles the markup starting at s_[lt] == '<'; returns where the next token starts.
    std::size_t markup(std::size_t lt) {
        const std::string_view rest = s_.substr(lt);
        if (rest.size() >= 4 && rest[1] == '!' && rest[2] == '-' && rest[3] == '-') {  // "<!--"
            const std::size_t close = s_.find("-->", lt + 2);
            const std::size_t end = close == std::string_view::npos ? s_.size() : close + 3;
            copy(s_.substr(lt, end - lt));
            return end;
        }
        if (rest.size() >= 2 &&
            (rest[1] == '!' || rest[1] == '?' || (rest[1] == '/' && rest.size() > 2 && !is_alpha(rest[2])))) {
            const std::size_t close = s_.find('>', lt + 1);  // doctype, bogus comment, "</>"
            const std::size_t end = close == std::string_view::npos ? s_.size() : close + 1;
            copy(s_.substr(lt, end - lt));
            return end;
        }
        if (rest.size() >= 3 && rest[1] == '/' && is_alpha(rest[2])) return end_tag(lt);
        if (rest.size() >= 2 && is_alpha(rest[1])) return start_tag(lt);
        model_.text(false);  // a lone '<' is text
        copy(s_.substr(lt, 1));
        return lt + 1;
    }

    std::size_t start_tag(std::size_t lt) {
        const tag_token tag = read_tag(s_, lt + 1);
        if (!tag.complete) return unfinished(lt);
        const std::uint32_t id = model_.names().id(tag.name());
        const auto flags = model_.names().flags(id);
        // Only formatting elements compare attributes (Noah's Ark): the others skip the hash.
        const std::uint64_t attrs = (flags & f_formatting) ? hash_bytes(tag.attrs) : 0;
        const bool kept = model_.start_tag(id, attrs, tag.self_closing);
        attribute_pairs_ += tag.attr_count * (tag.attr_count - std::min<std::size_t>(tag.attr_count, 1)) / 2;
        emit_tag(lt, tag.end, kept, id);
        if (flags & f_plaintext) {
            copy(s_.substr(tag.end));
            return s_.size();
        }
        if (!(flags & f_raw)) return tag.end;  // "<script/>" is still raw text in HTML
        const std::size_t close = raw_text_end(s_, tag.end, tag.name());
        copy(s_.substr(tag.end, close - tag.end));
        return close;
    }

    std::size_t end_tag(std::size_t lt) {
        const tag_token tag = read_tag(s_, lt + 2);
        if (!tag.complete) return unfinished(lt);
        const std::uint32_t id = model_.names().id(tag.name());
        emit_tag(lt, tag.end, model_.end_tag(id), id);
        return tag.end;
    }

    // A tag cut off by the end of the text: the parser drops it; copied as it is.
    std::size_t unfinished(std::size_t lt) {
        copy(s_.substr(lt));
        return s_.size();
    }

    void emit_tag(std::size_t begin, std::size_t end, bool kept, std::uint32_t id) {
        if (!out_) return;
        if (kept) {
            copy(s_.substr(begin, end - begin));
        } else if (model_.names().has(id, f_special)) {
            *out_ += '\n';  // a dropped block tag must not glue the words on either side
        }
    }

    std::string_view s_;
    depth_model& model_;
    std::string* out_;
    std::size_t attribute_pairs_ = 0;

  public:
    // Pairs of attributes within one element, summed over the page: Gumbo compares each new
    // attribute's name with every earlier one of its element.
    std::size_t attribute_pairs() const noexcept { return attribute_pairs_; }
};

}  // namespace

depth_scan scan_depth(std::string_view html, std::size_t max_depth) {
    depth_scan scan;
    if (html.size() > max_page_bytes) {
        scan.verdict = depth_verdict::refuse;
        scan.message = fmt::format("page is {} bytes of text, over the limit of {} ({} MiB)", html.size(),
                                   max_page_bytes, max_page_bytes >> 20);
        return scan;
    }
    depth_model model(max_depth, nullptr);
    walker walk(html, model, nullptr);
    walk.run();
    scan.max_depth = model.max_depth_seen();
    scan.start_tags = model.start_tags();
    scan.attribute_pairs = walk.attribute_pairs();
    if (scan.start_tags > max_page_elements) {
        scan.verdict = depth_verdict::refuse;
        scan.message = fmt::format("page has more than {} elements, the limit", max_page_elements);
    } else if (scan.attribute_pairs > max_attribute_pairs) {
        scan.verdict = depth_verdict::refuse;
        scan.message =
            fmt::format("elements with too many attributes: {} pairs of names to compare, over the limit of {}",
                        scan.attribute_pairs, max_attribute_pairs);
    } else if (scan.max_depth > max_depth) {
        scan.verdict = depth_verdict::flatten;
        scan.message = fmt::format("elements nest {} deep, over {}: deeper tags dropped", scan.max_depth, max_depth);
    } else if (model.reopened() > max_reopened_elements) {
        scan.verdict = depth_verdict::flatten;
        scan.message = fmt::format("unclosed formatting elements would be re-created {} times, over {}: closed early",
                                   model.reopened(), max_reopened_elements);
    }
    return scan;
}

std::string flatten_depth(std::string_view html, std::size_t max_depth) {
    std::string out;
    out.reserve(html.size());
    depth_model model(max_depth, &out);
    walker(html, model, &out).run();
    return out;
}

}  // namespace gisa::extract
