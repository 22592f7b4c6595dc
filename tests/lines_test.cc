// lines_test -- carve: lines in, messages out.  The raw format makes every
// message "<PRI>" and the escaped body, so bodies are easy to read here.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "lines.h"

namespace t2s {

namespace {

struct Sent {
    std::string msg;
    int64_t src_end;
    int pri;
    const Header* header;
};

// Carver is one source: its settings, its LineState, and the messages it has
// sent so far.  feed() moves each batch to sent and empties it.
class Carver {
public:
    explicit Carver(size_t size, size_t capacity = 1 << 16) : batch(capacity) {
        header.pri = 13;
        header.format = Format::raw;
        header.tag = "test";
        cfg.header = &header;
        cfg.size = size;
    }
    Carver(const Carver&) = delete;
    Carver& operator=(const Carver&) = delete;

    // feed -- carves text, whose first byte is at source offset base.
    size_t feed(const std::string& text, int64_t base, bool flush = false) {
        size_t n = carve(text.data(), text.size(), base, flush, cfg, stamp, &st, &batch);
        for (size_t i = 0; i < batch.items().size(); ++i) {
            size_t len;
            const char* p = batch.message(i, &len);
            const Batch::Item& item = batch.items()[i];
            sent.push_back(Sent{std::string(p, len), item.src_end, item.pri, item.header});
        }
        batch.clear();
        return n;
    }

    // messages -- what was sent, joined by '|'.
    std::string messages() const {
        std::string out;
        for (const Sent& s : sent)
            out += (out.empty() ? "" : "|") + s.msg;
        return out;
    }

    // ends -- the src_end of each message, joined by ','.
    std::string ends() const {
        std::string out;
        for (const Sent& s : sent)
            out += (out.empty() ? "" : ",") + std::to_string(s.src_end);
        return out;
    }

    Header header;
    CarveConfig cfg;
    Stamp stamp;
    LineState st;
    Batch batch;
    std::vector<Sent> sent;
};

// describe -- what messages carry, for comparing whole runs: the text, the
// pri and, if with_ends, the src_end.
std::string describe(const std::vector<Sent>& sent, bool with_ends = true) {
    std::string out;
    for (const Sent& s : sent) {
        out += s.msg + "/" + std::to_string(s.pri);
        if (with_ends)
            out += "@" + std::to_string(s.src_end);
        out += "\n";
    }
    return out;
}

struct Settings {
    size_t size;
    bool truncate;
    bool prio_prefix;
    bool skip_empty;
};

void configure(Carver* c, const Settings& s) {
    c->cfg.truncate = s.truncate;
    c->cfg.prio_prefix = s.prio_prefix;
    c->cfg.skip_empty = s.skip_empty;
}

// A text with something for every rule: CRLF, an empty line, a lone CR, a
// long line, a prefix, control bytes, UTF-8 and an unterminated tail.
const std::string kMixed =
    "one\r\n\ntwo three four five\nsix\r\r\n<165>seven eight\n"
    "\x01nine\xc3\xa9\xe2\x82\xac ten\n<3>\r\n\xf0\x9f\x98\x80\xf0\x9f\x98\x80\n"
    "tail\rx";

}  // namespace

TEST_CASE("carve: complete lines become one message each") {
    Carver c(64);
    CHECK(c.feed("one\ntwo\nthree\n", 100) == 14);
    CHECK(c.messages() == "<13>one|<13>two|<13>three");
    CHECK(c.ends() == "104,108,114");
    REQUIRE(c.sent.size() == 3);
    CHECK(c.sent[2].pri == 13);
    CHECK(c.sent[0].header == &c.header);
    CHECK(c.sent[2].header == &c.header);
    CHECK_FALSE(c.st.mid_line);
}

TEST_CASE("carve: the header is the configured one") {
    Carver c(64);
    c.header.pri = 165;
    CHECK(c.feed("x\n", 0) == 2);
    CHECK(c.messages() == "<165>x");
    REQUIRE(c.sent.size() == 1);
    CHECK(c.sent[0].pri == 165);
}

TEST_CASE("carve: CRLF drops only the CR") {
    Carver c(64);
    CHECK(c.feed("a\r\nb\r\r\n\r\n", 0) == 9);
    CHECK(c.messages() == "<13>a|<13>b#015|<13>");
    CHECK(c.ends() == "3,7,9");
}

TEST_CASE("carve: a lone CR mid-line is escaped") {
    Carver c(64);
    CHECK(c.feed("a\rb\n", 0) == 4);
    CHECK(c.messages() == "<13>a#015b");
}

TEST_CASE("carve: control bytes are escaped, TAB and UTF-8 kept") {
    Carver c(64);
    CHECK(c.feed("\x1b[1mA\tB\x7f\xc3\xa9\n", 0) == 11);
    CHECK(c.messages() == "<13>#033[1mA\tB#177\xc3\xa9");
}

TEST_CASE("carve: empty lines are kept, or dropped with skip_empty") {
    SUBCASE("kept") {
        Carver c(64);
        CHECK(c.feed("\n\na\n\r\n", 0) == 6);
        CHECK(c.messages() == "<13>|<13>|<13>a|<13>");
        CHECK(c.ends() == "1,2,4,6");
    }
    SUBCASE("dropped") {
        Carver c(64);
        c.cfg.skip_empty = true;
        CHECK(c.feed("\n\na\n\r\n", 0) == 6);
        CHECK(c.messages() == "<13>a");
        CHECK(c.ends() == "4");
    }
    SUBCASE("dropped when only a prefix was there") {
        Carver c(64);
        c.cfg.skip_empty = true;
        c.cfg.prio_prefix = true;
        CHECK(c.feed("<165>\nb\n", 0) == 8);
        CHECK(c.messages() == "<13>b");
    }
    SUBCASE("a line of one space is not empty") {
        Carver c(64);
        c.cfg.skip_empty = true;
        CHECK(c.feed(" \n", 0) == 2);
        CHECK(c.messages() == "<13> ");
    }
}

TEST_CASE("carve: an unterminated tail is held back until flush") {
    Carver c(64);
    CHECK(c.feed("a\nbc", 10) == 2);
    CHECK(c.messages() == "<13>a");
    CHECK_FALSE(c.st.mid_line);
    CHECK(c.feed("bc", 12) == 0);
    CHECK(c.sent.size() == 1);
    CHECK(c.feed("bc", 12, true) == 2);
    CHECK(c.messages() == "<13>a|<13>bc");
    CHECK(c.ends() == "12,14");
    CHECK_FALSE(c.st.mid_line);
}

TEST_CASE("carve: flush does not turn a trailing CR into a CRLF") {
    Carver c(64);
    CHECK(c.feed("bc\r", 0, true) == 3);
    CHECK(c.messages() == "<13>bc#015");
}

TEST_CASE("carve: a long line is split into pieces of at most size bytes") {
    Carver c(4);
    CHECK(c.feed("abcdefghij\nk\n", 100) == 13);
    CHECK(c.messages() == "<13>abcd|<13>efgh|<13>ij|<13>k");
    CHECK(c.ends() == "104,108,111,113");
    CHECK_FALSE(c.st.mid_line);
}

TEST_CASE("carve: a line of exactly n pieces gives no empty last piece") {
    Carver c(4);
    CHECK(c.feed("abcdefgh\r\nx\n", 0) == 12);
    CHECK(c.messages() == "<13>abcd|<13>efgh|<13>x");
    CHECK(c.ends() == "4,10,12");
}

TEST_CASE("carve: an escaped byte is not split from its line piece") {
    Carver c(4);
    CHECK(c.feed("ab\x01" "cd\n", 0) == 6);
    CHECK(c.messages() == "<13>ab|<13>#001|<13>cd");
    CHECK(c.ends() == "2,3,6");
}

TEST_CASE("carve: split pieces concatenate to the line, src_end after their bytes") {
    // No control bytes, so a piece's body is its raw bytes; UTF-8 makes
    // some pieces shorter than size.
    const std::string line = "0123456789 \xc3\xa9t\xc3\xa9 \xe2\x82\xac\xe2\x82\xac "
                             "\xf0\x9f\x98\x80 abcdefghijklmnopqrstuvwxyz";
    for (size_t size = 4; size <= line.size() + 1; ++size) {
        CAPTURE(size);
        Carver c(size);
        const int64_t base = 1000;
        CHECK(c.feed(line + "\n", base) == line.size() + 1);
        REQUIRE_FALSE(c.sent.empty());
        std::string joined;
        int64_t at = base;
        for (size_t i = 0; i < c.sent.size(); ++i) {
            std::string body = c.sent[i].msg.substr(4);
            CHECK(c.sent[i].msg.compare(0, 4, "<13>") == 0);
            CHECK(body.size() <= size);
            CHECK_FALSE(body.empty());
            joined += body;
            at += int64_t(body.size());
            bool last = i + 1 == c.sent.size();
            CHECK(c.sent[i].src_end == (last ? at + 1 : at));  // the last holds the LF too
        }
        CHECK(joined == line);
        if (size >= line.size())
            CHECK(c.sent.size() == 1);
    }
}

TEST_CASE("carve: a long unterminated line sends full pieces and holds the rest") {
    Carver c(4);
    CHECK(c.feed("abcdefghij", 0) == 8);
    CHECK(c.messages() == "<13>abcd|<13>efgh");
    CHECK(c.ends() == "4,8");
    CHECK(c.st.mid_line);
    CHECK(c.feed("ij", 8) == 0);  // still no end of line: hold on
    CHECK(c.sent.size() == 2);
    CHECK(c.feed("ijk\nz\n", 8) == 6);
    CHECK(c.messages() == "<13>abcd|<13>efgh|<13>ijk|<13>z");
    CHECK(c.ends() == "4,8,12,14");
    CHECK_FALSE(c.st.mid_line);
}

TEST_CASE("carve: a held piece that turns out to end the line sends nothing more") {
    SUBCASE("LF") {
        Carver c(4);
        CHECK(c.feed("abcdefgh", 0) == 4);  // "efgh" may be the whole rest
        CHECK(c.messages() == "<13>abcd");
        CHECK(c.feed("efgh\n", 4) == 5);
        CHECK(c.messages() == "<13>abcd|<13>efgh");
        CHECK(c.ends() == "4,9");
    }
    SUBCASE("CR of a CRLF last in a long line") {
        Carver c(4);
        CHECK(c.feed("abcdefgh\r", 0) == 4);
        CHECK(c.messages() == "<13>abcd");
        CHECK(c.st.mid_line);
        CHECK(c.feed("efgh\r\n", 4) == 6);
        CHECK(c.messages() == "<13>abcd|<13>efgh");  // no "#015" piece
        CHECK(c.ends() == "4,10");
        CHECK_FALSE(c.st.mid_line);
    }
}

TEST_CASE("carve: a last CR waits for the LF that may follow") {
    SUBCASE("a line that fits is not split before its CR") {
        Carver c(4);
        CHECK(c.feed("abcd\r", 0) == 0);
        CHECK(c.sent.empty());
        CHECK_FALSE(c.st.mid_line);
        CHECK(c.feed("abcd\r\n", 0) == 6);
        CHECK(c.messages() == "<13>abcd");
        CHECK(c.ends() == "6");
    }
    SUBCASE("a CR that turns out to be text is escaped") {
        Carver c(8);
        CHECK(c.feed("ab\r", 0) == 0);
        CHECK(c.feed("ab\rc\n", 0) == 5);
        CHECK(c.messages() == "<13>ab#015c");
    }
    SUBCASE("flush sends the CR as text") {
        Carver c(8);
        CHECK(c.feed("ab\r", 0, true) == 3);
        CHECK(c.messages() == "<13>ab#015");
        CHECK_FALSE(c.st.mid_line);
    }
}

TEST_CASE("carve: a continuation keeps the line's pri and reads no prefix") {
    Carver c(4);
    c.cfg.prio_prefix = true;
    CHECK(c.feed("<165>abcd<7>x", 0) == 9);
    CHECK(c.messages() == "<165>abcd");
    CHECK(c.st.pri == 165);
    CHECK(c.feed("<7>x\n<7>y\n", 9) == 10);
    CHECK(c.messages() == "<165>abcd|<165><7>x|<15>y");
    REQUIRE(c.sent.size() == 3);
    CHECK(c.sent[1].pri == 165);
    CHECK(c.sent[2].pri == 15);
    CHECK(c.ends() == "9,14,19");
}

TEST_CASE("carve: --truncate keeps the first piece and drops the rest") {
    Carver c(4);
    c.cfg.truncate = true;
    CHECK(c.feed("abcdefgh\nxy\nabcd\nabcdef\r\nz\n", 0) == 27);
    CHECK(c.messages() == "<13>abcd|<13>xy|<13>abcd|<13>abcd|<13>z");
    CHECK(c.ends() == "9,12,17,25,27");
    CHECK_FALSE(c.st.skipping);
}

TEST_CASE("carve: --truncate drops the rest of a line across calls") {
    Carver c(4);
    c.cfg.truncate = true;
    CHECK(c.feed("abcdefgh", 0) == 8);  // the first piece goes at once
    CHECK(c.messages() == "<13>abcd");
    CHECK(c.ends() == "8");
    CHECK(c.st.skipping);
    CHECK(c.feed("ijk", 8) == 3);
    CHECK(c.sent.size() == 1);
    CHECK(c.st.skipping);
    CHECK(c.feed("lm", 11, true) == 2);  // flush sends nothing of a dropped line
    CHECK(c.sent.size() == 1);
    CHECK(c.feed("n\nxy\n", 13) == 5);
    CHECK(c.messages() == "<13>abcd|<13>xy");
    CHECK(c.ends() == "8,18");
    CHECK_FALSE(c.st.skipping);
    CHECK_FALSE(c.st.mid_line);
}

TEST_CASE("carve: --prio-prefix sets each line's pri and is stripped") {
    Carver c(64);
    c.cfg.prio_prefix = true;
    CHECK(c.feed("<165>hello\nworld\n<7>x\n<192>y\nz<13>\n", 0) == 35);
    CHECK(c.messages() == "<165>hello|<13>world|<15>x|<13><192>y|<13>z<13>");
    REQUIRE(c.sent.size() == 5);
    CHECK(c.sent[0].pri == 165);
    CHECK(c.sent[1].pri == 13);
    CHECK(c.sent[2].pri == 15);
    CHECK(c.sent[3].pri == 13);
}

TEST_CASE("carve: without --prio-prefix a prefix is text") {
    Carver c(64);
    CHECK(c.feed("<165>hello\n", 0) == 11);
    CHECK(c.messages() == "<13><165>hello");
}

TEST_CASE("carve: a prefix does not count against size") {
    Carver c(4);
    c.cfg.prio_prefix = true;
    CHECK(c.feed("<165>abcd\n", 0) == 10);
    CHECK(c.messages() == "<165>abcd");
}

TEST_CASE("carve: a full batch stops early and the next call resumes exactly") {
    // Each "<13>xx" needs 4 + 2 + 24 bytes of room: two fit in 40.
    Carver c(64, 40);
    const std::string text = "aa\nbb\ncc\ndd\nee\n";
    CHECK(c.feed(text, 0) == 6);
    CHECK(c.messages() == "<13>aa|<13>bb");
    CHECK(c.feed(text.substr(6), 6) == 6);
    CHECK(c.feed(text.substr(12), 12) == 3);
    CHECK(c.messages() == "<13>aa|<13>bb|<13>cc|<13>dd|<13>ee");
    CHECK(c.ends() == "3,6,9,12,15");
}

TEST_CASE("carve: a full batch in the middle of a long line") {
    Carver c(4, 4 + 4 + 24);  // room for one piece at a time
    const std::string text = "abcdefghij\nk\n";
    size_t done = 0;
    int calls = 0;
    while (done < text.size() && calls < 20) {
        size_t n = c.feed(text.substr(done), int64_t(done));
        REQUIRE(n > 0);
        done += n;
        ++calls;
    }
    CHECK(done == text.size());
    CHECK(calls == 4);
    CHECK(c.messages() == "<13>abcd|<13>efgh|<13>ij|<13>k");
    CHECK(c.ends() == "4,8,11,13");
}

TEST_CASE("carve: a 0-length buffer") {
    Carver c(64);
    CHECK(c.feed("", 0) == 0);
    CHECK(c.feed("", 0, true) == 0);
    CHECK(c.sent.empty());
    CHECK_FALSE(c.st.mid_line);
    CHECK_FALSE(c.st.skipping);
}

TEST_CASE("carve: any split into two chunks gives the same messages") {
    const Settings settings[] = {
        {4, false, false, false}, {5, false, true, false}, {7, true, false, false},
        {4, true, true, true},    {6, false, false, true}, {64, false, true, true},
        {8, true, true, false},   {4, false, true, true},
    };
    for (const Settings& s : settings) {
        CAPTURE(s.size);
        CAPTURE(s.truncate);
        CAPTURE(s.prio_prefix);
        CAPTURE(s.skip_empty);
        Carver whole(s.size);
        configure(&whole, s);
        CHECK(whole.feed(kMixed, 0, true) == kMixed.size());
        REQUIRE_FALSE(whole.sent.empty());
        const std::string expected = describe(whole.sent);
        for (size_t cut = 0; cut <= kMixed.size(); ++cut) {
            CAPTURE(cut);
            Carver c(s.size);
            configure(&c, s);
            size_t done = c.feed(kMixed.substr(0, cut), 0);
            CHECK(done <= cut);
            done += c.feed(kMixed.substr(done), int64_t(done), true);
            CHECK(done == kMixed.size());
            // A truncated piece ends where the bytes then read ended: only
            // without --truncate is each src_end independent of the split.
            if (s.truncate)
                CHECK(describe(c.sent, false) == describe(whole.sent, false));
            else
                CHECK(describe(c.sent) == expected);
        }
    }
}

TEST_CASE("carve: any split into three chunks gives the same messages") {
    // Three chunks carry a long line from one continuation to the next.
    const Settings settings[] = {
        {4, false, true, false}, {7, false, false, true}, {5, true, true, false},
    };
    for (const Settings& s : settings) {
        CAPTURE(s.size);
        CAPTURE(s.truncate);
        Carver whole(s.size);
        configure(&whole, s);
        CHECK(whole.feed(kMixed, 0, true) == kMixed.size());
        const std::string expected = describe(whole.sent, !s.truncate);
        std::string first_bad;  // the first pair of cuts that gives otherwise
        for (size_t cut1 = 0; cut1 <= kMixed.size() && first_bad.empty(); ++cut1) {
            for (size_t cut2 = cut1; cut2 <= kMixed.size() && first_bad.empty(); ++cut2) {
                Carver c(s.size);
                configure(&c, s);
                size_t done = c.feed(kMixed.substr(0, cut1), 0);
                if (done <= cut2)
                    done += c.feed(kMixed.substr(done, cut2 - done), int64_t(done));
                done += c.feed(kMixed.substr(done), int64_t(done), true);
                if (done != kMixed.size() || describe(c.sent, !s.truncate) != expected)
                    first_bad = std::to_string(cut1) + "," + std::to_string(cut2);
            }
        }
        CHECK(first_bad == "");
    }
}

TEST_CASE("carve: one message per batch gives the same messages") {
    for (size_t size : {4, 5, 9}) {
        for (bool truncate : {false, true}) {
            CAPTURE(size);
            CAPTURE(truncate);
            Settings s{size, truncate, true, false};
            Carver whole(size);
            configure(&whole, s);
            CHECK(whole.feed(kMixed, 0, true) == kMixed.size());

            Carver c(size, 5 + size + 24);  // "<191>" and one full body
            configure(&c, s);
            size_t done = 0;
            int calls = 0;
            while (done < kMixed.size() && calls < 1000) {
                size_t n = c.feed(kMixed.substr(done), int64_t(done), true);
                REQUIRE(n > 0);
                done += n;
                ++calls;
            }
            CHECK(done == kMixed.size());
            CHECK(describe(c.sent) == describe(whole.sent));
        }
    }
}

TEST_CASE("Position::advance: the check bytes are the last 16 before the offset") {
    const std::string text = "0123456789abcdefghijklmnopqrstuvwxyz";
    Position pos;
    pos.advance(4, text.data(), 0);
    CHECK(pos.offset == 4);
    CHECK(std::string(pos.tail, pos.tail_len) == "0123");
    pos.advance(30, text.data(), 0);
    CHECK(std::string(pos.tail, pos.tail_len) == "efghijklmnopqrst");
    // A buffer that begins later holds fewer bytes before the offset: only
    // those are kept, never bytes from before the buffer.
    Position near;
    near.reset(20, "j", 1);
    near.advance(24, text.data() + 19, 19);
    CHECK(near.offset == 24);
    CHECK(std::string(near.tail, near.tail_len) == "jklmn");
}

TEST_CASE("Position::reset: check bytes cut to the offset and to 16") {
    Position pos;
    pos.reset(3, "abcdef", 6);
    CHECK(std::string(pos.tail, pos.tail_len) == "def");
    pos.reset(100, "0123456789abcdefXY", 18);
    CHECK(std::string(pos.tail, pos.tail_len) == "23456789abcdefXY");
    pos.reset(0, nullptr, 0);
    CHECK(pos.offset == 0);
    CHECK(pos.tail_len == 0);
}

TEST_CASE("settle: moves past what the transport took, and no further") {
    const std::string text = "one\ntwo\nthree\n";
    Carver c(64);
    LineState before = c.st;
    size_t got = carve(text.data(), text.size(), 0, false, c.cfg, c.stamp, &c.st, &c.batch);
    REQUIRE(c.batch.items().size() == 3);
    SUBCASE("all") {
        Position pos;
        CHECK(settle(c.batch, 3, got, text.data(), 0, before, &pos, &c.st));
        CHECK(pos.offset == int64_t(text.size()));
        CHECK(std::string(pos.tail, pos.tail_len) == text);  // 14 bytes: all
    }
    SUBCASE("part") {
        Position pos;
        CHECK_FALSE(settle(c.batch, 2, got, text.data(), 0, before, &pos, &c.st));
        CHECK(pos.offset == 8);
        CHECK(std::string(pos.tail, pos.tail_len) == "one\ntwo\n");
        CHECK_FALSE(c.st.mid_line);
    }
    SUBCASE("none") {
        Position pos;
        c.st.mid_line = true;  // as a carve could have left it
        CHECK_FALSE(settle(c.batch, 0, got, text.data(), 0, before, &pos, &c.st));
        CHECK(pos.offset == 0);
        CHECK(pos.tail_len == 0);
        CHECK_FALSE(c.st.mid_line);
    }
}

TEST_CASE("settle: a partial send inside a split line") {
    const std::string text = "abcdefghij\nk\n";
    Carver c(4);  // "abcd", "efgh", "ij", "k"
    LineState before = c.st;
    size_t got = carve(text.data(), text.size(), 0, false, c.cfg, c.stamp, &c.st, &c.batch);
    REQUIRE(c.batch.items().size() == 4);
    Position pos;
    CHECK_FALSE(settle(c.batch, 1, got, text.data(), 0, before, &pos, &c.st));
    CHECK(pos.offset == 4);
    CHECK(c.st.mid_line);  // "efgh" goes on the line begun
    CHECK(c.st.pri == c.batch.items()[0].pri);
}

}  // namespace t2s

namespace t2s {

namespace {

// RecordCarver -- a Carver with --record-start REGEX.
struct RecordCarver : Carver {
    RecordCarver(size_t size, const char* regex, size_t capacity = 1 << 16)
        : Carver(size, capacity) {
        std::string err;
        REQUIRE(rs.compile(regex, &err));
        cfg.record_start = &rs;
    }
    RecordStart rs;
};

const std::string kJava =
    "2026-11-29 10:00:00 ERROR boom\n"
    "java.lang.IllegalStateException: x\n"
    "\tat com.example.Foo.bar(Foo.java:42)\n"
    "2026-11-29 10:00:01 INFO fine\n";

}  // namespace

TEST_CASE("carve: a record's lines go as one message joined by an escaped LF") {
    RecordCarver c(256, "^[0-9]{4}-");
    size_t first_end = kJava.find("2026", 1);
    CHECK(c.feed(kJava, 100) == first_end);
    CHECK(c.messages() == "<13>2026-11-29 10:00:00 ERROR boom#012"
                          "java.lang.IllegalStateException: x#012"
                          "\tat com.example.Foo.bar(Foo.java:42)");
    CHECK(c.ends() == std::to_string(100 + first_end));
    // The last record waits for the next start line, or flush.
    CHECK(c.feed(kJava.substr(first_end), 100 + int64_t(first_end)) == 0);
    CHECK(c.feed(kJava.substr(first_end), 100 + int64_t(first_end), true) ==
          kJava.size() - first_end);
    CHECK(c.sent.size() == 2);
    CHECK(c.sent[1].msg == "<13>2026-11-29 10:00:01 INFO fine");
}

TEST_CASE("carve: a record has the priority of its first line") {
    RecordCarver c(256, "^<");
    c.cfg.prio_prefix = true;
    CHECK(c.feed("<11>first\n\tsecond <14>\n<14>next\n", 0) == 23);
    CHECK(c.messages() == "<11>first#012\tsecond <14>");
    REQUIRE(c.sent.size() == 1);
    CHECK(c.sent[0].pri == 11);
}

TEST_CASE("carve: the rules judge the whole record") {
    RecordCarver c(256, "^[0-9]");
    Rules rules;
    std::string err;
    REQUIRE(rules.add(Options::Rule{Options::Rule::match, "Exception", 11}, &err));
    REQUIRE(rules.add(Options::Rule{Options::Rule::exclude, "DEBUG", 0}, &err));
    c.cfg.rules = &rules;
    std::string text = "1 a\n Exception\n2 DEBUG\n x\n3 ok\n";
    CHECK(c.feed(text, 0, true) == text.size());
    CHECK(c.messages() == "<11>1 a#012 Exception|<13>3 ok");
    CHECK(c.ends() == "15,31");
}

TEST_CASE("carve: a record longer than size is split, the pieces cover it once") {
    RecordCarver c(16, "^E");
    std::string text = "E 0123456789\n abcdefghij\nE next\n";
    CHECK(c.feed(text, 0) == 25);
    CHECK(c.messages() == "<13>E 0123456789#012|<13> abcdefghij");
    std::string joined;
    for (const Sent& s : c.sent)
        joined += s.msg.substr(4);
    CHECK(joined == "E 0123456789#012 abcdefghij");
    CHECK(c.ends() == "13,25");
}

TEST_CASE("carve: --truncate keeps a record's first piece and drops the rest") {
    RecordCarver c(8, "^E");
    c.cfg.truncate = true;
    std::string text = "E 0123456789\n abc\n def\nE x\n";
    CHECK(c.feed(text, 0) == 23);
    CHECK(c.messages() == "<13>E 012345");
    // The rest was dropped up to the next start line, across calls too.
    RecordCarver d(8, "^E");
    d.cfg.truncate = true;
    CHECK(d.feed("E 0123456789\n a", 0) == 13);  // " a" may start a record: wait
    CHECK(d.st.skipping);
    CHECK(d.feed(" abc\n def\nE x\n", 13) == 10);
    CHECK_FALSE(d.st.skipping);
    CHECK(d.feed("E x\n", 23, true) == 4);
    CHECK(d.messages() == "<13>E 012345|<13>E x");
}

TEST_CASE("carve: a record open at the end of the buffer consumes nothing") {
    RecordCarver c(256, "^E");
    CHECK(c.feed("E a\n b\n", 0) == 0);
    CHECK(c.feed("E a\n b\n c", 0) == 0);
    CHECK(c.feed("E a\n b\n c\nE", 0) == 0);  // "E" may be "Ex": wait for its LF
    CHECK(c.feed("E a\n b\n c\nE\n", 0) == 10);
    CHECK(c.messages() == "<13>E a#012 b#012 c");
}

TEST_CASE("carve: a piece that ends at a line's end lets the next line start a record") {
    RecordCarver c(8, "^E");
    c.cfg.truncate = true;
    CHECK(c.feed("E 0123456789\nE", 0) == 13);  // cut; "E" not judged yet
    CHECK(c.st.skipping);
    CHECK(c.feed("Ex\n", 13, true) == 3);
    CHECK(c.messages() == "<13>E 012345|<13>Ex");
    RecordCarver d(7, "^E");  // "E a" and "#012" fill the first piece
    CHECK(d.feed("E a\n b\nE", 0) == 4);
    CHECK(d.feed(" b\nEx\n", 4, true) == 6);
    CHECK(d.messages() == "<13>E a#012|<13> b|<13>Ex");
}

TEST_CASE("carve: any split of records into two chunks gives the same messages") {
    std::string text = kJava + "\tat x\n" + kJava + "tail";
    RecordCarver whole(40, "^[0-9]{4}-");
    REQUIRE(whole.feed(text, 0, true) == text.size());
    for (size_t cut = 0; cut <= text.size(); ++cut) {
        RecordCarver c(40, "^[0-9]{4}-");
        size_t used = c.feed(text.substr(0, cut), 0);
        CHECK(c.feed(text.substr(used), int64_t(used), true) == text.size() - used);
        CAPTURE(cut);
        CHECK(describe(c.sent) == describe(whole.sent));
    }
}

}  // namespace t2s

namespace t2s {

TEST_CASE("carve: records cut by -S or --truncate: any split into two chunks gives the same") {
    const std::string text = "E one two three\n a\n bbbbbbbbbbbbbbbbbbbb\nE\nEx\n c\n\nE last\n d";
    for (size_t size : {8, 11, 16, 40}) {
        for (bool truncate : {false, true}) {
            RecordCarver whole(size, "^E");
            whole.cfg.truncate = truncate;
            REQUIRE(whole.feed(text, 0, true) == text.size());
            for (size_t cut = 0; cut <= text.size(); ++cut) {
                RecordCarver c(size, "^E");
                c.cfg.truncate = truncate;
                size_t used = c.feed(text.substr(0, cut), 0);
                // What was held comes again, with the rest.
                size_t more = c.feed(text.substr(used), int64_t(used), true);
                CAPTURE(size);
                CAPTURE(truncate);
                CAPTURE(cut);
                CHECK(used + more == text.size());
                // As for lines: a truncated piece's src_end is where the
                // bytes then read ended.
                CHECK(describe(c.sent, !truncate) == describe(whole.sent, !truncate));
            }
        }
    }
}

}  // namespace t2s

namespace t2s {

TEST_CASE("carve: records split by -S: any split into three chunks gives the same") {
    const std::string text = "E one two three\n a\n bbbbbbbbbbbbbbbbbbbb\nE\nEx\n c\n\nE last\n d";
    for (size_t size : {8, 11}) {
        RecordCarver whole(size, "^E");
        REQUIRE(whole.feed(text, 0, true) == text.size());
        for (size_t a = 0; a <= text.size(); ++a) {
            for (size_t b = a; b <= text.size(); ++b) {
                RecordCarver c(size, "^E");
                size_t done = c.feed(text.substr(0, a), 0);
                done += c.feed(text.substr(done, b - done), int64_t(done));
                done += c.feed(text.substr(done), int64_t(done), true);
                CAPTURE(size);
                CAPTURE(a);
                CAPTURE(b);
                CHECK(done == text.size());
                CHECK(describe(c.sent) == describe(whole.sent));
            }
        }
    }
}

}  // namespace t2s

namespace t2s {

TEST_CASE("carve: in a record of CRLF lines only the last CR goes") {
    RecordCarver c(256, "^E$");
    CHECK(c.feed("E\r\n a\r\nE\r\n", 0) == 7);
    CHECK(c.messages() == "<13>E#015#012 a");
}

}  // namespace t2s
