// Content hashes (SHA-256 over length-prefixed fields): equal hash, same stored content.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX; <openssl/evp.h> stays in content_hash.cpp

namespace gisa::store {

using digest = std::array<std::uint8_t, 32>;

// SHA-256 (FIPS 180-4, OpenSSL's libcrypto), fed field by field. Every field
// is prefixed with its kind and length, so ("ab","c") and ("a","bc") differ,
// as do null and "".
class content_hasher {
  public:
    content_hasher();
    content_hasher(content_hasher&&) noexcept;
    content_hasher& operator=(content_hasher&&) noexcept;
    ~content_hasher();

    content_hasher& add(std::string_view field);
    content_hasher& add(const std::optional<std::string>& field);
    content_hasher& add(std::optional<std::int64_t> field);
    content_hasher& add(bool field);
    content_hasher& add(const std::vector<std::string>& fields);
    // Bytes without a tag: plain SHA-256 of everything added this way.
    content_hasher& add_raw(std::string_view data);
    digest finish();

  private:
    struct context_deleter {
        void operator()(evp_md_ctx_st* context) const noexcept;
    };

    void bytes(const void* data, std::size_t size);
    void flush();
    void tag(char kind, std::uint64_t length);

    // A page's or a board row's fields mostly fit in the buffer and are then
    // hashed in one go; longer input streams through an EVP context made when
    // the buffer first overflows.
    std::unique_ptr<evp_md_ctx_st, context_deleter> context_;
    std::array<std::uint8_t, 8192> pending_;  // only the first pending_size_ bytes are ever read
    std::size_t pending_size_ = 0;
};

// Lower-case hexadecimal, as decode(..., 'hex') reads it.
std::string to_hex(const digest& value);

}  // namespace gisa::store
