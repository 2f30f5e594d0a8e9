// gisa-test-site: serves the crawl test site (test_site.hpp) on 127.0.0.1 until SIGINT or SIGTERM, for
// `make demo` and for trying `gisa run` by hand. Prints its base URL on the first line of stdout.
#include <csignal>
#include <cstdio>
#include <string>

#include "crawl/support/test_site.hpp"

int main() {
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    // Blocked before the server's threads start, so that they inherit the mask and sigwait sees the signal.
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    gisa::test::http_server server(2);
    gisa::test::test_site::serve(server);
    std::printf("%s\n", server.url("").c_str());
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::fprintf(stderr, "gisa-test-site: %zu requests served\n", server.requests().size());
    return 0;
}
