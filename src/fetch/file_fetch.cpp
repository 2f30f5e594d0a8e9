// Reading file: URLs as fetch results, with the same size bound and body classification as HTTP.
#include "fetch/file_fetch.hpp"

#include <boost/url/parse.hpp>

#include <fstream>
#include <iterator>

#include "fetch/content_kind.hpp"

namespace gisa::fetch {
namespace {

fetch_result failed(fetch_result r, core::errc code, std::string message) {
    r.error = {code, std::move(message), false, std::nullopt};
    return r;
}

std::string type_from_extension(const std::string& path) {
    for (const char* ext : {".html", ".htm", ".xhtml"})
        if (path.ends_with(ext)) return "text/html";
    return "";
}

}  // namespace

fetch_result fetch_file(const fetch_request& request, const transfer_limits& limits) {
    fetch_result r;
    r.url = request.url;
    r.final_url = request.url;
    r.attempts = 1;
    const auto parsed = boost::urls::parse_uri(request.url);
    if (!parsed || parsed->scheme() != "file")
        return failed(std::move(r), core::errc::usage, "not a file: URL: " + request.url);
    if (!parsed->host().empty() && parsed->host() != "localhost")
        return failed(std::move(r), core::errc::refused, "file: URL on another host: " + request.url);
    const std::string path = parsed->path();  // percent-decoded
    std::ifstream in(path, std::ios::binary);
    if (!in) return failed(std::move(r), core::errc::io, "cannot read " + path);
    r.body.resize(limits.max_body_bytes + 1);
    in.read(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    r.body.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return failed(std::move(r), core::errc::io, "error reading " + path);
    if (r.body.size() > limits.max_body_bytes) {
        r.body.clear();
        return failed(std::move(r), core::errc::too_large,
                      path + " is over " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    r.content_type = type_from_extension(path);
    r.kind = classify_body(r.content_type, std::string_view(r.body).substr(0, sniff_bytes));
    if (r.kind == body_kind::binary) {
        r.body.clear();
        return failed(std::move(r), core::errc::not_html, "not a page: " + path);
    }
    return r;
}

}  // namespace gisa::fetch
