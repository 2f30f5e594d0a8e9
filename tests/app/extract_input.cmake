# gisa extract on what is not a saved page (issue #15): a directory or a missing file gets an io error
# record and the run goes on; an endless or huge input (a device, standard input) is read no further
# than 8 MiB and gets a too_large record, in bounded memory. Exit 3: an input could not be read.
set(gisa_article ${PROJECT_SOURCE_DIR}/fixtures/extract/hankyoreh-article/input.html)
set(gisa_board ${PROJECT_SOURCE_DIR}/fixtures/extract/board-gnuboard5-basic/input.html)
set(gisa_article_record "\\{\"file\":\"[^\"]*/hankyoreh-article/input.html\",\"url\":\"\",\"final_url\":\"\",[^\n]*\"title\":\"남해 바다")
set(gisa_board_record "\\{\"file\":\"[^\"]*/board-gnuboard5-basic/input.html\",\"url\":\"\",\"final_url\":\"\",[^\n]*\"title\":\"동네 자유게시판")
set(gisa_too_large "\"error\":\\{\"code\":\"too_large\",\"message\":\"[^\"]* is larger than 8 MiB; not read past that\"\\}")

# Memory must stay bounded: a 1 GB address-space limit is never hit. ASan reserves terabytes of
# virtual memory up front, so a sanitized build runs without the limit.
find_program(GISA_PRLIMIT prlimit)
if(GISA_PRLIMIT AND NOT GISA_SANITIZE)
  set(gisa_bounded ${GISA_PRLIMIT} --as=1000000000 $<TARGET_FILE:gisa>)
else()
  set(gisa_bounded $<TARGET_FILE:gisa>)
endif()

# A directory used to abort the run (an uncaught std::ios_failure, SIGABRT), losing the records before it.
add_test(NAME app.extract_directory_is_an_io_record_and_the_run_goes_on COMMAND ${CMAKE_COMMAND}
  -DCMD=$<TARGET_FILE:gisa> "-DARGS=extract;${gisa_board};${PROJECT_SOURCE_DIR}/fixtures/extract;${gisa_article}"
  -DEXPECT_CODE=3
  "-DEXPECT_STDOUT=^${gisa_board_record}[^\n]*\n\\{\"file\":\"[^\"]*/fixtures/extract\",\"url\":\"\",\"error\":\\{\"code\":\"io\",\"message\":\"cannot read [^\"]*/fixtures/extract: Is a directory\"\\}[^\n]*\n${gisa_article_record}[^\n]*\n$"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)

# A missing file between two good ones: both good records, and the missing one says why.
add_test(NAME app.extract_missing_file_between_good_ones COMMAND ${CMAKE_COMMAND}
  -DCMD=$<TARGET_FILE:gisa> "-DARGS=extract;${gisa_article};${PROJECT_SOURCE_DIR}/no-such-page.html;${gisa_board}"
  -DEXPECT_CODE=3
  "-DEXPECT_STDOUT=^${gisa_article_record}[^\n]*\n\\{\"file\":\"[^\"]*/no-such-page.html\",\"url\":\"\",\"error\":\\{\"code\":\"io\",\"message\":\"cannot read [^\"]*/no-such-page.html: No such file or directory\"\\}[^\n]*\n${gisa_board_record}[^\n]*\n$"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)

# An endless device: it grew memory without bound (3.9 GB after 20 s).
add_test(NAME app.extract_endless_device_is_too_large COMMAND ${CMAKE_COMMAND}
  "-DCMD=${gisa_bounded}" "-DARGS=extract;/dev/zero"
  -DEXPECT_CODE=3 "-DEXPECT_STDOUT=^\\{\"url\":\"\",${gisa_too_large}"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)

# Standard input of 20 MB of zeros: refused at 8 MiB, not read to the end and sniffed as binary.
add_test(NAME app.extract_huge_stdin_is_too_large COMMAND ${CMAKE_COMMAND}
  -DCMD=sh "-DARGS=-c;head -c 20000000 /dev/zero | \"$0\" \"$@\";${gisa_bounded};extract;-"
  -DEXPECT_CODE=3 "-DEXPECT_STDOUT=^\\{\"url\":\"\",\"error\":\\{\"code\":\"too_large\",\"message\":\"standard input is larger than 8 MiB; not read past that\"\\}"
  -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_exit.cmake)

set_tests_properties(app.extract_directory_is_an_io_record_and_the_run_goes_on app.extract_missing_file_between_good_ones
  app.extract_endless_device_is_too_large app.extract_huge_stdin_is_too_large PROPERTIES LABELS unit TIMEOUT 30)
