// The extraction record as JSON in record.md's key order (record_json.hpp).
#include "extract/record_json.hpp"

#include <optional>

namespace gisa::extract {

namespace {

using ojson = nlohmann::ordered_json;

template <typename T>
ojson nullable(const std::optional<T>& value) {
    return value ? ojson(*value) : ojson(nullptr);
}

ojson row_to_json(const core::board_row& row) {
    ojson j;
    j["no"] = nullable(row.no);
    j["title"] = row.title;
    // A post opened by script only (href="javascript:...") has no URL: null, never "".
    j["url"] = row.url.empty() ? ojson(nullptr) : ojson(row.url);
    j["author"] = nullable(row.author);
    j["date"] = nullable(row.date);
    j["views"] = nullable(row.views);
    j["notice"] = row.notice;
    j["category"] = nullable(row.category);
    return j;
}

ojson board_to_json(const core::board_list& board) {
    ojson rows = ojson::array();
    for (const auto& row : board.rows)
        rows.push_back(row_to_json(row));
    ojson j;
    j["rows"] = std::move(rows);
    j["next_page"] = nullable(board.next_page);
    return j;
}

ojson strings(const std::vector<std::string>& values) {
    ojson a = ojson::array();
    for (const auto& v : values)
        a.push_back(v);
    return a;
}

}  // namespace

ojson record_to_json(const core::page_record& r, const core::error& error, const std::string& file) {
    ojson j;
    if (!file.empty()) j["file"] = file;
    j["url"] = r.url;
    if (error.code != core::errc::ok) {
        j["error"] = ojson{{"code", std::string(core::to_string(error.code))}, {"message", error.message}};
    }
    j["final_url"] = r.final_url;
    j["charset"] = r.charset;
    j["replaced_bytes"] = r.replaced_bytes;
    j["title"] = nullable(r.title);
    j["subtitle"] = nullable(r.subtitle);
    j["body"] = strings(r.body);
    j["captions"] = strings(r.captions);
    j["byline"] = nullable(r.byline);
    j["publisher"] = nullable(r.publisher);
    j["published_at"] = nullable(r.published_at);
    j["modified_at"] = nullable(r.modified_at);
    j["board"] = board_to_json(r.board);
    j["links_out"] = strings(r.links_out);
    j["notes"] = strings(r.notes);
    return j;
}

}  // namespace gisa::extract
