// Reading one input of `gisa extract` (a file, "-" for standard input, a FIFO, a device) never past a bound.
//
// Issue #15: reading to the end into a string made `gisa extract /dev/zero` grow without bound, and a
// directory threw from inside the stream and aborted the run. Here every input is read with read(2) up to
// max_bytes + 1 bytes: one byte more than the bound means too large, and nothing more is read.
#pragma once

#include <cstddef>
#include <string>

#include "core/error.hpp"

namespace gisa::app {

// The largest input read: the fetcher's body cap (fetch::transfer_limits::max_body_bytes, 8 MiB), so
// that a saved page is read as far as the same page fetched would have been. Kept equal by hand:
// transfer_limits holds strings, so its default cannot be read in a constant expression.
inline constexpr std::size_t max_input_bytes = std::size_t{8} << 20;

struct bounded_input {
    // The whole input; with too_large, the first max_bytes + 1 bytes (to tell what it is); with io, empty.
    std::string bytes;
    core::error error;  // io (cannot open, a directory, a read error) or too_large; ok otherwise
};

// The input at path, "-" being standard input. Never throws but std::bad_alloc; memory stays within
// about twice max_bytes whatever the input.
bounded_input read_bounded(const std::string& path, std::size_t max_bytes = max_input_bytes);

// The same from an open descriptor, which is left open; label names it in messages.
bounded_input read_bounded_fd(int fd, const std::string& label, std::size_t max_bytes = max_input_bytes);

}  // namespace gisa::app
