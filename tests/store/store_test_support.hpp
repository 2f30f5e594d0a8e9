// Helpers for the store tests: a fresh database per test, sample pages, running tools.
#pragma once

#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/page_record.hpp"
#include "store/connection.hpp"
#include "store/store.hpp"
#include "support/pg.hpp"

namespace gisa::test {

// The DSN with another database name (a later dbname keyword wins in libpq).
inline std::string with_dbname(const std::string& dsn, const std::string& name) {
    return dsn + " dbname=" + name;
}

// A database of its own for one test on the shared server: created empty,
// dropped (with its connections) when the test ends.
class fresh_db {
  public:
    explicit fresh_db(const std::string& server_dsn = test_dsn()) : server_dsn_(server_dsn) {
        std::random_device seed;
        name_ = "t_" + std::to_string(seed()) + std::to_string(seed() % 1000);
        store::connection admin = store::connection::open(server_dsn_);
        admin.exec_script("CREATE DATABASE " + name_);  // name_ is ours: digits only
    }
    fresh_db(const fresh_db&) = delete;
    fresh_db& operator=(const fresh_db&) = delete;
    ~fresh_db() {
        try {
            store::connection admin = store::connection::open(server_dsn_);
            admin.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {
            // The server may be gone at the end of a failed test; nothing to clean then.
        }
    }
    std::string dsn() const { return with_dbname(server_dsn_, name_); }
    const std::string& name() const { return name_; }

  private:
    std::string server_dsn_;
    std::string name_;
};

// Runs a program (no shell) and returns its exit status; output goes to `output` when given.
inline int run_program(const std::vector<std::string>& argv, std::string* output = nullptr) {
    int pipe_fds[2] = {-1, -1};
    if (output != nullptr && pipe(pipe_fds) != 0) return -1;
    const pid_t child = fork();
    if (child == 0) {
        if (output != nullptr) {
            dup2(pipe_fds[1], 1);
            dup2(pipe_fds[1], 2);
            close(pipe_fds[0]);
            close(pipe_fds[1]);
        }
        std::vector<char*> args;
        for (const std::string& arg : argv)
            args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    if (output != nullptr) {
        close(pipe_fds[1]);
        char buffer[4096];
        ssize_t n = 0;
        while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0)
            output->append(buffer, static_cast<std::size_t>(n));
        close(pipe_fds[0]);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A PostgreSQL of this test's own, in a temporary directory, via tools/pg.
class private_server {
  public:
    private_server() {
        std::string pattern = (std::filesystem::temp_directory_path() / "gisa-store-pg-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        dir_ = pattern;
        start();
    }
    private_server(const private_server&) = delete;
    private_server& operator=(const private_server&) = delete;
    ~private_server() {
        stop();
        std::error_code ignored;
        std::ifstream datadir(dir_ + "/datadir");
        std::string data;
        if (std::getline(datadir, data) && data.rfind(dir_, 0) != 0) std::filesystem::remove_all(data, ignored);
        std::filesystem::remove_all(dir_, ignored);
    }
    void start() {
        std::string out;
        const int rc = tool("start", &out);
        INFO("tools/pg start: " << out);
        REQUIRE(rc == 0);
    }
    int stop() {
        std::string out;
        return tool("stop", &out);
    }
    std::string dsn() const {
        std::ifstream in(dir_ + "/dsn");
        std::string line;
        std::getline(in, line);
        return line;
    }
    int tool(const char* command, std::string* out) const {
        return run_program({std::string(GISA_SOURCE_DIR) + "/tools/pg", command, dir_}, out);
    }

  private:
    std::string dir_;
};

// A Korean news article page with `paragraphs` paragraphs (about 150 bytes each).
inline core::page_record sample_article(const std::string& url, int paragraphs = 3, const std::string& tag = "") {
    core::page_record page;
    page.url = url;
    page.final_url = url;
    page.charset = "UTF-8";
    page.title = "서울 아파트값 3주 연속 상승" + tag;
    page.subtitle = "강남·서초 중심으로 오름폭 커져";
    for (int i = 0; i < paragraphs; ++i)
        page.body.push_back(std::to_string(i + 1) +
                            "번째 문단: 한국부동산원이 18일 발표한 주간 아파트 가격 동향에 따르면 "
                            "서울 아파트값은 전주 대비 0.1% 올랐다." +
                            tag);
    page.captions = {"서울 송파구 아파트 단지 모습. /연합뉴스"};
    page.byline = "김철수 기자 kim@example.com";
    page.publisher = "조선비즈";
    page.published_at = "2024-07-18T15:12:00+09:00";
    page.modified_at = "2024-07-18";
    return page;
}

// A board list page with `count` numbered rows and one notice row.
inline core::page_record sample_board(const std::string& url, int count, int first_no = 1000) {
    core::page_record page;
    page.url = url;
    page.final_url = url;
    page.charset = "CP949";
    page.notes = {"no article found"};
    core::board_row notice;
    notice.title = "[공지] 게시판 이용 규칙";
    notice.url = url + "&notice=1";
    notice.author = "운영자";
    notice.notice = true;
    page.board.rows.push_back(notice);
    for (int i = 0; i < count; ++i) {
        core::board_row row;
        row.no = first_no + i;
        row.title = "질문 있습니다 " + std::to_string(first_no + i) + "번 글";
        row.url = url + "&wr_id=" + std::to_string(first_no + i);
        row.author = "익명" + std::to_string(i);
        row.date = "2024-07-18T14:32:00+09:00";
        row.views = 100 + i;
        page.board.rows.push_back(row);
    }
    return page;
}

}  // namespace gisa::test
