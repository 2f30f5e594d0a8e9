// A PostgreSQL connection over libpq: every failure becomes a classified db_error.
#include "store/connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <unordered_set>
#include <utility>

#include "store/db_error.hpp"

namespace gisa::store {

namespace {

// Connection defaults that the DSN may override (it is expanded after them).
constexpr const char* connect_timeout_s = "10";
constexpr const char* keepalives_idle_s = "30";

std::string trimmed(const char* message) {
    std::string text = message == nullptr ? std::string() : std::string(message);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// The one way a failed PGresult (or a null one) becomes an exception.
[[noreturn]] void throw_result_error(PGconn* conn, const PGresult* res, bool commit_sent) {
    const char* state = res == nullptr ? nullptr : PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string message = trimmed(res == nullptr ? PQerrorMessage(conn) : PQresultErrorMessage(res));
    if (message.empty()) message = trimmed(PQerrorMessage(conn));
    if (PQstatus(conn) != CONNECTION_OK || state == nullptr) {
        db_error_info info = connection_lost("lost the database connection: " + message);
        info.outcome_unknown = commit_sent;
        throw db_error(std::move(info));
    }
    db_error_info info = classify_sqlstate(state, message);
    // A server going down answers with 57P01 before the link drops.
    info.outcome_unknown = commit_sent && info.poisons_connection;
    throw db_error(std::move(info));
}

// Server notices ("relation already exists, skipping") are not errors; the
// store does not print them.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

std::vector<const char*> raw_values(const params& values) {
    std::vector<const char*> raw;
    raw.reserve(values.size());
    for (const auto& value : values)
        raw.push_back(value ? value->c_str() : nullptr);
    return raw;
}

bool succeeded(const PGresult* res) {
    const ExecStatusType status = PQresultStatus(res);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

int result::rows() const noexcept {
    return PQntuples(handle_.get());
}
int result::columns() const noexcept {
    return PQnfields(handle_.get());
}
bool result::is_null(int row, int column) const noexcept {
    return PQgetisnull(handle_.get(), row, column) != 0;
}

std::string_view result::get(int row, int column) const noexcept {
    return {PQgetvalue(handle_.get(), row, column), static_cast<std::size_t>(PQgetlength(handle_.get(), row, column))};
}

long long result::get_int(int row, int column) const {
    const std::string_view text = get(row, column);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw db_error(classify_sqlstate("", "expected an integer from the server, got '" + std::string(text) + "'"));
    return value;
}

connection connection::open(const std::string& dsn) {
    const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "client_encoding", "dbname", nullptr};
    const char* values[] = {connect_timeout_s, "1", keepalives_idle_s, "UTF8", dsn.c_str(), nullptr};
    conn_handle handle(PQconnectdbParams(keys, values, 1));
    if (!handle) throw db_error(connection_lost("cannot connect to the database: out of memory"));
    if (PQstatus(handle.get()) != CONNECTION_OK)
        throw db_error(connection_lost("cannot connect to the database: " + trimmed(PQerrorMessage(handle.get()))));
    PQsetNoticeProcessor(handle.get(), &ignore_notice, nullptr);
    return connection(std::move(handle));
}

result connection::exec(std::string_view sql, const params& values) {
    if (!handle_) throw db_error(connection_lost("the database connection is closed"));
    const std::string text(sql);
    const std::vector<const char*> raw = raw_values(values);
    result_handle res(PQexecParams(handle_.get(), text.c_str(), static_cast<int>(raw.size()), nullptr, raw.data(),
                                   nullptr, nullptr, 0));
    if (!res || !succeeded(res.get())) throw_result_error(handle_.get(), res.get(), false);
    return result(std::move(res));
}

void connection::exec_script(std::string_view sql) {
    if (!handle_) throw db_error(connection_lost("the database connection is closed"));
    const std::string text(sql);
    result_handle res(PQexec(handle_.get(), text.c_str()));
    if (!res || !succeeded(res.get())) throw_result_error(handle_.get(), res.get(), false);
}

namespace {

// One answer the pipeline owes: a statement's rows, or the server's word on
// preparing a statement (then `prepared` names it).
struct answer_slot {
    const std::string* prepared = nullptr;
};

// Reads the answers of `slots`. The first error is kept, not thrown: the
// pipeline must be drained up to its sync before the connection is usable.
// A statement counts as prepared only once the server said so.
std::vector<result> read_answers(PGconn* conn, const std::vector<answer_slot>& slots, result_handle& first_error,
                                 bool commit_sent, std::unordered_set<std::string>& prepared) {
    std::vector<result> answers;
    answers.reserve(slots.size());
    for (const answer_slot& slot : slots) {
        result_handle answer(PQgetResult(conn));
        if (!answer) throw_result_error(conn, nullptr, commit_sent);
        const ExecStatusType status = PQresultStatus(answer.get());
        if (status == PGRES_FATAL_ERROR && PQstatus(conn) != CONNECTION_OK)
            throw_result_error(conn, answer.get(), commit_sent);
        if (succeeded(answer.get())) {
            if (slot.prepared != nullptr) {
                prepared.insert(*slot.prepared);
            } else {
                answers.emplace_back(std::move(answer));
            }
        } else if (!first_error && status != PGRES_PIPELINE_ABORTED) {
            first_error = std::move(answer);
        }
        // Each statement's answer ends with a null result.
        result_handle end(PQgetResult(conn));
        if (end) throw_result_error(conn, end.get(), commit_sent);
    }
    return answers;
}

void read_sync(PGconn* conn, bool commit_sent) {
    result_handle sync(PQgetResult(conn));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) throw_result_error(conn, sync.get(), commit_sent);
}

// The batch statements are few and fixed, and run for every batch: each is
// prepared once per connection (in the same pipeline, just before its first
// use) and then only executed, so the server parses and plans it once.
std::vector<answer_slot> send_all(PGconn* conn, const std::vector<statement>& statements,
                                  std::unordered_map<std::string, std::string>& statement_names,
                                  const std::unordered_set<std::string>& prepared, bool prepare) {
    std::vector<answer_slot> slots;
    std::unordered_set<std::string> preparing;
    for (const statement& st : statements) {
        const std::vector<const char*> raw = raw_values(st.values);
        std::vector<int> lengths;
        lengths.reserve(st.values.size());
        for (const auto& value : st.values)
            lengths.push_back(value ? static_cast<int>(value->size()) : 0);
        if (!st.formats.empty() && st.formats.size() != st.values.size())
            throw db_error(classify_sqlstate("", "a statement has a format for some of its parameters only"));
        if (!prepare) {
            const std::string text(st.sql);
            if (PQsendQueryParams(conn, text.c_str(), static_cast<int>(raw.size()), nullptr, raw.data(), lengths.data(),
                                  st.formats.empty() ? nullptr : st.formats.data(), 0) != 1)
                throw_result_error(conn, nullptr, false);
            slots.push_back({});
            continue;
        }
        const auto [named, fresh] =
            statement_names.try_emplace(std::string(st.sql), "gisa_" + std::to_string(statement_names.size() + 1));
        const std::string& name = named->second;
        if (!prepared.contains(name) && preparing.insert(name).second) {
            if (PQsendPrepare(conn, name.c_str(), named->first.c_str(), static_cast<int>(raw.size()), nullptr) != 1)
                throw_result_error(conn, nullptr, false);
            slots.push_back({&name});
        }
        if (PQsendQueryPrepared(conn, name.c_str(), static_cast<int>(raw.size()), raw.data(), lengths.data(),
                                st.formats.empty() ? nullptr : st.formats.data(), 0) != 1)
            throw_result_error(conn, nullptr, false);
        slots.push_back({});
    }
    return slots;
}

}  // namespace

std::vector<result> connection::two_round_transaction(
    const std::vector<statement>& first,
    const std::function<std::vector<statement>(const std::vector<result>&)>& second,
    const std::function<bool()>& on_sent) {
    if (!handle_) throw db_error(connection_lost("the database connection is closed"));
    PGconn* conn = handle_.get();
    if (PQenterPipelineMode(conn) != 1) throw_result_error(conn, nullptr, false);
    try {
        // Round 1: no sync, so the implicit transaction stays open.
        const std::vector<answer_slot> first_slots =
            send_all(conn, first, statement_names_, prepared_, prepared_statements_);
        if (PQsendFlushRequest(conn) != 1 || PQflush(conn) != 0) throw_result_error(conn, nullptr, false);
        result_handle error;
        const std::vector<result> stored = read_answers(conn, first_slots, error, false, prepared_);
        std::vector<statement> writes;
        if (!error) {
            try {
                writes = second(stored);
            } catch (...) {
                handle_.reset();  // mid-pipeline: the connection cannot be reused
                throw;
            }
        }
        // Round 2, or only the sync that ends a failed round 1 (its transaction
        // wrote nothing, so committing it is harmless).
        const std::vector<answer_slot> second_slots =
            send_all(conn, writes, statement_names_, prepared_, prepared_statements_);
        if (PQpipelineSync(conn) != 1) throw_result_error(conn, nullptr, !error);
        if (on_sent && !error && on_sent()) {
            db_error_info lost = connection_lost("the connection was dropped before the commit was answered");
            lost.outcome_unknown = true;
            throw db_error(std::move(lost));
        }
        std::vector<result> answers = read_answers(conn, second_slots, error, !error, prepared_);
        read_sync(conn, true);
        PQexitPipelineMode(conn);
        if (error) throw_result_error(conn, error.get(), false);
        return answers;
    } catch (const db_error& failure) {
        if (failure.poisons_connection()) {
            handle_.reset();
        } else {
            PQexitPipelineMode(conn);
        }
        throw;
    }
}

void connection::copy_in(std::string_view copy_sql, std::string_view data) {
    if (!handle_) throw db_error(connection_lost("the database connection is closed"));
    PGconn* conn = handle_.get();
    const std::string text(copy_sql);
    result_handle start(PQexec(conn, text.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) throw_result_error(conn, start.get(), false);
    constexpr std::size_t chunk_bytes = 1 << 20;
    for (std::size_t at = 0; at < data.size(); at += chunk_bytes) {
        const std::size_t size = std::min(chunk_bytes, data.size() - at);
        if (PQputCopyData(conn, data.data() + at, static_cast<int>(size)) != 1)
            throw_result_error(conn, nullptr, false);
    }
    if (PQputCopyEnd(conn, nullptr) != 1) throw_result_error(conn, nullptr, false);
    result_handle done(PQgetResult(conn));
    while (result_handle extra{PQgetResult(conn)}) {
    }
    if (!done || !succeeded(done.get())) throw_result_error(conn, done.get(), false);
}

bool connection::healthy() const noexcept {
    return handle_ && PQstatus(handle_.get()) == CONNECTION_OK;
}

int connection::backend_pid() const noexcept {
    return handle_ ? PQbackendPID(handle_.get()) : 0;
}

}  // namespace gisa::store
