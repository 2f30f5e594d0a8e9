// Building one batch: refuse bad text, hash, deduplicate, lay the values out as array parameters.
#include "store/page_batch.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstdint>
#include <ctime>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "store/content_hash.hpp"
#include "store/db_error.hpp"
#include "store/text_check.hpp"
#include "store/upsert_sql.hpp"

namespace gisa::store {

namespace {

using column = std::vector<std::optional<std::string>>;

// Korean sites give local times; a date alone is taken as midnight there.
constexpr std::string_view date_only_suffix = "T00:00:00+09:00";

bool digits(std::string_view text, std::size_t from, std::size_t count) {
    if (from + count > text.size()) return false;
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view text, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i)
        value = value * 10 + (text[i] - '0');
    return value;
}

bool valid_date(std::string_view text) {
    if (text.size() < 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) || text[7] != '-' ||
        !digits(text, 8, 2))
        return false;
    const int year = number(text, 0, 4);
    const int month = number(text, 5, 2);
    const int day = number(text, 8, 2);
    static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1]) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

// "HH:MM[:SS[.fff]]" then "Z" or "+HH:MM"/"-HH:MM", from position 11.
bool valid_time_and_offset(std::string_view text) {
    std::size_t i = 11;
    if (!digits(text, i, 2) || text.size() < i + 5 || text[i + 2] != ':' || !digits(text, i + 3, 2)) return false;
    if (number(text, i, 2) > 23 || number(text, i + 3, 2) > 59) return false;
    i += 5;
    if (i < text.size() && text[i] == ':') {
        if (!digits(text, i + 1, 2) || number(text, i + 1, 2) > 59) return false;
        i += 3;
        if (i < text.size() && text[i] == '.') {
            ++i;
            const std::size_t start = i;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9')
                ++i;
            if (i == start || i - start > 9) return false;
        }
    }
    if (i < text.size() && text[i] == 'Z') return i + 1 == text.size();
    if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return false;
    return text.size() == i + 6 && digits(text, i + 1, 2) && text[i + 3] == ':' && digits(text, i + 4, 2) &&
           number(text, i + 1, 2) <= 14 && number(text, i + 4, 2) <= 59;
}

std::uint32_t fnv1a(std::string_view tag, std::string_view text) {
    std::uint32_t hash = 2166136261u;
    for (const std::string_view part : {tag, text})
        for (const char c : part) {
            hash ^= static_cast<std::uint8_t>(c);
            hash *= 16777619u;
        }
    return hash;
}

void check_page(const core::page_record& page, const fetch_meta& meta) {
    check_text("url", page.url);
    check_text("final_url", page.final_url);
    for (const auto* field : {&page.title, &page.subtitle, &page.byline, &page.publisher, &page.published_at,
                              &page.modified_at, &meta.etag, &meta.last_modified})
        if (*field) check_text("a text field", **field);
    for (const std::string& para : page.body)
        check_text("body", para);
    for (const std::string& caption : page.captions)
        check_text("captions", caption);
    check_text("board_key", meta.board_key);
    for (const core::board_row& row : page.board.rows) {
        check_text("board row title", row.title);
        check_text("board row url", row.url);
        if (row.author) check_text("board row author", *row.author);
        if (row.date) check_text("board row date", *row.date);
    }
}

std::string canonical_url(const core::page_record& page) {
    return page.final_url.empty() ? page.url : page.final_url;
}

// The board a page's rows belong to (fetch_meta::board_key).
std::string board_of(const core::page_record& page, const fetch_meta& meta) {
    return meta.board_key.empty() ? board_key_of(canonical_url(page)) : meta.board_key;
}

digest article_hash(const core::page_record& page) {
    content_hasher h;
    h.add(page.title).add(page.subtitle).add(page.body).add(page.captions).add(page.byline).add(page.publisher);
    h.add(page.published_at).add(page.modified_at);
    return h.finish();
}

digest row_hash(const core::board_row& row) {
    content_hasher h;
    h.add(row.no).add(std::string_view(row.title)).add(std::string_view(row.url)).add(row.author).add(row.date);
    h.add(row.views).add(row.notice);
    // Only when there is one: the rows stored before the field existed keep their hashes, and are
    // rewritten only where the page shows a category.
    if (row.category) h.add(row.category);
    return h.finish();
}

// As board_rows.row_key computes it (migration 0007): the post number, else the URL, else (a row
// whose link is a script call) the title.
std::string row_key(const core::board_row& row) {
    if (row.no) return "n:" + std::to_string(*row.no);
    return row.url.empty() ? "t:" + row.title : "u:" + row.url;
}

void push_row(std::vector<column>& columns, std::initializer_list<std::optional<std::string>> values) {
    std::size_t i = 0;
    for (const auto& value : values)
        columns[i++].push_back(value);
}

// One statement over the batch's columns, one array parameter each: binary
// where the server can take it so (no parsing of 5000-element literals),
// text literals for timestamps.
statement array_statement(std::string_view sql, const std::vector<column>& columns,
                          std::initializer_list<element> types) {
    if (types.size() != columns.size()) throw std::logic_error("array_statement: one type per column");
    statement out{sql, {}, {}};
    out.values.reserve(columns.size());
    std::size_t i = 0;
    for (const element type : types) {
        const bool binary = type != element::timestamptz;  // timestamps other than ours come as text
        out.values.emplace_back(binary ? binary_array(type, columns[i]) : array_literal(columns[i]));
        out.formats.push_back(binary ? 1 : 0);
        ++i;
    }
    return out;
}

using e = element;

// Element types of the statements' array parameters, in their order ($1, $2, ...).
// The frontier's times are ours (fetch time, next fetch time): binary, like
// every timestamp that does not come from a record.
const std::initializer_list<element> url_types = {e::text, e::text, e::timestamptz_micros, e::int4, e::text,
                                                  e::text, e::text, e::timestamptz_micros, e::text};
const std::initializer_list<element> insert_article_types = {
    e::text, e::text,        e::text, e::text,        e::text, e::text, e::text,
    e::text, e::timestamptz, e::text, e::timestamptz, e::text, e::text, e::timestamptz_micros};
const std::initializer_list<element> update_article_types = {e::int8,
                                                             e::text,
                                                             e::text,
                                                             e::text,
                                                             e::text,
                                                             e::text,
                                                             e::text,
                                                             e::timestamptz,
                                                             e::text,
                                                             e::timestamptz,
                                                             e::text,
                                                             e::text,
                                                             e::timestamptz_micros};
void put_int32(std::string& out, std::int32_t value) {
    const auto bits = static_cast<std::uint32_t>(value);
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((bits >> shift) & 0xFF));
}

void put_int64(std::string& out, std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((bits >> shift) & 0xFF));
}

template <typename Int>
Int parse_int(const std::string& text) {
    Int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw std::invalid_argument("binary_array: not an integer: " + text);
    return value;
}

column as_column(const std::vector<std::string>& values) {
    return column(values.begin(), values.end());
}

constexpr std::size_t url_columns = 9;
constexpr std::size_t page_hash_column = 6;   // in url_cols_ (touch_urls $7)
constexpr std::size_t generation_column = 8;  // touch_urls $9

}  // namespace

namespace {

// pg_type OIDs of the element types.
std::int32_t element_oid(element type) {
    constexpr std::int32_t text_oid = 25, int4_oid = 23, int8_oid = 20, bool_oid = 16, timestamptz_oid = 1184;
    switch (type) {
        case element::text:
            return text_oid;
        case element::int4:
            return int4_oid;
        case element::int8:
            return int8_oid;
        case element::boolean:
            return bool_oid;
        case element::timestamptz_micros:
            return timestamptz_oid;
        case element::timestamptz:
            break;
    }
    throw std::invalid_argument("binary_array: timestamptz travels as text");
}

}  // namespace

binary_column::binary_column(element type) : type_(type), oid_(element_oid(type)) {}

void binary_column::add_null() {
    put_int32(elements_, -1);
    has_null_ = true;
    ++count_;
}

void binary_column::add(std::string_view text) {
    if (type_ != element::text) throw std::invalid_argument("binary_column: text in a column of another type");
    if (text.size() > static_cast<std::size_t>(INT32_MAX)) throw std::invalid_argument("binary_array: value too long");
    put_int32(elements_, static_cast<std::int32_t>(text.size()));
    elements_ += text;
    ++count_;
}

void binary_column::add(std::int64_t number) {
    if (type_ == element::int4) {
        if (number < INT32_MIN || number > INT32_MAX) throw std::invalid_argument("binary_array: out of int4 range");
        put_int32(elements_, 4);
        put_int32(elements_, static_cast<std::int32_t>(number));
    } else if (type_ == element::int8 || type_ == element::timestamptz_micros) {
        // timestamptz is int64 microseconds since 2000 on the wire
        put_int32(elements_, 8);
        put_int64(elements_, number);
    } else {
        throw std::invalid_argument("binary_column: a number in a column of another type");
    }
    ++count_;
}

void binary_column::add(bool value) {
    if (type_ != element::boolean) throw std::invalid_argument("binary_column: a boolean in a column of another type");
    put_int32(elements_, 1);
    elements_.push_back(value ? 1 : 0);
    ++count_;
}

void binary_column::add_text_form(const std::optional<std::string>& value) {
    if (!value) {
        add_null();
        return;
    }
    switch (type_) {
        case element::text:
            add(std::string_view(*value));
            return;
        case element::int4:
            add(std::int64_t{parse_int<std::int32_t>(*value)});
            return;
        case element::int8:
        case element::timestamptz_micros:
            add(parse_int<std::int64_t>(*value));
            return;
        case element::boolean:
            if (*value != "t" && *value != "f") throw std::invalid_argument("binary_array: not a boolean: " + *value);
            add(*value == "t");
            return;
        case element::timestamptz:
            break;
    }
    throw std::invalid_argument("binary_array: timestamptz travels as text");
}

std::string binary_column::finish() const {
    std::string out;
    out.reserve(20 + elements_.size());
    put_int32(out, count_ == 0 ? 0 : 1);  // dimensions
    put_int32(out, has_null_ ? 1 : 0);
    put_int32(out, oid_);
    if (count_ == 0) return out;
    put_int32(out, count_);
    put_int32(out, 1);  // lower bound
    out += elements_;
    return out;
}

std::string binary_array(element type, const std::vector<std::optional<std::string>>& values) {
    binary_column out(type);
    for (const auto& value : values)
        out.add_text_form(value);
    return out.finish();
}

std::string array_literal(const std::vector<std::optional<std::string>>& values) {
    std::size_t size = 2;
    for (const auto& value : values)
        size += (value ? value->size() + 3 : 5);
    std::string out;
    out.reserve(size);
    out.push_back('{');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out.push_back(',');
        if (!values[i]) {
            out += "NULL";
            continue;
        }
        out.push_back('"');
        for (const char c : *values[i]) {
            if (c == '"' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.push_back('}');
    return out;
}

std::optional<std::string> timestamp_input(const std::optional<std::string>& iso) {
    if (!iso || !valid_date(*iso)) return std::nullopt;
    if (iso->size() == 10) return *iso + std::string(date_only_suffix);
    if ((*iso)[10] != 'T' && (*iso)[10] != ' ') return std::nullopt;
    if (!valid_time_and_offset(*iso)) return std::nullopt;
    return *iso;
}

std::int64_t postgres_micros(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    // PostgreSQL's binary 'infinity' (DT_NOEND): a URL that is never due again.
    if (when == never) return std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t unix_to_postgres_epoch_s = 946'684'800;  // 2000-01-01T00:00:00Z
    return duration_cast<microseconds>(when.time_since_epoch()).count() - unix_to_postgres_epoch_s * 1'000'000;
}

std::string timestamp_text(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto micros = duration_cast<microseconds>(when.time_since_epoch()).count();
    auto seconds = static_cast<std::time_t>(micros / 1'000'000);
    long long fraction = micros % 1'000'000;
    if (fraction < 0) {
        fraction += 1'000'000;
        --seconds;
    }
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(text, n);
    const std::string digits6 = std::to_string(1'000'000 + fraction).substr(1);
    return out + "." + digits6 + "Z";
}

page_batch::page_batch(std::span<const core::page_record> pages, std::span<const fetch_meta> metas,
                       std::vector<std::size_t> which)
    : pages_(pages),
      metas_(metas),
      which_(std::move(which)),
      results_(which_.size()),
      seen_(which_.size()),
      seen_micros_(which_.size()),
      page_of_(which_.size()),
      url_cols_(url_columns) {
    // 1. Refuse bad text before anything is sent.
    std::vector<bool> good(which_.size(), false);
    for (std::size_t k = 0; k < which_.size(); ++k) {
        try {
            check_page(pages_[which_[k]], metas_[which_[k]]);
            good[k] = true;
        } catch (const db_error& refused) {
            results_[k].error = refused.info().error;
        }
    }
    // 2. A statement may touch a row once: the last page of a URL, the last
    //    version of an article and of a board row win.
    std::unordered_map<std::string, std::size_t> last_of_url;
    std::unordered_map<std::string, std::size_t> last_of_article;
    for (std::size_t k = 0; k < which_.size(); ++k) {
        if (!good[k]) continue;
        const core::page_record& page = pages_[which_[k]];
        last_of_url[page.url] = k;
        if (page.has_article()) last_of_article[canonical_url(page)] = k;
    }
    std::unordered_map<std::string, std::size_t> row_slots;
    std::size_t row_count = 0;
    for (const std::size_t i : which_)
        row_count += pages_[i].board.rows.size();
    row_slots.reserve(row_count);
    rows_.reserve(row_count);
    page_row_slots_.reserve(row_count);
    std::unordered_map<std::string, std::size_t> board_index;
    for (std::size_t k = 0; k < which_.size(); ++k) {
        if (!good[k]) continue;
        const core::page_record& page = pages_[which_[k]];
        const bool last_of_its_url = last_of_url[page.url] == k;
        const bool owns_article = !page.has_article() || last_of_article[canonical_url(page)] == k;
        if (last_of_its_url && owns_article) {
            add_page(k, row_slots, board_index);
        } else {
            results_[k].superseded = true;
        }
    }
    std::sort(lock_keys_.begin(), lock_keys_.end());
    lock_keys_.erase(std::unique(lock_keys_.begin(), lock_keys_.end()), lock_keys_.end());
}

void page_batch::add_page(std::size_t k, std::unordered_map<std::string, std::size_t>& row_slots,
                          std::unordered_map<std::string, std::size_t>& board_index) {
    const core::page_record& page = pages_[which_[k]];
    const fetch_meta& meta = metas_[which_[k]];
    page_of_[k] = sent_.size();
    sent_.push_back(k);
    seen_[k] = timestamp_text(meta.fetched_at);
    seen_micros_[k] = std::to_string(postgres_micros(meta.fetched_at));
    lock_keys_.push_back(static_cast<std::int32_t>(fnv1a("u:", page.url)));
    if (page.has_article()) {
        article_item item{k, canonical_url(page), {}, std::nullopt};
        // The article's URL shares the frontier's key space: mostly it is the
        // page's own URL, and then the page takes one lock, not two.
        lock_keys_.push_back(static_cast<std::int32_t>(fnv1a("u:", item.url)));
        articles_.push_back(std::move(item));
    }
    const std::string board = board_of(page, meta);
    std::size_t board_at = boards_.size();
    if (!page.board.rows.empty()) {
        lock_keys_.push_back(static_cast<std::int32_t>(fnv1a("b:", board)));
        const auto [known, fresh_board] = board_index.try_emplace(board, boards_.size());
        if (fresh_board) boards_.push_back(board);
        board_at = known->second;
    }
    for (const core::board_row& row : page.board.rows) {
        row_item item{k, &row, board_at, row_key(row), {}, std::nullopt};
        const auto [slot, fresh] = row_slots.try_emplace(std::to_string(board_at) + '\n' + item.key, rows_.size());
        const std::size_t at = fresh ? rows_.size() : slot->second;
        page_row_slots_.push_back(at);
        if (fresh) {
            rows_.push_back(std::move(item));
        } else {
            rows_[at] = std::move(item);
        }
    }
    const auto next = meta.next_fetch_at.value_or(meta.fetched_at + default_recrawl);
    // The page hash and the board whose generation the page records: compute_hashes.
    push_row(url_cols_, {page.url, host_of(page.url), seen_micros_[k], std::to_string(meta.http_status), meta.etag,
                         meta.last_modified, std::nullopt, std::to_string(postgres_micros(next)), std::nullopt});
    page_boards_.push_back(page.board.rows.empty() ? std::nullopt : std::optional<std::string>(board));
}

void page_batch::compute_hashes() {
    if (hashed_) return;
    std::size_t next_article = 0;
    std::size_t next_row = 0;  // position in page_row_slots_
    std::vector<std::string> row_hashes(page_row_slots_.size());
    for (std::size_t n = 0; n < sent_.size(); ++n) {
        const std::size_t k = sent_[n];
        const core::page_record& page = pages_[which_[k]];
        // The page hash also names where the page's contents are stored (its
        // article's URL, its board): an equal hash means the same rows in the
        // same place (sql::stored_contents then skips looking them up).
        content_hasher page_hash;
        if (page.has_article()) page_hash.add(std::string_view(canonical_url(page)));
        if (!page.board.rows.empty()) page_hash.add(std::string_view(board_of(page, metas_[which_[k]])));
        if (page.has_article()) {
            article_item& item = articles_.at(next_article++);
            item.hash = to_hex(article_hash(page));
            page_hash.add(std::string_view(item.hash));
        }
        for (const core::board_row& row : page.board.rows) {
            std::string hash = to_hex(row_hash(row));
            page_hash.add(std::string_view(hash));
            // A later page of the batch may have taken the slot over: its own hash goes there.
            row_item& item = rows_.at(page_row_slots_.at(next_row));
            if (item.row == &row) item.hash = hash;
            row_hashes[next_row++] = std::move(hash);
        }
        url_cols_[page_hash_column][n] = to_hex(page_hash.finish());
    }
    // A page records its board's generation when every row of it is stored as
    // it has it: not when a later page of the batch has one of them otherwise.
    next_row = 0;
    for (std::size_t n = 0; n < sent_.size(); ++n) {
        bool as_seen = true;
        for (std::size_t r = 0; r < pages_[which_[sent_[n]]].board.rows.size(); ++r, ++next_row)
            as_seen = as_seen && rows_.at(page_row_slots_[next_row]).hash == row_hashes[next_row];
        url_cols_[generation_column][n] = as_seen ? page_boards_[n] : std::nullopt;
    }
    hashed_ = true;
}

std::vector<statement> page_batch::first_round() {
    compute_hashes();
    column keys;
    keys.reserve(lock_keys_.size());
    for (const std::int32_t key : lock_keys_)
        keys.emplace_back(std::to_string(key));
    std::vector<statement> out;
    out.push_back({sql::lock_keys, {std::to_string(sql::lock_space), binary_array(element::int4, keys)}, {0, 1}});
    // Page positions are counted from 1, as WITH ORDINALITY counts them.
    const auto page_number = [&](std::size_t k) { return static_cast<std::int64_t>(page_of_[k] + 1); };
    binary_column article_urls(element::text);
    for (const article_item& a : articles_)
        article_urls.add(std::string_view(a.url));
    binary_column boards(element::text);
    binary_column keys_of_rows(element::text);
    binary_column row_pages(element::int8);
    for (const row_item& r : rows_) {
        boards.add(std::string_view(boards_[r.board]));
        keys_of_rows.add(std::string_view(r.key));
        row_pages.add(page_number(r.k));
    }
    out.push_back({sql::stored_contents,
                   {binary_array(element::text, url_cols_[0]), binary_array(element::text, url_cols_[page_hash_column]),
                    binary_array(element::text, page_boards_), article_urls.finish(), boards.finish(),
                    keys_of_rows.finish(), row_pages.finish()},
                   {1, 1, 1, 1, 1, 1, 1}});
    return out;
}

namespace {

enum class stored_kind : long long { page = 0, article = 1, board_row = 2 };

// What round 1 found for one kind of item: nothing (new), the same hash, or another.
template <typename Item>
void compare_stored(const result& stored, std::vector<Item>& items, stored_kind kind) {
    for (int r = 0; r < stored.rows(); ++r) {
        if (stored.get_int(r, 0) != static_cast<long long>(kind)) continue;
        Item& item = items.at(static_cast<std::size_t>(stored.get_int(r, 1) - 1));
        item.id = std::string(stored.get(r, 2));
        item.todo = stored.get(r, 3) == item.hash ? decltype(item.todo)::same : decltype(item.todo)::update;
    }
}

}  // namespace

std::vector<statement> page_batch::second_round(const std::vector<result>& stored) {
    compute_hashes();
    for (article_item& a : articles_) {
        a.id.reset();
        a.todo = plan::insert;
    }
    for (row_item& r : rows_) {
        r.id.reset();
        r.todo = plan::insert;
    }
    const result& found = stored.at(1);
    std::vector<bool> same_page(sent_.size(), false);
    for (int r = 0; r < found.rows(); ++r)
        if (found.get_int(r, 0) == static_cast<long long>(stored_kind::page))
            same_page.at(static_cast<std::size_t>(found.get_int(r, 1) - 1)) = true;
    // The board rows of an unchanged list page: not looked up, not written,
    // stored as they are (their ids are not needed). Articles are always
    // looked up (sql::stored_contents).
    for (row_item& r : rows_)
        if (same_page[page_of_[r.k]]) r.todo = plan::same;
    compare_stored(found, articles_, stored_kind::article);
    compare_stored(found, rows_, stored_kind::board_row);
    std::vector<statement> out = article_writes();
    for (statement& st : row_writes())
        out.push_back(std::move(st));
    std::vector<bool> written(boards_.size(), false);
    for (const row_item& r : rows_)
        if (r.todo != plan::same) written[r.board] = true;
    column next_generation;
    for (std::size_t b = 0; b < boards_.size(); ++b)
        if (written[b]) next_generation.emplace_back(boards_[b]);
    if (!next_generation.empty())
        out.push_back(array_statement(sql::next_board_generation, {next_generation}, {element::text}));
    out.push_back(array_statement(sql::touch_urls, url_cols_, url_types));
    return out;
}

std::vector<statement> page_batch::article_writes() const {
    std::vector<column> inserts(14);
    std::vector<column> updates(13);
    for (const article_item& a : articles_) {
        if (a.todo == plan::same) continue;
        const core::page_record& p = pages_[which_[a.k]];
        const std::string body = array_literal(as_column(p.body));
        const std::string captions = array_literal(as_column(p.captions));
        const auto published = timestamp_input(p.published_at);
        const auto modified = timestamp_input(p.modified_at);
        if (a.todo == plan::insert) {
            push_row(inserts, {a.url, host_of(a.url), p.title, p.subtitle, body, captions, p.byline, p.publisher,
                               published, p.published_at, modified, p.modified_at, a.hash, seen_micros_[a.k]});
        } else {
            push_row(updates, {a.id, p.title, p.subtitle, body, captions, p.byline, p.publisher, published,
                               p.published_at, modified, p.modified_at, a.hash, seen_micros_[a.k]});
        }
    }
    std::vector<statement> out;
    if (!inserts[0].empty()) out.push_back(array_statement(sql::insert_articles, inserts, insert_article_types));
    if (!updates[0].empty()) out.push_back(array_statement(sql::update_articles, updates, update_article_types));
    return out;
}

namespace {

// The eleven array parameters of insert_board_rows / update_board_rows, built
// straight into PostgreSQL's binary form (no text round trip per value).
struct row_columns {
    explicit row_columns(element first)
        : columns{binary_column(first),   binary_column(e::int8),
                  binary_column(e::text), binary_column(e::text),
                  binary_column(e::text), binary_column(e::text),
                  binary_column(e::int8), binary_column(e::boolean),
                  binary_column(e::text), binary_column(e::timestamptz_micros),
                  binary_column(e::text)} {}
    std::array<binary_column, 11> columns;

    void add(const core::board_row& row, const std::string& hash, std::int64_t seen_micros) {
        const auto optional_text = [](binary_column& c, const std::optional<std::string>& v) {
            if (v) {
                c.add(std::string_view(*v));
            } else {
                c.add_null();
            }
        };
        const auto optional_number = [](binary_column& c, const std::optional<std::int64_t>& v) {
            if (v) {
                c.add(*v);
            } else {
                c.add_null();
            }
        };
        optional_number(columns[1], row.no);
        columns[2].add(std::string_view(row.title));
        columns[3].add(std::string_view(row.url));
        optional_text(columns[4], row.author);
        optional_text(columns[5], row.date);
        optional_number(columns[6], row.views);
        columns[7].add(row.notice);
        columns[8].add(std::string_view(hash));
        columns[9].add(seen_micros);
        optional_text(columns[10], row.category);
    }

    statement finish(std::string_view sql) const {
        statement out{sql, {}, {}};
        for (const binary_column& c : columns) {
            out.values.emplace_back(c.finish());
            out.formats.push_back(1);
        }
        return out;
    }
};

}  // namespace

std::vector<statement> page_batch::row_writes() const {
    row_columns inserts(e::text);
    row_columns updates(e::int8);
    for (const row_item& r : rows_) {
        if (r.todo == plan::same) continue;
        const std::int64_t seen = postgres_micros(metas_[which_[r.k]].fetched_at);
        if (r.todo == plan::insert) {
            inserts.columns[0].add(std::string_view(boards_[r.board]));
            inserts.add(*r.row, r.hash, seen);
        } else {
            updates.columns[0].add(parse_int<std::int64_t>(*r.id));
            updates.add(*r.row, r.hash, seen);
        }
    }
    std::vector<statement> out;
    if (inserts.columns[0].size() > 0) out.push_back(inserts.finish(sql::insert_board_rows));
    if (updates.columns[0].size() > 0) out.push_back(updates.finish(sql::update_board_rows));
    return out;
}

void page_batch::mark_committed() {
    for (const std::size_t k : sent_)
        results_[k] = ingest_result{};
    for (const article_item& a : articles_) {
        results_[a.k].article_inserted = a.todo == plan::insert;
        results_[a.k].article_updated = a.todo == plan::update;
    }
    for (const row_item& r : rows_) {
        ingest_result& out = results_[r.k];
        (r.todo == plan::insert ? out.rows_inserted : r.todo == plan::update ? out.rows_updated : out.rows_unchanged)++;
    }
    for (const std::size_t k : sent_) {
        ingest_result& out = results_[k];
        out.unchanged =
            !out.article_inserted && !out.article_updated && out.rows_inserted == 0 && out.rows_updated == 0;
    }
}

bool page_batch::committed(connection& conn) {
    compute_hashes();
    column fetched;
    fetched.reserve(sent_.size());
    for (const std::size_t k : sent_)
        fetched.emplace_back(seen_[k]);
    const result answer =
        conn.exec(sql::count_committed,
                  {array_literal(url_cols_[0]), array_literal(url_cols_[page_hash_column]), array_literal(fetched)});
    return answer.get_int(0, 0) == static_cast<long long>(url_cols_[0].size());
}

void page_batch::mark_recovered() {
    for (const std::size_t k : sent_) {
        results_[k] = ingest_result{};
        results_[k].recovered = true;
    }
}

}  // namespace gisa::store
