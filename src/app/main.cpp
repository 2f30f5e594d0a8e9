// gisa's entry point: parses the command line and hands over to one subcommand.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

int main(int argc, char** argv) {
    using namespace gisa::app;
    CLI::App cli{"gisa: scraper and ingestion daemon for Korean news sites and web boards"};
    cli.require_subcommand(1);
    cli.set_version_flag("--version", "gisa 0.1.0");

    extract_options ex;
    auto* extract = cli.add_subcommand("extract", "Extract the JSON record of saved pages (no network, no database)");
    extract->add_option("files", ex.files, "HTML files, or - for standard input")->required();
    extract->add_option("--url", ex.url, "URL of the page, to resolve links against");
    extract->add_option("--charset", ex.charset, "Charset that overrides every other source");
    extract->add_option("--fetched-at", ex.fetched_at,
                        "When the page was fetched (ISO 8601), for board times like 14:32; default now");

    ingest_options in;
    auto* ingest = cli.add_subcommand("ingest", "Fetch one URL (http, https, file), extract it and store it");
    ingest->add_option("--url", in.url, "URL to ingest")->required();
    ingest->add_option("--dsn", in.dsn, "PostgreSQL connection string; without one nothing is stored");
    ingest->add_option("--config", in.config, "Config file");
    ingest->add_flag("--allow-private", in.allow_private, "Allow private, loopback and link-local targets");
    ingest->add_flag("--follow", in.follow, "Also fetch and store the posts the page's board rows link to");

    daemon_options da;
    auto* run = cli.add_subcommand("run", "Run the crawl daemon");
    run->add_option("--config", da.config, "Config file")->capture_default_str();
    run->add_option("--dsn", da.dsn, "PostgreSQL connection string (else the config file, else PG* variables)");
    run->add_flag("--allow-private", da.allow_private, "Allow private, loopback and link-local targets");

    status_options st;
    auto* status = cli.add_subcommand("status", "Show what the crawl knows and did, per source (from the database)");
    status->add_option("--dsn", st.dsn, "PostgreSQL connection string (else the config file, else PG* variables)");
    status->add_option("--config", st.config, "Config file");
    status->add_flag("--json", st.json, "One JSON document instead of the table");

    migrate_options mi;
    auto* migrate = cli.add_subcommand("migrate", "Apply database schema migrations and exit");
    migrate->add_option("--dsn", mi.dsn, "PostgreSQL connection string (else the config file, else PG* variables)");
    migrate->add_option("--config", mi.config, "Config file");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }

    if (*extract) return run_extract(ex);
    if (*ingest) return run_ingest(in);
    if (*run) return run_daemon(da);
    if (*migrate) return run_migrate(mi);
    if (*status) return run_status(st);
    return exit_usage;
}
