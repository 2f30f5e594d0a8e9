// `gisa run` end to end: the test site on the loopback server, the throwaway PostgreSQL, a fake NOTIFY_SOCKET.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crawl/support/test_site.hpp"
#include "store/connection.hpp"
#include "store/store_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using gisa::test::test_site;
using steady = std::chrono::steady_clock;

// A unix datagram socket standing in for systemd's notify socket: it keeps every message.
class notify_socket {
  public:
    explicit notify_socket(std::string path) : path_(std::move(path)) {
        ::unlink(path_.c_str());
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(path_.size() < sizeof addr.sun_path);
        path_.copy(addr.sun_path, path_.size());
        REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
        timeval tv{0, 100'000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        reader_ = std::thread([this] { read(); });
    }
    ~notify_socket() {
        done_ = true;
        reader_.join();
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    const std::string& path() const { return path_; }
    bool seen(const std::string& text) const {
        std::lock_guard lock(mutex_);
        for (const std::string& m : messages_)
            if (m.find(text) != std::string::npos) return true;
        return false;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        messages_.clear();
    }

  private:
    void read() {
        char buffer[4096];
        while (!done_) {
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) continue;
            std::lock_guard lock(mutex_);
            messages_.emplace_back(buffer, static_cast<std::size_t>(n));
        }
    }
    std::string path_;
    int fd_ = -1;
    std::atomic<bool> done_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
    std::thread reader_;
};

// `gisa run` as a child process, with the notify protocol's environment.
pid_t start_daemon(const std::string& config, const std::string& notify_path, const std::string& log_path) {
    const pid_t child = ::fork();
    if (child == 0) {
        ::setenv("NOTIFY_SOCKET", notify_path.c_str(), 1);
        ::setenv("WATCHDOG_USEC", "1000000", 1);  // pings every 0.5 s
        ::unsetenv("WATCHDOG_PID");
        std::FILE* log = std::freopen(log_path.c_str(), "a", stderr);
        (void)log;
        ::execl(GISA_BINARY, GISA_BINARY, "run", "--config", config.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return child;
}

// Waits for the child to exit; returns its exit code, or -1 when it is still running after `limit`.
int wait_exit(pid_t child, std::chrono::milliseconds limit) {
    const auto until = steady::now() + limit;
    for (;;) {
        int status = 0;
        if (::waitpid(child, &status, WNOHANG) == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        if (steady::now() > until) return -1;
        std::this_thread::sleep_for(20ms);
    }
}

long long scalar(gisa::store::connection& conn, const std::string& sql) {
    return conn.exec(sql).get_int(0, 0);
}

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Settled: every expected article and row is stored, nothing is due, and no lease is held.
bool settled(gisa::store::connection& conn) {
    return scalar(conn, "SELECT count(*) FROM articles") == test_site::expected_articles &&
           scalar(conn, "SELECT count(*) FROM board_rows") == test_site::expected_board_rows &&
           scalar(conn,
                  "SELECT count(*) FROM urls WHERE source_id IS NOT NULL AND ((state IN ('new', 'fetched') AND "
                  "next_fetch_at <= now()) OR lease_owner IS NOT NULL)") == 0;
}

// A port that was free a moment ago on 127.0.0.1 (for the metrics endpoint's listen key).
unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// GET /metrics over a plain socket: the response's body, or "" when nothing answered.
std::string scrape(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    std::string answer;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
            char buffer[8192];
            ssize_t n = 0;
            while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
                answer.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    const std::size_t body = answer.find("\r\n\r\n");
    return body == std::string::npos ? std::string() : answer.substr(body + 4);
}

// promtool check metrics on `text`: its exit code (0: the format is right).
int promtool_check(const std::string& text, const std::string& dir) {
    const std::string file = dir + "/metrics.txt";
    std::ofstream(file) << text;
    const pid_t child = ::fork();
    if (child == 0) {
        std::FILE* in = std::freopen(file.c_str(), "r", stdin);
        (void)in;
        ::execlp("promtool", "promtool", "check", "metrics", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Waits until the crawl has settled (or `limit` passes); false when it did not. A database without the
// schema yet (the daemon creates it) counts as not settled. `still_running` may stop the wait early.
bool wait_settled(
    gisa::store::connection& conn, std::chrono::seconds limit,
    const std::function<bool()>& still_running = [] { return true; }) {
    const auto give_up = steady::now() + limit;
    while (steady::now() < give_up && still_running()) {
        std::this_thread::sleep_for(250ms);
        try {
            if (settled(conn)) return true;
        } catch (const std::exception&) {
            // No schema yet.
        }
    }
    return false;
}

struct run_files {
    std::string dir;
    std::string config;
    std::string log;
    explicit run_files(const std::string& name) {
        dir = std::string(GISA_BINARY_DIR) + "/tests/crawl/" + name;
        std::filesystem::create_directories(dir);
        config = dir + "/gisa.toml";
        log = dir + "/gisa.log";
        std::filesystem::remove(log);
    }
};

void write_config(const run_files& files, const std::string& dsn, const std::string& base,
                  unsigned short metrics_port = 0, const std::string& crawl_keys = "", const std::string& sources = "",
                  const std::string& config_path = "") {
    std::ofstream out(config_path.empty() ? files.config : config_path);
    out << "[database]\ndsn = \"" << dsn << "\"\n\n"
        << "[fetch]\nallow_private = true\nuser_agent = \"gisa-test/1.0\"\ntotal_timeout_s = 20\n\n"
        << "[fetch.politeness]\nmin_host_delay_ms = 0\nmax_in_flight_per_host = 8\n\n"
        << "[fetch.retry]\nmax_attempts = 3\nbase_delay_ms = 20\nmax_delay_ms = 100\n\n"
        << "[crawl]\nidle_poll_ms = 200\nstore_flush_ms = 100\nlog_level = \"debug\"\n"
        << crawl_keys << "\n";
    if (metrics_port != 0) out << "[metrics]\nlisten = \"127.0.0.1:" << metrics_port << "\"\n\n";
    out << (sources.empty() ? test_site::sources_toml(base) : sources);
}

// Per host (the Host header), the shortest gap the server saw between two requests' arrivals.
std::map<std::string, steady::duration> shortest_gaps(const std::vector<gisa::test::http_request>& requests) {
    std::map<std::string, std::vector<steady::time_point>> arrivals;
    for (const auto& r : requests)
        arrivals[r.header("Host").value_or("")].push_back(r.received);
    std::map<std::string, steady::duration> out;
    for (auto& [host, times] : arrivals) {
        std::sort(times.begin(), times.end());
        steady::duration shortest = steady::duration::max();
        for (std::size_t i = 1; i < times.size(); ++i)
            shortest = std::min(shortest, times[i] - times[i - 1]);
        out[host] = shortest;
    }
    return out;
}

// The politeness settings of the tests that check per-host gaps at the server. One request at a time
// per host: the delay also runs from each request's end, so a request leaves only after the previous
// one's answer came back plus the delay, and every gap between two arrivals at the server is a strict
// bound, however late a busy client sent a request after deciding to (with several in flight, a
// request sent late can arrive just before the next one).
std::string one_at_a_time(std::string config, std::chrono::milliseconds delay) {
    config.replace(config.find("min_host_delay_ms = 0"), 21, "min_host_delay_ms = " + std::to_string(delay.count()));
    config.replace(config.find("max_in_flight_per_host = 8"), 26, "max_in_flight_per_host = 1");
    return config;
}

}  // namespace

TEST_CASE("gisa run crawls the test site once and a second run within the interval fetches nothing",
          "[crawl][daemon][pg]") {
    gisa::test::fresh_db db;
    gisa::test::http_server server(2);
    test_site::serve(server);
    const run_files files("daemon-once");
    const unsigned short metrics_port = free_port();
    write_config(files, db.dsn(), server.url(""), metrics_port);
    notify_socket notify(files.dir + "/notify.sock");

    const pid_t first = start_daemon(files.config, notify.path(), files.log);
    REQUIRE(first > 0);
    auto conn = gisa::store::connection::open(db.dsn());
    const bool done = wait_settled(conn, 90s, [&] { return wait_exit(first, 0ms) == -1; });
    INFO(file_text(files.log));
    CHECK(done);
    std::this_thread::sleep_for(1200ms);  // long enough for two watchdog pings

    // The metrics endpoint answers in a format promtool accepts, with the crawl's counts in it.
    const std::string metrics = scrape(metrics_port);
    CHECK(metrics.find("gisa_fetches_total{class=\"2xx\",source=\"dongne-board\"}") != std::string::npos);
    // Extracted: every article, the three board pages and the news section (feeds are read, not extracted).
    const int extracted = test_site::expected_articles + 3 + 1;
    CHECK(metrics.find("gisa_stage_seconds_count{stage=\"extract\"} " + std::to_string(extracted)) !=
          std::string::npos);
    CHECK(metrics.find("gisa_rows_written_total{op=\"inserted\",table=\"board_rows\"} 60") != std::string::npos);
    CHECK(promtool_check(metrics, files.dir) == 0);

    const auto stop_at = steady::now();
    ::kill(first, SIGTERM);
    const int code = wait_exit(first, 10s);
    CHECK(code == 0);
    CHECK(steady::now() - stop_at < 10s);
    CHECK(notify.seen("READY=1"));
    CHECK(notify.seen("WATCHDOG=1"));
    CHECK(notify.seen("STATUS="));
    CHECK(notify.seen("STOPPING=1"));

    // Stored exactly once: one article per URL, one board row per post.
    CHECK(scalar(conn, "SELECT count(*) FROM articles") == test_site::expected_articles);
    CHECK(scalar(conn, "SELECT count(DISTINCT url) FROM articles") == test_site::expected_articles);
    CHECK(scalar(conn, "SELECT count(*) FROM board_rows") == test_site::expected_board_rows);
    CHECK(scalar(conn, "SELECT count(DISTINCT post_no) FROM board_rows") == test_site::expected_board_rows);
    // The EUC-KR post reads as Korean.
    CHECK(conn.exec("SELECT title FROM articles WHERE url LIKE '%wr_id=7'").get(0, 0) ==
          test_site::post_title(test_site::euckr_post));
    // The disallowed post is known, refused and never fetched.
    CHECK(scalar(conn, "SELECT count(*) FROM urls WHERE url LIKE '%wr_id=5' AND state = 'failed'") == 1);

    // Every page requested once; the flaky post three times; robots.txt once; the forbidden never.
    const auto requests = server.requests();
    std::map<std::string, int> per_target;
    for (const auto& r : requests)
        per_target[r.target] += 1;
    for (const auto& [target, n] : per_target) {
        INFO(target);
        if (target.find("wr_id=" + std::to_string(test_site::flaky_post)) != std::string::npos)
            CHECK(n == 3);
        else
            CHECK(n == 1);
    }
    for (const std::string& path : test_site::forbidden_paths())
        CHECK(server.request_count(path) == 0);
    CHECK(per_target.count(test_site::private_target()) == 0);
    CHECK(server.request_count("/robots.txt") == 1);
    CHECK(server.request_count("/news/articleView.html") == test_site::section_count);
    CHECK(server.request_count("/feed/article.html") == test_site::rss_count);
    CHECK(server.request_count("/map/article.html") == test_site::sitemap_count);

    // A second run within the interval: ready, then nothing to fetch but what is due. Three posts
    // are made due for their re-check: each is asked for with its ETag, answered 304, and stays as
    // it was stored.
    conn.exec("UPDATE urls SET next_fetch_at = now() WHERE url ~ 'wr_id=(40|41|42)$'");
    const std::string versions =
        conn.exec("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM articles").get(0, 0).data();
    notify.clear();
    const std::size_t before = server.requests().size();
    const pid_t second = start_daemon(files.config, notify.path(), files.log);
    const auto ready_by = steady::now() + 30s;
    while (!notify.seen("READY=1") && steady::now() < ready_by)
        std::this_thread::sleep_for(50ms);
    CHECK(notify.seen("READY=1"));
    std::this_thread::sleep_for(1500ms);
    ::kill(second, SIGTERM);
    CHECK(wait_exit(second, 10s) == 0);
    // A new process reads robots.txt again before its first fetch (its cache is its own).
    std::vector<gisa::test::http_request> again;
    for (const auto& r : server.requests())
        if (r.path() != "/robots.txt") again.push_back(r);
    REQUIRE(again.size() == before - 1 + 3);
    for (std::size_t i = before - 1; i < again.size(); ++i) {
        INFO(again[i].target);
        CHECK(again[i].header("If-None-Match").value_or("").starts_with("\"post-4"));
    }
    CHECK(conn.exec("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM articles").get(0, 0) == versions);
    CHECK(scalar(conn,
                 "SELECT count(*) FROM urls WHERE url ~ 'wr_id=(40|41|42)$' AND last_status = 304 AND "
                 "next_fetch_at > now() + interval '5 hours'") == 3);
}

TEST_CASE("a database outage pauses the crawl and it resumes by itself without fetching a page twice",
          "[crawl][daemon][pg][faults]") {
    gisa::test::private_server pg;
    gisa::test::http_server server(2);
    test_site::serve(server);
    const run_files files("daemon-outage");
    write_config(files, pg.dsn(), server.url(""));
    notify_socket notify(files.dir + "/notify.sock");

    const pid_t daemon = start_daemon(files.config, notify.path(), files.log);
    const auto ready_by = steady::now() + 30s;
    while (!notify.seen("READY=1") && steady::now() < ready_by)
        std::this_thread::sleep_for(10ms);
    REQUIRE(notify.seen("READY=1"));
    // The first claim's start pages are being fetched: the database goes away under them.
    REQUIRE(pg.stop() == 0);
    std::this_thread::sleep_for(3s);
    CHECK(wait_exit(daemon, 0ms) == -1);  // waiting, not dead
    pg.start();

    auto conn = gisa::store::connection::open(pg.dsn());
    const bool done = wait_settled(conn, 90s);
    ::kill(daemon, SIGTERM);
    CHECK(wait_exit(daemon, 10s) == 0);
    const std::string log = file_text(files.log);
    INFO(log);
    CHECK(done);
    CHECK(log.find("database unreachable") != std::string::npos);
    CHECK(log.find("database reachable again") != std::string::npos);
    std::map<std::string, int> per_target;
    for (const auto& r : server.requests())
        per_target[r.target] += 1;
    for (const auto& [target, n] : per_target) {
        INFO(target);
        CHECK(n == (target.find("wr_id=" + std::to_string(test_site::flaky_post)) != std::string::npos ? 3 : 1));
    }
}

TEST_CASE("SIGHUP reloads the sources: one added is crawled and one left out is disabled with its data kept",
          "[crawl][daemon][pg]") {
    gisa::test::fresh_db db;
    gisa::test::http_server server(2);
    test_site::serve(server);
    const run_files files("daemon-reload");
    const std::string base = server.url("");
    // First only the board, as its own config; then the news source instead of it.
    const std::string toml = test_site::sources_toml(base);
    const std::string board_only = toml.substr(0, toml.find("\n[[source]]", 1) + 1);
    const std::string news_only = toml.substr(toml.find("\n[[source]]", 1) + 1);
    const auto write = [&](const std::string& sources) {
        write_config(files, db.dsn(), base);
        std::string text = file_text(files.config);
        text = text.substr(0, text.find("[[source]]")) + sources;
        std::ofstream(files.config) << text;
    };
    write(board_only);
    notify_socket notify(files.dir + "/notify.sock");
    const pid_t daemon = start_daemon(files.config, notify.path(), files.log);
    auto conn = gisa::store::connection::open(db.dsn());
    const auto wait_for = [&](const std::string& sql, long long want) {
        const auto until = steady::now() + 60s;
        while (steady::now() < until) {
            try {
                if (scalar(conn, sql) == want) return true;
            } catch (const std::exception&) {
                // No schema yet.
            }
            std::this_thread::sleep_for(200ms);
        }
        return false;
    };
    CHECK(wait_for("SELECT count(*) FROM board_rows", test_site::expected_board_rows));
    CHECK(server.request_count("/news/section.html") == 0);

    write(news_only);
    ::kill(daemon, SIGHUP);
    const int news_articles = test_site::section_count + test_site::rss_count + test_site::sitemap_count;
    CHECK(wait_for("SELECT count(*) FROM articles WHERE url NOT LIKE '%wr_id=%'", news_articles));
    CHECK(notify.seen("RELOADING=1"));
    ::kill(daemon, SIGTERM);
    CHECK(wait_exit(daemon, 10s) == 0);
    INFO(file_text(files.log));
    CHECK(scalar(conn, "SELECT count(*) FROM sources WHERE name = 'dongne-board' AND NOT enabled") == 1);
    CHECK(scalar(conn, "SELECT count(*) FROM sources WHERE name = 'dongne-news' AND enabled") == 1);
    CHECK(scalar(conn, "SELECT count(*) FROM board_rows") == test_site::expected_board_rows);
}

TEST_CASE("three daemons on one database take its one host in turns and fetch every page once", "[crawl][daemon][pg]") {
    gisa::test::fresh_db db;
    gisa::test::http_server server(4);
    test_site::serve(server);
    const run_files files("daemon-three");
    // Small claims, so that the host changes hands while the crawl goes on.
    constexpr auto delay = 60ms;
    write_config(files, db.dsn(), server.url(""), 0, "claim_batch = 4\nmax_outstanding = 8\n");
    const std::string config = one_at_a_time(file_text(files.config), delay);
    std::ofstream(files.config) << config;
    notify_socket notify(files.dir + "/notify.sock");
    std::vector<pid_t> daemons;
    for (int i = 0; i < 3; ++i)
        daemons.push_back(start_daemon(files.config, notify.path(), files.log));
    auto conn = gisa::store::connection::open(db.dsn());
    // The three race to create the schema, under the migration lock.
    const bool done = wait_settled(conn, 90s);
    for (const pid_t d : daemons)
        ::kill(d, SIGTERM);
    for (const pid_t d : daemons)
        CHECK(wait_exit(d, 10s) == 0);
    INFO(file_text(files.log));
    CHECK(done);
    CHECK(scalar(conn, "SELECT count(*) FROM articles") == test_site::expected_articles);
    CHECK(scalar(conn, "SELECT count(*) FROM board_rows") == test_site::expected_board_rows);
    // Every page once across the three, robots.txt included (the first instance shares it).
    std::map<std::string, int> per_target;
    for (const auto& r : server.requests())
        per_target[r.target] += 1;
    for (const auto& [target, n] : per_target) {
        INFO(target);
        CHECK(n == (target.find("wr_id=" + std::to_string(test_site::flaky_post)) != std::string::npos ? 3 : 1));
    }
    // One host, leased to one instance at a time: the three together keep its delay.
    for (const auto& [host, gap] : shortest_gaps(server.requests())) {
        INFO(host << ": " << std::chrono::duration_cast<std::chrono::milliseconds>(gap).count() << " ms");
        CHECK(gap >= delay);
    }
    CHECK(scalar(conn, "SELECT count(*) FROM hosts WHERE lease_owner IS NOT NULL") == 0);
    CHECK(scalar(conn, "SELECT count(*) FROM crawlers") == 0);
}

TEST_CASE("three daemons on 20 hosts, one killed halfway: every page stored once, each host's delay kept",
          "[crawl][daemon][pg][scale]") {
    gisa::test::fresh_db db;
    gisa::test::http_server server(4);
    constexpr int hosts = 20;
    constexpr int pages = 100;
    constexpr auto delay = 150ms;
    test_site::serve_wide(server, hosts, pages);
    const run_files files("daemon-scale");
    const std::string sources = test_site::wide_sources_toml(server.port(), hosts);
    const std::vector<std::string> owners{"scale-a", "scale-b", "scale-c"};
    std::vector<pid_t> daemons;
    notify_socket notify(files.dir + "/notify.sock");
    for (const std::string& owner : owners) {
        const std::string config = files.dir + "/" + owner + ".toml";
        write_config(files, db.dsn(), server.url(""), 0,
                     "owner = \"" + owner + "\"\nlease_s = 10\nclaim_batch = 16\nmax_outstanding = 48\n", sources,
                     config);
        const std::string text = one_at_a_time(file_text(config), delay);
        std::ofstream(config) << text;
        const pid_t child = ::fork();
        if (child == 0) {
            std::FILE* log = std::freopen((files.dir + "/" + owner + ".log").c_str(), "w", stderr);
            (void)log;
            ::execl(GISA_BINARY, GISA_BINARY, "run", "--config", config.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        daemons.push_back(child);
    }
    auto conn = gisa::store::connection::open(db.dsn());
    const auto articles = [&] {
        try {
            return scalar(conn, "SELECT count(*) FROM articles");
        } catch (const std::exception&) {
            return 0LL;  // no schema yet
        }
    };
    const auto halfway_limit = steady::now() + 120s;
    while (articles() < hosts * pages / 2 && steady::now() < halfway_limit)
        std::this_thread::sleep_for(100ms);
    REQUIRE(articles() >= hosts * pages / 2);

    // SIGKILL: no release, no last write. What it held is what may be fetched twice.
    ::kill(daemons[1], SIGKILL);
    CHECK(wait_exit(daemons[1], 5s) == 128);
    std::set<std::string> orphaned;
    const auto held = conn.exec("SELECT url FROM urls WHERE lease_owner = 'scale-b'");
    for (int i = 0; i < held.rows(); ++i)
        orphaned.emplace(held.get(i, 0));
    std::set<std::string> orphaned_hosts;
    const auto held_hosts = conn.exec("SELECT host FROM hosts WHERE lease_owner = 'scale-b'");
    for (int i = 0; i < held_hosts.rows(); ++i)
        orphaned_hosts.emplace(held_hosts.get(i, 0));

    const auto settled_limit = steady::now() + 150s;
    bool done = false;
    while (!done && steady::now() < settled_limit) {
        std::this_thread::sleep_for(250ms);
        done = articles() == hosts * pages &&
               scalar(conn,
                      "SELECT count(*) FROM urls WHERE (state IN ('new', 'fetched') AND next_fetch_at <= now()) "
                      "OR lease_owner IS NOT NULL") == 0;
    }
    ::kill(daemons[0], SIGTERM);
    ::kill(daemons[2], SIGTERM);
    CHECK(wait_exit(daemons[0], 10s) == 0);
    CHECK(wait_exit(daemons[2], 10s) == 0);
    const std::string log_a = file_text(files.dir + "/scale-a.log");
    const std::string log_b = file_text(files.dir + "/scale-b.log");
    const std::string log_c = file_text(files.dir + "/scale-c.log");
    INFO("scale-a:\n" << log_a.substr(log_a.size() > 3000 ? log_a.size() - 3000 : 0));
    INFO("scale-c:\n" << log_c.substr(log_c.size() > 3000 ? log_c.size() - 3000 : 0));
    INFO(orphaned.size() << " URL(s) and " << orphaned_hosts.size() << " host(s) held by the killed instance");
    REQUIRE(done);

    // Stored once: one article per page, never rewritten.
    CHECK(scalar(conn, "SELECT count(DISTINCT url) FROM articles") == hosts * pages);
    CHECK(scalar(conn, "SELECT count(*) FROM article_revisions") == 0);
    // Each instance did part of the work (the killed one before it died).
    for (const std::string* log : {&log_a, &log_b, &log_c})
        CHECK(log->find("[wide] http://") != std::string::npos);

    // Fetched once, except what the killed instance held; robots.txt once per host, twice at most
    // for a host the killed instance held before it could share its copy.
    std::map<std::pair<std::string, std::string>, int> per_target;
    for (const auto& r : server.requests())
        per_target[{r.header("Host").value_or(""), r.target}] += 1;
    int refetched = 0;
    for (const auto& [key, n] : per_target) {
        const auto& [host, target] = key;
        INFO(host << target << " requested " << n << " time(s)");
        const std::string url = "http://" + host + target;
        const std::string name = host.substr(0, host.find(':'));
        if (target == "/robots.txt") {
            CHECK(n <= (orphaned_hosts.count(name) ? 2 : 1));
        } else if (orphaned.count(url)) {
            CHECK(n <= 2);
            refetched += n - 1;
        } else {
            CHECK(n == 1);
        }
    }
    CHECK(per_target.size() == static_cast<std::size_t>(hosts * (pages + 2)));  // articles, sitemap, robots.txt
    INFO(refetched << " page(s) fetched again after the kill");
    // Each host's delay held across the three instances together (and across the handover).
    const auto gaps = shortest_gaps(server.requests());
    CHECK(gaps.size() == static_cast<std::size_t>(hosts));
    for (const auto& [host, gap] : gaps) {
        INFO(host << ": " << std::chrono::duration_cast<std::chrono::milliseconds>(gap).count() << " ms");
        CHECK(gap >= delay);
    }
}

TEST_CASE("gisa run works through PgBouncer in transaction pooling mode", "[crawl][daemon][pg][pgbouncer]") {
    gisa::test::fresh_db db;
    const run_files files("daemon-pgbouncer");
    const std::string bouncer_dir = files.dir + "/pgbouncer";
    const std::string tool = std::string(GISA_SOURCE_DIR) + "/tools/pgbouncer";
    std::string out;
    const int started = gisa::test::run_program({tool, "start", bouncer_dir, std::getenv("GISA_TEST_PGDIR")}, &out);
    INFO(out);
    REQUIRE(started == 0);
    struct stop_bouncer {
        std::string tool, dir;
        ~stop_bouncer() { gisa::test::run_program({tool, "stop", dir}); }
    } stop{tool, bouncer_dir};
    std::string bouncer_dsn;
    std::getline(std::ifstream(bouncer_dir + "/dsn"), bouncer_dsn);
    const std::string dsn = gisa::test::with_dbname(bouncer_dsn, db.name());

    gisa::test::http_server server(2);
    test_site::serve(server);
    write_config(files, dsn, server.url(""));
    // No statement prepared on one server connection may be looked for on another.
    std::string config = file_text(files.config);
    config.insert(config.find("\n", config.find("dsn = ")) + 1, "prepared_statements = false\n");
    std::ofstream(files.config) << config;

    notify_socket notify(files.dir + "/notify.sock");
    const pid_t daemon = start_daemon(files.config, notify.path(), files.log);
    auto conn = gisa::store::connection::open(db.dsn());
    const bool done = wait_settled(conn, 90s, [&] { return wait_exit(daemon, 0ms) == -1; });
    ::kill(daemon, SIGTERM);
    CHECK(wait_exit(daemon, 10s) == 0);
    INFO(file_text(files.log));
    CHECK(done);
    CHECK(scalar(conn, "SELECT count(*) FROM articles") == test_site::expected_articles);
    CHECK(scalar(conn, "SELECT count(*) FROM board_rows") == test_site::expected_board_rows);
    CHECK(file_text(files.log).find("error:") == std::string::npos);
}
