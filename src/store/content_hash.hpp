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
    void block();

    std::array<std::uint32_t, 8> state_{};
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

// Lower-case hexadecimal, as decode(..., 'hex') reads it.
std::string to_hex(const digest& value);

}  // namespace gisa::store
