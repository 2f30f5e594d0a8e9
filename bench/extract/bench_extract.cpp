// Extraction benchmark: parse-only vs whole extract_page throughput, and hostile pages' cost.
//
//   gisa_bench_extract [--corpus DIR] [--rounds N] [--skip-hostile] [--skip-corpus]
//
// Corpus part: every *.html.gz / *.html in DIR is read once; then, in each round, every
// page is parsed by Gumbo alone (dom::document::parse on text already decoded: the
// baseline) and extracted whole (extract_page on the raw bytes: decode, depth guard,
// parse, every stage). The best round of each is reported, with their ratio.
// Hostile part: each generated page runs in a forked child (so that peak RSS is its
// own), bounded by a wall-clock alarm and an address-space limit.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/depth_guard.hpp"
#include "extract/dom.hpp"
#include "extract/extractor.hpp"
#include "text/charset.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

constexpr int default_rounds = 3;
constexpr unsigned hostile_alarm_seconds = 120;             // a child taking longer is killed
constexpr rlim_t hostile_address_space_bytes = 8ULL << 30;  // and may not map more than 8 GiB
constexpr std::string_view default_corpus = "/work/shared/corpus/aeb/html";
constexpr std::string_view page_url = "https://news.example.co.kr/article/1";

struct options {
    std::string corpus{default_corpus};
    int rounds = default_rounds;
    bool hostile = true;
    bool corpus_run = true;
};

struct corpus_page {
    std::string name;
    std::string bytes;    // as stored (any charset)
    std::string decoded;  // UTF-8, for the parse-only baseline
};

std::optional<std::string> read_gzip(const fs::path& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) return std::nullopt;
    std::string out;
    std::vector<char> buffer(1 << 16);
    int n = 0;
    while ((n = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    gzclose(file);
    if (n < 0) return std::nullopt;
    return out;
}

std::optional<std::string> read_plain(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<corpus_page> load_corpus(const std::string& dir) {
    std::vector<corpus_page> pages;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir))
        paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        const std::string name = path.filename().string();
        std::optional<std::string> bytes;
        if (name.size() > 8 && name.ends_with(".html.gz")) bytes = read_gzip(path);
        if (name.size() > 5 && name.ends_with(".html")) bytes = read_plain(path);
        if (!bytes) continue;
        std::string decoded = gisa::text::decode_html(*bytes).utf8;
        pages.push_back(corpus_page{name, std::move(*bytes), std::move(decoded)});
    }
    return pages;
}

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

double time_parse_only(const std::vector<corpus_page>& pages) {
    const auto start = clock_type::now();
    for (const auto& page : pages) {
        auto doc = gisa::extract::dom::document::parse(page.decoded);
        if (doc.root() == nullptr) std::abort();
    }
    return seconds_since(start);
}

// The stages before Gumbo, for attributing the difference: decode, then the depth scan.
double time_decode(const std::vector<corpus_page>& pages) {
    const auto start = clock_type::now();
    for (const auto& page : pages) {
        if (gisa::text::decode_html(page.bytes).utf8.size() > page.bytes.size() * 4 + 16) std::abort();
    }
    return seconds_since(start);
}

double time_scan(const std::vector<corpus_page>& pages) {
    const auto start = clock_type::now();
    for (const auto& page : pages) {
        if (gisa::extract::scan_depth(page.decoded).max_depth > page.decoded.size()) std::abort();
    }
    return seconds_since(start);
}

double time_extract(const std::vector<corpus_page>& pages, std::size_t& refused) {
    refused = 0;
    const auto start = clock_type::now();
    for (const auto& page : pages) {
        gisa::extract::page_input input;
        input.bytes = page.bytes;
        input.url = std::string(page_url);
        const auto result = gisa::extract::extract_page(input);
        if (result.error.code != gisa::core::errc::ok) ++refused;
    }
    return seconds_since(start);
}

void run_corpus(const options& opt) {
    const std::vector<corpus_page> pages = load_corpus(opt.corpus);
    if (pages.empty()) {
        fmt::print("corpus: no *.html.gz or *.html pages in {}\n", opt.corpus);
        return;
    }
    std::size_t bytes = 0;
    for (const auto& p : pages)
        bytes += p.bytes.size();
    const double mb = static_cast<double>(bytes) / 1e6;
    fmt::print("corpus: {} pages, {:.1f} MB (uncompressed), {} rounds, best round shown\n", pages.size(), mb,
               opt.rounds);
    double best_parse = 1e300, best_extract = 1e300, best_decode = 1e300, best_scan = 1e300;
    std::size_t refused = 0;
    for (int round = 0; round < opt.rounds; ++round) {
        best_parse = std::min(best_parse, time_parse_only(pages));
        best_extract = std::min(best_extract, time_extract(pages, refused));
        best_decode = std::min(best_decode, time_decode(pages));
        best_scan = std::min(best_scan, time_scan(pages));
    }
    const auto n = static_cast<double>(pages.size());
    fmt::print("  gumbo parse only : {:8.1f} pages/s {:7.2f} MB/s  ({:.3f} s per round)\n", n / best_parse,
               mb / best_parse, best_parse);
    fmt::print("  extract_page     : {:8.1f} pages/s {:7.2f} MB/s  ({:.3f} s per round, {} refused)\n",
               n / best_extract, mb / best_extract, best_extract, refused);
    fmt::print("  ratio extract/parse throughput: {:.2f} (target >= 0.80)\n", best_parse / best_extract);
    fmt::print("  of which, per round: decode_html {:.3f} s, scan_depth {:.3f} s, Gumbo ~{:.3f} s, the rest {:.3f} s\n",
               best_decode, best_scan, best_parse, best_extract - best_decode - best_scan - best_parse);
}

// --- hostile pages ---

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        out.append(piece);
    return out;
}

// A plausible Korean article block, repeated up to `bytes`.
std::string normal_page(std::size_t bytes) {
    const std::string block =
        "<div class=\"article_body\"><h2>\xEA\xB5\xAD\xED\x9A\x8C \xEB\xB3\xB8\xED\x9A\x8C\xEC\x9D\x98</h2>"
        "<p>\xEB\x8C\x80\xED\x95\x9C\xEB\xAF\xBC\xEA\xB5\xAD \xEA\xB5\xAD\xED\x9A\x8C\xEB\x8A\x94 "
        "\xEC\x98\xA4\xEB\x8A\x98 "
        "\xEB\xB3\xB8\xED\x9A\x8C\xEC\x9D\x98\xEB\xA5\xBC \xEC\x97\xB4\xEA\xB3\xA0 "
        "\xEB\xB2\x95\xEC\x95\x88\xEC\x9D\x84 "
        "\xED\x86\xB5\xEA\xB3\xBC\xEC\x8B\x9C\xEC\xBC\xB0\xEB\x8B\xA4. <a href=\"/news/1\">\xEA\xB4\x80\xEB\xA0\xA8 "
        "\xEA\xB8\xB0\xEC\x82\xAC</a></p><figure><img src=\"/p.jpg\"><figcaption>\xEC\x82\xAC\xEC\xA7\x84=\xEC\x97\xB0"
        "\xED\x95\xA9\xEB\x89\xB4\xEC\x8A\xA4</figcaption></figure><ul><li>a<li>b</ul></div>\n";
    std::string out = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>";
    while (out.size() + block.size() + 20 < bytes)
        out += block;
    return out + "</body></html>";
}

// The page and block of rows repeated up to `bytes`: a board or a list far longer than any real one.
std::string repeated_rows(std::string_view head, std::string_view row, std::string_view tail, std::size_t bytes) {
    std::string out(head);
    while (out.size() + row.size() + tail.size() < bytes)
        out += row;
    return out += tail;
}

std::string board_table(std::size_t bytes) {
    return repeated_rows(
        "<html><head><meta charset=\"utf-8\"><title>t</title></head><body><table><thead><tr><th>\xEB\xB2\x88\xED\x98"
        "\xB8</th><th>\xEC\xA0\x9C\xEB\xAA\xA9</th><th>\xEA\xB8\x80\xEC\x93\xB4\xEC\x9D\xB4</th><th>\xEB\x82"
        "\xA0\xEC\xA7\x9C</th><th>\xEC\xA1\xB0\xED\x9A\x8C</th></tr></thead><tbody>",
        "<tr><td class=\"num\">123456</td><td class=\"title\"><a href=\"/board/view?id=123456\">\xEA\xB2\x8C\xEC\x8B"
        "\x9C\xED\x8C\x90 \xEA\xB8\x80 \xEC\xA0\x9C\xEB\xAA\xA9</a></td><td class=\"author\">\xED\x99\x8D\xEA"
        "\xB8\xB8\xEB\x8F\x99</td><td class=\"date\">2024.07.18</td><td>15</td></tr>\n",
        "</tbody></table></body></html>", bytes);
}

std::string list_rows(std::size_t bytes) {
    return repeated_rows("<html><body><ul>",
                         "<li><a href=\"/v/1\">\xEA\xB8\x80</a><span class=\"date\">2024.07.18</span><span "
                         "class=\"writer\">\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99</span></li>\n",
                         "</ul></body></html>", bytes);
}

std::string formatting_attack(std::size_t bytes) {
    std::string out = "<html><body>";
    for (int i = 0; out.size() < bytes; ++i)
        out += fmt::format("<div><b id=b{}>x</div>", i);
    return out;
}

std::string one_element_of(int attributes) {
    std::string out = "<html><body><div";
    for (int i = 0; i < attributes; ++i)
        out += fmt::format(" a{}=\"1\"", i);
    return out + ">x</div></body></html>";
}

struct hostile_case {
    std::string name;
    std::function<std::string()> make;
};

std::vector<hostile_case> hostile_cases() {
    return {
        {"100k nested <div>", [] { return repeat("<div>", 100'000) + "x" + repeat("</div>", 100'000); }},
        {"20k nested <table><tr><td>", [] { return repeat("<table><tr><td>", 20'000) + "x"; }},
        {"100k unclosed <b id=N> in <div>s", [] { return formatting_attack(3'000'000); }},
        {"100k <div/>", [] { return repeat("<div/>", 100'000); }},
        {"<div> of 50k attributes", [] { return one_element_of(50'000); }},
        {"normal page 1 MB", [] { return normal_page(1'000'000); }},
        {"normal page 3 MB", [] { return normal_page(3'000'000); }},
        {"normal page 6 MB", [] { return normal_page(6'000'000); }},
        {"normal page 10 MB", [] { return normal_page(gisa::extract::max_page_bytes - 64); }},
        {"board table 6 MB", [] { return board_table(6'000'000); }},
        {"board table 10 MB", [] { return board_table(gisa::extract::max_page_bytes - 64); }},
        {"list rows 5 MB", [] { return list_rows(5'000'000); }},
        {"10 MB of <p>x", [] { return "<html><body>" + repeat("<p>x", (gisa::extract::max_page_bytes - 64) / 4); }},
        {"normal page 20 MB", [] { return normal_page(20'000'000); }},
    };
}

struct child_report {
    double wall = 0;
    double rss_mb = 0;
    int status = 0;
    std::string said;  // what the child wrote back
};

// Runs fn in a forked child; returns its wall time, peak RSS and the line fn returned.
child_report run_in_child(const std::function<std::string()>& fn) {
    int fds[2];
    if (pipe(fds) != 0) std::abort();
    const auto start = clock_type::now();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const rlimit limit{hostile_address_space_bytes, hostile_address_space_bytes};
        setrlimit(RLIMIT_AS, &limit);
        alarm(hostile_alarm_seconds);
        const std::string said = fn();
        if (write(fds[1], said.data(), said.size()) < 0) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    child_report report;
    rusage usage{};
    wait4(pid, &report.status, 0, &usage);
    report.wall = seconds_since(start);
    report.rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    char buffer[512];
    ssize_t n = 0;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
        report.said.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    return report;
}

void run_hostile() {
    fmt::print("hostile pages: extract_page in a child process each (alarm {} s, address space {} GiB)\n",
               hostile_alarm_seconds, hostile_address_space_bytes >> 30);
    const child_report idle = run_in_child([] { return std::string(); });
    fmt::print(
        "  (an idle child's peak RSS: {:.1f} MB; child s and RSS include generating the page and the\n"
        "   separate scan / flatten / parse timings; extract s is extract_page alone)\n",
        idle.rss_mb);
    fmt::print("  {:<34} {:>6} {:>9} {:>8} {:>8}  {}\n", "case", "MB", "extract s", "child s", "RSS MB", "outcome");
    for (const auto& c : hostile_cases()) {
        const child_report r = run_in_child([&c] {
            const std::string html = c.make();
            gisa::extract::page_input input;
            input.bytes = html;
            input.url = std::string(page_url);
            const auto scan_start = clock_type::now();
            const auto scan = gisa::extract::scan_depth(html);
            const double scan_seconds = seconds_since(scan_start);
            const auto parse_start = clock_type::now();
            if (scan.verdict != gisa::extract::depth_verdict::refuse) {
                const std::string flat = scan.needs_flatten() ? gisa::extract::flatten_depth(html) : std::string();
                const auto doc = gisa::extract::dom::document::parse(scan.needs_flatten() ? flat : html);
            }
            const double guard_parse_seconds = seconds_since(parse_start);
            const auto extract_start = clock_type::now();
            const auto result = gisa::extract::extract_page(input);
            const double extract_seconds = seconds_since(extract_start);
            const std::string outcome =
                result.error.code == gisa::core::errc::ok
                    ? fmt::format("ok, {} paragraphs, {} board rows", result.record.body.size(),
                                  result.record.board.rows.size())
                    : fmt::format("{}: {}", gisa::core::to_string(result.error.code), result.error.message);
            return fmt::format("{:6.2f}|{:6.2f}|{}; scan: depth {} in {:.3f} s; flatten+parse alone {:.2f} s",
                               static_cast<double>(html.size()) / 1e6, extract_seconds, outcome, scan.max_depth,
                               scan_seconds, guard_parse_seconds);
        });
        const std::size_t bar1 = r.said.find('|');
        const std::size_t bar2 = bar1 == std::string::npos ? bar1 : r.said.find('|', bar1 + 1);
        const bool parsed = bar2 != std::string::npos;
        const std::string size = parsed ? r.said.substr(0, bar1) : "?";
        const std::string extract = parsed ? r.said.substr(bar1 + 1, bar2 - bar1 - 1) : "?";
        std::string outcome = parsed ? r.said.substr(bar2 + 1) : r.said;
        if (WIFSIGNALED(r.status)) outcome += fmt::format(" KILLED by signal {}", WTERMSIG(r.status));
        fmt::print("  {:<34} {:>6} {:>9} {:>8.2f} {:>8.1f}  {}\n", c.name, size, extract, r.wall, r.rss_mb, outcome);
        std::fflush(stdout);
    }
}

options parse_args(int argc, char** argv) {
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--corpus" && i + 1 < argc) {
            opt.corpus = argv[++i];
        } else if (arg == "--rounds" && i + 1 < argc) {
            const std::string_view value = argv[++i];
            std::from_chars(value.data(), value.data() + value.size(), opt.rounds);
            opt.rounds = std::max(1, opt.rounds);
        } else if (arg == "--skip-hostile") {
            opt.hostile = false;
        } else if (arg == "--skip-corpus") {
            opt.corpus_run = false;
        } else {
            fmt::print(stderr, "usage: {} [--corpus DIR] [--rounds N] [--skip-hostile] [--skip-corpus]\n", argv[0]);
            std::exit(2);
        }
    }
    return opt;
}

}  // namespace

int main(int argc, char** argv) {
    const options opt = parse_args(argc, argv);
    if (opt.hostile) run_hostile();  // first: children must not inherit the loaded corpus
    if (opt.corpus_run) run_corpus(opt);
    return 0;
}
