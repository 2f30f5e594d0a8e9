// `gisa ingest --follow`: fetch the posts a board page's rows link to, extract them, summarise what was stored.
#include "app/ingest_follow.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "app/commands.hpp"
#include "core/web_url.hpp"
#include "fetch/fetcher.hpp"
#include "text/korean_date.hpp"

namespace gisa::app {

namespace net = boost::asio;

namespace {

// Why a fetched post cannot go to the extractor; empty when it can.
std::string post_problem(const fetch::fetch_result& post) {
    if (post.error.code == core::errc::not_html) return post.error.message;
    if (!post.ok()) return describe_failure(post);
    if (post.kind != fetch::body_kind::html)
        return "not a page (" + std::string(to_string(post.kind)) + " " + post.content_type + ")";
    return {};
}

void add_failure(followed_posts& followed, std::string url, std::string error) {
    std::fprintf(stderr, "gisa ingest: could not follow %s: %s\n", url.c_str(), error.c_str());
    followed.failures.push_back({std::move(url), std::move(error)});
}

// A note before a follow that will take a while: the per-host delay spaces the posts out.
void say_how_long(std::size_t rows, std::chrono::milliseconds delay) {
    if (rows < 2 || delay.count() <= 0) return;
    std::fprintf(stderr, "gisa ingest: following %zu board rows, %lld ms apart per host ([fetch.politeness])\n", rows,
                 static_cast<long long>(delay.count()));
}

}  // namespace

blocking_fetcher::blocking_fetcher(fetch::fetcher_options options) : io_(std::make_unique<net::io_context>()) {
    options.transfer_threads = 1;  // a few pages, one host: a thread would cost more than it brings
    fetcher_ = std::make_unique<fetch::fetcher>(*io_, std::move(options));
}

blocking_fetcher::~blocking_fetcher() = default;

const fetch::fetcher_options& blocking_fetcher::options() const noexcept {
    return fetcher_->options();
}

std::vector<fetch::fetch_result> blocking_fetcher::fetch_all(const std::vector<std::string>& urls) {
    std::vector<fetch::fetch_result> results;
    results.reserve(urls.size());
    for (const std::string& url : urls)  // what an answer that never came would say; none should
        results.push_back(fetch::failed_request({url, {}, {}}, core::error{core::errc::fetch, "no answer", false, {}}));
    std::size_t pending = urls.size();
    if (pending == 0) return results;
    for (std::size_t i = 0; i < urls.size(); ++i)
        fetcher_->fetch(fetch::fetch_request{urls[i], {}, {}}, [this, &results, &pending, i](fetch::fetch_result r) {
            results[i] = std::move(r);
            if (--pending == 0) io_->stop();  // curl may keep an idle timer; the answers are in
        });
    io_->restart();  // after the previous call's stop()
    io_->run();
    return results;
}

fetch::fetch_result blocking_fetcher::fetch(const std::string& url) {
    return std::move(fetch_all({url}).front());
}

std::string describe_failure(const fetch::fetch_result& page) {
    std::string text = page.error.message;
    if (page.attempts > 1) text += " (after " + std::to_string(page.attempts) + " attempts)";
    if (page.error.retry_after) {
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(*page.error.retry_after).count();
        text += "; retry in " + std::to_string(seconds) + " s";
    }
    return text;
}

extract::extract_result extract_fetched(const std::string& url, const fetch::fetch_result& page) {
    extract::page_input input;
    input.bytes = page.body;
    input.url = page.final_url;
    input.content_type = page.content_type;
    input.fetched_at = text::korean_now_iso();
    auto result = extract::extract_page(input);
    result.record.url = url;
    result.record.final_url = page.final_url;
    return result;
}

const char* article_outcome(const store::ingest_result& stored, const core::page_record& record) {
    if (stored.article_inserted) return "inserted";
    if (stored.article_updated) return "updated";
    if (!record.has_article()) return "none";
    return "unchanged";
}

std::vector<std::string> row_urls(const core::page_record& board) {
    std::vector<std::string> urls;
    std::unordered_set<std::string_view> seen{board.url, board.final_url};
    for (const core::board_row& row : board.board.rows)
        if (core::is_web_url(row.url) && seen.insert(row.url).second) urls.push_back(row.url);
    return urls;
}

followed_posts follow_rows(blocking_fetcher& fetcher, const core::page_record& board) {
    followed_posts followed;
    const std::vector<std::string> urls = row_urls(board);
    followed.rows = urls.size();
    say_how_long(urls.size(), fetcher.options().politeness.min_host_delay);
    std::vector<fetch::fetch_result> fetched = fetcher.fetch_all(urls);
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (std::string problem = post_problem(fetched[i]); !problem.empty()) {
            add_failure(followed, urls[i], std::move(problem));
            continue;
        }
        auto extracted = extract_fetched(urls[i], fetched[i]);
        if (extracted.error.code != core::errc::ok) {
            add_failure(followed, urls[i], extracted.error.message);
            continue;
        }
        followed.posts.push_back({std::move(fetched[i]), std::move(extracted)});
    }
    return followed;
}

std::size_t add_follow_summary(nlohmann::ordered_json& summary, followed_posts& followed,
                               std::span<const store::ingest_result> stored) {
    nlohmann::ordered_json articles = {{"inserted", 0}, {"updated", 0}, {"unchanged", 0}, {"none", 0}};
    std::size_t ok = 0;
    for (std::size_t i = 0; i < followed.posts.size() && i < stored.size(); ++i) {
        const core::page_record& record = followed.posts[i].extracted.record;
        if (stored[i].error) {
            add_failure(followed, record.url, "not stored: " + stored[i].error->message);
            continue;
        }
        auto& count = articles[article_outcome(stored[i], record)];
        count = count.get<std::size_t>() + 1;
        ++ok;
    }
    summary["followed"] = {
        {"rows", followed.rows}, {"fetched", ok}, {"failed", followed.rows - ok}, {"articles", articles}};
    summary["failures"] = nlohmann::ordered_json::array();
    for (const follow_failure& failure : followed.failures)
        summary["failures"].push_back({{"url", failure.url}, {"error", failure.error}});
    return ok;
}

int follow_exit_code(std::size_t rows, std::size_t posts_ok) {
    return rows > 0 && posts_ok == 0 ? exit_fetch : exit_ok;
}

}  // namespace gisa::app
