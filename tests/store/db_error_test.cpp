// SQLSTATE classification: which failures are retried and which need a new connection.
#include <catch2/catch.hpp>

#include "store/db_error.hpp"

using gisa::store::classify_sqlstate;

TEST_CASE("SQLSTATEs map to retryable and poisons_connection", "[store][error]") {
    auto [state, retryable, poisons] = GENERATE(table<std::string, bool, bool>({
        {"08006", true, true},    // connection failure
        {"08001", true, true},    // cannot establish
        {"40001", true, false},   // serialization failure
        {"40P01", true, false},   // deadlock
        {"40002", false, false},  // integrity constraint at commit
        {"53300", true, false},   // too many connections
        {"57P01", true, true},    // admin shutdown
        {"57P03", true, true},    // cannot connect now (starting up)
        {"57014", false, false},  // query cancelled
        {"58030", false, true},   // I/O error
        {"XX000", false, true},   // internal error
        {"23505", false, false},  // unique violation
        {"22021", false, false},  // invalid byte sequence for encoding
        {"42601", false, false},  // syntax error
    }));
    CAPTURE(state);
    const auto info = classify_sqlstate(state, "message");
    CHECK(info.error.code == gisa::core::errc::database);
    CHECK(info.error.retryable == retryable);
    CHECK(info.poisons_connection == poisons);
    CHECK(info.sqlstate == state);
}

TEST_CASE("a lost connection is retryable and poisons the connection", "[store][error]") {
    const auto info = gisa::store::connection_lost("gone");
    CHECK(info.error.retryable);
    CHECK(info.poisons_connection);
    CHECK(info.sqlstate.empty());
}
