// Fetch benchmark: requests/s for 10,000 small pages at 100 and 1,000 concurrent transfers,
// beside wrk and beside libcurl alone (bare_curl.hpp) against the same loopback server in the
// same run, and the client's peak RSS. gisa/wrk is issue #5's figure; libcurl/wrk is about what
// a client built on this libcurl reaches here at best, and gisa/libcurl what gisa's own work
// costs on top.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bare_curl.hpp"
#include "fetch/fetcher.hpp"
#include "fetch/support/http_server.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

constexpr int page_count = 10'000;
constexpr std::size_t page_bytes = 1'000;
constexpr int wrk_seconds = 3;
constexpr int default_repeats = 3;

void raise_descriptor_limit() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

// The server runs in a child process so that the client's peak RSS is its own.
struct server_process {
    pid_t pid = -1;
    unsigned short port = 0;
    int keep_alive_fd = -1;  // the child exits when this pipe closes
};

server_process start_server() {
    int port_pipe[2], life_pipe[2];
    if (pipe(port_pipe) != 0 || pipe(life_pipe) != 0) std::exit(1);
    const pid_t pid = fork();
    if (pid == 0) {
        ::close(port_pipe[0]);
        ::close(life_pipe[1]);
        gisa::test::http_server server(1);
        server.set_logging(false);
        const auto page =
            gisa::test::response::make(200, "<html><body>" + std::string(page_bytes - 26, 'x') + "</body></html>");
        server.on("/p", [page](const gisa::test::http_request&) { return page; });
        const unsigned short port = server.port();
        if (::write(port_pipe[1], &port, sizeof port) != sizeof port) std::_Exit(1);
        char byte;
        while (::read(life_pipe[0], &byte, 1) > 0) {
        }
        std::_Exit(0);
    }
    ::close(port_pipe[1]);
    ::close(life_pipe[0]);
    server_process p{pid, 0, life_pipe[1]};
    if (::read(port_pipe[0], &p.port, sizeof p.port) != sizeof p.port) std::exit(1);
    ::close(port_pipe[0]);
    return p;
}

void stop_server(server_process& p) {
    ::close(p.keep_alive_fd);
    waitpid(p.pid, nullptr, 0);
}

// Runs wrk and returns its Requests/sec, or nullopt when it is missing or says nothing usable.
std::optional<double> run_wrk(const std::string& url, int connections) {
    int out[2];
    if (pipe(out) != 0) return std::nullopt;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string c = std::to_string(connections), d = std::to_string(wrk_seconds) + "s";
    std::vector<std::string> args = {"wrk", "-t1", "-c" + c, "-d" + d, url};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, "wrk", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        return std::nullopt;
    }
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    ::close(out[0]);
    waitpid(pid, nullptr, 0);
    const auto at = text.find("Requests/sec:");
    if (at == std::string::npos) return std::nullopt;
    return std::strtod(text.c_str() + at + 13, nullptr);
}

struct run_figures {
    double seconds = 0;
    int ok = 0;
    int failed = 0;
    double first_page_ms = 0;    // the first wave's connection set-up
    double longest_gap_ms = 0;   // longest stretch without a completion after the first: a stall shows here
    double cpu_us_per_page = 0;  // the client's user + system time: steadier than wall time on a busy machine
    std::size_t threads = 0;     // the fetcher's transfer threads, its caller's included

    double requests_per_s() const { return ok / seconds; }
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double since_ms(bench_clock::time_point from, bench_clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

run_figures run_gisa(const std::string& base, int concurrency, std::optional<std::size_t> threads) {
    gisa::fetch::fetcher_options options;
    options.limits.allow_private = true;
    options.limits.total_timeout = 30s;
    options.politeness.obey_robots = false;
    options.politeness.min_host_delay = 0ms;
    options.politeness.max_in_flight_per_host = concurrency;
    options.politeness.max_in_flight = concurrency;
    options.retry.max_attempts = 1;
    if (threads) options.transfer_threads = *threads;

    boost::asio::io_context io;
    gisa::fetch::fetcher fetcher(io, options);
    run_figures figures;
    figures.threads = fetcher.transfer_threads();
    int left = page_count;
    const double cpu_start = cpu_seconds();
    const auto start = bench_clock::now();
    auto last = start;
    for (int i = 0; i < page_count; ++i)
        fetcher.fetch({base + "?i=" + std::to_string(i), {}, {}}, [&](gisa::fetch::fetch_result r) {
            const auto now = bench_clock::now();
            if (left == page_count)
                figures.first_page_ms = since_ms(start, now);
            else
                figures.longest_gap_ms = std::max(figures.longest_gap_ms, since_ms(last, now));
            last = now;
            (r.ok() && r.body.size() == page_bytes ? figures.ok : figures.failed) += 1;
            if (--left == 0) io.stop();
        });
    io.run();
    figures.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    figures.cpu_us_per_page = (cpu_seconds() - cpu_start) * 1e6 / page_count;
    return figures;
}

// libcurl alone (bare_curl.hpp), in a child process so that the client's peak RSS stays gisa's
// own; nullopt when the child did not report.
std::optional<gisa::bench::bare_figures> run_bare_apart(const std::string& url, int concurrency, int threads) {
    int out[2];
    if (pipe(out) != 0) return std::nullopt;
    const pid_t pid = fork();  // no other thread runs now: the fetcher and its threads are gone
    if (pid == 0) {
        ::close(out[0]);
        const auto figures = gisa::bench::run_bare_curl(url, page_count, page_bytes, concurrency, threads);
        const bool sent = ::write(out[1], &figures, sizeof figures) == sizeof figures;
        std::_Exit(sent ? 0 : 1);
    }
    ::close(out[1]);
    gisa::bench::bare_figures figures;
    const bool got = pid > 0 && ::read(out[0], &figures, sizeof figures) == sizeof figures;
    ::close(out[0]);
    if (pid > 0) waitpid(pid, nullptr, 0);
    if (!got) return std::nullopt;
    return figures;
}

template <typename T, typename Key>
T median_by(std::vector<T> runs, Key key) {
    std::sort(runs.begin(), runs.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
    return runs[runs.size() / 2];
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Options for profiling one side alone: --no-wrk, --no-libcurl, --concurrency N, --repeats N; --threads N
// (fetcher_options::transfer_threads; absent: the fetcher's default) for A/B runs.
struct bench_args {
    bool wrk = true;
    bool bare = true;  // the libcurl-alone runs
    std::vector<int> concurrencies = {100, 1000};
    int repeats = default_repeats;
    std::optional<std::size_t> threads;
};

int whole_number(const char* text, int least) {
    int value = 0;
    const auto end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc{} || ptr != end || value < least) {
        fmt::print(stderr, "gisa_bench_fetch: not a number of at least {}: {}\n", least, text);
        std::exit(2);
    }
    return value;
}

int positive_int(const char* text) {
    return whole_number(text, 1);
}

bench_args parse_args(int argc, char** argv) {
    bench_args args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--no-wrk") {
            args.wrk = false;
        } else if (a == "--no-libcurl") {
            args.bare = false;
        } else if (a == "--concurrency" && has_value) {
            args.concurrencies = {positive_int(argv[++i])};
        } else if (a == "--repeats" && has_value) {
            args.repeats = positive_int(argv[++i]);
        } else if (a == "--threads" && has_value) {
            args.threads = static_cast<std::size_t>(whole_number(argv[++i], 0));  // 0: per hardware thread
        } else {
            fmt::print(
                stderr,
                "usage: gisa_bench_fetch [--no-wrk] [--no-libcurl] [--concurrency N] [--repeats N] [--threads N]\n");
            std::exit(2);
        }
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    const auto args = parse_args(argc, argv);
    raise_descriptor_limit();
    signal(SIGPIPE, SIG_IGN);
    auto server = start_server();
    const std::string url = fmt::format("http://127.0.0.1:{}/p", server.port);
    fmt::print("gisa_bench_fetch: {} pages of {} bytes from a loopback server (1 thread, own process);\n", page_count,
               page_bytes);
    fmt::print("median of {} runs each; wrk -t1 -d{}s on the same server, in between\n", args.repeats, wrk_seconds);
    fmt::print("libcurl: libcurl alone (socket-action loops on epoll, one per transfer thread of gisa, own process)\n");
    fmt::print("{:>11} {:>10} {:>13} {:>10} {:>8} {:>11} {:>12} {:>6} {:>11} {:>12} {:>13} {:>13}\n", "concurrency",
               "gisa req/s", "libcurl req/s", "wrk req/s", "gisa/wrk", "libcurl/wrk", "gisa/libcurl", "failed",
               "first page", "longest gap", "gisa CPU", "libcurl CPU");
    int exit_code = 0;
    std::size_t threads = 0;
    const auto ratio = [](std::optional<double> a, std::optional<double> b) {
        return a && b ? fmt::format("{:.2f}", *a / *b) : std::string("n/a");
    };
    const auto rate = [](std::optional<double> v) { return v ? fmt::format("{:.0f}", *v) : std::string("n/a"); };
    for (const int concurrency : args.concurrencies) {
        std::vector<run_figures> gisa_runs;
        std::vector<double> wrk_runs;
        std::vector<gisa::bench::bare_figures> bare_runs;
        for (int i = 0; i < args.repeats; ++i) {
            const auto wrk = args.wrk ? run_wrk(url, concurrency) : std::nullopt;
            if (wrk) wrk_runs.push_back(*wrk);
            gisa_runs.push_back(run_gisa(url, concurrency, args.threads));
            if (args.bare) {
                const auto bare = run_bare_apart(url, concurrency, static_cast<int>(gisa_runs.back().threads));
                if (!bare || bare->failed > 0) exit_code = 1;
                if (bare) bare_runs.push_back(*bare);
            }
        }
        const auto gisa = median_by(gisa_runs, [](const run_figures& f) { return f.requests_per_s(); });
        const auto wrk = wrk_runs.empty() ? std::optional<double>() : median_by(wrk_runs, [](double v) { return v; });
        std::optional<gisa::bench::bare_figures> bare;
        if (!bare_runs.empty())
            bare = median_by(bare_runs, [](const gisa::bench::bare_figures& f) { return f.requests_per_s(); });
        const std::optional<double> bare_rate = bare ? std::optional<double>(bare->requests_per_s()) : std::nullopt;
        fmt::print(
            "{:>11} {:>10.0f} {:>13} {:>10} {:>8} {:>11} {:>12} {:>6} {:>8.1f} ms {:>9.1f} ms {:>5.1f} us/page "
            "{:>5} us/page\n",
            concurrency, gisa.requests_per_s(), rate(bare_rate), rate(wrk), ratio(gisa.requests_per_s(), wrk),
            ratio(bare_rate, wrk), ratio(gisa.requests_per_s(), bare_rate), gisa.failed, gisa.first_page_ms,
            gisa.longest_gap_ms, gisa.cpu_us_per_page,
            bare ? fmt::format("{:.1f}", bare->cpu_us_per_page) : std::string("n/a"));
        threads = gisa.threads;
        for (const auto& run : gisa_runs)
            if (run.failed > 0) exit_code = 1;
    }
    fmt::print("peak RSS of the client: {:.1f} MB (10,000 URLs queued at once); transfer threads: {}\n",
               peak_rss_kib() / 1024.0, threads);
    stop_server(server);
    return exit_code;
}
