// Stage "script state": reading Fusion.globalContent content_elements (script_state.hpp).
#include "extract/script_state.hpp"

#include <nlohmann/json.hpp>

#include "extract/byline.hpp"
#include "extract/dom_tag.hpp"
#include "extract/strings.hpp"

namespace gisa::extract {

namespace {

using json = nlohmann::json;

std::string string_at(const json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return {};
    return obj[key].get<std::string>();
}

// obj[key] when both are objects, else an empty object (JSON from pages has any shape).
const json& object_at(const json& obj, const char* key) {
    static const json none = json::object();
    if (!obj.is_object()) return none;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? *it : none;
}

std::optional<json> fusion_content(const dom::document& doc) {
    std::optional<json> found;
    dom::find_all(
        doc.root(), [](dom::node n) { return dom::has_tag(n, GUMBO_TAG_SCRIPT); },
        [&](dom::node n) {
            if (found) return;
            std::string code = dom::text_content(n);
            std::size_t at = code.find(fusion_content_marker);
            if (at == std::string::npos) return;
            std::size_t start = at + fusion_content_marker.size();
            std::size_t end = json_object_end(code, start);
            if (end == std::string::npos) return;
            json parsed = json::parse(code.substr(start, end - start), nullptr, /*allow_exceptions=*/false);
            if (parsed.is_object() && parsed.contains("content_elements")) found = std::move(parsed);
        });
    return found;
}

void add_element(const json& element, script_article& out) {
    std::string type = string_at(element, "type");
    if (type == "text" || type == "header") {
        for (auto& p : html_fragment_paragraphs(string_at(element, "content")))
            out.paragraphs.push_back(std::move(p));
    } else if (type == "image") {
        std::string caption = normalize_whitespace(decode_leftover_entities(string_at(element, "caption")));
        if (!caption.empty()) out.captions.push_back(std::move(caption));
    }
}

std::optional<std::string> credits_byline(const json& content) {
    if (!content.contains("credits") || !content["credits"].is_object()) return std::nullopt;
    const json& by = content["credits"].value("by", json::array());
    if (!by.is_array()) return std::nullopt;
    for (const json& person : by) {
        // Arc keeps the reporter as the paper prints it in additional_properties.original
        // ("박선민 기자", with the e-mail); its "name" is given name first ("선민 박").
        const json& original = object_at(object_at(person, "additional_properties"), "original");
        std::string text = string_at(person, "byline");
        if (text.empty()) text = string_at(original, "byline");
        if (text.empty()) text = string_at(person, "name");
        auto b = find_byline(text);
        if (!b) continue;
        const std::string email = string_at(original, "email");
        if (!email.empty() && b->find('@') == std::string::npos && find_email(email)) *b += " " + email;
        return b;
    }
    return std::nullopt;
}

}  // namespace

std::size_t json_object_end(std::string_view text, std::size_t start) noexcept {
    if (start >= text.size() || text[start] != '{') return std::string_view::npos;
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = start; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    return std::string_view::npos;
}

std::vector<std::string> html_fragment_paragraphs(std::string_view html) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        std::string p = normalize_whitespace(decode_leftover_entities(current));
        if (!p.empty()) out.push_back(std::move(p));
        current.clear();
    };
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html[i] != '<') {
            current += html[i];
            continue;
        }
        std::size_t close = html.find('>', i);
        if (close == std::string_view::npos) break;
        std::string tag = ascii_lowercase(html.substr(i + 1, std::min<std::size_t>(close - i - 1, 4)));
        if (tag.rfind("br", 0) == 0 || tag.rfind("p", 0) == 0 || tag.rfind("/p", 0) == 0 || tag.rfind("div", 0) == 0 ||
            tag.rfind("/div", 0) == 0) {
            flush();
        }
        i = close;
    }
    flush();
    return out;
}

std::optional<script_article> read_script_article(const dom::document& doc) {
    auto content = fusion_content(doc);
    if (!content || !(*content)["content_elements"].is_array()) return std::nullopt;
    script_article out;
    for (const json& element : (*content)["content_elements"])
        add_element(element, out);
    out.byline = credits_byline(*content);
    if (out.paragraphs.empty()) return std::nullopt;
    return out;
}

}  // namespace gisa::extract
