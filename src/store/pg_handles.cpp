// The deleters of libpq's handles.
#include "store/pg_handles.hpp"

#include <libpq-fe.h>

namespace gisa::store {

void conn_deleter::operator()(pg_conn* conn) const noexcept {
    PQfinish(conn);
}

void result_deleter::operator()(pg_result* result) const noexcept {
    PQclear(result);
}

}  // namespace gisa::store
