// records_test -- RecordStart (the cheap test and regexec) and record_extent.
#include <string>

#include <doctest/doctest.h>

#include "records.h"

namespace t2s {

namespace {

bool starts(RecordStart* rs, const std::string& line) {
    return rs->starts(line.data(), line.size());
}

}  // namespace

TEST_CASE("RecordStart::compile: a bad regex is refused with the reason") {
    RecordStart rs;
    std::string err;
    CHECK_FALSE(rs.compile("^(", &err));
    CHECK(err.find("invalid regex ^(") == 0);
}

TEST_CASE("RecordStart::compile: back-references are refused, as for the rules") {
    RecordStart rs;
    std::string err;
    CHECK_FALSE(rs.compile("^(a)\\1", &err));
    CHECK(err.find("back-references") != std::string::npos);
}

TEST_CASE("RecordStart::starts: only the first 4096 bytes of a line are seen") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^E.*X", &err));
    CHECK(starts(&rs, "E" + std::string(100, 'a') + "X"));
    CHECK_FALSE(starts(&rs, "E" + std::string(5000, 'a') + "X"));
}

TEST_CASE("RecordStart::starts: the literal prefix decides without regexec") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^20[0-9][0-9]-", &err));
    CHECK(rs.prefix() == "20");
    CHECK(starts(&rs, "2026-11-29 ERROR x"));
    CHECK(rs.regexec_calls() == 1);
    CHECK_FALSE(starts(&rs, "\tat com.example.Foo.bar(Foo.java:42)"));
    CHECK_FALSE(starts(&rs, "2"));
    CHECK_FALSE(starts(&rs, ""));
    CHECK(rs.regexec_calls() == 1);
    CHECK_FALSE(starts(&rs, "20x"));  // passes the prefix, fails the regex
    CHECK(rs.regexec_calls() == 2);
}

TEST_CASE("RecordStart::starts: a leading bracket expression gives the first bytes") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^[^[:space:]]", &err));
    CHECK(rs.prefix().empty());
    CHECK_FALSE(rs.may_start_with(' '));
    CHECK_FALSE(rs.may_start_with('\t'));
    CHECK(rs.may_start_with('T'));
    CHECK(rs.may_start_with(0xc3));
    CHECK(starts(&rs, "Traceback (most recent call last):"));
    CHECK_FALSE(starts(&rs, "  File \"x.py\", line 1"));
    CHECK_FALSE(starts(&rs, ""));
    CHECK(rs.regexec_calls() == 1);

    RecordStart digits;
    REQUIRE(digits.compile("^[0-9]{4}-[0-9]{2}", &err));
    CHECK(digits.may_start_with('2'));
    CHECK_FALSE(digits.may_start_with('\t'));
    CHECK(starts(&digits, "2026-11 x"));
    CHECK_FALSE(starts(&digits, "1 x"));
}

TEST_CASE("RecordStart::starts: what the cheap test cannot take apart goes to regexec") {
    std::string err;
    for (const char* re : {"ERROR", "^a|^b", "^a*x", "^(a|b)", "^[a-c]?x", "^a{0,1}b"}) {
        RecordStart rs;
        REQUIRE(rs.compile(re, &err));
        CAPTURE(re);
        CHECK(rs.prefix().size() <= 1);
        CHECK(rs.may_start_with('x'));
    }
    RecordStart any;
    REQUIRE(any.compile("ERROR", &err));
    CHECK(starts(&any, "an ERROR here"));
    RecordStart alt;
    REQUIRE(alt.compile("^a|^b", &err));
    CHECK(starts(&alt, "bee"));
    RecordStart star;
    REQUIRE(star.compile("^a*x", &err));
    CHECK(starts(&star, "x"));
    CHECK(starts(&star, "aax"));
}

TEST_CASE("RecordStart::starts: escaped specials are literal") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^\\[INFO\\] ", &err));
    CHECK(rs.prefix() == "[INFO] ");
    CHECK(starts(&rs, "[INFO] up"));
    CHECK_FALSE(starts(&rs, "[INFOX] up"));
}

TEST_CASE("record_extent: a record reaches to the next start line") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^E", &err));
    std::string text = "E one\n\tat a\n\tat b\nE two\n\tat c\n";
    size_t two = text.find("E two");
    Extent e = record_extent(text.data(), 0, text.size(), false, 64, false, &rs);
    CHECK(e.end == two);
    CHECK(e.closed);
    // The last record is open: no start line after it yet.
    e = record_extent(text.data(), two, text.size(), false, 64, false, &rs);
    CHECK(e.end == text.size());
    CHECK_FALSE(e.closed);
    e = record_extent(text.data(), two, text.size(), true, 64, false, &rs);
    CHECK(e.end == text.size());
    CHECK(e.closed);
}

TEST_CASE("record_extent: the first line belongs to the record whatever it is") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^E", &err));
    std::string text = "\tat orphan\nE x\n";
    Extent e = record_extent(text.data(), 0, text.size(), false, 64, false, &rs);
    CHECK(e.end == 11);
    CHECK(e.closed);
    e = record_extent(text.data(), 1, text.size(), false, 64, false, &rs);  // inside a line
    CHECK(e.end == 11);
    // Inside a record at a line start: that line is judged too.
    e = record_extent(text.data(), 11, text.size(), false, 64, true, &rs);
    CHECK(e.end == 11);
    CHECK(e.closed);
    e = record_extent(text.data(), 0, text.size(), false, 64, true, &rs);
    CHECK(e.end == 11);
}

TEST_CASE("record_extent: an unterminated line is judged at flush or at judge_len") {
    RecordStart rs;
    std::string err;
    REQUIRE(rs.compile("^E", &err));
    std::string text = "E one\nE tw";
    Extent e = record_extent(text.data(), 0, text.size(), false, 64, false, &rs);
    CHECK(e.end == 6);
    CHECK_FALSE(e.closed);  // "E tw" may yet be anything: wait
    e = record_extent(text.data(), 0, text.size(), false, 4, false, &rs);
    CHECK(e.end == 6);
    CHECK(e.closed);
    e = record_extent(text.data(), 0, text.size(), true, 64, false, &rs);
    CHECK(e.end == 6);
    CHECK(e.closed);
    std::string cont = "E one\n\tat";
    e = record_extent(cont.data(), 0, cont.size(), true, 64, false, &rs);
    CHECK(e.end == cont.size());
    CHECK(e.closed);
    // A CR before the LF is not part of what the regex sees.
    RecordStart dollar;
    REQUIRE(dollar.compile("^E$", &err));
    std::string crlf = "x\r\nE\r\n";
    e = record_extent(crlf.data(), 0, crlf.size(), false, 64, false, &dollar);
    CHECK(e.end == 3);
    CHECK(e.closed);
}

}  // namespace t2s
