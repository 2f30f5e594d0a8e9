// The store's write path: batches, retries with backoff, reconnects, lost commit answers.
#include "store/store.hpp"

#include <algorithm>
#include <future>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>

#include "store/connection.hpp"
#include "store/db_error.hpp"
#include "store/page_batch.hpp"

namespace gisa::store {

namespace {

// How often a batch may lose its connection before the failure is passed on
// (each loss already waited through a whole reconnect policy).
constexpr int max_connection_losses_per_batch = 5;

}  // namespace

struct store::state {
    std::string dsn;
    store_options options;
    std::optional<connection> conn;
    std::mt19937 random{std::random_device{}()};

    std::chrono::milliseconds jittered(std::chrono::milliseconds delay) {
        std::uniform_int_distribution<long long> pick(delay.count() / 2, std::max<long long>(delay.count(), 1));
        return std::chrono::milliseconds(pick(random));
    }

    // Reconnects with exponential backoff until the policy gives up.
    void ensure_connected() {
        if (conn && conn->healthy()) return;
        conn.reset();
        const auto deadline = std::chrono::steady_clock::now() + options.reconnect.give_up_after;
        auto delay = options.reconnect.initial;
        for (;;) {
            try {
                conn.emplace(connection::open(dsn));
                conn->use_prepared_statements(options.prepared_statements);
                return;
            } catch (const db_error&) {
                const auto wait = jittered(delay);
                if (std::chrono::steady_clock::now() + wait > deadline) throw;
                std::this_thread::sleep_for(wait);
                delay = std::min(delay * 2, options.reconnect.max_delay);
            }
        }
    }

    // Writes one batch in one transaction. A lost connection is reconnected and
    // the batch sent again; if its commit was already on the wire, the content
    // hashes of the frontier rows decide whether it happened, so that it is not
    // blindly repeated.
    void write(page_batch& batch) {
        if (batch.empty()) return;
        int retries = 0;
        int losses = 0;
        bool outcome_unknown = false;
        for (;;) {
            try {
                ensure_connected();
                if (outcome_unknown && batch.committed(*conn)) {
                    batch.mark_recovered();
                    return;
                }
                outcome_unknown = false;
                conn->two_round_transaction(
                    batch.first_round(), [&](const std::vector<result>& stored) { return batch.second_round(stored); },
                    options.after_batch_sent);
                batch.mark_committed();
                return;
            } catch (const db_error& failure) {
                if (failure.poisons_connection()) {
                    conn.reset();
                    outcome_unknown = outcome_unknown || failure.info().outcome_unknown;
                    if (++losses > max_connection_losses_per_batch) throw;
                    continue;
                }
                if (!failure.retryable() || ++retries > options.max_retries) throw;
                std::this_thread::sleep_for(jittered(options.reconnect.initial * retries));
            }
        }
    }

    // A batch the server refuses is split into single pages, so that one bad
    // page costs only itself.
    void write_isolating(std::span<const core::page_record> pages, std::span<const fetch_meta> metas,
                         std::vector<std::size_t> which, std::vector<ingest_result>& out) {
        write_isolating(page_batch(pages, metas, which), pages, metas, which, out);
    }

    void write_isolating(page_batch batch, std::span<const core::page_record> pages, std::span<const fetch_meta> metas,
                         const std::vector<std::size_t>& which, std::vector<ingest_result>& out) {
        try {
            write(batch);
        } catch (const db_error& failure) {
            if (failure.poisons_connection() || failure.retryable()) throw;
            if (which.size() == 1) {
                batch.results()[0] = ingest_result{};
                batch.results()[0].error = failure.info().error;
            } else {
                for (const std::size_t one : which)
                    write_isolating(pages, metas, {one}, out);
                return;
            }
        }
        for (std::size_t k = 0; k < which.size(); ++k)
            out[which[k]] = std::move(batch.results()[k]);
    }
};

store::store(std::unique_ptr<state> s) : state_(std::move(s)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

store store::connect(const std::string& dsn, store_options options) {
    auto s = std::make_unique<state>();
    s->dsn = dsn;
    s->options = std::move(options);
    s->conn.emplace(connection::open(dsn));
    s->conn->use_prepared_statements(s->options.prepared_statements);
    return store(std::move(s));
}

store store::connect_with_backoff(const std::string& dsn, store_options options,
                                  const std::function<bool(const core::error&)>& keep_trying) {
    auto s = std::make_unique<state>();
    s->dsn = dsn;
    s->options = std::move(options);
    for (;;) {
        try {
            s->ensure_connected();
            return store(std::move(s));
        } catch (const db_error& failure) {
            if (!keep_trying || !keep_trying(failure.info().error)) throw;
        }
    }
}

migrate_report store::migrate() {
    state_->ensure_connected();
    return apply_migrations(*state_->conn);
}

ingest_result store::upsert_page(const core::page_record& page, const fetch_meta& meta) {
    std::vector<ingest_result> results = upsert_pages({&page, 1}, {&meta, 1});
    if (results[0].error) {
        db_error_info info;
        info.error = *results[0].error;
        throw db_error(std::move(info));
    }
    return results[0];
}

std::vector<ingest_result> store::upsert_pages(std::span<const core::page_record> pages,
                                               std::span<const fetch_meta> metas) {
    if (pages.size() != metas.size()) throw std::invalid_argument("upsert_pages: one fetch_meta per page");
    std::vector<ingest_result> out(pages.size());
    const auto per_batch = static_cast<std::size_t>(std::max(1, state_->options.max_pages_per_batch));
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t first = 0; first < pages.size(); first += per_batch) {
        std::vector<std::size_t>& which = groups.emplace_back();
        for (std::size_t i = first; i < std::min(pages.size(), first + per_batch); ++i)
            which.push_back(i);
    }
    // Checking, hashing and laying out the next batch is client work that
    // overlaps with the server writing the current one.
    const auto prepare = [&](std::size_t g) {
        return std::async(std::launch::async, [&pages, &metas, &groups, g] {
            page_batch batch(pages, metas, groups[g]);
            // Round 1 sends the page hashes: they are made here, ahead of time.
            batch.compute_hashes();
            return batch;
        });
    };
    std::future<page_batch> next;
    if (!groups.empty()) next = prepare(0);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        page_batch batch = next.get();
        if (g + 1 < groups.size()) next = prepare(g + 1);
        state_->write_isolating(std::move(batch), pages, metas, groups[g], out);
    }
    return out;
}

connection& store::raw() {
    state_->ensure_connected();
    return *state_->conn;
}

}  // namespace gisa::store
