// format -- syslog messages: RFC 3164, RFC 5424 and raw headers, body
// escaping, splitting at the size limit, and stream framing (RFC 6587).
#ifndef T2S_FORMAT_H
#define T2S_FORMAT_H

#include <time.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "options.h"

namespace t2s {

// How messages are delimited on the wire.
enum class Framing {
    none,   // bare: one message per datagram, or per RELP frame
    lf,     // streams: message, then LF
    octet,  // streams: "LEN SP message" (RFC 6587 octet counting)
};

// Stamp holds the timestamp texts; the seconds part is formatted once per
// second, only the microseconds of RFC 5424 per message.
struct Stamp {
    time_t sec = -1;
    long usec = 0;
    char rfc3164[16] = "";    // "Nov 26 17:04:05"
    char rfc5424[64] = "";    // "2026-11-26T17:04:05.123456+01:00"
};

// stamp_set -- brings *stamp to the wall clock time now, in local time.
void stamp_set(Stamp* stamp, const struct timespec& now);

// What every message from one source has in common.
struct Header {
    int pri = 13;
    Format format = Format::rfc3164;
    std::string hostname;   // empty: left out (RFC 3164 on the local socket)
    std::string tag;        // TAG / APP-NAME
    std::string procid;     // empty: none
    bool bare = false;      // no header at all: logger(1) writes its own
};

enum { kHeaderMax = 600 };  // longest header format_header writes

// format_header -- writes the header for pri at stamp into out (room for
// kHeaderMax bytes) and returns its length.
size_t format_header(const Header& h, int pri, const Stamp& stamp, char* out);

// body_fit -- how many bytes of line[0..len) fit in a body of at most max
// bytes once escaped, never ending inside a UTF-8 sequence unless the sequence
// alone is longer than max; *escaped_len is their escaped length.
size_t body_fit(const char* line, size_t len, size_t max, size_t* escaped_len);

// escape_body -- copies line[0..len) to out with control bytes other than TAB
// written as '#' and three octal digits; returns the end of the output.
char* escape_body(const char* line, size_t len, char* out);

// escape_name -- text with control bytes other than TAB written as '#' and
// three octal digits, as escape_body writes them: for file names (chosen by
// whoever names files in a followed directory) in diagnostics.
std::string escape_name(const std::string& text);

// false_bom -- 3 if body[0..len) starts with a UTF-8 byte order mark but the
// rest is not valid UTF-8, else 0.  RFC 5424 reads a message that starts
// with the mark as MSG-UTF8, which must be valid UTF-8: such a mark is left
// out of the message.
size_t false_bom(const char* body, size_t len);

// prio_prefix -- if line begins "<N>" with N in 0..191, stores the priority it
// sets (the facility of fallback_pri when N names none) and returns the
// prefix length; else returns 0.
size_t prio_prefix(const char* line, size_t len, int fallback_pri, int* pri);

// Origin -- where a message came from: which reader (source 0: one that
// cannot be read again, such as standard input) and the source offset from
// which reading again brings the message back (where its line starts).
struct Origin {
    uint32_t source = 0;
    int64_t offset = 0;
};

// Batch holds framed messages back to back, ready for one send, with where
// each ends in the buffer and in its source.  Reserved once; reused.
class Batch {
public:
    struct Item {
        size_t end;              // end of the framed message in bytes()
        int64_t src_end;         // source offset just past the line bytes it holds
        int pri;                 // its priority
        const Header* header;    // the rest of its header
    };

    explicit Batch(size_t capacity);
    // room -- true if one more message of these lengths fits, framed, and
    // the batch holds fewer than max_items messages.
    bool room(size_t header_len, size_t escaped_len) const;
    // set_max_items -- at most n messages from now on (--max-rate); clear()
    // keeps it.
    void set_max_items(size_t n) { max_items_ = n; }
    // add -- appends one framed message; room() must have said yes.  An RFC
    // 5424 body loses a false_bom.
    void add(Framing framing, const char* header, size_t header_len,
             const char* body, size_t body_len, size_t escaped_len,
             const Item& item);
    // clear -- empties the batch; its origin goes back to source 0.
    void clear();
    // set_origin -- the messages added next come from source, read from
    // offset on; origin(i) -- where message i's line starts.
    void set_origin(uint32_t source, int64_t offset) {
        source_ = source;
        src_begin_ = offset;
    }
    Origin origin(size_t i) const {
        return Origin{source_, i > 0 ? items_[i - 1].src_end : src_begin_};
    }

    const char* bytes() const { return buf_.data(); }
    size_t size() const { return used_; }
    const std::vector<Item>& items() const { return items_; }
    bool empty() const { return items_.empty(); }
    // message -- the framed bytes of item i.
    const char* message(size_t i, size_t* len) const;

private:
    std::vector<char> buf_;
    size_t used_ = 0;
    size_t max_items_ = SIZE_MAX;
    std::vector<Item> items_;
    uint32_t source_ = 0;
    int64_t src_begin_ = 0;
};

}  // namespace t2s

#endif
