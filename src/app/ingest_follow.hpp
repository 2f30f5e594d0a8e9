// `gisa ingest --follow`: the posts a board page's rows link to, fetched politely on one fetcher and extracted.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/page_record.hpp"
#include "extract/extractor.hpp"
#include "fetch/fetch_result.hpp"
#include "fetch/options.hpp"
#include "store/store.hpp"

namespace boost::asio {
class io_context;
}

namespace gisa::fetch {
class fetcher;
}

namespace gisa::app {

// One fetch::fetcher on an io_context of its own, run until each call's answers are in: the
// board page and then its posts share its per-host delay and its robots.txt (read once).
class blocking_fetcher {
  public:
    explicit blocking_fetcher(fetch::fetcher_options options);
    ~blocking_fetcher();
    blocking_fetcher(const blocking_fetcher&) = delete;
    blocking_fetcher& operator=(const blocking_fetcher&) = delete;

    // Every URL, politely; results[i] is for urls[i].
    std::vector<fetch::fetch_result> fetch_all(const std::vector<std::string>& urls);
    fetch::fetch_result fetch(const std::string& url);

    const fetch::fetcher_options& options() const noexcept;

  private:
    std::unique_ptr<boost::asio::io_context> io_;  // declared first: outlives the fetcher
    std::unique_ptr<fetch::fetcher> fetcher_;
};

// Why a fetch failed, with what the user needs to decide on a rerun: how many attempts were
// made, and when to try again.
std::string describe_failure(const fetch::fetch_result& page);

// Extracts a fetched page; the record keeps `url` as asked for and the final URL after redirects.
extract::extract_result extract_fetched(const std::string& url, const fetch::fetch_result& page);

// What the store did with a page's article: "inserted", "updated", "unchanged" or "none".
const char* article_outcome(const store::ingest_result& stored, const core::page_record& record);

// The board rows' URLs worth following: http(s) only, each once, in row order, never the page itself.
std::vector<std::string> row_urls(const core::page_record& board);

struct followed_post {
    fetch::fetch_result fetched;
    extract::extract_result extracted;
};

struct follow_failure {
    std::string url;
    std::string error;
};

struct followed_posts {
    std::size_t rows = 0;              // row URLs followed
    std::vector<followed_post> posts;  // fetched and extracted, in row order
    std::vector<follow_failure> failures;
};

// Fetches and extracts the posts `board`'s rows link to; each failure is also said on stderr.
followed_posts follow_rows(blocking_fetcher& fetcher, const core::page_record& board);

// Adds "followed" and "failures" to the summary; stored[i] is what the store did with posts[i]
// (a post it refused becomes a failure). Returns how many posts were stored.
std::size_t add_follow_summary(nlohmann::ordered_json& summary, followed_posts& followed,
                               std::span<const store::ingest_result> stored);

// A board page's exit code is the caller's; following adds exit_fetch when rows were
// followed and not one post could be fetched, read or stored.
int follow_exit_code(std::size_t rows, std::size_t posts_ok);

}  // namespace gisa::app
