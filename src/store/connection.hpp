// One PostgreSQL connection: parameterised statements, scripts and pipelines (libpq behind it).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/db_error.hpp"
#include "store/pg_handles.hpp"

namespace gisa::store {

// Statement parameters, in text format unless a statement says binary; nullopt is SQL NULL.
using params = std::vector<std::optional<std::string>>;

// The rows of one statement's answer; cells are text.
class result {
  public:
    explicit result(result_handle handle) : handle_(std::move(handle)) {}
    int rows() const noexcept;
    int columns() const noexcept;
    bool is_null(int row, int column) const noexcept;
    std::string_view get(int row, int column) const noexcept;
    long long get_int(int row, int column) const;

  private:
    result_handle handle_;
};

struct statement {
    std::string_view sql;  // a constant: values only ever travel as parameters
    params values;
    // Per value: 0 text, 1 PostgreSQL's binary format (array_send's for the
    // batch arrays, which the server reads without parsing). Empty: all text.
    std::vector<int> formats = {};
};

class connection {
  public:
    // Connects (libpq conninfo or URI; "" uses the PG* environment) and throws
    // db_error when the server cannot be reached.
    static connection open(const std::string& dsn);

    connection(connection&&) noexcept = default;
    connection& operator=(connection&&) noexcept = default;
    ~connection() = default;

    // One statement with parameters; throws db_error.
    result exec(std::string_view sql, const params& values = {});

    // A fixed script of several statements without parameters (migrations only).
    void exec_script(std::string_view sql);

    // One implicit transaction in two round trips over a libpq pipeline:
    // sends `first`, reads its answers (a flush request, no sync yet, so the
    // transaction stays open), sends what `second` makes of them and one sync,
    // which commits; returns the second round's answers. `on_sent` runs once
    // the commit is on the wire (a seam for tests: when it returns true the
    // connection is dropped unread, as if the answer had been lost). Throws db_error;
    // outcome_unknown is set when the connection broke after the commit was sent.
    std::vector<result> two_round_transaction(
        const std::vector<statement>& first,
        const std::function<std::vector<statement>(const std::vector<result>&)>& second,
        const std::function<bool()>& on_sent = {});

    // COPY ... FROM STDIN with `data` in COPY's text format (bulk loads and
    // the benchmark's baseline). Throws db_error.
    void copy_in(std::string_view copy_sql, std::string_view data);

    // Off: every statement of two_round_transaction is sent unnamed (parsed and planned each time),
    // for PgBouncer in transaction pooling mode, where a statement prepared on one server
    // connection is not there on the next (issue #14). On by default.
    void use_prepared_statements(bool on) noexcept { prepared_statements_ = on; }

    bool healthy() const noexcept;
    int backend_pid() const noexcept;

    // Ends the connection now; what it says at the end is ignored.
    void close() noexcept { handle_.reset(); }

  private:
    explicit connection(conn_handle handle) : handle_(std::move(handle)) {}

    conn_handle handle_;
    std::unordered_map<std::string, std::string> statement_names_;  // SQL text -> prepared statement name
    std::unordered_set<std::string> prepared_;                      // names the server has prepared
    bool prepared_statements_ = true;
};

// Runs `body` between `begin` and COMMIT and returns what it returns; a failure rolls back (when
// the connection still can) and is passed on. For a few statements that must see one snapshot or
// commit together; batches of pages go through two_round_transaction.
template <typename Body>
auto in_transaction(connection& conn, Body body, std::string_view begin = "BEGIN") {
    conn.exec(begin);
    try {
        auto out = body();
        conn.exec("COMMIT");
        return out;
    } catch (...) {
        if (conn.healthy()) {
            try {
                conn.exec("ROLLBACK");
            } catch (const db_error&) {
                // The first failure is the one worth reporting.
            }
        }
        throw;
    }
}

}  // namespace gisa::store
