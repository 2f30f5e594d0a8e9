// A loopback HTTP/1.1 server for tests and benchmarks: scripted responses, a request log, byte counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gisa::test {

using server_clock = std::chrono::steady_clock;

struct http_request {
    std::string method;
    std::string target;  // path and query as sent
    std::vector<std::pair<std::string, std::string>> headers;
    server_clock::time_point received;

    std::string path() const { return target.substr(0, target.find('?')); }
    std::optional<std::string> header(std::string_view name) const;  // case-insensitive
    std::string query(std::string_view name) const;                  // a query parameter as sent; "" when absent
};

// What the server does with one request, step by step: raw bytes, pauses, a reset.
struct response_step {
    enum class kind { write, pause, reset, close } what = kind::write;
    std::string bytes;
    std::chrono::milliseconds pause{0};
};

struct response {
    std::vector<response_step> steps;

    // A whole response with Content-Length. `headers` are extra "Name: value" lines.
    static response make(int status, std::string body, std::string content_type = "text/html; charset=utf-8",
                         std::vector<std::string> headers = {});
    static response redirect(int status, std::string location);
    static response not_found() { return make(404, "not found", "text/plain"); }

    response& write(std::string bytes);
    response& pause(std::chrono::milliseconds delay);
    response& reset();  // abortive close (RST): SO_LINGER 0
    response& close();  // orderly close, e.g. after a body without Content-Length
};

using route = std::function<response(const http_request&)>;

// Listens on 127.0.0.1, port chosen by the kernel, served by its own threads.
// Unknown paths get 404. Keep-alive is on unless a response closes.
class http_server {
  public:
    explicit http_server(int threads = 1);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    void on(std::string path, route handler);  // exact path, query ignored; set before requests arrive
    // Listens on another loopback address too (e.g. "127.0.0.7"), on the same port, so that one
    // server stands for several hosts. Requests name theirs in the Host header.
    void listen_also(const std::string& address);

    unsigned short port() const noexcept;
    std::string url(std::string_view path_and_query) const;  // "http://127.0.0.1:PORT/..."

    std::vector<http_request> requests() const;
    std::size_t request_count(std::string_view path) const;
    std::size_t connections_accepted() const noexcept;
    std::size_t bytes_written() const noexcept;
    std::size_t write_failures() const noexcept;  // writes the client cut short
    // Most requests at once between reading a request's head and writing its response's end.
    // With one server thread this is a strict bound on what the client had in flight.
    std::size_t peak_open_requests() const noexcept;
    void set_logging(bool on) noexcept;  // off in benchmarks: the log would grow without bound

    struct impl;

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace gisa::test
