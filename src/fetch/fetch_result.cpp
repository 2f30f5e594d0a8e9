// Small helpers of the fetch result: header lookup and body-kind names.
#include "fetch/fetch_result.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace gisa::fetch {

std::optional<std::string_view> fetch_result::header(std::string_view name) const {
    for (const auto& h : headers)
        if (h.name.size() == name.size() && std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return std::string_view(h.value);
    return std::nullopt;
}

std::string_view to_string(body_kind kind) noexcept {
    switch (kind) {
        case body_kind::html:
            return "html";
        case body_kind::text:
            return "text";
        case body_kind::binary:
            return "binary";
    }
    return "unknown";
}

fetch_result failed_request(const fetch_request& request, core::error error) {
    fetch_result r;
    r.url = request.url;
    r.final_url = request.url;
    r.error = std::move(error);
    return r;
}

}  // namespace gisa::fetch
