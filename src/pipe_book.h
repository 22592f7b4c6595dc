// pipe_book -- the bookkeeping of one logger(1) child's pipe, without a
// system call: the messages given to the child, from the oldest it may not
// have sent on, their bytes in a ring, where each starts and where in its
// source its line came from.
//
// Positions count bytes given to one tag's children, from the first (they
// never wrap).  The caller says what the child has read (read_to: from
// FIONREAD on the pipe, or a guess where that cannot be asked) and how it
// ended (rewind); the rules:
//
// | event                           | kept, and written again from         |
// |---------------------------------|--------------------------------------|
// | the child read up to pos        | messages that end after pos less     |
// |                                 |   kReaderHold stay kept              |
// | it exited 0 (rewind(false))     | the message holding the first byte   |
// |                                 |   it did not read                    |
// | it failed (rewind(true))        | kReaderHold before that, but never   |
// |                                 |   before what this child was given   |
// | it exited 0 at our EOF          | nothing: delivered() drops it all    |
// | a new child started (started)   | messages wholly before it: dropped   |
//
// Written again always starts on a message boundary.  Nothing not wholly
// written is dropped: room() says when a message would need that.
#ifndef T2S_PIPE_BOOK_H
#define T2S_PIPE_BOOK_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "format.h"

namespace t2s {

// A reader's stdio buffer, and more: what a failed child may have read and
// not sent.  Given again, it may arrive twice; not given, it may be lost.
const uint64_t kReaderHold = 8192;

class PipeBook {
public:
    // capacity: bytes the ring holds; max_marks: messages it can tell apart.
    PipeBook(size_t capacity, size_t max_marks);

    // room -- whether a message of len bytes can be kept without dropping
    // one the child may not have sent.
    bool room(size_t len) const;
    // add -- keeps a message (room() said yes), to be written next.
    void add(const char* msg, size_t len, const Origin& o);
    // chunk -- the bytes to write next, in one piece of the ring, at *p;
    // 0: none.  The pointer lives until the next add().
    size_t chunk(const char** p) const;
    // wrote -- n bytes of chunk() were written into the pipe.
    void wrote(size_t n) { written_ += n; }
    // read_to -- the child has read the bytes before pos (at most what was
    // written): messages wholly before pos less kReaderHold are no longer
    // kept.
    void read_to(uint64_t pos);
    // rewind -- the child exited (failed: not with status 0): what is to be
    // given to its successor is written next, from a message's start.
    // Returns the bytes given again.
    uint64_t rewind(bool failed);
    // started -- a new child reads from here: nothing before counts.
    void started();
    // oldest -- where the oldest message kept came from; stopping: any kept,
    // else one not wholly read.  False if there is none.
    bool oldest(bool stopping, Origin* o) const;
    // delivered -- the child read everything and exited 0 at our EOF.
    void delivered();

    bool pending() const { return written_ < end_; }  // bytes to write
    bool kept() const { return count_ > 0; }           // messages kept
    uint64_t written() const { return written_; }
    uint64_t start() const { return start_; }          // the child's first byte

private:
    struct Mark {
        uint64_t pos;   // where the message starts
        Origin origin;  // where its line starts in its source
    };
    const Mark& mark(size_t i) const { return marks_[(head_ + i) % marks_.size()]; }
    // next -- where message i ends: the next one's start, or the end.
    uint64_t next(size_t i) const { return i + 1 < count_ ? mark(i + 1).pos : end_; }
    void pop();
    // start_of -- the start of the kept message that holds pos (pos itself
    // past the last); the oldest kept where none does.
    uint64_t start_of(uint64_t pos) const;

    std::vector<char> ring_;
    std::vector<Mark> marks_;
    size_t head_ = 0, count_ = 0;
    uint64_t end_ = 0, written_ = 0, read_ = 0, start_ = 0;
};

}  // namespace t2s

#endif
