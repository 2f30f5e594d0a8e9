// Charset sniffing and transcoding: page bytes in any charset to valid UTF-8.
#include "text/charset.hpp"

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace gisa::text {
namespace {

// How far the <meta> prescan looks (WHATWG "prescan a byte stream": 1024 bytes).
constexpr std::size_t meta_prescan_bytes = 1024;
// How much of a page uchardet sees: enough for a confident guess, bounded cost.
constexpr std::size_t detector_sample_bytes = 256 * 1024;
// UTF-16 code units converted per ICU call.
constexpr std::size_t utf16_chunk_units = 16 * 1024;

constexpr std::string_view utf8_name = "UTF-8";
constexpr std::string_view cp949_name = "CP949";
// ICU's converter for Microsoft's CP949 (UHC). ICU's "EUC-KR" and "cp949" are
// ibm-970 and ibm-949, which lack the UHC syllables (e.g. 똠 = 0x8C 0x63).
constexpr const char* cp949_icu = "windows-949";

// Labels we resolve ourselves, before asking ICU. Korean labels all mean CP949,
// as in the WHATWG Encoding Standard (euc-kr's decoder is UHC); Latin-1 labels mean
// windows-1252 (same standard); GB labels mean GBK.
struct charset_alias {
    std::string_view label;  // lower case
    std::string_view name;   // what decode_html reports
    const char* icu;         // the ICU converter
};
constexpr std::array charset_aliases = {
    charset_alias{"utf-8", "UTF-8", "UTF-8"},
    charset_alias{"utf8", "UTF-8", "UTF-8"},
    charset_alias{"unicode-1-1-utf-8", "UTF-8", "UTF-8"},
    charset_alias{"x-unicode20utf8", "UTF-8", "UTF-8"},
    charset_alias{"euc-kr", "CP949", cp949_icu},
    charset_alias{"euckr", "CP949", cp949_icu},
    charset_alias{"x-euc-kr", "CP949", cp949_icu},
    charset_alias{"cseuckr", "CP949", cp949_icu},
    charset_alias{"cp949", "CP949", cp949_icu},
    charset_alias{"ms949", "CP949", cp949_icu},
    charset_alias{"uhc", "CP949", cp949_icu},
    charset_alias{"windows-949", "CP949", cp949_icu},
    charset_alias{"x-windows-949", "CP949", cp949_icu},
    charset_alias{"ks_c_5601-1987", "CP949", cp949_icu},
    charset_alias{"ks_c_5601-1989", "CP949", cp949_icu},
    charset_alias{"ks_c_5601", "CP949", cp949_icu},
    charset_alias{"ksc5601", "CP949", cp949_icu},
    charset_alias{"ksc_5601", "CP949", cp949_icu},
    charset_alias{"csksc56011987", "CP949", cp949_icu},
    charset_alias{"iso-ir-149", "CP949", cp949_icu},
    charset_alias{"korean", "CP949", cp949_icu},
    charset_alias{"ascii", "windows-1252", "windows-1252"},
    charset_alias{"us-ascii", "windows-1252", "windows-1252"},
    charset_alias{"ansi_x3.4-1968", "windows-1252", "windows-1252"},
    charset_alias{"iso-8859-1", "windows-1252", "windows-1252"},
    charset_alias{"iso8859-1", "windows-1252", "windows-1252"},
    charset_alias{"iso_8859-1", "windows-1252", "windows-1252"},
    charset_alias{"latin1", "windows-1252", "windows-1252"},
    charset_alias{"l1", "windows-1252", "windows-1252"},
    charset_alias{"cp1252", "windows-1252", "windows-1252"},
    charset_alias{"windows-1252", "windows-1252", "windows-1252"},
    charset_alias{"x-cp1252", "windows-1252", "windows-1252"},
    charset_alias{"utf-16", "UTF-16LE", "UTF-16LE"},
    charset_alias{"utf-16le", "UTF-16LE", "UTF-16LE"},
    charset_alias{"utf-16be", "UTF-16BE", "UTF-16BE"},
    charset_alias{"gb2312", "GBK", "GBK"},
    charset_alias{"gbk", "GBK", "GBK"},
    charset_alias{"x-gbk", "GBK", "GBK"},
};

// uchardet's names for Korean text.
constexpr std::array korean_detector_names = {std::string_view{"EUC-KR"}, std::string_view{"UHC"},
                                              std::string_view{"CP949"}};

struct resolved_charset {
    std::string name;
    std::string icu;
};

bool is_html_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_ascii_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = ascii_lower(c);
    return out;
}

std::string_view trim_space(std::string_view s) noexcept {
    while (!s.empty() && is_html_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_html_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool iequals_at(std::string_view s, std::size_t pos, std::string_view word) noexcept {
    if (pos > s.size() || s.size() - pos < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
        if (ascii_lower(s[pos + k]) != word[k]) return false;
    }
    return true;
}

bool has_non_ascii(std::string_view bytes) noexcept {
    for (char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    }
    return false;
}

struct converter_closer {
    void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
using converter_ptr = std::unique_ptr<UConverter, converter_closer>;

converter_ptr open_converter(const char* name) {
    UErrorCode err = U_ZERO_ERROR;
    converter_ptr cnv{ucnv_open(name, &err)};
    if (U_FAILURE(err)) return nullptr;
    return cnv;
}

std::optional<resolved_charset> resolve(std::string_view label) {
    const std::string lower = to_lower(trim_space(label));
    if (lower.empty()) return std::nullopt;
    for (const auto& alias : charset_aliases) {
        if (alias.label == lower) return resolved_charset{std::string(alias.name), alias.icu};
    }
    auto cnv = open_converter(lower.c_str());
    if (!cnv) return std::nullopt;
    UErrorCode err = U_ZERO_ERROR;
    const char* internal = ucnv_getName(cnv.get(), &err);
    if (U_FAILURE(err) || internal == nullptr) return std::nullopt;
    const char* shown = ucnv_getStandardName(internal, "MIME", &err);
    if (shown == nullptr) shown = ucnv_getStandardName(internal, "IANA", &err);
    if (shown == nullptr) shown = internal;
    return resolved_charset{shown, lower};
}

bool is_utf8(const resolved_charset& c) noexcept {
    return c.name == utf8_name;
}
bool is_utf16(const resolved_charset& c) noexcept {
    return c.name == "UTF-16LE" || c.name == "UTF-16BE";
}

// ICU to-Unicode callback: every illegal or unassigned sequence becomes one U+FFFD
// and its bytes are added to the counter passed as context.
extern "C" void count_and_substitute(const void* context, UConverterToUnicodeArgs* args, const char* /*units*/,
                                     int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
    if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
    auto* counter = static_cast<std::uint64_t*>(const_cast<void*>(context));
    *counter += static_cast<std::uint64_t>(length > 0 ? length : 1);
    *err = U_ZERO_ERROR;
    static constexpr UChar replacement = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
}

// ICU's windows-949 table decodes bytes that no Korean text uses: 0x80 to U+0080, 0xFF to
// U+F8F7, and the user-defined rows (0xC9xx, 0xFExx) to the Private Use Area. Browsers
// (WHATWG euc-kr) treat them as errors; so do we: one U+FFFD each, counted in bytes.
void replace_cp949_junk(UChar* units, std::size_t count, std::uint64_t& replaced) noexcept {
    constexpr UChar c1_control = 0x0080;
    constexpr UChar lone_ff = 0xF8F7;
    constexpr UChar private_use_first = 0xE000;
    constexpr UChar private_use_last = 0xF8FF;
    for (std::size_t k = 0; k < count; ++k) {
        const UChar u = units[k];
        if (u == c1_control || u == lone_ff) {
            replaced += 1;
            units[k] = 0xFFFD;
        } else if (u >= private_use_first && u <= private_use_last) {
            replaced += 2;
            units[k] = 0xFFFD;
        }
    }
}

void append_utf16(std::string& out, const UChar* units, std::size_t count, std::uint64_t& replaced) {
    if (count == 0) return;
    const std::size_t old_size = out.size();
    out.resize(old_size + count * 3);
    int32_t written = 0;
    int32_t substitutions = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data() + old_size, static_cast<int32_t>(count * 3), &written, units,
                       static_cast<int32_t>(count), 0xFFFD, &substitutions, &err);
    out.resize(U_SUCCESS(err) ? old_size + static_cast<std::size_t>(written) : old_size);
    replaced += static_cast<std::uint64_t>(substitutions);
}

struct transcoded {
    std::string utf8;
    std::uint64_t replaced = 0;
};

// Decodes with an ICU converter in chunks, never holding the whole page in UTF-16.
std::optional<transcoded> transcode(std::string_view bytes, const char* icu_name) {
    auto cnv = open_converter(icu_name);
    if (!cnv) return std::nullopt;
    transcoded result;
    UErrorCode err = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv.get(), count_and_substitute, &result.replaced, nullptr, nullptr, &err);
    if (U_FAILURE(err)) return std::nullopt;
    result.utf8.reserve(bytes.size() + bytes.size() / 2);
    std::array<UChar, utf16_chunk_units> buffer{};
    const char* source = bytes.data();
    const char* const source_end = source + bytes.size();
    std::size_t carried = 0;  // a lead surrogate left over from the previous chunk
    const bool is_cp949 = std::strcmp(icu_name, cp949_icu) == 0;
    for (;;) {
        UChar* target = buffer.data() + carried;
        err = U_ZERO_ERROR;
        ucnv_toUnicode(cnv.get(), &target, buffer.data() + buffer.size(), &source, source_end, nullptr, true, &err);
        const bool more = err == U_BUFFER_OVERFLOW_ERROR;
        auto count = static_cast<std::size_t>(target - buffer.data());
        if (is_cp949) replace_cp949_junk(buffer.data(), count, result.replaced);  // BMP only: nothing carried
        carried = (more && count > 0 && U16_IS_LEAD(buffer[count - 1])) ? 1 : 0;
        append_utf16(result.utf8, buffer.data(), count - carried, result.replaced);
        if (carried) buffer[0] = buffer[count - 1];
        if (!more) {
            if (U_FAILURE(err)) result.replaced += static_cast<std::uint64_t>(source_end - source);
            break;
        }
    }
    return result;
}

decoded_text make_result(transcoded&& t, std::string name, std::string_view source) {
    decoded_text out;
    out.utf8 = std::move(t.utf8);
    out.replaced = t.replaced;
    out.charset = std::move(name);
    out.source = std::string(source);
    return out;
}

transcoded decode_utf8(std::string_view bytes) {
    if (is_valid_utf8(bytes)) return transcoded{std::string(bytes), 0};
    if (auto t = transcode(bytes, "UTF-8")) return std::move(*t);
    return transcoded{std::string(bytes.size(), '?'), bytes.size()};  // ICU without UTF-8: cannot happen
}

// Decodes with a resolved charset; falls back to UTF-8 if ICU cannot open it.
decoded_text decode_as(std::string_view bytes, const resolved_charset& charset, std::string_view source) {
    if (is_utf8(charset)) return make_result(decode_utf8(bytes), std::string(utf8_name), source);
    if (auto t = transcode(bytes, charset.icu.c_str())) return make_result(std::move(*t), charset.name, source);
    return make_result(decode_utf8(bytes), std::string(utf8_name), charset_source::fallback);
}

std::optional<decoded_text> decode_by_bom(std::string_view bytes) {
    auto starts = [&](std::string_view bom) { return bytes.substr(0, bom.size()) == bom; };
    if (starts("\xEF\xBB\xBF")) {
        return make_result(decode_utf8(bytes.substr(3)), std::string(utf8_name), charset_source::bom);
    }
    if (starts("\xFE\xFF")) return decode_as(bytes.substr(2), {"UTF-16BE", "UTF-16BE"}, charset_source::bom);
    if (starts("\xFF\xFE")) return decode_as(bytes.substr(2), {"UTF-16LE", "UTF-16LE"}, charset_source::bom);
    return std::nullopt;
}

// The byte a code point of U+0000-U+00FF stood for when a converter wrote a byte it could
// not map as Latin-1, and the UTF-8 length of that code point; nullopt for other text.
std::optional<std::pair<unsigned char, std::size_t>> latin1_byte_at(std::string_view s, std::size_t i) {
    if (i >= s.size()) return std::nullopt;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) return std::pair{b, std::size_t{1}};
    if ((b == 0xC2 || b == 0xC3) && i + 1 < s.size()) {
        const auto c = static_cast<unsigned char>(s[i + 1]);
        return std::pair{static_cast<unsigned char>(((b & 0x03) << 6) | (c & 0x3F)), std::size_t{2}};
    }
    return std::nullopt;
}

bool is_cp949_trail(unsigned char b) noexcept {
    return (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x81 && b <= 0xFE);
}

}  // namespace

std::string repair_cp949_traces(std::string_view utf8, std::uint64_t& repaired) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t at = utf8.find('\xC2'); at != std::string_view::npos; at = utf8.find('\xC2', at + 1)) {
        const auto lead = latin1_byte_at(utf8, at);
        if (!lead || lead->first < 0x81 || lead->first > 0x9F) continue;  // a C1 control: never text
        const auto trail = latin1_byte_at(utf8, at + lead->second);
        if (!trail || !is_cp949_trail(trail->first)) continue;
        const char pair[2] = {static_cast<char>(lead->first), static_cast<char>(trail->first)};
        const auto syllable = transcode(std::string_view(pair, 2), cp949_icu);
        // One character beyond Latin-1 (a Hangul syllable or a Hanja), nothing replaced.
        if (!syllable || syllable->replaced != 0 || syllable->utf8.size() != 3) continue;
        out.append(utf8.substr(copied, at - copied));
        out += syllable->utf8;
        copied = at + lead->second + trail->second;
        at = copied - 1;
        ++repaired;
    }
    if (copied == 0) return std::string(utf8);
    out.append(utf8.substr(copied));
    return out;
}

namespace {

// A declared charset (HTTP or meta), checked against what the bytes say.
decoded_text decode_declared(std::string_view bytes, const resolved_charset& declared, std::string_view label,
                             std::string_view source) {
    if (is_utf8(declared)) {
        if (is_valid_utf8(bytes)) return make_result(transcoded{std::string(bytes), 0}, declared.name, source);
        // Declared UTF-8 but not UTF-8: Korean pages saved as CP949 under a UTF-8 template.
        decoded_text as_utf8 = decode_as(bytes, declared, source);
        auto as_cp949 = transcode(bytes, cp949_icu);
        if (as_cp949 && as_cp949->replaced == 0) {
            decoded_text out = make_result(std::move(*as_cp949), std::string(cp949_name), charset_source::detected);
            out.ignored_declaration = std::string(label);
            return out;
        }
        return as_utf8;
    }
    if (!is_utf16(declared) && has_non_ascii(bytes) && is_valid_utf8(bytes)) {
        // Declared legacy, but the bytes are UTF-8 (a re-encoded page kept its old <meta>). A
        // converter that knew only EUC-KR left CP949's extension syllables as C1 traces: read
        // them as CP949 again (repair_cp949_traces).
        std::uint64_t repaired = 0;
        std::string utf8 = declared.name == cp949_name ? repair_cp949_traces(bytes, repaired) : std::string(bytes);
        decoded_text out =
            make_result(transcoded{std::move(utf8), 0}, std::string(utf8_name), charset_source::detected);
        out.ignored_declaration = std::string(label);
        return out;
    }
    return decode_as(bytes, declared, source);
}

struct detector_closer {
    void operator()(uchardet_t d) const noexcept { uchardet_delete(d); }
};

std::string run_detector(std::string_view bytes) {
    std::unique_ptr<std::remove_pointer_t<uchardet_t>, detector_closer> detector{uchardet_new()};
    if (!detector) return {};
    const std::string_view sample = bytes.substr(0, detector_sample_bytes);
    if (uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return {};
    uchardet_data_end(detector.get());
    const char* name = uchardet_get_charset(detector.get());
    return name ? std::string(name) : std::string();
}

bool is_korean_detector_name(std::string_view name) {
    for (auto korean : korean_detector_names) {
        if (name == korean) return true;
    }
    return false;
}

// Nothing declared: valid UTF-8 wins, then uchardet, then clean CP949, then UTF-8.
decoded_text decode_detected(std::string_view bytes) {
    if (is_valid_utf8(bytes)) {
        const auto source = has_non_ascii(bytes) ? charset_source::detected : charset_source::fallback;
        return make_result(transcoded{std::string(bytes), 0}, std::string(utf8_name), source);
    }
    const std::string guess = run_detector(bytes);
    if (is_korean_detector_name(guess)) {
        return decode_as(bytes, {std::string(cp949_name), cp949_icu}, charset_source::detected);
    }
    if (auto resolved = guess.empty() || guess == "ASCII" ? std::nullopt : resolve(guess)) {
        if (!is_utf8(*resolved)) return decode_as(bytes, *resolved, charset_source::detected);
    }
    if (auto cp949 = transcode(bytes, cp949_icu); cp949 && cp949->replaced == 0) {
        return make_result(std::move(*cp949), std::string(cp949_name), charset_source::detected);
    }
    return make_result(decode_utf8(bytes), std::string(utf8_name), charset_source::fallback);
}

// --- <meta> prescan (WHATWG HTML "prescan a byte stream to determine its encoding") ---

struct attribute {
    std::string name;
    std::string value;
};

// "Get an attribute": reads one attribute at `pos`; nullopt at '>' or the end.
std::optional<attribute> get_attribute(std::string_view s, std::size_t& pos) {
    while (pos < s.size() && (is_html_space(s[pos]) || s[pos] == '/'))
        ++pos;
    if (pos >= s.size() || s[pos] == '>') return std::nullopt;
    attribute attr;
    for (; pos < s.size(); ++pos) {
        const char c = s[pos];
        if (c == '=' && !attr.name.empty()) break;
        if (is_html_space(c)) {
            while (pos < s.size() && is_html_space(s[pos]))
                ++pos;
            if (pos >= s.size() || s[pos] != '=') return attr;
            break;
        }
        if (c == '/' || c == '>') return attr;
        attr.name += ascii_lower(c);
    }
    if (pos >= s.size()) return std::nullopt;
    ++pos;  // '='
    while (pos < s.size() && is_html_space(s[pos]))
        ++pos;
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == '"' || s[pos] == '\'') {
        const char quote = s[pos];
        const std::size_t end = s.find(quote, pos + 1);
        if (end == std::string_view::npos) return std::nullopt;
        attr.value = std::string(s.substr(pos + 1, end - pos - 1));
        pos = end + 1;
        return attr;
    }
    if (s[pos] == '>') return attr;
    while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>')
        attr.value += s[pos++];
    return attr;
}

// "Extracting a character encoding from a meta element" (the content="" value).
std::string charset_from_meta_content(std::string_view content) {
    std::size_t pos = 0;
    for (;;) {
        std::size_t found = std::string_view::npos;
        for (std::size_t k = pos; k + 7 <= content.size(); ++k) {
            if (iequals_at(content, k, "charset")) {
                found = k;
                break;
            }
        }
        if (found == std::string_view::npos) return {};
        pos = found + 7;
        while (pos < content.size() && is_html_space(content[pos]))
            ++pos;
        if (pos >= content.size() || content[pos] != '=') continue;
        ++pos;
        while (pos < content.size() && is_html_space(content[pos]))
            ++pos;
        if (pos >= content.size()) return {};
        if (content[pos] == '"' || content[pos] == '\'') {
            const std::size_t end = content.find(content[pos], pos + 1);
            if (end == std::string_view::npos) return {};
            return std::string(content.substr(pos + 1, end - pos - 1));
        }
        std::size_t end = pos;
        while (end < content.size() && !is_html_space(content[end]) && content[end] != ';')
            ++end;
        return std::string(content.substr(pos, end - pos));
    }
}

// Reads a <meta>'s attributes; returns its declared label or empty.
std::string meta_element_charset(std::string_view s, std::size_t& pos) {
    bool got_pragma = false;
    std::optional<bool> need_pragma;
    std::string charset;
    std::vector<std::string> seen;
    while (auto attr = get_attribute(s, pos)) {
        if (std::find(seen.begin(), seen.end(), attr->name) != seen.end()) continue;
        seen.push_back(attr->name);
        if (attr->name == "http-equiv") {
            got_pragma = got_pragma || to_lower(attr->value) == "content-type";
        } else if (attr->name == "content" && charset.empty()) {
            charset = charset_from_meta_content(attr->value);
            if (!charset.empty()) need_pragma = true;
        } else if (attr->name == "charset") {
            charset = attr->value;
            need_pragma = false;
        }
    }
    if (!need_pragma || (*need_pragma && !got_pragma) || !resolve(charset)) return {};
    return charset;
}

void skip_tag_attributes(std::string_view s, std::size_t& pos) {
    while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>')
        ++pos;
    while (get_attribute(s, pos)) {
    }
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* const end = p + bytes.size();
    while (p < end) {
        if (end - p >= 8) {  // fast path: eight ASCII bytes at once
            std::uint64_t word = 0;
            std::memcpy(&word, p, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;  // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
        } else {
            return false;
        }
        if (end - p <= extra) return false;
        if (p[1] < low || p[1] > high) return false;
        for (int k = 2; k <= extra; ++k) {
            if (p[k] < 0x80 || p[k] > 0xBF) return false;
        }
        p += extra + 1;
    }
    return true;
}

std::string canonical_charset(std::string_view label) {
    auto resolved = resolve(label);
    return resolved ? resolved->name : std::string();
}

std::string content_type_charset(std::string_view content_type) {
    std::size_t pos = content_type.find(';');
    while (pos != std::string_view::npos) {
        const std::size_t next = content_type.find(';', pos + 1);
        const std::string_view param =
            content_type.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1);
        const std::size_t eq = param.find('=');
        if (eq != std::string_view::npos && to_lower(trim_space(param.substr(0, eq))) == "charset") {
            std::string_view value = trim_space(param.substr(eq + 1));
            if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
                value = value.substr(1, value.size() - 2);
            }
            return std::string(trim_space(value));
        }
        pos = next;
    }
    return {};
}

std::string prescan_meta_charset(std::string_view bytes) {
    const std::string_view s = bytes.substr(0, meta_prescan_bytes);
    std::size_t pos = 0;
    while (pos < s.size()) {
        if (s.compare(pos, 4, "<!--") == 0) {
            const std::size_t end = s.find("-->", pos + 2);
            if (end == std::string_view::npos) return {};
            pos = end + 3;
            continue;
        }
        if (iequals_at(s, pos, "<meta") && pos + 5 < s.size() && (is_html_space(s[pos + 5]) || s[pos + 5] == '/')) {
            pos += 5;
            if (std::string label = meta_element_charset(s, pos); !label.empty()) return label;
        } else if (s[pos] == '<' && pos + 1 < s.size() &&
                   (is_ascii_alpha(s[pos + 1]) ||
                    (s[pos + 1] == '/' && pos + 2 < s.size() && is_ascii_alpha(s[pos + 2])))) {
            skip_tag_attributes(s, pos);
        } else if (s[pos] == '<' && pos + 1 < s.size() &&
                   (s[pos + 1] == '!' || s[pos + 1] == '/' || s[pos + 1] == '?')) {
            pos = s.find('>', pos);
            if (pos == std::string_view::npos) return {};
        }
        ++pos;
    }
    return {};
}

namespace {

// The order of docs/DESIGN.md, after the override.
decoded_text decode_without_override(std::string_view bytes, std::string_view content_type) {
    if (auto by_bom = decode_by_bom(bytes)) return std::move(*by_bom);
    const std::string from_http = content_type_charset(content_type);
    if (auto declared = resolve(from_http)) return decode_declared(bytes, *declared, from_http, charset_source::http);
    const std::string from_meta = prescan_meta_charset(bytes);
    if (auto declared = resolve(from_meta)) {
        // WHATWG: a <meta> cannot switch to UTF-16 (the bytes would not have been ASCII).
        if (is_utf16(*declared)) declared = resolved_charset{std::string(utf8_name), "UTF-8"};
        return decode_declared(bytes, *declared, from_meta, charset_source::meta);
    }
    return decode_detected(bytes);
}

}  // namespace

decoded_text decode_html(std::string_view bytes, std::string_view content_type, std::string_view override_charset) {
    if (override_charset.empty()) return decode_without_override(bytes, content_type);
    if (auto forced = resolve(override_charset)) return decode_as(bytes, *forced, charset_source::override_label);
    decoded_text out = decode_without_override(bytes, content_type);  // an unknown override is reported, not used
    if (out.ignored_declaration.empty()) out.ignored_declaration = std::string(override_charset);
    return out;
}

}  // namespace gisa::text
