// SHA-256 content hashes on OpenSSL's libcrypto (a well-kept library rather than hand-written crypto).
#include "store/content_hash.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

namespace gisa::store {

namespace {

// Fetched once: EVP_sha256() would make OpenSSL 3 look the algorithm up again
// at every EVP_DigestInit_ex, and a content hash is made per page and per row.
const EVP_MD* sha256() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("content_hasher: OpenSSL has no SHA-256");
    return md;
}

void check(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(std::string("content_hasher: ") + what + " failed");
}

// One context per thread for the hashes that fit in the buffer (most pages
// and every board row): set up again for each hash, never allocated again.
// (OpenSSL 3's one-shot SHA256() looks the algorithm up on every call,
// three times slower for a board row.)
EVP_MD_CTX* one_shot_context() {
    struct owner {
        EVP_MD_CTX* context = EVP_MD_CTX_new();
        ~owner() { EVP_MD_CTX_free(context); }
    };
    thread_local owner one;
    if (one.context == nullptr) throw std::bad_alloc();
    return one.context;
}

}  // namespace

void content_hasher::context_deleter::operator()(evp_md_ctx_st* context) const noexcept {
    EVP_MD_CTX_free(context);
}

content_hasher::content_hasher() = default;

content_hasher::content_hasher(content_hasher&&) noexcept = default;
content_hasher& content_hasher::operator=(content_hasher&&) noexcept = default;
content_hasher::~content_hasher() = default;

// The pending bytes go to a streaming context, made on first need.
void content_hasher::flush() {
    if (!context_) {
        context_.reset(EVP_MD_CTX_new());
        if (!context_) throw std::bad_alloc();
        check(EVP_DigestInit_ex(context_.get(), sha256(), nullptr), "EVP_DigestInit_ex");
    }
    if (pending_size_ == 0) return;
    check(EVP_DigestUpdate(context_.get(), pending_.data(), pending_size_), "EVP_DigestUpdate");
    pending_size_ = 0;
}

void content_hasher::bytes(const void* data, std::size_t size) {
    if (pending_size_ + size <= pending_.size()) {
        std::memcpy(pending_.data() + pending_size_, data, size);
        pending_size_ += size;
        return;
    }
    flush();
    check(EVP_DigestUpdate(context_.get(), data, size), "EVP_DigestUpdate");
}

void content_hasher::tag(char kind, std::uint64_t length) {
    std::array<std::uint8_t, 9> head{static_cast<std::uint8_t>(kind)};
    for (std::size_t i = 0; i < 8; ++i)
        head[1 + i] = static_cast<std::uint8_t>(length >> (8 * i));
    bytes(head.data(), head.size());
}

content_hasher& content_hasher::add(std::string_view field) {
    tag('s', field.size());
    bytes(field.data(), field.size());
    return *this;
}

content_hasher& content_hasher::add(const std::optional<std::string>& field) {
    if (!field) {
        tag('0', 0);
        return *this;
    }
    return add(std::string_view(*field));
}

content_hasher& content_hasher::add(std::optional<std::int64_t> field) {
    if (!field) {
        tag('0', 0);
        return *this;
    }
    tag('i', static_cast<std::uint64_t>(*field));
    return *this;
}

content_hasher& content_hasher::add(bool field) {
    tag('b', field ? 1 : 0);
    return *this;
}

content_hasher& content_hasher::add(const std::vector<std::string>& fields) {
    tag('a', fields.size());
    for (const std::string& field : fields)
        add(std::string_view(field));
    return *this;
}

content_hasher& content_hasher::add_raw(std::string_view data) {
    bytes(data.data(), data.size());
    return *this;
}

digest content_hasher::finish() {
    digest out{};
    if (!context_) {
        // Everything fit in the buffer: hashed in one go.
        EVP_MD_CTX* one = one_shot_context();
        unsigned int size = 0;
        check(EVP_DigestInit_ex(one, sha256(), nullptr), "EVP_DigestInit_ex");
        check(EVP_DigestUpdate(one, pending_.data(), pending_size_), "EVP_DigestUpdate");
        check(EVP_DigestFinal_ex(one, out.data(), &size), "EVP_DigestFinal_ex");
        pending_size_ = 0;
        return out;
    }
    flush();
    unsigned int size = 0;
    check(EVP_DigestFinal_ex(context_.get(), out.data(), &size), "EVP_DigestFinal_ex");
    if (size != out.size()) throw std::runtime_error("content_hasher: SHA-256 gave an unexpected size");
    return out;
}

std::string to_hex(const digest& value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(value.size() * 2);
    for (const std::uint8_t byte : value) {
        out.push_back(digits[byte >> 4]);
        out.push_back(digits[byte & 0x0F]);
    }
    return out;
}

}  // namespace gisa::store
