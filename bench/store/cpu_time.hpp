// CPU time of the benchmark process and of PostgreSQL server backends, for the store benchmarks.
// The machine is shared: wall time swings with whatever else runs, CPU time much less, so the
// store benchmarks give both. A backend's time is read from /proc (tools/bench-store and
// tools/bench-claims run the server on this machine).
#pragma once

#include <sys/resource.h>
#include <sys/time.h>

#include <cmath>
#include <fstream>
#include <string>

namespace gisa::bench {

// CPU seconds of this process, all its threads, user and system.
inline double process_cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds of one server backend (its pid from pg_backend_pid()); NaN when /proc does not
// have it, so that a figure which could not be measured never reads as zero.
inline double backend_cpu_s(int pid) {
    std::ifstream schedstat("/proc/" + std::to_string(pid) + "/schedstat");
    long long on_cpu_ns = 0;
    if (!(schedstat >> on_cpu_ns)) return std::nan("");
    return static_cast<double>(on_cpu_ns) / 1e9;
}

}  // namespace gisa::bench
