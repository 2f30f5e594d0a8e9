// SHA-256 against the FIPS 180-4 examples, and field framing of content hashes.
#include <catch2/catch.hpp>

#include "store/content_hash.hpp"

using gisa::store::content_hasher;
using gisa::store::to_hex;

TEST_CASE("SHA-256 matches the published test vectors", "[store][hash]") {
    CHECK(to_hex(content_hasher().finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(to_hex(content_hasher().add_raw("abc").finish()) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(content_hasher().add_raw("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").finish()) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // A million 'a' fed in uneven pieces crosses many block boundaries.
    content_hasher million;
    const std::string piece(997, 'a');
    std::size_t left = 1'000'000;
    while (left > 0) {
        const std::size_t take = std::min(left, piece.size());
        million.add_raw(std::string_view(piece).substr(0, take));
        left -= take;
    }
    CHECK(to_hex(million.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("content hashes frame their fields", "[store][hash]") {
    const auto hash_of = [](auto... fields) {
        content_hasher h;
        (h.add(fields), ...);
        return h.finish();
    };
    using strings = std::vector<std::string>;
    CHECK(hash_of(std::string_view("ab"), std::string_view("c")) !=
          hash_of(std::string_view("a"), std::string_view("bc")));
    CHECK(hash_of(std::optional<std::string>()) != hash_of(std::optional<std::string>("")));
    CHECK(hash_of(strings{"가나", "다"}) != hash_of(strings{"가", "나다"}));
    CHECK(hash_of(strings{"가나", "다"}) == hash_of(strings{"가나", "다"}));
    CHECK(hash_of(std::optional<std::int64_t>(1)) != hash_of(std::optional<std::int64_t>()));
    CHECK(hash_of(true) != hash_of(false));
}
