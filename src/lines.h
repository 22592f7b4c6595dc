// lines -- bytes of a source in, framed messages out: finds lines, drops the
// CR of CRLF, reads a "<N>" prefix, splits or truncates long lines.  No I/O.
#ifndef T2S_LINES_H
#define T2S_LINES_H

#include <cstddef>
#include <cstdint>

#include "format.h"
#include "rules.h"

namespace t2s {

// What a source carries from one chunk of bytes to the next.
struct LineState {
    bool mid_line = false;  // the source offset is inside a line already begun
    bool skipping = false;  // --truncate: dropping the rest of a long line
    int pri = -1;           // the priority of the line begun, with --prio-prefix
};

// What carve did, for the statistics (SIGUSR1).
struct LineCounts {
    unsigned long lines = 0;      // complete lines consumed
    unsigned long split = 0;      // lines sent as several messages
    unsigned long truncated = 0;  // lines cut by --truncate
    unsigned long dropped = 0;    // lines dropped by -e or the rules
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
    LineCounts* counts = nullptr;  // may be null
};

// carve -- adds to batch the messages for the lines in buf[0..len), whose
// first byte is at source offset base.  An unterminated last line is held
// back (0 bytes consumed of it) unless flush is set or it is too long for one
// message, in which case its full-sized pieces go now.  Stops early when the
// batch is full.  Returns the bytes consumed; the source resumes there.
size_t carve(const char* buf, size_t len, int64_t base, bool flush,
             const CarveConfig& cfg, const Stamp& stamp, LineState* st, Batch* batch);

}  // namespace t2s

#endif
