// SQLSTATE classification: the single place where server error codes become ours.
#include "store/db_error.hpp"

#include <utility>

namespace gisa::store {

db_error::db_error(db_error_info info) : std::runtime_error(info.error.message), info_(std::move(info)) {}

namespace {

enum class sql_class { connection, transaction_rollback, resources, operator_intervention, system, other };

// SQLSTATE's first two characters are its class.
sql_class class_of(std::string_view sqlstate) {
    const std::string_view cls = sqlstate.substr(0, 2);
    if (cls == "08") return sql_class::connection;
    if (cls == "40") return sql_class::transaction_rollback;
    if (cls == "53") return sql_class::resources;
    if (cls == "57") return sql_class::operator_intervention;
    if (cls == "58" || cls == "XX") return sql_class::system;
    return sql_class::other;
}

}  // namespace

db_error_info classify_sqlstate(std::string_view sqlstate, std::string message) {
    db_error_info info;
    info.error.code = core::errc::database;
    info.error.message = std::move(message);
    info.sqlstate = std::string(sqlstate);
    switch (class_of(sqlstate)) {
        case sql_class::connection:  // 08xxx: the link to the server is gone
            info.error.retryable = true;
            info.poisons_connection = true;
            break;
        case sql_class::transaction_rollback:            // 40001 serialization, 40P01 deadlock
            info.error.retryable = sqlstate != "40002";  // 40002: integrity constraint at commit
            break;
        case sql_class::resources:  // 53xxx: out of connections, memory or disk; may pass
            info.error.retryable = true;
            break;
        case sql_class::operator_intervention:           // 57P01 admin shutdown, 57P03 cannot connect now
            info.error.retryable = sqlstate != "57014";  // 57014: our own statement timeout/cancel
            info.poisons_connection = sqlstate.substr(0, 4) == "57P0";
            break;
        case sql_class::system:  // 58xxx I/O error, XX000 internal error: nothing we can fix
            info.poisons_connection = true;
            break;
        case sql_class::other:  // syntax, constraint, data errors: repeating gives the same answer
            break;
    }
    return info;
}

db_error_info connection_lost(std::string message) {
    db_error_info info;
    info.error.code = core::errc::database;
    info.error.message = std::move(message);
    info.error.retryable = true;
    info.poisons_connection = true;
    return info;
}

db_error_info bad_text(std::string message) {
    db_error_info info;
    info.error.code = core::errc::decode;
    info.error.message = std::move(message);
    return info;
}

}  // namespace gisa::store
