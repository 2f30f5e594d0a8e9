// The /metrics endpoint: an accept loop and one short coroutine per connection, each step under a deadline.
#include "app/metrics_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <charconv>
#include <cstdio>
#include <list>
#include <stdexcept>
#include <string_view>
#include <tuple>

namespace gisa::app {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace detail {

struct metrics_connection {
    explicit metrics_connection(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}
    tcp::socket socket;
    net::steady_timer deadline;
};

}  // namespace detail

using connection = detail::metrics_connection;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// After a failed accept (out of descriptors, say), wait this long rather than spin.
constexpr std::chrono::milliseconds accept_retry_delay{100};

// Closes the socket when the deadline passes, which fails the pending read or write. The handler owns the
// connection, so it may outlive the coroutine; a wait cancelled by re-arming can still arrive without an
// error, so the clock decides (as in Beast's basic_stream).
void arm_deadline(const std::shared_ptr<connection>& c, std::chrono::milliseconds after) {
    c->deadline.expires_after(after);
    c->deadline.async_wait([c](boost::system::error_code ec) {
        if (ec || c->deadline.expiry() > std::chrono::steady_clock::now()) return;
        c->socket.close(ec);
    });
}

tcp::endpoint parse_listen(const std::string& listen) {
    const auto bad = [&listen](std::string_view why) {
        return std::runtime_error("metrics: bad listen address '" + listen + "': " + std::string(why) +
                                  " (examples: 127.0.0.1:9464, [::1]:9464, localhost:9464)");
    };
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw bad("no port");
    const std::string host = listen.substr(0, colon);
    const std::string_view port_text = std::string_view(listen).substr(colon + 1);
    unsigned port = 0;
    const auto [end, perr] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || perr != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        throw bad("the port is not a number from 0 to 65535");

    boost::system::error_code ec;
    net::ip::address address;
    if (host == "localhost")
        address = net::ip::address_v4::loopback();
    else if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        address = net::ip::make_address_v6(host.substr(1, host.size() - 2), ec);
    else
        address = net::ip::make_address_v4(host, ec);
    if (ec) throw bad("not an IP address (IPv6 goes in brackets)");
    return {address, static_cast<unsigned short>(port)};
}

std::string answer(std::string_view status, std::string_view content_type, const std::string& body, bool with_body,
                   std::string_view extra_headers = {}) {
    std::string out = "HTTP/1.1 ";
    out += status;
    out += "\r\nContent-Type: ";
    out += content_type;
    out += "\r\nContent-Length: " + std::to_string(body.size());
    out += "\r\n";
    out += extra_headers;
    out += "Connection: close\r\n\r\n";
    if (with_body) out += body;
    return out;
}

std::string plain(std::string_view status, std::string_view extra_headers = {}) {
    return answer(status, "text/plain; charset=utf-8", std::string(status.substr(4)) + "\n", true, extra_headers);
}

// The answer to one request head; only the request line matters.
std::string respond(std::string_view head, const std::function<std::string()>& render) {
    const auto line = head.substr(0, head.find("\r\n"));
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/1.")) return plain("400 Bad Request");
    const auto method = line.substr(0, sp1);
    const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (method != "GET" && method != "HEAD") return plain("405 Method Not Allowed", "Allow: GET, HEAD\r\n");
    if (target.substr(0, target.find('?')) != "/metrics") return plain("404 Not Found");
    std::string body;
    try {
        body = render();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gisa metrics: rendering failed: %s\n", e.what());
        return plain("500 Internal Server Error");
    }
    return answer("200 OK", "text/plain; version=0.0.4; charset=utf-8", body, method == "GET");
}

}  // namespace

namespace detail {

struct metrics_server_state {
    metrics_server_state(net::io_context& io, std::function<std::string()> r, metrics_server_limits l)
        : acceptor(io), render(std::move(r)), limits(l) {}

    tcp::acceptor acceptor;
    std::function<std::string()> render;
    metrics_server_limits limits;
    std::list<std::shared_ptr<connection>> open;
    bool stopped = false;
};

}  // namespace detail

namespace {

using state_ptr = std::shared_ptr<detail::metrics_server_state>;

net::awaitable<void> serve(state_ptr s, std::list<std::shared_ptr<connection>>::iterator it) {
    const auto c = *it;
    struct forget {  // leaves the open list however the coroutine ends
        detail::metrics_server_state& s;
        std::list<std::shared_ptr<connection>>::iterator it;
        ~forget() {
            (*it)->deadline.cancel();
            s.open.erase(it);
        }
    } guard{*s, it};

    arm_deadline(c, s->limits.head_timeout);
    std::string head;
    auto [ec, n] = co_await net::async_read_until(c->socket, net::dynamic_buffer(head, s->limits.max_head_bytes),
                                                  "\r\n\r\n", use_tuple);
    std::string out;
    if (ec == net::error::not_found)  // the head outgrew max_head_bytes
        out = plain("431 Request Header Fields Too Large");
    else if (ec)
        co_return;
    else
        out = respond(std::string_view(head).substr(0, n), s->render);

    arm_deadline(c, s->limits.head_timeout);
    std::tie(ec, n) = co_await net::async_write(c->socket, net::buffer(out), use_tuple);
    c->socket.shutdown(tcp::socket::shutdown_send, ec);
    c->socket.close(ec);
}

net::awaitable<void> accept_loop(state_ptr s) {
    while (!s->stopped) {
        auto [ec, socket] = co_await s->acceptor.async_accept(use_tuple);
        if (s->stopped) break;
        if (ec) {
            net::steady_timer pause(s->acceptor.get_executor(), accept_retry_delay);
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (s->open.size() >= s->limits.max_connections) continue;  // the socket closes as it goes
        s->open.push_front(std::make_shared<connection>(std::move(socket)));
        net::co_spawn(s->acceptor.get_executor(), serve(s, s->open.begin()), net::detached);
    }
}

}  // namespace

metrics_server::metrics_server(net::io_context& io, const std::string& listen, std::function<std::string()> render,
                               metrics_server_limits limits)
    : state_(std::make_shared<detail::metrics_server_state>(io, std::move(render), limits)) {
    const auto endpoint = parse_listen(listen);
    auto& acceptor = state_->acceptor;
    try {
        acceptor.open(endpoint.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("metrics: cannot listen on " + listen + ": " + e.code().message());
    }
    port_ = acceptor.local_endpoint().port();
    if (!endpoint.address().is_loopback())
        std::fprintf(stderr, "gisa metrics: warning: metrics are served to the network on %s\n", listen.c_str());
    net::co_spawn(io, accept_loop(state_), net::detached);
}

metrics_server::~metrics_server() {
    stop();
}

void metrics_server::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    for (const auto& c : state_->open) {
        c->deadline.cancel();
        c->socket.close(ignored);
    }
}

}  // namespace gisa::app
