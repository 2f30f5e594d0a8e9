# Fails when a Catch2 test name holds a semicolon: catch_discover_tests splits the name there (a CMake
# list), and CTest then runs a test spec that matches nothing, which passes without testing anything.
#   cmake -DROOT=<tests dir> -P test_names.cmake
file(GLOB_RECURSE sources ${ROOT}/*.cpp)
set(bad "")
foreach(source ${sources})
  file(STRINGS ${source} lines REGEX "TEST_CASE\\(\"[^\"]*;")
  foreach(line ${lines})
    string(APPEND bad "\n  ${source}: ${line}")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test names with a semicolon (CTest would run nothing for them):${bad}")
endif()
