# `gisa migrate` then `gisa ingest --dsn` twice on the seed page, in a database of its own:
# the first ingest inserts the article and its 20 board rows, the second writes nothing.
file(READ ${PGDIR}/dsn server_dsn)
string(STRIP "${server_dsn}" server_dsn)
string(REPLACE "dbname=gisa" "dbname=postgres" admin_dsn "${server_dsn}")
string(REPLACE "dbname=gisa" "dbname=gisa_app_ingest" dsn "${server_dsn}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN}\nexit ${code}\nstdout: ${out}\nstderr: ${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(psql -X -q "${admin_dsn}" -c "DROP DATABASE IF EXISTS gisa_app_ingest" -c "CREATE DATABASE gisa_app_ingest")
run(${GISA} migrate --dsn "${dsn}")
if(NOT out MATCHES "applied")
  message(FATAL_ERROR "migrate applied nothing on an empty database: ${out}")
endif()

run(${GISA} ingest --url ${PAGE} --dsn "${dsn}")
if(NOT out MATCHES "\"article\":\"inserted\"" OR NOT out MATCHES "\"inserted\":20")
  message(FATAL_ERROR "first ingest should insert the article and 20 rows: ${out}")
endif()

run(${GISA} ingest --url ${PAGE} --dsn "${dsn}")
if(NOT out MATCHES "\"article\":\"unchanged\"" OR NOT out MATCHES "\"inserted\":0,\"updated\":0,\"unchanged\":20")
  message(FATAL_ERROR "second ingest should change nothing: ${out}")
endif()

run(psql -X -q -t -A "${dsn}" -c "SELECT count(*) FROM board_rows WHERE author = '랭크뉴스' AND title <> ''")
string(STRIP "${out}" rows)
if(NOT rows EQUAL 20)
  message(FATAL_ERROR "expected 20 stored board rows by 랭크뉴스, found ${rows}")
endif()
run(psql -X -q "${admin_dsn}" -c "DROP DATABASE gisa_app_ingest")
