# Install layout (`cmake --install`): the binary, the systemd unit, the config the unit reads, and
# the documentation.
#
#   <prefix>/bin/gisa
#   <prefix>/lib/systemd/system/gisa.service   ExecStart= rewritten to <prefix>/bin/gisa and the config below
#   /etc/gisa/gisa.toml                        for a system prefix (/usr, /usr/local); else <prefix>/etc/gisa/.
#                                              The example config, installed only when there is none: an
#                                              operator's config is never overwritten.
#   <prefix>/share/doc/gisa/                   README.md, docs/*.md, gisa.toml.example
#
# The prefix stays CMake's default, /usr/local (both /usr/local/bin and
# /usr/local/lib/systemd/system are on systemd's paths); `--prefix /usr` for a system package.
include(GNUInstallDirs)

# Relative to the prefix. Not CMAKE_INSTALL_LIBDIR: with prefix /usr on Debian that is
# lib/<multiarch>, where systemd never looks for units.
set(GISA_INSTALL_UNITDIR "lib/systemd/system" CACHE STRING
  "Where the systemd unit goes, relative to the install prefix (or absolute)")

install(TARGETS gisa RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES config/gisa.toml DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME gisa.toml.example)

# The unit in systemd/ names /usr/bin/gisa so that it can be checked as it stands
# (tests/app/systemd.cmake). It is rewritten when installed rather than configured from a
# template, because the prefix is only known then: `cmake --install --prefix DIR` overrides
# the one given at configure time.
install(CODE "
  set(gisa_unit_source \"${PROJECT_SOURCE_DIR}/systemd/gisa.service\")
  set(gisa_unit_staged \"${PROJECT_BINARY_DIR}/install-staging/gisa.service\")
  set(gisa_bindir \"${CMAKE_INSTALL_BINDIR}\")
  set(gisa_docdir \"${CMAKE_INSTALL_DOCDIR}\")
  set(gisa_unitdir \"${GISA_INSTALL_UNITDIR}\")
  set(gisa_config_source \"${PROJECT_SOURCE_DIR}/config/gisa.toml\")
")
install(CODE [[
  foreach(dir IN ITEMS gisa_bindir gisa_docdir gisa_unitdir)
    if(NOT IS_ABSOLUTE "${${dir}}")
      set(${dir} "${CMAKE_INSTALL_PREFIX}/${${dir}}")
    endif()
  endforeach()
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/usr/local")
    set(gisa_confdir "/etc/gisa")
  else()
    set(gisa_confdir "${CMAKE_INSTALL_PREFIX}/etc/gisa")
  endif()
  if(EXISTS "$ENV{DESTDIR}${gisa_confdir}/gisa.toml")
    message(STATUS "Kept: $ENV{DESTDIR}${gisa_confdir}/gisa.toml (an existing config is never overwritten)")
  else()
    file(INSTALL DESTINATION "${gisa_confdir}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
         FILES "${gisa_config_source}")
  endif()
  file(READ "${gisa_unit_source}" unit)
  foreach(pair IN ITEMS "ExecStart=/usr/bin/gisa |ExecStart=${gisa_bindir}/gisa "
                        "--config /etc/gisa/gisa.toml|--config ${gisa_confdir}/gisa.toml"
                        "file:///usr/share/doc/gisa/|file://${gisa_docdir}/")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 from)
    list(GET pair 1 to)
    string(FIND "${unit}" "${from}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${gisa_unit_source} no longer contains '${from}': update cmake/GisaInstall.cmake")
    endif()
    string(REPLACE "${from}" "${to}" unit "${unit}")
  endforeach()
  file(WRITE "${gisa_unit_staged}" "${unit}")
  file(INSTALL DESTINATION "${gisa_unitdir}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES "${gisa_unit_staged}")
]])
