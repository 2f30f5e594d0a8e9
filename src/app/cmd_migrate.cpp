// `gisa migrate`: applies the schema migrations compiled into gisa and says what it did.
#include <cstdio>
#include <string>

#include "app/commands.hpp"
#include "store/db_error.hpp"
#include "store/dsn_source.hpp"
#include "store/store.hpp"

namespace gisa::app {

namespace {

void print_report(const store::migrate_report& report) {
    if (report.applied.empty()) {
        std::printf("gisa migrate: schema is up to date at version %d (%d migration%s already applied)\n",
                    report.schema_version, report.already_applied, report.already_applied == 1 ? "" : "s");
        return;
    }
    for (const std::string& name : report.applied)
        std::printf("gisa migrate: applied %s\n", name.c_str());
    std::printf("gisa migrate: schema is at version %d (%zu applied now, %d before)\n", report.schema_version,
                report.applied.size(), report.already_applied);
}

}  // namespace

int run_migrate(const migrate_options& options) {
    store::dsn_choice target;
    try {
        target = store::resolve_dsn(options.dsn, options.config);
    } catch (const store::config_error& failure) {
        std::fprintf(stderr, "gisa migrate: %s\n", failure.what());
        return exit_usage;
    }
    try {
        store::store db = store::store::connect(target.dsn);
        print_report(db.migrate());
        return exit_ok;
    } catch (const store::db_error& failure) {
        std::fprintf(stderr, "gisa migrate: %s (database from %s)\n", failure.what(), target.origin.c_str());
        return exit_database;
    }
}

}  // namespace gisa::app
