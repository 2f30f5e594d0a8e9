// Applying the embedded migrations: lock, compare with schema_migrations, apply the rest.
#include "store/migrations.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "store/connection.hpp"
#include "store/content_hash.hpp"
#include "store/db_error.hpp"

namespace gisa::store {

namespace {

// pg_advisory_xact_lock key held while migrating ("gisa" in ASCII), in the one-key
// space; the upserts lock in the two-key space, so they never collide with it.
constexpr long long migration_lock_key = 0x67697361;

constexpr std::string_view create_table_sql = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
))";

std::string checksum(const migration& m) {
    return to_hex(content_hasher().add_raw(m.sql).finish());
}

std::map<int, std::string> recorded(connection& conn) {
    std::map<int, std::string> found;
    const result rows = conn.exec("SELECT version, checksum FROM schema_migrations");
    for (int r = 0; r < rows.rows(); ++r)
        found[static_cast<int>(rows.get_int(r, 0))] = std::string(rows.get(r, 1));
    return found;
}

void apply_one(connection& conn, const migration& m) {
    try {
        conn.exec_script(m.sql);
        conn.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1::int4, $2, $3)",
                  {std::to_string(m.version), std::string(m.name), checksum(m)});
    } catch (const db_error& failure) {
        db_error_info info = failure.info();
        info.error.message = "migration " + std::string(m.name) + " failed: " + info.error.message;
        throw db_error(std::move(info));
    }
}

}  // namespace

migrate_report apply_migrations(connection& conn) {
    return apply_migrations(conn, embedded_migrations());
}

migrate_report apply_migrations(connection& conn, const std::vector<migration>& all) {
    std::vector<migration> ordered = all;
    std::sort(ordered.begin(), ordered.end(),
              [](const migration& a, const migration& b) { return a.version < b.version; });
    // One transaction under a transaction-scoped lock: a second migrator waits for the first to
    // commit, then finds everything applied; a failed migration takes the ones before it back with
    // it; and nothing outlives the transaction, so it works through PgBouncer in transaction
    // pooling mode too (a session lock could be taken on one server connection and released on
    // another).
    return in_transaction(conn, [&] {
        conn.exec("SELECT pg_advisory_xact_lock($1::int8)", {std::to_string(migration_lock_key)});
        conn.exec(create_table_sql);
        const std::map<int, std::string> done = recorded(conn);
        migrate_report report;
        for (const migration& m : ordered) {
            const auto found = done.find(m.version);
            if (found == done.end()) {
                apply_one(conn, m);
                report.applied.emplace_back(m.name);
            } else if (found->second != checksum(m)) {
                throw db_error(classify_sqlstate(
                    "", "migration " + std::string(m.name) + " differs from the one recorded in schema_migrations"));
            } else {
                ++report.already_applied;
            }
            report.schema_version = std::max(report.schema_version, m.version);
        }
        if (!done.empty()) report.schema_version = std::max(report.schema_version, done.rbegin()->first);
        return report;
    });
}

}  // namespace gisa::store
