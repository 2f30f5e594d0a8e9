// The fixture runner: every fixtures/extract/<case>/ page extracted and compared with its expected.json.
//
// On a mismatch it writes actual.json beside expected.json (never overwriting expected.json) and
// fails with a field-by-field diff. must_contain / must_not_contain of case.json are checked
// against the whole JSON output text.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extractor.hpp"
#include "extract/record_json.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
    fs::path root = fs::path(GISA_SOURCE_DIR) / "fixtures" / "extract";
    if (!fs::exists(root)) return dirs;
    for (const auto& entry : fs::directory_iterator(root)) {
        if (entry.is_directory() && fs::exists(entry.path() / "input.html")) dirs.push_back(entry.path());
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

std::string case_string(const json& c, const char* key) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>() : std::string{};
}

std::string show(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A readable difference: for arrays of strings, the lines missing and the lines extra;
// otherwise both values.
std::string describe_difference(const std::string& key, const json& want, const json& got) {
    std::ostringstream out;
    out << "  \"" << key << "\":\n";
    if (want.is_array() && got.is_array()) {
        for (const auto& w : want) {
            if (std::find(got.begin(), got.end(), w) == got.end()) out << "    - " << show(w) << "\n";
        }
        for (const auto& g : got) {
            if (std::find(want.begin(), want.end(), g) == want.end()) out << "    + " << show(g) << "\n";
        }
        if (out.str().find("    ") == std::string::npos) out << "    (same items, different order or count)\n";
        return out.str();
    }
    out << "    expected " << show(want) << "\n    actual   " << show(got) << "\n";
    return out.str();
}

std::string diff_records(const json& want, const json& got) {
    std::string diff;
    for (const auto& [key, value] : want.items()) {
        json actual = got.contains(key) ? got[key] : json("<missing>");
        if (actual != value) diff += describe_difference(key, value, actual);
    }
    for (const auto& [key, value] : got.items()) {
        if (!want.contains(key)) diff += describe_difference(key, json("<missing>"), value);
    }
    return diff;
}

struct run_output {
    json record;
    std::string text;  // the JSON as gisa extract prints it
};

run_output run_case(const fs::path& dir, const json& case_json) {
    std::string bytes = read_file(dir / "input.html");
    gisa::extract::page_input input;
    input.bytes = bytes;
    input.url = case_string(case_json, "url");
    input.content_type = case_string(case_json, "content_type");
    input.fetched_at = case_string(case_json, "fetched_at");
    input.charset_override = case_string(case_json, "charset");
    auto result = gisa::extract::extract_page(input);
    auto ordered = gisa::extract::record_to_json(result.record, result.error);
    std::string text = ordered.dump(-1, ' ', false, json::error_handler_t::replace);
    return {json::parse(text), text};
}

std::vector<std::string> string_list(const json& case_json, const char* key) {
    std::vector<std::string> out;
    if (case_json.contains(key) && case_json[key].is_array()) {
        for (const auto& v : case_json[key])
            out.push_back(v.get<std::string>());
    }
    return out;
}

}  // namespace

TEST_CASE("every fixture folder extracts to its expected.json", "[fixtures]") {
    auto dirs = fixture_dirs();
    REQUIRE_FALSE(dirs.empty());
    for (const auto& dir : dirs) {
        DYNAMIC_SECTION(dir.filename().string()) {
            json case_json = fs::exists(dir / "case.json") ? json::parse(read_file(dir / "case.json")) : json::object();
            REQUIRE(fs::exists(dir / "expected.json"));
            json expected = json::parse(read_file(dir / "expected.json"));
            run_output actual = run_case(dir, case_json);

            std::string diff = diff_records(expected, actual.record);
            if (!diff.empty()) {
                std::ofstream(dir / "actual.json")
                    << actual.record.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
                FAIL_CHECK(dir.filename().string() << ": record differs from expected.json (actual.json written):\n"
                                                   << diff);
            }
            for (const auto& needle : string_list(case_json, "must_contain")) {
                INFO("must_contain: " << needle);
                CHECK(actual.text.find(needle) != std::string::npos);
            }
            for (const auto& needle : string_list(case_json, "must_not_contain")) {
                INFO("must_not_contain: " << needle);
                CHECK(actual.text.find(needle) == std::string::npos);
            }
        }
    }
}
