// Gumbo DOM wrapper: the parsed-document owner and the read-only node helpers every extraction stage uses.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

// Gumbo's node type, declared here so that <gumbo.h> stays inside src/extract/*.cpp
// (docs/DESIGN.md). A .cpp that includes <gumbo.h> sees the same type: GumboNode is a
// typedef of struct GumboInternalNode.
struct GumboInternalNode;
struct GumboInternalOutput;

namespace gisa::extract::dom {

// A non-owning reference to a callable, for the tree helpers below: unlike std::function it
// never allocates (a walk runs for every element of a page). Valid while the callable lives,
// which for a lambda passed as an argument is the whole call.
template <typename Signature>
class function_ref;

template <typename R, typename... Args>
class function_ref<R(Args...)> {
  public:
    template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, function_ref> &&
                                                      std::is_invocable_r_v<R, F&, Args...>>>
    function_ref(F&& f) noexcept  // NOLINT(google-explicit-constructor): lambdas convert implicitly
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
          call_([](void* object, Args... args) -> R {
              return (*static_cast<std::add_pointer_t<std::remove_reference_t<F>>>(object))(
                  std::forward<Args>(args)...);
          }) {}

    R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

  private:
    void* object_;
    R (*call_)(void*, Args...);
};

// A node of the tree; never owning, valid while its document lives. nullptr means "none".
using node = const GumboInternalNode*;

class gumbo_arena;

// Owns one GumboOutput and the arena its nodes live in (gumbo_arena.hpp; one owner per C
// handle, STYLE.md): move-only, noexcept destructor.
// Parse only text that went through the depth guard first (depth_guard.hpp): Gumbo's work
// grows with the square of nesting depth.
class document {
  public:
    // Parses UTF-8 HTML. Never returns an empty document: Gumbo always builds html/head/body.
    static document parse(std::string_view utf8_html);

    document(document&& other) noexcept;
    document& operator=(document&& other) noexcept;
    document(const document&) = delete;
    document& operator=(const document&) = delete;
    ~document();

    node root() const noexcept;  // the <html> element
    node head() const noexcept;  // the <head> element (Gumbo always creates one)
    node body() const noexcept;  // the <body> element (Gumbo always creates one)

  private:
    document(GumboInternalOutput* output, std::unique_ptr<gumbo_arena> arena) noexcept;
    GumboInternalOutput* output_ = nullptr;  // lives in arena_: freed with it, never on its own
    std::unique_ptr<gumbo_arena> arena_;
};

// ---- kind -------------------------------------------------------------------------------

bool is_element(node n) noexcept;  // element or <template>
bool is_text(node n) noexcept;     // text, CDATA or whitespace (not comments)
bool is_comment(node n) noexcept;

// ---- element properties -----------------------------------------------------------------

// Lower-case tag name ("div", "p"); for tags Gumbo does not know, the name as written,
// lower-cased. "" for non-elements.
std::string tag_name(node n);
bool has_tag(node n, std::string_view lower_tag) noexcept;

// Attribute value as written (entities already decoded by Gumbo); nullopt when absent.
std::optional<std::string_view> attr(node n, std::string_view name) noexcept;
std::string_view attr_or_empty(node n, std::string_view name) noexcept;
// Calls fn(name, value) for every attribute of an element, in source order.
void for_each_attr(node n, function_ref<void(std::string_view, std::string_view)> fn);

// True when the class attribute, as one string, contains `fragment` (ASCII case-insensitive),
// e.g. class_contains(n, "caption") matches "photo_caption". Good for rule tables.
bool class_contains(node n, std::string_view fragment) noexcept;
// True when `token` is one of the whitespace-separated classes, exactly (case-sensitive, as CSS).
bool has_class(node n, std::string_view token) noexcept;
// class + " " + id, lower-cased ASCII: what the rule tables' fragments are matched against.
std::string class_and_id(node n);
// The same into out (its buffer reused: asked for every element of a page, a new string each
// time showed in profiles).
void class_and_id(node n, std::string& out);

// Elements that start a new line in a browser (p, div, li, td, h1-h6, br, ...), and inline
// elements that sites style as blocks (rules::block_inline_class_substrings).
bool is_block(node n) noexcept;
// script, style, noscript, template, svg, iframe, object, head-only tags, and elements with
// hidden / aria-hidden="true" / style="display:none" or "visibility:hidden".
bool is_invisible(node n) noexcept;

// ---- tree navigation --------------------------------------------------------------------

node parent(node n) noexcept;                   // nullptr at the document
std::size_t child_count(node n) noexcept;       // 0 for text nodes
node child_at(node n, std::size_t i) noexcept;  // i < child_count(n)
std::size_t index_in_parent(node n) noexcept;

// for (dom::node c : dom::children(n)) ...
class child_range {
  public:
    class iterator {
      public:
        iterator(node parent, std::size_t i) noexcept : parent_(parent), i_(i) {}
        node operator*() const noexcept { return child_at(parent_, i_); }
        iterator& operator++() noexcept {
            ++i_;
            return *this;
        }
        bool operator==(const iterator& other) const noexcept { return i_ == other.i_; }

      private:
        node parent_;
        std::size_t i_;
    };
    explicit child_range(node parent) noexcept : parent_(parent) {}
    iterator begin() const noexcept { return {parent_, 0}; }
    iterator end() const noexcept { return {parent_, child_count(parent_)}; }

  private:
    node parent_;
};
inline child_range children(node n) noexcept {
    return child_range{n};
}

// Depth-first pre-order walk without recursion (deep pages must not blow the stack).
// The visitor returns true to descend into a node's children, false to skip them.
void walk(node root, function_ref<bool(node)> visit);

// The same walk, also telling when a node's subtree is done (after its children, or at once
// when enter returned false).
void walk(node root, function_ref<bool(node)> enter, function_ref<void(node)> leave);

// First / every element under root (root included) for which pred is true, in document order.
node find_first(node root, function_ref<bool(node)> pred);
void find_all(node root, function_ref<bool(node)> pred, function_ref<void(node)> found);
// Nearest ancestor (not n itself) for which pred is true, or nullptr.
node closest_ancestor(node n, function_ref<bool(node)> pred);
bool is_ancestor(node ancestor, node n) noexcept;  // strictly above

// ---- text -------------------------------------------------------------------------------

// The raw text of a text node ("" otherwise).
std::string_view text_of(node n) noexcept;
// All text below n concatenated as-is (like DOM textContent, scripts included). Unnormalised.
std::string text_content(node n);
// What a reader sees: invisible subtrees skipped, block boundaries and <br> become one space,
// whitespace normalised (NBSP -> space, zero-width removed, runs collapsed, trimmed).
std::string visible_text(node n);
// Characters (UTF-8 code points, not bytes) of visible text below n; cheap, no allocation of
// the joined string. Whitespace runs count as one.
std::size_t visible_chars(node n);
// visible_chars(n) > limit, without counting far past the limit (rows and pagers are asked
// "is this short?" for every candidate element of a page).
bool visible_chars_above(node n, std::size_t limit);
// visible_chars(n) > 0: stops at the first visible character (board rows ask it of every
// element of every candidate row, and long text nodes were counted to the end).
bool has_visible_text(node n);
// True when the subtree of n (n included) has more than max_nodes nodes; stops counting there,
// so that "is this a small box?" costs O(max_nodes), not O(subtree).
bool subtree_larger_than(node n, std::size_t max_nodes);

// Code points of visible text inside <a href> elements below n.
std::size_t link_chars(node n);

// ---- boilerplate regions ----------------------------------------------------------------

// True when this element itself is a boilerplate region whose links are not article links
// (record.md "links_out"), by the rule tables (rules.hpp): nav/header/footer/aside/form/menu
// tags outside <article>, role=navigation/banner/contentinfo/search, class/id fragments of
// menus, skip links, share bars, login/search boxes, ads and comment widgets. Related and
// most-read lists are NOT regions here (their links lead to articles); the body stage prunes
// them separately. Checks the element only, not its ancestors.
bool is_boilerplate_region(node n);
// The same, with names = class_and_id(n) already computed by the caller.
bool is_boilerplate_region(node n, std::string_view names);
// True when n or any ancestor is a boilerplate region.
bool inside_boilerplate_region(node n);

}  // namespace gisa::extract::dom
