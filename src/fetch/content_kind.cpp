// Body classification: the media-type table and the magic numbers of common binary formats.
#include "fetch/content_kind.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace gisa::fetch {
namespace {

// Media types handed to the extractor.
constexpr std::array<std::string_view, 2> html_types = {"text/html", "application/xhtml+xml"};

// Textual but not a page: fetched and returned, never extracted.
constexpr std::array<std::string_view, 2> text_prefixes = {"text/", "application/json"};
constexpr std::string_view xml_suffix = "+xml";
constexpr std::string_view xml_type = "application/xml";

// File signatures: a body starting with one of these is binary whatever its header says.
constexpr std::array<std::string_view, 12> magic_numbers = {
    std::string_view("%PDF-"),
    std::string_view("\x89PNG\r\n\x1a\n", 8),
    std::string_view("GIF87a"),
    std::string_view("GIF89a"),
    std::string_view("\xFF\xD8\xFF", 3),      // JPEG
    std::string_view("PK\x03\x04", 4),        // ZIP, DOCX, XLSX, HWPX
    std::string_view("\x1F\x8B", 2),          // gzip left encoded
    std::string_view("\xD0\xCF\x11\xE0", 4),  // OLE2: DOC, XLS, HWP
    std::string_view("OggS"),
    std::string_view("\x00\x00\x01\x00", 4),  // ICO
    std::string_view("wOFF"),
    std::string_view("\x7F"
                     "ELF"),
};

bool is_riff_media(std::string_view bytes) {  // WEBP, WAV, AVI
    return bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF";
}

bool is_iso_media(std::string_view bytes) {  // MP4, HEIC, AVIF: "....ftyp"
    return bytes.size() >= 8 && bytes.substr(4, 4) == "ftyp";
}

bool has_magic(std::string_view bytes) {
    for (auto magic : magic_numbers)
        if (bytes.substr(0, magic.size()) == magic) return true;
    return is_riff_media(bytes) || is_iso_media(bytes);
}

// Text has no NUL bytes in any charset a Korean page uses, except UTF-16, whose byte order mark
// says so (the text module decodes it).
bool has_nul(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) return false;
    return bytes.substr(0, sniff_bytes).find('\0') != std::string_view::npos;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

body_kind kind_from_type(const std::string& type) {
    if (type.empty()) return body_kind::html;  // no header: the bytes decide
    if (std::find(html_types.begin(), html_types.end(), type) != html_types.end()) return body_kind::html;
    for (auto prefix : text_prefixes)
        if (type.starts_with(prefix)) return body_kind::text;
    if (type == xml_type || type.ends_with(xml_suffix)) return body_kind::text;
    return body_kind::binary;
}

}  // namespace

std::string_view media_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    auto type = content_type.substr(0, semicolon);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
        type.remove_prefix(1);
    return type;
}

body_kind classify_body(std::string_view content_type, std::string_view first_bytes) {
    if (has_magic(first_bytes) || has_nul(first_bytes)) return body_kind::binary;
    return kind_from_type(lower(media_type(content_type)));
}

}  // namespace gisa::fetch
