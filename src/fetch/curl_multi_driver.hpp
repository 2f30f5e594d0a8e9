// libcurl's multi interface on an Asio io_context, through the socket-action API.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace gisa::fetch {

struct multi_limits {
    long max_host_connections = 0;    // CURLMOPT_MAX_HOST_CONNECTIONS (0: unlimited)
    long max_connections_cached = 0;  // CURLMOPT_MAXCONNECTS (0: curl's default), per shard
    std::size_t shards = 1;           // CURLM handles transfers are spread over (see add)
};

// Owns one CURLM and runs it on `io`: every socket curl reports is watched until curl says
// CURL_POLL_REMOVE, one timer carries curl's timeouts. Idle keep-alive connections stay
// registered (parked) until curl closes them through the driver's close callback. Single-threaded: use it from the
// thread that runs `io`.
class curl_multi_driver {
  public:
    using done_handler = std::function<void(int curl_code)>;

    curl_multi_driver(boost::asio::io_context& io, const multi_limits& limits);
    ~curl_multi_driver();
    curl_multi_driver(const curl_multi_driver&) = delete;
    curl_multi_driver& operator=(const curl_multi_driver&) = delete;

    // Starts a transfer on `easy` (a CURL*) in the least busy of the `shard_span` shards from
    // `first_shard` (modulo shards()); `done` runs once, from the io_context, never from inside
    // a libcurl callback. Returns false (and never calls done) when curl refuses it. Connections
    // are reused only within a shard: give one host's transfers one shard unless it has many.
    bool add(void* easy, done_handler done, std::size_t first_shard = 0, std::size_t shard_span = 1);

    // Stops a transfer early; its done handler is dropped without being called.
    void remove(void* easy);

    std::size_t shards() const noexcept;
    std::size_t active_transfers() const noexcept;
    std::size_t watched_sockets() const noexcept;  // for tests: zero once everything is finished
    std::size_t parked_sockets() const noexcept;   // idle keep-alive connections still registered

    struct impl;

  private:
    std::unique_ptr<impl> impl_;
};

// curl_global_init, once per process, before any thread is started by curl.
void ensure_curl_global_init();

}  // namespace gisa::fetch
