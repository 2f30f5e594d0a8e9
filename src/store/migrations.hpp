// Schema migrations: compiled into the binary, applied in order under an advisory lock.
#pragma once

#include <string>
#include <vector>

namespace gisa::store {

class connection;

struct migration {
    int version;       // from the file name: 0001_init.sql is 1
    const char* name;  // the file name without .sql
    const char* sql;
};

// Every migrations/*.sql file, in version order (generated at build time).
const std::vector<migration>& embedded_migrations();

struct migrate_report {
    std::vector<std::string> applied;  // names applied by this call, in order
    int already_applied = 0;           // found recorded in schema_migrations
    int schema_version = 0;            // the highest version now recorded
};

// Applies what schema_migrations does not record yet, each migration in its own
// transaction, while holding a session advisory lock so that two processes
// migrating at once apply each migration exactly once. Throws db_error, also
// when a recorded migration's text differs from the embedded one.
migrate_report apply_migrations(connection& conn);

// The same for a given list (tests use it to check ordering and failures).
migrate_report apply_migrations(connection& conn, const std::vector<migration>& all);

}  // namespace gisa::store
