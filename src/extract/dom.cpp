// Gumbo DOM wrapper: the document owner and node helpers declared in dom.hpp.
#include "extract/dom.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <new>
#include <utility>
#include <vector>

#include "extract/dom_tag.hpp"
#include "extract/gumbo_arena.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"
#include "text/normalize.hpp"

namespace gisa::extract::dom {

namespace {

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// iequals(s, expected), without measuring s first (strlen on every attribute name showed in
// profiles).
bool c_string_iequals(const char* s, std::string_view expected) noexcept {
    if (s == nullptr) return false;
    std::size_t i = 0;
    for (; i < expected.size(); ++i) {
        if (s[i] == '\0' || ascii_lower(s[i]) != ascii_lower(expected[i])) return false;
    }
    return s[i] == '\0';
}

// Gumbo's lower-case names of the tags it knows, measured once: has_tag runs dozens of times
// per element, and a length check rejects most names at once.
const std::array<std::string_view, GUMBO_TAG_LAST>& known_tag_names() noexcept {
    static const std::array<std::string_view, GUMBO_TAG_LAST> names = [] {
        std::array<std::string_view, GUMBO_TAG_LAST> out{};
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = gumbo_normalized_tagname(static_cast<GumboTag>(i));
        return out;
    }();
    return names;
}

std::string_view known_tag_name(GumboTag tag) noexcept {
    const auto& tag_names = known_tag_names();
    return static_cast<std::size_t>(tag) < tag_names.size() ? tag_names[static_cast<std::size_t>(tag)]
                                                            : std::string_view(gumbo_normalized_tagname(tag));
}

// a == b for short strings (tag names), without a call to memcmp.
bool same_short(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

const GumboVector* child_vector(node n) noexcept {
    if (n == nullptr) return nullptr;
    switch (n->type) {
        case GUMBO_NODE_DOCUMENT:
            return &n->v.document.children;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            return &n->v.element.children;
        default:
            return nullptr;
    }
}

const GumboVector* attribute_vector(node n) noexcept {
    return is_element(n) ? &n->v.element.attributes : nullptr;
}

// Tags that never show their text: scripts, styles, embedded objects, and head-only tags.
bool is_invisible_tag(GumboTag tag) noexcept {
    switch (tag) {
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_MATH:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_EMBED:
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_TITLE:
        case GUMBO_TAG_META:
        case GUMBO_TAG_LINK:
        case GUMBO_TAG_BUTTON:
        case GUMBO_TAG_SELECT:
        case GUMBO_TAG_TEXTAREA:
        case GUMBO_TAG_INPUT:
        case GUMBO_TAG_CANVAS:
        case GUMBO_TAG_AUDIO:
        case GUMBO_TAG_VIDEO:
            return true;
        default:
            return false;
    }
}

bool style_hides(std::string_view style) noexcept {
    std::string compact;
    compact.reserve(style.size());
    for (char c : style) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact.push_back(ascii_lower(c));
    }
    return compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos;
}

// The explicit stack of the walks: (node, next child index). The first entries live in place,
// deeper ones on the heap: most walks are of small subtrees, and a heap allocation per walk
// showed in profiles.
class walk_stack {
  public:
    using entry = std::pair<node, std::size_t>;

    bool empty() const noexcept { return size_ == 0; }
    entry& back() noexcept { return size_ <= inline_capacity ? inline_[size_ - 1] : spill_.back(); }
    void emplace_back(node n, std::size_t next) {
        if (size_ < inline_capacity) {
            inline_[size_] = {n, next};
        } else {
            spill_.emplace_back(n, next);
        }
        ++size_;
    }
    void pop_back() noexcept {
        if (size_ > inline_capacity) spill_.pop_back();
        --size_;
    }

  private:
    static constexpr std::size_t inline_capacity = 32;
    std::array<entry, inline_capacity> inline_{};
    std::vector<entry> spill_;
    std::size_t size_ = 0;
};

bool inside_article(node n) {
    return closest_ancestor(n, [](node a) { return has_tag(a, GUMBO_TAG_ARTICLE) || has_tag(a, GUMBO_TAG_MAIN); }) !=
           nullptr;
}

}  // namespace

// ---- document -----------------------------------------------------------------------------

document document::parse(std::string_view utf8_html) {
    auto arena = std::make_unique<gumbo_arena>();
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = &gumbo_arena::allocate;
    options.deallocator = &gumbo_arena::deallocate;
    options.userdata = arena.get();
    // Parse errors are not used; recording them costs memory on malformed pages.
    options.max_errors = 0;
    GumboOutput* output = gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size());
    if (output == nullptr) throw std::bad_alloc{};
    return document{output, std::move(arena)};
}

document::document(GumboInternalOutput* output, std::unique_ptr<gumbo_arena> arena) noexcept
    : output_(output), arena_(std::move(arena)) {}

document::document(document&& other) noexcept
    : output_(std::exchange(other.output_, nullptr)), arena_(std::move(other.arena_)) {}

document& document::operator=(document&& other) noexcept {
    output_ = std::exchange(other.output_, nullptr);
    arena_ = std::move(other.arena_);  // the old tree goes with its arena
    return *this;
}

document::~document() = default;

node document::root() const noexcept {
    return output_ != nullptr ? output_->root : nullptr;
}

node document::head() const noexcept {
    for (node c : children(root())) {
        if (has_tag(c, GUMBO_TAG_HEAD)) return c;
    }
    return nullptr;
}

node document::body() const noexcept {
    for (node c : children(root())) {
        if (has_tag(c, GUMBO_TAG_BODY)) return c;
    }
    return nullptr;
}

// ---- kind ---------------------------------------------------------------------------------

bool is_element(node n) noexcept {
    return n != nullptr && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE);
}

bool is_text(node n) noexcept {
    return n != nullptr &&
           (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE);
}

bool is_comment(node n) noexcept {
    return n != nullptr && n->type == GUMBO_NODE_COMMENT;
}

// ---- element properties -------------------------------------------------------------------

std::string tag_name(node n) {
    if (!is_element(n)) return {};
    const GumboElement& el = n->v.element;
    if (el.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(el.tag);
    GumboStringPiece piece = el.original_tag;
    gumbo_tag_from_original_text(&piece);
    std::string name(piece.data != nullptr ? piece.data : "", piece.length);
    std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
    return name;
}

bool has_tag(node n, std::string_view lower_tag) noexcept {
    if (!is_element(n)) return false;
    const GumboElement& el = n->v.element;
    if (el.tag != GUMBO_TAG_UNKNOWN) return same_short(known_tag_name(el.tag), lower_tag);
    GumboStringPiece piece = el.original_tag;
    gumbo_tag_from_original_text(&piece);
    return piece.data != nullptr && iequals(std::string_view(piece.data, piece.length), lower_tag);
}

std::optional<std::string_view> attr(node n, std::string_view name) noexcept {
    const GumboVector* attrs = attribute_vector(n);
    if (attrs == nullptr) return std::nullopt;
    for (unsigned i = 0; i < attrs->length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs->data[i]);
        if (c_string_iequals(a->name, name)) return std::string_view(a->value);
    }
    return std::nullopt;
}

std::string_view attr_or_empty(node n, std::string_view name) noexcept {
    return attr(n, name).value_or("");
}

void for_each_attr(node n, function_ref<void(std::string_view, std::string_view)> fn) {
    const GumboVector* attrs = attribute_vector(n);
    if (attrs == nullptr) return;
    for (unsigned i = 0; i < attrs->length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs->data[i]);
        fn(a->name, a->value);
    }
}

bool class_contains(node n, std::string_view fragment) noexcept {
    auto cls = attr(n, "class");
    return cls.has_value() && icontains(*cls, fragment);
}

bool has_class(node n, std::string_view token) noexcept {
    std::string_view cls = attr_or_empty(n, "class");
    std::size_t pos = 0;
    while (pos < cls.size()) {
        std::size_t start = cls.find_first_not_of(" \t\r\n\f", pos);
        if (start == std::string_view::npos) break;
        std::size_t end = cls.find_first_of(" \t\r\n\f", start);
        if (end == std::string_view::npos) end = cls.size();
        if (cls.substr(start, end - start) == token) return true;
        pos = end;
    }
    return false;
}

std::string class_and_id(node n) {
    std::string out;
    class_and_id(n, out);
    return out;
}

void class_and_id(node n, std::string& out) {
    out.assign(attr_or_empty(n, "class"));
    out += ' ';
    out += attr_or_empty(n, "id");
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
}

namespace {

// rules::block_inline_class_substrings: an inline element that sites display as a block.
bool is_styled_as_block(node n) noexcept {
    const auto cls = attr(n, "class");
    if (!cls) return false;
    return has_substring(*cls, rules::block_inline_class_substrings);
}

}  // namespace

bool is_block(node n) noexcept {
    if (!is_element(n)) return false;
    switch (n->v.element.tag) {
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_BR:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_CENTER:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_MENU:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_P:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TFOOT:
        case GUMBO_TAG_TH:
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_BODY:
        case GUMBO_TAG_HTML:
            return true;
        case GUMBO_TAG_STRONG:
        case GUMBO_TAG_B:
        case GUMBO_TAG_SPAN:
        case GUMBO_TAG_EM:
            return is_styled_as_block(n);
        default:
            return false;
    }
}

bool is_invisible(node n) noexcept {
    if (!is_element(n)) return false;
    if (is_invisible_tag(n->v.element.tag)) return true;
    // One pass over the attributes (this runs for every element of every walk): `hidden`
    // anywhere, and the first aria-hidden and style attributes, as attr() would find them.
    const GumboVector& attrs = n->v.element.attributes;
    std::optional<std::string_view> aria_hidden, style;
    for (unsigned i = 0; i < attrs.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
        if (c_string_iequals(a->name, "hidden")) return true;
        if (!aria_hidden && c_string_iequals(a->name, "aria-hidden")) aria_hidden = a->value;
        if (!style && c_string_iequals(a->name, "style")) style = a->value;
    }
    if (iequals(aria_hidden.value_or(""), "true")) return true;
    return style_hides(style.value_or(""));
}

// ---- tree navigation ----------------------------------------------------------------------

node parent(node n) noexcept {
    return n != nullptr ? n->parent : nullptr;
}

std::size_t child_count(node n) noexcept {
    const GumboVector* v = child_vector(n);
    return v != nullptr ? v->length : 0;
}

node child_at(node n, std::size_t i) noexcept {
    const GumboVector* v = child_vector(n);
    return static_cast<node>(v->data[i]);
}

std::size_t index_in_parent(node n) noexcept {
    return n != nullptr ? n->index_within_parent : 0;
}

void walk(node root, function_ref<bool(node)> visit) {
    if (root == nullptr) return;
    // Explicit stack of (node, next child index): pre-order, children in document order.
    walk_stack stack;
    if (!visit(root)) return;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
        auto& [n, next] = stack.back();
        if (next >= child_count(n)) {
            stack.pop_back();
            continue;
        }
        node c = child_at(n, next++);
        if (visit(c)) stack.emplace_back(c, 0);
    }
}

void walk(node root, function_ref<bool(node)> enter, function_ref<void(node)> leave) {
    if (root == nullptr) return;
    walk_stack stack;
    if (!enter(root)) {
        leave(root);
        return;
    }
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
        auto& [n, next] = stack.back();
        if (next >= child_count(n)) {
            node done = n;
            stack.pop_back();
            leave(done);
            continue;
        }
        node c = child_at(n, next++);
        if (enter(c)) {
            stack.emplace_back(c, 0);
        } else {
            leave(c);
        }
    }
}

node find_first(node root, function_ref<bool(node)> pred) {
    node found = nullptr;
    walk(root, [&](node n) {
        if (found != nullptr) return false;
        if (is_element(n) && pred(n)) {
            found = n;
            return false;
        }
        return true;
    });
    return found;
}

void find_all(node root, function_ref<bool(node)> pred, function_ref<void(node)> found) {
    walk(root, [&](node n) {
        if (is_element(n) && pred(n)) found(n);
        return true;
    });
}

node closest_ancestor(node n, function_ref<bool(node)> pred) {
    for (node a = parent(n); a != nullptr; a = parent(a)) {
        if (is_element(a) && pred(a)) return a;
    }
    return nullptr;
}

bool is_ancestor(node ancestor, node n) noexcept {
    for (node a = parent(n); a != nullptr; a = parent(a)) {
        if (a == ancestor) return true;
    }
    return false;
}

// ---- text ---------------------------------------------------------------------------------

std::string_view text_of(node n) noexcept {
    return is_text(n) ? std::string_view(n->v.text.text) : "";
}

std::string text_content(node n) {
    std::string out;
    walk(n, [&](node c) {
        out += text_of(c);
        return true;
    });
    return out;
}

std::string visible_text(node n) {
    std::string raw;
    auto boundary = [&](node c) {
        if (is_block(c)) raw += ' ';
    };
    walk(
        n,
        [&](node c) {
            if (is_text(c)) {
                raw += text_of(c);
                return false;
            }
            if (is_invisible(c)) return false;
            boundary(c);
            return true;
        },
        boundary);
    return normalize_whitespace(raw);
}

namespace {

// Code points of visible text below n (visible_chars), counting stopped once the result is
// sure to exceed `limit` (the result is then only known to be > limit).
std::size_t count_visible_chars(node n, std::size_t limit) {
    std::size_t count = 0;
    bool in_space = true;
    // The final count loses at most one (a trailing space): past limit + 1 it stays above limit.
    auto done = [&] { return count > limit + 1; };
    // A block boundary is a space between words (counted once, like normalize_whitespace).
    auto boundary = [&](node c) {
        if (!is_block(c) || in_space) return;
        ++count;
        in_space = true;
    };
    walk(
        n,
        [&](node c) {
            if (done()) return false;
            if (is_text(c)) {
                count += count_visible_code_points(text_of(c), in_space);
                return false;
            }
            if (is_invisible(c)) return false;
            boundary(c);
            return true;
        },
        boundary);
    // A trailing space is trimmed by normalize_whitespace.
    if (in_space && count > 0) --count;
    return count;
}

}  // namespace

std::size_t visible_chars(node n) {
    return count_visible_chars(n, std::numeric_limits<std::size_t>::max() / 2);
}

bool visible_chars_above(node n, std::size_t limit) {
    return count_visible_chars(n, limit) > limit;
}

bool has_visible_text(node n) {
    // visible_chars counts a space only after a visible character, and trims one trailing
    // space: it is above 0 exactly when a visible character is reached.
    bool found = false;
    walk(n, [&](node c) {
        if (found) return false;
        if (is_text(c)) {
            found = !text::is_blank(text_of(c));
            return false;
        }
        return !is_invisible(c);
    });
    return found;
}

bool subtree_larger_than(node n, std::size_t max_nodes) {
    if (n == nullptr) return false;
    walk_stack stack;
    stack.emplace_back(n, 0);
    std::size_t seen = 1;
    while (!stack.empty()) {
        auto& [at, next] = stack.back();
        if (next >= child_count(at)) {
            stack.pop_back();
            continue;
        }
        node c = child_at(at, next++);
        if (++seen > max_nodes) return true;
        stack.emplace_back(c, 0);
    }
    return false;
}

std::size_t link_chars(node n) {
    std::size_t count = 0;
    walk(n, [&](node c) {
        if (is_invisible(c)) return false;
        if (has_tag(c, GUMBO_TAG_A) && attr(c, "href").has_value()) {
            count += visible_chars(c);
            return false;
        }
        return true;
    });
    return count;
}

// ---- boilerplate regions ------------------------------------------------------------------

bool is_boilerplate_region(node n) {
    if (!is_element(n)) return false;
    // Asked for every element of a page: the names go to one buffer per thread, not a new string.
    thread_local std::string names;
    class_and_id(n, names);
    return is_boilerplate_region(n, names);
}

bool is_boilerplate_region(node n, std::string_view names) {
    if (!is_element(n)) return false;
    // The tag's name once, compared below (a has_tag per table entry showed in profiles: this
    // runs for every element of a page).
    std::string unknown_name;
    const GumboTag known = n->v.element.tag;
    const std::string_view tag =
        known != GUMBO_TAG_UNKNOWN ? known_tag_name(known) : std::string_view(unknown_name = tag_name(n));
    if (tag == "body" || tag == "html" || tag == "main" || tag == "article") return false;
    if (std::find(rules::boilerplate_tags.begin(), rules::boilerplate_tags.end(), tag) !=
        rules::boilerplate_tags.end()) {
        bool own_part = (tag == "header" || tag == "footer") && inside_article(n);
        return !own_part;
    }
    std::string_view role = attr_or_empty(n, "role");
    if (std::any_of(rules::boilerplate_roles.begin(), rules::boilerplate_roles.end(),
                    [&](std::string_view r) { return iequals(role, r); })) {
        return true;
    }
    if (names.size() <= 1) return false;
    static const substring_set content(rules::content_substrings);
    static const substring_set boilerplate(rules::boilerplate_substrings);
    if (content.contains(names)) return false;
    return boilerplate.contains(names) || has_name_token(names, rules::boilerplate_tokens);
}

bool inside_boilerplate_region(node n) {
    for (node a = n; a != nullptr; a = parent(a)) {
        if (is_boilerplate_region(a)) return true;
    }
    return false;
}

}  // namespace gisa::extract::dom
