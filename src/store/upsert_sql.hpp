// The statements of one batch of pages. Values travel only as array parameters
// (in PostgreSQL's binary array format, page_batch.cpp, except timestamps from
// records, which are text); each statement touches a row at most once (the
// batch is deduplicated first).
//
// Wide arrays are unnested in a select list, in step (PostgreSQL zips
// several set-returning functions there), not as unnest(a, b, ...) in FROM:
// a function in FROM first copies all its rows into a tuplestore, about four
// times slower for a batch of 5000 board rows. (Keys for index probes, a
// column or three, do go through FROM: stored_contents.)
//
// A batch is one transaction in two round trips (docs/DESIGN.md "Storage"):
//   1. lock the batch's keys, read the stored content hashes (of pages, of
//      articles, of the board rows of list pages that changed);
//   2. insert what is new, update what changed (keeping the old article),
//      touch the frontier rows, commit.
// An unchanged article or board row is only read: it is neither updated nor
// locked, so it keeps its row version (xmin) and costs no WAL, and its text is
// never even sent. (INSERT ... ON CONFLICT DO UPDATE ... WHERE is not used for
// that reason: it locks, and so logs, the conflicting row even when the WHERE
// says no.)
#pragma once

#include <string_view>

namespace gisa::store::sql {

// Serialises writers of the same URLs and boards: transaction-scoped advisory
// locks in the two-key space, keys sorted by the client so that two batches
// never wait on each other in a circle. Locks write no WAL. Taken before the
// hashes are read, so that nothing changes between reading and writing.
constexpr int lock_space = 0x6769;  // "gi"
constexpr std::string_view lock_keys = R"(
SELECT count(pg_advisory_xact_lock($1::int4, k)) FROM (SELECT unnest($2::int4[]) AS k) AS x)";

// Round trip 1: what is stored, in one statement. Its answer rows are
// (kind, position from 1, id, hex hash):
//   kind 0: a board list page ($1 URLs, $2 page hashes, $3 boards, NULL for
//           a page without board rows) whose frontier row holds this very
//           page hash and the generation its board is still at (0003): its
//           board rows are stored as the page has them and are not looked up.
//           For a list re-read unchanged, 1 probe of the frontier in place of
//           25 of board_rows.
//   kind 1: a stored article ($4 URLs);
//   kind 2: a stored board row ($5 boards, $6 row keys, $7 page positions).
// Articles (200 a batch at most) are always looked up, one unique-index probe
// each, whatever the table's size: with a plain join the planner, which takes
// the array for 1000 elements, hashes a whole small table instead (2000
// articles read to find 200: twice the time). The LIMIT keeps the LATERAL
// subquery from being flattened into that join. Board rows come by the
// thousand (25 a page): there the planner's choice stands, a hash join while
// the table is not much bigger than the batch (twice as fast as 5000 index
// probes), probes once it is.
constexpr std::string_view stored_contents = R"(
WITH same_page AS MATERIALIZED (
    SELECT p.n
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS p(url, hash, board, n)
    LEFT JOIN boards b ON b.board_url = p.board
    CROSS JOIN LATERAL (
        SELECT 1 FROM urls u
        WHERE u.url = p.url AND u.content_hash = decode(p.hash, 'hex') AND u.board_generation = coalesce(b.generation, 0)
        LIMIT 1) AS u
    WHERE p.board IS NOT NULL
)
SELECT 0 AS kind, n AS i, NULL::int8 AS id, NULL::text AS hash FROM same_page
UNION ALL
SELECT 1, x.i, a.id, encode(a.content_hash, 'hex')
FROM unnest($4::text[]) WITH ORDINALITY AS x(url, i)
CROSS JOIN LATERAL (SELECT id, content_hash FROM articles WHERE url = x.url LIMIT 1) AS a
UNION ALL
SELECT 2, x.i, b.id, encode(b.content_hash, 'hex')
FROM (SELECT unnest($5::text[]) AS board_url, unnest($6::text[]) AS row_key, unnest($7::int8[]) AS n,
             generate_subscripts($6::text[], 1) AS i) AS x
JOIN board_rows b ON b.board_url = x.board_url AND b.row_key = x.row_key
WHERE x.n NOT IN (SELECT n FROM same_page))";

// Round trip 2: the differences only.
constexpr std::string_view insert_articles = R"(
INSERT INTO articles (url, host, title, subtitle, body, captions, byline, publisher, published_at, published_text,
                      modified_at, modified_text, content_hash, first_seen, last_changed)
SELECT x.url, x.host, x.title, x.subtitle, x.body::text[], x.captions::text[], x.byline, x.publisher,
       x.published_at, x.published_text, x.modified_at, x.modified_text, decode(x.hash, 'hex'), x.seen_at, x.seen_at
FROM (SELECT unnest($1::text[]) AS url, unnest($2::text[]) AS host, unnest($3::text[]) AS title,
             unnest($4::text[]) AS subtitle, unnest($5::text[]) AS body, unnest($6::text[]) AS captions,
             unnest($7::text[]) AS byline, unnest($8::text[]) AS publisher,
             unnest($9::timestamptz[]) AS published_at, unnest($10::text[]) AS published_text,
             unnest($11::timestamptz[]) AS modified_at, unnest($12::text[]) AS modified_text,
             unnest($13::text[]) AS hash, unnest($14::timestamptz[]) AS seen_at) AS x)";

// A changed article: the stored version goes to article_revisions (the CTE
// reads it before the update, from the statement's snapshot), then the row is
// updated in place, keeping its id and first_seen.
constexpr std::string_view update_articles = R"(
WITH x AS (
    SELECT unnest($1::int8[]) AS id, unnest($2::text[]) AS title, unnest($3::text[]) AS subtitle,
           unnest($4::text[]) AS body, unnest($5::text[]) AS captions, unnest($6::text[]) AS byline,
           unnest($7::text[]) AS publisher, unnest($8::timestamptz[]) AS published_at,
           unnest($9::text[]) AS published_text, unnest($10::timestamptz[]) AS modified_at,
           unnest($11::text[]) AS modified_text, unnest($12::text[]) AS hash, unnest($13::timestamptz[]) AS seen_at
),
rev AS (
    INSERT INTO article_revisions (article_id, title, subtitle, body, captions, byline, publisher, published_at,
                                   published_text, modified_at, modified_text, content_hash, valid_from, replaced_at)
    SELECT a.id, a.title, a.subtitle, a.body, a.captions, a.byline, a.publisher, a.published_at, a.published_text,
           a.modified_at, a.modified_text, a.content_hash, a.last_changed, x.seen_at
    FROM articles a JOIN x ON a.id = x.id
)
UPDATE articles a
SET title = x.title, subtitle = x.subtitle, body = x.body::text[], captions = x.captions::text[],
    byline = x.byline, publisher = x.publisher, published_at = x.published_at, published_text = x.published_text,
    modified_at = x.modified_at, modified_text = x.modified_text, content_hash = decode(x.hash, 'hex'),
    last_changed = x.seen_at
FROM x WHERE a.id = x.id)";

constexpr std::string_view insert_board_rows = R"(
INSERT INTO board_rows (board_url, post_no, title, url, author, date, views, notice, content_hash, first_seen,
                        last_changed, category)
SELECT x.board_url, x.post_no, x.title, x.url, x.author, x.date, x.views, x.notice, decode(x.hash, 'hex'),
       x.seen_at, x.seen_at, x.category
FROM (SELECT unnest($1::text[]) AS board_url, unnest($2::int8[]) AS post_no, unnest($3::text[]) AS title,
             unnest($4::text[]) AS url, unnest($5::text[]) AS author, unnest($6::text[]) AS date,
             unnest($7::int8[]) AS views, unnest($8::bool[]) AS notice, unnest($9::text[]) AS hash,
             unnest($10::timestamptz[]) AS seen_at, unnest($11::text[]) AS category) AS x)";

constexpr std::string_view update_board_rows = R"(
UPDATE board_rows b
SET post_no = x.post_no, title = x.title, url = x.url, author = x.author, date = x.date, views = x.views,
    notice = x.notice, content_hash = decode(x.hash, 'hex'), last_changed = x.seen_at, category = x.category
FROM (SELECT unnest($1::int8[]) AS id, unnest($2::int8[]) AS post_no, unnest($3::text[]) AS title,
             unnest($4::text[]) AS url, unnest($5::text[]) AS author, unnest($6::text[]) AS date,
             unnest($7::int8[]) AS views, unnest($8::bool[]) AS notice, unnest($9::text[]) AS hash,
             unnest($10::timestamptz[]) AS seen_at, unnest($11::text[]) AS category) AS x
WHERE b.id = x.id)";

// A transaction that inserts or updates rows of a board moves the board to
// its next generation ($1: each such board once), before the frontier rows
// record it: pages of the board stored before look into it again.
constexpr std::string_view next_board_generation = R"(
INSERT INTO boards AS b (board_url, generation) SELECT unnest($1::text[]), 1
ON CONFLICT (board_url) DO UPDATE SET generation = b.generation + 1)";

// The frontier: every stored page moves its URL's fetch time, validators and
// content hash, resets attempts and gives up its lease, and a board list page
// records its board's generation ($9: its board, NULL when the page has no
// rows or one of its rows was stored as another page of the batch has it).
// This row is written on every ingest, changed or not; it is what says
// "fetched at". A known URL is
// updated with a plain UPDATE (no ON CONFLICT: that would also write a row-lock
// record first); ON CONFLICT is only the fallback for a URL that another
// writer (the crawler adding links) inserted meanwhile.
constexpr std::string_view touch_urls = R"(
WITH x AS (
    SELECT y.*, CASE WHEN y.board IS NULL THEN NULL ELSE coalesce(b.generation, 0) END AS generation
    FROM (SELECT unnest($1::text[]) AS url, unnest($2::text[]) AS host, unnest($3::timestamptz[]) AS fetched_at,
                 unnest($4::int4[]) AS status, unnest($5::text[]) AS etag, unnest($6::text[]) AS last_modified,
                 unnest($7::text[]) AS hash, unnest($8::timestamptz[]) AS next_fetch_at, unnest($9::text[]) AS board)
        AS y
    LEFT JOIN boards b ON b.board_url = y.board
),
upd AS (
    UPDATE urls u
    SET state = 'fetched', fetched_at = x.fetched_at, last_status = x.status, etag = x.etag,
        last_modified = x.last_modified, content_hash = decode(x.hash, 'hex'), attempts = 0, last_error = NULL,
        next_fetch_at = x.next_fetch_at, lease_owner = NULL, lease_expires_at = NULL,
        board_generation = x.generation
    FROM x WHERE u.url = x.url
    RETURNING u.url
)
INSERT INTO urls AS u (url, host, state, fetched_at, last_status, etag, last_modified, content_hash, attempts,
                       last_error, next_fetch_at, board_generation)
SELECT x.url, x.host, 'fetched', x.fetched_at, x.status, x.etag, x.last_modified, decode(x.hash, 'hex'), 0, NULL,
       x.next_fetch_at, x.generation
FROM x WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.url = x.url)
ON CONFLICT (url) DO UPDATE
SET state = 'fetched', fetched_at = excluded.fetched_at, last_status = excluded.last_status,
    etag = excluded.etag, last_modified = excluded.last_modified, content_hash = excluded.content_hash,
    attempts = 0, last_error = NULL, next_fetch_at = excluded.next_fetch_at,
    lease_owner = NULL, lease_expires_at = NULL, board_generation = excluded.board_generation)";

// After a lost commit answer: how many of the batch's pages are recorded with
// exactly this fetch time and content hash (all of them, or none: one transaction).
constexpr std::string_view count_committed = R"(
SELECT count(*)
FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(url, hash, fetched_at)
JOIN urls u ON u.url = x.url AND u.content_hash = decode(x.hash, 'hex') AND u.fetched_at = x.fetched_at)";

}  // namespace gisa::store::sql
