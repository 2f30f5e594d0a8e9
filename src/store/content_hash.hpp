// Content hashes (SHA-256 over length-prefixed fields): equal hash, same stored content.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gisa::store {

using digest = std::array<std::uint8_t, 32>;

// SHA-256 (FIPS 180-4), fed field by field. Every field is prefixed with its
// kind and length, so ("ab","c") and ("a","bc") differ, as do null and "".
class content_hasher {
  public:
    content_hasher();
    content_hasher& add(std::string_view field);
    content_hasher& add(const std::optional<std::string>& field);
    content_hasher& add(std::optional<std::int64_t> field);
    content_hasher& add(bool field);
    content_hasher& add(const std::vector<std::string>& fields);
    // Bytes without a tag: plain SHA-256 of everything added this way.
    content_hasher& add_raw(std::string_view data);
    digest finish();

  private:
    void bytes(const void* data, std::size_t size);
    void tag(char kind, std::uint64_t length);

    std::array<std::uint32_t, 8> state_{};
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

// The SHA-256 compression of `blocks` 64-byte blocks into `state`; with the
// x86 SHA extensions when the processor has them and `allow_hardware` (the
// tests compare both ways).
void sha256_compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* data, std::size_t blocks,
                     bool allow_hardware = true);
bool sha256_hardware_available() noexcept;

// Lower-case hexadecimal, as decode(..., 'hex') reads it.
std::string to_hex(const digest& value);

}  // namespace gisa::store
