// gisa_bench_crawl_site: the loopback site of the crawl benchmark (tools/bench-crawl). A gnuboard board of
// 100 list pages of 20 rows each links 2,000 posts whose bodies are the pages of ../shared/corpus/aeb/
// (news pages of about 170 KB), read at start and never copied into the project; post K serves corpus
// page (K - 1) mod N, so the content repeats but every URL is distinct.
//   gisa_bench_crawl_site [--corpus DIR] [--lists N] [--rows N] [--threads N] [--dump DIR] [--hosts N]
// --dump writes every list page and every post body to DIR (list-NNN.html, post-NNNN.html) for the
// extraction-only side of the benchmark. Prints the base URL on the first line of stdout and the sizes
// on the second, then serves on 127.0.0.1 until SIGINT or SIGTERM.
// --hosts N (tools/bench-scale): the lists are shared out over N boards, one per host 127.0.0.1 to
// 127.0.0.N (all loopback, one port; the Host header says which), each with its own posts, the
// corpus pages still taken in turn across them. The sizes line gives the totals, and a third line
// the N start URLs; --dump then prefixes each file with its host (h01-list-001.html).
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/support/http_server.hpp"

namespace {

namespace fs = std::filesystem;
using gisa::test::http_request;
using gisa::test::http_server;
using gisa::test::response;

constexpr std::string_view default_corpus = "/work/shared/corpus/aeb/html";
constexpr std::string_view board_path = "/bbs/board.php";
constexpr int pager_block = 10;                         // page links shown at once, as gnuboard does
constexpr std::size_t max_corpus_page_bytes = 8 << 20;  // `gisa extract` reads no more

struct options {
    std::string corpus{default_corpus};
    int lists = 100;
    int rows = 20;
    int threads = 1;
    int hosts = 1;
    std::string dump;
};

constexpr int max_hosts = 254;  // 127.0.0.1 to 127.0.0.254

std::optional<int> positive(std::string_view text) {
    if (text.empty() || text.size() > 6) return std::nullopt;
    int n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n > 0 ? std::optional<int>(n) : std::nullopt;
}

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr,
                 "gisa_bench_crawl_site: %s\nusage: gisa_bench_crawl_site [--corpus DIR] [--lists N] [--rows N] "
                 "[--threads N] [--dump DIR] [--hosts N]\n",
                 why.c_str());
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) usage(fmt::format("{} needs a value", arg));
        const std::string value = argv[++i];
        const auto number = [&] {
            const auto n = positive(value);
            if (!n) usage(fmt::format("{} needs a positive number", arg));
            return *n;
        };
        if (arg == "--corpus")
            o.corpus = value;
        else if (arg == "--lists")
            o.lists = number();
        else if (arg == "--rows")
            o.rows = number();
        else if (arg == "--threads")
            o.threads = number();
        else if (arg == "--dump")
            o.dump = value;
        else if (arg == "--hosts")
            o.hosts = number();
        else
            usage(fmt::format("unknown option {}", arg));
    }
    if (o.hosts > std::min(max_hosts, o.lists)) usage(fmt::format("--hosts must be at most {} and --lists", max_hosts));
    return o;
}

std::optional<std::string> read_page(const fs::path& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) return std::nullopt;
    std::string out;
    std::vector<char> buffer(1 << 16);
    int n = 0;
    while ((n = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0 &&
           out.size() < max_corpus_page_bytes)
        out.append(buffer.data(), static_cast<std::size_t>(n));
    gzclose(file);
    if (n < 0 || out.empty() || out.size() > max_corpus_page_bytes) return std::nullopt;
    return out;
}

// Every *.html.gz (or plain *.html, which gzread reads as is) of DIR, by name.
std::vector<std::string> load_corpus(const std::string& dir) {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && (name.ends_with(".html.gz") || name.ends_with(".html")))
            paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> pages;
    for (const fs::path& p : paths)
        if (auto bytes = read_page(p)) pages.push_back(std::move(*bytes));
    return pages;
}

using shared_corpus = std::shared_ptr<const std::vector<std::string>>;

// The board: list page P (1-based) shows posts total - (P-1)*rows down to total - P*rows + 1. Post K
// serves corpus page (first_corpus + K - 1) mod N: the boards of several hosts take the pages in turn.
class board {
  public:
    board(int lists, int rows, shared_corpus corpus, std::size_t first_corpus = 0)
        : lists_(lists), rows_(rows), first_corpus_(first_corpus), corpus_(std::move(corpus)) {}

    int posts() const { return lists_ * rows_; }
    int lists() const { return lists_; }
    std::size_t corpus_pages() const { return corpus_->size(); }
    const std::string& post_body(int no) const {
        return (*corpus_)[(first_corpus_ + static_cast<std::size_t>(no - 1)) % corpus_->size()];
    }

    std::string list_page(int page) const {
        std::string html = fmt::format(
            "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n<title>벤치 자유게시판 {} "
            "페이지 | 벤치카페</title>\n</head>\n<body>\n<div id=\"hd\"><h1 id=\"hd_h1\">벤치 자유게시판</h1>"
            "<nav id=\"gnb\"><ul><li><a href=\"/bbs/board.php?bo_table=notice\">공지사항</a></li>"
            "<li><a href=\"/bbs/board.php?bo_table=bench\">자유게시판</a></li></ul></nav></div>\n"
            "<div id=\"container\"><div id=\"bo_list\"><div class=\"tbl_head01 tbl_wrap\"><table>\n"
            "<caption>벤치 자유게시판 목록</caption>\n<thead><tr><th scope=\"col\">번호</th><th "
            "scope=\"col\">제목</th><th scope=\"col\">글쓴이</th><th scope=\"col\">조회</th><th "
            "scope=\"col\">날짜</th></tr></thead>\n<tbody>\n",
            page);
        const int first = posts() - (page - 1) * rows_;
        for (int no = first; no > first - rows_ && no > 0; --no)
            html += row(no);
        html += "</tbody>\n</table></div></div>\n" + pager(page) +
                "</div>\n<div id=\"ft\"><div id=\"ft_copy\">Copyright &copy; <b>벤치카페.</b> All rights "
                "reserved.</div></div>\n</body>\n</html>\n";
        return html;
    }

  private:
    static std::string row(int no) {
        static constexpr std::string_view authors[] = {"빵순이", "초록지구", "나눔장터", "동네기자"};
        return fmt::format(
            "<tr>\n<td class=\"td_num2\">{0}</td>\n<td class=\"td_subject\"><div class=\"bo_tit\"><a "
            "href=\"/bbs/board.php?bo_table=bench&amp;wr_id={0}\">벤치 게시글 {0}번째 이야기</a> <span "
            "class=\"cnt_cmt\">+ {1}</span></div></td>\n<td class=\"td_name sv_use\"><span class=\"sv_wrap\"><a "
            "href=\"/bbs/profile.php?mb_id=u{0}\" class=\"sv_member\">{2}</a></span></td>\n<td "
            "class=\"td_num\">{3}</td>\n<td class=\"td_datetime\">07-{4}</td>\n</tr>\n",
            no, no % 7, authors[no % 4], 100 + no * 3, 10 + no % 9);
    }

    // gnuboard's pager: blocks of ten page numbers, the current one not a link, then 다음 and 맨끝.
    std::string pager(int page) const {
        const auto link = [](int p, std::string_view text, std::string_view cls) {
            return fmt::format("<a href=\"/bbs/board.php?bo_table=bench&amp;page={}\" class=\"{}\">{}</a>\n", p, cls,
                               text);
        };
        const int block_first = (page - 1) / pager_block * pager_block + 1;
        const int block_last = std::min(lists_, block_first + pager_block - 1);
        std::string html = "<nav class=\"pg_wrap\"><span class=\"pg\">";
        if (block_first > 1)
            html += link(1, "처음", "pg_page pg_start") + link(block_first - 1, "이전", "pg_page pg_prev");
        for (int p = block_first; p <= block_last; ++p)
            html += p == page ? fmt::format("<strong class=\"pg_current\">{}</strong>\n", p)
                              : link(p, fmt::format("{}<span class=\"sound_only\">페이지</span>", p), "pg_page");
        if (block_last < lists_)
            html += link(block_last + 1, "다음", "pg_page pg_next") + link(lists_, "맨끝", "pg_page pg_end");
        return html + "</span></nav>\n";
    }

    int lists_;
    int rows_;
    std::size_t first_corpus_;
    shared_corpus corpus_;
};

// One board per host: the lists shared out as evenly as they go, the first hosts taking one more.
std::vector<board> make_boards(const options& o, const shared_corpus& corpus) {
    std::vector<board> boards;
    std::size_t first_corpus = 0;
    for (int h = 0; h < o.hosts; ++h) {
        const int lists = o.lists / o.hosts + (h < o.lists % o.hosts ? 1 : 0);
        boards.emplace_back(lists, o.rows, corpus, first_corpus);
        first_corpus += static_cast<std::size_t>(boards.back().posts());
    }
    return boards;
}

// The board a request is for, by its Host header (127.0.0.N:port is host N); none for another host.
const board* board_of(const std::vector<board>& boards, const http_request& request) {
    const std::string host = request.header("host").value_or("127.0.0.1");
    constexpr std::string_view loopback = "127.0.0.";
    if (!host.starts_with(loopback)) return nullptr;
    const auto n = positive(host.substr(loopback.size(), host.find(':') - loopback.size()));
    if (!n || *n > static_cast<int>(boards.size())) return nullptr;
    return &boards[static_cast<std::size_t>(*n - 1)];
}

void write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) usage(fmt::format("cannot write {}", path.string()));
}

void dump(const std::vector<board>& boards, const fs::path& dir) {
    fs::create_directories(dir);
    for (std::size_t h = 0; h < boards.size(); ++h) {
        const board& b = boards[h];
        const std::string prefix = boards.size() > 1 ? fmt::format("h{:02}-", h + 1) : "";
        for (int p = 1; p <= b.lists(); ++p)
            write_file(dir / fmt::format("{}list-{:03}.html", prefix, p), b.list_page(p));
        for (int no = 1; no <= b.posts(); ++no)
            write_file(dir / fmt::format("{}post-{:04}.html", prefix, no), b.post_body(no));
    }
}

response serve(const std::vector<board>& boards, const http_request& request) {
    const board* for_host = board_of(boards, request);
    if (for_host == nullptr) return response::not_found();
    const board& b = *for_host;
    const std::string post = request.query("wr_id");
    if (post.empty()) {
        const auto page = positive(request.query("page")).value_or(1);
        if (page > b.lists()) return response::not_found();
        return response::make(200, b.list_page(page), "text/html; charset=utf-8");
    }
    const auto no = positive(post);
    if (!no || *no > b.posts()) return response::not_found();
    // No charset: the client sniffs it from the page, as `gisa extract` does from the saved file.
    return response::make(200, b.post_body(*no), "text/html");
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    std::vector<std::string> corpus;
    try {
        corpus = load_corpus(o.corpus);
    } catch (const fs::filesystem_error& failure) {
        usage(failure.what());
    }
    if (corpus.empty()) usage(fmt::format("no pages in {}", o.corpus));
    const std::size_t corpus_size = corpus.size();
    const auto boards = std::make_shared<const std::vector<board>>(
        make_boards(o, std::make_shared<const std::vector<std::string>>(std::move(corpus))));
    if (!o.dump.empty()) dump(*boards, o.dump);

    std::size_t post_bytes = 0, list_bytes = 0;
    int posts = 0, lists = 0;
    for (const board& b : *boards) {
        for (int no = 1; no <= b.posts(); ++no)
            post_bytes += b.post_body(no).size();
        for (int p = 1; p <= b.lists(); ++p)
            list_bytes += b.list_page(p).size();
        posts += b.posts();
        lists += b.lists();
    }

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    // Blocked before the server's threads start, so that they inherit the mask and sigwait sees the signal.
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    http_server server(o.threads);
    server.set_logging(false);
    for (int h = 2; h <= o.hosts; ++h)
        server.listen_also(fmt::format("127.0.0.{}", h));
    server.on(std::string(board_path), [boards](const http_request& r) { return serve(*boards, r); });
    const std::string start_url = server.url(fmt::format("{}?bo_table=bench", board_path));
    std::printf("%s\n", start_url.c_str());
    std::printf("lists %d posts %d post_mean_bytes %zu list_mean_bytes %zu corpus_pages %zu\n", lists, posts,
                post_bytes / static_cast<std::size_t>(posts), list_bytes / static_cast<std::size_t>(lists),
                corpus_size);
    if (o.hosts > 1) {
        constexpr std::string_view first_host = "//127.0.0.1:";
        std::string urls;
        for (int h = 1; h <= o.hosts; ++h) {
            std::string url = start_url;
            url.replace(url.find(first_host), first_host.size(), fmt::format("//127.0.0.{}:", h));
            urls += (h == 1 ? "" : " ") + url;
        }
        std::printf("%s\n", urls.c_str());
    }
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::fprintf(stderr, "gisa_bench_crawl_site: %zu bytes written, %zu connections\n", server.bytes_written(),
                 server.connections_accepted());
    return 0;
}
