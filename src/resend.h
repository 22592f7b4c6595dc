// resend -- the bookkeeping of a stream transport, without a system call:
// the bytes queued for the peer, where each message begins, how far they
// were written to the current connection and confirmed by the peer's
// kernel, and where the next connection starts after a break.
//
// Positions count bytes from the start of the stream (they never wrap).
// Queued bytes live in a ring of fixed capacity; where each message begins
// lives in a table of marks, each with an opaque tag from the caller (where
// the message came from: a later step re-reads from the file instead of
// keeping the bytes).  The rules:
//
// | event                       | next connection starts at                  |
// |-----------------------------|--------------------------------------------|
// | peer closed in order (FIN)  | the message that holds the first byte it   |
// |                             | did not confirm: it read all it confirmed  |
// | reset or error              | the first message of this connection: its  |
// |                             | kernel may have thrown away what it had    |
// |                             | confirmed but not handed to the receiver   |
// | we closed it (switch, stop) | the message being written, whole           |
// | any of them                 | never before the oldest message still held |
//
// A connection always starts on a message boundary, whatever the byte at
// which the old one broke.  Nothing not yet written is ever dropped to make
// room; bytes written but not confirmed are kept while room() is obeyed.
// What it cannot cover: bytes the peer's kernel confirmed and then threw
// away (a reset) beyond what the ring still holds.
#ifndef T2S_RESEND_H
#define T2S_RESEND_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "format.h"

namespace t2s {

// How a connection ended.
enum class Break {
    closed,  // the peer closed it in order (EOF): it read what it confirmed
    reset,   // a reset or another error: confirmed bytes may be lost
    local,   // we closed it ourselves, to move elsewhere or to stop
};

class ResendBook {
public:
    // capacity: bytes the ring holds; max_marks: messages it can tell apart
    // (at least 2); acks_known: the caller reports confirmations (Linux
    // SIOCOUTQ); without them nothing written counts as confirmed beyond
    // the start of the connection.
    ResendBook(size_t capacity, size_t max_marks, bool acks_known);

    // room -- whether bytes more bytes in messages more messages can be
    // queued without dropping anything not yet written or not confirmed.
    bool room(size_t bytes, size_t messages) const;
    // add -- queues one whole message with the caller's tag, dropping the
    // oldest bytes and marks if need be; false, and nothing queued, if that
    // would drop a byte of a message not wholly written yet (or len is 0).
    bool add(const char* msg, size_t len, uint64_t tag);
    // add -- queues messages first.. of batch, each tagged with its
    // src_end, as many as fit by the rule of add() above; returns how many.
    // One copy for them all: the hot path.
    size_t add(const Batch& batch, size_t first);

    // chunk -- the queued bytes to write next, from written() on, in one
    // piece of the ring (*p); 0 when all is written.  to_boundary: stop at
    // the end of the message being written.
    size_t chunk(const char** p, bool to_boundary) const;
    // wrote -- n bytes of the last chunk were written.
    void wrote(size_t n);
    // confirm -- the peer's kernel has acknowledged the stream up to pos
    // (the caller's reading of SIOCOUTQ); positions past written() are
    // taken as written().
    void confirm(uint64_t pos);

    // connected -- a new connection starts at written(), a boundary.
    void connected();
    // broken -- the connection ended (why): moves written() back to the
    // message where the next connection starts; returns how many bytes
    // already written will be written again.
    uint64_t broken(Break why);
    // broken_from -- the connection ended, and what it carried from pos on
    // may be lost: as broken(), from the message that holds pos (not past
    // written(); the oldest held, where that one is gone).
    uint64_t broken_from(uint64_t pos);
    // truncate -- forgets the messages from pos on, which the caller will
    // queue again; pos must be a boundary at or past written().  False and
    // nothing changed otherwise.
    bool truncate(uint64_t pos);

    // at_boundary -- whether written() is at a message boundary (a switch
    // to another connection may happen here).
    bool at_boundary() const;
    // boundary_at_or_before -- the start of the message that holds the
    // byte at pos (pos itself at a boundary), if still held; else the
    // oldest boundary held.
    uint64_t boundary_at_or_before(uint64_t pos) const;
    // risk_from -- the oldest stream position a reset now may have lost:
    // what the peer's kernel confirmed less peer_window (what it may hold
    // unread), or, without confirmations, what was written less it; never
    // before the start of this connection.
    uint64_t risk_from(uint64_t peer_window) const;
    // forget -- drops every message held, written or not, as the caller
    // will read them again from their source; the next connection starts
    // at end(), a boundary.
    void forget();
    // tag_before -- the tag of the message just before the one that starts
    // at boundary, and where that one starts; false where either is no
    // longer held (or boundary starts none).
    bool tag_before(uint64_t boundary, uint64_t* prev_pos, uint64_t* tag) const;
    // at_risk_tag -- the tag of the oldest message that a reset now would
    // send again, as the receiver may not have it (what a saved position
    // must not pass); false if none is.
    bool at_risk_tag(uint64_t* tag) const;

    uint64_t end() const { return end_; }              // just past the last byte queued
    uint64_t written() const { return written_; }      // written to this connection
    uint64_t acked() const { return acked_; }          // confirmed on this connection
    uint64_t conn_start() const { return conn_start_; }  // first byte of this connection
    uint64_t held_from() const;                        // oldest byte that can be sent again
    size_t marks() const { return count_; }            // messages held
    bool pending() const { return written_ < end_; }

private:
    struct Mark {
        uint64_t pos;  // where the message begins
        uint64_t tag;  // the caller's
    };

    const Mark& mark(size_t i) const { return marks_[(head_ + i) % marks_.size()]; }
    // newest_at_or_before -- index of the newest mark at or before pos, or
    // count_ if none.
    size_t newest_at_or_before(uint64_t pos) const;
    // floor -- the oldest position that must stay held for written bytes
    // (the start of the message being written) and, with confirm, for
    // unconfirmed ones.
    uint64_t floor(bool keep_unconfirmed) const;
    // may_drop -- whether queuing bytes more bytes and messages more marks
    // keeps everything from floor on.
    bool may_drop(uint64_t floor, size_t bytes, size_t messages) const;
    void drop_marks_before(uint64_t pos);
    // push -- appends bytes and the marks of messages starting at the
    // given offsets in them; may_drop() must have said yes.
    void push(const char* bytes, size_t len);
    void push_mark(uint64_t pos, uint64_t tag);

    std::vector<char> ring_;
    std::vector<Mark> marks_;
    bool acks_known_;
    size_t head_ = 0;   // index of the oldest mark in marks_
    size_t count_ = 0;  // marks held
    uint64_t end_ = 0;
    uint64_t written_ = 0;
    uint64_t acked_ = 0;
    uint64_t conn_start_ = 0;
    uint64_t overwritten_ = 0;  // bytes before this are gone from the ring
};

// Stretches -- where in which source each stretch of the stream began, so
// that what a broken connection may have lost is read again from the files
// rather than kept in memory.  A stretch starts where the source changes,
// and every granule bytes of one source, so that a rewind goes back at most
// a granule further than it must -- and not that, where the book still
// holds the message it goes back to (reread_from).
//
// | question                          | answer                                |
// |-----------------------------------|---------------------------------------|
// | what to read again from pos on    | per source, the origin of its oldest  |
// |                                   | stretch holding a byte at or after pos|
// | a stretch from source 0 among them| cannot be read again (false)          |
// | stretches dropped for room        | from the oldest held                  |
class Stretches {
public:
    // max: stretches held (at least 2); the oldest go first.
    Stretches(size_t max, uint64_t granule);

    // note -- a message from o starts at stream position pos (positions
    // never go back, except after clear()).
    void note(uint64_t pos, const Origin& o);
    // oldest_from -- appends to *out, in stream order and one per source,
    // the origin of each source's oldest stretch holding bytes at or after
    // pos (the caller knows where the stream ends: pos at the end holds
    // nothing, yet the last stretch is returned).  False if one of them
    // has source 0.
    bool oldest_from(uint64_t pos, std::vector<Origin>* out) const;
    // holding -- the stretch that holds stream position pos: where it
    // starts, and its origin; false if no stretch held does.
    bool holding(uint64_t pos, uint64_t* start, Origin* origin) const;
    // forget_before -- drops the stretches that end at or before pos.
    void forget_before(uint64_t pos);
    void clear() { count_ = 0; }
    size_t size() const { return count_; }

private:
    struct Stretch {
        uint64_t pos;
        Origin origin;
    };
    const Stretch& at(size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
    // index_holding -- the index of the stretch holding pos (the newest
    // that starts at or before it), or count_ if none.
    size_t index_holding(uint64_t pos) const;

    std::vector<Stretch> ring_;
    uint64_t granule_;
    size_t head_ = 0;
    size_t count_ = 0;
};

// Intake -- how much a receiver took lately: the bytes its kernel
// confirmed from a given time on.  A receiver killed loses what it had
// read but not yet written, which no window shows: what it took last, a
// little when it keeps up and a lot when it is behind.  Samples a step of
// time apart, in a ring; where they reach back no further than the
// connection, all it took counts.
class Intake {
public:
    // start -- a connection starts, confirmed up to acked at now_ms.
    void start(int64_t now_ms, uint64_t acked);
    // note -- confirmed up to acked at now_ms (never less than before).
    void note(int64_t now_ms, uint64_t acked);
    // since -- bytes confirmed from ms on, at least; over-counted by at
    // most one step's worth.
    uint64_t since(int64_t ms) const;

    enum { kSamples = 16, kStepMs = 20 };  // 300 ms and more looked back on

private:
    struct Sample {
        int64_t ms;
        uint64_t acked;
    };
    Sample ring_[kSamples];
    size_t newest_ = 0;  // index of the newest sample
    size_t count_ = 0;
    uint64_t base_ = 0;  // confirmed when the connection started
    Sample last_ = {0, 0};
};

// reread_from -- appends to *out where each source must be read again
// from for the stream to go on at position from: per source, its oldest
// stretch at or after from; for the stretch that holds from, the message
// there, where the book still tells where in its source it began (the end
// of the message before it), as the stretch may begin up to a granule
// earlier, each byte of it sent twice.  False if a stretch from source 0
// (standard input) is among them.
bool reread_from(const ResendBook& book, const Stretches& stretches, uint64_t from,
                 std::vector<Origin>* out);

// merge_origin -- o into *list, keeping the lower offset where its source
// is there already.
void merge_origin(std::vector<Origin>* list, const Origin& o);

}  // namespace t2s

#endif
