# The systemd unit and the install layout (issue #13). This file has two roles:
#  - included from tests/app/CMakeLists.txt, it registers the tests;
#  - run with `cmake -P` (CMAKE_SCRIPT_MODE_FILE set), it is their body, chosen by MODE.
# Both stay inside the build tree: no systemctl, nothing installed outside it.

# Exposure scores are in tenths for --threshold (systemd 252): 15 is "1.5", the score shown.
set(max_exposure_tenths 15)

if(NOT CMAKE_SCRIPT_MODE_FILE)
  find_program(GISA_SYSTEMD_ANALYZE systemd-analyze)
  set(script ${CMAKE_CURRENT_LIST_FILE})
  set(unit ${PROJECT_SOURCE_DIR}/systemd/gisa.service)

  add_test(NAME app.systemd_unit_security_at_most_1_5 COMMAND ${CMAKE_COMMAND} -DMODE=security
    -DANALYZE=${GISA_SYSTEMD_ANALYZE} -DUNIT=${unit} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/systemd-ok -P ${script})
  # The check can fail: the same unit without its system call filter must be refused.
  add_test(NAME app.systemd_weakened_unit_fails_security COMMAND ${CMAKE_COMMAND} -DMODE=weakened
    -DANALYZE=${GISA_SYSTEMD_ANALYZE} -DUNIT=${unit} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/systemd-weak -P ${script})
  add_test(NAME app.install_layout COMMAND ${CMAKE_COMMAND} -DMODE=install
    -DANALYZE=${GISA_SYSTEMD_ANALYZE} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${script})
  set_tests_properties(app.systemd_unit_security_at_most_1_5 app.systemd_weakened_unit_fails_security
    app.install_layout PROPERTIES LABELS integration)
  return()
endif()

# analyze(UNIT_TEXT WORK): the unit's overall exposure (e.g. "1.1") in `exposure` and whether it
# passed the threshold in `passed`. The unit is copied into an empty root under WORK so that no
# drop-in or unit of this host (/etc/systemd/system/gisa.service.d/…) takes part.
function(analyze unit_text work)
  if(NOT ANALYZE)
    message(FATAL_ERROR "systemd-analyze not found (tools/install-deps installs the systemd package)")
  endif()
  file(REMOVE_RECURSE ${work})
  file(WRITE ${work}/etc/systemd/system/gisa.service "${unit_text}")
  execute_process(COMMAND ${ANALYZE} security --offline=true --root=${work}
                    --threshold=${max_exposure_tenths} gisa.service
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT out MATCHES "Overall exposure level for gisa\\.service: ([0-9]+\\.[0-9])")
    message(FATAL_ERROR "systemd-analyze gave no exposure level (exit ${code}):\n${out}\n${err}")
  endif()
  set(level ${CMAKE_MATCH_1})
  set(exposure ${level} PARENT_SCOPE)
  string(REPLACE "." "" tenths ${level})
  # The exit code must agree with the score, or the threshold's scale is not what we think.
  if(tenths GREATER max_exposure_tenths)
    set(expected_code 1)
  else()
    set(expected_code 0)
  endif()
  if(NOT code STREQUAL expected_code)
    message(FATAL_ERROR "exit ${code} disagrees with exposure ${level}:\n${out}\n${err}")
  endif()
  if(code EQUAL 0)
    set(passed TRUE PARENT_SCOPE)
  else()
    set(passed FALSE PARENT_SCOPE)
  endif()
  set(report "${out}${err}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "security")
  file(READ ${UNIT} text)
  analyze("${text}" ${WORK})
  if(NOT passed)
    message(FATAL_ERROR "${UNIT}: exposure ${exposure}, above --threshold=${max_exposure_tenths} (1.5)\n${report}")
  endif()
  message(STATUS "exposure ${exposure}")

elseif(MODE STREQUAL "weakened")
  file(READ ${UNIT} text)
  string(REGEX REPLACE "\nSystemCallFilter=[^\n]*" "" weak "${text}")
  if(weak STREQUAL text)
    message(FATAL_ERROR "${UNIT} has no SystemCallFilter= line left to weaken")
  endif()
  analyze("${weak}" ${WORK})
  if(passed)
    message(FATAL_ERROR "a unit without SystemCallFilter= passed (exposure ${exposure})\n${report}")
  endif()
  message(STATUS "weakened exposure ${exposure}, refused")

elseif(MODE STREQUAL "install")
  set(prefix ${BUILD_DIR}/install-test)
  file(REMOVE_RECURSE ${prefix})
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${code}):\n${out}\n${err}")
  endif()
  foreach(file IN ITEMS bin/gisa lib/systemd/system/gisa.service share/doc/gisa/gisa.toml.example
                        share/doc/gisa/README.md share/doc/gisa/DESIGN.md)
    if(NOT EXISTS ${prefix}/${file})
      message(FATAL_ERROR "not installed: ${file}\n${out}")
    endif()
  endforeach()
  # Everything lands under the prefix (the config too, for a prefix that is not /usr or /usr/local).
  file(STRINGS ${BUILD_DIR}/install_manifest.txt installed)
  foreach(file IN LISTS installed)
    string(FIND "${file}" "${prefix}/" at)
    if(NOT at EQUAL 0)
      message(FATAL_ERROR "installed outside the prefix: ${file}")
    endif()
  endforeach()
  file(SHA256 ${SOURCE_DIR}/config/gisa.toml want)
  file(SHA256 ${prefix}/share/doc/gisa/gisa.toml.example got)
  if(NOT want STREQUAL got)
    message(FATAL_ERROR "gisa.toml.example differs from config/gisa.toml")
  endif()
  # The installed unit starts the installed binary on the installed config, which is the example.
  file(STRINGS ${prefix}/lib/systemd/system/gisa.service exec REGEX "^ExecStart=")
  if(NOT exec STREQUAL "ExecStart=${prefix}/bin/gisa run --config ${prefix}/etc/gisa/gisa.toml")
    message(FATAL_ERROR "installed unit: '${exec}', expected ExecStart=${prefix}/bin/gisa run --config …")
  endif()
  file(SHA256 ${prefix}/etc/gisa/gisa.toml got)
  if(NOT want STREQUAL got)
    message(FATAL_ERROR "the installed etc/gisa/gisa.toml is not the example config")
  endif()
  # A second install keeps the operator's config.
  file(APPEND ${prefix}/etc/gisa/gisa.toml "# the operator's own line\n")
  file(SHA256 ${prefix}/etc/gisa/gisa.toml edited)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(SHA256 ${prefix}/etc/gisa/gisa.toml kept)
  if(NOT code EQUAL 0 OR NOT kept STREQUAL edited)
    message(FATAL_ERROR "a second install replaced the operator's config (exit ${code}):\n${out}${err}")
  endif()
  execute_process(COMMAND ${prefix}/bin/gisa --help RESULT_VARIABLE code OUTPUT_QUIET ERROR_QUIET)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${prefix}/bin/gisa --help exited ${code}")
  endif()
  # Directives systemd does not know are only warned about, by `verify` (not by `security`):
  # a misspelt hardening line would silently weaken the unit. Lines about other units of this
  # host are not ours to judge.
  if(NOT ANALYZE)
    message(FATAL_ERROR "systemd-analyze not found (tools/install-deps installs the systemd package)")
  endif()
  execute_process(COMMAND ${ANALYZE} verify --man=no --generators=no ${prefix}/lib/systemd/system/gisa.service
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX MATCHALL "[^\n]*gisa\.service[^\n]*" complaints "${out}${err}")
  if(NOT code EQUAL 0 OR complaints)
    message(FATAL_ERROR "systemd-analyze verify (exit ${code}):\n${out}${err}")
  endif()

else()
  message(FATAL_ERROR "MODE must be security, weakened or install, not '${MODE}'")
endif()
