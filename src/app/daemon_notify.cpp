// sd_notify(3) calls for the daemon's life cycle (daemon_notify.hpp).
#include "app/daemon_notify.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace gisa::app {

namespace {

void send(const std::string& state) {
    // 0: keep NOTIFY_SOCKET in the environment, for every later message.
    sd_notify(0, state.c_str());
}

}  // namespace

void notify_ready() {
    send("READY=1");
}

void notify_status(std::string_view line) {
    std::string state = "STATUS=";
    for (const char c : line)
        state.push_back(c == '\n' ? ' ' : c);
    send(state);
}

void notify_watchdog() {
    send("WATCHDOG=1");
}

void notify_stopping() {
    send("STOPPING=1");
}

void notify_reloading() {
    send("RELOADING=1");
}

std::optional<std::chrono::microseconds> watchdog_interval() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds(usec);
}

}  // namespace gisa::app
