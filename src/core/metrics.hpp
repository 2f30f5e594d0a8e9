// Prometheus metrics: counters, gauges and histograms in a thread-safe registry, rendered as text format 0.0.4.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Updates are lock-free atomics, so hot paths may call inc/set/observe from any thread; registration and
// rendering take the registry's mutex. Callers look a series up once and keep the reference.
//
// Naming (https://prometheus.io/docs/practices/naming/): base units (`_seconds`, `_bytes`), and counter
// names end in `_total` (`gisa_fetches_total`). Not enforced here; promtool's lint checks it.
namespace gisa::core::metrics {

// Label names and values of one series. Order does not matter: {a,b} and {b,a} name the same series.
using labels = std::vector<std::pair<std::string, std::string>>;

// Only goes up: a negative or NaN increment is ignored.
class counter {
  public:
    void inc(double by = 1.0) noexcept;
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class gauge {
  public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

// Counts observations into buckets by upper bound (inclusive, as Prometheus' `le`); a NaN is ignored.
class histogram {
  public:
    // Bounds are sorted; a trailing +Inf is implied and dropped if given. NaN or a repeated bound throws
    // std::invalid_argument.
    explicit histogram(std::vector<double> upper_bounds);

    void observe(double v) noexcept;
    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    // Element i counts observations <= upper_bounds()[i]; the last element is the +Inf bucket, the count.
    std::vector<std::uint64_t> cumulative_counts() const;
    std::uint64_t count() const noexcept;
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, not cumulative; last is +Inf
    std::atomic<double> sum_{0.0};
};

class registry {
  public:
    registry();
    ~registry();
    registry(const registry&) = delete;
    registry& operator=(const registry&) = delete;

    // Same name and same labels return the same object; references stay valid for the registry's life.
    // An invalid metric or label name, a duplicate label name, or a name already registered as another
    // type throws std::invalid_argument: these are programmer errors. The first help text of a name wins.
    counter& get_counter(std::string_view name, std::string_view help, const labels& l = {});
    gauge& get_gauge(std::string_view name, std::string_view help, const labels& l = {});
    // Every series of one histogram name shares its bounds; other bounds throw. The label `le` is reserved.
    histogram& get_histogram(std::string_view name, std::string_view help, std::vector<double> upper_bounds,
                             const labels& l = {});

    // A gauge read when rendering, on the rendering thread and under the registry's mutex: `read` must be
    // cheap, thread-safe and must not call back into the registry. One that throws renders as NaN.
    // Registering the same name and labels again replaces the callback; the labels of a plain gauge throw.
    void add_callback_gauge(std::string_view name, std::string_view help, std::function<double()> read,
                            const labels& l = {});

    // The Prometheus text exposition format 0.0.4: families sorted by name, series by labels.
    std::string render() const;

  private:
    struct state;
    std::unique_ptr<state> state_;
};

// Latency buckets in seconds for the fetch, extract and store stages: 1 ms to 60 s.
std::vector<double> latency_buckets_s();

// A sample value as Prometheus spells it: integers without exponent where exact, +Inf, -Inf, NaN.
std::string format_value(double v);

}  // namespace gisa::core::metrics
