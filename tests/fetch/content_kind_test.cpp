// Body kinds: pages go to the extractor, PDFs and images do not, whatever the header claims.
#include <catch2/catch.hpp>

#include <string>

#include "fetch/content_kind.hpp"

using namespace gisa::fetch;

TEST_CASE("body kind from Content-Type and the first bytes") {
    using std::string;
    auto [type, bytes, kind] = GENERATE(table<string, string, body_kind>({
        {"text/html; charset=EUC-KR", "<html><body>\xc7\xd1</body></html>", body_kind::html},
        {"TEXT/HTML", "<p>x", body_kind::html},
        {"application/xhtml+xml", "<?xml version='1.0'?><html/>", body_kind::html},
        {"", "<!doctype html><title>t</title>", body_kind::html},
        {"text/plain", "User-agent: *", body_kind::text},
        {"application/rss+xml", "<rss/>", body_kind::text},
        {"application/pdf", "%PDF-1.7\n...", body_kind::binary},
        {"text/html", "%PDF-1.4\n...", body_kind::binary},
        {"image/jpeg", "\xFF\xD8\xFF\xE0", body_kind::binary},
        {"", string("\x89PNG\r\n\x1a\n", 8), body_kind::binary},
        {"text/html", string("<html>\0\0\0", 9), body_kind::binary},
        {"text/html", string("\xFF\xFE<\0h\0t\0m\0l\0>\0", 14), body_kind::html},  // UTF-16LE with its BOM
        {"", string("\xFE\xFF\0<\0p\0>", 8), body_kind::html},                     // UTF-16BE with its BOM
        {"application/octet-stream", "abc", body_kind::binary},
        {"", string("RIFF\x10\0\0\0WEBPVP8 ", 16), body_kind::binary},
    }));
    CAPTURE(type, bytes);
    CHECK(classify_body(type, bytes) == kind);
}

TEST_CASE("media type strips parameters and spaces") {
    CHECK(media_type(" text/html ; charset=utf-8") == "text/html");
    CHECK(media_type("application/pdf") == "application/pdf");
    CHECK(media_type("") == "");
}
