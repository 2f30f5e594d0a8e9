// Charset sniffing and transcoding: page bytes in any charset to valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gisa::text {

// Where the charset used for a page came from, in the order they are tried.
namespace charset_source {
inline constexpr std::string_view override_label = "override";  // the caller's --charset
inline constexpr std::string_view bom = "bom";                  // a UTF-8 or UTF-16 byte order mark
inline constexpr std::string_view http = "http";                // the Content-Type header's charset
inline constexpr std::string_view meta = "meta";                // <meta charset> in the first 1024 bytes
inline constexpr std::string_view detected = "detected";        // validity check, then uchardet
inline constexpr std::string_view fallback = "default";         // nothing known: UTF-8
}  // namespace charset_source

// The result of decoding a page. `utf8` is always valid UTF-8.
struct decoded_text {
    std::string utf8;
    // "UTF-8", "CP949" (every euc-kr label: CP949 is its superset, as browsers read it),
    // "UTF-16LE", "UTF-16BE", or the MIME/IANA name ICU gives another charset.
    std::string charset;
    // Undecodable input BYTES that were turned into U+FFFD (one U+FFFD per illegal
    // sequence ICU reports; the count is of the bytes in those sequences).
    std::uint64_t replaced = 0;
    std::string source;  // one of charset_source
    // The label a page declared (http or meta) when it was not used because the bytes
    // say otherwise, e.g. "euc-kr" on a page that is valid UTF-8; empty otherwise.
    std::string ignored_declaration;
};

// Decodes page bytes. Order: override, BOM, HTTP Content-Type charset, <meta> prescan
// of the first 1024 bytes, detection, default UTF-8. A declared legacy charset loses
// to valid non-ASCII UTF-8 bytes; a declared UTF-8 loses to CP949 when the bytes are
// not UTF-8 but are clean CP949. Unknown labels are skipped. Never throws on bad input
// (only std::bad_alloc can escape).
decoded_text decode_html(std::string_view bytes, std::string_view content_type = {},
                         std::string_view override_charset = {});

// A page converted from CP949 to UTF-8 by a tool that knew only EUC-KR (KS X 1001) keeps each
// extension syllable it could not map (똠 8C 63, 봣 94 66) as its two bytes read as Latin-1:
// a C1 control (U+0081-U+009F, never text) and a trail byte. Each such pair that CP949 reads
// as one character is replaced by it; `repaired` counts them. decode_html applies it to pages
// that declare a Korean charset but are UTF-8; other text is returned unchanged.
std::string repair_cp949_traces(std::string_view utf8, std::uint64_t& repaired);

// The charset a label names, as decode_html reports it ("CP949", "UTF-8", ...), or
// empty when neither the WHATWG aliases below nor ICU know the label.
std::string canonical_charset(std::string_view label);

// The charset parameter of a Content-Type value ("text/html; charset=euc-kr" -> "euc-kr").
std::string content_type_charset(std::string_view content_type);

// The WHATWG-style prescan: the charset label declared by a <meta> element in the
// first 1024 bytes, or empty.
std::string prescan_meta_charset(std::string_view bytes);

// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace gisa::text
