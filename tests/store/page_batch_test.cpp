// The pure parts of a batch: array literals, timestamps, hosts and board keys, migrations table.
#include <catch2/catch.hpp>

#include "store/migrations.hpp"
#include "store/page_batch.hpp"

using namespace gisa::store;

TEST_CASE("array literals quote every element and escape quotes and backslashes", "[store][batch]") {
    CHECK(array_literal({}) == "{}");
    CHECK(array_literal({std::string("a"), std::nullopt, std::string("")}) == R"({"a",NULL,""})");
    CHECK(array_literal({std::string(R"(say "hi" \ {x,y})")}) == R"({"say \"hi\" \\ {x,y}"})");
    CHECK(array_literal({std::string("NULL")}) == R"({"NULL"})");
    // An array literal inside an array literal (bodies travel this way).
    CHECK(array_literal({array_literal({std::string("가\"")})}) == R"({"{\"가\\\"\"}"})");
}

TEST_CASE("record dates become timestamptz input or nothing", "[store][batch]") {
    auto [in, out] = GENERATE(table<std::string, std::string>({
        {"2024-07-18T15:12:00+09:00", "2024-07-18T15:12:00+09:00"},
        {"2024-07-18T15:12+09:00", "2024-07-18T15:12+09:00"},
        {"2024-07-18T06:12:00.123Z", "2024-07-18T06:12:00.123Z"},
        {"2024-07-18", "2024-07-18T00:00:00+09:00"},
        {"2024-02-29", "2024-02-29T00:00:00+09:00"},
        {"2023-02-29", ""},
        {"2024-13-01", ""},
        {"2024-07-18T24:00:00+09:00", ""},
        {"2024-07-18T15:12:00", ""},  // no offset: the instant is unknown
        {"2024.07.18", ""},
        {"07-18", ""},
        {"2024-07-18T15:12:00+09:00 junk", ""},
    }));
    CAPTURE(in);
    const auto got = timestamp_input(in);
    CHECK(got.value_or("") == out);
}

TEST_CASE("fetch times are written in UTC with microseconds", "[store][batch]") {
    using namespace std::chrono;
    const system_clock::time_point t{microseconds(1'721'283'120'000'042)};
    CHECK(timestamp_text(t) == "2024-07-18T06:12:00.000042Z");
    CHECK(timestamp_text(system_clock::time_point{}) == "1970-01-01T00:00:00.000000Z");
}

TEST_CASE("hosts and board keys", "[store][batch]") {
    CHECK(host_of("https://News.Chosun.com/site/data/html_dir/2024/07/18/x.html") == "news.chosun.com");
    CHECK(host_of("http://user:pw@example.com:8080/a?b#c") == "example.com");
    CHECK(host_of("http://[::1]:8080/") == "[::1]");
    CHECK(host_of("file:///tmp/a.html").empty());
    CHECK(board_key_of("https://b.example/bbs/board.php?bo_table=free&page=2") ==
          "https://b.example/bbs/board.php?bo_table=free");
    CHECK(board_key_of("https://b.example/list.jsp?pageNo=3&boardId=7&PAGEINDEX=2#top") ==
          "https://b.example/list.jsp?boardId=7");
    CHECK(board_key_of("https://b.example/list?page=1") == "https://b.example/list");
    CHECK(board_key_of("https://b.example/list") == "https://b.example/list");
    CHECK(board_key_of("https://b.example/list?pages=1") == "https://b.example/list?pages=1");
}

TEST_CASE("embedded migrations are numbered from 1 without gaps", "[store][migrations]") {
    const auto& all = embedded_migrations();
    REQUIRE_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].version == static_cast<int>(i + 1));
        CHECK(std::string(all[i].sql).find(';') != std::string::npos);  // the file's statements came along
    }
    CHECK(std::string(all[0].name) == "0001_init");
}

TEST_CASE("binary arrays are laid out as array_recv reads them", "[store][batch]") {
    using namespace std::string_literals;
    // ndim 0, no nulls, element type text (25).
    CHECK(binary_array(element::text, {}) == "\0\0\0\0\0\0\0\0\0\0\0\x19"s);
    // ndim 1, has nulls, int8 (20), 2 elements from 1; 258 then NULL.
    CHECK(binary_array(element::int8, {std::string("258"), std::nullopt}) ==
          "\0\0\0\1\0\0\0\1\0\0\0\x14\0\0\0\2\0\0\0\1"
          "\0\0\0\x08\0\0\0\0\0\0\1\2\xff\xff\xff\xff"s);
    CHECK(binary_array(element::text, {std::string("가")}) ==
          "\0\0\0\1\0\0\0\0\0\0\0\x19\0\0\0\1\0\0\0\1\0\0\0\3\xea\xb0\x80"s);
    CHECK(binary_array(element::boolean, {std::string("t")}).substr(20) == "\0\0\0\1\1"s);
    CHECK(binary_array(element::int4, {std::string("-1")}).substr(20) == "\0\0\0\4\xff\xff\xff\xff"s);
    CHECK_THROWS_AS(binary_array(element::int8, {std::string("12x")}), std::invalid_argument);
    CHECK_THROWS_AS(binary_array(element::boolean, {std::string("yes")}), std::invalid_argument);
    CHECK_THROWS_AS(binary_array(element::timestamptz, {std::string("2024-07-18")}), std::invalid_argument);
}

TEST_CASE("binary columns take typed values and refuse the wrong type", "[store][batch]") {
    using namespace std::string_literals;
    using gisa::store::binary_column;
    binary_column numbers(element::int8);
    numbers.add(std::int64_t{258});
    numbers.add_null();
    CHECK(numbers.size() == 2);
    CHECK(numbers.finish() == binary_array(element::int8, {std::string("258"), std::nullopt}));
    binary_column small(element::int4);
    CHECK_THROWS_AS(small.add(std::int64_t{1} << 40), std::invalid_argument);
    CHECK_THROWS_AS(small.add(std::string_view("1")), std::invalid_argument);
    binary_column flags(element::boolean);
    flags.add(false);
    CHECK(flags.finish().substr(20) == "\0\0\0\1\0"s);
    CHECK_THROWS_AS(binary_column(element::timestamptz), std::invalid_argument);
}

TEST_CASE("fetch times become PostgreSQL's binary timestamptz", "[store][batch]") {
    using namespace std::chrono;
    CHECK(postgres_micros(system_clock::time_point(seconds(946'684'800))) == 0);
    // 2024-07-18T06:12:00.000001Z
    CHECK(postgres_micros(system_clock::time_point(seconds(1'721'283'120) + microseconds(1))) ==
          (1'721'283'120LL - 946'684'800LL) * 1'000'000 + 1);
}
