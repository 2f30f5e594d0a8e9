// The store: gisa's PostgreSQL database as the rest of gisa sees it (issue #6).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page_record.hpp"
#include "store/migrations.hpp"

namespace gisa::store {

class connection;

// When a stored page is due again if the caller does not say.
constexpr std::chrono::hours default_recrawl{1};

// A next fetch time that never comes: stored as 'infinity'.
constexpr std::chrono::system_clock::time_point never = std::chrono::system_clock::time_point::max();

// What the fetcher knows about one fetch of a page.
struct fetch_meta {
    std::chrono::system_clock::time_point fetched_at = std::chrono::system_clock::now();
    int http_status = 200;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    // When to fetch the URL again (`never`: not again); nullopt: default_recrawl after fetched_at.
    std::optional<std::chrono::system_clock::time_point> next_fetch_at;
    // Which board the rows belong to; "" derives it from the page URL without
    // its paging parameters (board_key_of), so that page 1 and page 2 of a
    // list keep one row per post.
    std::string board_key;
};

// What one page's upsert did.
struct ingest_result {
    bool article_inserted = false;
    bool article_updated = false;  // the old version went to article_revisions
    bool unchanged = false;        // nothing but the frontier's fetch time was written
    int rows_inserted = 0;
    int rows_updated = 0;
    int rows_unchanged = 0;
    bool superseded = false;           // a later page of the same batch had the same URL; it was stored instead
    bool recovered = false;            // the commit's answer was lost; the content hash showed it was stored
    std::optional<core::error> error;  // this page was not stored (bad text, refused by the server)
};

// Exponential backoff with full jitter, for reconnecting.
struct backoff_policy {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds max_delay{5000};
    std::chrono::milliseconds give_up_after{30000};  // total; zero or less: try once
};

struct store_options {
    backoff_policy reconnect;
    int max_pages_per_batch = 200;  // pages per transaction and round trip
    int max_retries = 5;            // serialization failures and deadlocks, per batch
    // Off for PgBouncer in transaction pooling mode (connection::use_prepared_statements).
    bool prepared_statements = true;
    // Test seam: called after a batch (its commit included) is on the wire and
    // before its answer is read; returning true drops the connection unread,
    // as if the answer had been lost.
    std::function<bool()> after_batch_sent;
};

class store {
  public:
    // Connects once; throws db_error (a clear message, retryable) when the
    // server cannot be reached: one-shot commands exit with it.
    static store connect(const std::string& dsn, store_options options = {});

    // Connects, retrying with backoff until `options.reconnect.give_up_after`
    // has passed or `keep_trying` says stop (the daemon waits for its database).
    static store connect_with_backoff(const std::string& dsn, store_options options = {},
                                      const std::function<bool(const core::error&)>& keep_trying = {});

    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    migrate_report migrate();

    // Stores one page in one transaction. Throws db_error when the database
    // stays unreachable past the reconnect policy; bad text throws db_error with
    // errc::decode and nothing is sent.
    ingest_result upsert_page(const core::page_record& page, const fetch_meta& meta);

    // Stores many pages, many per transaction and round trip; results[i] is for
    // pages[i]. A page that cannot be stored gets its own error and does not
    // stop the others. Throws db_error only when the database stays unreachable;
    // what was not yet written is then still the caller's.
    std::vector<ingest_result> upsert_pages(std::span<const core::page_record> pages,
                                            std::span<const fetch_meta> metas);

    // The connection, for tools and tests that query the database directly.
    connection& raw();

  private:
    struct state;
    explicit store(std::unique_ptr<state> s);
    std::unique_ptr<state> state_;
};

// The page URL without paging query parameters (page, p, pg, pageNo, ...).
std::string board_key_of(const std::string& url);

// The host part of a URL, lower-cased, without user info or port.
std::string host_of(const std::string& url);

}  // namespace gisa::store
