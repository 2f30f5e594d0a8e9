// Completion-token adapter for fetcher::fetch: co_await async_fetch(f, request, net::use_awaitable).
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>

#include <memory>
#include <utility>

#include "fetch/fetcher.hpp"

namespace gisa::fetch {

template <typename CompletionToken>
auto async_fetch(fetcher& f, fetch_request request, CompletionToken&& token) {
    namespace net = boost::asio;
    return net::async_initiate<CompletionToken, void(fetch_result)>(
        [&f](auto handler, fetch_request req) {
            // std::function needs a copyable target; the handler (a coroutine's) is move-only.
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            f.fetch(std::move(req), [shared](fetch_result result) {
                auto executor = net::get_associated_executor(*shared);
                net::dispatch(executor,
                              [shared, r = std::move(result)]() mutable { std::move (*shared)(std::move(r)); });
            });
        },
        token, std::move(request));
}

}  // namespace gisa::fetch
