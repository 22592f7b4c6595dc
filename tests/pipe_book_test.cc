// pipe_book_test -- PipeBook: what a logger child is given again after it
// exits, what is kept until it has read it, and the ring underneath.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pipe_book.h"

namespace t2s {

namespace {

const size_t kMsg = 1000;  // the size of msg(i)

// msg -- message i: kMsg bytes, "i " then x's, ending in a newline.
std::string msg(int i) {
    std::string m = std::to_string(i) + " ";
    m.resize(kMsg - 1, 'x');
    return m + "\n";
}

// origin -- where message i "came from": source 1, offset i * kMsg.
Origin origin(int i) {
    Origin o;
    o.source = 1;
    o.offset = int64_t(i) * int64_t(kMsg);
    return o;
}

// add -- messages first..last (inclusive) kept; room() must say yes.
void add(PipeBook* b, int first, int last) {
    for (int i = first; i <= last; ++i) {
        std::string m = msg(i);
        REQUIRE(b->room(m.size()));
        b->add(m.data(), m.size(), origin(i));
    }
}

// write_all -- pending bytes "written into the pipe", in chunks, at most
// most of them; returns them.
std::string write_all(PipeBook* b, size_t most = SIZE_MAX) {
    std::string out;
    const char* p;
    size_t n;
    while (out.size() < most && (n = b->chunk(&p)) > 0) {
        if (n > most - out.size())
            n = most - out.size();
        out.append(p, n);
        b->wrote(n);
    }
    return out;
}

// oldest -- the offset oldest() gives, -1 for none.
int64_t oldest(const PipeBook& b, bool stopping) {
    Origin o;
    return b.oldest(stopping, &o) ? o.offset : -1;
}

}  // namespace

TEST_CASE("room: a message is refused while the ring holds unsent bytes") {
    PipeBook b(10, 8);
    b.add("abcd", 4, origin(0));
    b.add("efg\n", 4, origin(1));
    CHECK(b.room(2));
    CHECK_FALSE(b.room(3));
    CHECK(write_all(&b) == "abcdefg\n");
    // Written is not read: still kept, still no room.
    CHECK_FALSE(b.room(3));
    b.read_to(8);  // read, but within kReaderHold of the end: still kept
    CHECK_FALSE(b.room(3));
    CHECK(b.kept());
}

TEST_CASE("add: the ring wraps; chunk gives each byte once, in two pieces") {
    PipeBook b(10, 8);
    b.add("abcd", 4, origin(0));
    b.add("efgh", 4, origin(1));
    CHECK(write_all(&b) == "abcdefgh");
    b.started();  // a new child: what is before it no longer counts
    CHECK_FALSE(b.kept());
    REQUIRE(b.room(6));
    b.add("ijklm\n", 6, origin(2));
    CHECK(b.pending());
    const char* p;
    REQUIRE(b.chunk(&p) == 2);  // up to the ring's end
    CHECK(std::string(p, 2) == "ij");
    b.wrote(1);  // a short write
    REQUIRE(b.chunk(&p) == 1);
    CHECK(*p == 'j');
    b.wrote(1);
    REQUIRE(b.chunk(&p) == 4);  // from the ring's start
    CHECK(std::string(p, 4) == "klm\n");
    b.wrote(4);
    CHECK(b.chunk(&p) == 0);
    CHECK_FALSE(b.pending());
    CHECK(b.written() == 14);
}

TEST_CASE("room: marks running out refuse a message the bytes would fit") {
    PipeBook b(1000, 3);
    b.add("a", 1, origin(0));
    b.add("b", 1, origin(1));
    CHECK(b.room(1));
    b.add("c", 1, origin(2));
    CHECK_FALSE(b.room(1));
    CHECK_FALSE(b.room(0));
    CHECK(write_all(&b) == "abc");
    CHECK_FALSE(b.room(1));  // written, not read
    b.started();
    CHECK(b.room(1));
    // The marks wrap too: three more, then the oldest is still right.
    b.add("d", 1, origin(3));
    b.add("e", 1, origin(4));
    b.add("f", 1, origin(5));
    CHECK_FALSE(b.room(1));
    CHECK(oldest(b, true) == origin(3).offset);
    CHECK(write_all(&b) == "def");
}

TEST_CASE("read_to: drops only messages wholly before read less kReaderHold") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 19);
    write_all(&b);
    b.read_to(kReaderHold);  // nothing is kReaderHold behind
    CHECK(oldest(b, true) == 0);
    b.read_to(kReaderHold + 2 * kMsg);  // messages 0 and 1 end there
    CHECK(oldest(b, true) == 2 * int64_t(kMsg));
    b.read_to(kReaderHold + 3 * kMsg - 1);  // message 2 ends a byte later
    CHECK(oldest(b, true) == 2 * int64_t(kMsg));
    b.read_to(kReaderHold + 3 * kMsg);
    CHECK(oldest(b, true) == 3 * int64_t(kMsg));
}

TEST_CASE("read_to: never past what was written") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 19);
    write_all(&b, 5500);  // a short write
    CHECK(b.written() == 5500);
    b.read_to(UINT64_MAX);  // taken as 5500: nothing is far enough behind
    CHECK(oldest(b, true) == 0);
    CHECK(oldest(b, false) == 5 * int64_t(kMsg));  // holds byte 5500
    write_all(&b);
    b.read_to(UINT64_MAX);  // all 20000 read: kept from 20000 - kReaderHold
    CHECK(oldest(b, true) == 11 * int64_t(kMsg));
    CHECK(oldest(b, false) == -1);  // none is unread
    CHECK(b.kept());
}

TEST_CASE("rewind: exit 0 gives again from the message holding the first unread byte") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 19);
    write_all(&b);
    b.read_to(5500);
    CHECK(b.rewind(false) == 20 * kMsg - 5 * kMsg);
    CHECK(b.written() == 5 * kMsg);
    CHECK(b.pending());
    std::string again = write_all(&b);
    CHECK(again.size() == 15 * kMsg);
    CHECK(again.compare(0, kMsg, msg(5)) == 0);
    CHECK(again.compare(again.size() - kMsg, kMsg, msg(19)) == 0);
}

TEST_CASE("rewind: exit 0 at a boundary, and with everything read") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 19);
    write_all(&b);
    b.read_to(6 * kMsg);  // message 5 read whole: 6 is the first unread
    CHECK(b.rewind(false) == 14 * kMsg);
    CHECK(write_all(&b).compare(0, kMsg, msg(6)) == 0);
    b.read_to(20 * kMsg);
    CHECK(b.rewind(false) == 0);
    CHECK_FALSE(b.pending());
}

TEST_CASE("rewind: a failure goes back kReaderHold more, to a message's start") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 19);
    write_all(&b);
    b.read_to(kReaderHold + 5500);  // drops 0..4; 5 holds 5500
    CHECK(b.rewind(true) == 20 * kMsg - 5 * kMsg);
    CHECK(write_all(&b).compare(0, kMsg, msg(5)) == 0);
}

TEST_CASE("rewind: a failure goes back no further than its child's start") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 9);
    write_all(&b);
    b.read_to(10 * kMsg);
    b.rewind(false);
    b.started();  // the successor starts at 10000: 0..9 are dropped
    CHECK(b.start() == 10 * kMsg);
    CHECK_FALSE(b.kept());
    add(&b, 10, 19);
    write_all(&b);
    b.read_to(13 * kMsg);  // less than kReaderHold into this child
    CHECK(b.rewind(true) == 10 * kMsg);
    CHECK(write_all(&b).compare(0, kMsg, msg(10)) == 0);
    // Nothing read at all: all this child was given.
    b.read_to(b.start());
    CHECK(b.rewind(true) == 10 * kMsg);
}

TEST_CASE("oldest: unconfirmed origins, stopping or not") {
    PipeBook b(3 * kReaderHold, 64);
    CHECK(oldest(b, true) == -1);
    CHECK(oldest(b, false) == -1);
    add(&b, 0, 3);
    CHECK(oldest(b, true) == 0);
    CHECK(oldest(b, false) == 0);  // none written, none read
    write_all(&b);
    b.read_to(2 * kMsg + 1);
    CHECK(oldest(b, true) == 0);             // kept: may not be sent
    CHECK(oldest(b, false) == 2 * int64_t(kMsg));  // holds the first unread byte
    b.read_to(4 * kMsg);
    CHECK(oldest(b, false) == -1);
    CHECK(oldest(b, true) == 0);
    Origin o;
    REQUIRE(b.oldest(true, &o));
    CHECK(o.source == 1);
}

TEST_CASE("delivered: drops what was written, keeps what was not") {
    PipeBook b(3 * kReaderHold, 64);
    add(&b, 0, 2);
    write_all(&b, 1500);  // message 1 half written
    REQUIRE(b.written() == 1500);
    b.delivered();
    CHECK(b.kept());
    CHECK(oldest(b, true) == int64_t(kMsg));
    write_all(&b);
    b.delivered();
    CHECK_FALSE(b.kept());
    CHECK_FALSE(b.pending());
    CHECK(b.room(3 * kReaderHold));
}

}  // namespace t2s
