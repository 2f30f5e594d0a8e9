// Classifies IPv4/IPv6 addresses as public or not (RFC 6890 special-purpose registries).
#include "fetch/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace gisa::fetch {
namespace {

struct v4_range {
    std::uint32_t network;
    int prefix_bits;
    std::string_view reason;
};

// IPv4 blocks a crawler must not reach from a link found on someone else's page.
constexpr std::array<v4_range, 11> v4_refused = {{
    {0x00000000, 8, "unspecified"},       // 0.0.0.0/8
    {0x0A000000, 8, "private"},           // 10.0.0.0/8
    {0x64400000, 10, "shared (CGNAT)"},   // 100.64.0.0/10
    {0x7F000000, 8, "loopback"},          // 127.0.0.0/8
    {0xA9FE0000, 16, "link-local"},       // 169.254.0.0/16 (cloud metadata lives here)
    {0xAC100000, 12, "private"},          // 172.16.0.0/12
    {0xC0000000, 24, "special-purpose"},  // 192.0.0.0/24
    {0xC0A80000, 16, "private"},          // 192.168.0.0/16
    {0xC6120000, 15, "benchmarking"},     // 198.18.0.0/15
    {0xE0000000, 4, "multicast"},         // 224.0.0.0/4
    {0xF0000000, 4, "reserved"},          // 240.0.0.0/4 and broadcast
}};

std::optional<std::string_view> v4_reason(std::uint32_t host_order) {
    for (const auto& range : v4_refused) {
        const std::uint32_t mask = range.prefix_bits == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix_bits);
        if ((host_order & mask) == range.network) return range.reason;
    }
    return std::nullopt;
}

std::optional<std::string_view> v6_reason(const in6_addr& a) {
    const auto* b = a.s6_addr;
    static constexpr std::uint8_t zeros[16] = {};
    if (std::memcmp(b, zeros, 15) == 0 && (b[15] == 0 || b[15] == 1)) return b[15] ? "loopback" : "unspecified";
    if ((b[0] & 0xFE) == 0xFC) return "private (unique local)";      // fc00::/7
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";  // fe80::/10
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "site-local";  // fec0::/10
    if (b[0] == 0xFF) return "multicast";
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96):
    // judged by the IPv4 address inside.
    static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static constexpr std::uint8_t nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::memcmp(b, mapped, 12) == 0 || std::memcmp(b, zeros, 12) == 0 || std::memcmp(b, nat64, 12) == 0) {
        const std::uint32_t v4 = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                                 (std::uint32_t{b[14]} << 8) | std::uint32_t{b[15]};
        return v4_reason(v4);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> non_public_reason(const sockaddr* address) {
    if (address == nullptr) return "unknown";
    if (address->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        return v4_reason(ntohl(in.sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        return v6_reason(in6.sin6_addr);
    }
    return "not an IP address";
}

std::optional<std::string_view> non_public_literal(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string text(host);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return v4_reason(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return v6_reason(v6);
    return std::nullopt;
}

std::string address_to_string(const sockaddr* address) {
    char buffer[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        inet_ntop(AF_INET, &in.sin_addr, buffer, sizeof buffer);
    } else if (address->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        inet_ntop(AF_INET6, &in6.sin6_addr, buffer, sizeof buffer);
    }
    return buffer;
}

}  // namespace gisa::fetch
