// The extraction pipeline: extract_page runs the stages of docs/DESIGN.md in order (extractor.hpp).
#include "extract/extractor.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <optional>
#include <string>

#include "extract/board.hpp"
#include "extract/body.hpp"
#include "extract/byline.hpp"
#include "extract/content.hpp"
#include "extract/depth_guard.hpp"
#include "extract/dom.hpp"
#include "extract/links.hpp"
#include "extract/metadata.hpp"
#include "extract/rules.hpp"
#include "extract/script_state.hpp"
#include "extract/segments.hpp"
#include "extract/strings.hpp"
#include "text/charset.hpp"
#include "text/korean_date.hpp"

namespace gisa::extract {

namespace {

// ---- stage 1: decode --------------------------------------------------------------------

std::string decode_stage(const page_input& input, core::page_record& record) {
    text::decoded_text decoded = text::decode_html(input.bytes, input.content_type, input.charset_override);
    record.charset = decoded.charset;
    record.replaced_bytes = decoded.replaced;
    return std::move(decoded.utf8);
}

// ---- stage 2: depth guard --------------------------------------------------------------

// The text Gumbo may parse: as is, flattened past max_open_depth, or nullopt (refused, with
// the error and a note set).
std::optional<std::string> depth_guard_stage(std::string html, extract_result& result) {
    depth_scan scan = scan_depth(html);
    if (scan.verdict == depth_verdict::refuse) {
        result.error.code = core::errc::too_large;
        result.error.message = scan.message;
        result.record.notes.push_back("refused: " + scan.message);
        return std::nullopt;
    }
    if (scan.needs_flatten()) {
        result.record.notes.push_back("flattened: " + scan.message);
        return flatten_depth(html);
    }
    return html;
}

// ---- stage 4: metadata ------------------------------------------------------------------

void apply_metadata(const page_metadata& meta, core::page_record& record) {
    record.title = meta.title;
    record.publisher = meta.publisher;
    record.published_at = meta.published_at;
    record.modified_at = meta.modified_at;
}

// ---- stage 7: no article ----------------------------------------------------------------

std::size_t body_chars(const std::vector<std::string>& body) {
    std::size_t n = 0;
    for (const auto& p : body)
        n += code_points(p);
    return n;
}

bool inside_any(dom::node n, const std::vector<const GumboNode*>& containers) {
    for (const GumboNode* c : containers) {
        if (n == c || dom::is_ancestor(c, n)) return true;
    }
    return false;
}

// A list, a front page or an error page: too little prose, or prose that is a board's rows.
bool is_article(const article_text& text, const page_metadata& meta, const content_choice& choice,
                const board_result& board) {
    if (choice.top == nullptr || inside_any(choice.top, board.containers)) return false;
    std::size_t min_chars = meta.is_article ? rules::min_article_chars : rules::min_article_chars_without_metadata;
    return body_chars(text.body) >= min_chars;
}

// ---- stage 9: byline, publisher, dates --------------------------------------------------

// Labelled dates lines ("입력 2024.07.18 15:12") in [first, end) fill what is still empty.
void labelled_dates(const segmented_page& page, std::size_t first, std::size_t end, core::page_record& record) {
    for (std::size_t i = first; i < end && i < page.segments.size(); ++i) {
        if (record.published_at && record.modified_at) return;  // nothing left to fill
        const segment& s = page.segments[i];
        if (s.chars > rules::max_date_line_chars) continue;
        line_dates d = read_date_line(s.text);
        if (!record.published_at && d.published) record.published_at = d.published;
        if (!record.modified_at && d.modified) record.modified_at = d.modified;
    }
}

// Dates lines fill what metadata left empty: the article region's first, then the page's;
// an unlabelled date line ("2024-07-18 15:02") only as a last resort for published_at.
void dates_from_text(const segmented_page& page, const content_choice& choice, core::page_record& record) {
    dom::node scope = article_scope(page, choice);
    if (scope != nullptr) {
        const element_stats& range = page.elements.at(scope);
        labelled_dates(page, range.first_segment, range.end_segment, record);
    }
    labelled_dates(page, 0, page.segments.size(), record);
    if (record.published_at) return;
    // Above the article text only: below it, dates belong to lists and comments.
    for (std::size_t i = 0; i < page.segments.size() && !in_choice(page, choice, i); ++i) {
        if (page.segments[i].chars > rules::max_date_line_chars) continue;
        if (auto date = text::parse_korean_datetime(page.segments[i].text)) {
            record.published_at = date;
            return;
        }
    }
}

// Byline: the article region's, else a reporter card's, else the metadata author; e-mail added.
std::optional<std::string> resolve_byline(const article_text& text, const page_metadata& meta,
                                          const segmented_page& page) {
    std::optional<std::string> byline = text.byline;
    if (!byline) byline = page_byline(page);
    if (byline) return complete_byline(*byline, page, text.contact_email);
    if (meta.author && meta.author != meta.site_name) return complete_byline(*meta.author, page, text.contact_email);
    return std::nullopt;
}

void apply_article(article_text text, const page_metadata& meta, const segmented_page& page,
                   core::page_record& record) {
    auto trailing = take_trailing_publisher(text.body, meta.site_name.value_or(""));
    if (!record.publisher) record.publisher = trailing;
    record.byline = resolve_byline(text, meta, page);
    drop_sign_off(text.body, record.byline);
    record.body = std::move(text.body);
    record.captions = std::move(text.captions);
    record.subtitle = std::move(text.subtitle);
}

// ---- stage 8b: an article kept in script state -----------------------------------------

// "안소윤 기자 antahn22@sportschosun.com": a short line that only names the reporter (the story's
// last text element on Arc sites). Its byline, or nullopt for a paragraph of the article.
std::optional<std::string> reporter_line_byline(std::string_view p) {
    if (code_points(p) > rules::max_byline_line_chars || dateline_length(p) != 0 || count_sentence_endings(p) != 0)
        return std::nullopt;
    return find_byline(p);
}

// The credits' byline ("김하늘 기자"), or the reporter line's when it names the same reporter and
// adds the e-mail ("김하늘 기자 sky@sportschosun.com"), or the reporter line's when credits have none.
std::optional<std::string> prefer_with_email(const std::optional<std::string>& credits,
                                             const std::optional<std::string>& line) {
    if (!credits) return line;
    if (line && line->size() > credits->size() && line->starts_with(*credits + " ")) return line;
    return credits;
}

// The markup held no article: the page may ship it as JSON for its scripts (script_state.hpp).
bool apply_script_article(const dom::document& doc, const page_metadata& meta, core::page_record& record) {
    auto article = read_script_article(doc);
    if (!article) return false;
    std::vector<std::string> body;
    std::optional<std::string> reporter_line;
    for (auto& p : article->paragraphs) {
        bool boilerplate =
            is_copyright_line(p) || is_interface_line(p) || is_tip_line(p) || (record.title && p == *record.title);
        if (boilerplate) continue;
        if (auto reporter = reporter_line_byline(p)) {
            reporter_line = std::move(reporter);
            continue;
        }
        if (std::size_t n = dateline_length(p)) {
            if (!article->byline) article->byline = find_byline(p.substr(0, n));
            p.erase(0, n);
        }
        if (!p.empty()) body.push_back(std::move(p));
    }
    if (body_chars(body) < rules::min_article_chars) return false;
    auto trailing = take_trailing_publisher(body, meta.site_name.value_or(""));
    if (!record.publisher) record.publisher = trailing;
    record.body = std::move(body);
    record.captions = std::move(article->captions);
    record.byline = prefer_with_email(article->byline, reporter_line);
    if (!record.byline && meta.author && meta.author != meta.site_name) record.byline = meta.author;
    return true;
}

// ---- stage 10: links_out ----------------------------------------------------------------

// Chrome regions, except those the segment walk kept as the page's wrapper.
bool link_boilerplate(const GumboNode* n, const segmented_page& page) {
    return dom::is_boilerplate_region(n) &&
           std::find(page.page_wrappers.begin(), page.page_wrappers.end(), n) == page.page_wrappers.end();
}

// The stages after parsing: everything that reads the tree.
void read_tree(const dom::document& doc, const page_input& input, core::page_record& record) {
    // 4. metadata: JSON-LD, OpenGraph, <meta>, <title> without the site suffix
    page_metadata meta = read_metadata(doc, input.url);
    apply_metadata(meta, record);
    // 5. prune boilerplate and cut the page into segments (paragraph candidates)
    segmented_page page = segment_page(doc.body());
    // 6. board rows
    page_context ctx = make_page_context(doc.root(), input.url, input.fetched_at, meta.published_at.value_or(""));
    board_result board = extract_board(doc.root(), ctx);
    record.board = board.board;
    // 7. main content: score blocks, keep the best subtree and its strong siblings
    content_choice choice = choose_main_content(page);
    // 8. body paragraphs, captions out of the body
    const std::string title = record.title.value_or("");
    line_context lines{title};
    article_text text = assemble_article(page, choice, lines);
    // 9. byline, publisher, dates
    if (is_article(text, meta, choice, board)) {
        dates_from_text(page, choice, record);
        apply_article(std::move(text), meta, page, record);
    } else if (!apply_script_article(doc, meta, record)) {
        record.notes.emplace_back("no article found");
    }
    // 10. links_out: board rows first, then links outside boilerplate regions
    record.links_out = collect_links(doc.root(), record.board, board.containers, ctx,
                                     [&page](const GumboNode* n) { return link_boilerplate(n, page); });
}

}  // namespace

extract_result extract_page(const page_input& input) {
    extract_result result;
    core::page_record& record = result.record;
    record.url = input.url;
    record.final_url = input.url;
    try {
        // 1. decode: bytes in any charset -> UTF-8, replaced bytes counted
        std::string html = decode_stage(input, record);
        // 2. depth guard (before Gumbo: its work grows with nesting depth squared)
        std::optional<std::string> guarded = depth_guard_stage(std::move(html), result);
        if (!guarded) return result;
        // 3. parse
        dom::document doc = dom::document::parse(*guarded);
        read_tree(doc, input, record);
    } catch (const std::bad_alloc&) {
        result.error.code = core::errc::too_large;
        result.error.message = "out of memory while extracting the page";
        record.notes.emplace_back("refused: out of memory");
    } catch (const std::exception& e) {
        result.error.code = core::errc::parse;
        result.error.message = e.what();
        record.notes.emplace_back("refused: " + std::string(e.what()));
    }
    return result;
}

}  // namespace gisa::extract
