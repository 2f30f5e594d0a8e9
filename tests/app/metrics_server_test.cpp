// The /metrics endpoint over loopback with a plain blocking client, and the registry's text checked by promtool.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "app/metrics_server.hpp"
#include "core/metrics.hpp"

namespace net = boost::asio;
namespace metrics = gisa::core::metrics;
using gisa::app::metrics_server;
using gisa::app::metrics_server_limits;

namespace {

// The server on 127.0.0.1:0, its io_context run by one thread as the daemon would.
struct running_server {
    explicit running_server(std::function<std::string()> render, metrics_server_limits limits = {})
        : server(io, "127.0.0.1:0", std::move(render), limits), thread([this] { io.run(); }) {}
    ~running_server() { stop(); }
    // stop() belongs to the io_context's thread; once it ran, nothing is left and run() returns.
    void stop() {
        if (!thread.joinable()) return;
        net::post(io, [this] { server.stop(); });
        thread.join();
    }
    net::io_context io;
    metrics_server server;
    std::thread thread;
};

// A blocking client socket to 127.0.0.1:port; -1 when the connection is refused.
class client {
  public:
    explicit client(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        REQUIRE(fd_ >= 0);
        const timeval timeout{10, 0};  // a hung server fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~client() { ::close(fd_); }
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    bool connected() const { return connected_; }
    void send(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;  // the server may close early (431); what it answered is still read
            sent += static_cast<std::size_t>(n);
        }
    }
    // Everything up to the server's close; a reset ends it too.
    std::string read_all() {
        std::string out;
        char buf[4096];
        for (;;) {
            const auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) return out;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }

  private:
    int fd_;
    bool connected_ = false;
};

std::string round_trip(unsigned short port, const std::string& request) {
    client c(port);
    REQUIRE(c.connected());
    c.send(request);
    return c.read_all();
}

std::string get(unsigned short port, const std::string& target) {
    return round_trip(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n");
}

std::string body_of(const std::string& response) {
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

// A registry with every kind of metric, labels that need escaping, and odd values.
void fill(metrics::registry& r) {
    r.get_counter("gisa_fetches_total", "Fetches by HTTP status.", {{"status", "200"}}).inc(41);
    r.get_counter("gisa_fetches_total", "Fetches by HTTP status.", {{"status", "404"}}).inc();
    r.get_counter("gisa_fetched_bytes_total", "Bytes of bodies \\ fetched.\nSecond line.").inc(123456789);
    r.get_counter("gisa_extract_failures_total", "Pages nothing was extracted from.",
                  {{"site", "뉴스 \"속보\" \\ 게시판\n2"}, {"reason", "not_html"}})
        .inc(3);
    r.get_gauge("gisa_frontier_urls", "URLs due for a fetch.").set(1e6);
    r.get_gauge("gisa_last_success_timestamp_seconds", "Unix time of the last stored page.").set(1733030400.25);
    r.get_gauge("gisa_clock_skew_seconds", "Not measured yet.").set(std::numeric_limits<double>::quiet_NaN());
    r.get_gauge("gisa_backoff_limit_seconds", "Unbounded backoff.").set(std::numeric_limits<double>::infinity());
    r.add_callback_gauge("gisa_in_flight_transfers", "Transfers in flight.", [] { return 3.0; }, {{"pool", "a"}});
    for (const auto* stage : {"fetch", "extract", "store"}) {
        auto& h = r.get_histogram("gisa_stage_duration_seconds", "Time per pipeline stage.",
                                  metrics::latency_buckets_s(), {{"stage", stage}});
        for (double v : {0.0004, 0.003, 0.2, 1.0, 75.0})
            h.observe(v);
    }
}

std::string find_on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const auto candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

// Runs `promtool check metrics` with stdin from `input` and its output into `output`; its exit status.
int run_promtool(const std::string& promtool, const std::string& input, const std::string& output) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int in = ::open(input.c_str(), O_RDONLY);
        const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(126);
        char* const argv[] = {const_cast<char*>("promtool"), const_cast<char*>("check"), const_cast<char*>("metrics"),
                              nullptr};
        ::execv(promtool.c_str(), argv);
        ::_exit(127);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("promtool accepts the registry's text: every metric type, labels, escaping, a histogram") {
    const auto promtool = find_on_path("promtool");
    if (promtool.empty())
        FAIL("promtool is not on PATH: install the Debian package prometheus (tools/install-deps does)");
    metrics::registry r;
    fill(r);
    const auto text = r.render();
    const std::string input = std::string(GISA_BINARY_DIR) + "/metrics_promtool_input.txt";
    const std::string output = std::string(GISA_BINARY_DIR) + "/metrics_promtool_output.txt";
    std::ofstream(input, std::ios::binary) << text;
    const int status = run_promtool(promtool, input, output);
    INFO("promtool said:\n" << slurp(output) << "\nfor:\n" << text);
    CHECK(status == 0);
    std::remove(input.c_str());
    std::remove(output.c_str());
}

TEST_CASE("GET /metrics answers 200 with the text format's content type and the registry's text") {
    metrics::registry r;
    fill(r);
    running_server s([&r] { return r.render(); });
    REQUIRE(s.server.port() != 0);
    const auto response = get(s.server.port(), "/metrics");
    CHECK(response.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(response.find("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n") != std::string::npos);
    CHECK(response.find("\r\nConnection: close\r\n") != std::string::npos);
    const auto body = body_of(response);
    CHECK(body == r.render());
    CHECK(response.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
    CHECK(get(s.server.port(), "/metrics?x=1").starts_with("HTTP/1.1 200 "));
}

TEST_CASE("other paths answer 404, other methods 405, HEAD has no body, nonsense 400") {
    running_server s([] { return std::string("x 1\n"); });
    const auto port = s.server.port();
    CHECK(get(port, "/other").starts_with("HTTP/1.1 404 "));
    CHECK(get(port, "/metrics/extra").starts_with("HTTP/1.1 404 "));
    const auto post = round_trip(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    CHECK(post.starts_with("HTTP/1.1 405 "));
    CHECK(post.find("\r\nAllow: GET, HEAD\r\n") != std::string::npos);
    const auto head = round_trip(port, "HEAD /metrics HTTP/1.1\r\n\r\n");
    CHECK(head.starts_with("HTTP/1.1 200 "));
    CHECK(head.find("\r\nContent-Length: 4\r\n") != std::string::npos);
    CHECK(body_of(head).empty());
    CHECK(round_trip(port, "hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
}

TEST_CASE("a render that throws answers 500 and the server goes on") {
    std::atomic<bool> fail{true};
    running_server s([&fail]() -> std::string {
        if (fail) throw std::runtime_error("registry gone");
        return "ok 1\n";
    });
    CHECK(get(s.server.port(), "/metrics").starts_with("HTTP/1.1 500 "));
    fail = false;
    CHECK(body_of(get(s.server.port(), "/metrics")) == "ok 1\n");
}

TEST_CASE("a request head over 8 KiB is answered 431 or closed, and the server goes on") {
    running_server s([] { return std::string("x 1\n"); });
    const auto response =
        round_trip(s.server.port(), "GET /metrics HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    INFO(response.substr(0, 200));
    CHECK((response.empty() || response.starts_with("HTTP/1.1 431 ")));
    CHECK(get(s.server.port(), "/metrics").starts_with("HTTP/1.1 200 "));
}

TEST_CASE("a client that never finishes its head is closed at the deadline") {
    metrics_server_limits limits;
    limits.head_timeout = std::chrono::milliseconds(200);
    running_server s([] { return std::string("x 1\n"); }, limits);
    client slow(s.server.port());
    REQUIRE(slow.connected());
    const auto start = std::chrono::steady_clock::now();
    slow.send("GET /metrics HTTP/1.1\r\n");
    CHECK(slow.read_all().empty());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("connections beyond the limit are closed at once, and a freed slot serves again") {
    metrics_server_limits limits;
    limits.max_connections = 2;
    running_server s([] { return std::string("x 1\n"); }, limits);
    const auto port = s.server.port();
    auto idle1 = std::make_unique<client>(port);
    client idle2(port);
    // Accepted in order: by the time the third is accepted, the first two hold both slots.
    client third(port);
    REQUIRE(third.connected());
    third.send("GET /metrics HTTP/1.1\r\n\r\n");
    CHECK(third.read_all().empty());

    idle1.reset();  // the server sees the close and frees the slot, soon
    std::string response;
    for (int attempt = 0; attempt < 50 && !response.starts_with("HTTP/1.1 200 "); ++attempt) {
        response = get(port, "/metrics");
        if (response.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(response.starts_with("HTTP/1.1 200 "));
}

TEST_CASE("stop() closes the acceptor and open connections, ends the io_context's work, and may be repeated") {
    running_server s([] { return std::string("x 1\n"); });
    const auto port = s.server.port();
    client open_connection(port);
    REQUIRE(open_connection.connected());
    CHECK(get(port, "/metrics").starts_with("HTTP/1.1 200 "));
    s.stop();  // returns only once io.run() has returned: nothing was left to do
    CHECK(open_connection.read_all().empty());
    CHECK_FALSE(client(port).connected());
    s.server.stop();
}

TEST_CASE("bad listen addresses and failed binds throw std::runtime_error with the address") {
    net::io_context io;
    const auto render = [] { return std::string(); };
    for (const std::string bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:80x",
                                  "example.com:9464", "::1:9464", "[::1:9464", "300.0.0.1:9464", ":9464"}) {
        INFO(bad);
        try {
            metrics_server server(io, bad, render);
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()).find(bad) != std::string::npos);
        }
    }
    metrics_server first(io, "localhost:0", render);
    const auto taken = "127.0.0.1:" + std::to_string(first.port());
    CHECK_THROWS_WITH(metrics_server(io, taken, render), Catch::Contains("cannot listen on " + taken));
}

TEST_CASE("IPv6 loopback and wildcard addresses are accepted") {
    net::io_context io;
    const auto render = [] { return std::string(); };
    try {
        metrics_server v6(io, "[::1]:0", render);
        CHECK(v6.port() != 0);
    } catch (const std::runtime_error& e) {
        // A container without IPv6 cannot bind ::1; the address itself was read.
        CHECK(std::string(e.what()).find("cannot listen") != std::string::npos);
    }
    metrics_server wildcard(io, "0.0.0.0:0", render);  // warns on stderr
    CHECK(wildcard.port() != 0);
}
