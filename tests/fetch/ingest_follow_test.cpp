// `gisa ingest --follow` against the loopback server: a board page and the posts its rows link to (issue #13).
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/support/http_server.hpp"
#include "fetch/support/run_gisa.hpp"
#include "store/store_test_support.hpp"

extern char** environ;

using namespace gisa::test;

namespace {

// Tests without --dsn must not find a database through PG* variables.
run_result run_gisa_without_pg(std::vector<std::string> args) {
    return run_gisa(std::move(args), false);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A config file for fast tests: no per-host delay, no robots.txt.
class test_config {
  public:
    test_config() {
        char path[] = "/tmp/gisa-follow-config-XXXXXX";
        const int fd = mkstemp(path);
        REQUIRE(fd >= 0);
        ::close(fd);
        path_ = path;
        std::ofstream(path_) << "[fetch.politeness]\nmin_host_delay_ms = 0\nobey_robots = false\n";
    }
    test_config(const test_config&) = delete;
    test_config& operator=(const test_config&) = delete;
    ~test_config() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// One row of a gnuboard 5 basic-skin list (modelled on fixtures/extract/board-gnuboard5-basic).
std::string board_row(int no, const std::string& href, const std::string& title, const std::string& author) {
    return "<tr><td class=\"td_num2\">" + std::to_string(no) +
           "</td><td class=\"td_subject\"><div class=\"bo_tit\"><a href=\"" + href + "\">" + title +
           "</a></div></td><td class=\"td_name\">" + author +
           "</td><td class=\"td_num\">15</td><td class=\"td_datetime\">07-18</td></tr>\n";
}

std::string board_page(const std::string& rows) {
    return "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>자유게시판 | 동네카페</title>"
           "</head><body><div id=\"bo_list\"><div class=\"tbl_head01 tbl_wrap\"><table>"
           "<caption>자유게시판 목록</caption><thead><tr><th scope=\"col\">번호</th><th scope=\"col\">제목</th>"
           "<th scope=\"col\">글쓴이</th><th scope=\"col\">조회</th><th scope=\"col\">날짜</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div></div></body></html>";
}

// Three rows: two posts that answer and one that is gone (404).
std::string three_row_board() {
    return board_page(board_row(3, "/post/3", "단지 앞 새로 생긴 빵집 다녀왔어요", "빵순이") +
                      board_row(2, "/post/2", "엘리베이터 점검 시간 안내 받으신 분", "관리맨") +
                      board_row(1, "/post/gone", "주말 플리마켓 참여하실 분 모집합니다", "장터지기"));
}

std::string article_page(const std::string& title, const std::string& lead) {
    return "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>" + title +
           " | 동네카페</title></head><body><article><h1>" + title + "</h1><p class=\"byline\">빵순이</p><p>" + lead +
           " 동네 사람들이 오가며 이야기를 나누는 곳이 하나 더 늘었다. 주말에는 줄이 길어 일찍 가는 편이 좋다고 "
           "한다.</p><p>가게 주인은 \"단지 주민들이 편하게 들를 수 있는 곳이 되었으면 한다\"고 말했다. 영업 "
           "시간은 아침 일곱 시부터 저녁 여덟 시까지이고 월요일은 쉰다.</p><p>처음 문을 연 주에는 "
           "손님들에게 작은 빵을 하나씩 나눠 주었다고 한다.</p></article></body></html>";
}

void serve_three_row_board(http_server& server) {
    server.on("/board/free", [](const http_request&) { return response::make(200, three_row_board()); });
    server.on("/post/3", [](const http_request&) {
        return response::make(200, article_page("단지 앞 새로 생긴 빵집", "단지 앞에 빵집이 새로 문을 열었다."));
    });
    server.on("/post/2", [](const http_request&) {
        return response::make(200, article_page("엘리베이터 점검 안내", "엘리베이터 점검이 다음 주 화요일에 있다."));
    });
}

long long count_rows(const std::string& dsn, const std::string& table) {
    auto db = gisa::store::connection::open(dsn);
    return db.exec("SELECT count(*) FROM " + table).get_int(0, 0);
}

}  // namespace

TEST_CASE("ingest --follow without a database prints the board page and each post as JSON Lines") {
    http_server server;
    serve_three_row_board(server);
    test_config config;
    const auto r = run_gisa_without_pg(
        {"ingest", "--url", server.url("/board/free"), "--follow", "--allow-private", "--config", config.path()});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0]["url"] == server.url("/board/free"));
    CHECK(lines[0]["board"]["rows"].size() == 3);
    CHECK(lines[1]["url"] == server.url("/post/3"));
    CHECK(lines[1]["title"] == "단지 앞 새로 생긴 빵집");
    CHECK_FALSE(lines[1]["body"].empty());
    CHECK(lines[2]["url"] == server.url("/post/2"));
    CHECK(contains(r.err, "could not follow " + server.url("/post/gone") + ": HTTP 404"));
    CHECK(contains(r.err, "nothing stored: no database configured"));
    CHECK(server.request_count("/board/free") == 1);
    CHECK(server.request_count("/post/gone") == 1);
}

TEST_CASE("ingest --follow fetches each row URL once and never the board page again") {
    http_server server;
    server.on("/board/free", [](const http_request&) {
        return response::make(200, board_page(board_row(3, "/post/3", "같은 글 첫 번째 줄", "가") +
                                              board_row(2, "/post/3", "같은 글 두 번째 줄", "나") +
                                              board_row(1, "/board/free", "목록 자신", "다")));
    });
    server.on("/post/3", [](const http_request&) {
        return response::make(200, article_page("단지 앞 새로 생긴 빵집", "단지 앞에 빵집이 새로 문을 열었다."));
    });
    test_config config;
    const auto r = run_gisa_without_pg(
        {"ingest", "--url", server.url("/board/free"), "--follow", "--allow-private", "--config", config.path()});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(json_lines(r.out).size() == 2);
    CHECK(server.request_count("/post/3") == 1);
    CHECK(server.request_count("/board/free") == 1);
}

TEST_CASE("ingest --follow when every post fails: exit 3, the board page still printed") {
    http_server server;
    server.on("/board/free", [](const http_request&) {
        return response::make(200, board_page(board_row(2, "/post/a", "없는 글 하나", "가") +
                                              board_row(1, "/post/b", "없는 글 둘", "나")));
    });
    test_config config;
    const auto r = run_gisa_without_pg(
        {"ingest", "--url", server.url("/board/free"), "--follow", "--allow-private", "--config", config.path()});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 3);
    CHECK(json_lines(r.out).size() == 1);
    CHECK(contains(r.err, "could not follow " + server.url("/post/a")));
    CHECK(contains(r.err, "could not follow " + server.url("/post/b")));
}

TEST_CASE("ingest --follow stores the board page and its posts in the database and reports each") {
    http_server server;
    serve_three_row_board(server);
    test_config config;
    fresh_db db;
    REQUIRE(run_gisa_without_pg({"migrate", "--dsn", db.dsn()}).exit_code == 0);
    const std::vector<std::string> ingest = {"ingest",          "--url",    server.url("/board/free"),
                                             "--follow",        "--dsn",    db.dsn(),
                                             "--allow-private", "--config", config.path()};

    const auto first = run_gisa_without_pg(ingest);
    INFO("stdout: " << first.out << "\nstderr: " << first.err);
    CHECK(first.exit_code == 0);
    const auto lines = json_lines(first.out);
    REQUIRE(lines.size() == 1);
    const auto& summary = lines[0];
    CHECK(summary["url"] == server.url("/board/free"));
    CHECK(summary["article"] == "none");
    CHECK(summary["board_rows"]["inserted"] == 3);
    CHECK(summary["links_out"] == 3);
    CHECK(summary["followed"]["rows"] == 3);
    CHECK(summary["followed"]["fetched"] == 2);
    CHECK(summary["followed"]["failed"] == 1);
    CHECK(summary["followed"]["articles"]["inserted"] == 2);
    REQUIRE(summary["failures"].size() == 1);
    CHECK(summary["failures"][0]["url"] == server.url("/post/gone"));
    CHECK(contains(summary["failures"][0]["error"].get<std::string>(), "HTTP 404"));
    CHECK(count_rows(db.dsn(), "articles") == 2);
    CHECK(count_rows(db.dsn(), "board_rows") == 3);

    const auto again = run_gisa_without_pg(ingest);
    INFO("stdout: " << again.out << "\nstderr: " << again.err);
    CHECK(again.exit_code == 0);
    const auto second = json_lines(again.out);
    REQUIRE(second.size() == 1);
    CHECK(second[0]["board_rows"]["unchanged"] == 3);
    CHECK(second[0]["followed"]["articles"]["unchanged"] == 2);
    CHECK(second[0]["followed"]["articles"]["inserted"] == 0);
    CHECK(count_rows(db.dsn(), "articles") == 2);
}

TEST_CASE("ingest --follow of a page without board rows stores it as before with followed rows 0") {
    http_server server;
    server.on("/news/1", [](const http_request&) {
        return response::make(200, article_page("시립도서관 야간 개관", "시립도서관이 야간 개관을 시작한다."));
    });
    test_config config;
    fresh_db db;
    REQUIRE(run_gisa_without_pg({"migrate", "--dsn", db.dsn()}).exit_code == 0);
    const auto r = run_gisa_without_pg({"ingest", "--url", server.url("/news/1"), "--follow", "--dsn", db.dsn(),
                                        "--allow-private", "--config", config.path()});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["article"] == "inserted");
    CHECK(lines[0]["followed"]["rows"] == 0);
    CHECK(lines[0]["failures"].empty());
}

TEST_CASE("ingest without --follow keeps its summary: no followed or failures fields") {
    http_server server;
    serve_three_row_board(server);
    test_config config;
    fresh_db db;
    REQUIRE(run_gisa_without_pg({"migrate", "--dsn", db.dsn()}).exit_code == 0);
    const auto r = run_gisa_without_pg({"ingest", "--url", server.url("/board/free"), "--dsn", db.dsn(),
                                        "--allow-private", "--config", config.path()});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 1);
    CHECK_FALSE(lines[0].contains("followed"));
    CHECK_FALSE(lines[0].contains("failures"));
    CHECK(server.request_count("/post/3") == 0);
    CHECK(count_rows(db.dsn(), "articles") == 0);
}
