// Reading one input of `gisa extract` never past a bound (bounded_input.hpp).
#include "app/bounded_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

namespace gisa::app {

namespace {

constexpr std::size_t read_chunk_bytes = 64 * 1024;

core::error io_error(const std::string& what, const std::string& label, int err) {
    return {core::errc::io, what + " " + label + ": " + std::generic_category().message(err), false, std::nullopt};
}

// "8 MiB" for whole mebibytes, else the byte count.
std::string describe_bytes(std::size_t bytes) {
    constexpr std::size_t mib = std::size_t{1} << 20;
    if (bytes >= mib && bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
    return std::to_string(bytes) + " bytes";
}

std::string label_of(const std::string& path) {
    return path == "-" ? std::string("standard input") : path;
}

// Owns a descriptor opened here; standard input is never closed.
class fd_owner {
  public:
    explicit fd_owner(int fd) noexcept : fd_(fd) {}
    fd_owner(const fd_owner&) = delete;
    fd_owner& operator=(const fd_owner&) = delete;
    ~fd_owner() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }

  private:
    int fd_;
};

}  // namespace

bounded_input read_bounded_fd(int fd, const std::string& label, std::size_t max_bytes) {
    bounded_input in;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        in.error = io_error("cannot read", label, EISDIR);
        return in;
    }
    std::array<char, read_chunk_bytes> chunk;
    while (in.bytes.size() <= max_bytes) {
        const std::size_t want = std::min(chunk.size(), max_bytes + 1 - in.bytes.size());
        const ssize_t got = ::read(fd, chunk.data(), want);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            const int err = errno;
            in.bytes = {};
            in.error = io_error("error reading", label, err);
            return in;
        }
        if (got == 0) return in;
        in.bytes.append(chunk.data(), static_cast<std::size_t>(got));
    }
    in.error = {core::errc::too_large, label + " is larger than " + describe_bytes(max_bytes) + "; not read past that",
                false, std::nullopt};
    return in;
}

bounded_input read_bounded(const std::string& path, std::size_t max_bytes) {
    if (path == "-") return read_bounded_fd(STDIN_FILENO, label_of(path), max_bytes);
    const fd_owner fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        bounded_input in;
        in.error = io_error("cannot read", path, errno);
        return in;
    }
    return read_bounded_fd(fd.get(), path, max_bytes);
}

}  // namespace gisa::app
