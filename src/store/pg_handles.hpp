// Move-only owners of libpq's two handles, PGconn and PGresult (no libpq header here).
#pragma once

#include <memory>

// libpq's own tags (libpq-fe.h: typedef struct pg_conn PGconn, struct pg_result PGresult).
struct pg_conn;
struct pg_result;

namespace gisa::store {

struct conn_deleter {
    void operator()(pg_conn* conn) const noexcept;
};
struct result_deleter {
    void operator()(pg_result* result) const noexcept;
};

// PQfinish on destruction; never throws.
using conn_handle = std::unique_ptr<pg_conn, conn_deleter>;
// PQclear on destruction; never throws.
using result_handle = std::unique_ptr<pg_result, result_deleter>;

}  // namespace gisa::store
