// Easy-handle setup (safe defaults, callbacks) and result collection for one HTTP(S) attempt.
#include "fetch/easy_transfer.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <vector>

#include "fetch/address_policy.hpp"
#include "fetch/classify.hpp"
#include "fetch/content_kind.hpp"
#include "fetch/retry_policy.hpp"

namespace gisa::fetch {

namespace {

// Easy handles are reused: curl_easy_init allocates a 16 KiB receive buffer and much state,
// and a crawler makes millions of transfers. A bounded pool per thread. A handle keeps the
// options of its last transfer: when the next one has the same limits, only the per-request
// options are set again (curl_easy_reset and the dozen options behind it, several of them
// string copies, cost as much as the rest of a keep-alive request's setup); otherwise it is
// reset first.
constexpr std::size_t max_pooled_handles = 256;
constexpr std::size_t typical_header_count = 16;  // response header lines reserved up front

struct slist_deleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using header_list = std::unique_ptr<curl_slist, slist_deleter>;

header_list set_limits(CURL* easy, const transfer_limits& limits);

bool same_curl_settings(const transfer_limits& a, const transfer_limits& b) {
    return a.connect_timeout == b.connect_timeout && a.total_timeout == b.total_timeout &&
           a.low_speed_bytes_per_s == b.low_speed_bytes_per_s && a.low_speed_window == b.low_speed_window &&
           a.max_redirects == b.max_redirects && a.max_body_bytes == b.max_body_bytes && a.verify_tls == b.verify_tls &&
           a.user_agent == b.user_agent && a.proxy == b.proxy;
}

struct pooled_handle {
    CURL* easy = nullptr;
    transfer_limits configured;  // what set_limits last applied to it
    header_list agent;           // its User-Agent line (see set_limits); nullptr when there is none
};

class handle_pool {
  public:
    handle_pool() { free_.reserve(max_pooled_handles); }
    handle_pool(const handle_pool&) = delete;
    handle_pool& operator=(const handle_pool&) = delete;
    ~handle_pool() {
        for (auto& h : free_)
            curl_easy_cleanup(h.easy);
    }

    // A handle whose options are set for `limits`; easy is nullptr when curl_easy_init fails.
    pooled_handle take(const transfer_limits& limits) {
        pooled_handle h;
        if (!free_.empty()) {
            h = std::move(free_.back());
            free_.pop_back();
            if (same_curl_settings(h.configured, limits)) return h;
            curl_easy_reset(h.easy);  // every option back to its default; the buffers stay
        } else {
            h.easy = curl_easy_init();
            if (h.easy == nullptr) return h;
        }
        h.agent = set_limits(h.easy, limits);
        h.configured = limits;
        return h;
    }

    // The handle must be out of any multi handle.
    void give_back(pooled_handle&& h) noexcept {
        // Nothing may point into the finished transfer's state once it is gone.
        curl_easy_setopt(h.easy, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
        curl_easy_setopt(h.easy, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
        if (free_.size() < max_pooled_handles) {
            free_.push_back(std::move(h));  // capacity reserved: never throws
        } else {
            curl_easy_cleanup(h.easy);
        }
    }

  private:
    std::vector<pooled_handle> free_;
};

handle_pool& pool() {
    thread_local handle_pool p;
    return p;
}

// A transfer's handle, handed back to the pool when the transfer is gone.
class handle_lease {
  public:
    handle_lease() = default;
    handle_lease(const handle_lease&) = delete;
    handle_lease& operator=(const handle_lease&) = delete;
    ~handle_lease() {
        if (handle_.easy != nullptr) pool().give_back(std::move(handle_));
    }

    void take(const transfer_limits& limits) { handle_ = pool().take(limits); }
    CURL* get() const noexcept { return handle_.easy; }
    curl_slist* agent_line() const noexcept { return handle_.agent.get(); }

  private:
    pooled_handle handle_;
};

}  // namespace

// Everything the callbacks touch. They only record; they never call libcurl.
struct easy_transfer::state {
    const transfer_limits* limits = nullptr;  // both outlive the transfer (see create)
    const fetch_request* request = nullptr;
    header_list headers_out;  // the User-Agent and validators; declared before easy: freed after it
    handle_lease easy;
    char error_buffer[CURL_ERROR_SIZE] = {};

    // The response being received (reset at each status line: redirects and 1xx come first).
    long status = 0;
    std::vector<header_field> headers;
    std::string location;
    std::string body;
    bool sniffed = false;
    body_kind kind = body_kind::html;

    // Where the redirect chain has been (after the request's own URL), to stop loops before
    // the redirect limit.
    std::vector<std::string> visited;
    abort_reason aborted = abort_reason::none;
    std::string abort_detail;
};

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    return text;
}

std::optional<std::string_view> find_header(const std::vector<header_field>& headers, std::string_view name) {
    for (const auto& h : headers)
        if (iequals(h.name, name)) return std::string_view(h.value);
    return std::nullopt;
}

bool is_redirect(const easy_transfer::state& s) {
    return s.status >= 300 && s.status < 400 && !s.location.empty();
}

using state = easy_transfer::state;

// The end of a redirect's headers: where it points, and whether that was seen before.
bool check_redirect(state& s) {
    if (s.visited.empty()) s.visited.push_back(s.request->url);
    boost::urls::url target;
    const auto base = boost::urls::parse_uri(s.visited.back());
    const auto ref = boost::urls::parse_uri_reference(s.location);
    if (!base || !ref || !boost::urls::resolve(*base, *ref, target)) return true;  // curl reports it
    const auto scheme = target.scheme();
    if (scheme != "http" && scheme != "https") {
        s.aborted = abort_reason::redirect_scheme;
        s.abort_detail = std::string(target.buffer());
        return false;
    }
    target.remove_fragment();
    std::string next(target.buffer());
    if (std::find(s.visited.begin(), s.visited.end(), next) != s.visited.end()) {
        s.aborted = abort_reason::redirect_loop;
        for (const auto& url : s.visited)
            s.abort_detail += url + " -> ";
        s.abort_detail += next;
        return false;
    }
    s.visited.push_back(std::move(next));
    return true;
}

bool check_length(state& s) {
    const auto length = find_header(s.headers, "content-length");
    if (!length || s.status < 200 || s.status >= 300) return true;
    unsigned long long bytes = 0;
    const auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), bytes);
    if (ec != std::errc{}) return true;
    if (bytes <= s.limits->max_body_bytes) {
        s.body.reserve(static_cast<std::size_t>(bytes));
        return true;
    }
    s.aborted = abort_reason::too_large;
    s.abort_detail = std::string(*length) + " bytes announced";
    return false;
}

void start_response(state& s, std::string_view status_line) {
    s.headers.clear();
    s.location.clear();
    s.status = 0;
    const auto space = status_line.find(' ');
    if (space != std::string_view::npos) {
        const auto code = status_line.substr(space + 1, 3);
        std::from_chars(code.data(), code.data() + code.size(), s.status);
    }
}

std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& s = *static_cast<state*>(user);
    const std::size_t bytes = size * count;
    const auto line = trim(std::string_view(buffer, bytes));
    if (line.starts_with("HTTP/")) {
        start_response(s, line);
    } else if (line.empty()) {
        const bool go_on = is_redirect(s) ? check_redirect(s) : check_length(s);
        if (!go_on) return 0;  // any other count aborts the transfer with CURLE_WRITE_ERROR
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        header_field field{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))};
        if (iequals(field.name, "location")) s.location = field.value;
        s.headers.push_back(std::move(field));
    }
    return bytes;
}

bool sniff(state& s) {
    s.sniffed = true;
    s.kind = classify_body(find_header(s.headers, "content-type").value_or(""), s.body);
    if (s.kind != body_kind::binary) return true;
    s.aborted = abort_reason::not_html;
    const auto type = find_header(s.headers, "content-type");
    s.abort_detail = type ? std::string(*type) : std::string("binary content");
    return false;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& s = *static_cast<state*>(user);
    const std::size_t bytes = size * count;
    if (is_redirect(s)) return bytes;  // a redirect's own body is not the page
    if (s.body.size() + bytes > s.limits->max_body_bytes) {
        s.aborted = abort_reason::too_large;
        s.abort_detail = "more than " + std::to_string(s.limits->max_body_bytes) + " bytes";
        return 0;  // stop reading: the rest is never buffered
    }
    s.body.append(data, bytes);
    if (!s.sniffed && s.body.size() >= sniff_bytes && !sniff(s)) return 0;
    return bytes;
}

// Every connection curl makes passes here, after name resolution and after each redirect,
// so a host name that resolves to 127.0.0.1 is refused before a byte is sent.
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto& s = *static_cast<state*>(user);
    const auto* sa = &address->addr;
    // Through a proxy the only address seen here is the proxy's, which the operator chose.
    if (purpose == CURLSOCKTYPE_IPCXN && !s.limits->allow_private && s.limits->proxy.empty()) {
        if (const auto reason = non_public_reason(sa)) {
            s.aborted = abort_reason::refused_address;
            s.abort_detail = address_to_string(sa) + " (" + std::string(*reason) + ")";
            return CURL_SOCKET_BAD;  // the documented refusal: curl fails this connection attempt
        }
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

core::error check_target(const fetch_request& request, const transfer_limits& limits, request_target* where) {
    const auto parsed = boost::urls::parse_uri(request.url);
    if (!parsed) return {core::errc::usage, "not a URL: " + request.url, false, std::nullopt};
    const auto scheme = parsed->scheme();
    if (scheme != "http" && scheme != "https")
        return {core::errc::refused, "scheme not allowed: " + request.url, false, std::nullopt};
    if (!limits.allow_private) {
        if (const auto reason = non_public_literal(parsed->host()))
            return {core::errc::refused,
                    "refused to connect to " + std::string(parsed->host()) + " (" + std::string(*reason) +
                        "; allow_private is off)",
                    false, std::nullopt};
    }
    if (where != nullptr) {
        if (!parsed->has_authority()) return {core::errc::usage, "no host in " + request.url, false, std::nullopt};
        const auto port = parsed->port();
        where->host_key.clear();
        where->host_key.append(scheme).append("://").append(parsed->encoded_host());
        where->host_key.append(":").append(port.empty() ? (scheme == "https" ? "443" : "80") : port);
        const auto path = parsed->encoded_path();
        where->path.assign(path.empty() ? std::string_view("/") : std::string_view(path));
        if (parsed->has_query()) where->path.append("?").append(parsed->encoded_query());
    }
    return {};
}

namespace {

template <typename T>
void set(CURL* easy, CURLoption option, T value) {
    curl_easy_setopt(easy, option, value);
}

// The User-Agent goes out as a header line of our own (CURLOPT_HTTPHEADER) rather than through
// CURLOPT_USERAGENT: for that option libcurl 7.88 formats "User-Agent: %s\r\n" anew for every
// transfer and then copies it into the request, both a byte at a time through its printf
// (issue #5: that printf is a third of the benchmark client's instructions; a header line of
// our own goes through it once). Returns the line's list, to keep as long as the handle has
// these settings; nullptr for an empty User-Agent (none sent).
header_list agent_header(const transfer_limits& limits) {
    if (limits.user_agent.empty()) return nullptr;
    return header_list(curl_slist_append(nullptr, ("User-Agent: " + limits.user_agent).c_str()));
}

header_list set_limits(CURL* easy, const transfer_limits& limits) {
    set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");  // never from http to file:
    set(easy, CURLOPT_FOLLOWLOCATION, 1L);
    set(easy, CURLOPT_MAXREDIRS, limits.max_redirects);
    set(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
    set(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()));
    set(easy, CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes_per_s);
    set(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.low_speed_window.count()));
    set(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_body_bytes));
    set(easy, CURLOPT_SSL_VERIFYPEER, limits.verify_tls ? 1L : 0L);
    set(easy, CURLOPT_SSL_VERIFYHOST, limits.verify_tls ? 2L : 0L);
    // What we ask for; libcurl decodes whatever of gzip, deflate, br and zstd comes. Not "" (all
    // four): libcurl writes this line byte by byte twice per request, and servers that could
    // send deflate or zstd send gzip or br as well.
    set(easy, CURLOPT_ACCEPT_ENCODING, "gzip, br");
    set(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    set(easy, CURLOPT_PROXY, limits.proxy.c_str());
    // Without a proxy, NO_PROXY means nothing; left unset, libcurl reads it from the environment
    // (twice) for every transfer.
    if (limits.proxy.empty()) set(easy, CURLOPT_NOPROXY, "");
    set(easy, CURLOPT_NOSIGNAL, 1L);
    auto agent = agent_header(limits);
    // Header lines of our own go to the server only (CURLHEADER_SEPARATE); a proxy's CONNECT
    // gets the User-Agent through this.
    set(easy, CURLOPT_PROXYHEADER, agent.get());
    return agent;
}

void set_callbacks(CURL* easy, state& s) {
    set(easy, CURLOPT_HEADERFUNCTION, &on_header);
    set(easy, CURLOPT_HEADERDATA, static_cast<void*>(&s));
    set(easy, CURLOPT_WRITEFUNCTION, &on_body);
    set(easy, CURLOPT_WRITEDATA, static_cast<void*>(&s));
    set(easy, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
    set(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(&s));
    set(easy, CURLOPT_ERRORBUFFER, s.error_buffer);
}

// The request's header lines: the handle's User-Agent line, alone unless there are validators.
void set_request_headers(state& s) {
    if (s.request->etag.empty() && s.request->last_modified.empty()) {
        set(s.easy.get(), CURLOPT_HTTPHEADER, s.easy.agent_line());  // owned by the pooled handle
        return;
    }
    curl_slist* list = nullptr;
    const auto add = [&](const std::string& line) {
        if (auto* grown = curl_slist_append(list, line.c_str())) list = grown;
    };
    for (const curl_slist* line = s.easy.agent_line(); line != nullptr; line = line->next)
        add(line->data);
    if (!s.request->etag.empty()) add("If-None-Match: " + s.request->etag);
    if (!s.request->last_modified.empty()) add("If-Modified-Since: " + s.request->last_modified);
    s.headers_out.reset(list);
    set(s.easy.get(), CURLOPT_HTTPHEADER, list);
}

std::chrono::microseconds info_time(CURL* easy, CURLINFO what) {
    curl_off_t micros = 0;
    curl_easy_getinfo(easy, what, &micros);
    return std::chrono::microseconds(micros);
}

fetch_timings read_timings(CURL* easy) {
    fetch_timings t;
    t.name_lookup = info_time(easy, CURLINFO_NAMELOOKUP_TIME_T);
    t.connect = info_time(easy, CURLINFO_CONNECT_TIME_T);
    t.tls = info_time(easy, CURLINFO_APPCONNECT_TIME_T);
    t.first_byte = info_time(easy, CURLINFO_STARTTRANSFER_TIME_T);
    t.total = info_time(easy, CURLINFO_TOTAL_TIME_T);
    return t;
}

std::string http_version(CURL* easy) {
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
        case CURL_HTTP_VERSION_1_0:
            return "1.0";
        case CURL_HTTP_VERSION_1_1:
            return "1.1";
        case CURL_HTTP_VERSION_2_0:
            return "2";
        case CURL_HTTP_VERSION_3:
            return "3";
        default:
            return "";
    }
}

}  // namespace

std::unique_ptr<easy_transfer> easy_transfer::create(const fetch_request& request, const transfer_limits& limits,
                                                     core::error& refused, bool target_checked) {
    refused = target_checked ? core::error{} : check_target(request, limits);
    if (refused.code != core::errc::ok) return nullptr;
    auto s = std::make_unique<state>();
    s->limits = &limits;
    s->request = &request;
    s->easy.take(limits);
    s->headers.reserve(typical_header_count);  // grown one by one, it would be four allocations
    CURL* easy = s->easy.get();
    if (easy == nullptr) {
        refused = {core::errc::fetch, "curl_easy_init failed", true, std::nullopt};
        return nullptr;
    }
    // Per request; everything else the pooled handle already has (see handle_pool).
    set(easy, CURLOPT_URL, request.url.c_str());
    set_callbacks(easy, *s);
    set_request_headers(*s);
    set(easy, CURLOPT_PIPEWAIT, request.url.starts_with("https:") ? 1L : 0L);  // multiplex on HTTP/2
    return std::unique_ptr<easy_transfer>(new easy_transfer(std::move(s)));
}

easy_transfer::easy_transfer(std::unique_ptr<state> s) : state_(std::move(s)) {}
easy_transfer::~easy_transfer() = default;

void* easy_transfer::handle() const noexcept {
    return state_->easy.get();
}

fetch_result easy_transfer::finish(int curl_code) {
    auto& s = *state_;
    CURL* easy = s.easy.get();
    fetch_result r;
    r.url = s.request->url;
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    r.final_url = effective != nullptr ? effective : s.request->url;
    curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &r.redirects);
    r.status = s.status;
    r.http_version = http_version(easy);
    r.timings = read_timings(easy);
    if (!s.sniffed) sniff(s);  // a body shorter than sniff_bytes
    r.headers = std::move(s.headers);
    r.kind = s.kind;
    r.content_type = std::string(find_header(r.headers, "content-type").value_or(""));
    r.etag = std::string(find_header(r.headers, "etag").value_or(""));
    r.last_modified = std::string(find_header(r.headers, "last-modified").value_or(""));

    attempt_outcome outcome;
    outcome.curl_code = curl_code;
    outcome.curl_message = s.error_buffer;
    outcome.status = s.status;
    outcome.conditional = !s.request->etag.empty() || !s.request->last_modified.empty();
    // A refused address among several tried does not fail a transfer that went through elsewhere;
    // a short binary body is only recognised now, after curl finished.
    const bool counts = curl_code != CURLE_OK || s.aborted == abort_reason::not_html;
    outcome.aborted = counts ? s.aborted : abort_reason::none;
    outcome.abort_detail = s.abort_detail;
    if (const auto after = find_header(r.headers, "retry-after"))
        outcome.retry_after = parse_retry_after(*after, std::time(nullptr));
    r.error = classify(outcome);
    r.not_modified = r.ok() && s.status == 304;
    if (r.error.code == core::errc::not_html || r.error.code == core::errc::too_large) s.body.clear();
    r.body = std::move(s.body);
    return r;
}

}  // namespace gisa::fetch
