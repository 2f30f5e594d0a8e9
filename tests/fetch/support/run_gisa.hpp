// Runs the gisa binary (GISA_BINARY) as a test would type it, and hands back its exit code and output.
#pragma once

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gisa::test {

struct run_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp_fd(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    return text;
}

// The environment without PG* variables: a command without --dsn must not find a database there.
inline std::vector<char*> environment_without_pg() {
    std::vector<char*> env;
    for (char** e = environ; *e != nullptr; ++e)
        if (std::string_view(*e).rfind("PG", 0) != 0) env.push_back(*e);
    env.push_back(nullptr);
    return env;
}

// Runs gisa with `args`; stdout and stderr go through temporary files (no pipe deadlock).
inline run_result run_gisa(std::vector<std::string> args, bool keep_pg_environment = true) {
    char out_path[] = "/tmp/gisa-test-out-XXXXXX";
    char err_path[] = "/tmp/gisa-test-err-XXXXXX";
    const int out_fd = mkstemp(out_path);
    const int err_fd = mkstemp(err_path);
    REQUIRE(out_fd >= 0);
    REQUIRE(err_fd >= 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    args.insert(args.begin(), GISA_BINARY);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> env = keep_pg_environment ? std::vector<char*>{} : environment_without_pg();
    pid_t pid = -1;
    REQUIRE(posix_spawn(&pid, GISA_BINARY, &actions, nullptr, argv.data(),
                        keep_pg_environment ? environ : env.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    waitpid(pid, &status, 0);
    run_result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    r.out = slurp_fd(out_fd);
    r.err = slurp_fd(err_fd);
    ::close(out_fd);
    ::close(err_fd);
    unlink(out_path);
    unlink(err_path);
    return r;
}

}  // namespace gisa::test
