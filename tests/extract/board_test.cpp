// Unit tests of board extraction: header words, title cleaning, row dates, and tables and lists end to end.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "extract/board.hpp"
#include "extract/dom.hpp"

using gisa::extract::column_kind;
namespace ex = gisa::extract;

namespace {

ex::board_result board_of(const std::string& html, const std::string& url = "https://bbs.example.kr/board/list",
                          const std::string& fetched_at = "2024-07-18T20:00:00+09:00") {
    static thread_local std::vector<ex::dom::document> docs;  // rows point into the tree: keep it alive
    docs.push_back(ex::dom::document::parse(html));
    auto ctx = ex::make_page_context(docs.back().root(), url, fetched_at);
    return ex::extract_board(docs.back().root(), ctx);
}

std::string table_board(const std::string& header, const std::string& rows) {
    return "<html><body><table>" + header + "<tbody>" + rows + "</tbody></table></body></html>";
}

}  // namespace

TEST_CASE("header cells name their columns", "[board][header]") {
    auto [text, kind] = GENERATE(table<std::string, column_kind>({
        {"번호", column_kind::number},
        {"No.", column_kind::number},
        {"제목", column_kind::title},
        {"글쓴이", column_kind::author},
        {"작성자", column_kind::author},
        {"이름", column_kind::author},
        {"날짜", column_kind::date},
        {"등록일", column_kind::date},
        {"작성일", column_kind::date},
        {"날짜 ▼", column_kind::date},
        {"조회", column_kind::views},
        {"조회 수", column_kind::views},
        {"조회수", column_kind::views},
        {"추천 수", column_kind::votes},
        {"일", column_kind::unknown},
        {"종가", column_kind::unknown},
        {"제목을 입력하세요", column_kind::unknown},
    }));
    CAPTURE(text);
    CHECK(ex::classify_header_text(text) == kind);
}

TEST_CASE("a board header needs a title column and at least one other", "[board][header]") {
    using k = column_kind;
    auto [columns, expected] = GENERATE(table<std::vector<column_kind>, bool>({
        {{k::title}, false},          // below the boundary: title alone
        {{k::title, k::date}, true},  // at the boundary: title + 1
        {{k::number, k::title, k::author, k::date, k::views}, true},
        {{k::number, k::author, k::date, k::views}, false},  // no title column: a data table
        {{k::title, k::title}, false},                       // the same kind twice is one column
        {{k::unknown, k::unknown, k::unknown}, false},       // a calendar's 일 월 화 ...
    }));
    CHECK(ex::is_board_header(columns) == expected);
}

TEST_CASE("row titles lose comment counts and icon words", "[board][title]") {
    auto [raw, clean] = GENERATE(table<std::string, std::string>({
        {"회의 결과 공유 [12]", "회의 결과 공유"},
        {"회의 결과 공유 (3)", "회의 결과 공유"},
        {"회의 결과 공유 + 7", "회의 결과 공유"},
        {"회의 결과 공유 [12] new", "회의 결과 공유"},
        {"회의 결과 공유 N", "회의 결과 공유"},
        {"회의 결과 공유 hot [4]", "회의 결과 공유"},
        {"  사진 속  장면\u00a0 ", "사진 속 장면"},
        {"2024 예산안 (2024)", "2024 예산안 (2024)"},  // a year in brackets is not a count
        {"[공지] 이용 규칙", "[공지] 이용 규칙"},      // a leading tag stays
        {"아이폰 15", "아이폰 15"},                    // a trailing number without a mark stays
        {"팝니다(여러개)", "팝니다(여러개)"},
        {"적립 쿠폰15원+5", "적립 쿠폰15원+5"},  // a glued "+5" is the title's own
        {"회의 결과 공유 +7", "회의 결과 공유"},
    }));
    CHECK(ex::clean_row_title(raw) == clean);
}

TEST_CASE("row dates resolve against the reference time", "[board][date]") {
    const std::string ref = "2024-07-18T20:00:00+09:00";
    auto [cell, expected] = GENERATE(table<std::string, std::string>({
        {"2024.07.18", "2024-07-18"},
        {"2024-07-18", "2024-07-18"},
        {"2024/07/18", "2024-07-18"},
        {"24.07.18", "2024-07-18"},
        {"07-18", "2024-07-18"},
        {"07.17", "2024-07-17"},
        {"14:32", "2024-07-18T14:32:00+09:00"},
        {"20:09", "2024-07-18T20:09:00+09:00"},  // within the clock-skew allowance: still today
        {"23:50", "2024-07-17T23:50:00+09:00"},  // later than the reference: yesterday's
        {"2024.07.18 14:32", "2024-07-18T14:32:00+09:00"},
        {"2024-07-18 14:32:10", "2024-07-18T14:32:10+09:00"},
        {"2024.07.18(목) 14:32", "2024-07-18T14:32:00+09:00"},
        {"2024년 7월 18일", "2024-07-18"},
        {"Date 2024-04-03", "2024-04-03"},
        {"3분 전", "2024-07-18T19:57:00+09:00"},
        {"2시간 전", "2024-07-18T18:00:00+09:00"},
        {"12-31", "2023-12-31"},  // later than the reference: last year's
    }));
    CAPTURE(cell);
    CHECK(ex::resolve_row_date(cell, ref) == expected);
}

TEST_CASE("the reference is converted to Korean time", "[board][date]") {
    // 2024-07-17T23:30Z is 2024-07-18 08:30 in Seoul.
    CHECK(ex::resolve_row_date("08:00", "2024-07-17T23:30:00Z") == "2024-07-18T08:00:00+09:00");
    CHECK(ex::resolve_row_date("07-18", "2024-07-18") == "2024-07-18");
    CHECK(ex::resolve_row_date("01-02", "2025-01-01T10:00:00+09:00") == "2025-01-02");  // one day ahead is allowed
}

TEST_CASE("cells that are not dates give nothing", "[board][date]") {
    const std::string ref = "2024-07-18T20:00:00+09:00";
    auto cell = GENERATE(as<std::string>{}, "39758", "1,234", "랭크뉴스", "", "13.45.99", "25:61", "2024.13.01");
    CAPTURE(cell);
    CHECK_FALSE(ex::resolve_row_date(cell, ref).has_value());
}

TEST_CASE("a table with a header row yields its rows", "[board][table]") {
    auto r = board_of(table_board(
        "<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th><th>조회</th></tr></thead>",
        "<tr class='notice'><td>공지</td><td><a href='/board/7'>이용 규칙</a></td><td>관리자</td><td>2024.01.02</td>"
        "<td>1,024</td></tr>"
        "<tr><td>102</td><td><a href='/board/102'>두 번째 글</a> <a class='replyNum' href='/board/102#c'>[3]</a></td>"
        "<td>김철수</td><td>14:32</td><td>15</td></tr>"
        "<tr><td>101</td><td><a href='view.php?id=101&amp;utm_source=x'>첫 글</a></td><td>이영희</td>"
        "<td>07-17</td><td>9</td></tr>"));
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[0].notice);
    CHECK_FALSE(r.board.rows[0].no.has_value());
    CHECK(r.board.rows[0].views == 1024);
    CHECK(r.board.rows[1].no == 102);
    CHECK(r.board.rows[1].title == "두 번째 글");
    CHECK(r.board.rows[1].url == "https://bbs.example.kr/board/102");
    CHECK(r.board.rows[1].author == "김철수");
    CHECK(r.board.rows[1].date == "2024-07-18T14:32:00+09:00");
    CHECK(r.board.rows[2].url == "https://bbs.example.kr/board/view.php?id=101");
    CHECK(r.board.rows[2].date == "2024-07-17");
    REQUIRE(r.containers.size() == 1);
}

TEST_CASE("header images are read by alt text or file name", "[board][table]") {
    auto r = board_of(table_board(
        "<tr><th><img src='/img/board_no.gif' title='no'></th><th><img src='/img/board_subject.gif' title='no'></th>"
        "<th><img src='/img/h3.gif' alt='글쓴이'></th><th><img src='/img/board_date.gif'></th></tr>",
        "<tr><td>5</td><td><a href='/v/5'>다섯</a></td><td>가</td><td>2024-07-01</td></tr>"));
    REQUIRE(r.board.rows.size() == 1);
    CHECK(r.board.rows[0].no == 5);
    CHECK(r.board.rows[0].author == "가");
    CHECK(r.board.rows[0].date == "2024-07-01");
}

TEST_CASE("a table without a header is a board only with enough board-like columns", "[board][table]") {
    const std::string row3 =
        "<tr><td>3</td><td><a href='/v/3'>셋째</a></td><td>가</td><td>2024.07.03</td></tr>"
        "<tr><td>2</td><td><a href='/v/2'>둘째</a></td><td>나</td><td>2024.07.02</td></tr>";
    // Two rows: below min_headerless_rows.
    CHECK(board_of(table_board("", row3)).board.rows.empty());
    // Three rows: at the boundary.
    auto r = board_of(
        table_board("", row3 + "<tr><td>1</td><td><a href='/v/1'>첫째</a></td><td>다</td><td>2024.07.01</td></tr>"));
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[2].no == 1);
    CHECK(r.board.rows[2].author == "다");
}

TEST_CASE("calendars and data tables yield no rows", "[board][table]") {
    const std::string calendar = table_board(
        "<tr><th>일</th><th>월</th><th>화</th><th>수</th><th>목</th><th>금</th><th>토</th></tr>",
        "<tr><td>1</td><td>2</td><td><a href='/e/3'>3</a></td><td>4</td><td>5</td><td>6</td><td>7</td></tr>"
        "<tr><td>8</td><td>9</td><td>10</td><td>11</td><td><a href='/e/12'>12</a></td><td>13</td><td>14</td></tr>"
        "<tr><td>15</td><td>16</td><td>17</td><td>18</td><td>19</td><td>20</td><td>21</td></tr>");
    CHECK(board_of(calendar).board.rows.empty());
    const std::string prices = table_board("<tr><th>날짜</th><th>종가</th><th>전일비</th><th>거래량</th></tr>",
                                           "<tr><td>2024.07.18</td><td>71,500</td><td>500</td><td>12,345,678</td></tr>"
                                           "<tr><td>2024.07.17</td><td>71,000</td><td>300</td><td>11,002,003</td></tr>"
                                           "<tr><td>2024.07.16</td><td>70,700</td><td>100</td><td>9,876,543</td></tr>");
    CHECK(board_of(prices).board.rows.empty());
}

TEST_CASE("a list of links with dates only is not a board but with authors it is", "[board][list]") {
    std::string related = "<ul>";
    std::string board = "<ul class='lst'>";
    for (int i = 1; i <= 4; ++i) {
        const std::string n = std::to_string(i);
        related +=
            "<li><a href='/news/" + n + "'>관련 기사 " + n + "</a> <span class='date'>2024.07.1" + n + "</span></li>";
        board += "<li><a href='/bbs/" + n + "'><span class='title'>글 " + n + "</span><span class='author'>작성자" + n +
                 "</span><span class='date'>07-1" + n + "</span></a></li>";
    }
    CHECK(board_of("<body>" + related + "</ul></body>").board.rows.empty());
    auto r = board_of("<body>" + board + "</ul></body>");
    REQUIRE(r.board.rows.size() == 4);
    CHECK(r.board.rows[0].title == "글 1");
    CHECK(r.board.rows[0].author == "작성자1");
    CHECK(r.board.rows[0].date == "2024-07-11");
    CHECK(r.board.rows[3].url == "https://bbs.example.kr/bbs/4");
}

TEST_CASE("next_page is the numbered link after the current page, else a 다음 link", "[board][pagination]") {
    const std::string rows =
        "<tr><td>2</td><td><a href='/v/2'>둘째</a></td><td>나</td><td>2024.07.02</td></tr>"
        "<tr><td>1</td><td><a href='/v/1'>첫째</a></td><td>다</td><td>2024.07.01</td></tr>";
    const std::string header = "<tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr>";
    auto numbered = board_of("<body><div class='comment_pagination'><strong>1</strong><a href='?cpage=2'>2</a></div>" +
                             table_board(header, rows) +
                             "<div class='pagination'><a href='?page=1' class='direction prev'>첫 페이지</a>"
                             "<a href='?page=2'>2</a><strong>3</strong><a href='?page=4'>4</a>"
                             "<a href='?page=9' class='direction next'>끝 페이지</a></div></body>");
    CHECK(numbered.board.next_page == "https://bbs.example.kr/board/list?page=4");
    CHECK(numbered.containers.size() == 2);
    auto last = board_of(table_board(header, rows) +
                         "<div class='paging'><a href='?page=8'>8</a><strong>9</strong>"
                         "<a href='?page=9' class='next'>끝</a></div>");
    CHECK_FALSE(last.board.next_page.has_value());
    auto block = board_of(table_board(header, rows) +
                          "<div class='paging'><a class='cur_page'>10</a><a href='?page=11'>다음 &gt;</a></div>");
    CHECK(block.board.next_page == "https://bbs.example.kr/board/list?page=11");
}

TEST_CASE("spacer rows between rows do not hide a headerless board", "[board][table]") {
    std::string rows;
    for (int i = 3; i >= 1; --i) {
        const std::string n = std::to_string(i);
        rows += "<tr><td>" + n + "</td><td><a href='/v/" + n + "'>글 " + n + "</a></td><td>가</td><td>2024-07-0" + n +
                "</td></tr><tr><td colspan='4' height='1' bgcolor='#eee'></td></tr>";
    }
    CHECK(board_of(table_board("", rows)).board.rows.size() == 3);
}

TEST_CASE("a block named like a pager is one only when it holds page links", "[board][pagination]") {
    const std::string rows =
        "<tr><td>2</td><td><a href='/v/2'>둘째</a></td><td>나</td><td>2024.07.02</td></tr>"
        "<tr><td>1</td><td><a href='/v/1'>첫째</a></td><td>다</td><td>2024.07.01</td></tr>";
    const std::string header = "<tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr>";
    auto r = board_of(table_board(header, rows) + "<div class='page-header'><a href='/about'>소개</a></div>");
    CHECK_FALSE(r.board.next_page.has_value());
    CHECK(r.containers.size() == 1);
    // "1 2 3" as one span must not read as page 123.
    auto pg = board_of(table_board(header, rows) +
                       "<nav class='pg_wrap'><span class='pg'><strong class='pg_current'>1</strong>"
                       "<a href='?page=2'>2</a> <a href='?page=3'>3</a></span></nav>");
    CHECK(pg.board.next_page == "https://bbs.example.kr/board/list?page=2");
}

TEST_CASE("list rows need dates that are dates", "[board][list]") {
    std::string list = "<ul>";
    for (int i = 1; i <= 4; ++i) {
        const std::string n = std::to_string(i);
        list += "<li><a class='title' href='/story/" + n + "'>Story " + n +
                "</a><span class='author'>Kim</span>"
                "<span class='date'>Nov</span></li>";
    }
    CHECK(board_of("<body>" + list + "</ul></body>").board.rows.empty());
}

TEST_CASE("the fullest date in a date cell wins", "[board][date]") {
    auto r = board_of(table_board(
        "<tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr>",
        "<tr><td>9</td><td><a href='/v/9'>아홉</a></td><td>가</td>"
        "<td><span class='time'><span>19:42</span><span class='timestamp'>2024-07-17 19:42:17</span></span></td></tr>"
        "<tr><td>8</td><td><a href='/v/8'>여덟</a></td><td>나</td><td><span title='2024-07-16 "
        "08:01:02'>07-16</span></td></tr>"));
    REQUIRE(r.board.rows.size() == 2);
    CHECK(r.board.rows[0].date == "2024-07-17T19:42:17+09:00");
    CHECK(r.board.rows[1].date == "2024-07-16T08:01:02+09:00");
}

TEST_CASE("row links resolve against <base href>", "[board][links]") {
    auto r = board_of(
        "<html><head><base href='https://m.example.kr/bbs/'></head><body><table>"
        "<tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr>"
        "<tr><td>3</td><td><a href='view.php?no=3#c'>셋</a></td><td>가</td><td>2024.07.03</td></tr>"
        "</table></body></html>");
    REQUIRE(r.board.rows.size() == 1);
    CHECK(r.board.rows[0].url == "https://m.example.kr/bbs/view.php?no=3");
}

TEST_CASE("a list whose first row is a header is read by position", "[board][list]") {
    auto r = board_of(
        "<body><ul id='board_list'>"
        "<li><span>번호</span><span>제목</span><span>글쓴이</span><span>등록일</span><span>조회</span></li>"
        "<li><span class='col1'>12</span><span class='col2'><a href='view.php?num=12'>열두 번째</a></span>"
        "<span class='col3'>가나</span><span class='col4'>2024-07-18</span><span class='col5'>7</span></li>"
        "<li><span class='col1'>11</span><span class='col2'><a href='view.php?num=11'>열한 번째</a></span>"
        "<span class='col3'>다라</span><span class='col4'>2024-07-17</span><span class='col5'>30</span></li>"
        "</ul></body>");
    REQUIRE(r.board.rows.size() == 2);
    CHECK(r.board.rows[0].no == 12);
    CHECK(r.board.rows[0].url == "https://bbs.example.kr/board/view.php?num=12");
    CHECK(r.board.rows[1].author == "다라");
    CHECK(r.board.rows[1].views == 30);
}

TEST_CASE("relative and day-word dates count back from the reference", "[board][date]") {
    const std::string ref = "2024-07-16T00:30:00+09:00";  // a Tuesday
    auto [cell, expected] = GENERATE(table<std::string, std::string>({
        {"23분전", "2024-07-16T00:07:00+09:00"},
        {"58분 전", "2024-07-15T23:32:00+09:00"},
        {"30초 전", "2024-07-16T00:29:30+09:00"},
        {"어제 14:35", "2024-07-15T14:35:00+09:00"},
        {"일요일 14:35", "2024-07-14T14:35:00+09:00"},
        {"화요일 09:00", "2024-07-09T09:00:00+09:00"},  // today's weekday names last week
        {"월요일", "2024-07-15"},
        {"2주 전", "2024-07-02"},
        {"오후 2:35", "2024-07-15T14:35:00+09:00"},  // later than the reference: yesterday's
        {"오전 12:10", "2024-07-16T00:10:00+09:00"},
        {"2024.07.12 오후 12:05", "2024-07-12T12:05:00+09:00"},
    }));
    CAPTURE(cell);
    CHECK(ex::resolve_row_date(cell, ref) == expected);
}

TEST_CASE("pinned copies, rows of other boards and ad rows are not the board's posts", "[board][semantics]") {
    auto r = board_of(table_board(
        "<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>",
        "<tr class='best'><td></td><td><a href='/board/read/13'>인기 글</a></td><td>갑</td><td>10:00</td></tr>"
        "<tr><td>88</td><td><a href='https://news.example.com/a/1'>외부 기사</a></td><td>운영자</td><td>07-18</td></tr>"
        "<tr class='ad'><td>AD</td><td><a href='/board/read/999'>광고 글</a></td><td>광고주</td><td>07-18</td></tr>"
        "<tr><td>14</td><td><a href='/board/read/14'>새 글</a></td><td>을</td><td>11:00</td></tr>"
        "<tr><td>13</td><td><a href='/board/read/13'>인기 글</a></td><td>갑</td><td>10:00</td></tr>"
        "<tr><td>12</td><td><a href='/board/read/12'>지난 글</a></td><td>병</td><td>09:00</td></tr>"
        "<tr><td>11</td><td><a href='/board/read/11'>첫 글</a></td><td>정</td><td>08:00</td></tr>"));
    REQUIRE(r.board.rows.size() == 4);
    CHECK(r.board.rows[0].no == 14);
    CHECK(r.board.rows[1].no == 13);
    CHECK(r.board.rows[3].no == 11);
}

TEST_CASE("a mobile row whose link wraps bare fields is read by structure", "[board][list]") {
    std::string rows;
    for (int i = 1; i <= 3; ++i) {
        const std::string n = std::to_string(i);
        rows += "<li><a href='/m/free/" + n + "'><strong>글 제목 " + n + "</strong> <span class='rp'>" + n +
                "</span> <time>" + n + "시간 전</time> <span>닉네임" + n + "</span></a></li>";
    }
    auto r = board_of("<html><body><ul>" + rows + "</ul></body></html>");
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[0].title == "글 제목 1");
    CHECK(r.board.rows[0].author == "닉네임1");
    CHECK(r.board.rows[0].date == "2024-07-18T19:00:00+09:00");
}

TEST_CASE("rows whose URLs share a year are not one post", "[board][semantics]") {
    std::string rows;
    for (const char* slug : {"spring-ride", "summer-ride", "autumn-ride", "winter-ride"}) {
        rows += std::string("<tr><td><a href='/2024/07/") + slug + "'>" + slug + "</a></td><td>라이더</td><td>07-1" +
                std::to_string(std::string(slug).size() % 9) + "</td></tr>";
    }
    auto r = board_of(table_board("<thead><tr><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>", rows));
    CHECK(r.board.rows.size() == 4);
}

TEST_CASE("a pinned copy with extra parameters is the same post", "[board][semantics]") {
    auto r = board_of(table_board(
        "<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>",
        "<tr><td>인기</td><td><a href='/bbs/view?no=3301&amp;from=best'>여름 캠핑 "
        "준비물</a></td><td>갑</td><td>07-16</td></tr>"
        "<tr><td>3303</td><td><a href='/bbs/view?no=3303'>새 글</a></td><td>을</td><td>19:00</td></tr>"
        "<tr><td>3302</td><td><a href='/bbs/view?no=3302'>지난 글</a></td><td>병</td><td>07-17</td></tr>"
        "<tr><td>3301</td><td><a href='/bbs/view?no=3301'>여름 캠핑 준비물</a></td><td>갑</td><td>07-16</td></tr>"));
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[2].url == "https://bbs.example.kr/bbs/view?no=3301");
}

TEST_CASE("rows whose URLs tell no posts apart are all kept", "[board][semantics]") {
    // An old board whose every title links the same view page: no row is a copy of another.
    std::string rows;
    for (int i = 5; i >= 1; --i) {
        const std::string n = std::to_string(100 + i);
        rows += "<tr><td>" + n + "</td><td><a href='/board/view.asp'>글 " + n + "</a></td><td>갑</td><td>07-1" +
                std::to_string(i) + "</td></tr>";
    }
    auto r =
        board_of(table_board("<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>", rows));
    REQUIRE(r.board.rows.size() == 5);
    CHECK(r.board.rows[0].no == 105);
    CHECK(r.board.rows[4].title == "글 101");
}

TEST_CASE("a category kept apart from the title is the row's category", "[board][category]") {
    // A 분류 column; a category link beside the title (gnuboard); a class that merely contains
    // "cate" names nothing; a notice word is the notice flag, not a category.
    auto r = board_of(table_board(
        "<thead><tr><th>번호</th><th>분류</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>",
        "<tr><td>공지</td><td>공지</td><td><a href='/b/9'>규칙</a></td><td>운영</td><td>07-01</td></tr>"
        "<tr><td>12</td><td><span>질문</span></td><td><a href='/b/12'>첫째 글</a></td><td>갑</td><td>07-18</td></tr>"
        "<tr><td>11</td><td></td><td><a class='bo_cate_link' href='/b?sca=1'>[후기]</a> <a href='/b/11'>둘째 "
        "글</a></td><td>을</td><td>07-17</td></tr>"
        "<tr><td>10</td><td></td><td><span class='indicate'>새</span><a href='/b/10'>셋째 "
        "글</a></td><td>병</td><td>07-16</td></tr>"));
    REQUIRE(r.board.rows.size() == 4);
    CHECK_FALSE(r.board.rows[0].category.has_value());
    CHECK(r.board.rows[1].category == "질문");
    CHECK(r.board.rows[2].category == "후기");
    CHECK(r.board.rows[2].title == "둘째 글");
    CHECK_FALSE(r.board.rows[3].category.has_value());
}

TEST_CASE("a bracketed prefix is a category only in an element of its own", "[board][category]") {
    auto r = board_of(
        table_board("<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr></thead>",
                    "<tr><td>3</td><td><a href='/b/3'><b>[질문]</b> 체인 소음</a></td><td>갑</td><td>07-18</td></tr>"
                    "<tr><td>2</td><td><a href='/b/2'>[질문] 안장 높이</a></td><td>을</td><td>07-17</td></tr>"
                    "<tr><td>1</td><td><a href='/b/1'><b>[질문]</b></a></td><td>병</td><td>07-16</td></tr>"));
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[0].category == "질문");
    CHECK(r.board.rows[0].title == "체인 소음");
    CHECK_FALSE(r.board.rows[1].category.has_value());
    CHECK(r.board.rows[1].title == "[질문] 안장 높이");
    CHECK_FALSE(r.board.rows[2].category.has_value());
    CHECK(r.board.rows[2].title == "[질문]");
}

TEST_CASE("rows that open their post by script are kept without a URL", "[board][script]") {
    SECTION("a list whose links call a view function") {
        std::string rows;
        for (int i = 1; i <= 3; ++i) {
            const std::string n = std::to_string(200 + i);
            rows += "<li><a href='#' onclick=\"goView('" + n + "'); return false;\">글 " + n +
                    "</a> <span class='writer'>갑</span> <span class='date'>07-1" + std::to_string(i) + "</span></li>";
        }
        auto r = board_of("<html><body><ul>" + rows + "</ul></body></html>");
        REQUIRE(r.board.rows.size() == 3);
        CHECK(r.board.rows[0].title == "글 201");
        CHECK(r.board.rows[0].url.empty());
    }
    SECTION("a headerless table, hrefs with leading whitespace") {
        std::string rows;
        for (int i = 1; i <= 3; ++i) {
            const std::string n = std::to_string(300 + i);
            rows += "<tr><td>" + n + "</td><td><a href=\"\n\tJavaScript:fn_view(" + n + ")\">제목 " + n +
                    "</a></td><td>을</td><td>2024-07-1" + std::to_string(i) + "</td></tr>";
        }
        auto r = board_of(table_board("", rows));
        REQUIRE(r.board.rows.size() == 3);
        for (const auto& row : r.board.rows)
            CHECK(row.url.empty());
    }
    SECTION("links that call nothing with a number lead nowhere") {
        std::string rows;
        for (int i = 1; i <= 3; ++i) {
            rows += "<tr><td>" + std::to_string(i) + "</td><td><a href='javascript:void(0)'>메뉴 " + std::to_string(i) +
                    "</a></td><td>을</td><td>2024-07-1" + std::to_string(i) + "</td></tr>";
        }
        CHECK(board_of(table_board("<tr><th>번호</th><th>제목</th><th>이름</th><th>날짜</th></tr>", rows))
                  .board.rows.empty());
    }
}

TEST_CASE("the page's own board wins over a longer list of other boards", "[board][semantics]") {
    std::string own, side;
    for (int i = 1; i <= 3; ++i) {
        const std::string n = std::to_string(500 + i);
        own += "<tr><td>" + n + "</td><td><a href='/market/board/77/read/" + n + "'>장터 글 " + n +
               "</a></td><td>갑</td><td>07-1" + std::to_string(i) + "</td></tr>";
    }
    for (int i = 1; i <= 5; ++i) {
        const std::string n = std::to_string(9000 + i);
        side += "<li><a href='/community/board/300/read/" + n + "'>인기 글 " + n + "</a> <span class='nick'>을" +
                std::to_string(i) + "</span> <span class='date'>07-1" + std::to_string(i) + "</span></li>";
    }
    const std::string page = "<html><body><table><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th></tr>" +
                             own + "</table><div id='side'><ul>" + side + "</ul></div></body></html>";
    auto r = board_of(page, "https://bbs.example.kr/market/board/77");
    REQUIRE(r.board.rows.size() == 3);
    CHECK(r.board.rows[0].title == "장터 글 501");
    // Without the page's URL the longest list wins, as before.
    CHECK(board_of(page, "").board.rows.size() == 5);
}
