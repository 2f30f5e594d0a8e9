// The /metrics endpoint: a tiny HTTP/1.1 server on the daemon's io_context, one response per connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace gisa::app {

namespace detail {
struct metrics_server_state;
}

// Bounds on what a client may cost us; the defaults are what the daemon uses.
struct metrics_server_limits {
    std::chrono::milliseconds head_timeout{5000};  // to read the request head, and again to write the answer
    std::size_t max_head_bytes = 8 * 1024;         // a larger head is answered 431
    std::size_t max_connections = 16;              // beyond this, a new connection is closed at once
};

// GET /metrics answers 200 with render()'s text (Prometheus format 0.0.4), other paths 404, other methods 405.
// Everything runs on the io_context's thread; the server has no threads of its own. stop() and the
// destructor must run on that thread, or while the io_context is not running; the io_context must outlive it.
class metrics_server {
  public:
    // listen: "127.0.0.1:9464", "[::1]:9464" or "localhost:9464"; port 0 picks a free one. A non-loopback
    // address works but warns on stderr. Throws std::runtime_error on a bad address or a failed bind.
    metrics_server(boost::asio::io_context& io, const std::string& listen, std::function<std::string()> render,
                   metrics_server_limits limits = {});
    ~metrics_server();
    metrics_server(const metrics_server&) = delete;
    metrics_server& operator=(const metrics_server&) = delete;

    unsigned short port() const noexcept { return port_; }
    // Closes the acceptor and open connections; safe to call twice.
    void stop();

  private:
    std::shared_ptr<detail::metrics_server_state>
        state_;  // shared with the coroutines, which may outlive this object briefly
    unsigned short port_ = 0;
};

}  // namespace gisa::app
