// Tests for decode_html: the charset order, mislabelled pages, bad bytes, UTF-16.
#include "text/charset.hpp"

#include <iconv.h>
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

using gisa::text::decode_html;
using gisa::text::decoded_text;

namespace {

// "똠" is a UHC-only syllable: 0x8C 0x63 in CP949, absent from KS X 1001 (EUC-KR).
const std::string ttom_cp949 = "\x8C\x63";
const std::string ttom_utf8 = "\xEB\x98\xA0";
// "한국어" in CP949 (also valid EUC-KR) and in UTF-8.
const std::string hangugeo_cp949 = "\xC7\xD1\xB1\xB9\xBE\xEE";
const std::string hangugeo_utf8 = "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4";

std::string page_with_meta(std::string_view meta, std::string_view body) {
    return "<!doctype html><html><head>" + std::string(meta) + "<title>t</title></head><body><p>" + std::string(body) +
           "</p></body></html>";
}

// A longer CP949 text so that uchardet has something to go on.
std::string cp949_paragraphs() {
    // "대한민국 국회는 오늘 본회의를 열고 법안을 통과시켰다." in CP949.
    const std::string sentence =
        "\xB4\xEB\xC7\xD1\xB9\xCE\xB1\xB9 \xB1\xB9\xC8\xB8\xB4\xC2 \xBF\xC0\xB4\xC3 "
        "\xBA\xBB\xC8\xB8\xC0\xC7\xB8\xA6 \xBF\xAD\xB0\xED \xB9\xFD\xBE\xC8\xC0\xBB "
        "\xC5\xEB\xB0\xFA\xBD\xC3\xC4\xD7\xB4\xD9.";
    std::string out;
    for (int i = 0; i < 20; ++i)
        out += sentence + " ";
    return out;
}

// glibc iconv: what a naive "EUC-KR" decoder makes of the bytes.
std::string iconv_decode(const std::string& bytes, const char* from) {
    iconv_t cd = iconv_open("UTF-8", from);
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string in = bytes;
    std::string out(bytes.size() * 4 + 4, '\0');
    char* in_ptr = in.data();
    std::size_t in_left = in.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return "<iconv error>";
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace

TEST_CASE("glibc iconv EUC-KR garbles a CP949-only syllable that decode_html reads") {
    const std::string garbled = iconv_decode(ttom_cp949, "EUC-KR");
    CHECK(garbled != ttom_utf8);  // glibc gives U+008C 'c' (or fails): EUC-KR lacks UHC
    const decoded_text d = decode_html(ttom_cp949, "text/html; charset=euc-kr");
    CHECK(d.utf8 == ttom_utf8);
    CHECK(d.charset == "CP949");
    CHECK(d.replaced == 0);
}

TEST_CASE("every Korean label decodes as CP949") {
    const auto label = GENERATE(as<std::string>{}, "euc-kr", "EUC-KR", "ks_c_5601-1987", "KS_C_5601-1987",
                                "x-windows-949", "cp949", "CP949", "uhc", "windows-949", "ksc5601", "korean");
    CAPTURE(label);
    const decoded_text d = decode_html(ttom_cp949 + hangugeo_cp949, "text/html; charset=" + label);
    CHECK(d.charset == "CP949");
    CHECK(d.utf8 == ttom_utf8 + hangugeo_utf8);
    CHECK(d.source == "http");
    CHECK(gisa::text::canonical_charset(label) == "CP949");
}

TEST_CASE("the override beats the BOM, HTTP and meta") {
    const std::string bytes = "\xEF\xBB\xBF" + page_with_meta(R"(<meta charset="utf-8">)", hangugeo_cp949);
    const decoded_text d = decode_html(bytes, "text/html; charset=utf-8", "euc-kr");
    CHECK(d.source == "override");
    CHECK(d.charset == "CP949");
    // The BOM bytes themselves are CP949 garbage here: the override is obeyed literally.
    CHECK(d.utf8.find(hangugeo_utf8) != std::string::npos);
}

TEST_CASE("an unknown override is reported and the normal order applies") {
    const decoded_text d = decode_html(page_with_meta(R"(<meta charset="euc-kr">)", hangugeo_cp949), {}, "no-such");
    CHECK(d.source == "meta");
    CHECK(d.charset == "CP949");
    CHECK(d.ignored_declaration == "no-such");
}

TEST_CASE("a UTF-8 BOM beats HTTP and meta and is stripped") {
    const std::string bytes = "\xEF\xBB\xBF" + page_with_meta(R"(<meta charset="euc-kr">)", hangugeo_utf8);
    const decoded_text d = decode_html(bytes, "text/html; charset=euc-kr");
    CHECK(d.source == "bom");
    CHECK(d.charset == "UTF-8");
    CHECK(d.utf8.rfind("<!doctype", 0) == 0);
    CHECK(d.utf8.find(hangugeo_utf8) != std::string::npos);
}

TEST_CASE("UTF-16 pages with a BOM, both byte orders") {
    // "<p>한</p>": '<' 'p' '>' U+D55C '<' '/' 'p' '>'
    const std::string le = std::string("\xFF\xFE<\0p\0>\0\x5C\xD5<\0/\0p\0>\0", 18);
    const std::string be = std::string("\xFE\xFF\0<\0p\0>\xD5\x5C\0<\0/\0p\0>", 18);
    const decoded_text dle = decode_html(le);
    CHECK(dle.charset == "UTF-16LE");
    CHECK(dle.source == "bom");
    CHECK(dle.utf8 == "<p>\xED\x95\x9C</p>");
    const decoded_text dbe = decode_html(be, "text/html; charset=euc-kr");
    CHECK(dbe.charset == "UTF-16BE");
    CHECK(dbe.utf8 == "<p>\xED\x95\x9C</p>");
    CHECK(dbe.replaced == 0);
}

TEST_CASE("UTF-16 with an odd trailing byte and a lone surrogate counts replacements") {
    // 'a', a lone high surrogate D800 followed by 'b', then one stray byte.
    const std::string le = std::string(
        "\xFF\xFE"
        "a\0\x00\xD8"
        "b\0"
        "\x41",
        9);
    const decoded_text d = decode_html(le);
    CHECK(d.charset == "UTF-16LE");
    CHECK(d.replaced >= 2);
    CHECK(gisa::text::is_valid_utf8(d.utf8));
    CHECK(d.utf8.rfind("a\xEF\xBF\xBD", 0) == 0);
}

TEST_CASE("the HTTP charset beats the meta charset") {
    const decoded_text d =
        decode_html(page_with_meta(R"(<meta charset="utf-8">)", hangugeo_cp949), "text/html;charset=\"EUC-KR\"");
    CHECK(d.source == "http");
    CHECK(d.charset == "CP949");
    CHECK(d.utf8.find(hangugeo_utf8) != std::string::npos);
}

TEST_CASE("meta charset and http-equiv forms are found by the prescan") {
    using gisa::text::prescan_meta_charset;
    CHECK(prescan_meta_charset(R"(<html><head><meta charset="euc-kr">)") == "euc-kr");
    CHECK(prescan_meta_charset(R"(<META CHARSET=EUC-KR>)") == "EUC-KR");
    CHECK(prescan_meta_charset(R"(<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">)") ==
          "ks_c_5601-1987");
    CHECK(prescan_meta_charset(R"(<meta content='text/html;charset=euc-kr' http-equiv='content-type'/>)") == "euc-kr");
    // content= without http-equiv does not count (WHATWG "need pragma").
    CHECK(prescan_meta_charset(R"(<meta content="text/html; charset=euc-kr">)").empty());
    // Inside a comment, or in an attribute of another tag, it does not count.
    CHECK(prescan_meta_charset(R"(<!-- <meta charset="euc-kr"> --><meta charset="utf-8">)") == "utf-8");
    CHECK(prescan_meta_charset(R"(<div title='<meta charset="euc-kr">'><meta charset="utf-8">)") == "utf-8");
    // An unknown label is skipped and the next meta used.
    CHECK(prescan_meta_charset(R"(<meta charset="bogus-x"><meta charset="euc-kr">)") == "euc-kr");
    // Only the first 1024 bytes are looked at.
    CHECK(prescan_meta_charset(std::string(1100, ' ') + R"(<meta charset="euc-kr">)").empty());
}

TEST_CASE("a meta declaration decodes the page") {
    const decoded_text d = decode_html(
        page_with_meta(R"(<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">)", hangugeo_cp949));
    CHECK(d.source == "meta");
    CHECK(d.charset == "CP949");
    CHECK(d.utf8.find(hangugeo_utf8) != std::string::npos);
    CHECK(d.replaced == 0);
}

TEST_CASE("a page declared euc-kr whose bytes are UTF-8 is read as UTF-8") {
    const std::string page = page_with_meta(R"(<meta charset="euc-kr">)", hangugeo_utf8);
    for (const auto& [content_type, declared] :
         {std::pair<std::string, std::string>{"", "euc-kr"}, {"text/html; charset=EUC-KR", "EUC-KR"}}) {
        const decoded_text d = decode_html(page, content_type);
        CHECK(d.charset == "UTF-8");
        CHECK(d.source == "detected");
        CHECK(d.ignored_declaration == declared);
        CHECK(d.utf8 == page);
    }
}

TEST_CASE("an ASCII-only page declared euc-kr keeps its declaration") {
    const decoded_text d = decode_html(page_with_meta(R"(<meta charset="euc-kr">)", "plain"));
    CHECK(d.charset == "CP949");
    CHECK(d.source == "meta");
    CHECK(d.ignored_declaration.empty());
}

TEST_CASE("a page declared UTF-8 whose bytes are clean CP949 is read as CP949") {
    const std::string page = page_with_meta(R"(<meta charset="utf-8">)", cp949_paragraphs());
    const decoded_text d = decode_html(page);
    CHECK(d.charset == "CP949");
    CHECK(d.source == "detected");
    CHECK(d.ignored_declaration == "utf-8");
    CHECK(d.replaced == 0);
    CHECK(d.utf8.find("\xEB\x8C\x80\xED\x95\x9C\xEB\xAF\xBC\xEA\xB5\xAD") != std::string::npos);  // 대한민국
}

TEST_CASE("pages with no charset anywhere are detected") {
    SECTION("valid UTF-8 with Hangul") {
        const decoded_text d = decode_html(page_with_meta("", hangugeo_utf8));
        CHECK(d.charset == "UTF-8");
        CHECK(d.source == "detected");
    }
    SECTION("pure ASCII is the default UTF-8") {
        const decoded_text d = decode_html(page_with_meta("", "hello"));
        CHECK(d.charset == "UTF-8");
        CHECK(d.source == "default");
    }
    SECTION("CP949 text") {
        const decoded_text d = decode_html(page_with_meta("", cp949_paragraphs() + ttom_cp949));
        CHECK(d.charset == "CP949");
        CHECK(d.source == "detected");
        CHECK(d.replaced == 0);
        CHECK(d.utf8.find(ttom_utf8) != std::string::npos);
    }
    SECTION("empty input") {
        const decoded_text d = decode_html("");
        CHECK(d.utf8.empty());
        CHECK(d.charset == "UTF-8");
        CHECK(d.replaced == 0);
    }
}

TEST_CASE("undecodable bytes become U+FFFD and are counted in bytes") {
    SECTION("UTF-8 declared, a stray continuation byte and a truncated sequence") {
        // 0x80 alone (1 byte), then E2 82 (truncated 3-byte sequence, 2 bytes) before 'x'.
        const std::string bytes =
            "a\x80"
            "b\xE2\x82x" +
            hangugeo_utf8;
        const decoded_text d = decode_html(bytes, "text/html; charset=utf-8");
        CHECK(d.charset == "UTF-8");
        CHECK(d.replaced == 3);
        CHECK(d.utf8 ==
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBDx" +
                  hangugeo_utf8);
    }
    SECTION("CP949 declared, a byte CP949 never uses") {
        // 0xFF is neither a lead nor a single byte in CP949.
        const std::string bytes = hangugeo_cp949 + "\xFF" + "ok";
        const decoded_text d = decode_html(bytes, "text/html; charset=euc-kr");
        CHECK(d.charset == "CP949");
        CHECK(d.replaced == 1);
        CHECK(d.utf8 == hangugeo_utf8 + "\xEF\xBF\xBD" + "ok");
    }
    SECTION("CP949 bytes that only map to C1 or private-use code points") {
        // 0x80, 0xFF, and the user-defined row 0xC9A1 decode to U+0080, U+F8F7, U+E000 in
        // ICU's table; no Korean text uses them.
        const decoded_text d = decode_html(std::string("a\x80"
                                                       "b\xFF"
                                                       "c\xC9\xA1"
                                                       "d"),
                                           "text/html; charset=cp949");
        CHECK(d.replaced == 4);
        CHECK(d.utf8 ==
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD"
              "c\xEF\xBF\xBD"
              "d");
    }
    SECTION("CP949 lead byte before ASCII: only the lead is lost") {
        const decoded_text d = decode_html(std::string("\xC7 <p>"), "text/html; charset=euc-kr");
        CHECK(d.replaced == 1);
        CHECK(d.utf8 == "\xEF\xBF\xBD <p>");
    }
    SECTION("the output is valid UTF-8 whatever the input") {
        std::string junk;
        for (int i = 0; i < 4096; ++i)
            junk += static_cast<char>((i * 7919) % 256);
        for (const char* label : {"utf-8", "euc-kr", "utf-16le", "shift_jis", "windows-1252", ""}) {
            const decoded_text d = decode_html(junk, std::string("text/html; charset=") + label);
            CAPTURE(label);
            CHECK(gisa::text::is_valid_utf8(d.utf8));
        }
    }
}

TEST_CASE("content_type_charset reads the parameter") {
    using gisa::text::content_type_charset;
    CHECK(content_type_charset("text/html; charset=euc-kr") == "euc-kr");
    CHECK(content_type_charset("text/html;CHARSET=\"UTF-8\"") == "UTF-8");
    CHECK(content_type_charset("text/html; foo=bar; charset = x-windows-949 ") == "x-windows-949");
    CHECK(content_type_charset("text/html").empty());
    CHECK(content_type_charset("").empty());
}

TEST_CASE("is_valid_utf8 boundaries") {
    using gisa::text::is_valid_utf8;
    auto [bytes, valid] = GENERATE(table<std::string, bool>({
        {"", true},
        {"plain ascii text", true},
        {"\xED\x95\x9C", true},       // 한
        {"\xF0\x9F\x98\x80", true},   // U+1F600
        {"\xC0\xAF", false},          // overlong '/'
        {"\xE0\x80\xAF", false},      // overlong
        {"\xED\xA0\x80", false},      // surrogate D800
        {"\xF4\x90\x80\x80", false},  // above U+10FFFF
        {"\xED\x95", false},          // truncated
        {"abcdefgh\x80", false},      // after the 8-byte fast path
        {"\xFF", false},
    }));
    CAPTURE(bytes);
    CHECK(is_valid_utf8(bytes) == valid);
}

TEST_CASE("C1 traces of CP949 extension syllables are read as CP949 again") {
    std::uint64_t repaired = 0;
    // 봣 (94 66) and 뷁 (94 EE, its trail written as U+00EE) between UTF-8 syllables.
    CHECK(gisa::text::repair_cp949_traces("해\xC2\x94"
                                          "f엇어 \xC2\x94\xC3\xAE 소리",
                                          repaired) == "해봣엇어 뷁 소리");
    CHECK(repaired == 2);
    repaired = 0;
    // Latin-1 letters (no C1 lead), a C1 control before a non-trail and plain text stay as they are.
    for (const std::string text : {"caf\xC3\xA9", "\xC2\x94 1",
                                   "\xC2\x80"
                                   "A",
                                   "한국어"}) {
        CHECK(gisa::text::repair_cp949_traces(text, repaired) == text);
    }
    CHECK(repaired == 0);
    // decode_html repairs pages declared euc-kr that are UTF-8, and no others.
    CHECK(decode_html(R"(<meta charset="euc-kr"><p>해)"
                      "\xC2\x94"
                      "f엇어</p>")
              .utf8.find("해봣엇어") != std::string::npos);
    CHECK(decode_html(R"(<meta charset="utf-8"><p>해)"
                      "\xC2\x94"
                      "f엇어</p>")
              .utf8.find("봣") == std::string::npos);
}
