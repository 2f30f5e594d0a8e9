// Board rows: one row read into a record (title link, date, author, notice, ad), and its fields by class or structure.
#include "extract/board/detail.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <iterator>

#include "extract/board_dates.hpp"
#include "extract/dom_tag.hpp"

namespace gisa::extract::board_detail {

// ---- rows ---------------------------------------------------------------------------------

// True when a starts before b inside root.
bool comes_before(node root, node a, node b) {
    return dom::find_first(root, [&](node c) { return c == a || c == b; }) == a;
}

bool inside_or_is(node n, node field) {
    return field != nullptr && (n == field || dom::is_ancestor(field, n));
}

// A sponsored row inside a list: its class says so (ad, ads, advert, sponsor, powerlink) or
// it carries an "AD"/"광고" badge.
bool is_ad_row(node row) {
    if (has_class_in(row, ad_row_tokens) || contains_any(dom::attr_or_empty(row, "class"), ad_row_fragments)) {
        return true;
    }
    return dom::find_first(row, [&](node c) {
               if (!dom::is_element(c) || c == row || dom::child_count(c) != 1) return false;
               node t = dom::child_at(c, 0);
               return dom::is_text(t) && equals_any(normalize_whitespace(dom::text_of(t)), ad_badges);
           }) != nullptr;
}

// An href without the whitespace and control characters that browsers strip before it.
std::string_view trimmed_href(std::string_view h) {
    while (!h.empty() && static_cast<unsigned char>(h.front()) <= ' ')
        h.remove_prefix(1);
    return h;
}

bool is_script_href(std::string_view h) {
    return std::any_of(script_schemes.begin(), script_schemes.end(),
                       [&](std::string_view scheme) { return istarts_with(h, scheme); });
}

bool is_usable_link(node a) {
    auto href = dom::attr(a, "href");
    if (!href) return false;
    const std::string_view h = trimmed_href(*href);
    return !h.empty() && h.front() != '#' && !is_script_href(h);
}

// True when script holds a call with a number among its arguments ("goView('1234')",
// "fn_egov_inqire_notice('BBSMSTR_01', '4410')", "view(7)"); void(0) is no call.
bool calls_with_number(std::string_view script) {
    for (std::size_t open = script.find('('); open != std::string_view::npos; open = script.find('(', open + 1)) {
        std::size_t name_start = open;
        while (name_start > 0 && (std::isalnum(static_cast<unsigned char>(script[name_start - 1])) != 0 ||
                                  script[name_start - 1] == '_' || script[name_start - 1] == '$')) {
            --name_start;
        }
        const std::string_view name = script.substr(name_start, open - name_start);
        const std::size_t close = script.find(')', open);
        if (name.empty() || iequals(name, "void") || close == std::string_view::npos) continue;
        const std::string_view args = script.substr(open + 1, close - open - 1);
        if (std::any_of(args.begin(), args.end(), [](char c) { return is_digit(c); })) return true;
    }
    return false;
}

// A link that opens a post by script rather than by its href (issue #15: boards whose rows
// POST a form, eGovFrame's href="javascript:fn_egov_inqire_notice('BBS_1', '4410')", or
// href="#" with onclick="goView(123)"): the row is a post all the same, but it has no URL to
// give; a javascript: URL is never one.
bool is_script_post_link(node a) {
    if (!dom::has_tag(a, GUMBO_TAG_A)) return false;
    const std::string_view h = trimmed_href(dom::attr_or_empty(a, "href"));
    if (is_script_href(h)) return calls_with_number(h) || calls_with_number(dom::attr_or_empty(a, "onclick"));
    return (h.empty() || h.front() == '#') && calls_with_number(dom::attr_or_empty(a, "onclick"));
}

// A link that leads to the row's post: by its href, or by script.
bool is_row_link(node a) {
    return dom::has_tag(a, GUMBO_TAG_A) && (is_usable_link(a) || is_script_post_link(a));
}

// The link that carries a row's title: the longest-titled usable <a> inside the title
// element (skipping comment-count and category links), or the <a> around it.
// A link laid over the whole row that shows no text of its own (XE sketchbook's a.hx with a
// blind "Read More"): the row's link when its title is plain text beside it.
node overlay_link(node row) {
    return dom::find_first(row, [](node c) {
        return dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c) && shown_text(c).empty() &&
               dom::find_first(c, [](node x) { return dom::has_tag(x, GUMBO_TAG_IMG); }) == nullptr;
    });
}

// Links to posts by their href come first; a row whose title opens its post by script only
// (is_script_post_link) is read with that link.
node title_link(node title, node row) {
    for (bool (*leads)(node) : {is_usable_link, is_row_link}) {
        node best = nullptr;
        std::size_t best_len = 0;
        dom::find_all(
            title, [&](node c) { return dom::has_tag(c, GUMBO_TAG_A) && leads(c); },
            [&](node a) {
                if (contains_any(dom::attr_or_empty(a, "class"), title_noise_fragments)) return;
                const std::size_t len = title_text(a).size();
                if (len > best_len) {
                    best = a;
                    best_len = len;
                }
            });
        if (best != nullptr) return best;
        for (node up = title; up != nullptr && up != dom::parent(row); up = dom::parent(up)) {
            if (dom::has_tag(up, GUMBO_TAG_A) && leads(up)) return up;
        }
        if (node overlay = overlay_link(row); overlay != nullptr && leads == is_usable_link) return overlay;
    }
    return nullptr;
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// "[12]", "(3)", " +12", " + 12" at the end of a title. A bracketed year ("(2024)") is part of the title.
bool strip_trailing_count(std::string& t) {
    if (t.empty()) return false;
    const char close = t.back();
    if (close == ']' || close == ')') {
        const std::size_t start = t.rfind(close == ']' ? '[' : '(');
        if (start == std::string::npos) return false;
        const auto count = parse_int(std::string_view(t).substr(start + 1, t.size() - start - 2));
        if (!count || (*count >= min_year_in_title && *count <= max_year_in_title)) return false;
        t.erase(start);
    } else {
        std::size_t i = t.size();
        while (i > 0 && is_digit(t[i - 1]))
            --i;
        if (i == t.size()) return false;
        while (i > 0 && t[i - 1] == ' ')
            --i;
        // "쿠폰15원+5" is the title's own "+5": a count stands apart ("제목 +12").
        if (i == 0 || t[i - 1] != '+' || i < 2 || t[i - 2] != ' ') return false;
        t.erase(i - 1);
    }
    while (!t.empty() && t.back() == ' ')
        t.pop_back();
    return true;
}

bool strip_trailing_icon_word(std::string& t) {
    const std::size_t space = t.rfind(' ');
    if (space == std::string::npos) return false;
    if (!equals_any(std::string_view(t).substr(space + 1), title_icon_words)) return false;
    t.erase(space);
    return true;
}

// The most complete date a date cell holds: Clien puts "2016-07-24 20:45:22" in a title
// attribute and shows "20:45"; its newer layout adds a span.timestamp beside the short form.
// "" when nothing in the cell is a date.
std::string best_date_text(node cell) {
    std::string best;
    int best_detail = 0;
    auto consider = [&](std::string_view raw) {
        std::string text = normalize_whitespace(raw);
        const int detail = date_detail(text);
        if (detail > best_detail) {
            best_detail = detail;
            best = std::move(text);
        }
    };
    dom::walk(cell, [&](node c) {
        if (dom::is_text(c)) {
            consider(dom::text_of(c));
            return false;
        }
        if (!dom::is_element(c) || dom::is_invisible(c)) return false;
        consider(dom::attr_or_empty(c, "title"));
        consider(dom::attr_or_empty(c, "datetime"));
        return true;
    });
    return best;
}

std::optional<std::string> read_date(node cell, const row_reader& r) {
    if (cell == nullptr) return std::nullopt;
    std::string text = best_date_text(cell);
    // Nothing that is a date on its own: the cell may still say "3분 전" or "등록일 07-18".
    if (text.empty()) text = shown_text(cell);
    return resolve_row_date(text, r.reference_text);
}

// The address prefix boards show after an anonymous writer's name: "(121.140)", "121.140".
bool is_ip_fragment(std::string_view t) {
    if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
    std::size_t dots = 0, digits = 0;
    for (char c : t) {
        if (c == '.') {
            if (digits == 0) return false;
            ++dots;
            digits = 0;
        } else if (c >= '0' && c <= '9') {
            if (++digits > 3) return false;
        } else {
            return false;
        }
    }
    return dots >= 1 && dots <= 3 && digits > 0;
}

// A name without the address prefix after it ("ㅇㅇ (223.38)" -> "ㅇㅇ").
std::string without_ip_suffix(std::string text) {
    const std::size_t space = text.rfind(' ');
    const std::size_t open = text.rfind('(');
    const std::size_t cut = open != std::string::npos && open > 0 ? open : space;
    if (cut != std::string::npos && cut > 0 &&
        is_ip_fragment(normalize_whitespace(std::string_view(text).substr(cut)))) {
        text = normalize_whitespace(std::string_view(text).substr(0, cut));
    }
    return text;
}

// The text of an author element without the date or counts that mobile skins put inside
// it (XE mobile: <span class="auth"><strong>닉</strong> <span class="time">07.18</span></span>).
std::string author_text(node n) {
    std::string raw;
    dom::walk(n, [&](node c) {
        if (dom::is_text(c)) {
            raw += dom::text_of(c);
            return false;
        }
        if (!dom::is_element(c) || is_hidden_element(c)) return false;
        if (c != n) {
            const column_kind k = classify_by_class(c);
            if (k == column_kind::date || k == column_kind::views || k == column_kind::votes) return false;
        }
        if (dom::is_block(c)) raw += ' ';
        return true;
    });
    return normalize_whitespace(raw);
}

// Separators that skins print around a name ("쇼핑몰 / 가격 / 통신문란": fmkorea's " / 통신문란").
// A decoration stands apart from the name by a space ("아타호-_-" keeps its dashes).
constexpr std::array author_decorations{"/"sv, "|"sv, "·"sv, "ㆍ"sv, "by"sv, "By"sv, "-"sv, ":"sv};

std::string strip_author_decorations(std::string text) {
    bool stripped = true;
    while (stripped && !text.empty()) {
        stripped = false;
        for (std::string_view d : author_decorations) {
            if (text.starts_with(d) && text.size() > d.size() && text[d.size()] == ' ') {
                text.erase(0, d.size());
                stripped = true;
            } else if (text.ends_with(d) && text.size() > d.size() && text[text.size() - d.size() - 1] == ' ') {
                text.erase(text.size() - d.size());
                stripped = true;
            }
        }
        text = normalize_whitespace(text);
    }
    return text;
}

// A nickname drawn as an image: its alt text, else, for gnuboard member images
// (data/member/ab/<member id>.gif, as Clien shows them), the member id.
std::string image_name(node img) {
    std::string alt = normalize_whitespace(dom::attr_or_empty(img, "alt"));
    if (!alt.empty()) return alt;
    std::string_view src = dom::attr_or_empty(img, "src");
    if (src.find(member_image_dir) == std::string_view::npos) return {};
    src = src.substr(0, src.find_first_of("?#"));
    src.remove_prefix(src.rfind('/') + 1);
    return std::string(src.substr(0, src.rfind('.')));
}

std::optional<std::string> read_author(node cell) {
    if (cell == nullptr) return std::nullopt;
    // gnuboard and XE wrap the name (sv_member, member_123) and add a hidden menu beside it.
    // Ruliweb puts a hidden <input class="member_srl"> first: a name element shows text.
    node name = dom::find_first(cell, [&](node c) {
        return c != cell &&
               (dom::class_contains(c, "sv_member") || dom::class_contains(c, "member_") ||
                dom::class_contains(c, "nick")) &&
               !is_hidden_element(c) && dom::has_visible_text(c);
    });
    std::string text = without_ip_suffix(strip_author_decorations(author_text(name != nullptr ? name : cell)));
    if (text.empty()) {
        node img = dom::find_first(cell, [](node c) { return dom::has_tag(c, GUMBO_TAG_IMG); });
        if (img != nullptr) text = image_name(img);
    }
    if (text.empty() || code_points(text) > max_author_chars) return std::nullopt;
    return text;
}

// An element inside the row marked as a notice badge: <span class="notice">공지</span>.
bool has_notice_badge(node row) {
    return dom::find_first(row, [&](node c) {
               return c != row && dom::class_contains(c, notice_class_fragment) &&
                      contains_any(shown_text(c) + image_words(c), notice_words);
           }) != nullptr;
}

// A cell or label outside the title that reads just "공지" (DC Inside's operator rows: a
// subject cell <b>공지</b>, no notice class).
bool has_notice_label(const row_fields& f) {
    return dom::find_first(f.row, [&](node c) {
               if (!dom::is_element(c) || c == f.row || inside_or_is(c, f.title)) return false;
               if (dom::child_count(c) != 1 || !dom::is_text(dom::child_at(c, 0))) return false;
               return equals_any(normalize_whitespace(dom::text_of(dom::child_at(c, 0))), notice_words);
           }) != nullptr;
}

bool is_notice_row(const row_fields& f) {
    if (f.row != nullptr && (dom::class_contains(f.row, notice_class_fragment) || has_notice_badge(f.row))) return true;
    if (f.row != nullptr && has_notice_label(f)) return true;
    if (f.number == nullptr) return false;
    const std::string words = shown_text(f.number) + image_words(f.number);
    return contains_any(words, notice_words);
}

// The first heading (h1-h6) of a row that shows text.
node row_heading(node row) {
    return dom::find_first(row, [](node c) {
        return (dom::has_tag(c, GUMBO_TAG_H1) || dom::has_tag(c, GUMBO_TAG_H2) || dom::has_tag(c, GUMBO_TAG_H3) ||
                dom::has_tag(c, GUMBO_TAG_H4) || dom::has_tag(c, GUMBO_TAG_H5) || dom::has_tag(c, GUMBO_TAG_H6)) &&
               !title_text(c).empty();
    });
}

// ---- categories (issue #15 point 2) ----

// A category's text without the separator skins print after it ("가전 /") and without the
// brackets of a prefix ("[판매]"); nothing when empty, longer than a category, or a notice
// word (the notice flag says that already).
std::optional<std::string> category_text(node n) {
    if (n == nullptr) return std::nullopt;
    std::string t = strip_author_decorations(shown_text(n));
    for (const auto& [open, close] : category_brackets) {
        if (t.size() > open.size() + close.size() && t.starts_with(open) && t.ends_with(close)) {
            t = normalize_whitespace(std::string_view(t).substr(open.size(), t.size() - open.size() - close.size()));
            break;
        }
    }
    if (t.empty() || code_points(t) > max_category_chars || equals_any(t, notice_words)) return std::nullopt;
    return t;
}

// An element of the row whose class names a category and that shows a short text: gnuboard's
// a.bo_cate_link inside td.td_subject, a span.category beside the title (rows read by a header
// row or by position find no category column).
node category_by_class(node row) {
    return dom::find_first(row, [&](node c) {
        return c != row && dom::is_element(c) && classify_by_class(c) == column_kind::category &&
               !is_hidden_element(c) && dom::has_visible_text(c) && code_points(shown_text(c)) <= max_category_chars;
    });
}

// A bracketed prefix that the page sets in an element of its own at the start of a title
// ("<a><font><b>[판매]</b></font> 캠핑 의자</a>"). A prefix typed into the title's own text
// ("<a>[나눔] 화분</a>") is part of the title, as the page shows it.
node bracket_prefix(node title) {
    node first = nullptr;
    dom::walk(title, [&](node c) {
        if (first != nullptr) return false;
        if (dom::is_text(c)) {
            if (!normalize_whitespace(dom::text_of(c)).empty()) first = c;
            return false;
        }
        return dom::is_element(c) && !is_hidden_element(c);
    });
    if (first == nullptr || dom::parent(first) == title) return nullptr;
    node element = dom::parent(first);
    const std::string t = normalize_whitespace(dom::text_of(first));
    if (shown_text(element) != t) return nullptr;
    const bool bracketed = std::any_of(category_brackets.begin(), category_brackets.end(), [&](const auto& b) {
        return t.size() > b.first.size() + b.second.size() && t.starts_with(b.first) &&
               t.find(b.second) == t.size() - b.second.size();
    });
    return bracketed ? element : nullptr;
}

// The row's category: its category cell or element, else a bracketed prefix set apart in the
// title. A category shown inside the title element leaves the title; a title that would be
// left empty keeps it (then it was the title).
void read_category(core::board_row& row, const row_fields& f, node title_node) {
    node category = f.category;
    std::optional<std::string> text = category_text(category);
    if (!text) text = category_text(category = category_by_class(f.row));
    if (!text) text = category_text(category = bracket_prefix(title_node));
    if (!text) return;
    if (inside_or_is(category, title_node)) {
        const std::string shown = shown_text(category);
        if (row.title.starts_with(shown)) {
            std::string rest = normalize_whitespace(std::string_view(row.title).substr(shown.size()));
            if (rest.empty()) return;
            row.title = std::move(rest);
        }
    }
    row.category = std::move(text);
}

std::optional<core::board_row> read_row(const row_fields& f, const row_reader& r) {
    if (f.title == nullptr || is_ad_row(f.row)) return std::nullopt;
    node link = title_link(f.title, f.row);
    if (link == nullptr) return std::nullopt;
    core::board_row row;
    const bool link_inside_title = link == f.title || dom::is_ancestor(f.title, link);
    node title_node = link_inside_title ? link : f.title;
    row.title = clean_row_title(title_text(title_node));
    // XE sketchbook's webzine and cards: the link (a.hx) is an empty overlay beside the
    // heading that shows the title (<h3 class="ngeb">).
    if (row.title.empty()) {
        if (node heading = row_heading(f.row)) row.title = clean_row_title(title_text(title_node = heading));
    }
    if (row.title.empty()) return std::nullopt;
    read_category(row, f, title_node);
    // A post opened by script has no URL to give (record.md: url null).
    if (is_usable_link(link)) {
        const std::string_view href = dom::attr_or_empty(link, "href");
        row.url = normalize_link(href, r.ctx.base_url).value_or(normalize_whitespace(href));
    }
    if (f.number != nullptr) row.no = parse_int(shown_text(f.number));
    // A pinned row is flagged as a notice is: it sits above the list whatever its date.
    row.notice = is_notice_row(f) || has_class_in(f.row, pinned_row_tokens);
    if (row.notice) row.no.reset();
    row.author = read_author(f.author);
    row.date = read_date(f.date, r);
    if (f.views != nullptr) row.views = first_int(shown_text(f.views));
    return row;
}

// Fields of a row by the classes of its elements (XE "title", "author", "time"; gnuboard
// "td_subject", "sv_member"; "nick", "date", "regdate" of custom skins).
row_fields class_fields(node row) {
    row_fields f;
    f.row = row;
    dom::walk(row, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c)) return false;
        if (c == row) return true;
        node* slot = nullptr;
        switch (classify_by_class(c)) {
            case column_kind::number:
                slot = &f.number;
                break;
            case column_kind::title:
                slot = &f.title;
                break;
            case column_kind::author:
                slot = &f.author;
                break;
            case column_kind::date:
                slot = &f.date;
                break;
            case column_kind::views:
                slot = &f.views;
                break;
            case column_kind::category:
                slot = &f.category;
                break;
            default:
                break;
        }
        // Only an element that would fill a field is checked for text (the check walks its
        // subtree). Below an element without visible text or an image, every element the walk
        // reaches lacks both as well (hidden ones are not entered), so none of them fills a field.
        if (slot == nullptr || *slot != nullptr) return true;
        // An icon (<i class="fa fa-user">) or an empty overlay link names a field it does not hold.
        if (!dom::has_visible_text(c) &&
            dom::find_first(c, [](node x) { return dom::has_tag(x, GUMBO_TAG_IMG); }) == nullptr) {
            return false;
        }
        *slot = c;
        return true;
    });
    return f;
}

// The element of a row whose whole text is a date or a time ("2024.07.18", "14:32", "3분 전").
// Dates hold a digit or a day word ("어제", "일요일", "방금"): anything else is not normalised
// to find out.
bool might_be_date(std::string_view raw) {
    return std::any_of(raw.begin(), raw.end(), [](char ch) { return is_digit(ch); }) ||
           raw.find("어제") != std::string_view::npos || raw.find("요일") != std::string_view::npos ||
           raw.find("방금") != std::string_view::npos || raw.find("오늘") != std::string_view::npos ||
           raw.find("그제") != std::string_view::npos || raw.find("그저께") != std::string_view::npos;
}

// Icons beside the text (<i class="fa fa-clock"></i> 2 분 전) are allowed: elements without text.
node text_date_field(node row) {
    return dom::find_first(row, [](node c) {
        if (!dom::is_element(c)) return false;
        std::string_view one;  // most elements hold one text node: no copy for them
        std::string raw;
        std::size_t texts = 0;
        for (node k : dom::children(c)) {
            if (!dom::is_text(k)) continue;
            one = dom::text_of(k);
            raw += one;
            ++texts;
            if (raw.size() > max_date_text_bytes) return false;
        }
        if (texts == 0 || !might_be_date(texts == 1 ? one : std::string_view(raw))) return false;
        const std::string text = normalize_whitespace(raw);
        if (!looks_like_date(text)) return false;
        for (node k : dom::children(c)) {
            if (dom::is_element(k) && dom::has_visible_text(k)) return false;
        }
        return true;
    });
}

bool is_field(const row_fields& f, node n) {
    return inside_or_is(n, f.number) || inside_or_is(n, f.author) || inside_or_is(n, f.date) ||
           inside_or_is(n, f.views) || inside_or_is(n, f.category);
}

// The row's main link: the usable <a> (the row itself included) with the longest title text.
node main_link(node row) {
    node best = nullptr;
    std::size_t best_len = 0;
    auto consider = [&](node a) {
        const std::size_t len = title_text(a).size();
        if (len > best_len) {
            best = a;
            best_len = len;
        }
    };
    for (bool (*leads)(node) : {is_usable_link, is_row_link}) {
        if (dom::has_tag(row, GUMBO_TAG_A) && leads(row)) consider(row);
        dom::find_all(
            row, [&](node c) { return c != row && dom::has_tag(c, GUMBO_TAG_A) && leads(c); }, consider);
        if (best != nullptr) return best;
    }
    return best;
}

std::size_t own_text_bytes(node n) {
    std::size_t bytes = 0;
    for (node c : dom::children(n)) {
        if (dom::is_text(c)) bytes += normalize_whitespace(dom::text_of(c)).size();
    }
    return bytes;
}

// A row without a title class: its main link, or, when that link wraps the whole row with its
// date and name (mobile lists: <a><strong>title</strong> <time>..</time> <span>name</span></a>),
// the element inside it with the longest own text that is none of the fields.
node structural_title(node row, const row_fields& f) {
    node link = main_link(row);
    if (link == nullptr) return overlay_link(row) != nullptr ? row_heading(row) : nullptr;
    const bool wraps_fields = [&] {
        for (node field : {f.number, f.author, f.date, f.views}) {
            if (field != nullptr && dom::is_ancestor(link, field)) return true;
        }
        return false;
    }();
    if (!wraps_fields) return link;
    node best = nullptr;
    std::size_t best_bytes = 0;
    dom::walk(link, [&](node c) {
        if (!dom::is_element(c) || is_hidden_element(c) || is_field(f, c)) return false;
        if (const std::size_t bytes = own_text_bytes(c); bytes > best_bytes) {
            best = c;
            best_bytes = bytes;
        }
        return true;
    });
    return best;
}

// A name with the writer's address in its own element after it: "ㅇㅇ<span> (223.38)</span>".
bool is_name_with_ip(node n) {
    if (dom::child_count(n) != 2 || !dom::is_text(dom::child_at(n, 0))) return false;
    node ip = dom::child_at(n, 1);
    return dom::is_element(ip) && !normalize_whitespace(dom::text_of(dom::child_at(n, 0))).empty() &&
           is_ip_fragment(normalize_whitespace(dom::text_content(ip)));
}

// A name without a class, in a row whose link wraps the title and the date (mobile lists:
// <a><strong>title</strong> <time>..</time> <span>name</span></a>): a short leaf inside that
// link after the date (else the last one) that is not the title, a number, a date, a count
// ("조회 12") or a notice word. Outside such a link a bare short text is as likely a news
// list's publisher (Naver's span.writing) as a name, and is not taken.
node structural_author(node row, const row_fields& f) {
    if (f.title == nullptr || f.date == nullptr) return nullptr;
    node link =
        dom::closest_ancestor(f.date, [&](node c) { return dom::has_tag(c, GUMBO_TAG_A) && is_usable_link(c); });
    if (link == nullptr || (link != row && !dom::is_ancestor(row, link)) || !inside_or_is(f.title, link)) {
        return nullptr;
    }
    node after_date = nullptr, last = nullptr;
    bool date_passed = false;
    dom::walk(link, [&](node c) {
        if (after_date != nullptr || !dom::is_element(c) || is_hidden_element(c)) return false;
        if (c == f.date) {
            date_passed = true;
            return false;
        }
        if (inside_or_is(c, f.title) || is_field(f, c)) return false;
        const bool named_with_ip = is_name_with_ip(c);
        if (!named_with_ip && (dom::child_count(c) != 1 || !dom::is_text(dom::child_at(c, 0)))) return true;
        if (contains_any(dom::attr_or_empty(c, "class"), class_exclusions)) return false;
        const std::string t =
            named_with_ip ? without_ip_suffix(shown_text(c)) : normalize_whitespace(dom::text_of(dom::child_at(c, 0)));
        if (is_ip_fragment(t)) return false;
        if (t.empty() || code_points(t) > max_bare_author_chars || parse_int(t) || looks_like_date(t) ||
            equals_any(t, notice_words) || (first_int(t) && t.find(' ') != std::string::npos)) {
            return false;
        }
        (date_passed ? after_date : last) = c;
        return false;
    });
    return after_date != nullptr ? after_date : last;
}

}  // namespace gisa::extract::board_detail
