// The loopback test server: Asio coroutines, one per connection, executing response scripts.
#include "fetch/support/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <thread>

namespace gisa::test {

namespace net = boost::asio;
using net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

http_request parse_head(std::string_view head) {
    http_request req;
    req.received = server_clock::now();
    auto eol = head.find("\r\n");
    const auto first = head.substr(0, eol);
    const auto sp1 = first.find(' ');
    const auto sp2 = first.find(' ', sp1 + 1);
    req.method = std::string(first.substr(0, sp1));
    req.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
    while (eol != std::string_view::npos) {
        head = head.substr(eol + 2);
        eol = head.find("\r\n");
        const auto line = head.substr(0, eol);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        req.headers.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    }
    return req;
}

const char* reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 404:
            return "Not Found";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

}  // namespace

std::string http_request::query(std::string_view name) const {
    const std::size_t q = target.find('?');
    if (q == std::string::npos) return {};
    std::string_view rest(target);
    rest.remove_prefix(q + 1);
    while (!rest.empty()) {
        const std::string_view pair = rest.substr(0, rest.find('&'));
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return std::string(pair.substr(name.size() + 1));
        if (pair.size() == rest.size()) break;
        rest.remove_prefix(pair.size() + 1);
    }
    return {};
}

std::optional<std::string> http_request::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

response response::make(int status, std::string body, std::string content_type, std::vector<std::string> headers) {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
    if (!content_type.empty()) head += "Content-Type: " + content_type + "\r\n";
    for (const auto& h : headers)
        head += h + "\r\n";
    if (status != 304) head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    head += "\r\n";
    response r;
    r.write(head + body);
    return r;
}

response response::redirect(int status, std::string location) {
    return make(status, "", "text/html", {"Location: " + location});
}

response& response::write(std::string bytes) {
    steps.push_back({response_step::kind::write, std::move(bytes), {}});
    return *this;
}
response& response::pause(std::chrono::milliseconds delay) {
    steps.push_back({response_step::kind::pause, {}, delay});
    return *this;
}
response& response::reset() {
    steps.push_back({response_step::kind::reset, {}, {}});
    return *this;
}
response& response::close() {
    steps.push_back({response_step::kind::close, {}, {}});
    return *this;
}

struct http_server::impl {
    net::io_context io;
    tcp::acceptor acceptor{io};
    std::vector<std::unique_ptr<tcp::acceptor>> more_acceptors;  // listen_also
    std::vector<std::thread> threads;
    mutable std::mutex mutex;
    std::map<std::string, route> routes;
    std::vector<http_request> log;
    std::atomic<bool> logging{true};
    std::atomic<std::size_t> accepted{0};
    std::atomic<std::size_t> written{0};
    std::atomic<std::size_t> failures{0};
    std::atomic<std::size_t> open_requests{0};
    std::atomic<std::size_t> peak_open{0};

    void note_open() {
        const std::size_t now = ++open_requests;
        std::size_t peak = peak_open.load();
        while (now > peak && !peak_open.compare_exchange_weak(peak, now)) {
        }
    }

    route find(const std::string& path) {
        std::lock_guard lock(mutex);
        const auto it = routes.find(path);
        return it == routes.end() ? route{} : it->second;
    }

    net::awaitable<void> accept_loop(tcp::acceptor& from) {
        for (;;) {
            auto [ec, socket] = co_await from.async_accept(use_tuple);
            if (ec == net::error::operation_aborted) co_return;
            if (ec) continue;
            ++accepted;
            socket.set_option(tcp::no_delay(true), ec);
            net::co_spawn(from.get_executor(), serve(std::move(socket)), net::detached);
        }
    }

    // Runs one response script; false when the connection is finished.
    net::awaitable<bool> play(tcp::socket& socket, const response& r) {
        for (const auto& step : r.steps) {
            switch (step.what) {
                case response_step::kind::write: {
                    auto [ec, n] = co_await net::async_write(socket, net::buffer(step.bytes), use_tuple);
                    written += n;
                    if (ec) {
                        ++failures;
                        co_return false;
                    }
                    break;
                }
                case response_step::kind::pause: {
                    net::steady_timer timer(socket.get_executor(), step.pause);
                    co_await timer.async_wait(use_tuple);
                    break;
                }
                case response_step::kind::reset: {
                    boost::system::error_code ignored;
                    socket.set_option(net::socket_base::linger(true, 0), ignored);
                    socket.close(ignored);
                    co_return false;
                }
                case response_step::kind::close: {
                    boost::system::error_code ignored;
                    socket.shutdown(tcp::socket::shutdown_both, ignored);
                    socket.close(ignored);
                    co_return false;
                }
            }
        }
        co_return true;
    }

    net::awaitable<void> serve(tcp::socket socket) {
        std::string buffer;
        for (;;) {
            auto [ec, n] = co_await net::async_read_until(socket, net::dynamic_buffer(buffer), "\r\n\r\n", use_tuple);
            if (ec) co_return;
            auto req = parse_head(std::string_view(buffer).substr(0, n));
            buffer.erase(0, n);
            if (logging) {
                std::lock_guard lock(mutex);
                log.push_back(req);
            }
            note_open();
            const auto handler = find(req.path());
            const auto r = handler ? handler(req) : response::not_found();
            const bool go_on = co_await play(socket, r);
            --open_requests;
            if (!go_on) co_return;
        }
    }
};

http_server::http_server(int threads) : impl_(std::make_unique<impl>()) {
    tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(net::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(net::socket_base::max_listen_connections);
    net::co_spawn(impl_->io, impl_->accept_loop(impl_->acceptor), net::detached);
    for (int i = 0; i < std::max(1, threads); ++i)
        impl_->threads.emplace_back([this] { impl_->io.run(); });
}

http_server::~http_server() {
    impl_->io.stop();
    for (auto& t : impl_->threads)
        t.join();
}

void http_server::listen_also(const std::string& address) {
    tcp::endpoint endpoint(net::ip::make_address(address), port());
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->io);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen(net::socket_base::max_listen_connections);
    net::co_spawn(impl_->io, impl_->accept_loop(*acceptor), net::detached);
    std::lock_guard lock(impl_->mutex);
    impl_->more_acceptors.push_back(std::move(acceptor));
}

void http_server::on(std::string path, route handler) {
    std::lock_guard lock(impl_->mutex);
    impl_->routes[std::move(path)] = std::move(handler);
}

unsigned short http_server::port() const noexcept {
    return impl_->acceptor.local_endpoint().port();
}

std::string http_server::url(std::string_view path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path_and_query);
}

std::vector<http_request> http_server::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->log;
}

std::size_t http_server::request_count(std::string_view path) const {
    std::lock_guard lock(impl_->mutex);
    return static_cast<std::size_t>(
        std::count_if(impl_->log.begin(), impl_->log.end(), [&](const http_request& r) { return r.path() == path; }));
}

std::size_t http_server::connections_accepted() const noexcept {
    return impl_->accepted;
}
std::size_t http_server::bytes_written() const noexcept {
    return impl_->written;
}
std::size_t http_server::write_failures() const noexcept {
    return impl_->failures;
}
std::size_t http_server::peak_open_requests() const noexcept {
    return impl_->peak_open;
}
void http_server::set_logging(bool on) noexcept {
    impl_->logging = on;
}

}  // namespace gisa::test
