// libcurl alone on the benchmark's server: what gisa's fetcher is measured against besides wrk.
//
// wrk is a purpose-built load generator; this is the cheapest a libcurl 7.88 client can be on
// the same server, so the gap between it and gisa is gisa's own cost, and the gap between it
// and wrk is libcurl's.
#include "bare_curl.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fetch/curl_multi_driver.hpp"
#include "fetch/options.hpp"

namespace gisa::bench {

namespace {

// As gisa's fetcher does (fetcher.cpp): libcurl 7.88's cost per transfer grows with the
// connections one multi handle holds, so at most this many transfers share one. Each multi
// gets its own thread here, the simplest way to poll several.
constexpr int transfers_per_multi = 128;

struct transfer {
    CURL* easy = nullptr;
    std::size_t bytes = 0;
    std::string url;
};

std::size_t count_bytes(char* /*data*/, std::size_t size, std::size_t count, void* user) {
    static_cast<transfer*>(user)->bytes += size * count;
    return size * count;
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct loop_figures {
    int ok = 0;
    int failed = 0;
};

// One thread's loop: libcurl's socket-action API on a plain epoll descriptor (level-triggered),
// the way curl's own ephiperfifo example drives it, with gisa's keep-alive trick (see
// curl_multi_driver.cpp): a socket curl stops watching stays registered, so a kept connection's
// next request costs no epoll_ctl. It is deregistered only if it reports an event while curl is
// not watching it (the server closed it), and a new connection socket (CURLOPT_SOCKOPTFUNCTION)
// is registered afresh.
class epoll_loop {
  public:
    using clock = std::chrono::steady_clock;

    explicit epoll_loop(CURLM* multi) : multi_(multi), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &epoll_loop::on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(this));
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &epoll_loop::on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(this));
    }
    ~epoll_loop() { ::close(epoll_); }
    epoll_loop(const epoll_loop&) = delete;
    epoll_loop& operator=(const epoll_loop&) = delete;

    void prepare(CURL* easy) {
        curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, &epoll_loop::on_sockopt);
        curl_easy_setopt(easy, CURLOPT_SOCKOPTDATA, static_cast<void*>(this));
    }

    // Waits for the next events or curl's deadline, and hands them to curl.
    void run_once() {
        int wait_ms = 1000;
        if (deadline_) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - clock::now()).count();
            wait_ms = static_cast<int>(std::clamp<long long>(left, 0, 1000));
        }
        epoll_event events[256];
        const int n = wait_ms == 0 ? 0 : epoll_wait(epoll_, events, 256, wait_ms);
        for (int k = 0; k < n; ++k) {
            const int fd = events[k].data.fd;
            auto& entry = socket(fd);
            if (entry.wanted == 0) {  // curl is not watching it: a kept connection the server closed
                epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
                entry = {};
                continue;
            }
            int flags = 0;
            if (events[k].events & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
            if (events[k].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
            if (events[k].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
            action(fd, flags);
        }
        // The timer is one-shot: once due it is spent, and curl arms it again if it needs to.
        if (deadline_ && clock::now() >= *deadline_) {
            deadline_.reset();
            action(CURL_SOCKET_TIMEOUT, 0);
        }
    }

  private:
    struct registration {
        bool registered = false;
        std::uint32_t events = 0;  // what epoll watches
        int wanted = 0;            // what curl wants (CURL_POLL_*); 0 while it does not watch it
    };

    registration& socket(int fd) {
        if (static_cast<std::size_t>(fd) >= sockets_.size()) sockets_.resize(static_cast<std::size_t>(fd) + 64);
        return sockets_[static_cast<std::size_t>(fd)];
    }

    void action(curl_socket_t fd, int flags) {
        int running = 0;
        curl_multi_socket_action(multi_, fd, flags, &running);
    }

    void watch(curl_socket_t fd, int what) {
        auto& entry = socket(fd);
        entry.wanted = what == CURL_POLL_REMOVE ? 0 : what;
        if (what == CURL_POLL_REMOVE) return;  // stays registered (see the class comment)
        const std::uint32_t events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
        if (entry.registered && entry.events == events) return;
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        if (epoll_ctl(epoll_, entry.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0)
            epoll_ctl(epoll_, entry.registered ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
        entry.registered = true;
        entry.events = events;
    }

    static int on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* self, void* /*socketp*/) {
        static_cast<epoll_loop*>(self)->watch(fd, what);
        return 0;
    }

    static int on_timer(CURLM* /*multi*/, long timeout_ms, void* self) {
        auto& deadline = static_cast<epoll_loop*>(self)->deadline_;
        if (timeout_ms < 0) {
            deadline.reset();
        } else {
            deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
        }
        return 0;
    }

    // A new connection socket: whatever was registered under its number died with the old one.
    static int on_sockopt(void* self, curl_socket_t fd, curlsocktype /*purpose*/) {
        static_cast<epoll_loop*>(self)->socket(fd) = {};
        return CURL_SOCKOPT_OK;
    }

    CURLM* multi_;
    int epoll_;
    std::optional<clock::time_point> deadline_;  // curl's timer; none while unarmed
    std::vector<registration> sockets_;
};

// One thread's share: pages [first, first + count), `concurrency` at a time.
loop_figures run_loop(const std::string& url, int first, int count, std::size_t page_bytes, int concurrency) {
    loop_figures figures;
    CURLM* multi = curl_multi_init();
    epoll_loop loop(multi);
    curl_slist* agent = curl_slist_append(nullptr, ("User-Agent: " + fetch::transfer_limits{}.user_agent).c_str());
    std::vector<transfer> transfers(static_cast<std::size_t>(std::max(1, std::min(concurrency, count))));
    int next = first;
    const int end = first + count;
    const auto start = [&](transfer& t) {
        t.bytes = 0;
        t.url = url + "?i=" + std::to_string(next++);
        curl_easy_setopt(t.easy, CURLOPT_URL, t.url.c_str());
        curl_multi_add_handle(multi, t.easy);
    };
    for (auto& t : transfers) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &count_bytes);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, static_cast<void*>(&t));
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, static_cast<void*>(&t));
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, agent);
        curl_easy_setopt(t.easy, CURLOPT_ACCEPT_ENCODING, "gzip, br");
        curl_easy_setopt(t.easy, CURLOPT_NOPROXY, "");
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
        loop.prepare(t.easy);
        if (next < end) start(t);
    }
    for (int done = 0; done < count;) {
        loop.run_once();
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;
            void* user = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &user);
            auto& t = *static_cast<transfer*>(user);
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            (code == CURLE_OK && status == 200 && t.bytes == page_bytes ? figures.ok : figures.failed) += 1;
            ++done;
            curl_multi_remove_handle(multi, easy);
            if (next < end) start(t);
        }
    }
    for (auto& t : transfers)
        curl_easy_cleanup(t.easy);
    curl_multi_cleanup(multi);
    curl_slist_free_all(agent);
    return figures;
}

}  // namespace

bare_figures run_bare_curl(const std::string& url, int pages, std::size_t page_bytes, int concurrency, int threads) {
    fetch::ensure_curl_global_init();
    threads = std::max({1, threads, (concurrency + transfers_per_multi - 1) / transfers_per_multi});
    std::vector<loop_figures> shares(static_cast<std::size_t>(threads));
    std::vector<std::thread> workers;
    const double cpu_start = cpu_seconds();
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < threads; ++i) {
        const int first = pages * i / threads, count = pages * (i + 1) / threads - first;
        const int share = concurrency * (i + 1) / threads - concurrency * i / threads;
        workers.emplace_back([&, i, first, count, share] {
            shares[static_cast<std::size_t>(i)] = run_loop(url, first, count, page_bytes, share);
        });
    }
    for (auto& w : workers)
        w.join();
    bare_figures figures;
    figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    figures.cpu_us_per_page = (cpu_seconds() - cpu_start) * 1e6 / pages;
    for (const auto& s : shares) {
        figures.ok += s.ok;
        figures.failed += s.failed;
    }
    return figures;
}

}  // namespace gisa::bench
