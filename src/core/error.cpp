// Names of error codes, as they appear in logs and JSON summaries.
#include "core/error.hpp"

namespace gisa::core {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::ok:
            return "ok";
        case errc::usage:
            return "usage";
        case errc::io:
            return "io";
        case errc::fetch:
            return "fetch";
        case errc::http_status:
            return "http_status";
        case errc::not_html:
            return "not_html";
        case errc::too_large:
            return "too_large";
        case errc::refused:
            return "refused";
        case errc::decode:
            return "decode";
        case errc::parse:
            return "parse";
        case errc::nothing_extracted:
            return "nothing_extracted";
        case errc::database:
            return "database";
        case errc::not_implemented:
            return "not_implemented";
    }
    return "unknown";
}

}  // namespace gisa::core
