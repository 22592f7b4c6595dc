// resend_test -- ResendBook: what a stream transport writes again, and
// where a new connection starts, after every kind of break.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "resend.h"

namespace t2s {

namespace {

// message -- message number i, framed; tags are i too.
std::string message(int i, bool octet) {
    std::string m = "<13>Nov 29 17:18:44 vm app: line " + std::to_string(i) +
                    std::string(size_t(i % 7), 'x');
    return octet ? std::to_string(m.size()) + " " + m : m + "\n";
}

// Parsed -- what one connection carried, cut into messages.
struct Parsed {
    std::vector<int> numbers;  // the messages, in order
    bool garbled = false;      // a byte that is not where a message belongs
    bool cut = false;          // ends inside a message
};

// number -- the line number of an unframed message, or -1
int number(const std::string& m) {
    const std::string head = "<13>Nov 29 17:18:44 vm app: line ";
    if (m.compare(0, head.size(), head) != 0)
        return -1;
    size_t p = head.size();
    int n = 0;
    if (p >= m.size() || m[p] < '0' || m[p] > '9')
        return -1;
    while (p < m.size() && m[p] >= '0' && m[p] <= '9')
        n = n * 10 + (m[p++] - '0');
    return m.substr(p) == std::string(size_t(n % 7), 'x') ? n : -1;
}

Parsed parse(const std::string& wire, bool octet) {
    Parsed out;
    size_t at = 0;
    while (at < wire.size()) {
        std::string m;
        if (octet) {
            size_t sp = wire.find(' ', at);
            if (sp == std::string::npos || sp == at) {
                out.cut = wire.find_first_not_of("0123456789", at) == std::string::npos;
                out.garbled = !out.cut;
                return out;
            }
            size_t len = std::stoul(wire.substr(at, sp - at));
            if (wire.find_first_not_of("0123456789", at) != sp) {
                out.garbled = true;
                return out;
            }
            if (sp + 1 + len > wire.size()) {
                out.cut = true;
                return out;
            }
            m = wire.substr(sp + 1, len);
            at = sp + 1 + len;
        } else {
            size_t lf = wire.find('\n', at);
            if (lf == std::string::npos) {
                out.cut = true;
                return out;
            }
            m = wire.substr(at, lf - at);
            at = lf + 1;
        }
        int n = number(m);
        if (n < 0) {
            out.garbled = true;
            return out;
        }
        out.numbers.push_back(n);
    }
    return out;
}

// Wire -- a test double of the sockets: the bytes each connection carried.
struct Wire {
    std::vector<std::string> conns;

    void connect(ResendBook* book) {
        book->connected();
        conns.emplace_back();
    }
    // write -- writes up to max bytes of what is queued, in pieces of at
    // most piece bytes; returns how many
    size_t write(ResendBook* book, size_t max, size_t piece = 1 << 20) {
        size_t done = 0;
        const char* p;
        size_t n;
        while (done < max && (n = book->chunk(&p, false)) > 0) {
            n = n < max - done ? n : max - done;
            n = n < piece ? n : piece;
            conns.back().append(p, n);
            book->wrote(n);
            done += n;
        }
        return done;
    }
};

std::string all_of(int first, int last, bool octet) {
    std::string s;
    for (int i = first; i <= last; ++i)
        s += message(i, octet);
    return s;
}

void add_all(ResendBook* book, int first, int last, bool octet) {
    for (int i = first; i <= last; ++i) {
        std::string m = message(i, octet);
        REQUIRE(book->add(m.data(), m.size(), uint64_t(i)));
    }
}

}  // namespace

TEST_CASE("wrote: partial writes carry every byte once, in order") {
    for (bool octet : {false, true}) {
        ResendBook book(4096, 64, true);
        Wire wire;
        wire.connect(&book);
        add_all(&book, 1, 20, octet);
        for (size_t piece : {1, 3, 17, 100}) {
            wire.write(&book, 50, piece);
            CHECK(book.written() <= book.end());
        }
        wire.write(&book, 1 << 20, 7);
        CHECK(!book.pending());
        CHECK(wire.conns[0] == all_of(1, 20, octet));
        Parsed p = parse(wire.conns[0], octet);
        CHECK(!p.garbled);
        CHECK(!p.cut);
        CHECK(p.numbers.size() == 20);
    }
}

TEST_CASE("broken: a break at every byte restarts on a message boundary") {
    for (bool octet : {false, true}) {
        const std::string stream = all_of(1, 4, octet);
        for (Break why : {Break::closed, Break::reset, Break::local}) {
            for (size_t k = 0; k <= stream.size(); ++k) {
                CAPTURE(octet);
                CAPTURE(int(why));
                CAPTURE(k);
                ResendBook book(4096, 64, true);
                Wire wire;
                wire.connect(&book);
                add_all(&book, 1, 4, octet);
                wire.write(&book, k);
                book.confirm(k);  // all it got was acknowledged
                book.broken(why);
                CHECK(book.at_boundary());
                wire.connect(&book);
                wire.write(&book, 1 << 20);
                Parsed second = parse(wire.conns[1], octet);
                CHECK(!second.garbled);
                CHECK(!second.cut);
                // Together the two connections hold every message whole.
                Parsed first = parse(wire.conns[0], octet);
                std::vector<int> got = first.numbers;
                got.insert(got.end(), second.numbers.begin(), second.numbers.end());
                for (int i = 1; i <= 4; ++i)
                    CHECK(std::find(got.begin(), got.end(), i) != got.end());
                if (why == Break::reset)
                    CHECK(wire.conns[1] == stream);  // all again
            }
        }
    }
}

TEST_CASE("broken: an orderly close resends from the first unconfirmed message") {
    ResendBook book(4096, 64, true);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 5, false);
    size_t m1 = message(1, false).size(), m2 = message(2, false).size();
    wire.write(&book, 1 << 20);
    book.confirm(m1 + m2);  // two whole messages confirmed
    uint64_t again = book.broken(Break::closed);
    CHECK(book.written() == m1 + m2);
    CHECK(again == book.end() - (m1 + m2));
    book.connected();
    book.confirm(book.end());  // a fresh connection starts unconfirmed
    CHECK(book.acked() == m1 + m2);
    // Confirmed into the middle of message 3: message 3 again, whole.
    book.wrote(0);
    wire.connect(&book);
    wire.write(&book, 1 << 20);
    book.confirm(book.conn_start() + 5);
    book.broken(Break::closed);
    CHECK(book.written() == m1 + m2);
    // Everything confirmed: nothing again.
    wire.connect(&book);
    wire.write(&book, 1 << 20);
    book.confirm(book.end());
    CHECK(book.broken(Break::closed) == 0);
    CHECK(book.written() == book.end());
}

TEST_CASE("broken: without confirmations a close resends the whole connection") {
    ResendBook book(4096, 64, false);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 3, true);
    wire.write(&book, 1 << 20);
    uint64_t first_end = book.end();
    CHECK(book.broken(Break::closed) == first_end);
    CHECK(book.written() == 0);
    wire.connect(&book);
    wire.write(&book, 1 << 20);
    add_all(&book, 4, 5, true);
    // A break of the second connection goes back to its own start, not
    // to what the first one carried before it.
    uint64_t start2 = book.written();
    wire.write(&book, 1 << 20);
    CHECK(book.conn_start() == 0);
    (void)start2;
    book.broken(Break::local);
    CHECK(book.written() == book.end());  // at a boundary: stays
    wire.connect(&book);
    add_all(&book, 6, 6, true);
    wire.write(&book, 1 << 20);
    book.broken(Break::reset);
    CHECK(book.written() == first_end + message(4, true).size() + message(5, true).size());
}

TEST_CASE("broken: a reset resends what this connection carried, not earlier ones") {
    ResendBook book(4096, 64, true);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 3, false);
    wire.write(&book, 1 << 20);
    book.confirm(book.end());
    book.broken(Break::closed);  // the receiver read all three
    uint64_t second = book.written();
    CHECK(second == book.end());
    wire.connect(&book);
    add_all(&book, 4, 6, false);
    wire.write(&book, 1 << 20);
    book.confirm(book.end());
    CHECK(book.broken(Break::reset) == book.end() - second);
    CHECK(book.written() == second);
}

TEST_CASE("broken_from: from the message that holds a position, within what was written") {
    ResendBook book(4096, 64, true);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 5, false);
    size_t m1 = message(1, false).size(), m2 = message(2, false).size();
    wire.write(&book, 1 << 20);
    book.confirm(book.end());
    // A byte inside message 3 (the slack for what the receiver took last
    // reaches into it): message 3 again, whole, and all after it.
    uint64_t written = book.written();
    CHECK(book.broken_from(m1 + m2 + 3) == written - (m1 + m2));
    CHECK(book.written() == m1 + m2);
    CHECK(book.acked() == m1 + m2);
    CHECK(book.conn_start() == m1 + m2);
    wire.connect(&book);
    wire.write(&book, 1 << 20);
    CHECK(parse(wire.conns[1], false).numbers == std::vector<int>{3, 4, 5});
    // Past what was written: nothing again.
    CHECK(book.broken_from(book.end() + 100) == 0);
    CHECK(book.written() == book.end());
}

TEST_CASE("broken_from: not before the oldest message held") {
    const size_t cap = 3 * message(10, false).size() + 5;
    ResendBook book(cap, 64, true);
    Wire wire;
    wire.connect(&book);
    for (int i = 10; i < 20; ++i) {
        add_all(&book, i, i, false);
        wire.write(&book, 1 << 20);
    }
    book.broken_from(0);
    CHECK(book.written() == book.held_from());
    wire.connect(&book);
    wire.write(&book, 1 << 20);
    Parsed p = parse(wire.conns[1], false);
    CHECK(!p.garbled);
    REQUIRE(!p.numbers.empty());
    CHECK(p.numbers.back() == 19);
}

TEST_CASE("add: the ring wraps; what was overwritten is not resent") {
    for (bool octet : {false, true}) {
        const size_t cap = 3 * message(10, octet).size() + 5;
        ResendBook book(cap, 64, true);
        Wire wire;
        wire.connect(&book);
        for (int i = 10; i < 40; ++i) {
            add_all(&book, i, i, octet);
            wire.write(&book, 1 << 20, 11);
            book.confirm(book.written());
        }
        CHECK(wire.conns[0] == all_of(10, 39, octet));
        // A reset goes back to the oldest message wholly held: 37 or 38.
        book.broken(Break::reset);
        CHECK(book.written() >= book.end() - cap);
        CHECK(book.held_from() == book.written());
        wire.connect(&book);
        wire.write(&book, 1 << 20, 5);
        Parsed p = parse(wire.conns[1], octet);
        CHECK(!p.garbled);
        CHECK(!p.cut);
        REQUIRE(!p.numbers.empty());
        CHECK(p.numbers.back() == 39);
        CHECK(p.numbers.size() >= 2);
    }
}

TEST_CASE("add: more messages than marks") {
    ResendBook book(4096, 4, true);
    Wire wire;
    wire.connect(&book);
    for (int i = 1; i <= 10; ++i) {
        add_all(&book, i, i, false);
        wire.write(&book, 1 << 20);
    }
    CHECK(book.marks() == 4);
    CHECK(book.held_from() == all_of(1, 6, false).size());
    book.broken(Break::reset);  // as far back as the marks reach
    CHECK(book.written() == all_of(1, 6, false).size());
    // Four unwritten messages fill the table; a fifth would drop the start
    // of one not written yet.
    ResendBook full(4096, 4, true);
    add_all(&full, 1, 4, false);
    std::string m = message(5, false);
    CHECK(!full.room(m.size(), 1));
    CHECK(!full.add(m.data(), m.size(), 5));
    CHECK(full.end() == all_of(1, 4, false).size());
    // Once the first is written whole, its mark may go; room() waits
    // until it is confirmed too.
    Wire w2;
    w2.connect(&full);
    w2.write(&full, 3);
    CHECK(!full.add(m.data(), m.size(), 5));  // message 1 is being written
    w2.write(&full, message(1, false).size());
    CHECK(!full.room(m.size(), 1));
    full.confirm(full.written());
    CHECK(full.room(m.size(), 1));
    CHECK(full.add(m.data(), m.size(), 5));
    CHECK(full.held_from() == message(1, false).size());
}

TEST_CASE("room: keeps unconfirmed bytes (the --all lag bound)") {
    const std::string m = message(1, false);
    ResendBook book(10 * m.size(), 64, true);
    Wire wire;
    wire.connect(&book);
    int queued = 0;
    while (book.room(m.size(), 1)) {
        REQUIRE(book.add(m.data(), m.size(), 1));
        ++queued;
    }
    CHECK(queued == 10);
    wire.write(&book, 1 << 20);
    CHECK(!book.room(m.size(), 1));  // written, but not confirmed
    book.confirm(3 * m.size() + 2);  // into the fourth message
    CHECK(book.room(3 * m.size(), 3));
    CHECK(!book.room(4 * m.size(), 4));
    // add itself protects only what is not written yet
    CHECK(book.add(m.data(), m.size(), 1));
    ResendBook unknown(10 * m.size(), 64, false);
    for (int i = 0; i < 10; ++i)
        REQUIRE(unknown.add(m.data(), m.size(), 1));
    CHECK(!unknown.room(m.size(), 1));  // not written yet
    Wire w2;
    w2.connect(&unknown);
    w2.write(&unknown, 1 << 20);
    CHECK(unknown.room(m.size(), 1));  // nothing to wait for
}

TEST_CASE("add: a batch at once queues what one by one would, with its tags") {
    for (bool octet : {false, true}) {
        Framing framing = octet ? Framing::octet : Framing::lf;
        Batch batch(4096);
        for (int i = 1; i <= 6; ++i) {
            // message(i) is "<13>...: line I" + x's, framed: rebuild it
            std::string m = message(i, false);
            m.pop_back();  // the LF
            Batch::Item item = {0, int64_t(100 * i), 13, nullptr};
            batch.add(framing, m.data(), m.size(), "", 0, 0, item);
        }
        ResendBook whole(4096, 64, true), single(4096, 64, true);
        CHECK(whole.add(batch, 0) == 6);
        add_all(&single, 1, 6, octet);
        CHECK(whole.end() == single.end());
        CHECK(whole.marks() == 6);
        Wire a, b;
        a.connect(&whole);
        b.connect(&single);
        a.write(&whole, 1 << 20);
        b.write(&single, 1 << 20);
        CHECK(a.conns[0] == b.conns[0]);
        whole.broken(Break::reset);
        uint64_t tag = 0;
        REQUIRE(whole.at_risk_tag(&tag));
        CHECK(tag == 100);
        // From the middle of the batch on, into a ring that takes only
        // some: as many as fit, the rest left.
        ResendBook small(message(4, octet).size() + message(5, octet).size() + 1, 64, true);
        CHECK(small.add(batch, 3) == 2);
        CHECK(small.marks() == 2);
        REQUIRE(small.at_risk_tag(&tag));
        CHECK(tag == 400);
        CHECK(small.add(batch, 6) == 0);
    }
}

TEST_CASE("add: never drops a byte not written") {
    const std::string m = message(2, true);
    ResendBook book(5 * m.size() + 3, 64, false);
    int n = 0;
    while (book.add(m.data(), m.size(), 2))
        ++n;
    CHECK(n == 5);
    Wire wire;
    wire.connect(&book);
    wire.write(&book, m.size() - 1);  // the first message, but its last byte
    CHECK(!book.add(m.data(), m.size(), 2));
    wire.write(&book, 1);
    CHECK(book.add(m.data(), m.size(), 2));  // overwrites only the first
    CHECK(book.held_from() == m.size());
    CHECK(!book.add("", 0, 2));
    CHECK(!book.add(std::string(6 * m.size(), 'x').data(), 6 * m.size(), 2));
}

TEST_CASE("chunk: stops at the end of the message when asked") {
    ResendBook book(4096, 8, true);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 3, false);
    wire.write(&book, 4);
    const char* p;
    size_t n = book.chunk(&p, true);
    CHECK(std::string(p, n) == message(1, false).substr(4));
    CHECK(book.chunk(&p, false) == book.end() - 4);
    book.wrote(n);
    CHECK(book.at_boundary());
    CHECK(book.chunk(&p, true) == message(2, false).size());
}

TEST_CASE("chunk: follows a message round the end of the ring") {
    ResendBook book(50, 8, true);  // message 2 wraps round
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 1, false);
    wire.write(&book, 1 << 20);
    add_all(&book, 2, 2, false);
    wire.write(&book, 4);
    std::string rest;
    const char* p;
    size_t n;
    int pieces = 0;
    while ((n = book.chunk(&p, true)) > 0) {
        rest.append(p, n);
        book.wrote(n);
        ++pieces;
    }
    CHECK(pieces == 2);
    CHECK(rest == message(2, false).substr(4));
    CHECK(book.at_boundary());
    CHECK(wire.conns[0] + rest == all_of(1, 2, false));
}

TEST_CASE("truncate: forgets messages from a boundary on") {
    ResendBook book(4096, 64, true);
    Wire wire;
    wire.connect(&book);
    add_all(&book, 1, 4, false);
    size_t m1 = message(1, false).size(), m2 = message(2, false).size();
    wire.write(&book, m1 + 2);
    CHECK(!book.truncate(m1));           // before written()
    CHECK(!book.truncate(m1 + m2 - 1));  // not a boundary
    CHECK(book.truncate(m1 + m2));
    CHECK(book.end() == m1 + m2);
    CHECK(book.marks() == 2);
    add_all(&book, 3, 3, false);
    wire.write(&book, 1 << 20);
    CHECK(wire.conns[0] == all_of(1, 3, false));
}

TEST_CASE("at_risk_tag: the oldest message a reset would resend") {
    ResendBook book(4096, 64, true);
    uint64_t tag = 0;
    CHECK(!book.at_risk_tag(&tag));
    Wire wire;
    wire.connect(&book);
    add_all(&book, 7, 9, false);
    REQUIRE(book.at_risk_tag(&tag));
    CHECK(tag == 7);
    wire.write(&book, 1 << 20);
    book.confirm(book.end());
    book.broken(Break::closed);  // delivered
    CHECK(!book.at_risk_tag(&tag));
    wire.connect(&book);
    add_all(&book, 10, 11, false);
    REQUIRE(book.at_risk_tag(&tag));
    CHECK(tag == 10);
}

TEST_CASE("risk_from: what the peer confirmed less its window, not before the connection") {
    ResendBook book(1 << 16, 1024, true);
    std::string m(100, 'x');
    for (int i = 0; i < 100; ++i)
        REQUIRE(book.add(m.data(), m.size(), uint64_t(i)));
    const char* p;
    size_t n;
    while ((n = book.chunk(&p, false)) > 0)
        book.wrote(n);
    CHECK(book.risk_from(1000) == 0);  // confirmed nothing: the connection's start
    book.confirm(8000);
    CHECK(book.risk_from(1000) == 7000);
    CHECK(book.risk_from(9000) == 0);
    book.broken(Break::local);  // at a boundary: the next connection starts at 10000
    book.connected();
    CHECK(book.risk_from(1000) == 10000);
    SUBCASE("without confirmations: what was written less the window") {
        ResendBook blind(1 << 16, 1024, false);
        for (int i = 0; i < 100; ++i)
            REQUIRE(blind.add(m.data(), m.size(), uint64_t(i)));
        while ((n = blind.chunk(&p, false)) > 0)
            blind.wrote(n);
        blind.confirm(9000);
        CHECK(blind.risk_from(1000) == 9000);
    }
}

TEST_CASE("forget: drops what is held, written or not; the next connection starts after it") {
    ResendBook book(4096, 64, true);
    std::string m(100, 'x');
    for (int i = 0; i < 10; ++i)
        REQUIRE(book.add(m.data(), m.size(), uint64_t(i)));
    const char* p;
    book.wrote(book.chunk(&p, false) / 2);
    book.forget();
    CHECK(!book.pending());
    CHECK(book.marks() == 0);
    CHECK(book.conn_start() == 1000);
    CHECK(book.at_boundary());
    uint64_t tag;
    CHECK(!book.at_risk_tag(&tag));
    REQUIRE(book.add(m.data(), m.size(), 10));
    CHECK(book.chunk(&p, false) == 100);
}

TEST_CASE("Stretches: a new stretch per source change and per granule") {
    Stretches s(16, 1000);
    s.note(0, Origin{1, 0});
    s.note(400, Origin{1, 40});     // same source, within the granule
    s.note(1000, Origin{1, 100});   // a granule on: a new one
    s.note(1200, Origin{2, 7});     // another source
    s.note(1300, Origin{1, 130});
    CHECK(s.size() == 4);
    std::vector<Origin> out;
    SUBCASE("from inside the first: each source's oldest, in stream order") {
        CHECK(s.oldest_from(500, &out));
        REQUIRE(out.size() == 2);
        CHECK(out[0].source == 1);
        CHECK(out[0].offset == 0);  // the stretch holding 500 began at 0
        CHECK(out[1].source == 2);
        CHECK(out[1].offset == 7);
    }
    SUBCASE("from a later stretch: earlier ones of the same source do not count") {
        CHECK(s.oldest_from(1250, &out));
        REQUIRE(out.size() == 2);
        CHECK(out[0].source == 2);
        CHECK(out[1].source == 1);
        CHECK(out[1].offset == 130);
    }
    SUBCASE("forget_before keeps the stretch that holds pos") {
        s.forget_before(1100);
        CHECK(s.size() == 3);
        CHECK(s.oldest_from(0, &out));
        CHECK(out[0].offset == 100);
        s.forget_before(5000);
        CHECK(s.size() == 1);  // the last stretch has no known end
    }
}

TEST_CASE("Stretches: a source read again from further back starts a stretch") {
    // A line queued after a break, and then the lines before it, read again
    // once the file was rewound: a later break must go back to the first
    // of them, not to the line that went ahead (t_hard_peers lost 16 of 20).
    Stretches s(16, 1000);
    s.note(0, Origin{1, 8});
    s.note(36, Origin{1, 0});  // the rewound file: back to 0
    s.note(72, Origin{1, 8});
    CHECK(s.size() == 2);
    std::vector<Origin> out;
    CHECK(s.oldest_from(0, &out));
    REQUIRE(out.size() == 1);
    CHECK(out[0].offset == 0);
}

TEST_CASE("Stretches: a stretch that cannot be read again, and dropped ones") {
    Stretches s(3, 1000);
    std::vector<Origin> out;
    s.note(0, Origin{0, 0});  // standard input
    s.note(100, Origin{1, 0});
    CHECK(!s.oldest_from(0, &out));
    out.clear();
    CHECK(s.oldest_from(100, &out));  // past it: fine
    REQUIRE(out.size() == 1);
    s.note(200, Origin{2, 0});
    s.note(300, Origin{3, 0});  // the oldest is dropped for room
    out.clear();
    // From the oldest held: standard input's stretch is gone, and so is
    // the reason to refuse.
    CHECK(s.oldest_from(0, &out));
    REQUIRE(out.size() == 3);
    CHECK(out[0].source == 1);
    out.clear();
    CHECK(s.oldest_from(150, &out));
    REQUIRE(out.size() == 3);
    CHECK(out[0].source == 1);  // 150 lies in source 1's stretch
}

TEST_CASE("tag_before: the message before a boundary, while held") {
    ResendBook book(4096, 64, true);
    std::string m(100, 'x');
    for (int i = 0; i < 5; ++i)
        REQUIRE(book.add(m.data(), m.size(), uint64_t(1000 + i)));
    uint64_t pos = 0, tag = 0;
    REQUIRE(book.tag_before(300, &pos, &tag));
    CHECK(pos == 200);
    CHECK(tag == 1002);
    CHECK(!book.tag_before(0, &pos, &tag));    // the oldest held: none before
    CHECK(!book.tag_before(250, &pos, &tag));  // not a boundary
    CHECK(!book.tag_before(500, &pos, &tag));  // the end: no message starts there
}

TEST_CASE("Stretches::holding: the stretch a position lies in") {
    Stretches s(16, 1000);
    uint64_t start = 0;
    Origin o;
    CHECK(!s.holding(0, &start, &o));
    s.note(100, Origin{1, 10});
    s.note(300, Origin{2, 0});
    CHECK(!s.holding(99, &start, &o));
    REQUIRE(s.holding(299, &start, &o));
    CHECK(start == 100);
    CHECK(o.source == 1);
    REQUIRE(s.holding(5000, &start, &o));
    CHECK(start == 300);
    CHECK(o.source == 2);
}

namespace {

// Rereading -- a book and its stretches fed together, as the stream
// transport feeds them: message i of source src holds file bytes
// [offset, offset + 10) and is 100 bytes on the wire.
struct Rereading {
    ResendBook book{1 << 16, 1024, true};
    Stretches stretches{64, 1000};
    void add(uint32_t src, int64_t offset) {
        std::string m(100, 'x');
        stretches.note(book.end(), Origin{src, offset});
        REQUIRE(book.add(m.data(), m.size(), uint64_t(offset + 10)));
    }
    std::vector<Origin> from(uint64_t pos) {
        std::vector<Origin> out;
        CHECK(reread_from(book, stretches, pos, &out));
        return out;
    }
};

}  // namespace

TEST_CASE("reread_from: the message a break went back to, not its stretch's start") {
    Rereading r;
    for (int i = 0; i < 8; ++i)  // 800 bytes: one stretch of source 1
        r.add(1, 10 * i);
    r.add(2, 500);
    r.add(1, 80);
    SUBCASE("inside a stretch: where the message there began in its file") {
        std::vector<Origin> out = r.from(450);  // message 4 holds 450
        REQUIRE(out.size() == 2);
        CHECK(out[0].source == 1);
        CHECK(out[0].offset == 40);
        CHECK(out[1].source == 2);
        CHECK(out[1].offset == 500);
    }
    SUBCASE("at a stretch's start: its origin") {
        std::vector<Origin> out = r.from(0);
        REQUIRE(out.size() == 2);
        CHECK(out[0].offset == 0);
    }
    SUBCASE("in a later stretch: the other sources from theirs") {
        std::vector<Origin> out = r.from(850);
        REQUIRE(out.size() == 2);
        CHECK(out[0].source == 2);
        CHECK(out[0].offset == 500);
        CHECK(out[1].source == 1);
        CHECK(out[1].offset == 80);
    }
    SUBCASE("the book no longer holds it: the stretch's start") {
        ResendBook small(300, 64, true);  // holds the last three messages
        std::string m(100, 'x');
        for (int i = 0; i < 8; ++i) {
            const char* p;
            size_t n;
            while ((n = small.chunk(&p, false)) > 0)
                small.wrote(n);
            REQUIRE(small.add(m.data(), m.size(), uint64_t(10 * i + 10)));
        }
        std::vector<Origin> out;
        CHECK(reread_from(small, r.stretches, 150, &out));
        REQUIRE(!out.empty());
        CHECK(out[0].offset == 0);
    }
}

TEST_CASE("reread_from: a source read again from further back keeps the lower offset") {
    Rereading r;
    for (int i = 0; i < 4; ++i)
        r.add(1, 100 + 10 * i);
    r.add(1, 50);  // the file rewound after a break: a stretch of its own
    r.add(1, 60);
    std::vector<Origin> out = r.from(250);
    REQUIRE(out.size() == 1);
    CHECK(out[0].offset == 50);
}

TEST_CASE("reread_from: standard input cannot be read again") {
    Rereading r;
    r.add(0, 0);
    r.add(0, 10);
    std::vector<Origin> out;
    CHECK(!reread_from(r.book, r.stretches, 150, &out));
}

TEST_CASE("Intake: what the receiver took from a given time on") {
    Intake in;
    in.start(1000, 5000);
    CHECK(in.since(900) == 0);
    // 1,000 bytes every 10 ms for a second.
    for (int t = 1; t <= 100; ++t)
        in.note(1000 + 10 * t, 5000 + 1000 * uint64_t(t));
    // The last 100 ms hold 10,000 bytes; a step (20 ms) more at most.
    CHECK(in.since(1900) >= 10000);
    CHECK(in.since(1900) <= 12000);
    CHECK(in.since(1800) >= 20000);
    CHECK(in.since(1800) <= 22000);
    CHECK(in.since(2001) == 0);  // nothing confirmed after the last
    // Further back than the ring reaches: all since the start, never less.
    CHECK(in.since(0) == 100000);
    SUBCASE("a pause: only what came after it") {
        in.note(60000, 106000);  // one more message a minute later
        CHECK(in.since(59900) >= 1000);
        CHECK(in.since(59900) <= 2000);
        CHECK(in.since(60001) == 0);
    }
    SUBCASE("nothing new confirmed changes nothing") {
        uint64_t before = in.since(1900);
        in.note(3000, 105000);
        in.note(3000, 100);
        CHECK(in.since(1900) == before);
    }
    SUBCASE("a young connection: all it took") {
        in.start(9000, 200000);
        in.note(9010, 200500);
        CHECK(in.since(8910) == 500);
    }
}

TEST_CASE("merge_origin: one per source, the lowest offset") {
    std::vector<Origin> list;
    merge_origin(&list, Origin{1, 50});
    merge_origin(&list, Origin{2, 10});
    merge_origin(&list, Origin{1, 20});
    merge_origin(&list, Origin{1, 90});
    REQUIRE(list.size() == 2);
    CHECK(list[0].offset == 20);
    CHECK(list[1].offset == 10);
}

TEST_CASE("broken: random breaks never garble a connection nor lose a held message") {
    std::mt19937 rng(20261129);
    for (bool octet : {false, true}) {
        for (int round = 0; round < 200; ++round) {
            CAPTURE(octet);
            CAPTURE(round);
            bool acks = round % 2 == 0;
            ResendBook book(1 << 16, 1 << 12, acks);  // big enough to hold all
            Wire wire;
            wire.connect(&book);
            std::vector<int> delivered;  // what the receiver took in
            int next = 1;
            for (int step = 0; step < 60; ++step) {
                switch (rng() % 5) {
                case 0:
                case 1: {
                    int k = int(rng() % 4) + 1;
                    for (int i = 0; i < k; ++i, ++next) {
                        std::string m = message(next, octet);
                        REQUIRE(book.add(m.data(), m.size(), uint64_t(next)));
                    }
                    break;
                }
                case 2:
                    wire.write(&book, rng() % 200, rng() % 40 + 1);
                    if (acks)
                        book.confirm(book.conn_start() +
                                     rng() % (book.written() - book.conn_start() + 1));
                    break;
                default: {
                    // The receiver keeps what it read; after a reset only
                    // what it read before the last confirmation may be
                    // gone -- it kept a random prefix of this connection.
                    Break why = rng() % 2 ? Break::closed : Break::reset;
                    std::string& c = wire.conns.back();
                    size_t kept = c.size();
                    if (why == Break::reset)
                        kept = rng() % (c.size() + 1);
                    else if (acks)
                        kept = size_t(book.acked() - book.conn_start());
                    Parsed p = parse(c.substr(0, kept), octet);
                    CHECK(!p.garbled);
                    delivered.insert(delivered.end(), p.numbers.begin(), p.numbers.end());
                    book.broken(why);
                    CHECK(book.at_boundary());
                    wire.connect(&book);
                    break;
                }
                }
            }
            wire.write(&book, 1 << 20);
            Parsed last = parse(wire.conns.back(), octet);
            CHECK(!last.garbled);
            CHECK(!last.cut);
            delivered.insert(delivered.end(), last.numbers.begin(), last.numbers.end());
            for (int i = 1; i < next; ++i)
                CHECK(std::find(delivered.begin(), delivered.end(), i) != delivered.end());
        }
    }
}

}  // namespace t2s
