// The daemon's side of systemd's notify protocol (sd_notify): READY, STATUS, WATCHDOG, STOPPING.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace gisa::app {

// Each is a no-op when NOTIFY_SOCKET is not set (not started by systemd, or Type= is not notify).
void notify_ready();
void notify_status(std::string_view line);
void notify_watchdog();
void notify_stopping();
void notify_reloading();

// WatchdogSec= of the unit (WATCHDOG_USEC, for this process); nullopt when the watchdog is off.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace gisa::app
