// One batch of pages turned into the parameters of the upsert statements: checked, hashed, deduplicated.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/page_record.hpp"
#include "store/connection.hpp"
#include "store/store.hpp"

namespace gisa::store {

class page_batch {
  public:
    // Takes pages[i] for every i in `which`. Pages with text PostgreSQL would
    // refuse get an error result here and are left out; so are pages whose URL
    // comes again later in the batch (superseded).
    page_batch(std::span<const core::page_record> pages, std::span<const fetch_meta> metas,
               std::vector<std::size_t> which);

    bool empty() const noexcept { return sent_.empty(); }

    // Round 1: lock the batch's keys, read the stored hashes (computes the
    // content hashes first: pages whose hash is stored are not looked into).
    std::vector<statement> first_round();
    // The content hashes of articles, board rows and pages (idempotent;
    // first_round and committed call it when it has not run yet).
    void compute_hashes();
    // Round 2 from round 1's answers: only what is new or changed, and the
    // frontier rows. Remembers the plan for results().
    std::vector<statement> second_round(const std::vector<result>& stored);
    // The transaction committed: the plan is what happened.
    void mark_committed();

    // After a lost commit answer: whether the batch is stored (asks the database).
    bool committed(connection& conn);
    void mark_recovered();

    // One result per page of `which`, in the same order.
    std::vector<ingest_result>& results() noexcept { return results_; }

  private:
    using column = std::vector<std::optional<std::string>>;
    enum class plan : char { insert, update, same };
    struct article_item {
        std::size_t k;  // batch position of its page
        std::string url;
        std::string hash;
        std::optional<std::string> id;  // when stored
        plan todo = plan::insert;
    };
    struct row_item {
        std::size_t k;
        const core::board_row* row;
        std::size_t board;  // index in boards_
        std::string key;
        std::string hash;
        std::optional<std::string> id;
        plan todo = plan::insert;
    };

    // row_slots: (board index, row key) -> position in rows_; board_index: board key -> index in boards_.
    void add_page(std::size_t k, std::unordered_map<std::string, std::size_t>& row_slots,
                  std::unordered_map<std::string, std::size_t>& board_index);
    std::vector<statement> article_writes() const;
    std::vector<statement> row_writes() const;

    std::span<const core::page_record> pages_;
    std::span<const fetch_meta> metas_;
    std::vector<std::size_t> which_;                       // input index of each batch position k
    std::vector<ingest_result> results_;                   // by batch position k
    std::vector<std::size_t> sent_;                        // batch positions k of the pages sent
    std::vector<std::string> seen_;                        // fetch time text, by batch position k
    std::vector<std::string> seen_micros_;                 // the same as postgres_micros, in decimal
    std::vector<std::size_t> page_of_;                     // position in sent_, by batch position k
    std::vector<std::optional<std::string>> page_boards_;  // by position in sent_: the board, if it has rows

    std::vector<article_item> articles_;
    std::vector<row_item> rows_;
    std::vector<std::string> boards_;  // the batch's board keys, each once
    std::vector<column> url_cols_;     // the frontier rows, all pages
    // Per board row of every sent page, in order: its slot in rows_.
    std::vector<std::size_t> page_row_slots_;
    bool hashed_ = false;
    std::vector<std::int32_t> lock_keys_;  // sorted, unique
};

// The element types of the batch arrays (their OIDs go into the binary form).
// timestamptz_micros values are decimal microseconds since 2000-01-01 UTC
// (postgres_micros), sent in binary; timestamptz values are timestamptz input
// text, sent as a text literal.
enum class element : char { text, int4, int8, boolean, timestamptz_micros, timestamptz };

// A one-dimensional array in PostgreSQL's binary format (what array_recv
// reads), built value by value. Throws std::invalid_argument on a value of
// another type than the column's, and for timestamptz (text only).
class binary_column {
  public:
    explicit binary_column(element type);
    void add_null();
    void add(std::string_view text);  // text
    void add(std::int64_t number);    // int4 (range-checked), int8, timestamptz_micros
    void add(bool value);             // boolean
    // A value given as its text ("123", "t"), as binary_array takes them.
    void add_text_form(const std::optional<std::string>& value);
    std::size_t size() const noexcept { return static_cast<std::size_t>(count_); }
    std::string finish() const;

  private:
    element type_;
    std::int32_t oid_;
    std::string elements_;
    std::int32_t count_ = 0;
    bool has_null_ = false;
};

// A one-dimensional array in PostgreSQL's binary format (what array_recv
// reads) of text values given as their text; timestamptz values are not
// encoded (use array_literal). Throws std::invalid_argument on a number or
// boolean that is not one.
std::string binary_array(element type, const std::vector<std::optional<std::string>>& values);

// A PostgreSQL array literal ({"a","b",NULL}) of text values.
std::string array_literal(const std::vector<std::optional<std::string>>& values);

// A record date ("2024-07-18T15:12:00+09:00" or "2024-07-18") as a timestamptz
// input, or nullopt when it is not ISO 8601; a date alone is midnight Korean time.
std::optional<std::string> timestamp_input(const std::optional<std::string>& iso);

// Microseconds since 2000-01-01 UTC, PostgreSQL's binary timestamptz.
std::int64_t postgres_micros(std::chrono::system_clock::time_point when);

// UTC, microseconds: "2024-07-18T06:12:00.000000Z".
std::string timestamp_text(std::chrono::system_clock::time_point when);

}  // namespace gisa::store
