// SHA-256 (FIPS 180-4) for content hashes; small and dependency-free.
#include "store/content_hash.hpp"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define GISA_SHA_NI 1
#else
#define GISA_SHA_NI 0
#endif

namespace gisa::store {

namespace {

constexpr std::array<std::uint32_t, 64> round_constants{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::array<std::uint32_t, 8> initial_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr std::uint32_t rotr(std::uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}

constexpr std::size_t block_bytes = 64;

// One 64-byte block at a time, as FIPS 180-4 writes it.
void compress_portable(std::array<std::uint32_t, 8>& state, const std::uint8_t* data, std::size_t blocks) {
    for (; blocks > 0; --blocks, data += block_bytes) {
        std::array<std::uint32_t, 64> w{};
        for (std::size_t i = 0; i < 16; ++i)
            w[i] = (std::uint32_t{data[4 * i]} << 24) | (std::uint32_t{data[4 * i + 1]} << 16) |
                   (std::uint32_t{data[4 * i + 2]} << 8) | std::uint32_t{data[4 * i + 3]};
        for (std::size_t i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        auto [a, b, c, d, e, f, g, h] = state;
        for (std::size_t i = 0; i < 64; ++i) {
            const std::uint32_t t1 =
                h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
            const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        const std::array<std::uint32_t, 8> add{a, b, c, d, e, f, g, h};
        for (std::size_t i = 0; i < 8; ++i)
            state[i] += add[i];
    }
}

#if GISA_SHA_NI
// The same with the x86 SHA extensions (about ten times faster; content
// hashes of every page are computed even when nothing changed). The state
// is kept as ABEF/CDGH, the order sha256rnds2 works in.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_sha_ni(std::array<std::uint32_t, 8>& state,
                                                                 const std::uint8_t* data, std::size_t blocks) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i cdab = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0])), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4])), 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    for (; blocks > 0; --blocks, data += block_bytes) {
        const __m128i abef_before = abef;
        const __m128i cdgh_before = cdgh;
        __m128i w[4]{};  // message words 4i..4i+3 of the last four groups
#pragma GCC unroll 16
        for (int i = 0; i < 16; ++i) {
            __m128i& group = w[i % 4];
            if (i < 4) {
                group = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byte_swap);
            } else {
                const __m128i& last = w[(i + 3) % 4];
                const __m128i& before_last = w[(i + 2) % 4];
                const __m128i partial =
                    _mm_add_epi32(_mm_sha256msg1_epu32(group, w[(i + 1) % 4]), _mm_alignr_epi8(last, before_last, 4));
                group = _mm_sha256msg2_epu32(partial, last);
            }
            __m128i message = _mm_add_epi32(
                group,
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(&round_constants[static_cast<std::size_t>(4 * i)])));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            message = _mm_shuffle_epi32(message, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), _mm_alignr_epi8(dchg, feba, 8));
}

bool cpu_has_sha_ni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool ssse3 = (c & (1u << 9)) != 0;
    const bool sse41 = (c & (1u << 19)) != 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    return ssse3 && sse41 && (b & (1u << 29)) != 0;
}
#endif

}  // namespace

bool sha256_hardware_available() noexcept {
#if GISA_SHA_NI
    static const bool available = cpu_has_sha_ni();
    return available;
#else
    return false;
#endif
}

void sha256_compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* data, std::size_t blocks,
                     bool allow_hardware) {
#if GISA_SHA_NI
    if (allow_hardware && sha256_hardware_available()) {
        compress_sha_ni(state, data, blocks);
        return;
    }
#endif
    (void)allow_hardware;
    compress_portable(state, data, blocks);
}

content_hasher::content_hasher() : state_(initial_state) {}

void content_hasher::bytes(const void* data, std::size_t size) {
    const auto* in = static_cast<const std::uint8_t*>(data);
    total_ += size;
    if (used_ > 0) {
        const std::size_t take = std::min(size, buffer_.size() - used_);
        std::copy(in, in + take, buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
        used_ += take;
        in += take;
        size -= take;
        if (used_ < buffer_.size()) return;
        sha256_compress(state_, buffer_.data(), 1);
        used_ = 0;
    }
    const std::size_t whole = size / block_bytes;
    if (whole > 0) sha256_compress(state_, in, whole);
    in += whole * block_bytes;
    size -= whole * block_bytes;
    std::copy(in, in + size, buffer_.begin());
    used_ = size;
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
    const std::uint64_t bits = total_ * 8;
    // 0x80, zeros up to 8 bytes before a block's end, the length in bits.
    std::array<std::uint8_t, 2 * block_bytes> tail{};
    tail[0] = 0x80;
    const std::size_t zeros = (used_ < 56 ? 56 : 56 + block_bytes) - used_ - 1;
    for (std::size_t i = 0; i < 8; ++i)
        tail[1 + zeros + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    bytes(tail.data(), 1 + zeros + 8);
    digest out{};
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t k = 0; k < 4; ++k)
            out[4 * i + k] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * k));
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
