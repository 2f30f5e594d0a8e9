# `gisa ingest` from the command line (file: URLs, exit codes); the http cases live in
# tests/fetch/ingest_test.cpp, against the loopback server. Included from tests/app/CMakeLists.txt.
set(gisa_ingest_page file://${PROJECT_SOURCE_DIR}/tests/fetch/pages/article.html)

add_test(NAME app.ingest_file_prints_record COMMAND ${CMAKE_COMMAND}
  -DCMD=$<TARGET_FILE:gisa> "-DARGS=ingest;--url;${gisa_ingest_page}" -DEXPECT_CODE=0
  "-DEXPECT_STDERR=nothing stored: no database configured"
  "-DEXPECT_STDOUT=\"title\":\"시립도서관 야간 개관 시범 운영\""
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)
set_tests_properties(app.ingest_file_prints_record PROPERTIES LABELS unit)

# A database that is down: a clear error and exit 5, before anything is fetched.
add_test(NAME app.ingest_database_down_exits_5 COMMAND ${CMAKE_COMMAND}
  -DCMD=$<TARGET_FILE:gisa> "-DARGS=ingest;--url;${gisa_ingest_page};--dsn;host=127.0.0.1 port=1 dbname=gisa connect_timeout=2" -DEXPECT_CODE=5
  "-DEXPECT_STDERR=nothing was stored"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)
set_tests_properties(app.ingest_database_down_exits_5 PROPERTIES LABELS unit)

# End to end on the throwaway PostgreSQL: migrate, ingest, ingest again (nothing changes).
add_test(NAME app.ingest_stores_idempotently COMMAND ${CMAKE_COMMAND}
  -DGISA=$<TARGET_FILE:gisa> -DPGDIR=${GISA_TEST_PGDIR}
  -DPAGE=file://${PROJECT_SOURCE_DIR}/fixtures/extract/ranknews-seed/input.html
  -P ${CMAKE_CURRENT_SOURCE_DIR}/ingest_store.cmake)
set_tests_properties(app.ingest_stores_idempotently PROPERTIES LABELS integration
  FIXTURES_REQUIRED pg RESOURCE_LOCK pg_schema)

add_test(NAME app.ingest_missing_file_exits_3 COMMAND ${CMAKE_COMMAND}
  -DCMD=$<TARGET_FILE:gisa> "-DARGS=ingest;--url;file:///nonexistent/gisa/page.html" -DEXPECT_CODE=3
  "-DEXPECT_STDERR=cannot read /nonexistent/gisa/page.html"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)
set_tests_properties(app.ingest_missing_file_exits_3 PROPERTIES LABELS unit)

add_test(NAME app.ingest_without_url_is_usage_error COMMAND gisa ingest)
set_tests_properties(app.ingest_without_url_is_usage_error PROPERTIES LABELS unit WILL_FAIL TRUE)

# The config file's [fetch] tables reach the fetcher: allow_private lets a loopback URL through
# (the connection then fails: nothing listens on port 9), without it the request is never sent.
# No database is named, and the PG* environment is emptied, so nothing is stored.
set(gisa_no_pg_env "PGHOST=;PGHOSTADDR=;PGPORT=;PGDATABASE=;PGSERVICE=;PGUSER=")
set(gisa_configs ${CMAKE_CURRENT_SOURCE_DIR}/configs)

# `gisa ARGN` must exit with `code` and say something matching `stderr_regex`, with the PG*
# environment emptied.
function(gisa_ingest_exit_test name code stderr_regex)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND}
    -DCMD=$<TARGET_FILE:gisa> "-DARGS=${ARGN}" -DEXPECT_CODE=${code} "-DEXPECT_STDERR=${stderr_regex}"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)
  set_tests_properties(${name} PROPERTIES LABELS unit ENVIRONMENT "${gisa_no_pg_env}")
endfunction()

gisa_ingest_exit_test(app.ingest_config_refuses_private 3
  "refused to connect to 127.0.0.1 \\(loopback; allow_private is off\\)"
  ingest --url http://127.0.0.1:9/ --config ${gisa_configs}/private-refused.toml)
gisa_ingest_exit_test(app.ingest_config_allows_private 3 "Failed to connect to 127.0.0.1 port 9"
  ingest --url http://127.0.0.1:9/ --config ${gisa_configs}/private-allowed.toml)
gisa_ingest_exit_test(app.ingest_config_typo_is_usage_error 2
  "\\[fetch.politeness\\]: unknown key \"min_host_dealy_ms\""
  ingest --url http://127.0.0.1:9/ --config ${gisa_configs}/typo.toml)

# The config file's [database] dsn is used when --dsn is absent, and --dsn wins over it.
gisa_ingest_exit_test(app.ingest_config_dsn_is_used 5
  "\\(database from config [^)]*database-down.toml\\); nothing was stored"
  ingest --url ${gisa_ingest_page} --config ${gisa_configs}/database-down.toml)
gisa_ingest_exit_test(app.ingest_cli_dsn_beats_config 5 "\\(database from --dsn\\)"
  ingest --url ${gisa_ingest_page} --config ${gisa_configs}/database-down.toml
  --dsn "host=127.0.0.1 port=2 dbname=gisa connect_timeout=2")
