// follow -- one followed path, polled with stat(2).
//
// | what the poll sees                       | meaning                  | action                                    |
// |------------------------------------------|--------------------------|-------------------------------------------|
// | same dev/ino, size grew                  | appended                 | read to EOF                               |
// | same dev/ino, size < offset, or the      | truncated (copytruncate) | say so under -v, read from 0              |
// |   bytes before offset changed            |                          |                                           |
// | same dev/ino, size = offset, changed     | truncated and written    | the same, if its first bytes are not the  |
// |   since the last look (ctime)            |   again to the same size |   ones kept                               |
// | path now names another dev/ino           | renamed, replaced, link  | keep the old file open and drain it; pin  |
// |                                          |   re-pointed             |   the new one at once, and read it from 0 |
// |                                          |                          |   once the old is quiet                   |
// | ... and files beside the path (path.*,   | generations made and     | pin them too, oldest first, before the one|
// |   path-*) written after our newest file  |   rotated away between   |   at the path                             |
// |                                          |   two looks              |                                           |
// | the destination is down (look_only,      | rotation during outage   | pin the new file, read nothing; pinned    |
// |   between the transport's retries)       |                          |   files are read in order once it is back |
// | a file read to its end, others need a    | over the descriptor      | close it, keep it by identity (dev, ino,  |
// |   descriptor past the budget             |   budget                 |   offset, head, tail)                     |
// | a file kept by identity: the path, same  | appended                 | reopen it at its name, read               |
// |   dev/ino, grew                          |                          |                                           |
// | ... the path names another file          | rotated while closed     | find it beside (same inode, same first    |
// |                                          |                          |   bytes), drain it; if it is gone, warn   |
// | path names nothing (stat fails)          | deleted or renamed away  | keep draining the old file; wait, saying  |
// |                                          |   (or unreachable)       |   stat's own reason under -v              |
// | path names a directory, FIFO, device     | not a log file           | warn once, wait                           |
// | path names a file we could not open      | unreadable               | warn once under -v, wait                  |
// | open_safe refuses the file (another      | a trap, or the directory | warn once, always; wait                   |
// |   user's link, a directory others write) |   needs --user           |                                           |
// | the offset lies in a hole (sparse file)  | never written            | skip it and the NULs around it (SEEK_DATA)|
// |   or the data ends at one                |                          |   the line before it ends there           |
// | a rotated file, read to its end, has not | its writer has moved on  | send its unterminated last line, close it |
// |   changed for --rotate-wait              |                          |                                           |
// | an unterminated last line has not grown  | the writer paused        | send it as it is                          |
// |   for --partial-timeout                  |                          |                                           |
// | path names a file read before, closed    | rotated back, or its     | go on where it was left if the bytes      |
// |   (its dev/ino among the retired files)  |   inode number reused    |   before that offset match, else from 0   |
// | (--record-start) the last record, with no| the writer paused, or     | send it whole; before that the offset     |
// |   start line after it, has not grown for |   the record is done     |   stays at its start                      |
// |   --partial-timeout; or its file rotated |                          |                                           |
// |   and quiet                              |                          |                                           |
// | (--max-rate) no messages left to spend   | catching up too fast     | stop reading until the bucket refills     |
// | a saved file is gone, but a compressed   | compressed while we were | read it through its decompressor from the |
// |   generation beside it decompresses to   |   stopped or behind      |   saved offset (decompressed bytes)       |
// |   its head and bytes before the offset   |                          |                                           |
//
// Lines of a rotated file are always sent before those of its successor: the
// successor is read only when every rotated file is read to its end and has
// been quiet for one poll.  Offsets advance only past lines the transport
// took, so the file on disk is the only buffer; an offset and the bytes
// before it move together after every batch (settle), a partial one too.
#include <sys/types.h>
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "follow.h"
#include "open_safe.h"
#include "platform.h"

namespace t2s {

namespace {

// A file is looked at about as often as its data arrives (pace.h): a line
// every 100 ms is looked for every 12 ms, a quiet file backs off.  Up to
// the sleep interval for five seconds after it gave data or began to be
// followed (a file that appears is soon read, before a rotation hides it),
// or while a rotated file is drained; up to ten intervals after (2.5 s by
// default): a thousand idle files cost 400 stat(2) calls a second, and a
// quiet file's next line waits at most 2.5 s.
const int64_t kShortestPollMs = 1;
const int64_t kLongIdleMs = 5000;
const int64_t kLongIdleFactor = 10;

// File times move in ticks (milliseconds; a second on some file systems,
// two on FAT): a change time read within a tick of the change it stamps may
// be stamped again on the next change.  It is trusted once a look this
// long after reading it has compared the first bytes; a write at the same
// size waits that long at worst, not until the file grows.
const int64_t kTimeGrainMs = 2000;

// How long a rotated file must be quiet before its successor is read.  With
// --once nobody writes while we read: no wait.
int64_t order_window(const Options& o) {
    if (o.once)
        return 0;
    return o.sleep_ms < o.rotate_wait_ms ? o.sleep_ms : o.rotate_wait_ms;
}

FileStat to_file_stat(const struct stat& sb) {
    FileStat st;
    st.exists = true;
    st.regular = S_ISREG(sb.st_mode);
    st.dev = sb.st_dev;
    st.ino = sb.st_ino;
    st.size = int64_t(sb.st_size);
    st.sparse = int64_t(sb.st_blocks) * 512 < st.size;
    st.ctime = sb.st_ctim;
    return st;
}

bool compressed(const std::string& name) {
    static const char* const kSuffixes[] = {".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z", ".lzma"};
    for (const char* suffix : kSuffixes) {
        size_t n = strlen(suffix);
        if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0)
            return true;
    }
    return false;
}

// same_bytes -- whether fd holds want at offset.
bool same_bytes(int fd, int64_t offset, const std::string& want) {
    char got[32];
    size_t len = want.size();
    return len <= sizeof got && pread(fd, got, len, offset) == ssize_t(len) &&
           memcmp(got, want.data(), len) == 0;
}

// last_change_ms -- with --once, when (in now_ms() time) the file last
// changed by its modification time: nobody watched it grow, and its last
// line or record is complete only if it has been quiet for
// --partial-timeout.  Without --once, now: we watch from here on.
int64_t last_change_ms(const struct stat& sb, const Options& o, int64_t now) {
    if (!o.once)
        return now;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    // Whole seconds (st_mtim is not everywhere), less one: never older
    // than it is.
    int64_t age = (int64_t(wall.tv_sec) - int64_t(sb.st_mtime) - 1) * 1000;
    return age > 0 ? now - age : now;
}

SavedFile saved_from(const std::string& path, const Reader& r) {
    SavedFile f;
    f.path = path;
    f.dev = r.dev;
    f.ino = r.ino;
    f.offset = r.pos.offset;
    f.head.assign(r.head, r.head_len);
    f.tail.assign(r.pos.tail, r.pos.tail_len);
    return f;
}

// hole_at -- r's offset moves to at, in or just past a hole: the bytes
// before it read as NUL bytes, and no line is begun.
void hole_at(Reader* r, int64_t at) {
    const char zeros[sizeof r->pos.tail] = {};
    r->pos.reset(at, zeros, at < int64_t(sizeof zeros) ? size_t(at) : sizeof zeros);
    r->lines = LineState();
}

// skip_hole -- if r's offset lies in a hole of its sparse file, moves it
// past the hole and past the NUL bytes after it up to the first other byte
// (the rest of the block the writer began in).  A hole ends the line begun
// before it.  Returns whether the offset moved.
bool skip_hole(Reader* r) {
#if T2S_HAVE_SEEK_DATA
    off_t data = lseek(r->fd.get(), off_t(r->pos.offset), SEEK_DATA);
    if (data < 0 && errno == ENXIO)
        data = off_t(r->size_seen);  // a hole up to the end, as the size was
    if (data <= off_t(r->pos.offset))
        return false;
    char block[4096];
    ssize_t n = pread(r->fd.get(), block, sizeof block, data);
    ssize_t nuls = 0;
    while (nuls < n && block[nuls] == '\0')
        ++nuls;
    hole_at(r, int64_t(data) + nuls);
    return true;
#else
    (void)r;
    return false;
#endif
}

// data_end -- where the data at r's offset ends in its sparse file: the
// next hole before the size seen, or -1.
int64_t data_end(const Reader& r) {
#if T2S_HAVE_SEEK_DATA
    off_t hole = lseek(r.fd.get(), off_t(r.pos.offset), SEEK_HOLE);
    return hole > off_t(r.pos.offset) && int64_t(hole) < r.size_seen ? int64_t(hole) : -1;
#else
    (void)r;
    return -1;
#endif
}

// origin_of -- the offset in list for r's source, or -1.
int64_t origin_of(const std::vector<Origin>& list, const Reader& r) {
    if (r.source == 0)
        return -1;
    for (const Origin& o : list)
        if (o.source == r.source)
            return o.offset;
    return -1;
}

// position_at -- r's position moved back to offset, with the bytes before
// it read from the file; false if they cannot be read.
bool position_at(const Reader& r, int64_t offset, Position* pos) {
    char tail[sizeof pos->tail];
    int64_t from = offset > int64_t(sizeof tail) ? offset - int64_t(sizeof tail) : 0;
    size_t want = size_t(offset - from);
    ssize_t n = want > 0 ? pread(r.fd.get(), tail, want, from) : 0;
    if (n < 0 || size_t(n) != want)
        return false;
    pos->reset(offset, tail, want);
    return true;
}

}  // namespace

bool rotated_name(const std::string& base, const std::string& full) {
    std::string name = full;
    if (compressed(name))  // app.log.1.gz: its name is app.log.1
        name.erase(name.find_last_of('.'));
    if (name.size() < base.size() + 2 || name.compare(0, base.size(), base) != 0)
        return false;
    char sep = name[base.size()];
    if ((sep != '.' && sep != '-') || !isdigit((unsigned char)name[base.size() + 1]))
        return false;
    for (size_t i = base.size() + 1; i < name.size(); ++i)
        if (!isdigit((unsigned char)name[i]) && !strchr(".-_", name[i]))
            return false;
    return true;
}

int find_beside(const std::string& path, const Wanted& w) {
    std::string::size_type slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    SafeDir safe;
    OpenError e;
    if (!safe.open(dir, &e))
        return -1;
    int list = safe.list_fd();
    DIR* d = list < 0 ? nullptr : fdopendir(list);
    if (!d) {
        if (list >= 0)
            close(list);
        return -1;
    }
    int found = -1;
    while (struct dirent* ent = readdir(d)) {
        std::string name = ent->d_name;
        if (!rotated_name(base, name) || compressed(name))
            continue;
        // A generation is a plain file of its own: a link or a FIFO there
        // is never opened (open_entry looks before it opens).
        struct stat sb;
        int fd = safe.open_entry(name, Links::refuse, &sb, &e);
        if (fd < 0)
            continue;
        // The inode and the first bytes decide: a device number can change
        // across a reboot or a remount.
        if ((sb.st_ino == w.ino) == w.same_file && int64_t(sb.st_size) >= w.offset &&
            same_bytes(fd, 0, w.head) &&
            same_bytes(fd, w.offset - int64_t(w.tail.size()), w.tail)) {
            found = fd;
            break;
        }
        close(fd);
    }
    closedir(d);
    return found;
}

namespace {

int compare(const struct timespec& a, const struct timespec& b) {
    if (a.tv_sec != b.tv_sec)
        return a.tv_sec < b.tv_sec ? -1 : 1;
    return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec ? 1 : 0;
}

// newer -- whether a was written after b.  File times move in clock ticks
// of some milliseconds: on a tie, the one renamed (changed) no earlier.
bool newer(const struct timespec& a_mtime, const struct timespec& a_ctime,
           const struct timespec& b_mtime, const struct timespec& b_ctime) {
    int by_mtime = compare(a_mtime, b_mtime);
    return by_mtime != 0 ? by_mtime > 0 : compare(a_ctime, b_ctime) >= 0;
}

}  // namespace

std::vector<Generation> generations_beside(const std::string& path,
                                           const struct stat& last,
                                           bool with_compressed) {
    std::vector<Generation> found;
    std::string::size_type slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    DIR* d = opendir(dir.c_str());
    if (!d)
        return found;
    while (struct dirent* e = readdir(d)) {
        std::string name = e->d_name;
        bool packed = compressed(name);
        if (!rotated_name(base, name) || (packed && !with_compressed))
            continue;
        Generation g;
        g.name = slash == std::string::npos ? name : dir + name;
        g.compressed = packed;
        struct stat sb;
        if (lstat(g.name.c_str(), &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_ino == last.st_ino ||
            !newer(sb.st_mtim, sb.st_ctim, last.st_mtim, last.st_ctim))
            continue;
        g.dev = sb.st_dev;
        g.ino = sb.st_ino;
        g.mtime = sb.st_mtim;
        g.ctime = sb.st_ctim;
        found.push_back(g);
    }
    closedir(d);
    std::sort(found.begin(), found.end(), [](const Generation& a, const Generation& b) {
        return newer(b.mtime, b.ctime, a.mtime, a.ctime);
    });
    return found;
}

Change classify(const FileStat& open, const FileStat& path, int64_t offset) {
    if (!path.exists)
        return Change::missing;
    if (!path.regular)
        return Change::not_regular;
    if (!open.exists)
        return Change::appeared;
    if (path.dev != open.dev || path.ino != open.ino)
        return Change::replaced;
    if (path.size < offset)
        return Change::truncated;
    if (path.size > offset)
        return Change::grew;
    // Nothing new by its size; but a file emptied and written again to
    // the very size we read leaves no other trace than its change time.
    return compare(path.ctime, open.ctime) != 0 ? Change::touched : Change::unchanged;
}

bool rewritten(const char* kept, size_t kept_len, const char* got, ssize_t n) {
    if (n < 0)
        return false;
    return size_t(n) < kept_len || memcmp(got, kept, kept_len) != 0;
}

Follower::Follower(std::string path, const Header& header, Rules* rules, bool at_start,
                   bool tag_from_path)
    : path_(std::move(path)), state_name_(path_), header_(&header),
      tag_from_path_(tag_from_path), rules_(rules), at_start_(at_start) {}

bool Follower::holds(dev_t dev, ino_t ino) const {
    if (current_.known() && current_.dev == dev && current_.ino == ino)
        return true;
    for (const auto* list : {&rotated_, &pinned_})
        for (const auto& r : *list)
            if (r->dev == dev && r->ino == ino)
                return true;
    return false;
}

size_t Follower::descriptors() const {
    size_t n = current_.fd.valid() ? 1 : 0;
    for (const auto* list : {&rotated_, &pinned_})
        for (const auto& r : *list)
            n += r->fd.valid() ? 1 : 0;
    return n;
}

bool Follower::give_back() {
    if (!current_.fd.valid() || current_.pos.offset < current_.size_seen)
        return false;
    current_.fd.reset();
    current_.closed = true;
    return true;
}

// keep_or_close -- r has just been opened: it keeps its descriptor if
// there was room, else it is known by identity only from now on.
bool Follower::keep_or_close(Reader* r, FollowContext*, bool room) {
    if (!room) {
        r->fd.reset();
        r->closed = true;
    }
    return room;
}

// reopen -- finds a file known by identity again: at the path if it still
// names the same inode (whatever it holds now: read() checks the bytes),
// else beside it under another name, by inode and first bytes.
Follower::Reopen Follower::reopen(Reader* r, FollowContext* ctx) {
    if (!ctx->peers->make_room(this))
        return Reopen::wait;
    int fd = -1;
    struct stat sb;
    if (stat(path_.c_str(), &sb) == 0 && sb.st_dev == r->dev && sb.st_ino == r->ino) {
        OpenError e;
        fd = open_safe(path_, &sb, &e);
        if (fd >= 0 && sb.st_ino != r->ino) {
            close(fd);  // replaced between the two calls: look beside
            fd = -1;
        }
    }
    if (fd < 0) {
        Wanted same;
        same.same_file = true;
        same.ino = r->ino;
        same.head.assign(r->head, r->head_len);
        fd = find_beside(path_, same);
    }
    if (fd < 0)
        return Reopen::lost;
    r->fd.reset(fd);
    r->closed = false;
    return Reopen::done;
}

void Follower::look_only(FollowContext* ctx, int64_t now) {
    struct stat sb;
    if (stat(path_.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode))
        return;
    // A file we have is left alone: the follower may be reading it now.
    FileStat st = to_file_stat(sb);
    if (!ctx->peers->holds(st.dev, st.ino)) {
        pin_missed(st, ctx, now);
        pin(st, ctx, now);
    }
}

void Follower::warn_once(FollowContext* ctx, const std::string& why, bool always) {
    // Every warning here is of a file that cannot be read (unread_): --once
    // reports those at its end, once and without "waiting".
    if (ctx->opts->once)
        return;
    uint32_t digest = 2166136261u;  // FNV-1a
    for (unsigned char c : why)
        digest = (digest ^ c) * 16777619u;
    digest |= 1;  // never 0, which means none
    if (warned_ == digest)
        return;
    warned_ = digest;
    (always || named_ ? ctx->warning : ctx->notice)(path_ + ": " + why);
}

// read -- sends what r has past its offset, up to a bound per poll so that
// one busy file does not starve the others.  flush: an unterminated last
// line goes too.
Follower::Read Follower::read(Reader* r, FollowContext* ctx, bool flush) {
    const Options& o = *ctx->opts;
    // Assigning into the scratch reuses its strings' room: no allocation
    // once the longest was seen.
    ctx->header = *header_;
    if (tag_from_path_)
        ctx->header.tag = tag_from_path(path_);
    CarveConfig& cfg = ctx->carve;
    cfg.header = &ctx->header;
    cfg.framing = ctx->transport->framing();
    cfg.size = o.size;
    cfg.truncate = o.truncate;
    cfg.skip_empty = o.skip_empty;
    cfg.prio_prefix = o.prio_prefix;
    cfg.rules = rules_;
    cfg.record_start = record_start_;
    cfg.counts = &stats_.lines;
    std::vector<char>& buf = *ctx->buffer;
    const size_t chunk_max = buf.size();
    Read result = Read::idle;
    // A file truncated and refilled with lines that end like the old ones
    // passes the check of the bytes before the offset; its first bytes
    // differ all the same.
    if (!r->z && r->head_len > 0 && r->pos.offset > int64_t(r->pos.tail_len)) {
        char head[sizeof r->head];
        ssize_t n = pread(r->fd.get(), head, r->head_len, 0);
        if (rewritten(r->head, r->head_len, head, n))
            return Read::truncated;
    }
    for (int rounds = 0; rounds < 64 && !g_stop; ++rounds) {
        // Read the bytes before the offset too: if they differ from what we
        // read there last time, the file was truncated and has grown back.
        // A hole is not read: its NUL bytes are no lines (see the manual).
        int64_t hole = -1;
        if (r->sparse) {
            if (skip_hole(r))
                result = Read::data;
            hole = data_end(*r);
        }
        size_t back = r->pos.tail_len;
        int64_t buf_at = r->pos.offset - int64_t(back);  // where buf starts
        size_t chunk = hole >= 0 && size_t(hole - buf_at) < chunk_max ? size_t(hole - buf_at)
                                                                      : chunk_max;
        ssize_t n = read_bytes(r, buf.data(), chunk, buf_at);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            unread_ = "read error: " + errno_text(errno);
            warn_once(ctx, unread_, true);
            return Read::failed;
        }
        if (size_t(n) < back || memcmp(buf.data(), r->pos.tail, back) != 0)
            return Read::truncated;
        if (buf_at == 0 && r->head_len < sizeof r->head) {
            // At the start of the file: note its first bytes, by which a
            // copy of it is known after a copytruncate.
            r->head_len = size_t(n) < sizeof r->head ? size_t(n) : sizeof r->head;
            memcpy(r->head, buf.data(), r->head_len);
        }
        size_t len = size_t(n) - back;
        // Up to a hole: the line before it ends there, and the NUL bytes
        // that end the writer's last block before it are the hole's.
        bool at_hole = hole >= 0 && buf_at + n == hole;
        bool at_eof = size_t(n) < chunk && !at_hole;
        while (at_hole && len > 0 && buf[back + len - 1] == '\0')
            --len;
        if (len == 0 && !at_hole)
            return result;
        Stamp& stamp = ctx->stamp;
        Batch& batch = *ctx->batch;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        stamp_set(&stamp, ts);
        size_t used = 0, got = 0;
        do {
            if (len == 0)
                break;
            size_t allowed = quota(ctx, now_ms());
            if (allowed == 0)
                break;  // --max-rate: the rest waits in the file
            batch.set_max_items(allowed);
            batch.clear();
            if (r->source == 0 && (r->source = ctx->next_source++) == 0)
                r->source = ctx->next_source++;  // wrapped: 0 is no source
            batch.set_origin(r->source, r->pos.offset);
            LineState before = r->lines;
            got = carve(buf.data() + back + used, len - used, r->pos.offset,
                               (flush && at_eof) || at_hole, ctx->carve, stamp, &r->lines,
                               &batch);
            size_t sent = batch.empty() ? 0
                        : ctx->transport->send(batch, &ctx->error, &ctx->exit_code);
            stats_.sent += sent;
            spend(ctx, sent);
            // Offset and check bytes move together after every batch, a
            // partial one too: a state saved now must resume exactly here.
            bool whole = settle(batch, sent, got, buf.data(), buf_at, before, &r->pos,
                                &r->lines);
            if (!whole && !ctx->error.empty())
                return Read::failed;  // the transport failed for good
            if (ctx->transport->take_rewinds(&ctx->rewinds)) {
                // The stream broke: read again what it may have lost before
                // anything newer goes (the other followers: FollowSet).
                rewind(ctx->rewinds);
                return Read::data;
            }
            if (!whole) {
                // It took less (stopping, or it cannot take more now): the
                // rest stays in the file, which is not done with.
                return sent > 0 || result == Read::data ? Read::data : Read::idle;
            }
            used += got;
            if (got > 0)
                result = Read::data;
        } while (got > 0 && used < len);
        if (at_hole && used == len) {
            // Nothing left before the hole: the offset moves to it.
            hole_at(r, hole);
            result = Read::data;
            continue;
        }
        if (at_eof || used < len)
            return result;
    }
    return result;
}

// quota -- how many messages --max-rate lets go now (the process's bucket
// and this file's own); SIZE_MAX without a cap.
size_t Follower::quota(FollowContext* ctx, int64_t now) {
    size_t allowed = SIZE_MAX;
    for (TokenBucket* b : {ctx->rate, rate_})
        if (b && b->available(now) < allowed)
            allowed = b->available(now);
    throttled_ |= allowed == 0;
    return allowed;
}

void Follower::spend(FollowContext* ctx, size_t sent) {
    for (TokenBucket* b : {ctx->rate, rate_})
        if (b)
            b->take(sent);
}

int64_t Follower::behind() const {
    int64_t bytes = 0;
    for (const auto& r : rotated_)
        if (!r->z || r->z->finished())  // else its size is not known yet
            bytes += r->size_seen > r->pos.offset ? r->size_seen - r->pos.offset : 0;
    if (current_.fd.valid() && current_.size_seen > current_.pos.offset)
        bytes += current_.size_seen - current_.pos.offset;
    return bytes;
}

// read_bytes -- pread(2) of r's file, or of its decompressed content.
ssize_t Follower::read_bytes(Reader* r, char* dst, size_t len, int64_t offset) {
    if (r->z)
        return r->z->read_at(dst, len, offset);
    return pread(r->fd.get(), dst, len, offset);
}

// retire -- closes a rotated file, remembering how far it was read.
void Follower::retire(Reader* r, FollowContext* ctx) {
    ctx->peers->retire(Retired{r->dev, r->ino, r->pos});
    r->fd.reset();
    if (r->z && r->z->finished() && !r->z->failure().empty())
        ctx->warning(r->z_name + ": decompressor failed (" + r->z->failure() +
                     "); lines past what it gave are lost");
    r->z.reset();
}

// drain_rotated -- reads the rotated files, oldest first; closes those that
// stayed unchanged for --rotate-wait.  *quiet: all are read to their end
// and none changed within the order window.
bool Follower::drain_rotated(FollowContext* ctx, int64_t now, bool* quiet) {
    bool any = false;
    *quiet = true;
    const Options& o = *ctx->opts;
    for (size_t i = 0; i < rotated_.size();) {
        Reader* r = rotated_[i].get();
        if (r->closed) {
            Reopen got = reopen(r, ctx);
            if (got == Reopen::wait) {  // no descriptor to spare yet
                *quiet = false;
                break;  // the newer ones wait their turn
            }
            if (got == Reopen::lost) {
                if (r->pos.offset < r->size_seen)
                    ctx->warning(path_ + ": a rotated file is gone before it was read; its last lines are lost");
                rotated_.erase(rotated_.begin() + long(i));
                continue;
            }
        }
        // A decompressed generation has no writer: its size is known once
        // its decompressor is done, and its last line is whole by then.
        bool still = r->z != nullptr;
        struct stat sb;
        if (still) {
            r->size_seen = r->z->finished() ? r->z->size() : INT64_MAX;
        } else if (fstat(r->fd.get(), &sb) == 0) {
            r->sparse = to_file_stat(sb).sparse;
            if (int64_t(sb.st_size) != r->size_seen) {
                r->size_seen = int64_t(sb.st_size);
                r->changed_ms = now;
            }
        }
        // With --once too: a rotated file still written to stays in the
        // state file, for the next run to read what comes.
        bool waited = still || now - r->changed_ms >= o.rotate_wait_ms;
        // Its writer has moved on once it is quiet: an unterminated last
        // line will not be finished, and must not hold up the new file.
        bool flush = still || now - r->changed_ms >= order_window(o);
        Read got = r->pos.offset < r->size_seen ? read(r, ctx, flush) : Read::idle;
        if (got == Read::failed && !ctx->error.empty())
            return any;
        if (got == Read::failed && !g_stop) {
            // A rotated file that cannot be read (EIO, ...) was warned
            // about; it must not hold its successor back for ever.
            retire(r, ctx);
            rotated_.erase(rotated_.begin() + long(i));
            continue;
        }
        if (got == Read::data) {
            any = true;
            r->changed_ms = now;
        }
        if (got == Read::truncated) {  // a rotated file truncated: start over
            r->pos.reset(0, nullptr, 0);
            r->lines = LineState();
            any = true;
            continue;
        }
        if (still && r->z->finished())
            r->size_seen = r->z->size();
        bool drained = r->pos.offset >= r->size_seen &&
                       (still || o.once || now - r->changed_ms >= order_window(o));
        if (!drained)
            *quiet = false;
        if (waited && r->pos.offset >= r->size_seen) {
            retire(r, ctx);
            rotated_.erase(rotated_.begin() + long(i));
            continue;
        }
        // Generations go one after another, oldest first: the next is read
        // once this one is read to its end and quiet (read in turns, their
        // lines came out in slices of 64 KB).
        if (!drained)
            break;
        ++i;
    }
    return any;
}

// adopt -- makes a rotated file we still have open the current one again,
// as when a symlink points back to a file it named before; it is then read
// after the files rotated since.
bool Follower::adopt(const FileStat& st) {
    for (auto it = rotated_.begin(); it != rotated_.end(); ++it) {
        if ((*it)->dev == st.dev && (*it)->ino == st.ino) {
            current_ = std::move(**it);
            rotated_.erase(it);
            return true;
        }
    }
    return false;
}

// pin -- opens the file the path names now, if nobody else follows it, and
// queues it after the files we have: from then on it is ours whatever its
// name becomes.  Past the descriptor budget it is kept by identity.  Starts
// at its end if it was there when we started (unless --from-start), where
// it was left if we read it before, else at 0.
bool Follower::pin(const FileStat& st, FollowContext* ctx, int64_t now,
                   const std::string* beside) {
    if (ctx->peers->holds(st.dev, st.ino))
        return !beside && !current_.known() && adopt(st);  // else another follower reads it
    bool room = ctx->peers->make_room(this);
    struct stat sb;
    OpenError e;
    int fd = open_safe(beside ? *beside : path_, &sb, &e);
    if (fd < 0) {
        // A refusal is a trap or a misconfiguration: said every time.
        if (!beside && e.err != EAGAIN) {  // else it changed under us: look again next poll
            unread_ = e.why;
            warn_once(ctx, e.why + ", waiting", e.refused);
        }
        return false;
    }
    Fd owned(fd);
    FileStat opened = to_file_stat(sb);
    if (ctx->peers->holds(opened.dev, opened.ino))
        return false;  // the path changed under us, to a file we have
    int64_t offset = 0;
    if (at_start_ && !ctx->opts->from_start && !beside)
        offset = opened.size;
    // With a state file, starting at the end of a file is a choice the user
    // should hear of: a first run, or a file new to the command line.
    if (offset > 0 && !ctx->opts->state_path.empty())
        ctx->warning(path_ + ": no saved position, skipped " + std::to_string(offset) +
                     " bytes (use --from-start to send them)");
    std::unique_ptr<Reader> pinned(new Reader);
    Reader& r = *pinned;
    if (offset > 0) {
        // Seed the truncation check with the bytes before the offset.
        char tail[sizeof r.pos.tail];
        size_t keep = offset < int64_t(sizeof tail) ? size_t(offset) : sizeof tail;
        ssize_t got = pread(fd, tail, keep, offset - int64_t(keep));
        r.pos.reset(offset, tail, got == ssize_t(keep) ? keep : 0);
    }
    // Read before: carry on where we stopped, if the bytes before that
    // offset are still those read.  Else the inode number was reused by a
    // new file, to be read as any other; checked now, as a new file of the
    // very size of the old one would never be read to find out.
    const Retired* old = ctx->peers->retired(opened.dev, opened.ino);
    if (old && old->pos.offset <= opened.size &&
        same_bytes(fd, old->pos.offset - int64_t(old->pos.tail_len),
                   std::string(old->pos.tail, old->pos.tail_len)))
        r.pos = old->pos;
    r.head_len = size_t(pread(fd, r.head, sizeof r.head, 0));
    if (r.head_len > sizeof r.head)
        r.head_len = 0;  // pread failed
    r.fd = std::move(owned);
    r.dev = opened.dev;
    r.ino = opened.ino;
    r.size_seen = opened.size;
    r.sparse = opened.sparse;
    r.changed_ms = last_change_ms(sb, *ctx->opts, now);
    r.ctime_seen = sb.st_ctim;  // with its first bytes, read just now
    r.recheck_ms = now + kTimeGrainMs;
    keep_or_close(&r, ctx, room);
    pinned_.push_back(std::move(pinned));
    if (warned_ != 0)  // said as loud as the warning it ends
        (named_ && !ctx->opts->once ? ctx->warning : ctx->notice)(path_ + ": following");
    warned_ = 0;
    unread_.clear();
    return true;
}

// pin_missed -- the path names a file we do not have, and we have an
// older one: generations made and rotated away between two looks lie
// beside the path, written after the newest file we have.  They are pinned
// first, oldest first, so that they are read in their turn.
void Follower::pin_missed(const FileStat& at_path, FollowContext* ctx, int64_t now) {
    const Reader* newest = !pinned_.empty() ? pinned_.back().get()
                         : current_.known() ? &current_
                         : !rotated_.empty() ? rotated_.back().get() : nullptr;
    struct stat sb;
    if (!newest || !newest->fd.valid() || fstat(newest->fd.get(), &sb) < 0)
        return;
    for (const Generation& g : generations_beside(path_, sb)) {
        if ((g.dev == at_path.dev && g.ino == at_path.ino) || ctx->peers->retired(g.dev, g.ino))
            continue;
        FileStat st;
        st.exists = st.regular = true;
        st.dev = g.dev;
        st.ino = g.ino;
        if (pin(st, ctx, now, &g.name))
            ctx->notice(path_ + ": " + g.name + " was made and rotated away between two looks");
    }
}

// look -- stats the path and acts on what changed, before anything is read:
// a file the path names again must leave the rotated list before the
// rotated files are drained, or its new lines would overtake older ones.
bool Follower::look(FollowContext* ctx, int64_t now) {
    FileStat at_path, open;
    struct stat sb;
    if (stat(path_.c_str(), &sb) == 0)
        at_path = to_file_stat(sb);
    else
        at_path.error = errno;
    if (current_.known()) {
        open.exists = open.regular = true;
        open.dev = current_.dev;
        open.ino = current_.ino;
        open.size = current_.size_seen;
        open.ctime = current_.ctime_seen;
        if (current_.recheck_ms >= 0 && now >= current_.recheck_ms)
            open.ctime = {};  // not trusted yet: compare the first bytes
    }
    bool gone = !at_path.exists && idle() &&
                (at_path.error == ENOENT || at_path.error == ENOTDIR);
    if (!gone)
        gone_since_ = -1;
    else if (gone_since_ < 0)
        gone_since_ = now;
    switch (classify(open, at_path, current_.pos.offset)) {
    case Change::missing:
    case Change::not_regular:
    case Change::replaced:
        if (current_.known()) {
            ctx->notice(path_ + (at_path.exists ? ": has been replaced"
                                                : ": has gone, draining the old file"));
            rotated_.push_back(std::unique_ptr<Reader>(new Reader(std::move(current_))));
            current_ = Reader();
            stats_.rotations++;
            if (at_path.regular && !adopt(at_path) &&
                !ctx->peers->holds(at_path.dev, at_path.ino)) {
                pin_missed(at_path, ctx, now);
                pin(at_path, ctx, now);  // ours from now on, read in its turn
            }
            return true;
        }
        if (!at_path.exists) {
            unread_ = errno_text(at_path.error);
            warn_once(ctx, unread_ + ", waiting", false);
        } else if (!at_path.regular) {
            unread_ = S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file";
            warn_once(ctx, S_ISDIR(sb.st_mode) ? "is a directory, waiting"
                                               : "not a regular file, ignored until it is",
                      true);
        }
        return false;
    case Change::appeared:
        if (!ctx->peers->holds(at_path.dev, at_path.ino)) {
            pin_missed(at_path, ctx, now);
            pin(at_path, ctx, now);
        }
        return false;
    case Change::truncated:
        restart_at_zero(ctx, now);
        return true;
    case Change::touched: {
        bool unsure;
        bool again = rewritten_in_place(ctx, &unsure);
        if (unsure)
            return false;  // its change time stays unseen: asked next look
        current_.recheck_ms = -1;
        seen_change_time(at_path, now);
        if (again) {
            restart_at_zero(ctx, now);
            current_.size_seen = at_path.size;
            current_.changed_ms = now;
            return true;
        }
    }
        [[fallthrough]];
    case Change::grew:
    case Change::unchanged:
        current_.sparse = at_path.sparse;
        if (at_path.size != current_.size_seen) {
            current_.size_seen = at_path.size;
            current_.changed_ms = now;
        }
        // Growth is read, and read() compares the first bytes anyway.
        seen_change_time(at_path, now);
        return false;
    }
    return false;
}

// seen_change_time -- notes the current file's change time as the path
// shows it now; a new one is compared again once it is old enough to be
// trusted (kTimeGrainMs).
void Follower::seen_change_time(const FileStat& at_path, int64_t now) {
    if (compare(at_path.ctime, current_.ctime_seen) == 0)
        return;
    current_.ctime_seen = at_path.ctime;
    current_.recheck_ms = now + kTimeGrainMs;
}

// rewritten_in_place -- whether the current file, at the very size we read
// it to, no longer starts with the first bytes we kept: one pread(2), made
// only when its change time moved.  A file written again with the same
// first bytes cannot be told (the manual says so).  *unsure: it could not
// be looked at now (kept by identity, no descriptor to spare).
bool Follower::rewritten_in_place(FollowContext* ctx, bool* unsure) {
    *unsure = false;
    if (current_.head_len == 0 || current_.pos.offset == 0)
        return false;  // nothing kept to compare, or nothing read to lose
    if (current_.closed) {
        Reopen got = reopen(&current_, ctx);
        *unsure = got == Reopen::wait;
        if (got != Reopen::done)
            return false;
    }
    char head[sizeof current_.head];
    ssize_t n = pread(current_.fd.get(), head, current_.head_len, 0);
    return rewritten(current_.head, current_.head_len, head, n);
}

// restart_at_zero -- the current file was truncated.  If a copy of what it
// held is beside it (copytruncate), the lines we had not read yet are read
// from the copy first; then the file from 0.
void Follower::restart_at_zero(FollowContext* ctx, int64_t now) {
    stats_.truncations++;
    SavedFile was = saved_from(path_, current_);
    Wanted copy_of;
    copy_of.ino = was.ino;
    copy_of.offset = was.offset;
    copy_of.head = was.head;
    copy_of.tail = was.tail;
    bool room = ctx->peers->make_room(this);
    int copy = current_.pos.offset > 0 ? find_beside(path_, copy_of) : -1;
    std::unique_ptr<Reader> r(new Reader);
    if (copy >= 0 && start_reader(r.get(), copy, was, now)) {
        keep_or_close(r.get(), ctx, room);
        ctx->notice(path_ + ": file truncated, reading the rest from its copy");
        r->lines = current_.lines;
        rotated_.push_back(std::move(r));
    } else {
        ctx->notice(path_ + ": file truncated");
    }
    current_.pos.reset(0, nullptr, 0);
    current_.head_len = 0;
    current_.lines = LineState();
}

bool Follower::poll(FollowContext* ctx, int64_t now) {
    const Options& o = *ctx->opts;
    throttled_ = false;

    bool busy = look(ctx, now);
    bool quiet;
    busy |= drain_rotated(ctx, now, &quiet);
    if (!ctx->error.empty())
        return false;
    // The next generation waits until every rotated one is drained and quiet.
    if (quiet && !current_.known() && !pinned_.empty()) {
        current_ = std::move(*pinned_.front());
        pinned_.erase(pinned_.begin());
        busy = true;
    }
    Reopen reopened = Reopen::done;
    if (quiet && current_.closed && current_.pos.offset < current_.size_seen)
        reopened = reopen(&current_, ctx);
    if (reopened == Reopen::lost) {
        // Gone between two looks (the next look names what replaced it).
        ctx->warning(path_ + ": the file followed is gone; its last lines are lost");
        current_ = Reader();
    }
    if (quiet && current_.fd.valid() && current_.pos.offset < current_.size_seen) {
        bool flush = now - current_.changed_ms >= o.partial_timeout_ms;
        switch (read(&current_, ctx, flush)) {
        case Read::data:
            busy = true;
            break;
        case Read::truncated:
            restart_at_zero(ctx, now);
            busy = true;
            break;
        case Read::idle:
        case Read::failed:
            break;
        }
    }
    at_start_ = false;  // from now on, a file that appears is read from 0
    if (throttled_) {
        // Come back when there is something to spend, not before.
        if (busy)
            pace_arrival(&pace_, now);
        int64_t wait = 1;
        for (TokenBucket* b : {ctx->rate, rate_})
            if (b && b->wait_ms(now) > wait)
                wait = b->wait_ms(now);
        next_poll_ = now + wait;
        return false;
    }
    // A busy file is polled again at once, then at its pace.
    if (busy) {
        pace_arrival(&pace_, now);
        next_poll_ = now;
        return true;
    }
    PaceLimits limits;
    limits.shortest_ms = kShortestPollMs;
    limits.longest_ms = now - pace_.last_ms >= kLongIdleMs && rotated_.empty() && pinned_.empty()
                      ? o.sleep_ms * kLongIdleFactor : o.sleep_ms;
    next_poll_ = pace_next(pace_, now, limits);
    return false;
}

// start_reader -- r reads fd (which it then owns) from where at says,
// checking at's bytes.  False, fd closed, if fd cannot be looked at.
bool Follower::start_reader(Reader* r, int fd, const SavedFile& at, int64_t now) {
    Fd owned(fd);
    struct stat sb;
    if (fstat(fd, &sb) < 0)
        return false;
    r->fd = std::move(owned);
    r->dev = sb.st_dev;
    r->ino = sb.st_ino;
    r->pos.reset(at.offset, at.tail.data(), at.tail.size());
    r->head_len = at.head.size() < sizeof r->head ? at.head.size() : sizeof r->head;
    memcpy(r->head, at.head.data(), r->head_len);
    r->size_seen = int64_t(sb.st_size);
    r->sparse = to_file_stat(sb).sparse;
    r->changed_ms = now;
    r->ctime_seen = sb.st_ctim;  // its first bytes were checked, or are at's
    r->recheck_ms = now + kTimeGrainMs;
    return true;
}

// find_compressed -- looks beside the path for a compressed generation
// holding the file at describes, and queues it to be read from at's offset.
// Its state entry stays at's (dev, ino, head), the offset moving on in its
// decompressed content: a restart finds it again the same way.
bool Follower::find_compressed(const SavedFile& at, FollowContext* ctx, int64_t now) {
    if (!ctx->decompressors)
        return false;
    std::vector<std::string> missing;
    std::unique_ptr<Decompressed> z =
        find_compressed_beside(path_, at.head, at.offset, at.tail, *ctx->decompressors,
                               ctx->buffer->size(), &missing);
    warn_missing(missing, ctx);
    if (!z)
        return false;
    ctx->notice(path_ + ": rotated and compressed while stopped, reading the rest from " +
                z->name());
    std::unique_ptr<Reader> r(new Reader);
    r->dev = at.dev;
    r->ino = at.ino;
    r->pos.reset(at.offset, at.tail.data(), at.tail.size());
    r->head_len = at.head.size() < sizeof r->head ? at.head.size() : sizeof r->head;
    memcpy(r->head, at.head.data(), r->head_len);
    queue_compressed(std::move(r), std::move(z), *ctx->opts, now);
    return true;
}

// read_compressed -- queues g, a compressed generation never seen (made and
// rotated away while we were stopped), to be read whole.  Its state entry
// is the compressed file's (dev, ino) and first decompressed bytes: a
// restart finds it again as find_compressed does.
bool Follower::read_compressed(const Generation& g, FollowContext* ctx, int64_t now) {
    std::string missing, err;
    std::unique_ptr<Decompressed> z =
        open_compressed(g.name, *ctx->decompressors, ctx->buffer->size(), &missing, &err);
    if (!missing.empty())
        warn_missing({missing}, ctx);
    if (!z) {
        if (!err.empty())
            ctx->warning(err);
        return false;
    }
    std::unique_ptr<Reader> r(new Reader);
    ssize_t n = z->read_at(r->head, sizeof r->head, 0);
    if (n < 0) {
        ctx->warning(g.name + ": " + errno_text(errno));
        return false;
    }
    r->head_len = size_t(n);
    r->dev = g.dev;
    r->ino = g.ino;
    ctx->notice(path_ + ": rotated and compressed while stopped, reading " + g.name + " too");
    queue_compressed(std::move(r), std::move(z), *ctx->opts, now);
    return true;
}

// queue_compressed -- r, to be read through z, goes after the rotated files
// queued: it has no writer (quiet already), and its size is known once z is
// done.
void Follower::queue_compressed(std::unique_ptr<Reader> r, std::unique_ptr<Decompressed> z,
                                const Options& o, int64_t now) {
    r->size_seen = INT64_MAX;
    r->changed_ms = now - o.rotate_wait_ms;
    r->z_name = z->name();
    r->z = std::move(z);
    rotated_.push_back(std::move(r));
}

// warn_missing -- one warning per decompressor not found, for the whole run.
void Follower::warn_missing(const std::vector<std::string>& tools, FollowContext* ctx) {
    for (const std::string& tool : tools) {
        bool told = false;
        for (const std::string& t : ctx->missing_tools)
            told = told || t == tool;
        if (told)
            continue;
        ctx->missing_tools.push_back(tool);
        ctx->warning(path_ + ": " + tool +
                     " not found on PATH: generations compressed with it are not read");
    }
}

void Follower::save(std::vector<SavedFile>* out,
                    const std::vector<Origin>& unconfirmed) const {
    // A rotated file being drained is saved where it was read to: moved
    // back, its entry kept the next run from the generations after it
    // (t_ops_state_kill lost lines).  Only the file at the name moves back,
    // to its oldest message not known to be delivered.
    for (const auto& r : rotated_)
        out->push_back(saved_from(state_name_, *r));
    if (current_.known()) {
        SavedFile f = saved_from(state_name_, current_);
        int64_t back = origin_of(unconfirmed, current_);
        Position pos;
        if (back >= 0 && back < f.offset && position_at(current_, back, &pos)) {
            f.offset = pos.offset;
            f.tail.assign(pos.tail, pos.tail_len);
        }
        out->push_back(f);
    }
    for (const auto& r : pinned_)
        out->push_back(saved_from(state_name_, *r));
    if (!current_.known() && rotated_.empty() && pinned_.empty()) {
        SavedFile absent;  // dev and ino 0: nothing read here yet
        absent.path = state_name_;
        out->push_back(absent);
    }
}

bool Follower::rewind(const std::vector<Origin>& to) {
    bool moved = false;
    auto one = [&](Reader& r) {
        int64_t back = origin_of(to, r);
        if (back < 0 || back >= r.pos.offset || !position_at(r, back, &r.pos))
            return;
        // Where a line starts, unless the byte before says otherwise (a
        // piece of a long line split in several messages).
        r.lines = LineState();
        r.lines.mid_line = r.pos.tail_len > 0 && r.pos.tail[r.pos.tail_len - 1] != '\n';
        moved = true;
    };
    for (auto& r : rotated_)
        one(*r);
    if (current_.fd.valid())
        one(current_);
    if (moved)
        next_poll_ = 0;
    return moved;
}

// The state file is input we did not check when it was written: at most
// this many of its entries are taken up for one path (a path has its
// current file and those rotated during one outage).
const size_t kSavedPerPath = 64;

void Follower::resume(const std::vector<SavedFile>& saved, FollowContext* ctx,
                      int64_t now) {
    struct stat sb;
    bool path_ok = stat(path_.c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
    size_t taken = 0;
    for (const SavedFile& f : saved) {
        if (f.path != state_name_)
            continue;
        if (++taken > kSavedPerPath) {
            ctx->warning(path_ + ": more than " + std::to_string(kSavedPerPath) +
                         " files saved in the state file; the rest ignored");
            break;
        }
        // No first bytes to check: any file would pass for it.
        if (f.head.empty() && f.offset != 0) {
            ctx->warning(path_ + ": a saved entry without its first bytes, ignored");
            continue;
        }
        if (f.dev == 0 && f.ino == 0)
            continue;  // no file here last time: one that is here now is new
        Wanted same;
        same.same_file = true;
        same.ino = f.ino;
        same.head = f.head;
        if (path_ok && sb.st_ino == f.ino) {  // and the same first bytes, below
            // Still at its name.  A truncation since is found by the first
            // look (size) or read (bytes before the offset).
            bool room = ctx->peers->make_room(this);
            struct stat opened;
            OpenError e;
            int fd = open_safe(path_, &opened, &e);
            if (fd >= 0 && opened.st_ino == f.ino && same_bytes(fd, 0, f.head)) {
                if (start_reader(&current_, fd, f, now)) {
                    current_.changed_ms = last_change_ms(sb, *ctx->opts, now);
                    keep_or_close(&current_, ctx, room);
                    continue;
                }
                fd = -1;  // closed by start_reader
            }
            if (fd >= 0)
                close(fd);
        }
        {
            // Rotated while we were stopped, renamed or copied: the rest of
            // it goes first.
            bool room = ctx->peers->make_room(this);
            int fd = find_beside(path_, same);
            if (fd < 0) {
                Wanted copy = same;
                copy.same_file = false;
                copy.offset = f.offset;
                copy.tail = f.tail;
                fd = find_beside(path_, copy);
            }
            std::unique_ptr<Reader> r(new Reader);
            if (fd >= 0 && start_reader(r.get(), fd, f, now)) {
                // Kept --rotate-wait after its last change, as any rotated
                // file: its writer may not have reopened yet, and what it
                // adds must not be lost (nor, with --once, the entry that
                // lets the next run read it).
                struct stat rs;
                r->changed_ms = fstat(r->fd.get(), &rs) == 0
                                    ? last_change_ms(rs, *ctx->opts, now)
                                    : now - ctx->opts->rotate_wait_ms;
                keep_or_close(r.get(), ctx, room);
                rotated_.push_back(std::move(r));
                ctx->notice(path_ + ": rotated while stopped, reading the rest of the old file");
                continue;
            }
            if (find_compressed(f, ctx, now))
                continue;
        }
        if (path_ok && sb.st_ino == f.ino && sb.st_dev == f.dev)
            ctx->warning(path_ + ": emptied and written anew since the last run; read from "
                                 "its start (lines it held past the saved position are lost)");
        else
            ctx->warning(path_ + ": the file read last time is gone; lines written to it since are lost");
    }
    if (taken > 0)
        at_start_ = false;  // a file at the path that we never read is new: from 0
    if (!current_.known() && !rotated_.empty())
        find_newer(rotated_.back().get(), saved, ctx, now);
}

// find_newer -- the file read last was rotated away while we were stopped;
// so may have been others after it, created and rotated away before we came
// back.  Every file beside the path (path.*, path-*, compressed ones aside)
// modified after the last one read, that is neither a saved file nor the
// one at the path, is such a generation: read whole, oldest first by mtime.
void Follower::find_newer(Reader* last, const std::vector<SavedFile>& saved,
                          FollowContext* ctx, int64_t now) {
    struct stat sb;
    if (last->z) {  // compressed: its modification time is the file's
        if (lstat(last->z_name.c_str(), &sb) < 0)
            return;
    } else {
        if (last->closed && reopen(last, ctx) != Reopen::done)
            return;
        if (fstat(last->fd.get(), &sb) < 0)
            return;
    }
    struct stat at_path;
    bool path_ok = stat(path_.c_str(), &at_path) == 0;
    std::vector<Generation> found = generations_beside(path_, sb, ctx->decompressors);
    for (const Generation& g : found) {
        bool known = path_ok && g.ino == at_path.st_ino && g.dev == at_path.st_dev;
        for (const SavedFile& f : saved)
            known = known || (f.path == state_name_ && f.ino == g.ino);
        for (const auto& r : rotated_)
            known = known || (r->z && r->z_name == g.name);
        if (known || ctx->peers->holds(g.dev, g.ino))
            continue;
        if (g.compressed) {
            read_compressed(g, ctx, now);
            continue;
        }
        bool room = ctx->peers->make_room(this);
        struct stat opened;
        OpenError e;
        int fd = open_safe(g.name, &opened, &e);
        std::unique_ptr<Reader> r(new Reader);
        SavedFile whole;
        if (fd < 0 || !start_reader(r.get(), fd, whole, now))
            continue;
        r->head_len = size_t(pread(r->fd.get(), r->head, sizeof r->head, 0));
        if (r->head_len > sizeof r->head)
            r->head_len = 0;
        keep_or_close(r.get(), ctx, room);
        r->changed_ms = now - ctx->opts->rotate_wait_ms;
        rotated_.push_back(std::move(r));
        ctx->notice(path_ + ": rotated while stopped, reading " + g.name + " too");
    }
}

}  // namespace t2s
