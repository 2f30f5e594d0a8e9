// Reading `gisa status` from the database: a few grouped statements in one read-only snapshot.
#include "store/status.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "store/db_error.hpp"
#include "store/migrations.hpp"
#include "store/page_batch.hpp"
#include "store/store.hpp"

namespace gisa::store {

namespace {

constexpr std::string_view has_schema_table = "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr std::string_view schema_version = "SELECT coalesce(max(version), 0) FROM schema_migrations";

// REPEATABLE READ: every statement sees the same snapshot and the same now() while the daemon writes.
constexpr std::string_view begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// Timestamps travel as microseconds since the Unix epoch, (extract(epoch FROM t) * 1000000)::int8;
// NULL stays NULL, and 'infinity', which has none, is told apart first.
constexpr std::string_view database_now = "SELECT (extract(epoch FROM now()) * 1000000)::int8";

// One pass over the frontier, grouped by source. Claimable is the claim query's test (frontier.cpp):
// new or fetched, without a live lease; a disabled source has nothing due, whatever its rows say.
constexpr std::string_view url_counts_by_source = R"(
SELECT id, name, enabled, interval_s, known, due, in_flight, fetched, failing, failed, gone,
       (extract(epoch FROM last_success) * 1000000)::int8,
       CASE WHEN isfinite(next_due) THEN (extract(epoch FROM next_due) * 1000000)::int8 END,
       next_due = 'infinity'
FROM (SELECT s.id, s.name, s.enabled, extract(epoch FROM s.recrawl_interval)::int8 AS interval_s,
             count(u.url) AS known,
             count(*) FILTER (WHERE s.enabled AND u.state IN ('new', 'fetched') AND u.next_fetch_at <= now()
                                AND (u.lease_expires_at IS NULL OR u.lease_expires_at < now())) AS due,
             count(*) FILTER (WHERE u.lease_expires_at >= now()) AS in_flight,
             count(*) FILTER (WHERE u.state = 'fetched') AS fetched,
             count(*) FILTER (WHERE u.attempts > 0 AND u.state IN ('new', 'fetched')) AS failing,
             count(*) FILTER (WHERE u.state = 'failed') AS failed,
             count(*) FILTER (WHERE u.state = 'gone') AS gone,
             max(u.fetched_at) AS last_success,
             min(u.next_fetch_at) FILTER (WHERE s.enabled AND u.state IN ('new', 'fetched')
                                            AND (u.lease_expires_at IS NULL OR u.lease_expires_at < now()))
                 AS next_due
      FROM sources s LEFT JOIN urls u ON u.source_id = s.id
      GROUP BY s.id) AS g
ORDER BY name)";

// Live leases by source and owner; a leased URL that left its source still shows its owner.
constexpr std::string_view live_leases = R"(
SELECT source_id, lease_owner, count(*), (extract(epoch FROM max(lease_expires_at)) * 1000000)::int8
FROM urls WHERE lease_expires_at >= now() AND lease_owner IS NOT NULL
GROUP BY source_id, lease_owner
ORDER BY lease_owner, source_id)";

constexpr std::string_view crawl_instances = R"(
SELECT c.owner, (extract(epoch FROM c.started_at) * 1000000)::int8, (extract(epoch FROM c.seen_at) * 1000000)::int8,
       (SELECT count(*) FROM hosts h WHERE h.lease_owner = c.owner AND h.lease_expires_at >= now())
FROM crawlers c ORDER BY c.owner)";
constexpr int instances_schema_version = 5;

// The schema keeps no time of a URL's last failure, so "most recent" cannot be told: the URLs tried
// most often come first, which is also what an operator looks at first.
constexpr std::string_view errors_by_source = R"(
SELECT source_id, url, state, attempts, coalesce(last_status, 0), coalesce(last_error, '')
FROM (SELECT u.source_id, u.url, u.state, u.attempts, u.last_status, u.last_error,
             row_number() OVER (PARTITION BY u.source_id ORDER BY u.attempts DESC, u.url) AS n
      FROM urls u
      WHERE u.source_id IS NOT NULL
        AND (u.state = 'failed' OR (u.attempts > 0 AND u.state IN ('new', 'fetched')))) AS e
WHERE n <= $1::int4
ORDER BY source_id, n)";

// Rows stored lately, by source, in stored_counts' order: new by first_seen; changed, a row stored
// before whose content changed in the window. first_seen <= last_changed, so the day's filter is on
// last_changed alone (no index has either: a scan of the day's rows is the price).
//
// An article belongs to the source whose frontier row has its URL. (An article stored under the
// URL a redirect ended at has no such row and counts for no source.)
constexpr std::string_view articles_by_source = R"(
SELECT u.source_id,
       count(*) FILTER (WHERE t.first_seen >= now() - interval '1 hour'),
       count(*) FILTER (WHERE t.first_seen >= now() - interval '1 day'),
       count(*) FILTER (WHERE t.last_changed > t.first_seen AND t.last_changed >= now() - interval '1 hour'),
       count(*) FILTER (WHERE t.last_changed > t.first_seen)
FROM articles t JOIN urls u ON u.url = t.url
WHERE t.last_changed >= now() - interval '1 day' AND u.source_id IS NOT NULL
GROUP BY u.source_id)";

constexpr std::string_view list_urls = R"(
SELECT source_id, url FROM urls WHERE source_id IS NOT NULL AND kind IN ('start', 'list'))";

// $1 source ids and $2 board keys, in step.
constexpr std::string_view board_rows_by_source = R"(
SELECT k.source_id,
       count(*) FILTER (WHERE t.first_seen >= now() - interval '1 hour'),
       count(*) FILTER (WHERE t.first_seen >= now() - interval '1 day'),
       count(*) FILTER (WHERE t.last_changed > t.first_seen AND t.last_changed >= now() - interval '1 hour'),
       count(*) FILTER (WHERE t.last_changed > t.first_seen)
FROM unnest($1::int8[], $2::text[]) AS k(source_id, board)
JOIN board_rows t ON t.board_url = k.board AND t.last_changed >= now() - interval '1 day'
GROUP BY k.source_id)";

using source_index = std::unordered_map<std::int64_t, std::size_t>;

status_time micros_to_time(long long micros) {
    return status_time(std::chrono::duration_cast<status_time::duration>(std::chrono::microseconds(micros)));
}

std::optional<status_time> time_cell(const result& rows, int row, int column) {
    if (rows.is_null(row, column)) return std::nullopt;
    return micros_to_time(rows.get_int(row, column));
}

// The schema version, or db_error when it is older than what these statements read.
int checked_schema_version(connection& conn) {
    const int needed = status_min_schema_version;
    const int version =
        conn.exec(has_schema_table).get(0, 0) == "t" ? static_cast<int>(conn.exec(schema_version).get_int(0, 0)) : 0;
    if (version == 0) throw db_error(classify_sqlstate("", "the database has no gisa schema yet: run gisa migrate"));
    if (version < needed)
        throw db_error(classify_sqlstate("", "the schema is at version " + std::to_string(version) +
                                                 " and gisa status needs " + std::to_string(needed) +
                                                 ": run gisa migrate"));
    return version;
}

source_status source_row(const result& rows, int r) {
    source_status s;
    s.id = rows.get_int(r, 0);
    s.name = std::string(rows.get(r, 1));
    s.enabled = rows.get(r, 2) == "t";
    s.interval = std::chrono::seconds(rows.get_int(r, 3));
    url_counts& u = s.urls;
    u.known = rows.get_int(r, 4);
    u.due = rows.get_int(r, 5);
    u.in_flight = rows.get_int(r, 6);
    u.fetched = rows.get_int(r, 7);
    u.failing = rows.get_int(r, 8);
    u.failed = rows.get_int(r, 9);
    u.gone = rows.get_int(r, 10);
    s.last_success = time_cell(rows, r, 11);
    if (rows.get(r, 13) == "t")
        s.next_due = due_never;
    else
        s.next_due = time_cell(rows, r, 12);
    return s;
}

void read_sources(connection& conn, status_report& report, source_index& index) {
    const result rows = conn.exec(url_counts_by_source);
    for (int r = 0; r < rows.rows(); ++r) {
        report.sources.push_back(source_row(rows, r));
        index[report.sources.back().id] = report.sources.size() - 1;
    }
}

source_status* find(status_report& report, const source_index& index, const result& rows, int r) {
    if (rows.is_null(r, 0)) return nullptr;
    const auto at = index.find(rows.get_int(r, 0));
    return at == index.end() ? nullptr : &report.sources[at->second];
}

void read_leases(connection& conn, status_report& report, const source_index& index) {
    const result rows = conn.exec(live_leases);
    for (int r = 0; r < rows.rows(); ++r) {
        const std::string owner(rows.get(r, 1));
        const std::int64_t count = rows.get_int(r, 2);
        const status_time expires = micros_to_time(rows.get_int(r, 3));
        if (report.lease_holders.empty() || report.lease_holders.back().owner != owner)
            report.lease_holders.push_back({owner, 0, expires});
        lease_holder& holder = report.lease_holders.back();
        holder.leases += count;
        holder.expires = std::max(holder.expires, expires);
        if (source_status* s = find(report, index, rows, r)) s->lease_owners.push_back(owner);
    }
}

void read_errors(connection& conn, status_report& report, const source_index& index) {
    const result rows = conn.exec(errors_by_source, {std::to_string(max_errors_per_source)});
    for (int r = 0; r < rows.rows(); ++r) {
        source_status* s = find(report, index, rows, r);
        if (s == nullptr) continue;
        s->errors.push_back({std::string(rows.get(r, 1)), std::string(rows.get(r, 2)),
                             static_cast<int>(rows.get_int(r, 3)), static_cast<int>(rows.get_int(r, 4)),
                             std::string(rows.get(r, 5))});
    }
}

stored_counts stored_row(const result& rows, int r) {
    return {rows.get_int(r, 1), rows.get_int(r, 2), rows.get_int(r, 3), rows.get_int(r, 4)};
}

void read_articles(connection& conn, status_report& report, const source_index& index) {
    const result rows = conn.exec(articles_by_source);
    for (int r = 0; r < rows.rows(); ++r)
        if (source_status* s = find(report, index, rows, r)) s->articles = stored_row(rows, r);
}

// Board rows are keyed by their board (board_rows.board_url), the list page's URL without its
// paging parameters, which only board_key_of (C++) computes. So the sources' list URLs come here,
// their keys go back as an array, and the rows are counted by key: every row of the board counts,
// also those whose post URL the source never queued (notices, posts it does not follow), which a
// join of board_rows.url to urls.url would miss. A board listed by two sources counts for both.
void read_board_rows(connection& conn, status_report& report, const source_index& index) {
    const result lists = conn.exec(list_urls);
    std::set<std::pair<std::int64_t, std::string>> keys;
    for (int r = 0; r < lists.rows(); ++r)
        keys.emplace(lists.get_int(r, 0), board_key_of(std::string(lists.get(r, 1))));
    if (keys.empty()) return;
    std::vector<std::optional<std::string>> ids;
    std::vector<std::optional<std::string>> boards;
    for (const auto& [id, board] : keys) {
        ids.emplace_back(std::to_string(id));
        boards.emplace_back(board);
    }
    const result rows = conn.exec(board_rows_by_source, {array_literal(ids), array_literal(boards)});
    for (int r = 0; r < rows.rows(); ++r)
        if (source_status* s = find(report, index, rows, r)) s->board_rows = stored_row(rows, r);
}

void add(stored_counts& sum, const stored_counts& part) {
    sum.new_hour += part.new_hour;
    sum.new_day += part.new_day;
    sum.changed_hour += part.changed_hour;
    sum.changed_day += part.changed_day;
}

void add_totals(status_report& report) {
    for (const source_status& s : report.sources) {
        url_counts& t = report.totals;
        t.known += s.urls.known;
        t.due += s.urls.due;
        t.in_flight += s.urls.in_flight;
        t.fetched += s.urls.fetched;
        t.failing += s.urls.failing;
        t.failed += s.urls.failed;
        t.gone += s.urls.gone;
        add(report.article_totals, s.articles);
        add(report.board_row_totals, s.board_rows);
    }
}

void read_instances(connection& conn, status_report& report) {
    const result rows = conn.exec(crawl_instances);
    for (int r = 0; r < rows.rows(); ++r)
        report.instances.push_back({std::string(rows.get(r, 0)), micros_to_time(rows.get_int(r, 1)),
                                    micros_to_time(rows.get_int(r, 2)), rows.get_int(r, 3)});
}

status_report read_snapshot(connection& conn, int version) {
    status_report report;
    report.now = micros_to_time(conn.exec(database_now).get_int(0, 0));
    source_index index;
    read_sources(conn, report, index);
    read_leases(conn, report, index);
    read_errors(conn, report, index);
    read_articles(conn, report, index);
    read_board_rows(conn, report, index);
    if (version >= instances_schema_version) read_instances(conn, report);
    add_totals(report);
    return report;
}

}  // namespace

status_report read_status(connection& conn) {
    const int version = checked_schema_version(conn);
    return in_transaction(
        conn,
        [&] {
            status_report report = read_snapshot(conn, version);
            report.schema_version = version;
            report.schema_latest = embedded_migrations().empty() ? 0 : embedded_migrations().back().version;
            return report;
        },
        begin_snapshot);
}

}  // namespace gisa::store
