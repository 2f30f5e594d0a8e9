// `gisa status [--dsn DSN | --config FILE] [--json]`: per source, what the crawl knows, does and stored
// lately, from the database alone, so it works beside a running daemon (issue #13).
//
// The table is for a person at an 100-column terminal: one row per source with its counts, then a
// short block per source with its times (local, and relative to the database's clock), lease owners
// and errors. --json gives the same fields as one document, times in ISO 8601 UTC, for scripts.
//
// Exit codes (commands.hpp): exit_usage for an unreadable config file; exit_database when the
// database cannot be reached or its schema is older than gisa status reads; exit_ok otherwise.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "store/connection.hpp"
#include "store/db_error.hpp"
#include "store/dsn_source.hpp"
#include "store/status.hpp"

namespace gisa::app {

namespace {

using store::status_time;
using json = nlohmann::ordered_json;

// A long URL or error would wrap the details block: cut to this many bytes (at a UTF-8 boundary).
constexpr std::size_t max_url_bytes = 60;
constexpr std::size_t max_error_bytes = 70;

std::string cut(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U)
        --end;  // not inside a multi-byte character
    return text.substr(0, end) + "...";
}

std::string strftime_text(status_time when, const char* format, bool utc) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm parts{};
    if (utc)
        gmtime_r(&seconds, &parts);
    else
        localtime_r(&seconds, &parts);
    char text[64];
    const std::size_t n = std::strftime(text, sizeof text, format, &parts);
    return std::string(text, n);
}

std::string local_time(status_time when) {
    return strftime_text(when, "%Y-%m-%d %H:%M:%S", false);
}

std::string iso_utc(status_time when) {
    return strftime_text(when, "%Y-%m-%dT%H:%M:%SZ", true);
}

// "3 min", "2 h", "5 d": one unit, rounded down, enough to read at a glance.
std::string span_text(std::chrono::seconds span) {
    const long long s = span.count();
    if (s < 120) return std::to_string(s) + " s";
    if (s < 120 * 60) return std::to_string(s / 60) + " min";
    if (s < 48 * 3600) return std::to_string(s / 3600) + " h";
    return std::to_string(s / 86400) + " d";
}

std::string relative(status_time when, status_time now) {
    const auto span = std::chrono::duration_cast<std::chrono::seconds>(when - now);
    if (span.count() == 0) return "just now";
    return span.count() > 0 ? "in " + span_text(span) : span_text(-span) + " ago";
}

std::string when_text(status_time when, status_time now) {
    return local_time(when) + " (" + relative(when, now) + ")";
}

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (std::ptrdiff_t at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return n < 0 ? "-" + digits : digits;
}

std::string plural(std::int64_t n, const char* one, const char* many) {
    return grouped(n) + " " + (n == 1 ? one : many);
}

// Columns separated by two spaces; the first left-aligned, the others right-aligned.
void print_columns(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (width.size() <= c) width.push_back(0);
            width[c] = std::max(width[c], row[c].size());
        }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - row[c].size(), ' ');
            line += c == 0 ? row[c] + pad : "  " + pad + row[c];
        }
        std::printf("%s\n", line.c_str());
    }
}

std::vector<std::string> counts_row(std::string name, const store::url_counts& u, const store::stored_counts& a,
                                    const store::stored_counts& b) {
    return {std::move(name),
            grouped(u.known),
            grouped(u.due),
            grouped(u.in_flight),
            grouped(u.fetched),
            grouped(u.failing),
            grouped(u.failed),
            grouped(u.gone),
            grouped(a.new_hour) + " / " + grouped(a.new_day),
            grouped(b.new_hour) + " / " + grouped(b.new_day)};
}

void print_header(const store::status_report& r) {
    std::printf("gisa status at %s %s, schema version %d", local_time(r.now).c_str(),
                strftime_text(r.now, "%Z", false).c_str(), r.schema_version);
    if (r.schema_version < r.schema_latest) std::printf(" (this gisa has %d: run gisa migrate)", r.schema_latest);
    std::printf("\n");
    for (const store::crawl_instance& i : r.instances)
        std::printf("instance: %s, up since %s, last seen %s, holds %s\n", i.owner.c_str(),
                    local_time(i.started).c_str(), relative(i.seen, r.now).c_str(),
                    plural(i.hosts, "host", "hosts").c_str());
    if (r.lease_holders.empty()) std::printf("leases: none held (no daemon is fetching right now)\n");
    for (const store::lease_holder& h : r.lease_holders)
        std::printf("leases: %s holds %s until %s\n", h.owner.c_str(), plural(h.leases, "URL", "URLs").c_str(),
                    when_text(h.expires, r.now).c_str());
}

void print_table(const store::status_report& r) {
    std::vector<std::vector<std::string>> rows{{"SOURCE", "URLS", "DUE", "LEASED", "FETCHED", "FAILING", "FAILED",
                                                "GONE", "ARTICLES 1h/1d", "BOARD ROWS 1h/1d"}};
    for (const store::source_status& s : r.sources)
        rows.push_back(counts_row(s.enabled ? s.name : s.name + " (off)", s.urls, s.articles, s.board_rows));
    if (r.sources.size() > 1) rows.push_back(counts_row("total", r.totals, r.article_totals, r.board_row_totals));
    print_columns(rows);
}

std::string next_due_text(const store::source_status& s, status_time now) {
    if (!s.enabled) return "not crawled while disabled";
    if (!s.next_due) return "nothing to fetch";
    if (*s.next_due == store::due_never) return "never (every URL is done)";
    if (*s.next_due <= now)
        return "now (due since " + local_time(*s.next_due) + ", " + relative(*s.next_due, now) + ")";
    return when_text(*s.next_due, now);
}

std::string error_text(const store::url_error& e) {
    std::string text = cut(e.url, max_url_bytes) + "  ";
    if (e.http_status != 0) text += "HTTP " + std::to_string(e.http_status) + ", ";
    text += plural(e.attempts, "try", "tries");
    text += e.state == "failed" ? ", given up" : ", retried";
    if (!e.error.empty()) text += ": " + cut(e.error, max_error_bytes);
    return text;
}

void print_details(const store::source_status& s, status_time now) {
    std::printf("\n%s: %s, every %s\n", s.name.c_str(), s.enabled ? "enabled" : "disabled (not in the config)",
                span_text(s.interval).c_str());
    std::printf("  last success  %s\n", s.last_success ? when_text(*s.last_success, now).c_str() : "never");
    std::printf("  next due      %s\n", next_due_text(s, now).c_str());
    if (!s.lease_owners.empty()) {
        std::string owners;
        for (const std::string& owner : s.lease_owners)
            owners += (owners.empty() ? "" : ", ") + owner;
        std::printf("  leased to     %s\n", owners.c_str());
    }
    if (s.articles.changed_day + s.board_rows.changed_day > 0)
        std::printf("  changed       articles %s / %s, board rows %s / %s (1h / 1d)\n",
                    grouped(s.articles.changed_hour).c_str(), grouped(s.articles.changed_day).c_str(),
                    grouped(s.board_rows.changed_hour).c_str(), grouped(s.board_rows.changed_day).c_str());
    for (const store::url_error& e : s.errors)
        std::printf("  error         %s\n", error_text(e).c_str());
}

void print_text(const store::status_report& r) {
    print_header(r);
    if (r.sources.empty()) {
        std::printf(
            "\nNo sources yet. Add a [[source]] table to the config file and start `gisa run`:\n"
            "the daemon adds its sources to the database when it starts.\n");
        return;
    }
    std::printf("\n");
    print_table(r);
    for (const store::source_status& s : r.sources)
        print_details(s, r.now);
}

json time_json(const std::optional<status_time>& when) {
    if (!when) return nullptr;
    if (*when == store::due_never) return "infinity";  // PostgreSQL's word for it
    return iso_utc(*when);
}

json urls_json(const store::url_counts& u) {
    return {{"known", u.known},     {"due", u.due},         {"in_flight", u.in_flight},
            {"fetched", u.fetched}, {"failing", u.failing}, {"failed", u.failed},
            {"gone", u.gone}};
}

json stored_json(const store::stored_counts& c) {
    return {{"new_last_hour", c.new_hour},
            {"new_last_day", c.new_day},
            {"changed_last_hour", c.changed_hour},
            {"changed_last_day", c.changed_day}};
}

json source_json(const store::source_status& s) {
    json errors = json::array();
    for (const store::url_error& e : s.errors)
        errors.push_back({{"url", e.url},
                          {"state", e.state},
                          {"attempts", e.attempts},
                          {"http_status", e.http_status == 0 ? json(nullptr) : json(e.http_status)},
                          {"error", e.error}});
    return {{"name", s.name},
            {"enabled", s.enabled},
            {"interval_s", s.interval.count()},
            {"urls", urls_json(s.urls)},
            {"lease_owners", s.lease_owners},
            {"last_success", time_json(s.last_success)},
            {"next_due", time_json(s.next_due)},
            {"articles", stored_json(s.articles)},
            {"board_rows", stored_json(s.board_rows)},
            {"errors", std::move(errors)}};
}

void print_json(const store::status_report& r) {
    json instances = json::array();
    for (const store::crawl_instance& i : r.instances)
        instances.push_back(
            {{"owner", i.owner}, {"started", iso_utc(i.started)}, {"seen", iso_utc(i.seen)}, {"hosts", i.hosts}});
    json leases = json::array();
    for (const store::lease_holder& h : r.lease_holders)
        leases.push_back({{"owner", h.owner}, {"leases", h.leases}, {"until", iso_utc(h.expires)}});
    json sources = json::array();
    for (const store::source_status& s : r.sources)
        sources.push_back(source_json(s));
    const json doc{{"now", iso_utc(r.now)},
                   {"schema_version", r.schema_version},
                   {"schema_latest", r.schema_latest},
                   {"instances", std::move(instances)},
                   {"lease_holders", std::move(leases)},
                   {"sources", std::move(sources)},
                   {"totals",
                    {{"urls", urls_json(r.totals)},
                     {"articles", stored_json(r.article_totals)},
                     {"board_rows", stored_json(r.board_row_totals)}}}};
    const std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace);
    std::printf("%s\n", text.c_str());
}

}  // namespace

int run_status(const status_options& options) {
    store::dsn_choice target;
    try {
        target = store::resolve_dsn(options.dsn, options.config);
    } catch (const store::config_error& failure) {
        std::fprintf(stderr, "gisa status: %s\n", failure.what());
        return exit_usage;
    }
    try {
        store::connection conn = store::connection::open(target.dsn);
        const store::status_report report = store::read_status(conn);
        if (options.json)
            print_json(report);
        else
            print_text(report);
        return exit_ok;
    } catch (const store::db_error& failure) {
        std::fprintf(stderr, "gisa status: %s (database from %s)\n", failure.what(), target.origin.c_str());
        return exit_database;
    }
}

}  // namespace gisa::app
