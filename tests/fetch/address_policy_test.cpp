// Non-public address classification: every special block refused, public addresses passed.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "fetch/address_policy.hpp"

using namespace gisa::fetch;

TEST_CASE("IP literals: private, loopback, link-local and friends are not public") {
    auto [host, is_public] = GENERATE(table<const char*, bool>({
        {"127.0.0.1", false},
        {"127.8.9.10", false},
        {"10.1.2.3", false},
        {"172.16.0.1", false},
        {"172.31.255.255", false},
        {"172.32.0.1", true},
        {"192.168.1.1", false},
        {"169.254.169.254", false},
        {"100.64.0.1", false},
        {"0.0.0.0", false},
        {"224.0.0.1", false},
        {"255.255.255.255", false},
        {"8.8.8.8", true},
        {"211.234.10.1", true},
        {"::1", false},
        {"[::1]", false},
        {"::", false},
        {"fe80::1", false},
        {"fd00::1", false},
        {"ff02::1", false},
        {"::ffff:127.0.0.1", false},
        {"::ffff:8.8.8.8", true},
        {"64:ff9b::a00:1", false},
        {"2001:4860:4860::8888", true},
        {"example.com", true},  // names are judged after resolution, in the socket callback
    }));
    CAPTURE(host);
    CHECK(!non_public_literal(host).has_value() == is_public);
}

TEST_CASE("socket addresses are judged like literals and printed") {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
    const auto* sa = reinterpret_cast<const sockaddr*>(&v4);
    REQUIRE(non_public_reason(sa));
    CHECK(*non_public_reason(sa) == "loopback");
    CHECK(address_to_string(sa) == "127.0.0.1");

    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "2606:4700::1", &v6.sin6_addr);
    const auto* sa6 = reinterpret_cast<const sockaddr*>(&v6);
    CHECK_FALSE(non_public_reason(sa6));
    CHECK(address_to_string(sa6) == "2606:4700::1");
}
