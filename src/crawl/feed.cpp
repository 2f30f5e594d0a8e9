// Feeds and sitemaps read as URL lists: a cheap root sniff, bytes to UTF-8, a pugixml parse, one walk per format.
#include "crawl/feed.hpp"

#include <pugixml.hpp>

#include <exception>
#include <new>
#include <optional>
#include <unordered_set>
#include <utility>

#include "extract/links.hpp"
#include "text/charset.hpp"

namespace gisa::crawl {
namespace {

// The sitemap protocol allows 50 MiB uncompressed (sitemaps.org/protocol.html); a larger body is refused before
// it is copied, decoded and turned into a DOM several times its size.
constexpr std::size_t max_feed_bytes = 50 * 1024 * 1024;
// How far looks_like_feed reads for the root element; a prologue longer than this belongs to no feed we know.
constexpr std::size_t sniff_window_bytes = 64 * 1024;
// How far the XML declaration is looked for; it is the first thing in the document or absent.
constexpr std::size_t xml_declaration_max_bytes = 1024;
// Atom lets a registered relation be written as its full IRI (RFC 4287 4.2.7.2).
constexpr std::string_view atom_alternate_iri = "http://www.iana.org/assignments/relation/alternate";

// --- small string helpers -------------------------------------------------------------------------------------

bool is_xml_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim_xml_space(std::string_view s) noexcept {
    while (!s.empty() && is_xml_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_xml_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Feeds mix prefixes freely ("atom:link", "rdf:RDF", default namespaces): elements are matched on local names.
std::string_view local_name(std::string_view qualified) noexcept {
    const std::size_t colon = qualified.rfind(':');
    return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

bool is_element(const pugi::xml_node& node, std::string_view name) {
    return node.type() == pugi::node_element && local_name(node.name()) == name;
}

// All character data directly inside an element: "<link> <![CDATA[http://a.kr/]]> </link>" gives the URL.
std::string text_of(const pugi::xml_node& node) {
    std::string text;
    for (const pugi::xml_node& child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
    }
    return text;
}

core::error make_error(core::errc code, std::string message) {
    return core::error{code, std::move(message), false, std::nullopt};
}

feed_result failure(core::errc code, std::string message) {
    feed_result result;
    result.error = make_error(code, std::move(message));
    return result;
}

// --- looks_like_feed ------------------------------------------------------------------------------------------

// "Application/RSS+XML; charset=utf-8" -> "application/rss+xml".
std::string media_type(std::string_view content_type) {
    std::string type(trim_xml_space(content_type.substr(0, content_type.find(';'))));
    for (char& c : type)
        c = ascii_lower(c);
    return type;
}

// The sniff reads ASCII: UTF-16 bytes (with or without a BOM) are narrowed to their low bytes first.
std::string_view sniff_view(std::string_view bytes, std::string& narrowed) {
    bytes = bytes.substr(0, sniff_window_bytes);
    std::size_t first = 0;  // index of the low byte of the first UTF-16 unit
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return bytes.substr(3);
    if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == std::string_view("<\0", 2)) {
        first = bytes.front() == '<' ? 0 : 2;
    } else if (bytes.substr(0, 2) == "\xFE\xFF" || bytes.substr(0, 2) == std::string_view("\0<", 2)) {
        first = bytes.front() == '\0' ? 1 : 3;
    } else {
        return bytes;
    }
    for (std::size_t i = first; i < bytes.size(); i += 2)
        narrowed += bytes[i];
    return narrowed;
}

// Past a "<!DOCTYPE ...>" whose internal subset ("[ ... ]") may itself hold '>'; npos if it does not end.
std::size_t skip_declaration(std::string_view s, std::size_t pos) noexcept {
    int depth = 0;
    for (; pos < s.size(); ++pos) {
        if (s[pos] == '[') ++depth;
        if (s[pos] == ']') --depth;
        if (s[pos] == '>' && depth <= 0) return pos + 1;
    }
    return std::string_view::npos;
}

// Past one prologue item (declaration, processing instruction, comment, doctype) at s[pos] == '<'; pos itself
// when s[pos] starts an element; npos when the item does not end within the window.
std::size_t skip_prologue_item(std::string_view s, std::size_t pos) noexcept {
    const std::string_view rest = s.substr(pos);
    if (rest.substr(0, 2) == "<?") {
        const std::size_t end = s.find("?>", pos + 2);
        return end == std::string_view::npos ? end : end + 2;
    }
    if (rest.substr(0, 4) == "<!--") {
        const std::size_t end = s.find("-->", pos + 4);
        return end == std::string_view::npos ? end : end + 3;
    }
    if (rest.substr(0, 2) == "<!") return skip_declaration(s, pos + 2);
    return pos;
}

// The qualified name of the first element ("rss", "rdf:RDF", "html"), or empty when the bytes do not reach one.
std::string_view root_element_name(std::string_view s) noexcept {
    std::size_t pos = 0;
    while (true) {
        while (pos < s.size() && is_xml_space(s[pos]))
            ++pos;
        if (pos >= s.size() || s[pos] != '<') return {};
        const std::size_t next = skip_prologue_item(s, pos);
        if (next == std::string_view::npos) return {};
        if (next == pos) break;
        pos = next;
    }
    const std::size_t start = pos + 1;
    std::size_t end = start;
    while (end < s.size() && !is_xml_space(s[end]) && s[end] != '>' && s[end] != '/')
        ++end;
    return s.substr(start, end - start);
}

bool is_feed_root(std::string_view local) noexcept {
    return local == "rss" || local == "feed" || local == "urlset" || local == "sitemapindex" || local == "RDF";
}

// --- URL collection -------------------------------------------------------------------------------------------

// The result's URL list: normalised as page links are, each once, first occurrence kept, at most max_feed_urls.
class url_list {
  public:
    bool full() const noexcept { return urls_.size() >= max_feed_urls; }

    // True when the href named an http(s) URL (new or seen before); false when it was dropped.
    bool add(std::string_view href, std::string_view base) {
        if (full()) return false;
        std::optional<std::string> url = extract::normalize_link(trim_xml_space(href), base);
        if (!url) return false;
        if (seen_.insert(*url).second) urls_.push_back(std::move(*url));
        return true;
    }

    std::vector<std::string> take() && { return std::move(urls_); }

  private:
    std::vector<std::string> urls_;
    std::unordered_set<std::string> seen_;
};

// Atom's link choice, also met in RSS items as <atom:link>: rel="alternate" or no rel; "self", "edit",
// "enclosure", "related" and "via" do not point at the article.
bool is_alternate_link(const pugi::xml_node& link) {
    const pugi::xml_attribute rel = link.attribute("rel");
    if (!rel) return true;
    const std::string_view value = trim_xml_space(rel.value());
    return iequals(value, "alternate") || iequals(value, atom_alternate_iri);
}

// A <guid> stands in for a missing <link> only as a permalink (isPermaLink absent or "true", RSS 2.0) that is
// an absolute http(s) URL; "isPermaLink=false" ids are database keys and tag: URIs.
bool add_permalink_guid(const pugi::xml_node& guid, std::string_view base, url_list& out) {
    const pugi::xml_attribute permalink = guid.attribute("isPermaLink");
    if (permalink && !iequals(trim_xml_space(permalink.value()), "true")) return false;
    const std::string text = text_of(guid);
    const std::string_view id = trim_xml_space(text);
    if (!istarts_with(id, "http://") && !istarts_with(id, "https://")) return false;
    return out.add(id, base);
}

// One RSS item: its first <link> (text, or href of an alternate atom:link), else a permalink <guid>, else
// RSS 1.0's rdf:about.
void add_rss_item(const pugi::xml_node& item, std::string_view base, url_list& out) {
    for (const pugi::xml_node& link : item.children()) {
        if (!is_element(link, "link")) continue;
        if (out.add(text_of(link), base)) return;
        if (link.attribute("href") && is_alternate_link(link) && out.add(link.attribute("href").value(), base)) return;
    }
    for (const pugi::xml_node& guid : item.children()) {
        if (is_element(guid, "guid") && add_permalink_guid(guid, base, out)) return;
    }
    if (const pugi::xml_attribute about = item.attribute("rdf:about")) out.add(about.value(), base);
}

// RSS 2.0 keeps items in <channel>; RSS 1.0 (rdf:RDF) puts them beside it.
void read_rss(const pugi::xml_node& root, std::string_view base, url_list& out) {
    for (const pugi::xml_node& child : root.children()) {
        if (is_element(child, "item")) add_rss_item(child, base, out);
        if (!is_element(child, "channel")) continue;
        for (const pugi::xml_node& item : child.children()) {
            if (out.full()) return;
            if (is_element(item, "item")) add_rss_item(item, base, out);
        }
    }
}

// xml:base on an Atom element, resolved against its parent's base (RFC 4287 2, XML Base); the parent's base
// when absent or unusable.
std::string with_xml_base(const pugi::xml_node& node, const std::string& parent_base) {
    const pugi::xml_attribute xml_base = node.attribute("xml:base");
    if (!xml_base) return parent_base;
    return extract::normalize_link(trim_xml_space(xml_base.value()), parent_base).value_or(parent_base);
}

// One URL per entry: its first alternate link that resolves (alternates in other languages are the same article).
void read_atom(const pugi::xml_node& feed, const std::string& base, url_list& out) {
    const std::string feed_base = with_xml_base(feed, base);
    for (const pugi::xml_node& entry : feed.children()) {
        if (out.full()) return;
        if (!is_element(entry, "entry")) continue;
        const std::string entry_base = with_xml_base(entry, feed_base);
        for (const pugi::xml_node& link : entry.children()) {
            if (!is_element(link, "link") || !is_alternate_link(link)) continue;
            if (out.add(link.attribute("href").value(), with_xml_base(link, entry_base))) break;
        }
    }
}

// urlset/url/loc and sitemapindex/sitemap/loc. Only a direct <loc> counts: image:loc and video:content_loc sit
// deeper, and news:* elements are not named loc.
void read_locs(const pugi::xml_node& root, std::string_view entry_name, std::string_view base, url_list& out) {
    for (const pugi::xml_node& entry : root.children()) {
        if (out.full()) return;
        if (!is_element(entry, entry_name)) continue;
        for (const pugi::xml_node& loc : entry.children()) {
            if (is_element(loc, "loc") && out.add(text_of(loc), base)) break;
        }
    }
}

// --- bytes to a document --------------------------------------------------------------------------------------

// The encoding="..." of an XML declaration at the start of the bytes, or empty.
std::string_view declared_encoding(std::string_view bytes) noexcept {
    if (bytes.substr(0, 5) != "<?xml") return {};
    const std::size_t declaration_end = bytes.substr(0, xml_declaration_max_bytes).find("?>");
    if (declaration_end == std::string_view::npos) return {};
    const std::string_view declaration = bytes.substr(0, declaration_end);
    std::size_t pos = declaration.find("encoding");
    if (pos == std::string_view::npos) return {};
    pos = declaration.find_first_of("\"'", pos);
    if (pos == std::string_view::npos) return {};
    const std::size_t end = declaration.find(declaration[pos], pos + 1);
    if (end == std::string_view::npos) return {};
    return trim_xml_space(declaration.substr(pos + 1, end - pos - 1));
}

// UTF-32, and UTF-16 without a byte order mark, which decode_html does not read; pugixml detects them itself.
bool needs_pugixml_detection(std::string_view bytes) noexcept {
    const std::string_view head = bytes.substr(0, 4);
    if (head == std::string_view("\0\0\xFE\xFF", 4) || head == std::string_view("\xFF\xFE\0\0", 4)) return true;
    if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 2) == "\xFF\xFE") return false;
    return head.find('\0') != std::string_view::npos;
}

// A label the ASCII-compatible bytes can be decoded with: known, and not UTF-16/32 (those bytes would hold NULs
// or a byte order mark, and never reach a label).
bool is_usable_label(std::string_view label) {
    const std::string charset = text::canonical_charset(label);
    return !charset.empty() && !istarts_with(charset, "UTF-16") && !istarts_with(charset, "UTF-32");
}

// The label to decode with: the HTTP charset (RFC 7303 3.2 puts it above the declaration), else the XML
// declaration's, else UTF-8, XML's default.
std::string charset_label(std::string_view bytes, std::string_view content_type) {
    std::string from_http = text::content_type_charset(content_type);
    if (is_usable_label(from_http)) return from_http;
    std::string from_declaration(declared_encoding(bytes));
    if (is_usable_label(from_declaration)) return from_declaration;
    return "utf-8";
}

// The document as UTF-8 plus the charset it was read in. decode_html keeps its checks: a BOM wins, a legacy
// label loses to bytes that are valid UTF-8, and a UTF-8 label to bytes that are clean CP949.
text::decoded_text decode_to_utf8(std::string_view bytes, std::string_view content_type) {
    const std::string label = charset_label(bytes, content_type);
    return text::decode_html(bytes, "application/xml; charset=" + label);
}

std::string parse_error_message(const pugi::xml_parse_result& parsed, const std::string& charset) {
    std::string message = "malformed XML: " + std::string(parsed.description()) + " at byte " +
                          std::to_string(static_cast<long long>(parsed.offset));
    if (!charset.empty() && charset != "UTF-8") message += " of the text decoded from " + charset + " to UTF-8";
    return message;
}

// Parses into `doc`. `utf8` holds the decoded text and must outlive the document (it is parsed in place).
core::error parse_document(std::string_view bytes, std::string_view content_type, std::string& utf8,
                           pugi::xml_document& doc) {
    pugi::xml_parse_result parsed;
    std::string charset;
    if (needs_pugixml_detection(bytes)) {
        parsed = doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
    } else {
        text::decoded_text decoded = decode_to_utf8(bytes, content_type);
        utf8 = std::move(decoded.utf8);
        charset = std::move(decoded.charset);
        // encoding_utf8, not auto: the declaration may still say euc-kr, and pugixml must not act on it.
        parsed = doc.load_buffer_inplace(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    }
    if (!parsed) return make_error(core::errc::parse, parse_error_message(parsed, charset));
    return {};
}

feed_result not_a_feed(const pugi::xml_node& root) {
    return failure(core::errc::nothing_extracted, "not a feed or sitemap: the root element is <" +
                                                      std::string(root.name()) +
                                                      ">, not rss, rdf:RDF, feed, urlset or sitemapindex");
}

feed_result read_root(const pugi::xml_node& root, const std::string& base_url) {
    feed_result result;
    url_list urls;
    const std::string_view local = local_name(root.name());
    if (local == "rss" || local == "RDF") {
        result.kind = feed_kind::rss;
        read_rss(root, base_url, urls);
    } else if (local == "feed") {
        result.kind = feed_kind::atom;
        read_atom(root, base_url, urls);
    } else if (local == "urlset") {
        result.kind = feed_kind::sitemap;
        read_locs(root, "url", base_url, urls);
    } else if (local == "sitemapindex") {
        result.kind = feed_kind::sitemap_index;
        read_locs(root, "sitemap", base_url, urls);
    } else {
        return not_a_feed(root);
    }
    result.urls = std::move(urls).take();
    return result;
}

feed_result read_feed_unguarded(std::string_view bytes, std::string_view content_type, const std::string& base_url) {
    // 1. Bounds: nothing over the sitemap protocol's size is copied or parsed; nothing at all is no feed.
    if (bytes.size() > max_feed_bytes) {
        return failure(core::errc::too_large, "feed of " + std::to_string(bytes.size()) + " bytes is over the " +
                                                  std::to_string(max_feed_bytes) + "-byte limit");
    }
    if (trim_xml_space(bytes).empty()) return failure(core::errc::parse, "empty body: no XML to read as a feed");
    // 2. Bytes to UTF-8, then a DOM.
    std::string utf8;
    pugi::xml_document doc;
    if (core::error parse_error = parse_document(bytes, content_type, utf8, doc); parse_error.code != core::errc::ok) {
        feed_result result;
        result.error = std::move(parse_error);
        return result;
    }
    // 3. The root element names the format; each format has its own walk.
    return read_root(doc.document_element(), base_url);
}

}  // namespace

std::string_view to_string(feed_kind kind) noexcept {
    switch (kind) {
        case feed_kind::rss:
            return "rss";
        case feed_kind::atom:
            return "atom";
        case feed_kind::sitemap:
            return "sitemap";
        case feed_kind::sitemap_index:
            return "sitemap_index";
    }
    return "rss";
}

bool looks_like_feed(std::string_view bytes, std::string_view content_type) {
    std::string narrowed;
    const std::string_view root = root_element_name(sniff_view(bytes, narrowed));
    // The bytes decide when they show a root: <html> under application/xhtml+xml or text/xml is a page, and
    // Korean CMSs serve real RSS as text/html.
    if (!root.empty()) return is_feed_root(local_name(root));
    // A body cut before its root element: only a feed's own media type vouches for it.
    const std::string type = media_type(content_type);
    return type == "application/rss+xml" || type == "application/atom+xml";
}

feed_result read_feed(std::string_view bytes, std::string_view content_type, const std::string& base_url) {
    try {
        return read_feed_unguarded(bytes, content_type, base_url);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        return failure(core::errc::parse, std::string("feed could not be read: ") + e.what());
    }
}

}  // namespace gisa::crawl
