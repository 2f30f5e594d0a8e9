// Access to the throwaway PostgreSQL that tools/pg starts for integration tests.
#pragma once

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace gisa::test {

// The connection string of the test database, written by `tools/pg start`.
// Throws (and so fails the test) when it is missing: a skipped database test
// would pass without testing anything.
inline std::string test_dsn() {
    const char* dir = std::getenv("GISA_TEST_PGDIR");
    if (dir == nullptr) throw std::runtime_error("GISA_TEST_PGDIR is not set: run the tests through ctest");
    std::ifstream in(std::string(dir) + "/dsn");
    std::string dsn;
    if (!std::getline(in, dsn) || dsn.empty())
        throw std::runtime_error(std::string("no test database: ") + dir + "/dsn is missing (tools/pg start)");
    return dsn;
}

}  // namespace gisa::test
