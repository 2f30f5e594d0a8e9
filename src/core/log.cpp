// The log line writer (log.hpp).
#include "core/log.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

namespace gisa::core {

namespace {

std::atomic<log_level> threshold{log_level::info};

constexpr std::array<std::string_view, 5> level_names{"debug", "info", "notice", "warning", "error"};
// sd-daemon(3) priorities: debug 7, info 6, notice 5, warning 4, error 3.
constexpr std::array<std::string_view, 5> journal_prefixes{"<7>", "<6>", "<5>", "<4>", "<3>"};

bool to_journal() {
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    return journal;
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ ", &parts);
    return text;
}

}  // namespace

void set_log_level(log_level level) noexcept {
    threshold = level;
}

log_level current_log_level() noexcept {
    return threshold;
}

bool log_enabled(log_level level) noexcept {
    return level >= threshold.load();
}

void log(log_level level, std::string_view message) {
    if (!log_enabled(level)) return;
    const auto i = static_cast<std::size_t>(level);
    std::string line = to_journal() ? std::string(journal_prefixes[i]) : utc_now();
    line.append(level_names[i]).append(": ");
    for (const char c : message)
        line.push_back(c == '\n' ? ' ' : c);  // one event, one line
    line.push_back('\n');
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
        if (n <= 0) return;  // nowhere to log to: nothing better to do
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace gisa::core
