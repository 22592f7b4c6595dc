// lines -- bytes of a source in, framed messages out: finds lines, drops the
// CR of CRLF, reads a "<N>" prefix, splits or truncates long lines.  No I/O.
#ifndef T2S_LINES_H
#define T2S_LINES_H

#include <cstddef>
#include <cstdint>

#include "format.h"
#include "records.h"
#include "rules.h"

namespace t2s {

// What a source carries from one chunk of bytes to the next.
struct LineState {
    bool mid_line = false;  // the source offset is inside a line already begun
    bool skipping = false;  // --truncate: dropping the rest of a long line
    int pri = -1;           // the priority of the line begun, with --prio-prefix
    bool line_start = false;  // mid-record at the start of a line: it may
                              // start the next record (--record-start)
};

// What carve did, for the statistics (SIGUSR1).
struct LineCounts {
    uint64_t lines = 0;      // complete lines consumed
    uint64_t split = 0;      // lines sent as several messages
    uint64_t truncated = 0;  // lines cut by --truncate
    uint64_t dropped = 0;    // lines dropped by -e or the rules
};

// carve's settings: how lines become messages; one per source.
struct CarveConfig {
    const Header* header = nullptr;
    Framing framing = Framing::none;
    size_t size = 8192;       // largest body
    bool truncate = false;
    bool skip_empty = false;
    bool prio_prefix = false;
    Rules* rules = nullptr;   // --match, --include, --exclude; may be null
    // --record-start: lines that do not start a record join the one before,
    // and a record is carved as one line.  Null: every line stands alone.
    RecordStart* record_start = nullptr;
    LineCounts* counts = nullptr;  // may be null
};

// Position -- how far a source was read: the end of the last line the
// transport took, and up to 16 bytes just before it, by which a file that
// was truncated and has grown back past the offset is told apart.  The two
// move together, through advance() and reset() only: a state saved between
// a move of one and of the other makes the next run resend a whole file.
struct Position {
    int64_t offset = 0;
    char tail[16] = {};
    size_t tail_len = 0;  // at most offset; fewer than 16 only near the
                          // start, or when taken from an older state

    // advance -- moves to offset to; buf holds the source's bytes from
    // source offset buf_at up to at least to (buf_at <= offset <= to).  The
    // check bytes are taken from buf: as many of the 16 as it holds.
    void advance(int64_t to, const char* buf, int64_t buf_at);
    // reset -- at offset, with these check bytes (len at most 16 and at
    // most offset; longer ones are cut to their last bytes).
    void reset(int64_t at, const char* bytes, size_t len);
};

// settle -- after a send that took the first `sent` messages of batch,
// carved from pos->offset on (`consumed` bytes, dropped lines included),
// moves *pos past what was taken and *st to match: all `consumed` bytes if
// every message was taken; else to the end of the last one taken, with *st
// as it was there (before: *st as it was before the carve).  buf and buf_at
// as for Position::advance.  Returns whether every message was taken.
bool settle(const Batch& batch, size_t sent, size_t consumed, const char* buf,
            int64_t buf_at, const LineState& before, Position* pos, LineState* st);

// carve -- adds to batch the messages for the lines in buf[0..len), whose
// first byte is at source offset base.  An unterminated last line is held
// back (0 bytes consumed of it) unless flush is set or it is too long for one
// message, in which case its full-sized pieces go now.  With record_start, a
// record is held back likewise until the next start line (or flush) ends
// it.  Stops early when the batch is full.  Returns the bytes consumed; the
// source resumes there.
size_t carve(const char* buf, size_t len, int64_t base, bool flush,
             const CarveConfig& cfg, const Stamp& stamp, LineState* st, Batch* batch);

}  // namespace t2s

#endif
