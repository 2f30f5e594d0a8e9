// Frontier claims per second, the WAL a claim writes, and autovacuum under the frontier's constant updates (issue #14,
// point 6).
//
// Builds a frontier of --urls URLs over --hosts hosts in a fresh database, then runs K workers (each its
// own connection and owner) that loop: claim_due -> record_outcomes (fetched, due again at once) ->
// release_hosts. Per K: a phase that only claims and gives the hosts back (the URLs stay leased), and
// the full loop; each with claims/s, URLs/s, WAL per claim and per URL (by table, pg_walinspect), CPU
// of the bench and of the workers' backends, and what the backends waited on (pg_stat_activity).
// With --duration-s: one long run of the full loop instead, sampling pg_stat_user_tables every
// --sample-s seconds (dead tuples, autovacuums, sizes).
//   gisa_bench_claims --dsn DSN [--urls N] [--hosts N] [--workers 1,2,4] [--limit N] [--phase-s S]
//                     [--claim-only-s S] [--duration-s S] [--long-workers K] [--sample-s S]
// The WAL figures hold for the server's full_page_writes, which the output names: tools/pg starts it
// off on the command line, where ALTER SYSTEM cannot turn it on; a server started with it on adds a
// full-page image for the first change of every page after each checkpoint.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cpu_time.hpp"
#include "store/connection.hpp"
#include "store/db_error.hpp"
#include "store/frontier.hpp"
#include "store/migrations.hpp"

namespace {

using gisa::bench::backend_cpu_s;
using gisa::bench::process_cpu_s;

using namespace gisa;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view database_name = "bench_claims";
constexpr std::string_view worker_app_name = "gisa-claim-bench";
constexpr int enqueue_batch_urls = 5000;
constexpr auto wait_sample_period = std::chrono::milliseconds(100);
constexpr auto stats_flush_wait = std::chrono::milliseconds(1500);  // backends report at most once a second

struct bench_config {
    std::string dsn;
    int urls = 200'000;
    int hosts = 1000;
    std::vector<int> workers = {1, 2, 4};
    int limit = 64;  // claim_due's limit: URLs at most a claim
    int phase_s = 20;
    int claim_only_s = 10;
    int duration_s = 0;  // > 0: the long run instead of the phases
    int long_workers = 2;
    int sample_s = 30;
};

// --- the database ----------------------------------------------------------

std::string fresh_database(const bench_config& config) {
    store::connection admin = store::connection::open(config.dsn);
    admin.exec_script("DROP DATABASE IF EXISTS " + std::string(database_name) + " WITH (FORCE)");  // a fixed name
    admin.exec_script("CREATE DATABASE " + std::string(database_name));
    // The WAL of a short phase is read back with pg_walinspect: keep it past the checkpoints in between.
    // The long run's is only counted. The setting stays with the server's data: each run sets its own.
    admin.exec_script(config.duration_s > 0 ? "ALTER SYSTEM RESET wal_keep_size"
                                            : "ALTER SYSTEM SET wal_keep_size = '8GB'");
    admin.exec_script("SELECT pg_reload_conf()");
    const std::string dsn = config.dsn + " dbname=" + std::string(database_name);
    store::connection conn = store::connection::open(dsn);
    store::apply_migrations(conn);
    conn.exec_script("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    return dsn;
}

std::string url_of(int n, int hosts) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "https://h%04d.bench.example/article/%07d", n % hosts, n);
    return buffer;
}

// One source, and --urls article URLs spread round robin over --hosts hosts, all due now.
void build_frontier(const std::string& dsn, const bench_config& config) {
    store::connection conn = store::connection::open(dsn);
    store::source_spec source;
    source.name = "bench";
    source.settings_json = "{}";
    const std::int64_t source_id = store::sync_sources(conn, {source}).ids.front().second;
    const auto start = clock_type::now();
    for (int first = 0; first < config.urls; first += enqueue_batch_urls) {
        std::vector<store::discovered_url> batch;
        for (int n = first; n < std::min(config.urls, first + enqueue_batch_urls); ++n)
            batch.push_back({url_of(n, config.hosts), source_id, store::url_kind::article, 0});
        store::enqueue(conn, batch);
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    std::printf("frontier: %d URLs over %d hosts enqueued in %.1f s (%.0f URLs/s, batches of %d)\n", config.urls,
                config.hosts, seconds, config.urls / seconds, enqueue_batch_urls);
    conn.exec_script("VACUUM ANALYZE");
}

// Leases left by a claim-only phase are cleared, untimed, so the next phase starts from a due frontier.
void reset_frontier(const std::string& dsn) {
    store::connection conn = store::connection::open(dsn);
    conn.exec_script(
        "UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL;"
        "UPDATE hosts SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL;"
        "DELETE FROM crawlers;");
    conn.exec_script("VACUUM ANALYZE urls, hosts, crawlers");
}

// name=setting, for the settings a figure depends on.
std::string server_settings(store::connection& conn, const std::string& names) {
    return std::string(conn.exec("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings "
                                 "WHERE name = ANY(string_to_array($1, ','))",
                                 {names})
                           .get(0, 0));
}

long long wal_position(store::connection& conn) {
    return conn.exec("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").get_int(0, 0);
}

// WAL between two positions by the table its records touch (an index counts for its table).
struct wal_share {
    std::string table;
    long long bytes = 0;
    long long fpi_bytes = 0;
    long long records = 0;
};

std::vector<wal_share> wal_by_table(store::connection& conn, long long from, long long to) {
    // pg_walinspect reads only flushed WAL, and the server commits asynchronously (tools/pg): a
    // synchronous commit flushes everything before it.
    conn.exec_script(
        "SET synchronous_commit = on; CREATE TABLE IF NOT EXISTS wal_flush_probe (x int);"
        "INSERT INTO wal_flush_probe VALUES (1)");
    const store::result r = conn.exec(R"(
        WITH w AS (
            SELECT record_length, fpi_length, substring(block_ref FROM 'rel \d+/\d+/(\d+)')::oid AS node
            FROM pg_get_wal_records_info('0/0'::pg_lsn + $1::numeric, '0/0'::pg_lsn + $2::numeric)),
        rel AS (
            SELECT c.relfilenode AS node, coalesce(t.relname, c.relname) AS tab
            FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
            WHERE c.relfilenode <> 0)
        SELECT coalesce(rel.tab::text, CASE WHEN w.node IS NULL THEN '(no relation: commits)' ELSE '(other)' END),
               sum(record_length)::int8, sum(fpi_length)::int8, count(*)
        FROM w LEFT JOIN rel USING (node) GROUP BY 1 ORDER BY 2 DESC)",
                                      {std::to_string(from), std::to_string(to)});
    std::vector<wal_share> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({std::string(r.get(i, 0)), r.get_int(i, 1), r.get_int(i, 2), r.get_int(i, 3)});
    return out;
}

// Updates and autovacuums of the frontier's tables, to tell a phase's HOT updates from the others.
struct table_counts {
    long long updates = 0, hot = 0, autovacuums = 0;
};
using frontier_counts = std::map<std::string, table_counts>;

frontier_counts frontier_stats(store::connection& conn) {
    const store::result r = conn.exec(
        "SELECT relname, n_tup_upd, n_tup_hot_upd, autovacuum_count FROM pg_stat_user_tables "
        "WHERE relname IN ('urls', 'hosts')");
    frontier_counts out;
    for (int i = 0; i < r.rows(); ++i)
        out[std::string(r.get(i, 0))] = {r.get_int(i, 1), r.get_int(i, 2), r.get_int(i, 3)};
    return out;
}

// --- CPU -------------------------------------------------------------------

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// --- the workers -----------------------------------------------------------

enum class loop_kind { claim_only, full };

struct counters {
    std::atomic<long long> claims{0};  // claim transactions
    std::atomic<long long> urls{0};    // URLs claimed
    std::atomic<long long> empty{0};   // claims that got no URL
    std::atomic<long long> errors{0};
    std::atomic<long long> claim_ns{0}, record_ns{0}, release_ns{0};
};

long long nanoseconds_since(clock_type::time_point start) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - start).count();
}

// One round: a claim, then (full loop) the outcomes of every URL claimed, then the hosts given back.
void one_round(store::connection& conn, const store::claim_request& request, loop_kind kind, counters& c) {
    auto t = clock_type::now();
    const store::claim_answer answer = store::claim_due(conn, request);
    c.claim_ns += nanoseconds_since(t);
    c.claims += 1;
    c.urls += static_cast<long long>(answer.urls.size());
    if (answer.urls.empty()) c.empty += 1;
    if (kind == loop_kind::full && !answer.urls.empty()) {
        std::vector<store::fetch_outcome> outcomes;
        const auto now = std::chrono::system_clock::now();
        for (const store::claimed_url& u : answer.urls)
            outcomes.push_back({u.url, store::fetch_outcome::what::fetched, 200, std::nullopt, now, now});
        t = clock_type::now();
        store::record_outcomes(conn, request.owner, outcomes);
        c.record_ns += nanoseconds_since(t);
    }
    std::vector<store::host_release> hosts;
    for (const store::host_grant& g : answer.hosts)
        hosts.push_back({g.host, std::chrono::milliseconds(0)});
    t = clock_type::now();
    store::release_hosts(conn, request.owner, hosts);
    c.release_ns += nanoseconds_since(t);
}

void work(store::connection conn, std::string owner, loop_kind kind, int limit, const std::atomic<bool>& stop,
          counters& c) {
    store::claim_request request;
    request.owner = std::move(owner);
    request.limit = limit;
    while (!stop.load()) {
        try {
            one_round(conn, request, kind, c);
        } catch (const store::db_error& e) {
            if (c.errors++ < 5) std::fprintf(stderr, "claim bench: %s: %s\n", request.owner.c_str(), e.what());
            if (!conn.healthy()) return;
        }
    }
    try {
        store::leave_frontier(conn, request.owner, std::chrono::milliseconds(0));
    } catch (const store::db_error& e) {
        std::fprintf(stderr, "claim bench: leaving: %s\n", e.what());
    }
}

// What the workers' backends were doing, sampled from pg_stat_activity while a phase runs.
class wait_sampler {
  public:
    explicit wait_sampler(const std::string& dsn) : conn_(store::connection::open(dsn)) {}

    void start() {
        thread_ = std::thread([this] {
            while (!stop_.load()) {
                sample();
                std::this_thread::sleep_for(wait_sample_period);
            }
        });
    }
    std::map<std::string, long long> finish() {
        stop_ = true;
        thread_.join();
        return tally_;
    }

  private:
    void sample() {
        const store::result r = conn_.exec(
            "SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ': ' || wait_event, 'on CPU') "
            "WHEN state = 'idle in transaction' THEN 'idle in transaction (the client has the turn)' "
            "ELSE coalesce(state, '?') || ' (between transactions)' END FROM pg_stat_activity "
            "WHERE application_name = $1",
            {std::string(worker_app_name)});
        for (int i = 0; i < r.rows(); ++i)
            tally_[std::string(r.get(i, 0))] += 1;
    }

    store::connection conn_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::map<std::string, long long> tally_;
};

// K workers on their own connections until `stop`; `during` runs on the calling thread meanwhile.
struct phase_result {
    double wall_s = 0;
    double client_cpu_s = 0;
    double server_cpu_s = 0;  // the workers' backends
    long long claims = 0, urls = 0, empty = 0, errors = 0;
    double claim_ms = 0, record_ms = 0, release_ms = 0;  // mean per call
    long long wal_from = 0, wal_to = 0;
    std::map<std::string, long long> waits;
    frontier_counts tables_from, tables_to;
};

template <typename During>
phase_result run_workers(const std::string& dsn, int k, loop_kind kind, int limit, During during) {
    std::vector<store::connection> conns;
    std::vector<int> pids;
    for (int i = 0; i < k; ++i) {
        conns.push_back(store::connection::open(dsn + " application_name=" + std::string(worker_app_name)));
        pids.push_back(conns.back().backend_pid());
    }
    store::connection probe = store::connection::open(dsn);
    wait_sampler waits(dsn);
    counters c;
    std::atomic<bool> stop{false};
    const auto server_cpu = [&] {
        double s = 0;
        for (int pid : pids)
            s += backend_cpu_s(pid);
        return s;
    };
    phase_result r;
    r.wal_from = wal_position(probe);
    r.tables_from = frontier_stats(probe);
    const double client0 = process_cpu_s(), server0 = server_cpu();
    const auto t0 = clock_type::now();
    waits.start();
    std::vector<std::thread> threads;
    for (int i = 0; i < k; ++i)
        threads.emplace_back(work, std::move(conns[static_cast<std::size_t>(i)]),
                             "bench-" + std::to_string(k) + "-" + std::to_string(i), kind, limit, std::cref(stop),
                             std::ref(c));
    during(c);
    stop = true;
    const double server1 = server_cpu();  // before the backends exit with their connections
    for (std::thread& t : threads)
        t.join();
    r.wall_s = std::chrono::duration<double>(clock_type::now() - t0).count();
    r.client_cpu_s = process_cpu_s() - client0;
    r.server_cpu_s = server1 - server0;
    r.wal_to = wal_position(probe);
    std::this_thread::sleep_for(stats_flush_wait);  // the backends' last statistics
    r.tables_to = frontier_stats(probe);
    r.waits = waits.finish();
    r.claims = c.claims, r.urls = c.urls, r.empty = c.empty, r.errors = c.errors;
    const auto mean_ms = [](long long ns, long long n) { return n > 0 ? static_cast<double>(ns) / 1e6 / n : 0; };
    r.claim_ms = mean_ms(c.claim_ns, c.claims);
    r.record_ms = mean_ms(c.record_ns, c.claims - c.empty);
    r.release_ms = mean_ms(c.release_ns, c.claims);
    return r;
}

// --- the phases ------------------------------------------------------------

void print_waits(const phase_result& r) {
    long long total = 0;
    for (const auto& [what, n] : r.waits)
        total += n;
    std::vector<std::pair<long long, std::string>> sorted;
    for (const auto& [what, n] : r.waits)
        sorted.emplace_back(n, what);
    std::sort(sorted.rbegin(), sorted.rend());
    std::printf("    the workers' backends (pg_stat_activity every %lld ms, %lld samples):",
                static_cast<long long>(wait_sample_period.count()), total);
    for (std::size_t i = 0; i < sorted.size() && i < 6; ++i)
        std::printf("%s %s %.0f%%", i == 0 ? "" : ",", sorted[i].second.c_str(), 100.0 * sorted[i].first / total);
    std::printf("\n");
}

void print_wal(store::connection& conn, const phase_result& r) {
    const long long bytes = r.wal_to - r.wal_from;
    const double claims = static_cast<double>(std::max(1LL, r.claims));
    const double urls = static_cast<double>(std::max(1LL, r.urls));
    std::printf("    WAL %.1f MB: %.0f bytes per claim, %.0f bytes per URL claimed\n", bytes / 1e6, bytes / claims,
                bytes / urls);
    std::printf("     by table (bytes per URL, of which full-page images):");
    for (const wal_share& s : wal_by_table(conn, r.wal_from, r.wal_to))
        std::printf(" %s %.0f (%.0f)", s.table.c_str(), s.bytes / urls, s.fpi_bytes / urls);
    std::printf("\n");
}

void print_phase(const char* what, int k, const phase_result& r, store::connection& conn) {
    std::printf(
        "  K=%d %s: %.0f claims/s, %.0f URLs/s (%lld claims, %lld URLs, %.1f URLs a claim, %lld empty, %lld "
        "errors, %.1f s)\n",
        k, what, r.claims / r.wall_s, r.urls / r.wall_s, r.claims, r.urls,
        static_cast<double>(r.urls) / std::max(1LL, r.claims), r.empty, r.errors, r.wall_s);
    std::printf("    per call (ms, wall, mean): claim_due %.2f, record_outcomes %.2f, release_hosts %.2f\n", r.claim_ms,
                r.record_ms, r.release_ms);
    std::printf(
        "    CPU s: bench %.1f, the workers' backends %.1f (%.0f%% of 2 cores); %.0f us of backend CPU a claim\n",
        r.client_cpu_s, r.server_cpu_s, 50 * (r.client_cpu_s + r.server_cpu_s) / r.wall_s,
        1e6 * r.server_cpu_s / std::max(1LL, r.claims));
    print_wal(conn, r);
    std::printf("    updates:");
    for (const auto& [table, to] : r.tables_to) {
        const table_counts& from = r.tables_from.at(table);
        const long long updates = to.updates - from.updates;
        std::printf(" %s %lld (%.2f a URL, %.0f%% HOT, %lld autovacuums);", table.c_str(), updates,
                    static_cast<double>(updates) / std::max(1LL, r.urls),
                    100.0 * (to.hot - from.hot) / std::max(1LL, updates), to.autovacuums - from.autovacuums);
    }
    std::printf("\n");
    print_waits(r);
}

phase_result timed_phase(const std::string& dsn, int k, loop_kind kind, int limit, int seconds) {
    return run_workers(dsn, k, kind, limit,
                       [&](counters&) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); });
}

void run_phases(const std::string& dsn, const bench_config& config) {
    store::connection conn = store::connection::open(dsn);
    std::vector<std::pair<int, phase_result>> full;
    std::printf("server: %s\n",
                server_settings(conn, "full_page_writes,synchronous_commit,fsync,wal_level,shared_buffers").c_str());
    for (const int k : config.workers) {
        std::printf("\nK=%d workers (load average %s)\n", k, load_average().c_str());
        const phase_result claim_only = timed_phase(dsn, k, loop_kind::claim_only, config.limit, config.claim_only_s);
        print_phase("claim + release_hosts only (the URLs stay leased)", k, claim_only, conn);
        reset_frontier(dsn);
        const phase_result r = timed_phase(dsn, k, loop_kind::full, config.limit, config.phase_s);
        print_phase("claim -> record_outcomes -> release_hosts", k, r, conn);
        conn.exec_script("VACUUM ANALYZE urls, hosts, crawlers");
        full.emplace_back(k, r);
    }
    std::printf("\nfull loop, against K=%d:", full.front().first);
    const phase_result& base = full.front().second;
    for (const auto& [k, r] : full)
        std::printf(" K=%d %.0f claims/s, %.0f URLs/s = %.2f x;", k, r.claims / r.wall_s, r.urls / r.wall_s,
                    (r.urls / r.wall_s) / (base.urls / base.wall_s));
    std::printf("\n");
}

// --- the long run: autovacuum ----------------------------------------------

void print_tables(store::connection& conn, const char* indent) {
    const store::result r = conn.exec(R"(
        SELECT relname, n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd, autovacuum_count,
               coalesce(to_char(last_autovacuum, 'HH24:MI:SS'), '-'), pg_relation_size(relid),
               pg_indexes_size(relid), pg_total_relation_size(relid)
        FROM pg_stat_user_tables WHERE relname IN ('urls', 'hosts', 'crawlers') ORDER BY relname DESC)");
    for (int i = 0; i < r.rows(); ++i)
        std::printf(
            "%s%-8s live %7lld dead %7lld | updates %9lld (%.0f%% HOT) | autovacuums %2lld, last %s | heap %.1f "
            "MB, indexes %.1f MB, total %.1f MB\n",
            indent, std::string(r.get(i, 0)).c_str(), r.get_int(i, 1), r.get_int(i, 2), r.get_int(i, 3),
            100.0 * r.get_int(i, 4) / std::max(1LL, r.get_int(i, 3)), r.get_int(i, 5), std::string(r.get(i, 6)).c_str(),
            r.get_int(i, 7) / 1e6, r.get_int(i, 8) / 1e6, r.get_int(i, 9) / 1e6);
}

void run_long(const std::string& dsn, const bench_config& config) {
    store::connection conn = store::connection::open(dsn);
    std::printf(
        "\nlong run: K=%d workers, full loop, %d s, sampled every %d s\n  server: %s\n", config.long_workers,
        config.duration_s, config.sample_s,
        server_settings(conn,
                        "autovacuum,autovacuum_naptime,autovacuum_vacuum_scale_factor,autovacuum_vacuum_threshold,"
                        "autovacuum_vacuum_cost_limit,autovacuum_vacuum_cost_delay,full_page_writes,"
                        "checkpoint_timeout,max_wal_size,shared_buffers")
            .c_str());
    std::printf("  at start (load average %s):\n", load_average().c_str());
    print_tables(conn, "    ");
    const phase_result r = run_workers(dsn, config.long_workers, loop_kind::full, config.limit, [&](counters& c) {
        const auto t0 = clock_type::now();
        long long claims0 = 0, urls0 = 0;
        for (int t = config.sample_s; t <= config.duration_s; t += config.sample_s) {
            std::this_thread::sleep_until(t0 + std::chrono::seconds(t));
            const long long claims = c.claims, urls = c.urls;
            std::printf("  %4d s: %.0f claims/s, %.0f URLs/s over the last %d s (load average %s)\n", t,
                        static_cast<double>(claims - claims0) / config.sample_s,
                        static_cast<double>(urls - urls0) / config.sample_s, config.sample_s, load_average().c_str());
            print_tables(conn, "          ");
            std::fflush(stdout);
            claims0 = claims, urls0 = urls;
        }
    });
    std::printf(
        "  whole run: %.0f claims/s, %.0f URLs/s (%lld claims, %lld URLs, %lld errors, %.0f s); CPU s: bench "
        "%.1f, the workers' backends %.1f\n",
        r.claims / r.wall_s, r.urls / r.wall_s, r.claims, r.urls, r.errors, r.wall_s, r.client_cpu_s, r.server_cpu_s);
    const long long bytes = r.wal_to - r.wal_from;
    std::printf("  WAL %.1f MB (autovacuum's included): %.0f bytes per claim, %.0f bytes per URL\n", bytes / 1e6,
                static_cast<double>(bytes) / std::max(1LL, r.claims),
                static_cast<double>(bytes) / std::max(1LL, r.urls));
    print_waits(r);
    std::printf("  at the end:\n");
    print_tables(conn, "    ");
}

// --- options ---------------------------------------------------------------

std::vector<int> int_list(const std::string& text) {
    std::vector<int> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t comma = std::min(text.find(',', from), text.size());
        out.push_back(std::stoi(text.substr(from, comma - from)));
        from = comma + 1;
    }
    return out;
}

bench_config parse(int argc, char** argv) {
    bench_config config;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
        const std::string value = argv[i + 1];
        if (flag == "--dsn")
            config.dsn = value;
        else if (flag == "--urls")
            config.urls = std::stoi(value);
        else if (flag == "--hosts")
            config.hosts = std::stoi(value);
        else if (flag == "--workers")
            config.workers = int_list(value);
        else if (flag == "--limit")
            config.limit = std::stoi(value);
        else if (flag == "--phase-s")
            config.phase_s = std::stoi(value);
        else if (flag == "--claim-only-s")
            config.claim_only_s = std::stoi(value);
        else if (flag == "--duration-s")
            config.duration_s = std::stoi(value);
        else if (flag == "--long-workers")
            config.long_workers = std::stoi(value);
        else if (flag == "--sample-s")
            config.sample_s = std::stoi(value);
        else
            throw std::invalid_argument("unknown option " + std::string(flag) + " " + value);
    }
    if (config.urls < 1 || config.hosts < 1 || config.workers.empty() || config.limit < 1 || config.sample_s < 1)
        throw std::invalid_argument("--urls, --hosts, --workers, --limit and --sample-s must be positive");
    return config;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const bench_config config = parse(argc, argv);
        std::printf("gisa claim benchmark: %u cores on this machine, load average %s; claim limit %d URLs\n",
                    std::thread::hardware_concurrency(), load_average().c_str(), config.limit);
        const std::string dsn = fresh_database(config);
        build_frontier(dsn, config);
        if (config.duration_s > 0)
            run_long(dsn, config);
        else
            run_phases(dsn, config);
        std::printf("load average at the end: %s\n", load_average().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gisa_bench_claims: %s\n", e.what());
        return 1;
    }
}
