# Compiler settings shared by every gisa target: warnings, sanitizers, ccache.

find_program(GISA_CCACHE ccache)
if(GISA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${GISA_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${GISA_CCACHE})
endif()

# Linked PUBLIC by every module, so tests and tools built on a module get the
# same warnings and the same sanitizers.
add_library(gisa_defaults INTERFACE)
target_compile_options(gisa_defaults INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${GISA_WERROR}>:-Werror>)
if(GISA_SANITIZE)
  target_compile_options(gisa_defaults INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(gisa_defaults INTERFACE -fsanitize=address,undefined)
endif()

# gisa_module(NAME SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...): one static
# library per module folder, named gisa_<NAME>, whose headers are included as
# "<NAME>/file.hpp". A module without sources yet is an interface library.
function(gisa_module name)
  cmake_parse_arguments(arg "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  if(arg_SOURCES)
    add_library(gisa_${name} STATIC ${arg_SOURCES})
    target_include_directories(gisa_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(gisa_${name} PUBLIC gisa_defaults ${arg_PUBLIC_DEPS} PRIVATE ${arg_PRIVATE_DEPS})
  else()
    add_library(gisa_${name} INTERFACE)
    target_include_directories(gisa_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(gisa_${name} INTERFACE gisa_defaults ${arg_PUBLIC_DEPS})
  endif()
endfunction()
