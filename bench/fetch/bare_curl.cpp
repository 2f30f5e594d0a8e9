// libcurl alone on the benchmark's server: what gisa's fetcher is measured against besides wrk.
//
// wrk is a purpose-built load generator; this is the cheapest a libcurl 7.88 client can be on
// the same server, so the gap between it and gisa is gisa's own cost, and the gap between it
// and wrk is libcurl's.
#include "bare_curl.hpp"

#include <curl/curl.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
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

// One thread's share: pages [first, first + count), `concurrency` at a time.
loop_figures run_loop(const std::string& url, int first, int count, std::size_t page_bytes, int concurrency) {
    loop_figures figures;
    CURLM* multi = curl_multi_init();
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
        if (next < end) start(t);
    }
    for (int running = 1; running > 0 || next < end;) {
        curl_multi_perform(multi, &running);
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
            curl_multi_remove_handle(multi, easy);
            if (next < end) {
                start(t);
                running = 1;
            }
        }
        if (running > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
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
