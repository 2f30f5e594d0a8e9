// The Asio bridge for libcurl's multi interface (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION).
//
// Rules that keep it correct (curl issues 5090 and 1191 show what breaks without them):
//  - a socket stays watched until curl says CURL_POLL_REMOVE; descriptors are wrapped without
//    ownership and released, never closed by the wrapper (curl decides when a socket closes);
//  - handlers find sockets by descriptor in `sockets_`, with a generation number so that a
//    handler for a socket that was removed (and whose number was reused) does nothing;
//  - one non-repeating timer per CURLM; a 0 ms timeout is armed like any other, so it runs from the
//    io_context, never inside the callback; -1 cancels it; curl is called only once its
//    deadline has passed;
//  - libcurl is never called from inside its own callbacks, and they never return -1;
//  - after every event: curl_multi_socket_action, then drain curl_multi_info_read.
//
// Keep-alive without re-registering: curl says CURL_POLL_REMOVE each time a connection goes
// idle into its cache and reports it again for the next request on it. Dropping the epoll
// registration in between costs four system calls per request (EPOLL_CTL_DEL, _ADD, FIONBIO,
// _MOD). A connection socket (one curl announced through CURLOPT_SOCKOPTFUNCTION) is instead
// "parked": no longer watched for curl, but kept registered until curl closes it, which it
// does through CURLOPT_CLOSESOCKETFUNCTION, so we always know before its number can be reused.
// Other sockets (the resolver's wake-up pair) are released at CURL_POLL_REMOVE as before.
//
// Shards: with many transfers in flight, libcurl 7.88 walks its whole connection cache on every
// curl_multi_remove_handle and a host's whole connection list on every connection lookup, so
// a transfer's cost grows with the number of connections. multi_limits::shards splits the
// transfers over several CURLM handles (each with its own timer and connection cache) on the
// same io_context; each keeps every rule above.
#include "fetch/curl_multi_driver.hpp"

#include <curl/curl.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace gisa::fetch {

namespace net = boost::asio;

void ensure_curl_global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

struct watched_socket {
    std::unique_ptr<net::posix::stream_descriptor> descriptor;
    std::uint64_t generation = 0;
    int wanted = 0;        // CURL_POLL_IN / CURL_POLL_OUT bits; 0 while parked
    bool reading = false;  // an async_wait(read) is pending
    bool writing = false;
    bool closes_through_us = false;  // a connection socket: curl closes it via on_close_socket
    bool parked = false;             // curl said CURL_POLL_REMOVE; still registered with epoll
    struct shard* owner = nullptr;   // whose curl_multi_socket_action it goes to
};

// One CURLM with its own timer; curl's callbacks get the shard as their user pointer.
struct shard {
    curl_multi_driver::impl* driver = nullptr;
    CURLM* multi = nullptr;
    net::steady_timer timer;
    std::optional<std::chrono::steady_clock::time_point> curl_deadline;  // what curl asked for
    std::optional<std::chrono::steady_clock::time_point> armed_for;      // when timer fires
    std::size_t active = 0;                                              // transfers added, not done

    explicit shard(net::io_context& io) : timer(io) {}
};

struct transfer_entry {
    curl_multi_driver::done_handler done;
    shard* owner = nullptr;
};

}  // namespace

struct curl_multi_driver::impl {
    net::io_context& io_;
    std::vector<std::unique_ptr<shard>> shards_;
    std::unordered_map<curl_socket_t, watched_socket> sockets_;
    std::unordered_map<CURL*, transfer_entry> transfers_;
    std::uint64_t next_generation_ = 1;
    // Handlers hold a weak copy: once the driver is gone, late completions do nothing.
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);

    impl(net::io_context& io, const multi_limits& limits) : io_(io) {
        ensure_curl_global_init();
        for (std::size_t i = 0; i < std::max<std::size_t>(1, limits.shards); ++i)
            shards_.push_back(make_shard(limits));
    }

    std::unique_ptr<shard> make_shard(const multi_limits& limits) {
        auto s = std::make_unique<shard>(io_);
        s->driver = this;
        s->multi = curl_multi_init();
        CURLM* multi = s->multi;
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &impl::on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(s.get()));
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &impl::on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(s.get()));
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        if (limits.max_host_connections > 0)
            curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limits.max_host_connections);
        if (limits.max_connections_cached > 0)
            curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, limits.max_connections_cached);
        return s;
    }

    ~impl() {
        alive_.reset();
        for (auto& s : shards_)
            s->timer.cancel();
        for (auto& [easy, entry] : transfers_)
            curl_multi_remove_handle(entry.owner->multi, easy);
        transfers_.clear();
        for (auto& s : shards_)
            curl_multi_cleanup(s->multi);  // closes cached connections through on_close_socket
        for (auto& [fd, watched] : sockets_)
            forget_descriptor(watched);
        sockets_.clear();
    }

    // ---- libcurl callbacks: record and arm, never call libcurl, always return 0 ----

    static int on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* shard_ptr, void* /*socketp*/) {
        auto* s = static_cast<shard*>(shard_ptr);
        if (what == CURL_POLL_REMOVE)
            s->driver->unwatch(fd, false);
        else
            s->driver->watch(*s, fd, what);
        return 0;
    }

    static int on_timer(CURLM* /*multi*/, long timeout_ms, void* shard_ptr) {
        auto* s = static_cast<shard*>(shard_ptr);
        s->driver->arm_timer(*s, timeout_ms);
        return 0;
    }

    // A new connection socket (set per easy handle in add()): it will be closed through
    // on_close_socket, so it may stay registered between requests.
    static int on_sockopt(void* self_ptr, curl_socket_t fd, curlsocktype purpose) {
        if (purpose == CURLSOCKTYPE_IPCXN) static_cast<impl*>(self_ptr)->note_connection_socket(fd);
        return CURL_SOCKOPT_OK;
    }

    // curl is done with a connection socket (it already said CURL_POLL_REMOVE if it was
    // watched): drop the registration, then close it for curl, as the callback must.
    static int on_close_socket(void* self_ptr, curl_socket_t fd) {
        static_cast<impl*>(self_ptr)->unwatch(fd, true);
        return ::close(fd);
    }

    // ---- sockets ----

    static void forget_descriptor(watched_socket& watched) {
        if (!watched.descriptor) return;
        boost::system::error_code ignored;
        watched.descriptor->cancel(ignored);
        (void)watched.descriptor->release();  // curl owns the descriptor and closes it
    }

    void note_connection_socket(curl_socket_t fd) {
        // A fresh socket: an entry under its number can only be one curl closed without
        // telling us, whose registration died with it.
        unwatch(fd, true);
        sockets_[fd].closes_through_us = true;
    }

    void watch(shard& owner, curl_socket_t fd, int what) {
        auto& watched = sockets_[fd];
        watched.owner = &owner;
        const bool fresh = !watched.descriptor;
        if (fresh) {
            watched.generation = next_generation_++;
            watched.descriptor = std::make_unique<net::posix::stream_descriptor>(io_);
            boost::system::error_code ec;
            watched.descriptor->assign(fd, ec);
            if (ec) std::fprintf(stderr, "gisa fetch: cannot watch descriptor %d: %s\n", fd, ec.message().c_str());
        }
        const int newly_wanted = what & ~watched.wanted;
        watched.wanted = what;
        watched.parked = false;
        // A wait already pending for a newly wanted direction does not re-check readiness.
        const int pending = (watched.reading ? CURL_POLL_IN : 0) | (watched.writing ? CURL_POLL_OUT : 0);
        arm(fd, watched);
        if (!fresh) kick_if_ready(fd, watched, newly_wanted & pending);
    }

    // CURL_POLL_REMOVE parks a connection socket (see the top of the file); `closing` (or any
    // other socket) drops the registration without closing the descriptor.
    void unwatch(curl_socket_t fd, bool closing) {
        const auto it = sockets_.find(fd);
        if (it == sockets_.end()) return;
        if (!closing && it->second.closes_through_us && it->second.descriptor) {
            it->second.wanted = 0;  // pending waits stay; on_ready ignores them while parked
            it->second.parked = true;
            return;
        }
        forget_descriptor(it->second);
        sockets_.erase(it);
    }

    // Asio's epoll reactor is edge-triggered. A new async_wait re-arms the descriptor
    // (EPOLL_CTL_MOD), which reports readiness that is already there; a wait that was left
    // pending while curl did not want that direction does not, and an edge it consumed then
    // is gone. So when curl starts wanting a direction whose wait is still pending, ask poll()
    // once whether it is ready already, and if so run that action from the io_context.
    void kick_if_ready(curl_socket_t fd, const watched_socket& watched, int newly_wanted) {
        if (newly_wanted == 0) return;
        pollfd p{fd, 0, 0};
        if (newly_wanted & CURL_POLL_IN) p.events |= POLLIN;
        if (newly_wanted & CURL_POLL_OUT) p.events |= POLLOUT;
        if (::poll(&p, 1, 0) <= 0) return;
        int action = 0;
        if (p.revents & (POLLIN | POLLHUP)) action |= CURL_CSELECT_IN;
        if (p.revents & POLLOUT) action |= CURL_CSELECT_OUT;
        if (p.revents & POLLERR) action |= CURL_CSELECT_ERR;
        if (action == 0) return;
        net::post(io_, [this, fd, generation = watched.generation, action, alive = std::weak_ptr<int>(alive_)] {
            if (alive.expired() || !is_current(fd, generation)) return;
            socket_action(*sockets_[fd].owner, fd, action);
        });
    }

    bool is_current(curl_socket_t fd, std::uint64_t generation) const {
        const auto it = sockets_.find(fd);
        return it != sockets_.end() && it->second.generation == generation;
    }

    void arm(curl_socket_t fd, watched_socket& watched) {
        if (!watched.descriptor || !watched.descriptor->is_open()) return;
        if ((watched.wanted & CURL_POLL_IN) && !watched.reading) {
            watched.reading = true;
            wait(fd, watched, net::posix::stream_descriptor::wait_read, CURL_CSELECT_IN);
        }
        if ((watched.wanted & CURL_POLL_OUT) && !watched.writing) {
            watched.writing = true;
            wait(fd, watched, net::posix::stream_descriptor::wait_write, CURL_CSELECT_OUT);
        }
    }

    void wait(curl_socket_t fd, watched_socket& watched, net::posix::descriptor_base::wait_type type, int direction) {
        watched.descriptor->async_wait(type, [this, fd, direction, generation = watched.generation,
                                              alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
            if (alive.expired()) return;
            on_ready(fd, generation, direction, ec);
        });
    }

    void on_ready(curl_socket_t fd, std::uint64_t generation, int direction, boost::system::error_code ec) {
        auto it = sockets_.find(fd);
        if (it == sockets_.end() || it->second.generation != generation) return;  // removed, maybe reused
        auto& watched = it->second;
        (direction == CURL_CSELECT_IN ? watched.reading : watched.writing) = false;
        if (ec == net::error::operation_aborted || watched.parked) return;
        const int wanted_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
        if (!ec && !(watched.wanted & wanted_bit)) return;  // curl lost interest meanwhile
        socket_action(*watched.owner, fd, ec ? CURL_CSELECT_ERR : direction);
        it = sockets_.find(fd);  // socket_action may have removed or replaced it
        if (it != sockets_.end() && it->second.generation == generation) arm(fd, it->second);
    }

    // ---- the timer ----

    // curl moves its deadline many times per transfer. Re-arming an Asio timer costs a cancel and
    // a timerfd update, so a later deadline keeps the earlier wake-up, which then re-arms itself
    // for curl's deadline instead of calling curl too soon. An earlier deadline re-arms at once.
    void arm_timer(shard& s, long timeout_ms) {
        if (timeout_ms < 0) {
            s.curl_deadline.reset();
            s.armed_for.reset();
            s.timer.cancel();
            return;
        }
        const auto when = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        s.curl_deadline = when;
        if (s.armed_for && *s.armed_for <= when) return;  // due no later: it will serve this deadline
        start_timer(s, when);
    }

    void start_timer(shard& s, std::chrono::steady_clock::time_point when) {
        s.armed_for = when;
        s.timer.expires_at(when);  // a 0 ms deadline too: the handler runs from the io_context
        s.timer.async_wait([this, &s, alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
            if (alive.expired() || ec == net::error::operation_aborted) return;
            s.armed_for.reset();
            on_timer_fired(s);
        });
    }

    void on_timer_fired(shard& s) {
        if (!s.curl_deadline) return;
        if (std::chrono::steady_clock::now() < *s.curl_deadline) return start_timer(s, *s.curl_deadline);
        s.curl_deadline.reset();
        socket_action(s, CURL_SOCKET_TIMEOUT, 0);
    }

    // ---- driving curl ----

    void socket_action(shard& s, curl_socket_t fd, int action) {
        int running = 0;
        curl_multi_socket_action(s.multi, fd, action, &running);
        drain(s);
    }

    // One message at a time: a done handler may remove other transfers, and curl drops the
    // pending messages of a removed handle.
    void drain(shard& s) {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(s.multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;  // msg is invalid after remove_handle
            curl_multi_remove_handle(s.multi, easy);
            const auto it = transfers_.find(easy);
            if (it == transfers_.end()) continue;
            auto handler = std::move(it->second.done);
            transfers_.erase(it);
            --s.active;
            handler(static_cast<int>(code));  // may add or remove transfers: we are outside curl here
        }
    }
};

curl_multi_driver::curl_multi_driver(net::io_context& io, const multi_limits& limits)
    : impl_(std::make_unique<impl>(io, limits)) {}

curl_multi_driver::~curl_multi_driver() = default;

bool curl_multi_driver::add(void* easy, done_handler done, std::size_t first_shard, std::size_t shard_span) {
    auto* handle = static_cast<CURL*>(easy);
    // Connections keep the close callback of the handle that opened them; they live in this
    // multi's cache, so `impl_` outlives every one of them.
    curl_easy_setopt(handle, CURLOPT_SOCKOPTFUNCTION, &impl::on_sockopt);
    curl_easy_setopt(handle, CURLOPT_SOCKOPTDATA, static_cast<void*>(impl_.get()));
    curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, &impl::on_close_socket);
    curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, static_cast<void*>(impl_.get()));
    // The least busy of the span: each multi then holds about as many connections as it has
    // transfers, instead of opening more whenever turns happen to pile up on one.
    const auto& shards = impl_->shards_;
    shard* owner = shards[first_shard % shards.size()].get();
    for (std::size_t i = 1; i < std::min(shard_span, shards.size()); ++i) {
        shard* candidate = shards[(first_shard + i) % shards.size()].get();
        if (candidate->active < owner->active) owner = candidate;
    }
    if (curl_multi_add_handle(owner->multi, handle) != CURLM_OK) return false;
    impl_->transfers_.emplace(handle, transfer_entry{std::move(done), owner});
    ++owner->active;
    return true;
}

void curl_multi_driver::remove(void* easy) {
    auto* handle = static_cast<CURL*>(easy);
    const auto it = impl_->transfers_.find(handle);
    if (it == impl_->transfers_.end()) return;
    shard* owner = it->second.owner;
    impl_->transfers_.erase(it);
    --owner->active;
    curl_multi_remove_handle(owner->multi, handle);
}

std::size_t curl_multi_driver::shards() const noexcept {
    return impl_->shards_.size();
}

std::size_t curl_multi_driver::active_transfers() const noexcept {
    return impl_->transfers_.size();
}
std::size_t curl_multi_driver::watched_sockets() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(impl_->sockets_.begin(), impl_->sockets_.end(),
                      [](const auto& entry) { return entry.second.descriptor && !entry.second.parked; }));
}
std::size_t curl_multi_driver::parked_sockets() const noexcept {
    return static_cast<std::size_t>(std::count_if(impl_->sockets_.begin(), impl_->sockets_.end(),
                                                  [](const auto& entry) { return entry.second.parked; }));
}

}  // namespace gisa::fetch
