// Whether a URL is one gisa fetches from the web: http or https (not file:, javascript:, mailto:).
#pragma once

#include <string_view>

namespace gisa::core {

inline bool is_web_url(std::string_view url) noexcept {
    return url.starts_with("http://") || url.starts_with("https://");
}

}  // namespace gisa::core
