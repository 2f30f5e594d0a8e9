// The metrics registry and its rendering in the Prometheus text exposition format 0.0.4.
// Format: https://github.com/prometheus/docs/blob/main/content/docs/instrumenting/exposition_formats.md
#include "core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <variant>

namespace gisa::core::metrics {

namespace {

enum class kind { counter, gauge, histogram };

std::string_view to_string(kind k) noexcept {
    switch (k) {
        case kind::counter:
            return "counter";
        case kind::gauge:
            return "gauge";
        case kind::histogram:
            return "histogram";
    }
    return "untyped";
}

bool is_name_start(char c, bool colon_ok) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
}

bool is_name_char(char c, bool colon_ok) noexcept {
    return is_name_start(c, colon_ok) || (c >= '0' && c <= '9');
}

bool valid_name(std::string_view s, bool colon_ok) noexcept {
    if (s.empty() || !is_name_start(s.front(), colon_ok)) return false;
    return std::all_of(s.begin(), s.end(), [colon_ok](char c) { return is_name_char(c, colon_ok); });
}

void check_metric_name(std::string_view name) {
    if (!valid_name(name, true))
        throw std::invalid_argument("metrics: invalid metric name '" + std::string(name) + "'");
}

// Sorted by name so that the order a caller lists labels in does not make another series.
labels canonical_labels(const labels& l, kind k) {
    labels out = l;
    std::sort(out.begin(), out.end());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& name = out[i].first;
        if (!valid_name(name, false) || name.starts_with("__"))
            throw std::invalid_argument("metrics: invalid label name '" + name + "'");
        if (k == kind::histogram && name == "le")
            throw std::invalid_argument("metrics: the label 'le' is reserved for histogram buckets");
        if (i > 0 && out[i - 1].first == name) throw std::invalid_argument("metrics: label '" + name + "' given twice");
    }
    return out;
}

std::vector<double> normalized_bounds(std::vector<double> b) {
    if (std::any_of(b.begin(), b.end(), [](double v) { return std::isnan(v); }))
        throw std::invalid_argument("metrics: a histogram bound is NaN");
    std::sort(b.begin(), b.end());
    if (std::adjacent_find(b.begin(), b.end()) != b.end())
        throw std::invalid_argument("metrics: a histogram bound is given twice");
    if (!b.empty() && b.back() == std::numeric_limits<double>::infinity()) b.pop_back();
    return b;
}

// Label values may hold any UTF-8; backslash, double quote and line feed are escaped.
void append_label_value(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

// HELP escapes backslash and line feed only.
void append_help(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

// One sample line: name{labels[,le="bound"]} value
void append_sample(std::string& out, std::string_view name, std::string_view suffix, const labels& l,
                   const std::string* le, double value) {
    out += name;
    out += suffix;
    if (!l.empty() || le) {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : l) {
            if (!first) out += ',';
            first = false;
            out += k;
            out += "=\"";
            append_label_value(out, v);
            out += '"';
        }
        if (le) {
            if (!first) out += ',';
            out += "le=\"";
            out += *le;
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += format_value(value);
    out += '\n';
}

using series_value =
    std::variant<std::unique_ptr<counter>, std::unique_ptr<gauge>, std::unique_ptr<histogram>, std::function<double()>>;

struct family {
    kind type;
    std::string help;
    std::vector<double> bounds;  // histograms only
    std::map<labels, series_value> series;
};

double read_callback(const std::function<double()>& read) noexcept {
    try {
        return read();
    } catch (...) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

void render_histogram(std::string& out, const std::string& name, const labels& l, const histogram& h) {
    const auto& bounds = h.upper_bounds();
    // One read of the buckets, so that the +Inf bucket and _count agree while others observe.
    const auto counts = h.cumulative_counts();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::string le = i < bounds.size() ? format_value(bounds[i]) : "+Inf";
        append_sample(out, name, "_bucket", l, &le, static_cast<double>(counts[i]));
    }
    append_sample(out, name, "_sum", l, nullptr, h.sum());
    append_sample(out, name, "_count", l, nullptr, static_cast<double>(counts.back()));
}

void render_family(std::string& out, const std::string& name, const family& f) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, f.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += to_string(f.type);
    out += '\n';
    for (const auto& [l, value] : f.series) {
        if (const auto* c = std::get_if<std::unique_ptr<counter>>(&value))
            append_sample(out, name, "", l, nullptr, (*c)->value());
        else if (const auto* g = std::get_if<std::unique_ptr<gauge>>(&value))
            append_sample(out, name, "", l, nullptr, (*g)->value());
        else if (const auto* h = std::get_if<std::unique_ptr<histogram>>(&value))
            render_histogram(out, name, l, **h);
        else
            append_sample(out, name, "", l, nullptr, read_callback(std::get<std::function<double()>>(value)));
    }
}

}  // namespace

void counter::inc(double by) noexcept {
    if (by >= 0.0) value_.fetch_add(by, std::memory_order_relaxed);  // false for NaN too
}

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(normalized_bounds(std::move(upper_bounds))),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void histogram::observe(double v) noexcept {
    if (std::isnan(v)) return;
    const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
    counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < out.size(); ++b)
        out[b] = total += counts_[b].load(std::memory_order_relaxed);
    return out;
}

std::uint64_t histogram::count() const noexcept {
    std::uint64_t total = 0;
    for (std::size_t b = 0; b <= bounds_.size(); ++b)
        total += counts_[b].load(std::memory_order_relaxed);
    return total;
}

struct registry::state {
    std::mutex mutex;
    std::map<std::string, family, std::less<>> families;

    // The family of `name`, created if new; throws if it is of another type. Call with the mutex held.
    family& family_for(std::string_view name, std::string_view help, kind k) {
        auto it = families.find(name);
        if (it == families.end())
            it = families.emplace(std::string(name), family{k, std::string(help), {}, {}}).first;
        else if (it->second.type != k)
            throw std::invalid_argument("metrics: '" + std::string(name) + "' is a " +
                                        std::string(to_string(it->second.type)) + ", not a " +
                                        std::string(to_string(k)));
        return it->second;
    }

    template <class T, class Make>
    T& series_of(family& f, std::string_view name, labels key, Make make) {
        auto it = f.series.find(key);
        if (it == f.series.end()) it = f.series.emplace(std::move(key), make()).first;
        auto* p = std::get_if<std::unique_ptr<T>>(&it->second);
        if (!p)
            throw std::invalid_argument("metrics: '" + std::string(name) + "' has a callback gauge with these labels");
        return **p;
    }
};

registry::registry() : state_(std::make_unique<state>()) {}
registry::~registry() = default;

counter& registry::get_counter(std::string_view name, std::string_view help, const labels& l) {
    check_metric_name(name);
    auto key = canonical_labels(l, kind::counter);
    std::lock_guard lock(state_->mutex);
    auto& f = state_->family_for(name, help, kind::counter);
    return state_->series_of<counter>(f, name, std::move(key), [] { return std::make_unique<counter>(); });
}

gauge& registry::get_gauge(std::string_view name, std::string_view help, const labels& l) {
    check_metric_name(name);
    auto key = canonical_labels(l, kind::gauge);
    std::lock_guard lock(state_->mutex);
    auto& f = state_->family_for(name, help, kind::gauge);
    return state_->series_of<gauge>(f, name, std::move(key), [] { return std::make_unique<gauge>(); });
}

histogram& registry::get_histogram(std::string_view name, std::string_view help, std::vector<double> upper_bounds,
                                   const labels& l) {
    check_metric_name(name);
    auto key = canonical_labels(l, kind::histogram);
    auto bounds = normalized_bounds(std::move(upper_bounds));
    std::lock_guard lock(state_->mutex);
    auto& f = state_->family_for(name, help, kind::histogram);
    if (f.series.empty())
        f.bounds = bounds;
    else if (f.bounds != bounds)
        throw std::invalid_argument("metrics: histogram '" + std::string(name) + "' registered with other buckets");
    return state_->series_of<histogram>(f, name, std::move(key),
                                        [&bounds] { return std::make_unique<histogram>(bounds); });
}

void registry::add_callback_gauge(std::string_view name, std::string_view help, std::function<double()> read,
                                  const labels& l) {
    check_metric_name(name);
    if (!read) throw std::invalid_argument("metrics: callback gauge '" + std::string(name) + "' has no callback");
    auto key = canonical_labels(l, kind::gauge);
    std::lock_guard lock(state_->mutex);
    auto& f = state_->family_for(name, help, kind::gauge);
    auto it = f.series.find(key);
    if (it == f.series.end())
        f.series.emplace(std::move(key), std::move(read));
    else if (auto* existing = std::get_if<std::function<double()>>(&it->second))
        *existing = std::move(read);
    else
        throw std::invalid_argument("metrics: '" + std::string(name) + "' has a plain gauge with these labels");
}

std::string registry::render() const {
    std::string out;
    std::lock_guard lock(state_->mutex);
    for (const auto& [name, f] : state_->families)
        render_family(out, name, f);
    return out;
}

std::vector<double> latency_buckets_s() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    // Below 2^53 every integer is exact: print it whole, never as 1e+06.
    constexpr double exact_integer_limit = 9007199254740992.0;
    if (std::trunc(v) == v && std::fabs(v) < exact_integer_limit) {
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
        return std::string(buf, r.ptr);
    }
    // Shortest form that reads back as the same double; Go's ParseFloat accepts its exponents.
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

}  // namespace gisa::core::metrics
