// Error codes keep stable, distinct names: logs and JSON summaries use them.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/error.hpp"

using gisa::core::errc;

TEST_CASE("every error code has its own name") {
    std::set<std::string> names;
    for (int i = 0; i <= static_cast<int>(errc::not_implemented); ++i) {
        const auto name = std::string(to_string(static_cast<errc>(i)));
        CHECK(name != "unknown");
        names.insert(name);
    }
    CHECK(names.size() == static_cast<std::size_t>(errc::not_implemented) + 1);
    CHECK(to_string(errc::database) == "database");
}
