// lines -- lines to messages.
#include <string.h>

#include "lines.h"

namespace t2s {

namespace {

void count(const CarveConfig& cfg, uint64_t LineCounts::*which) {
    if (cfg.counts)
        ++(cfg.counts->*which);
}

}  // namespace

size_t carve(const char* buf, size_t len, int64_t base, bool flush,
             const CarveConfig& cfg, const Stamp& stamp, LineState* st, Batch* batch) {
    char header[kHeaderMax];
    size_t done = 0;  // bytes consumed so far: everything before is in batch
    while (done < len) {
        const char* line = buf + done;
        size_t rest = len - done;
        // The unit is a line, or with --record-start a record: ended, it
        // spans line_end bytes up to and with its LF; terminated, it is
        // complete (ended, or flush).
        size_t line_end, body_len;
        bool ended, terminated;
        if (cfg.record_start) {
            bool judge_first = (st->mid_line || st->skipping) && st->line_start;
            Extent e = record_extent(buf, done, len, flush, cfg.size, judge_first,
                                     cfg.record_start);
            line_end = e.end - done;
            ended = e.closed && (e.end < len || (line_end > 0 && line[line_end - 1] == '\n'));
            terminated = e.closed;
            body_len = line_end > 0 && line[line_end - 1] == '\n' ? line_end - 1 : line_end;
            if (st->skipping && !terminated)
                return e.end;
        } else {
            const char* nl = static_cast<const char*>(memchr(line, '\n', rest));
            ended = nl != nullptr;
            terminated = ended || flush;
            line_end = nl ? size_t(nl - line) + 1 : rest;
            body_len = nl ? size_t(nl - line) : rest;
            if (st->skipping && !ended)
                return len;
        }
        if (st->skipping) {
            done += line_end;
            st->skipping = st->mid_line = false;
            continue;
        }
        // Without a LF yet, a last CR may be the start of a CRLF: leave it
        // out until we know, or a line that fits would be split before it.
        if ((ended || !flush) && body_len > 0 && line[body_len - 1] == '\r')
            --body_len;
        const char* body = line;
        if (!st->mid_line) {
            st->pri = cfg.header->pri;
            if (cfg.prio_prefix) {
                size_t skip = prio_prefix(body, body_len, cfg.header->pri, &st->pri);
                body += skip;
                body_len -= skip;
            }
            if (terminated && body_len == 0 && cfg.skip_empty) {
                done += line_end;
                count(cfg, &LineCounts::dropped);
                continue;
            }
        } else if (terminated && body_len == 0) {
            done += line_end;  // the line ended right where a piece did
            st->mid_line = false;
            continue;
        }
        if (!st->mid_line && cfg.rules && !cfg.rules->empty()) {
            size_t escaped;
            if (!terminated && body_fit(body, body_len, cfg.size, &escaped) == body_len)
                return done;  // judge the line when it is whole
            int pri = cfg.rules->apply(body, body_len, st->pri);
            if (pri < 0) {  // dropped: all of it, up to its newline
                st->skipping = !terminated;
                st->mid_line = !terminated;
                done += line_end;
                count(cfg, &LineCounts::dropped);
                continue;
            }
            st->pri = pri;
        }
        // One message per piece of at most cfg.size escaped bytes.
        for (;;) {
            size_t escaped;
            size_t fit = body_fit(body, body_len, cfg.size, &escaped);
            bool last = fit == body_len;
            if (last && !terminated)
                return done;  // an unfinished line: wait for the rest
            size_t header_len = format_header(*cfg.header, st->pri, stamp, header);
            if (!batch->room(header_len, escaped))
                return done;
            size_t next = size_t(body + fit - buf);
            bool cut = !last && cfg.truncate;
            if (last || cut)
                next = size_t(line - buf) + line_end;  // done moves with each piece
            batch->add(cfg.framing, header, header_len, body, fit, escaped,
                       Batch::Item{0, base + int64_t(next), st->pri, cfg.header});
            if (!last && !st->mid_line)  // the first of several pieces
                count(cfg, cut ? &LineCounts::truncated : &LineCounts::split);
            if (last && terminated)
                count(cfg, &LineCounts::lines);
            done = next;
            st->mid_line = !(last || (cut && ended));
            st->skipping = cut && !ended;
            st->line_start = cfg.record_start && next > 0 && buf[next - 1] == '\n';
            if (last || cut)
                break;
            body += fit;
            body_len -= fit;
        }
    }
    return done;
}

void Position::advance(int64_t to, const char* buf, int64_t buf_at) {
    int64_t have = to - buf_at;  // bytes of buf before the new offset
    size_t keep = have < int64_t(sizeof tail) ? size_t(have) : sizeof tail;
    memmove(tail, buf + (have - int64_t(keep)), keep);
    tail_len = keep;
    offset = to;
}

void Position::reset(int64_t at, const char* bytes, size_t len) {
    if (at < 0)
        at = 0;
    size_t most = at < int64_t(sizeof tail) ? size_t(at) : sizeof tail;
    if (len > most) {
        bytes += len - most;
        len = most;
    }
    if (len > 0)  // bytes may be null then
        memmove(tail, bytes, len);
    tail_len = len;
    offset = at;
}

bool settle(const Batch& batch, size_t sent, size_t consumed, const char* buf,
            int64_t buf_at, const LineState& before, Position* pos, LineState* st) {
    const std::vector<Batch::Item>& items = batch.items();
    if (sent >= items.size()) {
        pos->advance(pos->offset + int64_t(consumed), buf, buf_at);
        return true;
    }
    if (sent == 0) {
        *st = before;
        return false;
    }
    // Only the last message of a carve can end a line cut by --truncate,
    // or one flushed unterminated; any other ends at a LF, or is a piece
    // of a line split at the size limit whose rest is still to come.
    const Batch::Item& last = items[sent - 1];
    pos->advance(last.src_end, buf, buf_at);
    *st = LineState();
    st->mid_line = buf[last.src_end - 1 - buf_at] != '\n';
    st->pri = last.pri;
    return false;
}

}  // namespace t2s
