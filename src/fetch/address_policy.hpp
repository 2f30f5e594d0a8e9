// Which network addresses a crawler may connect to: private, loopback and link-local ones are refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace gisa::fetch {

// Why an address is not public ("loopback", "private", "link-local", ...), or nullopt when it is.
std::optional<std::string_view> non_public_reason(const sockaddr* address);

// The same for an IP literal ("127.0.0.1", "::1", "[fe80::1]"); nullopt for host names too.
std::optional<std::string_view> non_public_literal(std::string_view host);

// "127.0.0.1" or "::1" for an IPv4/IPv6 socket address.
std::string address_to_string(const sockaddr* address);

}  // namespace gisa::fetch
