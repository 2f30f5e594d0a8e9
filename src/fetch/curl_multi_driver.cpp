// The Asio bridge for libcurl's multi interface (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION).
//
// Rules that keep it correct (curl issues 5090 and 1191 show what breaks without them):
//  - a socket stays watched until curl says CURL_POLL_REMOVE; descriptors are wrapped without
//    ownership and released, never closed (curl closes its sockets itself);
//  - handlers find sockets by descriptor in `sockets_`, with a generation number so that a
//    handler for a socket that was removed (and whose number was reused) does nothing;
//  - one non-repeating timer; a 0 ms timeout is armed like any other, so it runs from the
//    io_context, never inside the callback; -1 cancels it; curl is called only once its
//    deadline has passed;
//  - libcurl is never called from inside its own callbacks, and they never return -1;
//  - after every event: curl_multi_socket_action, then drain curl_multi_info_read.
#include "fetch/curl_multi_driver.hpp"

#include <curl/curl.h>
#include <poll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

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
    int wanted = 0;        // CURL_POLL_IN / CURL_POLL_OUT bits
    bool reading = false;  // an async_wait(read) is pending
    bool writing = false;
};

}  // namespace

struct curl_multi_driver::impl {
    net::io_context& io_;
    CURLM* multi_ = nullptr;
    net::steady_timer timer_;
    std::optional<std::chrono::steady_clock::time_point> curl_deadline_;  // what curl asked for
    std::optional<std::chrono::steady_clock::time_point> armed_for_;      // when timer_ fires
    std::unordered_map<curl_socket_t, watched_socket> sockets_;
    std::unordered_map<CURL*, done_handler> transfers_;
    std::uint64_t next_generation_ = 1;
    // Handlers hold a weak copy: once the driver is gone, late completions do nothing.
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);

    impl(net::io_context& io, const multi_limits& limits) : io_(io), timer_(io) {
        ensure_curl_global_init();
        multi_ = curl_multi_init();
        curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &impl::on_socket);
        curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &impl::on_timer);
        curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
        curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        if (limits.max_host_connections > 0)
            curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, limits.max_host_connections);
        if (limits.max_connections_cached > 0)
            curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, limits.max_connections_cached);
    }

    ~impl() {
        alive_.reset();
        timer_.cancel();
        for (auto& [easy, done] : transfers_)
            curl_multi_remove_handle(multi_, easy);
        transfers_.clear();
        curl_multi_cleanup(multi_);  // may still report CURL_POLL_REMOVE for cached connections
        for (auto& [fd, watched] : sockets_)
            forget_descriptor(watched);
        sockets_.clear();
    }

    // ---- libcurl callbacks: record and arm, never call libcurl, always return 0 ----

    static int on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* self_ptr, void* /*socketp*/) {
        auto* self = static_cast<impl*>(self_ptr);
        if (what == CURL_POLL_REMOVE)
            self->unwatch(fd);
        else
            self->watch(fd, what);
        return 0;
    }

    static int on_timer(CURLM* /*multi*/, long timeout_ms, void* self_ptr) {
        static_cast<impl*>(self_ptr)->arm_timer(timeout_ms);
        return 0;
    }

    // ---- sockets ----

    static void forget_descriptor(watched_socket& watched) {
        if (!watched.descriptor) return;
        boost::system::error_code ignored;
        watched.descriptor->cancel(ignored);
        (void)watched.descriptor->release();  // curl owns the descriptor and closes it
    }

    void watch(curl_socket_t fd, int what) {
        auto [it, inserted] = sockets_.try_emplace(fd);
        auto& watched = it->second;
        if (inserted) {
            watched.generation = next_generation_++;
            watched.descriptor = std::make_unique<net::posix::stream_descriptor>(io_);
            boost::system::error_code ec;
            watched.descriptor->assign(fd, ec);
            if (ec) std::fprintf(stderr, "gisa fetch: cannot watch descriptor %d: %s\n", fd, ec.message().c_str());
        }
        const int newly_wanted = what & ~watched.wanted;
        watched.wanted = what;
        arm(fd, watched);
        // A socket just registered gets its readiness reported by epoll; an old one may not.
        if (!inserted) kick_if_ready(fd, watched, newly_wanted);
    }

    void unwatch(curl_socket_t fd) {
        const auto it = sockets_.find(fd);
        if (it == sockets_.end()) return;
        forget_descriptor(it->second);
        sockets_.erase(it);
    }

    // Asio's epoll reactor is edge-triggered and keeps no readiness for a wait that was not
    // pending when the edge came: a socket that became readable while curl only wanted to
    // write would never wake us. So when curl starts wanting a direction, ask poll() once
    // whether it is ready already, and if so run that action from the io_context.
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
            socket_action(fd, action);
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
        if (ec == net::error::operation_aborted) return;
        const int wanted_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
        if (!ec && !(watched.wanted & wanted_bit)) return;  // curl lost interest meanwhile
        socket_action(fd, ec ? CURL_CSELECT_ERR : direction);
        it = sockets_.find(fd);  // socket_action may have removed or replaced it
        if (it != sockets_.end() && it->second.generation == generation) arm(fd, it->second);
    }

    // ---- the timer ----

    // curl moves its deadline many times per transfer. Re-arming an Asio timer costs a cancel and
    // a timerfd update, so a later deadline keeps the earlier wake-up, which then re-arms itself
    // for curl's deadline instead of calling curl too soon. An earlier deadline re-arms at once.
    void arm_timer(long timeout_ms) {
        if (timeout_ms < 0) {
            curl_deadline_.reset();
            armed_for_.reset();
            timer_.cancel();
            return;
        }
        const auto when = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        curl_deadline_ = when;
        if (armed_for_ && *armed_for_ <= when) return;  // due no later: it will serve this deadline
        start_timer(when);
    }

    void start_timer(std::chrono::steady_clock::time_point when) {
        armed_for_ = when;
        timer_.expires_at(when);  // a 0 ms deadline too: the handler runs from the io_context
        timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
            if (alive.expired() || ec == net::error::operation_aborted) return;
            armed_for_.reset();
            on_timer_fired();
        });
    }

    void on_timer_fired() {
        if (!curl_deadline_) return;
        if (std::chrono::steady_clock::now() < *curl_deadline_) return start_timer(*curl_deadline_);
        curl_deadline_.reset();
        socket_action(CURL_SOCKET_TIMEOUT, 0);
    }

    // ---- driving curl ----

    void socket_action(curl_socket_t fd, int action) {
        int running = 0;
        curl_multi_socket_action(multi_, fd, action, &running);
        drain();
    }

    // One message at a time: a done handler may remove other transfers, and curl drops the
    // pending messages of a removed handle.
    void drain() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;  // msg is invalid after remove_handle
            curl_multi_remove_handle(multi_, easy);
            const auto it = transfers_.find(easy);
            if (it == transfers_.end()) continue;
            auto handler = std::move(it->second);
            transfers_.erase(it);
            handler(static_cast<int>(code));  // may add or remove transfers: we are outside curl here
        }
    }
};

curl_multi_driver::curl_multi_driver(net::io_context& io, const multi_limits& limits)
    : impl_(std::make_unique<impl>(io, limits)) {}

curl_multi_driver::~curl_multi_driver() = default;

bool curl_multi_driver::add(void* easy, done_handler done) {
    auto* handle = static_cast<CURL*>(easy);
    if (curl_multi_add_handle(impl_->multi_, handle) != CURLM_OK) return false;
    impl_->transfers_.emplace(handle, std::move(done));
    return true;
}

void curl_multi_driver::remove(void* easy) {
    auto* handle = static_cast<CURL*>(easy);
    if (impl_->transfers_.erase(handle) > 0) curl_multi_remove_handle(impl_->multi_, handle);
}

std::size_t curl_multi_driver::active_transfers() const noexcept {
    return impl_->transfers_.size();
}
std::size_t curl_multi_driver::watched_sockets() const noexcept {
    return impl_->sockets_.size();
}

}  // namespace gisa::fetch
