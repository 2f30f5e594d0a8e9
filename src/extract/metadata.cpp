// Stage "metadata": JSON-LD, OpenGraph, <meta> and <title> read into page_metadata (metadata.hpp).
#include "extract/metadata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include "extract/dom_tag.hpp"
#include "extract/rules.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {

namespace {

using json = nlohmann::json;

// ---- JSON-LD -------------------------------------------------------------------------------

bool type_matches(const json& type, std::string_view wanted) {
    if (type.is_string()) return type.get_ref<const std::string&>() == wanted;
    if (type.is_array()) {
        return std::any_of(type.begin(), type.end(), [&](const json& t) { return type_matches(t, wanted); });
    }
    return false;
}

// Rank of an object's @type in rules::article_ld_types (lower is better); npos if none.
std::size_t article_rank(const json& obj) {
    if (!obj.is_object() || !obj.contains("@type")) return std::string_view::npos;
    for (std::size_t i = 0; i < rules::article_ld_types.size(); ++i) {
        if (type_matches(obj["@type"], rules::article_ld_types[i])) return i;
    }
    return std::string_view::npos;
}

// Every object of a JSON-LD block: the block itself, array members and @graph members.
void collect_ld_objects(const json& value, std::vector<json>& out, int depth = 0) {
    constexpr int max_ld_nesting = 4;
    if (depth > max_ld_nesting) return;
    if (value.is_array()) {
        for (const json& v : value)
            collect_ld_objects(v, out, depth + 1);
    } else if (value.is_object()) {
        out.push_back(value);
        if (value.contains("@graph")) collect_ld_objects(value["@graph"], out, depth + 1);
    }
}

bool is_ld_script(dom::node n) {
    return dom::has_tag(n, GUMBO_TAG_SCRIPT) && icontains(dom::attr_or_empty(n, "type"), "ld+json");
}

std::optional<json> best_ld_article(const std::vector<dom::node>& ld_scripts) {
    std::vector<json> objects;
    for (dom::node n : ld_scripts) {
        json parsed = json::parse(dom::text_content(n), nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_discarded()) collect_ld_objects(parsed, objects);
    }
    const json* best = nullptr;
    std::size_t best_rank = std::string_view::npos;
    for (const json& o : objects) {
        std::size_t rank = article_rank(o);
        if (rank < best_rank) {
            best = &o;
            best_rank = rank;
        }
    }
    if (best == nullptr) return std::nullopt;
    return *best;
}

std::optional<std::string> json_string(const json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key)) return std::nullopt;
    const json& v = obj[key];
    if (v.is_string()) {
        std::string s = normalize_whitespace(v.get_ref<const std::string&>());
        if (!s.empty()) return s;
    }
    return std::nullopt;
}

// "name" of a string, an object or the objects of an array, joined with "·".
std::optional<std::string> json_names(const json& v) {
    if (v.is_string()) {
        std::string s = normalize_whitespace(v.get_ref<const std::string&>());
        return s.empty() ? std::nullopt : std::optional<std::string>(s);
    }
    if (v.is_object()) return json_string(v, "name");
    if (!v.is_array()) return std::nullopt;
    std::string joined;
    for (const json& item : v) {
        auto name = json_names(item);
        if (!name) continue;
        if (!joined.empty()) joined += "·";
        joined += *name;
    }
    return joined.empty() ? std::nullopt : std::optional<std::string>(joined);
}

void apply_json_ld(const json& article, page_metadata& meta) {
    meta.is_article = true;
    if (auto h = json_string(article, "headline")) meta.title = h;
    if (auto d = json_string(article, "datePublished")) meta.published_at = iso_datetime(*d);
    if (auto d = json_string(article, "dateModified")) meta.modified_at = iso_datetime(*d);
    if (article.contains("author")) meta.author = json_names(article["author"]);
    if (article.contains("publisher")) meta.site_name = json_names(article["publisher"]);
}

// ---- <meta> --------------------------------------------------------------------------------

// What the metadata stage reads from the whole tree, gathered in one walk of the page (a walk
// per question cost several full walks of every page).
struct page_elements {
    std::vector<dom::node> ld_scripts;  // <script type="application/ld+json">, in order
    std::vector<dom::node> metas;       // every <meta> (they are looked up many times)
    dom::node canonical = nullptr;      // the first <link rel="canonical">
    dom::node h1 = nullptr;             // the first <h1>
    dom::node home_link = nullptr;      // the first link to the site's front page with a name (the logo)
};

// A link to the site's front page: "/", "/index.html", or the page's own origin ("" and "./"
// are the page itself or its folder).
bool is_home_href(std::string_view href, std::string_view origin) {
    while (!href.empty() && (href.front() == ' ' || href.back() == ' ')) {
        href = href.front() == ' ' ? href.substr(1) : href.substr(0, href.size() - 1);
    }
    if (href.empty()) return false;
    if (!origin.empty() && istarts_with(href, origin)) {
        href.remove_prefix(origin.size());
        if (href.empty()) return true;
    }
    if (!href.starts_with("/") || href.starts_with("//")) return false;
    href.remove_prefix(1);
    return href.empty() || (istarts_with(href, "index.") && href.find_first_of("?#/") == std::string_view::npos);
}

// The site's name as its front-page link shows it: the link's text, else its image's alt.
// Words that only say "home" are no name.
std::string home_link_name(dom::node link) {
    std::string name = normalize_whitespace(dom::text_content(link));
    if (name.empty()) {
        dom::node img = dom::find_first(link, [](dom::node n) { return dom::has_tag(n, GUMBO_TAG_IMG); });
        if (img != nullptr) name = normalize_whitespace(dom::attr_or_empty(img, "alt"));
    }
    // "에펨코리아 - 축구, 인터넷 방송, 게임": the name before the site's slogan.
    for (std::string_view sep : rules::title_suffix_separators) {
        if (std::size_t pos = name.find(sep); pos != std::string::npos && pos > 0) name.resize(pos);
    }
    for (std::string_view suffix : rules::logo_alt_suffixes) {
        if (name.size() > suffix.size() && iends_with(name, suffix)) name.resize(name.size() - suffix.size());
    }
    const std::size_t chars = code_points(name);
    if (chars < rules::min_home_link_name_chars || chars > rules::max_site_suffix_chars) return "";
    const bool generic = std::any_of(rules::home_link_words.begin(), rules::home_link_words.end(),
                                     [&](std::string_view w) { return iequals(name, w); });
    return generic ? "" : name;
}

void note_element(dom::node n, page_elements& out, std::string_view origin) {
    if (is_ld_script(n)) out.ld_scripts.push_back(n);
    if (dom::has_tag(n, GUMBO_TAG_META)) out.metas.push_back(n);
    if (out.h1 == nullptr && dom::has_tag(n, GUMBO_TAG_H1)) out.h1 = n;
    if (out.home_link == nullptr && dom::has_tag(n, GUMBO_TAG_A)) {
        if (auto href = dom::attr(n, "href"); href && is_home_href(*href, origin) && !home_link_name(n).empty()) {
            out.home_link = n;
        }
    }
    if (out.canonical == nullptr && dom::has_tag(n, GUMBO_TAG_LINK) &&
        iequals(dom::attr_or_empty(n, "rel"), "canonical")) {
        out.canonical = n;
    }
}

page_elements gather_elements(dom::node root, std::string_view origin) {
    page_elements out;
    dom::walk(root, [&](dom::node n) {
        if (dom::is_element(n)) note_element(n, out, origin);
        return true;
    });
    return out;
}

// The content of the first <meta> whose property, name or itemprop equals one of keys.
std::optional<std::string> meta_content(const std::vector<dom::node>& metas,
                                        std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
        for (dom::node n : metas) {
            bool named = iequals(dom::attr_or_empty(n, "property"), key) ||
                         iequals(dom::attr_or_empty(n, "name"), key) || iequals(dom::attr_or_empty(n, "itemprop"), key);
            if (!named) continue;
            std::string value = normalize_whitespace(dom::attr_or_empty(n, "content"));
            if (!value.empty()) return value;
        }
    }
    return std::nullopt;
}

void apply_meta_tags(const std::vector<dom::node>& root, page_metadata& meta) {
    if (!meta.title) meta.title = meta_content(root, {"og:title", "twitter:title", "title"});
    if (!meta.site_name) meta.site_name = meta_content(root, {"og:site_name", "application-name", "twitter:site"});
    if (!meta.author) meta.author = meta_content(root, {"author", "article:author", "dable:author", "byl"});
    if (!meta.published_at) {
        if (auto d = meta_content(root, {"article:published_time", "datePublished", "pubdate", "publishdate",
                                         "og:published_time", "dable:published_time", "date", "dc.date"})) {
            meta.published_at = iso_datetime(*d);
        }
    }
    if (!meta.modified_at) {
        if (auto d = meta_content(
                root, {"article:modified_time", "dateModified", "og:updated_time", "lastmod", "last-modified"})) {
            meta.modified_at = iso_datetime(*d);
        }
    }
    if (auto type = meta_content(root, {"og:type"}); type && icontains(*type, "article")) meta.is_article = true;
}

// "https://host" of "https://host/path", or "" for a URL without "//".
std::string_view origin_of(std::string_view page_url) {
    const std::size_t scheme_end = page_url.find("//");
    if (scheme_end == std::string_view::npos) return {};
    return page_url.substr(0, page_url.find_first_of("/?#", scheme_end + 2));
}

// A portal's page: by its og:site_name, or by the host of its URL (v.daum.net, n.news.naver.com).
bool is_portal(const std::optional<std::string>& site_name, std::string_view page_url) {
    std::string_view host = origin_of(page_url);
    return std::any_of(rules::portal_site_names.begin(), rules::portal_site_names.end(), [&](std::string_view p) {
        return (site_name && icontains(*site_name, p)) || icontains(host, std::string(".") + std::string(p) + ".");
    });
}

std::optional<std::string> press_of_portal_page(const std::vector<dom::node>& root) {
    auto press = meta_content(root, {"og:article:author", "article:author", "twitter:creator"});
    if (!press) return std::nullopt;
    // "머니투데이 | 네이버": the press comes before the portal's name.
    std::string cut = *press;
    for (std::string_view sep : rules::title_suffix_separators) {
        std::size_t pos = cut.find(sep);
        if (pos != std::string::npos && pos > 0) cut.resize(pos);
    }
    return cut.empty() ? std::nullopt : std::optional<std::string>(cut);
}

// Dates in attributes (<time datetime>, data-date-time, data-modify-date-time): precise
// where the visible text is not ("오후 3:30" for 15:30:12).
void attribute_dates(dom::node body, page_metadata& meta) {
    // Its own walk: it stops as soon as both dates are known, mostly at once (JSON-LD gave them).
    dom::walk(body, [&](dom::node n) {
        if (meta.published_at && meta.modified_at) return false;
        dom::for_each_attr(n, [&](std::string_view name, std::string_view value) {
            if (!icontains(name, "date") && !icontains(name, "time")) return;
            auto iso = iso_datetime(value);
            if (!iso || iso->size() <= std::string_view("2024-07-18").size()) return;
            std::string names = std::string(name) + " " + dom::class_and_id(n);
            bool modified = icontains(names, "modif") || icontains(names, "update") || icontains(names, "edit");
            auto& slot = modified ? meta.modified_at : meta.published_at;
            if (!slot) slot = iso;
        });
        return true;
    });
}

std::optional<std::string> element_text(dom::node root, std::string_view tag) {
    dom::node found = dom::find_first(root, [&](dom::node n) { return dom::has_tag(n, tag); });
    if (found == nullptr) return std::nullopt;
    std::string text = normalize_whitespace(dom::text_content(found));
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

std::optional<std::string> decoded_text(std::optional<std::string> text) {
    if (text) *text = normalize_whitespace(decode_leftover_entities(*text));
    if (text && text->empty()) text.reset();
    return text;
}

bool is_quotation_mark(std::string_view s, std::size_t at, std::size_t& len) {
    for (std::string_view q : rules::title_quotation_marks) {
        if (s.substr(at, q.size()) == q) {
            len = q.size();
            return true;
        }
    }
    return false;
}

// The title without its quotation marks, to compare a headline with its unquoted copy.
std::string without_quotes(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 0;
        if (is_quotation_mark(s, i, len)) {
            i += len;
        } else {
            out += s[i++];
        }
    }
    return normalize_whitespace(out);
}

// The site name a <title> ends with (" - 머니투데이 뉴스" gives "머니투데이 뉴스"), or "".
std::string site_suffix_of(std::string_view title_tag, std::string_view site_name) {
    std::string head = strip_site_suffix(title_tag, site_name, true);
    std::string whole = normalize_whitespace(title_tag);
    if (head.size() >= whole.size() || !whole.starts_with(head)) return "";
    std::string_view rest = std::string_view(whole).substr(head.size());
    for (std::string_view sep : rules::title_suffix_separators) {
        if (rest.starts_with(sep)) return std::string(rest.substr(sep.size()));
    }
    return "";
}

// "LG이노텍 : 네이버 금융" ends with the suffix "네이버 금융".
bool ends_with_suffix(std::string_view title_tag, std::string_view suffix) {
    return std::any_of(rules::title_suffix_separators.begin(), rules::title_suffix_separators.end(),
                       [&](std::string_view sep) {
                           return title_tag.size() > sep.size() + suffix.size() && title_tag.ends_with(suffix) &&
                                  title_tag.substr(0, title_tag.size() - suffix.size()).ends_with(sep);
                       });
}

// The headline: JSON-LD's or OpenGraph's (meta_title), else <title>'s, else the first <h1>'s,
// without the site's name. The page's own <title> and <h1> correct the metadata where sites
// get it wrong (issue #15):
//  - the suffix the <title> carries is the site's name on og:title too ("... - 머니투데이 뉴스");
//  - an og:title that is only the site's name ("네이버 금융") gives way to the <title>;
//  - a metadata headline with its quotation marks dropped gives way to the quoted <title> or <h1>.
std::optional<std::string> choose_title(std::optional<std::string> meta_title, const dom::document& doc, dom::node h1,
                                        std::string_view site_name) {
    const std::optional<std::string> tag = decoded_text(element_text(doc.head(), "title"));
    std::optional<std::string> tag_head;
    if (tag) tag_head = decoded_text(strip_site_suffix(*tag, site_name, true));
    std::optional<std::string> heading;
    if (h1 != nullptr) heading = decoded_text(strip_site_suffix(dom::text_content(h1), site_name, false));
    meta_title = decoded_text(std::move(meta_title));
    if (!meta_title) return tag_head ? tag_head : heading;
    const std::string tag_site = tag ? site_suffix_of(*tag, site_name) : "";
    std::string title = strip_site_suffix(*meta_title, site_name, false);
    if (!tag_site.empty()) title = strip_site_suffix(title, tag_site, false);
    if (tag && (iequals(title, site_name) || iequals(title, tag_site) || ends_with_suffix(*tag, title))) {
        // Only the site's name: the <title> without it.
        auto head = decoded_text(strip_site_suffix(*tag, title, true));
        if (head && *head != *tag && !iequals(*head, title)) return head;
    }
    if (without_quotes(title) != title) return title;  // quoted already
    for (const auto& candidate : {tag_head, heading}) {
        if (candidate && *candidate != title && without_quotes(*candidate) == title) return candidate;
    }
    return title.empty() ? std::nullopt : std::optional<std::string>(title);
}

std::optional<std::string> canonical_link(dom::node found) {
    if (found == nullptr) return std::nullopt;
    std::string href(dom::attr_or_empty(found, "href"));
    return href.empty() ? std::nullopt : std::optional<std::string>(href);
}

// ---- dates ---------------------------------------------------------------------------------

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "+0900" / "+09:00" / "+09" / "Z" -> "+09:00" form; nullopt when malformed.
std::optional<std::string> normalize_offset(std::string_view off) {
    if (off == "Z" || off == "z") return std::string("+00:00");
    if (off.size() < 3 || (off[0] != '+' && off[0] != '-')) return std::nullopt;
    std::string digits;
    for (char c : off.substr(1)) {
        if (c != ':') digits += c;
    }
    if (digits.size() == 2) digits += "00";
    if (digits.size() != 4 || !all_digits(digits)) return std::nullopt;
    return std::string(1, off[0]) + digits.substr(0, 2) + ":" + digits.substr(2);
}

}  // namespace

std::optional<std::string> iso_datetime(std::string_view value) {
    std::string v = normalize_whitespace(value);
    // Date part: YYYY-MM-DD (also YYYY.MM.DD and YYYY/MM/DD, seen in meta tags).
    if (v.size() < 10) return std::nullopt;
    std::string date = v.substr(0, 10);
    if (!all_digits(date.substr(0, 4)) || !all_digits(date.substr(5, 2)) || !all_digits(date.substr(8, 2))) {
        return std::nullopt;
    }
    if (date[4] != date[7] || (date[4] != '-' && date[4] != '.' && date[4] != '/')) return std::nullopt;
    date[4] = date[7] = '-';
    std::string_view rest = std::string_view(v).substr(10);
    if (rest.empty()) return date;
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    rest.remove_prefix(1);
    // Time part: HH:MM[:SS[.fff]]
    if (rest.size() < 5 || !all_digits(rest.substr(0, 2)) || rest[2] != ':' || !all_digits(rest.substr(3, 2))) {
        return std::nullopt;
    }
    std::string time(rest.substr(0, 5));
    rest.remove_prefix(5);
    if (rest.size() >= 3 && rest[0] == ':' && all_digits(rest.substr(1, 2))) {
        time += rest.substr(0, 3);
        rest.remove_prefix(3);
    } else {
        time += ":00";
    }
    if (!rest.empty() && rest[0] == '.') {
        std::size_t end = 1;
        while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9')
            ++end;
        rest.remove_prefix(end);
    }
    while (!rest.empty() && rest[0] == ' ')
        rest.remove_prefix(1);
    if (rest.empty()) return date + "T" + time + "+09:00";
    auto offset = normalize_offset(rest);
    if (!offset) return std::nullopt;
    return date + "T" + time + *offset;
}

namespace {

// "자유게시판", "캠핑 질문답변", "공지사항": a part of a <title> that names a board.
bool is_board_name(std::string_view part) {
    return code_points(part) <= rules::max_site_suffix_chars &&
           std::any_of(rules::board_name_endings.begin(), rules::board_name_endings.end(),
                       [&](std::string_view word) { return iends_with(part, word); });
}

// "한빛구 평생학습관", "퀘이사존 QUASARZONE": a part that reads as a name, not as a post's title
// ("장마 끝났나요?", "요즘 전기요금 얼마나 나오세요"): at most two words, no sentence ending.
bool reads_as_name(std::string_view part) {
    if (std::count(part.begin(), part.end(), ' ') >= 2) return false;
    return std::none_of(rules::title_sentence_endings.begin(), rules::title_sentence_endings.end(),
                        [&](std::string_view end) { return part.ends_with(end); });
}

}  // namespace

std::string strip_site_suffix(std::string_view title, std::string_view site_name, bool guess_short_suffix) {
    std::string t = normalize_whitespace(title);
    for (std::string_view sep : rules::title_suffix_separators) {
        std::size_t pos = t.rfind(sep);
        if (pos == std::string::npos || pos == 0) continue;
        std::string_view head = std::string_view(t).substr(0, pos);
        std::string_view tail = std::string_view(t).substr(pos + sep.size());
        bool is_site = !site_name.empty() && (icontains(tail, site_name) || icontains(site_name, tail));
        bool short_tail = guess_short_suffix && code_points(tail) <= rules::max_site_suffix_chars &&
                          code_points(head) > code_points(tail);
        // The site's own name, word for word, may leave a board's short name ("핫딜 - 에펨코리아").
        bool named_site =
            !site_name.empty() && (iequals(tail, site_name) || istarts_with(tail, std::string(site_name) + " "));
        // A board's name before a short part: the part is the site's ("공지사항 | 한빛구 평생학습관").
        bool board_head = guess_short_suffix && is_board_name(head) && reads_as_name(tail);
        std::size_t min_chars =
            named_site || board_head ? rules::min_title_chars_after_named_site : rules::min_title_chars_after_cut;
        if ((is_site || short_tail || board_head) && code_points(head) >= min_chars) {
            return strip_site_suffix(head, site_name, guess_short_suffix);
        }
    }
    // A leading site name ("오마이뉴스 - 헤드라인", old sites; "뽐뿌 - 자유게시판"): one short
    // word before the first separator, in a <title>, and after it a headline of several words
    // or a board's name (two words alone are more often the site's name after the page's).
    if (guess_short_suffix) {
        for (std::string_view sep : rules::title_suffix_separators) {
            std::size_t pos = t.find(sep);
            if (pos == std::string::npos || pos == 0) continue;
            std::string_view head = std::string_view(t).substr(0, pos);
            std::string_view rest = std::string_view(t).substr(pos + sep.size());
            if (code_points(head) <= rules::max_site_prefix_chars && head.find(' ') == std::string_view::npos &&
                code_points(rest) >= rules::min_title_chars_after_cut && code_points(rest) > 2 * code_points(head) &&
                (is_board_name(rest) || static_cast<std::size_t>(std::count(rest.begin(), rest.end(), ' ')) + 1 >=
                                            rules::min_headline_words_after_prefix)) {
                return std::string(rest);
            }
        }
    }
    if (!site_name.empty()) {
        for (std::string_view sep : rules::title_suffix_separators) {
            std::string prefix = std::string(site_name) + std::string(sep);
            if (istarts_with(t, prefix) && code_points(t) - code_points(prefix) >= rules::min_title_chars_after_cut) {
                return t.substr(prefix.size());
            }
        }
    }
    return t;
}

page_metadata read_metadata(const dom::document& doc, std::string_view page_url) {
    page_metadata meta;
    const page_elements found = gather_elements(doc.root(), origin_of(page_url));
    if (auto ld = best_ld_article(found.ld_scripts)) apply_json_ld(*ld, meta);
    const std::vector<dom::node>& metas = found.metas;
    apply_meta_tags(metas, meta);
    // Without og:site_name, the name on the link to the front page (the logo) tells which part
    // of "공지사항 | 한빛구 평생학습관" is the site's.
    std::string site_name = meta.site_name.value_or("");
    if (site_name.empty() && found.home_link != nullptr) site_name = home_link_name(found.home_link);
    meta.title = choose_title(meta.title, doc, found.h1, site_name);
    meta.canonical_url = canonical_link(found.canonical);
    meta.publisher = meta.site_name;
    if (is_portal(meta.site_name, page_url)) {
        if (auto press = press_of_portal_page(metas)) meta.publisher = press;
    }
    attribute_dates(doc.body(), meta);
    return meta;
}

}  // namespace gisa::extract
