# Third-party libraries, all from Debian 12 packages (tools/install-deps).

find_package(PkgConfig REQUIRED)
pkg_check_modules(gumbo REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(uchardet REQUIRED IMPORTED_TARGET uchardet)
pkg_check_modules(tomlplusplus REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(libsystemd REQUIRED IMPORTED_TARGET libsystemd)

find_package(CURL 7.88 REQUIRED)
find_package(PostgreSQL REQUIRED)
# libcrypto for the store's content hashes (SHA-256).
find_package(OpenSSL REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
# libboost-dev is 1.74 and lacks Boost.URL: the 1.81 packages are asked for by name.
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS url)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
