# Board rows and links (issue 4): included by src/extract/CMakeLists.txt into gisa_extract.
# URL resolution uses Boost.URL 1.81: gisa_extract links ${gisa_board_private_deps} privately.
set(gisa_board_sources ${CMAKE_CURRENT_SOURCE_DIR}/board.cpp ${CMAKE_CURRENT_SOURCE_DIR}/links.cpp)
set(gisa_board_private_deps Boost::url)
