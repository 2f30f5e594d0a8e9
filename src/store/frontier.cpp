// The crawl's frontier: source sync, lease claims, discovered URLs and fetch outcomes, each a parameterised statement.
#include "store/frontier.hpp"

#include <array>
#include <unordered_set>

#include "store/db_error.hpp"
#include "store/page_batch.hpp"
#include "store/store.hpp"
#include "store/text_check.hpp"

namespace gisa::store {

namespace {

constexpr std::array<std::string_view, 5> kind_names{"page", "start", "list", "feed", "article"};

constexpr std::string_view upsert_source = R"(
INSERT INTO sources AS s (name, seed_url, kind, enabled, recrawl_interval, settings, updated_at)
VALUES ($1, $2, 'news', true, make_interval(secs => $3::int8), $4::jsonb, now())
ON CONFLICT (name) DO UPDATE
SET seed_url = excluded.seed_url, enabled = true, recrawl_interval = excluded.recrawl_interval,
    settings = excluded.settings, updated_at = now()
WHERE s.settings IS DISTINCT FROM excluded.settings OR NOT s.enabled
RETURNING id, (xmax = 0) AS inserted)";

constexpr std::string_view source_id_of = "SELECT id FROM sources WHERE name = $1";

constexpr std::string_view disable_other_sources = R"(
WITH d AS (UPDATE sources SET enabled = false, updated_at = now()
           WHERE enabled AND NOT (name = ANY($1::text[])) RETURNING 1)
SELECT count(*) FROM d)";

// A start URL joins its source; one that failed or was gone is tried again (the operator
// listed it again, perhaps after fixing it).
constexpr std::string_view queue_start_urls = R"(
INSERT INTO urls AS u (url, host, source_id, kind, list_page, next_fetch_at)
SELECT x.url, x.host, $1::int8, 'start', 0, now() FROM unnest($2::text[], $3::text[]) AS x(url, host)
ON CONFLICT (url) DO UPDATE
SET source_id = excluded.source_id, kind = 'start', list_page = 0,
    state = CASE WHEN u.state IN ('failed', 'gone') THEN 'new' ELSE u.state END,
    attempts = CASE WHEN u.state IN ('failed', 'gone') THEN 0 ELSE u.attempts END,
    next_fetch_at = CASE WHEN u.state IN ('failed', 'gone') THEN now() ELSE u.next_fetch_at END
WHERE u.source_id IS DISTINCT FROM excluded.source_id OR u.kind <> 'start' OR u.state IN ('failed', 'gone'))";

constexpr std::string_view drop_old_start_urls = R"(
UPDATE urls SET source_id = NULL
WHERE source_id = $1::int8 AND kind = 'start' AND NOT (url = ANY($2::text[])))";

constexpr std::string_view bring_lists_forward = R"(
UPDATE urls SET next_fetch_at = coalesce(fetched_at, now()) + make_interval(secs => $2::int8)
WHERE source_id = $1::int8 AND kind IN ('start', 'list', 'feed') AND state IN ('new', 'fetched')
  AND next_fetch_at > coalesce(fetched_at, now()) + make_interval(secs => $2::int8))";

// Hosts of the frontier: every URL's host has a row (the claim walks hosts). Sorted, so that two
// writers inserting the same new hosts wait for each other rather than deadlock.
constexpr std::string_view insert_hosts = R"(
INSERT INTO hosts (host)
SELECT DISTINCT h FROM unnest($1::text[]) AS h WHERE h <> '' ORDER BY h
ON CONFLICT (host) DO NOTHING)";

// The claim, in one transaction (claim_due). First the owner says it is alive and counts who else is.
constexpr std::string_view heartbeat = R"(
WITH hb AS (INSERT INTO crawlers (owner) VALUES ($1) ON CONFLICT (owner) DO UPDATE SET seen_at = now())
SELECT 1 + (SELECT count(*) FROM crawlers WHERE owner <> $1 AND seen_at > now() - make_interval(secs => $2::int8)),
       (SELECT count(*) FROM hosts WHERE lease_owner = $1 AND lease_expires_at > now()),
       (SELECT count(*) FROM hosts WHERE lease_owner <> $1 AND lease_expires_at > now()))";

// A URL the crawl may claim now (the claim's and the status's test, one text for both).
#define GISA_CLAIMABLE(u)                                                      \
#u ".state IN ('new', 'fetched') AND " #u ".source_id IS NOT NULL AND " #u \
       ".next_fetch_at <= now()"                                               \
       " AND (" #u ".lease_expires_at IS NULL OR " #u                          \
       ".lease_expires_at < now())"                                            \
       " AND EXISTS (SELECT 1 FROM sources s WHERE s.id = " #u ".source_id AND s.enabled)"

// Hosts with claimable URLs that are free, or this owner's; its own first, then the longest waiting.
// One index probe per host (urls_host_due).
constexpr std::string_view candidate_hosts = R"(
SELECT h.host, coalesce(h.lease_owner = $1 AND h.lease_expires_at > now(), false) AS mine
FROM hosts h
WHERE (h.lease_owner IS NULL OR h.lease_owner = $1 OR h.lease_expires_at <= now())
  AND EXISTS (SELECT 1 FROM urls u WHERE u.host = h.host AND )" GISA_CLAIMABLE(u) R"()
ORDER BY mine DESC, h.next_allowed_at, h.host
LIMIT $2::int4)";

// Leases the chosen hosts; one that another claimer is taking right now is skipped.
constexpr std::string_view take_hosts = R"(
WITH t AS (
    SELECT host, coalesce(lease_owner = $1 AND lease_expires_at > now(), false) AS renewed FROM hosts
    WHERE host = ANY($2::text[]) AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_at <= now())
    FOR UPDATE SKIP LOCKED
)
UPDATE hosts h SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $3::int8)
FROM t WHERE h.host = t.host
RETURNING h.host, greatest(0, extract(epoch FROM h.next_allowed_at - now()) * 1000)::int8, t.renewed)";

// Oldest due first within each granted host, at most $3 per host; rows another claimer holds
// locked are skipped, not waited for.
constexpr std::string_view claim = R"(
WITH due AS (
    SELECT c.url, c.next_fetch_at
    FROM unnest($2::text[]) AS g(host)
    CROSS JOIN LATERAL (
        SELECT u.url, u.next_fetch_at FROM urls u
        WHERE u.host = g.host AND )" GISA_CLAIMABLE(u) R"(
        ORDER BY u.next_fetch_at
        LIMIT $3::int4
        FOR UPDATE OF u SKIP LOCKED
    ) c
    ORDER BY c.next_fetch_at
    LIMIT $4::int4
)
UPDATE urls u
SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $5::int8),
    first_claimed_at = coalesce(u.first_claimed_at, now())
FROM due WHERE u.url = due.url
RETURNING u.url, u.source_id, u.kind, u.list_page, u.etag, u.last_modified, u.attempts,
          (extract(epoch FROM u.first_claimed_at) * 1000000)::int8, u.fetched_at IS NOT NULL,
          (extract(epoch FROM now()) * 1000000)::int8, u.host)";

constexpr std::string_view fresh_robots = R"(
SELECT origin, status, body, greatest(0, extract(epoch FROM now() - fetched_at))::int8 FROM robots_files
WHERE host = ANY($1::text[]) AND fetched_at > now() - make_interval(secs => $2::int8))";

constexpr std::string_view give_hosts_back = R"(
WITH r AS (
    UPDATE hosts h SET lease_owner = NULL, lease_expires_at = NULL,
        next_allowed_at = greatest(h.next_allowed_at, now() + make_interval(secs => x.wait_ms / 1000.0))
    FROM unnest($2::text[], $3::int8[]) AS x(host, wait_ms)
    WHERE h.host = x.host AND h.lease_owner = $1
    RETURNING 1
)
SELECT count(*) FROM r)";

constexpr std::string_view give_all_hosts_back = R"(
WITH r AS (
    UPDATE hosts SET lease_owner = NULL, lease_expires_at = NULL,
        next_allowed_at = greatest(next_allowed_at, now() + make_interval(secs => $2::int8 / 1000.0))
    WHERE lease_owner = $1
    RETURNING 1
)
SELECT count(*) FROM r)";

constexpr std::string_view forget_crawler = "DELETE FROM crawlers WHERE owner = $1";

// An instance that died without leaving (SIGKILL, a lost machine) is forgotten a day after it was
// last seen; within a lease it still counts as live, so its share waits for its leases to run out.
constexpr std::string_view keep_hosts = R"(
WITH hb AS (UPDATE crawlers SET seen_at = now() WHERE owner = $1),
gone AS (DELETE FROM crawlers WHERE seen_at < now() - interval '1 day'),
r AS (UPDATE hosts SET lease_expires_at = now() + make_interval(secs => $2::int8) WHERE lease_owner = $1 RETURNING 1)
SELECT count(*) FROM r)";

constexpr std::string_view upsert_robots = R"(
INSERT INTO robots_files AS r (origin, host, status, body, fetched_at)
SELECT x.origin, x.host, x.status, x.body, now()
FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[]) AS x(origin, host, status, body)
ON CONFLICT (origin) DO UPDATE SET host = excluded.host, status = excluded.status, body = excluded.body,
                                   fetched_at = excluded.fetched_at)";

constexpr std::string_view renew = R"(
WITH r AS (UPDATE urls SET lease_expires_at = now() + make_interval(secs => $3::int8)
           WHERE lease_owner = $1 AND url = ANY($2::text[]) RETURNING 1)
SELECT count(*) FROM r)";

constexpr std::string_view release_some = R"(
WITH r AS (UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL
           WHERE lease_owner = $1 AND url = ANY($2::text[]) RETURNING 1)
SELECT count(*) FROM r)";

constexpr std::string_view release_all = R"(
WITH r AS (UPDATE urls SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1 RETURNING 1)
SELECT count(*) FROM r)";

// A URL that `gisa ingest` stored (no source) joins the source that found it.
constexpr std::string_view insert_discovered = R"(
INSERT INTO urls AS u (url, host, source_id, kind, list_page, next_fetch_at)
SELECT x.url, x.host, x.source_id, x.kind, x.list_page, now()
FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int4[]) AS x(url, host, source_id, kind, list_page)
ON CONFLICT (url) DO UPDATE SET source_id = excluded.source_id, kind = excluded.kind, list_page = excluded.list_page
WHERE u.source_id IS NULL
RETURNING (xmax = 0) AS inserted)";

// state NULL keeps the URL's state (a failure that is still retried).
constexpr std::string_view write_outcomes = R"(
WITH x AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::int4[], $5::text[], $6::bool[], $7::timestamptz[],
                         $8::timestamptz[]) AS x(url, state, status, error, count_attempt, fetched_at, next_fetch_at)
),
w AS (
    UPDATE urls u
    SET state = coalesce(x.state, u.state), last_status = x.status, last_error = x.error,
        attempts = CASE WHEN x.count_attempt THEN u.attempts + 1 ELSE 0 END,
        fetched_at = CASE WHEN x.state = 'fetched' THEN x.fetched_at ELSE u.fetched_at END,
        next_fetch_at = x.next_fetch_at, lease_owner = NULL, lease_expires_at = NULL
    FROM x WHERE u.url = x.url AND u.lease_owner = $1
    RETURNING 1
)
SELECT count(*) FROM w)";

constexpr std::string_view lost_leases = R"(
SELECT u.url
FROM unnest($2::text[], $3::timestamptz[]) AS x(url, claimed_at)
JOIN urls u ON u.url = x.url
WHERE (u.lease_owner IS DISTINCT FROM $1 AND u.lease_expires_at > now())
   OR (u.lease_owner IS DISTINCT FROM $1 AND u.fetched_at > x.claimed_at))";

constexpr std::string_view count_due = "SELECT count(*) FROM urls u WHERE " GISA_CLAIMABLE(u);

#undef GISA_CLAIMABLE

using column = std::vector<std::optional<std::string>>;

std::int64_t sync_one(connection& conn, const source_spec& s, sync_report& report) {
    const std::string seed = s.start_urls.empty() ? std::string() : s.start_urls.front();
    const result upserted =
        conn.exec(upsert_source, {s.name, seed, std::to_string(s.interval.count()), s.settings_json});
    std::int64_t id = 0;
    if (upserted.rows() == 1) {
        id = upserted.get_int(0, 0);
        (upserted.get(0, 1) == "t" ? report.added : report.changed) += 1;
        conn.exec(bring_lists_forward, {std::to_string(id), std::to_string(s.interval.count())});
    } else {
        id = conn.exec(source_id_of, {s.name}).get_int(0, 0);
        report.unchanged += 1;
    }
    column urls;
    column hosts;
    for (const std::string& url : s.start_urls) {
        urls.emplace_back(url);
        hosts.emplace_back(host_of(url));
    }
    conn.exec(insert_hosts, {array_literal(hosts)});
    conn.exec(queue_start_urls, {std::to_string(id), array_literal(urls), array_literal(hosts)});
    conn.exec(drop_old_start_urls, {std::to_string(id), array_literal(urls)});
    return id;
}

std::optional<std::string> time_or_infinity(const std::optional<std::chrono::system_clock::time_point>& when) {
    return when ? timestamp_text(*when) : std::string("infinity");
}

// The URL's new state; nullopt keeps it.
std::optional<std::string> state_text(fetch_outcome::what w) {
    switch (w) {
        case fetch_outcome::what::fetched:
            return "fetched";
        case fetch_outcome::what::retry_later:
            return std::nullopt;
        case fetch_outcome::what::failed:
            return "failed";
        case fetch_outcome::what::gone:
            return "gone";
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(url_kind kind) noexcept {
    return kind_names[static_cast<std::size_t>(kind)];
}

url_kind url_kind_from(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == text) return static_cast<url_kind>(i);
    return url_kind::page;
}

sync_report sync_sources(connection& conn, const std::vector<source_spec>& sources) {
    return in_transaction(conn, [&] {
        sync_report report;
        column names;
        for (const source_spec& s : sources) {
            names.emplace_back(s.name);
            report.ids.emplace_back(s.name, sync_one(conn, s, report));
        }
        report.disabled = static_cast<int>(conn.exec(disable_other_sources, {array_literal(names)}).get_int(0, 0));
        return report;
    });
}

namespace {

claimed_url claimed_row(const result& r, int i) {
    claimed_url c;
    c.url = std::string(r.get(i, 0));
    c.source_id = r.get_int(i, 1);
    c.kind = url_kind_from(r.get(i, 2));
    c.list_page = static_cast<int>(r.get_int(i, 3));
    if (!r.is_null(i, 4)) c.etag = std::string(r.get(i, 4));
    if (!r.is_null(i, 5)) c.last_modified = std::string(r.get(i, 5));
    c.attempts = static_cast<int>(r.get_int(i, 6));
    c.first_claimed_at = std::chrono::system_clock::time_point(std::chrono::microseconds(r.get_int(i, 7)));
    c.fetched_before = r.get(i, 8) == "t";
    c.claimed_at = std::chrono::system_clock::time_point(std::chrono::microseconds(r.get_int(i, 9)));
    c.host = std::string(r.get(i, 10));
    return c;
}

int ceil_div(std::int64_t a, std::int64_t b) {
    return static_cast<int>((a + b - 1) / std::max<std::int64_t>(b, 1));
}

// Which candidates (its own first) the owner takes: its fair share of the hosts with work, less the
// hosts it holds that have nothing due (they are still being fetched).
std::vector<std::string> hosts_to_take(const result& candidates, std::int64_t held, std::int64_t held_by_others,
                                       int instances, claim_answer& answer) {
    std::int64_t mine_due = 0;
    for (int i = 0; i < candidates.rows(); ++i)
        mine_due += candidates.get(i, 1) == "t" ? 1 : 0;
    const std::int64_t with_work = held_by_others + candidates.rows() + std::max<std::int64_t>(0, held - mine_due);
    answer.host_share = std::max(1, ceil_div(with_work, instances));
    const std::int64_t budget = answer.host_share - std::max<std::int64_t>(0, held - mine_due);
    std::vector<std::string> take;
    for (int i = 0; i < candidates.rows() && static_cast<std::int64_t>(take.size()) < budget; ++i)
        take.emplace_back(candidates.get(i, 0));
    return take;
}

}  // namespace

claim_answer claim_due(connection& conn, const claim_request& request) {
    const std::string lease = std::to_string(request.lease.count());
    return in_transaction(conn, [&] {
        claim_answer answer;
        const result counts = conn.exec(heartbeat, {request.owner, lease});
        answer.instances = static_cast<int>(counts.get_int(0, 0));
        const result candidates = conn.exec(candidate_hosts, {request.owner, std::to_string(request.limit)});
        const std::vector<std::string> wanted =
            hosts_to_take(candidates, counts.get_int(0, 1), counts.get_int(0, 2), answer.instances, answer);
        if (wanted.empty()) return answer;

        const column wanted_col(wanted.begin(), wanted.end());
        const result taken = conn.exec(take_hosts, {request.owner, array_literal(wanted_col), lease});
        column granted;
        column fresh;
        for (int i = 0; i < taken.rows(); ++i) {
            host_grant& g = answer.hosts.emplace_back();
            g.host = std::string(taken.get(i, 0));
            g.wait = std::chrono::milliseconds(taken.get_int(i, 1));
            g.renewed = taken.get(i, 2) == "t";
            granted.emplace_back(g.host);
            if (!g.renewed) fresh.emplace_back(g.host);
        }
        if (granted.empty()) return answer;

        const int per_host = std::max(1, ceil_div(request.limit, static_cast<std::int64_t>(granted.size())));
        const result r = conn.exec(claim, {request.owner, array_literal(granted), std::to_string(per_host),
                                           std::to_string(request.limit), lease});
        answer.urls.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i)
            answer.urls.push_back(claimed_row(r, i));

        if (!fresh.empty()) {
            const result robots =
                conn.exec(fresh_robots, {array_literal(fresh), std::to_string(request.robots_ttl.count())});
            for (int i = 0; i < robots.rows(); ++i)
                answer.robots.push_back({std::string(robots.get(i, 0)), static_cast<int>(robots.get_int(i, 1)),
                                         std::string(robots.get(i, 2)), std::chrono::seconds(robots.get_int(i, 3))});
        }
        return answer;
    });
}

std::vector<claimed_url> claim_due(connection& conn, const std::string& owner, int limit, std::chrono::seconds lease) {
    claim_request request;
    request.owner = owner;
    request.limit = limit;
    request.lease = lease;
    return claim_due(conn, request).urls;
}

int release_hosts(connection& conn, const std::string& owner, const std::vector<host_release>& hosts) {
    if (hosts.empty()) return 0;
    column names;
    column waits;
    for (const host_release& h : hosts) {
        names.emplace_back(h.host);
        waits.emplace_back(std::to_string(std::max<std::int64_t>(0, h.wait.count())));
    }
    return static_cast<int>(
        conn.exec(give_hosts_back, {owner, array_literal(names), array_literal(waits)}).get_int(0, 0));
}

int leave_frontier(connection& conn, const std::string& owner, std::chrono::milliseconds wait) {
    const auto released =
        conn.exec(give_all_hosts_back, {owner, std::to_string(std::max<std::int64_t>(0, wait.count()))}).get_int(0, 0);
    conn.exec(forget_crawler, {owner});
    return static_cast<int>(released);
}

int renew_hosts(connection& conn, const std::string& owner, std::chrono::seconds lease) {
    return static_cast<int>(conn.exec(keep_hosts, {owner, std::to_string(lease.count())}).get_int(0, 0));
}

void share_robots(connection& conn, const std::vector<robots_copy>& copies) {
    std::array<column, 4> cols;
    for (const robots_copy& c : copies) {
        if (text_problem(c.body) || text_problem(c.origin)) continue;
        cols[0].emplace_back(c.origin);
        cols[1].emplace_back(host_of(c.origin));
        cols[2].emplace_back(std::to_string(c.status));
        cols[3].emplace_back(c.body);
    }
    if (cols[0].empty()) return;
    conn.exec(upsert_robots,
              {array_literal(cols[0]), array_literal(cols[1]), array_literal(cols[2]), array_literal(cols[3])});
}

int renew_leases(connection& conn, const std::string& owner, const std::vector<std::string>& urls,
                 std::chrono::seconds lease) {
    if (urls.empty()) return 0;
    const column list(urls.begin(), urls.end());
    return static_cast<int>(
        conn.exec(renew, {owner, array_literal(list), std::to_string(lease.count())}).get_int(0, 0));
}

int release_leases(connection& conn, const std::string& owner, const std::vector<std::string>& urls) {
    if (urls.empty()) return static_cast<int>(conn.exec(release_all, {owner}).get_int(0, 0));
    const column list(urls.begin(), urls.end());
    return static_cast<int>(conn.exec(release_some, {owner, array_literal(list)}).get_int(0, 0));
}

int enqueue(connection& conn, const std::vector<discovered_url>& urls) {
    column url_col;
    column hosts;
    column sources;
    column kinds;
    column pages;
    std::unordered_set<std::string_view> seen;
    for (const discovered_url& d : urls) {
        if (!seen.insert(d.url).second) continue;  // ON CONFLICT DO UPDATE may touch a row once
        url_col.emplace_back(d.url);
        hosts.emplace_back(host_of(d.url));
        sources.emplace_back(std::to_string(d.source_id));
        kinds.emplace_back(std::string(to_string(d.kind)));
        pages.emplace_back(std::to_string(d.list_page));
    }
    if (url_col.empty()) return 0;
    conn.exec(insert_hosts, {array_literal(hosts)});
    const result r = conn.exec(insert_discovered, {array_literal(url_col), array_literal(hosts), array_literal(sources),
                                                   array_literal(kinds), array_literal(pages)});
    int inserted = 0;
    for (int i = 0; i < r.rows(); ++i)
        inserted += r.get(i, 0) == "t" ? 1 : 0;
    return inserted;
}

int record_outcomes(connection& conn, const std::string& owner, const std::vector<fetch_outcome>& outcomes) {
    if (outcomes.empty()) return 0;
    std::array<column, 7> cols;
    for (const fetch_outcome& o : outcomes) {
        const bool failure = o.outcome != fetch_outcome::what::fetched;
        cols[0].emplace_back(o.url);
        cols[1].push_back(state_text(o.outcome));
        cols[2].push_back(o.http_status == 0 ? std::nullopt : std::optional(std::to_string(o.http_status)));
        cols[3].push_back(o.error);
        cols[4].emplace_back(failure ? "t" : "f");
        cols[5].emplace_back(timestamp_text(o.fetched_at));
        cols[6].push_back(time_or_infinity(o.next_fetch_at));
    }
    params values{owner};
    for (const column& c : cols)
        values.emplace_back(array_literal(c));
    return static_cast<int>(conn.exec(write_outcomes, values).get_int(0, 0));
}

std::vector<std::string> leases_lost(connection& conn, const std::string& owner, const std::vector<held_url>& urls) {
    std::vector<std::string> lost;
    if (urls.empty()) return lost;
    column url_col;
    column claimed;
    for (const held_url& h : urls) {
        url_col.emplace_back(h.url);
        claimed.emplace_back(timestamp_text(h.claimed_at));
    }
    const result r = conn.exec(lost_leases, {owner, array_literal(url_col), array_literal(claimed)});
    for (int i = 0; i < r.rows(); ++i)
        lost.emplace_back(r.get(i, 0));
    return lost;
}

std::int64_t due_count(connection& conn) {
    return conn.exec(count_due).get_int(0, 0);
}

}  // namespace gisa::store
