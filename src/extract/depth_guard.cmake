# The depth guard's sources and link needs, owned by the "text" engineer; gisa_extract includes them.
set(gisa_depth_guard_sources ${CMAKE_CURRENT_SOURCE_DIR}/depth_guard.cpp)
set(gisa_depth_guard_private_deps fmt::fmt)
