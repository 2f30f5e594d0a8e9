// The crawl loop (crawler.hpp). Everything in `impl` runs on the io_context's thread except what is
// handed to the two pools: extraction (one thread per core) and the database (one thread, one
// connection, jobs in order). Their results come back to the loop through net::post.
#include "crawl/crawler.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/log.hpp"
#include "crawl/db_worker.hpp"
#include "crawl/feed.hpp"
#include "crawl/job_pool.hpp"
#include "crawl/schedule.hpp"
#include "extract/extractor.hpp"
#include "fetch/fetcher.hpp"
#include "store/db_error.hpp"
#include "store/frontier.hpp"
#include "store/store.hpp"
#include "text/korean_date.hpp"

namespace gisa::crawl {

namespace net = boost::asio;
using core::log;
using core::log_level;
using steady = std::chrono::steady_clock;

namespace {

// How often leases are renewed, relative to their length.
constexpr int renewals_per_lease = 3;
constexpr auto status_every = std::chrono::seconds(5);
constexpr auto stop_poll = std::chrono::milliseconds(50);
// After the grace period: how long the last write and the lease release may take.
constexpr auto final_write_budget = std::chrono::milliseconds(1500);

std::string status_class(const fetch::fetch_result& r) {
    if (r.not_modified) return "not_modified";
    if (r.status == 0) return "error";
    return fmt::format("{}xx", r.status / 100);
}

double seconds_since(steady::time_point t0) {
    return std::chrono::duration<double>(steady::now() - t0).count();
}

store::source_spec spec_of(const source_config& s) {
    return {s.name, s.start_urls, s.interval, s.settings_json()};
}

// Counts since start, for STATUS= and the log line at stop (the loop's thread only).
struct crawl_counts {
    std::uint64_t claimed = 0;
    std::uint64_t fetched = 0;  // responses with a body, 304s included
    std::uint64_t not_modified = 0;
    std::uint64_t failed = 0;  // fetch or extraction failures (retried later or given up)
    std::uint64_t pages_stored = 0;
    std::uint64_t articles_written = 0;  // inserted or updated
    std::uint64_t rows_written = 0;      // board rows inserted or updated
    std::uint64_t discovered = 0;        // new URLs queued
    std::int64_t due = 0;                // frontier depth at the last look
};

// One claimed URL while it is ours: the claim and the source it belongs to.
struct work_item {
    store::claimed_url claim;
    std::shared_ptr<const source_config> source;
    steady::time_point claimed_at;
};

// What one write to the database carries; filled on the loop, written on the database thread.
// Start pages and later list pages are lists by the config's contract: their board rows and links
// are what the crawl wants. What the extractor may take for an article on them (a section front
// page's leads) is not stored: it would come back as a new revision on every visit.
bool lists_only(store::url_kind kind) {
    return kind == store::url_kind::start || kind == store::url_kind::list;
}

void drop_article(core::page_record& record) {
    if (!record.has_article()) return;
    record.body.clear();
    record.captions.clear();
    record.subtitle.reset();
    record.byline.reset();
    record.notes.emplace_back("a list page: its article text is not stored");
}

struct write_batch {
    std::vector<core::page_record> pages;
    std::vector<store::fetch_meta> metas;
    std::vector<store::held_url> claims;  // of pages[i]: its claim, checked before writing
    std::vector<store::fetch_outcome> outcomes;
    std::vector<store::discovered_url> discovered;
    std::vector<std::string> release;        // leases given back without an outcome
    std::vector<store::robots_copy> robots;  // robots.txt fetched here, for the other instances
    std::vector<std::string> urls;           // every claimed URL this batch finishes
    // Answers.
    std::vector<store::ingest_result> results;
    int new_urls = 0;
    bool empty() const {
        return pages.empty() && outcomes.empty() && discovered.empty() && release.empty() && robots.empty();
    }
};

}  // namespace

struct crawler::impl {
    impl(net::io_context& io_, std::string dsn_, fetch::fetcher_options fetch_options_, crawl_options options_,
         std::vector<source_config> sources, core::metrics::registry& metrics_, crawl_hooks hooks_)
        : io(io_),
          dsn(std::move(dsn_)),
          fetch_options(std::move(fetch_options_)),
          options(std::move(options_)),
          configured(std::move(sources)),
          metrics(metrics_),
          hooks(std::move(hooks_)),
          extract_pool(options.extract_threads == 0 ? std::max(1u, std::thread::hardware_concurrency())
                                                    : options.extract_threads),
          claim_timer(io),
          flush_timer(io),
          renew_timer(io),
          status_timer(io),
          stop_timer(io) {
        if (options.owner.empty()) options.owner = default_owner();
        register_metrics();
        store::store_options store_options;
        store_options.prepared_statements = options.prepared_statements;
        db = std::make_unique<db_worker>(io, dsn, store_options, *database_up_gauge);
    }

    // Runs `work` on the database thread (db_worker: retried through outages until stop); `done`
    // runs on the loop.
    void on_db(db_worker::work work, db_worker::done done) { db->post(std::move(work), std::move(done)); }

    // -- start, reload ----------------------------------------------------------------------

    void start() {
        log(log_level::notice, fmt::format("starting as lease owner {} with {} source(s), {} extraction thread(s)",
                                           options.owner, configured.size(), extract_pool.size()));
        fetcher = std::make_unique<fetch::fetcher>(io, fetch_options);
        fetcher->on_robots([this](const std::string& origin, int status, const std::string& body) {
            pending.robots.push_back({origin, status, body, {}});
        });
        auto migrated = std::make_shared<store::migrate_report>();
        on_db([migrated](store::store& s) { *migrated = s.migrate(); },
              [this, migrated](const std::optional<std::string>& failure) {
                  if (stopping) return;
                  if (failure) {
                      log(log_level::error, fmt::format("cannot prepare the database: {}", *failure));
                      if (hooks.on_fatal) hooks.on_fatal();
                      return;
                  }
                  for (const std::string& name : migrated->applied)
                      log(log_level::notice, fmt::format("applied migration {}", name));
                  sync(configured, [this] { begin_crawling(); });
              });
    }

    void reload(std::vector<source_config> sources) {
        if (stopping) return;
        configured = std::move(sources);
        sync(configured, [] {});
    }

    void sync(const std::vector<source_config>& sources, std::function<void()> then) {
        auto specs = std::make_shared<std::vector<store::source_spec>>();
        for (const source_config& s : sources)
            specs->push_back(spec_of(s));
        auto report = std::make_shared<store::sync_report>();
        auto copies = std::make_shared<std::vector<source_config>>(sources);
        on_db([specs, report](store::store& s) { *report = store::sync_sources(s.raw(), *specs); },
              [this, report, copies, then](const std::optional<std::string>& failure) {
                  if (failure) {
                      log(log_level::error, fmt::format("cannot sync the sources: {}", *failure));
                      return;
                  }
                  by_id.clear();
                  for (std::size_t i = 0; i < copies->size() && i < report->ids.size(); ++i)
                      by_id[report->ids[i].second] = std::make_shared<const source_config>((*copies)[i]);
                  log(log_level::notice,
                      fmt::format("sources: {} added, {} changed, {} unchanged, {} disabled", report->added,
                                  report->changed, report->unchanged, report->disabled));
                  then();
              });
    }

    void begin_crawling() {
        if (stopping) return;
        crawling = true;
        maybe_claim();
        arm_renewal();
        arm_status();
    }

    // -- claims -------------------------------------------------------------------------------

    void maybe_claim() {
        if (!crawling || stopping || claim_in_flight) return;
        const std::size_t held_now = held.size();
        const std::size_t room = options.max_outstanding > held_now ? options.max_outstanding - held_now : 0;
        const std::size_t batch = static_cast<std::size_t>(std::max(1, options.claim_batch));
        // Wait for room for a useful batch rather than claiming a URL at a time.
        if (room == 0 || room < std::min(batch, std::max<std::size_t>(1, options.max_outstanding / 4))) return;
        const int limit = static_cast<int>(std::min(room, batch));
        claim_in_flight = true;
        const auto t0 = steady::now();
        auto answer = std::make_shared<store::claim_answer>();
        store::claim_request request{options.owner, limit, options.lease, fetch_options.politeness.robots_ttl};
        on_db([answer, request](store::store& s) { *answer = store::claim_due(s.raw(), request); },
              [this, answer, limit, t0](const std::optional<std::string>& failure) {
                  claim_in_flight = false;
                  stage_seconds("claim", seconds_since(t0));
                  if (failure) {
                      log(log_level::error, fmt::format("claim failed: {}", *failure));
                      release_drained_hosts();
                      arm_claim(options.idle_poll);
                      return;
                  }
                  if (!ready) {
                      ready = true;
                      if (hooks.on_ready) hooks.on_ready();
                      look_at_frontier();
                  }
                  take_hosts(*answer);
                  for (store::claimed_url& row : answer->urls)
                      begin(std::move(row));
                  release_drained_hosts();
                  if (static_cast<int>(answer->urls.size()) == limit)
                      maybe_claim();
                  else
                      arm_claim(options.idle_poll);
              });
    }

    void arm_claim(std::chrono::milliseconds after) {
        if (stopping) return;
        claim_timer.expires_after(after);
        claim_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
            if (!ec && alive_now.lock()) maybe_claim();
        });
    }

    // -- hosts: politeness shared with the other instances ----------------------------------------
    //
    // The frontier leases a host to one instance at a time (store::claim_due); while this one holds
    // it, its fetcher's per-host delay and in-flight cap are the only ones that apply to the host.
    // The host goes back as soon as nothing of it is left to fetch here, with the time the next
    // owner must wait (this fetcher's delay after its last request).

    void take_hosts(const store::claim_answer& answer) {
        for (const store::robots_copy& r : answer.robots)
            fetcher->prime_robots(r.origin, r.status, r.body, r.age);
        const auto now = steady::now();
        for (const store::host_grant& g : answer.hosts) {
            if (g.wait.count() > 0) fetcher->hold_host(g.host, now + g.wait);
            held_hosts.insert(g.host);
            drained_hosts.push_back(g.host);  // given back at once unless begin() finds URLs of it to fetch
        }
        instances_gauge->set(answer.instances);
        host_share_gauge->set(answer.host_share);
    }

    void fetched_from(const std::string& host) {
        const auto it = to_fetch.find(host);
        if (it == to_fetch.end()) return;
        if (--it->second > 0) return;
        to_fetch.erase(it);
        drained_hosts.push_back(host);
        release_drained_hosts();
    }

    // A claim in flight may hand this owner more URLs of a drained host: its answer is waited for
    // (the database thread runs jobs in order, so a release sent now would land after the claim).
    void release_drained_hosts() {
        if (claim_in_flight || drained_hosts.empty()) return;
        auto releases = std::make_shared<std::vector<store::host_release>>();
        for (const std::string& host : drained_hosts) {
            if (to_fetch.contains(host) || !held_hosts.erase(host)) continue;
            releases->push_back({host, wait_for(host)});
        }
        drained_hosts.clear();
        if (releases->empty()) return;
        // robots.txt fetched here goes into the database before the host is free for the others.
        auto robots = std::make_shared<std::vector<store::robots_copy>>(std::move(pending.robots));
        pending.robots.clear();
        on_db(
            [this, releases, robots](store::store& s) {
                if (!robots->empty()) store::share_robots(s.raw(), *robots);
                store::release_hosts(s.raw(), options.owner, *releases);
            },
            [](const std::optional<std::string>& failure) {
                // The lease runs out instead.
                if (failure) log(log_level::warning, fmt::format("could not give hosts back: {}", *failure));
            });
    }

    // How long the next owner of `host` must wait before asking it.
    std::chrono::milliseconds wait_for(const std::string& host) const {
        const auto next = fetcher ? fetcher->next_start(host) : std::nullopt;
        const auto left = next ? *next - steady::now() : steady::duration::zero();
        return std::max(std::chrono::ceil<std::chrono::milliseconds>(left), std::chrono::milliseconds(0));
    }

    // -- fetch ----------------------------------------------------------------------------------

    void begin(store::claimed_url claim) {
        counts.claimed += 1;
        claims_counter->inc();
        const std::string url = claim.url;
        const auto source = by_id.find(claim.source_id);
        if (stopping || source == by_id.end()) {  // stopping, or its source left in a reload
            held.emplace(url, work_item{std::move(claim), nullptr, steady::now()});
            pending.release.push_back(url);
            finish_later(url);
            return;
        }
        fetch::fetch_request request{claim.url, claim.etag, claim.last_modified};
        to_fetch[claim.host] += 1;
        held.emplace(url, work_item{std::move(claim), source->second, steady::now()});
        fetcher->fetch(std::move(request),
                       [this, alive_now = std::weak_ptr<int>(alive), url](fetch::fetch_result result) {
                           if (alive_now.lock()) on_fetched(url, std::move(result));
                       });
    }

    void on_fetched(const std::string& url, fetch::fetch_result result) {
        const auto it = held.find(url);
        if (it == held.end()) return;
        const work_item& item = it->second;
        fetched_from(item.claim.host);
        const source_config& source = *item.source;
        stage_seconds("fetch", seconds_since(item.claimed_at));
        metrics
            .get_counter("gisa_fetches_total", "Fetches by source and HTTP status class (error: no response)",
                         {{"source", source.name}, {"class", status_class(result)}})
            .inc();
        metrics.get_counter("gisa_fetched_bytes_total", "Body bytes fetched (decoded)", {{"source", source.name}})
            .inc(static_cast<double>(result.body.size()));
        const auto now = std::chrono::system_clock::now();
        if (result.not_modified) {
            counts.fetched += 1;
            counts.not_modified += 1;
            record_fetched(item, result, now);
            return;
        }
        if (!result.ok()) return fail(item, result.error, result.status);
        counts.fetched += 1;
        if (looks_like_feed(result.body, result.content_type)) return read_feed_later(item, std::move(result));
        if (result.kind != fetch::body_kind::html) {
            const core::error not_page{core::errc::not_html, "not a page: " + result.content_type, false, {}};
            return fail(item, not_page, result.status);
        }
        extract_later(item, std::move(result));
    }

    // A 304, or a feed read: nothing to store but the fetch time and the next one.
    void record_fetched(const work_item& item, const fetch::fetch_result& result,
                        std::chrono::system_clock::time_point now) {
        store::fetch_outcome out;
        out.url = item.claim.url;
        out.outcome = store::fetch_outcome::what::fetched;
        out.http_status = static_cast<int>(result.status);
        out.fetched_at = now;
        out.next_fetch_at = next_after_success(item.claim, *item.source, options, now);
        pending.outcomes.push_back(std::move(out));
        finish_later(item.claim.url);
    }

    void fail(const work_item& item, const core::error& error, long http_status) {
        counts.failed += 1;
        const auto now = std::chrono::system_clock::now();
        store::fetch_outcome out = on_failure(item.claim, error, http_status, *item.source, options, now);
        const bool given_up = out.outcome != store::fetch_outcome::what::retry_later;
        log(log_level::warning,
            fmt::format("[{}] {} {}: {}{}", item.source->name, given_up ? "gave up on" : "will retry", item.claim.url,
                        error.message, given_up ? "" : fmt::format(" (try {})", item.claim.attempts + 1)));
        pending.outcomes.push_back(std::move(out));
        finish_later(item.claim.url);
    }

    // -- extraction ------------------------------------------------------------------------------

    void extract_later(const work_item& item, fetch::fetch_result result) {
        auto fetched = std::make_shared<fetch::fetch_result>(std::move(result));
        const std::string url = item.claim.url;
        extract_pool.submit([this, alive_now = std::weak_ptr<int>(alive), fetched, url] {
            const auto t0 = steady::now();
            extract::page_input input;
            input.bytes = fetched->body;
            input.url = fetched->final_url;
            input.content_type = fetched->content_type;
            input.fetched_at = text::korean_now_iso();
            auto extracted = std::make_shared<extract::extract_result>(extract::extract_page(input));
            const double took = seconds_since(t0);
            fetched->body.clear();
            fetched->body.shrink_to_fit();
            net::post(io, [this, alive_now, fetched, url, extracted, took] {
                if (alive_now.lock()) on_extracted(url, *fetched, *extracted, took);
            });
        });
    }

    void on_extracted(const std::string& url, const fetch::fetch_result& fetched, extract::extract_result& extracted,
                      double took) {
        const auto it = held.find(url);
        if (it == held.end()) return;
        const work_item& item = it->second;
        stage_seconds("extract", took);
        const bool refused = extracted.error.code != core::errc::ok;
        const core::page_record& record = extracted.record;
        const char* outcome = refused                      ? "refused"
                              : record.has_article()       ? "article"
                              : !record.board.rows.empty() ? "board"
                                                           : "links_only";
        metrics.get_counter("gisa_extractions_total", "Extraction outcomes", {{"outcome", outcome}}).inc();
        if (refused) return fail(item, extracted.error, fetched.status);

        const auto now = std::chrono::system_clock::now();
        if (lists_only(item.claim.kind)) drop_article(extracted.record);
        extracted.record.url = item.claim.url;
        extracted.record.final_url = fetched.final_url;
        for (store::discovered_url& d : discover(extracted.record, item.claim, *item.source))
            pending.discovered.push_back(std::move(d));
        store::fetch_meta meta;
        meta.fetched_at = now;
        meta.http_status = static_cast<int>(fetched.status == 0 ? 200 : fetched.status);
        if (!fetched.etag.empty()) meta.etag = fetched.etag;
        if (!fetched.last_modified.empty()) meta.last_modified = fetched.last_modified;
        meta.next_fetch_at = next_after_success(item.claim, *item.source, options, now).value_or(store::never);
        log(log_level::debug, fmt::format("[{}] {}: {} paragraphs, {} board rows", item.source->name, url,
                                          record.body.size(), record.board.rows.size()));
        pending.pages.push_back(std::move(extracted.record));
        pending.metas.push_back(std::move(meta));
        pending.claims.push_back({item.claim.url, item.claim.claimed_at});
        finish_later(url);
    }

    void read_feed_later(const work_item& item, fetch::fetch_result result) {
        auto fetched = std::make_shared<fetch::fetch_result>(std::move(result));
        const std::string url = item.claim.url;
        extract_pool.submit([this, alive_now = std::weak_ptr<int>(alive), fetched, url] {
            auto feed =
                std::make_shared<feed_result>(read_feed(fetched->body, fetched->content_type, fetched->final_url));
            fetched->body.clear();
            net::post(io, [this, alive_now, fetched, url, feed] {
                if (alive_now.lock()) on_feed(url, *fetched, *feed);
            });
        });
    }

    void on_feed(const std::string& url, const fetch::fetch_result& fetched, const feed_result& feed) {
        const auto it = held.find(url);
        if (it == held.end()) return;
        const work_item& item = it->second;
        metrics
            .get_counter("gisa_extractions_total", "Extraction outcomes",
                         {{"outcome", feed.error.code == core::errc::ok ? "feed" : "refused"}})
            .inc();
        if (feed.error.code != core::errc::ok) return fail(item, feed.error, fetched.status);
        for (store::discovered_url& d : discover(feed, item.claim))
            pending.discovered.push_back(std::move(d));
        record_fetched(item, fetched, std::chrono::system_clock::now());
    }

    // -- writes -------------------------------------------------------------------------------------

    // The claimed URL's result is in `pending`; it leaves `held` when the write is done.
    void finish_later(const std::string& url) {
        pending.urls.push_back(url);
        maybe_flush(false);
    }

    void maybe_flush(bool force) {
        if (flush_in_flight || pending.empty()) return;
        const auto batch_size = static_cast<std::size_t>(std::max(1, options.store_batch));
        const bool full = pending.pages.size() >= batch_size || pending.outcomes.size() >= batch_size;
        if (!force && !full && !stopping && !nothing_else_coming() && !chain_waits()) {
            if (!flush_armed) {
                flush_armed = true;
                flush_timer.expires_after(options.store_flush);
                flush_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code&) {
                    if (!alive_now.lock()) return;
                    flush_armed = false;
                    maybe_flush(true);
                });
            }
            return;
        }
        auto batch = std::make_shared<write_batch>(std::move(pending));
        pending = write_batch{};
        flush_in_flight = true;
        const auto t0 = steady::now();
        on_db([this, batch](store::store& s) { write(s, *batch); },
              [this, batch, t0](const std::optional<std::string>& failure) {
                  flush_in_flight = false;
                  stage_seconds("store", seconds_since(t0));
                  written(*batch, failure);
                  maybe_flush(false);
                  maybe_claim();
              });
    }

    // Every URL this instance holds has its result pending: waiting longer batches nothing more.
    bool nothing_else_coming() const { return pending.urls.size() >= held.size(); }

    // A page found the next page of its list (or a sitemap): the crawl of that list goes on only once
    // it is queued, so it is written now rather than after store_flush. A board read through 100
    // pages would otherwise wait 100 flush intervals (issue #13's benchmark: 0.47x extraction-only
    // speed with 500 ms, 0.83x with 20).
    bool chain_waits() const {
        return std::any_of(pending.discovered.begin(), pending.discovered.end(),
                           [](const store::discovered_url& d) { return d.kind != store::url_kind::article; });
    }

    // On the database thread. New URLs first: a crash after the pages' commit loses none of them.
    // Everything here is idempotent, so a write that is retried after a lost connection is safe.
    void write(store::store& s, write_batch& batch) {
        if (!batch.discovered.empty()) batch.new_urls = store::enqueue(s.raw(), batch.discovered);
        drop_lost(s, batch);
        if (!batch.pages.empty()) batch.results = s.upsert_pages(batch.pages, batch.metas);
        if (!batch.outcomes.empty()) store::record_outcomes(s.raw(), options.owner, batch.outcomes);
        if (!batch.release.empty()) store::release_leases(s.raw(), options.owner, batch.release);
        if (!batch.robots.empty()) store::share_robots(s.raw(), batch.robots);
    }

    // A page whose lease another instance took over (ours ran out: a stall, a long outage) is not
    // written: the new owner's result stands. The check and the write are two statements; a new
    // owner would have to claim, fetch and write in the milliseconds between them.
    void drop_lost(store::store& s, write_batch& batch) {
        const std::vector<std::string> lost = store::leases_lost(s.raw(), options.owner, batch.claims);
        if (lost.empty()) return;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < batch.pages.size(); ++i) {
            if (std::find(lost.begin(), lost.end(), batch.claims[i].url) != lost.end()) {
                log(log_level::warning,
                    fmt::format("{}: lease lost to another instance; this result is not written", batch.claims[i].url));
                continue;
            }
            if (kept != i) {
                batch.pages[kept] = std::move(batch.pages[i]);
                batch.metas[kept] = std::move(batch.metas[i]);
                batch.claims[kept] = std::move(batch.claims[i]);
            }
            ++kept;
        }
        batch.pages.resize(kept);
        batch.metas.resize(kept);
        batch.claims.resize(kept);
    }

    void written(write_batch& batch, const std::optional<std::string>& failure) {
        if (failure) {
            // Not a lost connection (those are retried): the server refused the write. The leases run
            // out and the URLs are claimed again then.
            log(log_level::error, fmt::format("could not store {} page(s) and {} outcome(s): {}", batch.pages.size(),
                                              batch.outcomes.size(), *failure));
        } else {
            count_written(batch);
        }
        for (const std::string& url : batch.urls)
            held.erase(url);
    }

    void count_written(const write_batch& batch) {
        counts.discovered += static_cast<std::uint64_t>(batch.new_urls);
        metrics.get_counter("gisa_urls_discovered_total", "New URLs queued").inc(batch.new_urls);
        for (std::size_t i = 0; i < batch.results.size(); ++i) {
            const store::ingest_result& r = batch.results[i];
            if (r.error) {
                log(log_level::warning, fmt::format("{} was not stored: {}", batch.pages[i].url, r.error->message));
                continue;
            }
            counts.pages_stored += 1;
            const int articles = (r.article_inserted || r.article_updated) ? 1 : 0;
            counts.articles_written += static_cast<std::uint64_t>(articles);
            counts.rows_written += static_cast<std::uint64_t>(r.rows_inserted + r.rows_updated);
            rows_counter("articles", "inserted")->inc(r.article_inserted ? 1 : 0);
            rows_counter("articles", "updated")->inc(r.article_updated ? 1 : 0);
            rows_counter("board_rows", "inserted")->inc(r.rows_inserted);
            rows_counter("board_rows", "updated")->inc(r.rows_updated);
        }
    }

    // -- leases, status --------------------------------------------------------------------------

    void arm_renewal() {
        renew_timer.expires_after(options.lease / renewals_per_lease);
        renew_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
            if (ec || !alive_now.lock() || stopping) return;
            renew();
            arm_renewal();
        });
    }

    void renew() {
        on_db([this](store::store& s) { store::renew_hosts(s.raw(), options.owner, options.lease); },
              [](const std::optional<std::string>& failure) {
                  if (failure) log(log_level::warning, fmt::format("could not renew host leases: {}", *failure));
              });
        if (held.empty()) return;
        auto urls = std::make_shared<std::vector<std::string>>();
        for (const auto& [url, item] : held)
            urls->push_back(url);
        on_db([this, urls](store::store& s) { store::renew_leases(s.raw(), options.owner, *urls, options.lease); },
              [](const std::optional<std::string>& failure) {
                  if (failure) log(log_level::warning, fmt::format("could not renew leases: {}", *failure));
              });
    }

    void arm_status() {
        status_timer.expires_after(status_every);
        status_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
            if (ec || !alive_now.lock() || stopping) return;
            look_at_frontier();
            arm_status();
        });
    }

    void look_at_frontier() {
        outstanding_gauge->set(static_cast<double>(held.size()));
        if (hooks.on_status) hooks.on_status(summary());
        if (status_in_flight) return;  // the database is slow or away: no pile of these
        status_in_flight = true;
        auto due = std::make_shared<std::int64_t>(0);
        on_db([due](store::store& s) { *due = store::due_count(s.raw()); },
              [this, due](const std::optional<std::string>& failure) {
                  status_in_flight = false;
                  if (failure) return;
                  counts.due = *due;
                  due_gauge->set(static_cast<double>(*due));
              });
    }

    std::string summary() const {
        return fmt::format(
            "{} due, {} in flight, {} fetched ({} not modified), {} failed, {} pages stored, "
            "{} articles and {} board rows written, {} URLs found{}",
            counts.due, held.size(), counts.fetched, counts.not_modified, counts.failed, counts.pages_stored,
            counts.articles_written, counts.rows_written, counts.discovered, db->up() ? "" : "; database unreachable");
    }

    // -- stop -----------------------------------------------------------------------------------------

    void stop(std::function<void()> done) {
        if (stopping) return;
        stopping = true;
        stop_done = std::move(done);
        stop_deadline = steady::now() + options.stop_grace;
        claim_timer.cancel();
        renew_timer.cancel();
        status_timer.cancel();
        log(log_level::notice, fmt::format("stopping: {} URL(s) in flight", held.size()));
        check_stopped();
    }

    void check_stopped() {
        if (finishing) return;
        const bool drained = held.empty() && !flush_in_flight;
        if (!drained && steady::now() < stop_deadline) {
            maybe_flush(true);
            stop_timer.expires_after(stop_poll);
            stop_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
                if (!ec && alive_now.lock()) check_stopped();
            });
            return;
        }
        finish();
    }

    // The grace period is over: transfers still running are dropped, what was extracted is written,
    // and every lease this owner still holds is given back.
    void finish() {
        finishing = true;
        const std::size_t left = held.size();
        // A transfer cut short here may still reach the server: the next owner waits a whole delay.
        auto host_waits = std::make_shared<std::vector<store::host_release>>();
        for (const std::string& host : held_hosts)
            host_waits->push_back({host, std::max(wait_for(host), fetch_options.politeness.min_host_delay)});
        fetcher.reset();
        extract_pool.stop();
        auto batch = std::make_shared<write_batch>(std::move(pending));
        pending = write_batch{};
        auto released = std::make_shared<int>(0);
        stop_timer.expires_after(final_write_budget);
        stop_timer.async_wait([this, alive_now = std::weak_ptr<int>(alive)](const boost::system::error_code& ec) {
            if (!ec && alive_now.lock()) db->give_up();  // a database still away: stop waiting for it
        });
        on_db(
            [this, batch, released, host_waits](store::store& s) {
                write(s, *batch);
                *released = store::release_leases(s.raw(), options.owner);
                store::release_hosts(s.raw(), options.owner, *host_waits);
                store::leave_frontier(s.raw(), options.owner, fetch_options.politeness.min_host_delay);
            },
            [this, batch, released, left](const std::optional<std::string>& failure) {
                stop_timer.cancel();
                if (failure)
                    log(log_level::warning, fmt::format("stopped without a last write: {}", *failure));
                else
                    count_written(*batch);
                log(log_level::notice,
                    fmt::format("stopped: {} URL(s) unfinished, {} lease(s) released; {}", left, *released, summary()));
                if (stop_done) stop_done();
            });
    }

    // -- metrics --------------------------------------------------------------------------------------

    void register_metrics() {
        claims_counter = &metrics.get_counter("gisa_claimed_urls_total", "URLs claimed from the frontier");
        due_gauge = &metrics.get_gauge("gisa_frontier_due", "URLs of enabled sources due now");
        outstanding_gauge =
            &metrics.get_gauge("gisa_outstanding_urls", "URLs claimed by this instance and not yet stored");
        database_up_gauge = &metrics.get_gauge("gisa_database_up", "1 while the database answers");
        instances_gauge = &metrics.get_gauge("gisa_live_instances", "Instances seen on the frontier within a lease");
        host_share_gauge =
            &metrics.get_gauge("gisa_host_share", "Hosts this instance may hold at once (its fair share)");
        for (const char* stage : {"claim", "fetch", "extract", "store"})
            stage_histograms[stage] = &metrics.get_histogram("gisa_stage_seconds", "Time spent per stage",
                                                             core::metrics::latency_buckets_s(), {{"stage", stage}});
        for (const char* table : {"articles", "board_rows"})
            for (const char* op : {"inserted", "updated"})
                rows_counters[std::string(table) + op] = &metrics.get_counter(
                    "gisa_rows_written_total", "Rows written to the database", {{"table", table}, {"op", op}});
    }

    void stage_seconds(const std::string& stage, double seconds) { stage_histograms[stage]->observe(seconds); }
    core::metrics::counter* rows_counter(const char* table, const char* op) {
        return rows_counters[std::string(table) + op];
    }

    bool making_progress(steady::duration stuck_after) const {
        const auto since = extract_pool.oldest_running();
        if (since && steady::now() - *since > stuck_after) return false;
        return !db->stuck(stuck_after);
    }

    net::io_context& io;
    std::string dsn;
    fetch::fetcher_options fetch_options;
    crawl_options options;
    std::vector<source_config> configured;
    core::metrics::registry& metrics;
    crawl_hooks hooks;

    // Handlers posted to the loop hold a weak reference: once the crawler is gone they do nothing.
    std::shared_ptr<int> alive = std::make_shared<int>(0);
    std::unique_ptr<fetch::fetcher> fetcher;
    std::map<std::int64_t, std::shared_ptr<const source_config>> by_id;
    std::unordered_map<std::string, work_item> held;  // claimed and not yet written
    std::unordered_set<std::string> held_hosts;       // hosts the frontier leased to this instance
    std::unordered_map<std::string, int> to_fetch;    // per held host: claimed URLs not fetched yet
    std::vector<std::string> drained_hosts;           // hosts whose last fetch ended, to give back
    write_batch pending;
    crawl_counts counts;

    bool crawling = false;
    bool ready = false;
    bool claim_in_flight = false;
    bool flush_in_flight = false;
    bool flush_armed = false;
    bool status_in_flight = false;
    bool stopping = false;
    bool finishing = false;
    steady::time_point stop_deadline;
    std::function<void()> stop_done;

    core::metrics::counter* claims_counter = nullptr;
    core::metrics::gauge* due_gauge = nullptr;
    core::metrics::gauge* outstanding_gauge = nullptr;
    core::metrics::gauge* database_up_gauge = nullptr;
    core::metrics::gauge* instances_gauge = nullptr;
    core::metrics::gauge* host_share_gauge = nullptr;
    std::map<std::string, core::metrics::histogram*> stage_histograms;
    std::map<std::string, core::metrics::counter*> rows_counters;

    // Declared last: destroyed (stopped and joined) first, while everything their jobs use still exists.
    std::unique_ptr<db_worker> db;
    job_pool extract_pool;
    net::steady_timer claim_timer;
    net::steady_timer flush_timer;
    net::steady_timer renew_timer;
    net::steady_timer status_timer;
    net::steady_timer stop_timer;
};

crawler::crawler(net::io_context& io, std::string dsn, fetch::fetcher_options fetch_options, crawl_options options,
                 std::vector<source_config> sources, core::metrics::registry& metrics, crawl_hooks hooks)
    : impl_(std::make_shared<impl>(io, std::move(dsn), std::move(fetch_options), std::move(options), std::move(sources),
                                   metrics, std::move(hooks))) {}

crawler::~crawler() {
    impl_->alive.reset();
    impl_->db->give_up();
    impl_->fetcher.reset();
    impl_->extract_pool.stop();
    impl_->db.reset();  // joins the database thread while the jobs' crawler is still whole
}

void crawler::start() {
    impl_->start();
}

void crawler::reload(std::vector<source_config> sources) {
    impl_->reload(std::move(sources));
}

void crawler::stop(std::function<void()> done) {
    impl_->stop(std::move(done));
}

bool crawler::making_progress(std::chrono::steady_clock::duration stuck_after) const {
    return impl_->making_progress(stuck_after);
}

std::string default_owner() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return fmt::format("{}:{}", host[0] == '\0' ? "gisa" : host, getpid());
}

}  // namespace gisa::crawl
