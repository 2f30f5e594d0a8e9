// libFuzzer target: extract_page and the JSON record over arbitrary page bytes.
//
// What counts as a failure: a crash or sanitizer report, an exception escaping
// extract_page (it promises never to throw on bad input), invalid UTF-8 in the record
// (record_to_json's dump() throws on it), and libFuzzer's -timeout / -rss_limit_mb.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/extractor.hpp"
#include "extract/record_json.hpp"

namespace {

// The first byte picks how the page arrives, so one corpus covers the charset paths.
gisa::extract::page_input make_input(const std::uint8_t* data, std::size_t size) {
    gisa::extract::page_input input;
    input.url = "https://news.example.co.kr/article/view.html?idx=1";
    input.fetched_at = "2024-07-18T20:00:00+09:00";
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (!bytes.empty()) {
        switch (static_cast<unsigned char>(bytes.front()) % 8) {
            case 1:
                input.content_type = "text/html; charset=euc-kr";
                break;
            case 2:
                input.content_type = "text/html; charset=utf-8";
                break;
            case 3:
                input.charset_override = "cp949";
                break;
            default:
                break;  // most inputs: as found (a seed page starts with '<', 60 % 8 == 4)
        }
    }
    input.bytes = bytes;
    return input;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const gisa::extract::page_input input = make_input(data, size);
    const gisa::extract::extract_result result = gisa::extract::extract_page(input);
    const std::string json = gisa::extract::record_to_json(result.record, result.error).dump();
    if (json.empty()) __builtin_trap();
    return 0;
}
