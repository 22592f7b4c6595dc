// format_test -- timestamps, headers, escaping, splitting at the size limit,
// the "<N>" prefix and framing.
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "format.h"

namespace t2s {

namespace {

// ZoneScope sets TZ for one test and puts the old value back after it.
class ZoneScope {
public:
    explicit ZoneScope(const char* tz) {
        const char* old = getenv("TZ");
        had_ = old != nullptr;
        if (had_)
            old_ = old;
        setenv("TZ", tz, 1);
        tzset();
    }
    ~ZoneScope() {
        if (had_)
            setenv("TZ", old_.c_str(), 1);
        else
            unsetenv("TZ");
        tzset();
    }
    ZoneScope(const ZoneScope&) = delete;
    ZoneScope& operator=(const ZoneScope&) = delete;

private:
    bool had_;
    std::string old_;
};

const time_t kMar5 = 1709618828;   // 2024-03-05 06:07:08 UTC: a one-digit day
const time_t kNov14 = 1700000000;  // 2023-11-14 22:13:20 UTC

Stamp stamp_at(time_t sec, long nsec) {
    Stamp s;
    struct timespec ts;
    ts.tv_sec = sec;
    ts.tv_nsec = nsec;
    stamp_set(&s, ts);
    return s;
}

std::string header(const Header& h, int pri, const Stamp& s) {
    char out[kHeaderMax];
    size_t n = format_header(h, pri, s, out);
    return std::string(out, n);
}

std::string escaped(const std::string& line) {
    char out[4 * 64];
    REQUIRE(line.size() <= 64);
    char* end = escape_body(line.data(), line.size(), out);
    return std::string(out, size_t(end - out));
}

// fit -- body_fit of s with at most max escaped bytes; *esc gets their length.
size_t fit(const std::string& s, size_t max, size_t* esc) {
    return body_fit(s.data(), s.size(), max, esc);
}

std::string message(const Batch& b, size_t i) {
    size_t len;
    const char* p = b.message(i, &len);
    return std::string(p, len);
}

bool utf8_continuation(unsigned char c) {
    return (c & 0xc0) == 0x80;
}

}  // namespace

TEST_CASE("stamp_set: UTC, day padded with a space") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    CHECK(std::string(s.rfc3164) == "Mar  5 06:07:08");
    CHECK(std::string(s.rfc5424) == "2024-03-05T06:07:08.000000+00:00");
    CHECK(s.sec == kMar5);

    Stamp t = stamp_at(kNov14, 0);
    CHECK(std::string(t.rfc3164) == "Nov 14 22:13:20");
    CHECK(std::string(t.rfc5424) == "2023-11-14T22:13:20.000000+00:00");
}

TEST_CASE("stamp_set: zones east and west of UTC, whole and half hours") {
    SUBCASE("CET-1") {
        ZoneScope tz("CET-1");
        Stamp s = stamp_at(kMar5, 0);
        CHECK(std::string(s.rfc3164) == "Mar  5 07:07:08");
        CHECK(std::string(s.rfc5424) == "2024-03-05T07:07:08.000000+01:00");
    }
    SUBCASE("IST-5:30, past midnight") {
        ZoneScope tz("IST-5:30");
        Stamp s = stamp_at(kNov14, 0);
        CHECK(std::string(s.rfc3164) == "Nov 15 03:43:20");
        CHECK(std::string(s.rfc5424) == "2023-11-15T03:43:20.000000+05:30");
    }
    SUBCASE("<-0330>3:30") {
        ZoneScope tz("<-0330>3:30");
        Stamp s = stamp_at(kNov14, 0);
        CHECK(std::string(s.rfc3164) == "Nov 14 18:43:20");
        CHECK(std::string(s.rfc5424) == "2023-11-14T18:43:20.000000-03:30");
    }
    SUBCASE("Asia/Kolkata from the zoneinfo files") {
        if (access("/usr/share/zoneinfo/Asia/Kolkata", R_OK) != 0) {
            MESSAGE("no /usr/share/zoneinfo/Asia/Kolkata: skipped");
            return;
        }
        ZoneScope tz("Asia/Kolkata");
        Stamp s = stamp_at(kMar5, 0);
        CHECK(std::string(s.rfc3164) == "Mar  5 11:37:08");
        CHECK(std::string(s.rfc5424) == "2024-03-05T11:37:08.000000+05:30");
    }
}

TEST_CASE("stamp_set: dates past January 2038 (64-bit time_t, also on 32-bit)") {
    // The Makefile asks for a 64-bit time_t everywhere (_TIME_BITS=64); a
    // libc that cannot give one (32-bit glibc before 2.34) is the only skip.
    if (sizeof(time_t) < 8) {
        MESSAGE("32-bit time_t: skipped");
        return;
    }
    ZoneScope tz("UTC");
    Stamp s = stamp_at(time_t(int64_t(1) << 31), 0);
    CHECK(std::string(s.rfc3164) == "Jan 19 03:14:08");
    CHECK(std::string(s.rfc5424) == "2038-01-19T03:14:08.000000+00:00");
    Stamp t = stamp_at(time_t(int64_t(4102444800)), 0);
    CHECK(std::string(t.rfc3164) == "Jan  1 00:00:00");
    CHECK(std::string(t.rfc5424) == "2100-01-01T00:00:00.000000+00:00");
}

TEST_CASE("stamp_set: within one second only the microseconds change") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    s.rfc3164[0] = 'X';  // would be overwritten if the second were formatted again
    struct timespec ts;
    ts.tv_sec = kMar5;
    ts.tv_nsec = 123456789;
    stamp_set(&s, ts);
    CHECK(s.usec == 123456);
    CHECK(s.rfc3164[0] == 'X');
    ts.tv_sec = kMar5 + 1;
    ts.tv_nsec = 999;
    stamp_set(&s, ts);
    CHECK(s.usec == 0);
    CHECK(std::string(s.rfc3164) == "Mar  5 06:07:09");
}

TEST_CASE("format_header: RFC 3164") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    Header h;
    h.tag = "app";
    CHECK(header(h, 13, s) == "<13>Mar  5 06:07:08 app: ");
    h.procid = "42";
    CHECK(header(h, 13, s) == "<13>Mar  5 06:07:08 app[42]: ");
    h.hostname = "web1";
    CHECK(header(h, 13, s) == "<13>Mar  5 06:07:08 web1 app[42]: ");
    h.procid.clear();
    CHECK(header(h, 13, s) == "<13>Mar  5 06:07:08 web1 app: ");
    CHECK(header(h, 0, s) == "<0>Mar  5 06:07:08 web1 app: ");
    CHECK(header(h, 191, s) == "<191>Mar  5 06:07:08 web1 app: ");
}

TEST_CASE("format_header: the pri argument wins over the header's") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    Header h;
    h.pri = 13;
    h.format = Format::raw;
    CHECK(header(h, 165, s) == "<165>");
}

TEST_CASE("format_header: RFC 5424") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 123456000);
    Header h;
    h.format = Format::rfc5424;
    h.tag = "app";
    CHECK(header(h, 13, s) == "<13>1 2024-03-05T06:07:08.123456+00:00 - app - - - ");
    h.hostname = "web1";
    h.procid = "42";
    CHECK(header(h, 165, s) == "<165>1 2024-03-05T06:07:08.123456+00:00 web1 app 42 - - ");

    Stamp early = stamp_at(kMar5, 7000);
    CHECK(header(h, 13, early) == "<13>1 2024-03-05T06:07:08.000007+00:00 web1 app 42 - - ");
}

TEST_CASE("format_header: RFC 5424 keeps the zone after the microseconds") {
    ZoneScope tz("IST-5:30");
    Stamp s = stamp_at(kNov14, 999999000);
    Header h;
    h.format = Format::rfc5424;
    h.tag = "app";
    CHECK(header(h, 13, s) == "<13>1 2023-11-15T03:43:20.999999+05:30 - app - - - ");
}

TEST_CASE("format_header: raw is only <PRI>, bare is nothing") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    Header h;
    h.format = Format::raw;
    h.tag = "app";
    h.hostname = "web1";
    h.procid = "42";
    CHECK(header(h, 13, s) == "<13>");
    h.bare = true;
    CHECK(header(h, 13, s).empty());
    h.format = Format::rfc5424;
    CHECK(header(h, 13, s).empty());
}

TEST_CASE("format_header: the longest header fits in kHeaderMax") {
    ZoneScope tz("UTC");
    Stamp s = stamp_at(kMar5, 0);
    Header h;
    h.format = Format::rfc5424;
    h.hostname = std::string(255, 'h');
    h.tag = std::string(48, 't');
    h.procid = std::string(128, 'p');
    std::string text = header(h, 191, s);
    CHECK(text.size() <= size_t(kHeaderMax));
    CHECK(text.size() == 5 + 2 + 32 + 1 + 255 + 1 + 48 + 1 + 128 + 5);
}

TEST_CASE("escape_body: control bytes as #ooo, TAB and high bytes kept") {
    CHECK(escaped("plain text") == "plain text");
    CHECK(escaped(std::string("a\0b", 3)) == "a#000b");
    CHECK(escaped("\x1b[31mred") == "#033[31mred");
    CHECK(escaped("a\rb") == "a#015b");
    CHECK(escaped("a\nb") == "a#012b");
    CHECK(escaped("\x7f") == "#177");
    CHECK(escaped("\x1f") == "#037");
    CHECK(escaped("a\tb") == "a\tb");
    CHECK(escaped("caf\xc3\xa9 \x80\xff") == "caf\xc3\xa9 \x80\xff");
    CHECK(escaped(" ~") == " ~");
    CHECK(escaped("").empty());
}

TEST_CASE("body_fit: plain bytes up to max") {
    size_t esc = 99;
    CHECK(fit("abcdefghij", 4, &esc) == 4);
    CHECK(esc == 4);
    CHECK(fit("abc", 4, &esc) == 3);
    CHECK(esc == 3);
    CHECK(fit("abcd", 4, &esc) == 4);
    CHECK(esc == 4);
    CHECK(fit("", 4, &esc) == 0);
    CHECK(esc == 0);
}

TEST_CASE("body_fit: an escaped byte counts 4") {
    size_t esc = 99;
    std::string s = "a\x01" "b";
    CHECK(fit(s, 4, &esc) == 1);  // "a#001" would be 5
    CHECK(esc == 1);
    CHECK(fit(s, 5, &esc) == 2);
    CHECK(esc == 5);
    CHECK(fit(s, 6, &esc) == 3);
    CHECK(esc == 6);
    CHECK(fit("\r", 4, &esc) == 1);
    CHECK(esc == 4);
    CHECK(fit("\t\t", 2, &esc) == 2);  // TAB is not escaped
    CHECK(esc == 2);
}

TEST_CASE("body_fit: a UTF-8 sequence is never split") {
    const char* seqs[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    for (const char* seq : seqs) {
        std::string q = seq;
        std::string s = "ab" + q + "cd";
        for (size_t max = 1; max <= s.size() + 1; ++max) {
            CAPTURE(q.size());
            CAPTURE(max);
            size_t esc = 99;
            size_t n = fit(s, max, &esc);
            CHECK(esc == n);
            CHECK(n <= max);
            CHECK((n <= 2 || n >= 2 + q.size()));  // never inside the sequence
            if (max < 2 + q.size())
                CHECK(n == (max < 2 ? max : 2));    // backs up to its lead byte
            else
                CHECK(n == (max < s.size() ? max : s.size()));
        }
    }
}

TEST_CASE("body_fit: escaped bytes before a UTF-8 sequence") {
    std::string s = "\x01\xe2\x82\xac";  // "#001" then a 3-byte sequence
    size_t esc = 99;
    CHECK(fit(s, 5, &esc) == 1);
    CHECK(esc == 4);
    CHECK(fit(s, 6, &esc) == 1);
    CHECK(esc == 4);
    CHECK(fit(s, 7, &esc) == 4);
    CHECK(esc == 7);
}

TEST_CASE("body_fit: a lone sequence longer than max is cut anyway") {
    size_t esc = 99;
    CHECK(fit("\xf0\x9f\x98\x80", 3, &esc) == 3);
    CHECK(esc == 3);
    CHECK(fit("\xe2\x82\xac", 2, &esc) == 2);
    CHECK(esc == 2);
    CHECK(fit("\xc3\xa9", 1, &esc) == 1);
    CHECK(esc == 1);
}

TEST_CASE("body_fit: invalid UTF-8 neither hangs nor backs up wrongly") {
    size_t esc = 99;
    // Continuation bytes with no lead: cut where max says.
    CHECK(fit("\x80\x80\x80\x80\x80\x80\x80\x80", 5, &esc) == 5);
    CHECK(esc == 5);
    CHECK(fit("a\x80\x80\x80\x80\x80", 3, &esc) == 3);
    // A complete 2-byte sequence followed by a stray continuation byte.
    CHECK(fit("a\xc3\xa9\xa9zz", 3, &esc) == 3);
    // A complete 4-byte sequence, then two strays.
    CHECK(fit("x\xf0\x90\x80\x80\x80\x80", 5, &esc) == 5);
    CHECK(fit("x\xf0\x90\x80\x80\x80\x80", 6, &esc) == 6);
    CHECK(fit("x\xf0\x90\x80\x80\x80\x80", 4, &esc) == 1);
    // A lead byte cut short by ASCII: nothing to protect.
    CHECK(fit("ab\xe2\x82" "cd", 4, &esc) == 4);
    // Bytes that never start a sequence: 0xc0, 0xc1, 0xf8..0xff.
    CHECK(fit("a\xc0\x80", 2, &esc) == 2);
    CHECK(fit("a\xff\x80\x80", 3, &esc) == 3);
    CHECK(esc == 3);
}

TEST_CASE("body_fit: every cut of mixed text keeps whole sequences and progresses") {
    // Walk a text the way carve does: piece after piece, each at most max.
    std::string text = "a\xc3\xa9\x01\xe2\x82\xac\t\xf0\x9f\x98\x80z\x80\xe2\x82";
    for (size_t max = 4; max <= 12; ++max) {
        CAPTURE(max);
        size_t at = 0;
        int pieces = 0;
        while (at < text.size() && pieces < 100) {
            size_t esc;
            size_t n = body_fit(text.data() + at, text.size() - at, max, &esc);
            REQUIRE(n > 0);
            CHECK(esc <= max);
            CHECK(escaped(text.substr(at, n)).size() == esc);
            at += n;
            ++pieces;
            // The only continuation bytes a piece may start with are the stray
            // one at offset 13 and the tail of the cut-short sequence.
            if (at < text.size() && at != 13 && at != text.size() - 1)
                CHECK_FALSE(utf8_continuation((unsigned char)text[at]));
        }
        CHECK(at == text.size());
    }
}

TEST_CASE("prio_prefix: <N> with N in 0..191") {
    int pri = -1;
    CHECK(prio_prefix("<165>x", 6, 13, &pri) == 5);
    CHECK(pri == 165);
    CHECK(prio_prefix("<8>", 3, 13, &pri) == 3);
    CHECK(pri == 8);
    CHECK(prio_prefix("<191>", 5, 13, &pri) == 5);
    CHECK(pri == 191);
    CHECK(prio_prefix("<34>hello", 9, 165, &pri) == 4);
    CHECK(pri == 34);
}

TEST_CASE("prio_prefix: N below 8 keeps the facility of the fallback") {
    int pri = -1;
    CHECK(prio_prefix("<0>", 3, 13, &pri) == 3);
    CHECK(pri == 8);  // user.emerg
    CHECK(prio_prefix("<7>x", 4, 13, &pri) == 3);
    CHECK(pri == 15);
    CHECK(prio_prefix("<3>x", 4, 165, &pri) == 3);
    CHECK(pri == 163);  // local4.err
}

TEST_CASE("prio_prefix: anything else is no prefix and leaves pri alone") {
    for (const char* bad : {"<192>", "<>", "<>x", "<1234>", "<13", "<1", "<", "", "13>",
                            "x<13>", "<a>", "<-1>", "< 13>", "<13 >", "(13)"}) {
        CAPTURE(std::string(bad));
        int pri = -1;
        CHECK(prio_prefix(bad, strlen(bad), 13, &pri) == 0);
        CHECK(pri == -1);
    }
    int pri = -1;
    CHECK(prio_prefix("<13>", 3, 13, &pri) == 0);  // the '>' lies past len
    CHECK(pri == -1);
}

TEST_CASE("Batch: framing none, lf and octet") {
    Header h;
    Batch::Item item{0, 7, 13, &h};
    SUBCASE("none") {
        Batch b(256);
        b.add(Framing::none, "<13>", 4, "hi", 2, 2, item);
        CHECK(std::string(b.bytes(), b.size()) == "<13>hi");
    }
    SUBCASE("lf") {
        Batch b(256);
        b.add(Framing::lf, "<13>", 4, "hi", 2, 2, item);
        CHECK(std::string(b.bytes(), b.size()) == "<13>hi\n");
    }
    SUBCASE("octet: LEN counts header and escaped body") {
        Batch b(256);
        b.add(Framing::octet, "<13>", 4, "hi", 2, 2, item);
        CHECK(std::string(b.bytes(), b.size()) == "6 <13>hi");
        b.clear();
        b.add(Framing::octet, "<13>", 4, "a\x01", 2, 5, item);
        CHECK(std::string(b.bytes(), b.size()) == "9 <13>a#001");
        b.clear();
        std::string body(120, 'x');
        b.add(Framing::octet, "<13>", 4, body.data(), body.size(), body.size(), item);
        CHECK(std::string(b.bytes(), b.size()) == "124 <13>" + body);
    }
}

TEST_CASE("Batch: message and items") {
    Header h1, h2;
    Batch b(256);
    CHECK(b.empty());
    b.add(Framing::lf, "<13>", 4, "one", 3, 3, Batch::Item{0, 4, 13, &h1});
    b.add(Framing::lf, "<165>", 5, "two\x7f", 4, 7, Batch::Item{0, 9, 165, &h2});
    CHECK_FALSE(b.empty());
    REQUIRE(b.items().size() == 2);
    CHECK(message(b, 0) == "<13>one\n");
    CHECK(message(b, 1) == "<165>two#177\n");
    CHECK(b.items()[0].end == 8);
    CHECK(b.items()[1].end == b.size());
    CHECK(b.items()[0].src_end == 4);
    CHECK(b.items()[1].src_end == 9);
    CHECK(b.items()[0].pri == 13);
    CHECK(b.items()[1].pri == 165);
    CHECK(b.items()[0].header == &h1);
    CHECK(b.items()[1].header == &h2);
    b.clear();
    CHECK(b.empty());
    CHECK(b.size() == 0);
    b.add(Framing::none, "<13>", 4, "x", 1, 1, Batch::Item{0, 1, 13, &h1});
    CHECK(message(b, 0) == "<13>x");
}

TEST_CASE("Batch: room keeps space for the framing") {
    Batch b(40);
    CHECK(b.room(4, 12));   // 4 + 12 + 24 for the longest framing = 40
    CHECK_FALSE(b.room(4, 13));
    Header h;
    b.add(Framing::octet, "<13>", 4, "aa", 2, 2, Batch::Item{0, 3, 13, &h});
    CHECK(b.size() == 8);   // "6 <13>aa"
    CHECK(b.room(4, 4));
    CHECK_FALSE(b.room(4, 5));
}

TEST_CASE("false_bom: a mark before valid UTF-8 stays; before anything else, not") {
    const char bom[] = "\xef\xbb\xbf";
    CHECK(false_bom(bom, 3) == 0);  // the mark alone: an empty UTF-8 string
    CHECK(false_bom("\xef\xbb\xbf" "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 17) == 0);
    CHECK(false_bom("\xef\xbb\xbf" "caf\xe9", 7) == 3);            // Latin-1
    CHECK(false_bom("\xef\xbb\xbf" "\xc0\xaf", 5) == 3);           // overlong '/'
    CHECK(false_bom("\xef\xbb\xbf" "\xe0\x80\xaf", 6) == 3);       // overlong
    CHECK(false_bom("\xef\xbb\xbf" "\xed\xa0\x80", 6) == 3);       // surrogate
    CHECK(false_bom("\xef\xbb\xbf" "\xf4\x90\x80\x80", 7) == 3);   // > U+10FFFF
    CHECK(false_bom("\xef\xbb\xbf" "\xe2\x82", 5) == 3);           // cut short
    CHECK(false_bom("\xef\xbb\xbf" "a\x80z", 6) == 3);             // stray
    CHECK(false_bom("caf\xe9", 4) == 0);  // no mark: MSG-ANY, nothing to do
    CHECK(false_bom("\xef\xbb", 2) == 0);
}

TEST_CASE("Batch::add: an RFC 5424 body loses a false mark, keeps a true one") {
    Header h5424, h3164;
    h5424.format = Format::rfc5424;
    Batch b(256);
    std::string bad = "\xef\xbb\xbf" "caf\xe9", good = "\xef\xbb\xbf" "caf\xc3\xa9";
    b.add(Framing::octet, "<13>", 4, bad.data(), bad.size(), bad.size(),
          Batch::Item{0, 7, 13, &h5424});
    CHECK(message(b, 0) == "8 <13>caf\xe9");  // the count agrees
    b.add(Framing::lf, "<13>", 4, good.data(), good.size(), good.size(),
          Batch::Item{0, 15, 13, &h5424});
    CHECK(message(b, 1) == "<13>" + good + "\n");
    b.add(Framing::lf, "<13>", 4, bad.data(), bad.size(), bad.size(),
          Batch::Item{0, 22, 13, &h3164});
    CHECK(message(b, 2) == "<13>" + bad + "\n");  // RFC 3164 has no MSG-UTF8
}

TEST_CASE("escape_name: control bytes as in bodies, the rest as is") {
    CHECK(escape_name("/var/log/app.log") == "/var/log/app.log");
    CHECK(escape_name("a\nb\x1b[2Jc\td\x7f") == "a#012b#033[2Jc\td#177");
    CHECK(escape_name(std::string("x\0y", 3)) == "x#000y");
    CHECK(escape_name("caf\xc3\xa9") == "caf\xc3\xa9");
}

}  // namespace t2s
