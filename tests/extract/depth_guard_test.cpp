// Tests for the depth guard: normal pages pass untouched, hostile nesting is caught and flattened.
#include "extract/depth_guard.hpp"

#include <catch2/catch.hpp>

#include <string>

using gisa::extract::depth_verdict;
using gisa::extract::flatten_depth;
using gisa::extract::max_open_depth;
using gisa::extract::max_page_bytes;
using gisa::extract::scan_depth;

namespace {

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        out.append(piece);
    return out;
}

std::string page(std::string_view body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>" + std::string(body) +
           "</body></html>";
}

std::string nested_divs(std::size_t depth) {
    return page(repeat("<div>", depth) + "x" + repeat("</div>", depth));
}

// The text outside tags, without whitespace: what flattening must keep.
std::string text_only(std::string_view html) {
    std::string out;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<') in_tag = true;
        if (!in_tag && c != ' ' && c != '\n') out += c;
        if (c == '>') in_tag = false;
    }
    return out;
}

}  // namespace

TEST_CASE("a normal article page passes untouched with its real depth") {
    const std::string html = page(
        "<header><nav><ul><li><a href=\"/\">home</a><li><a href=\"/news\">news</a></ul></nav></header>"
        "<main><article><h1>title</h1><p>one<br>two<p>three<img src=x.jpg alt=\"\">"
        "<figure><img src=y.jpg><figcaption>cap</figcaption></figure>"
        "<table><tr><td>a<td>b<tr><td>c<td>d</table></article></main>");
    const auto scan = scan_depth(html);
    CHECK(scan.verdict == depth_verdict::ok);
    CHECK(scan.message.empty());
    // html > body > main > article > table > tr > td, or html > body > header > nav > ul > li > a
    CHECK(scan.max_depth == 7);
    CHECK(scan.start_tags > 20);
}

TEST_CASE("nesting depth boundaries against the limit") {
    auto [depth, verdict] = GENERATE(table<std::size_t, depth_verdict>({
        {0, depth_verdict::ok},
        {8, depth_verdict::ok},  // html + body + 8 = 10: at the limit
        {9, depth_verdict::flatten},
        {50, depth_verdict::flatten},
    }));
    CAPTURE(depth);
    const auto scan = scan_depth(nested_divs(depth), 10);
    CHECK(scan.max_depth == depth + 2);
    CHECK(scan.verdict == verdict);
}

TEST_CASE("100,000 nested divs are caught and flattened to a bounded tree") {
    std::string body;
    for (std::size_t i = 0; i < 100'000; ++i)
        body += "<div>w" + std::to_string(i) + " ";
    const std::string html = page(body + repeat("</div>", 100'000));
    const auto scan = scan_depth(html);
    CHECK(scan.verdict == depth_verdict::flatten);
    CHECK(scan.max_depth == 100'002);
    const std::string flat = flatten_depth(html);
    const auto rescan = scan_depth(flat);
    CHECK(rescan.verdict == depth_verdict::ok);
    CHECK(rescan.max_depth <= max_open_depth);
    CHECK(text_only(flat) == text_only(html));  // the text stays, only tags go
}

TEST_CASE("20,000 nested table/tr/td are caught and flattened") {
    const std::string html = page(repeat("<table><tr><td>", 20'000) + "x");
    const auto scan = scan_depth(html);
    CHECK(scan.verdict == depth_verdict::flatten);
    CHECK(scan.max_depth >= 60'000);
    const auto rescan = scan_depth(flatten_depth(html));
    CHECK(rescan.verdict == depth_verdict::ok);
    CHECK(rescan.max_depth <= max_open_depth);
}

TEST_CASE("unclosed p, li, td, tr, option and dt do not add up") {
    const std::string list = "<ul>" + repeat("<li><a href=\"/a\">item</a>", 5000) + "</ul>";
    const std::string paragraphs = repeat("<p>paragraph <b>bold</b> text", 5000);
    const std::string table = "<table>" + repeat("<tr><td>1<td>2<th>3", 5000) + "</table>";
    const std::string select = "<select>" + repeat("<option>o", 5000) + "</select>";
    const std::string dl = "<dl>" + repeat("<dt>t<dd>d", 5000) + "</dl>";
    const std::string headings = repeat("<h3>heading", 1000);
    const auto scan = scan_depth(page(list + paragraphs + table + select + dl + headings));
    CHECK(scan.verdict == depth_verdict::ok);
    CHECK(scan.max_depth <= 6);
}

TEST_CASE("markup inside comments, scripts, styles and textareas does not count") {
    const std::string inert = "<!-- " + repeat("<div>", 1000) + " -->" + "<script>var s = '" + repeat("<div>", 1000) +
                              "';</script>" + "<style>/*" + repeat("<div>", 1000) + "*/</style>" + "<textarea>" +
                              repeat("<div>", 1000) + "</textarea>" + "<title>" + repeat("<div>", 1000) + "</title>" +
                              "<SCRIPT type=x>" + repeat("<div>", 1000) + "</script >" + "<script src=a.js/>" +
                              repeat("<div>", 1000) + "</script>";
    const auto scan = scan_depth(page(inert));
    CHECK(scan.verdict == depth_verdict::ok);
    CHECK(scan.max_depth <= 3);
}

TEST_CASE("void and self-closing elements do not count, other self-closing tags do") {
    const std::string voids = repeat("<br><img src=a.jpg><input type=text><hr/><meta name=x><link rel=y>", 2000);
    const std::string svg = "<svg>" + repeat("<path d=\"M0 0\"/><g/>", 2000) + "</svg>";
    CHECK(scan_depth(page(voids + svg)).max_depth <= 3);
    // An HTML parser opens <div/>: they nest, so they count.
    CHECK(scan_depth(page(repeat("<div/>", 1000))).verdict == depth_verdict::flatten);
}

TEST_CASE("quotes in attributes do not end a tag early") {
    const std::string tricky = repeat("<a title=\"a > b\" href='/x>y'>link</a><img alt=\"<div>\">", 2000);
    const auto scan = scan_depth(page(tricky));
    CHECK(scan.verdict == depth_verdict::ok);
    CHECK(scan.max_depth <= 3);
}

TEST_CASE("unclosed <a> and <font> of sloppy pages do not trip it") {
    const std::string anchors = repeat("<a href=\"/x\">link ", 3000);
    const std::string fonts = "<div>" + repeat("<p><font size=2 color=gray>text", 3000) + "</div>";
    const auto scan = scan_depth(page(anchors + "<hr>" + fonts));
    CHECK(scan.verdict == depth_verdict::ok);
    CHECK(scan.max_depth <= 10);
}

TEST_CASE("end tags out of scope do not hide nesting") {
    // </div> inside a cell cannot close the div outside the table: the tables nest.
    const auto in_cells = scan_depth(page("<div>" + repeat("<table><tr><td></div>", 500)));
    CHECK(in_cells.verdict == depth_verdict::flatten);
    // A new <a> closes the old one, but a block opened inside it stays open.
    const auto anchors = scan_depth(page(repeat("<a href=x><div>", 1000)));
    CHECK(anchors.verdict == depth_verdict::flatten);
    // </body> and </html> close nothing: what follows goes back into the open elements.
    CHECK(scan_depth(page(repeat("<div></body></html>", 1000))).verdict == depth_verdict::flatten);
    // </form> removes the form alone; the div opened inside it stays open.
    CHECK(scan_depth(page(repeat("<form><div></form>", 1000))).verdict == depth_verdict::flatten);
    CHECK(scan_depth(page(repeat("<form><input name=q></form>", 1000))).max_depth <= 3);
    // An HTML tag inside <svg> breaks out of it: <div/> opens a div there too.
    CHECK(scan_depth(page(repeat("<svg><div/></svg>", 1000))).verdict == depth_verdict::flatten);
    // </span> does not close through a block.
    const auto spans = scan_depth(page("<span>" + repeat("<div></span>", 1000)));
    CHECK(spans.verdict == depth_verdict::flatten);
}

TEST_CASE("formatting elements re-created at every block are caught") {
    // Each <b> with its own attributes stays listed after </div> and is re-opened later.
    std::string body;
    for (int i = 0; i < 3000; ++i)
        body += "<div><b id=b" + std::to_string(i) + ">x</div>";
    const std::string html = page(body);
    const auto scan = scan_depth(html);
    CHECK(scan.verdict == depth_verdict::flatten);
    const std::string flat = flatten_depth(html);
    const auto rescan = scan_depth(flat);
    CHECK(rescan.verdict == depth_verdict::ok);
    CHECK(rescan.max_depth <= 5);
}

TEST_CASE("flattening keeps a normal page byte for byte") {
    const std::string html = page("<div><p>one <b>two</b><p>three</div><!-- c --><script>if (a<b) x();</script>");
    CHECK(flatten_depth(html) == html);
}

TEST_CASE("flattening drops tags past the limit, keeps text, separates block words") {
    const std::string html = "<div><div><div>a<div>b</div>c<span>d</span></div></div></div>";
    const std::string flat = flatten_depth(html, 2);
    CHECK(flat == "<div><div>\na\nb\ncd\n</div></div>");
}

TEST_CASE("pages over the size limit are refused with a message") {
    const std::string big(max_page_bytes + 1, 'a');
    const auto scan = scan_depth(big);
    CHECK(scan.verdict == depth_verdict::refuse);
    CHECK(scan.message == "page is 10485761 bytes of text, over the limit of 10485760 (10 MiB)");
    CHECK(scan_depth(std::string(max_page_bytes, 'a')).verdict == depth_verdict::ok);
}

TEST_CASE("pages with more elements than the limit are refused before parsing") {
    using gisa::extract::max_page_elements;
    // 10 MiB of "<p>x" would be 2.6 million elements: 7 s and 1.4 GB of parsing.
    std::string at_limit = "<html><body>";  // two start tags
    for (std::size_t i = 2; i < max_page_elements; ++i)
        at_limit += "<p>x";
    CHECK(scan_depth(at_limit).verdict == depth_verdict::ok);
    CHECK(scan_depth(at_limit).start_tags == max_page_elements);
    const auto scan = scan_depth(at_limit + "<br>");
    CHECK(scan.verdict == depth_verdict::refuse);
    CHECK(scan.message == "page has more than 250000 elements, the limit");
    // End tags, comments and tags inside raw text are not elements: one below the limit, and a
    // <script> full of "<p>" makes it.
    const std::string below = at_limit.substr(0, at_limit.size() - 4);
    const std::string quiet = below + "</p><!-- <p> --><script>var s = '<p><p><p>';</script>";
    CHECK(scan_depth(quiet).start_tags == max_page_elements);
    CHECK(scan_depth(quiet).verdict == depth_verdict::ok);
}

TEST_CASE("elements with thousands of attributes are refused before Gumbo compares them all") {
    // Gumbo compares every attribute name with the earlier ones of its element: one <div> of
    // 50,000 attributes (440 KB) took 9 s.
    auto element_with = [](std::size_t attributes) {
        std::string tag = "<div";
        for (std::size_t i = 0; i < attributes; ++i)
            tag += " a" + std::to_string(i) + "=\"1\"";
        return tag + ">x</div>";
    };
    const auto refused = scan_depth("<body>" + element_with(8000) + "</body>");
    CHECK(refused.attribute_pairs == 8000u * 7999u / 2);
    CHECK(refused.verdict == depth_verdict::refuse);
    CHECK(refused.message ==
          "elements with too many attributes: 31996000 pairs of names to compare, over the limit of 30000000");
    // Ten elements of 1,000 attributes: 5 million pairs, parsed.
    std::string ten;
    for (int i = 0; i < 10; ++i)
        ten += element_with(1000);
    CHECK(scan_depth(ten).attribute_pairs == 10u * 1000u * 999u / 2);
    CHECK(scan_depth(ten).verdict == depth_verdict::ok);
    // What counts as an attribute: names, with or without values, however they are separated.
    // 5 names: an unquoted value runs to a space or '>', so "2/c" is b's value.
    CHECK(scan_depth("<a href=x title='t' hidden data-x = \"1\"b=2/c>").attribute_pairs == 10);
    CHECK(scan_depth("<img src=\"a\"alt=\"b\">").attribute_pairs == 1);  // 2 names
    CHECK(scan_depth("<p class=\"a b c d\">").attribute_pairs == 0);     // a value's spaces separate nothing
}

TEST_CASE("broken markup at the end of the text is harmless") {
    for (const char* tail :
         {"<", "</", "<div", "<div class=\"x", "</div", "<!--", "<!", "<script>x", "< div>", "</>", "<a href=x/>"}) {
        CAPTURE(tail);
        const std::string html = std::string("<div>") + tail;
        const auto scan = scan_depth(html);
        CHECK(scan.verdict == depth_verdict::ok);
        CHECK(scan.max_depth <= 2);
        CHECK(flatten_depth(html) == html);
    }
}
