// follow -- following files by name, like tail -F, by stat(2) polling.
#ifndef T2S_FOLLOW_H
#define T2S_FOLLOW_H

#include <sys/types.h>
#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "decompress.h"
#include "format.h"
#include "lines.h"
#include "pace.h"
#include "rate.h"
#include "records.h"
#include "state.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

// What one poll of a followed path can find, given the file we have open.
enum class Change {
    unchanged,    // same file, same size as our offset
    touched,      // same file, same size as our offset, changed since we
                  // looked: emptied and written again? its first bytes tell
    grew,         // same file, bytes past our offset
    truncated,    // same file, now shorter than our offset
    replaced,     // the path names another file now (rename, re-pointed link)
    missing,      // the path names nothing (deleted or renamed away)
    not_regular,  // the path names a directory, FIFO, device, ...
    appeared,     // the path names a regular file and we had none open
};

// What stat(2) said of a path or descriptor.
struct FileStat {
    bool exists = false;
    bool regular = false;
    dev_t dev = 0;
    ino_t ino = 0;
    int64_t size = 0;
    bool sparse = false;  // fewer blocks than its size: it may have holes
    struct timespec ctime = {};  // any write, truncation or chmod moves it
    int error = 0;  // when !exists: the errno of the failed stat(2)
};

// What find_beside looks for: the file itself under a rotated name
// (same_file: same inode), or a copy of it there.
// Either way it must start with head and, for a copy, hold tail just before
// offset.
struct Wanted {
    bool same_file = false;
    ino_t ino = 0;
    int64_t offset = 0;
    std::string head, tail;
};

// rotated_name -- whether name is one that rotation gives the file base:
// base.N or base-DATE (a '.' or '-', a digit, then digits and ".-_" only:
// app.log.1, app.log-20261129, app.log.1.gz).  Nothing else beside a
// followed file is ever looked at.
bool rotated_name(const std::string& base, const std::string& name);

// find_beside -- searches the rotated names of path (compressed files
// aside: find_compressed_beside looks at those) for what w describes, opening each along open_safe's rules and
// never through a symbolic link.  Returns an open descriptor, or -1.
int find_beside(const std::string& path, const Wanted& w);

// A file beside a followed path, as generations_beside finds it.
struct Generation {
    std::string name;
    bool compressed = false;  // its name has a compressor's suffix
    dev_t dev = 0;
    ino_t ino = 0;
    struct timespec mtime = {};
    struct timespec ctime = {};
};

// generations_beside -- the regular files named like rotated generations of
// path (path.*, path-*; compressed ones too if with_compressed: compressors
// keep the modification time) written after last (a tie on the
// modification time goes to the later change time), oldest first.
std::vector<Generation> generations_beside(const std::string& path,
                                           const struct stat& last,
                                           bool with_compressed = false);

// classify -- the pure heart of following: what happened to the path, given
// the file we have open (open.exists false if none; its ctime as last seen)
// and our offset in it.
Change classify(const FileStat& open, const FileStat& path, int64_t offset);

// rewritten -- whether a file whose first kept_len bytes were kept now
// starts otherwise: got holds the n bytes read there (n < 0: the read
// failed, which tells nothing).  Fewer bytes, or others, mean it was
// emptied and written again.
bool rewritten(const char* kept, size_t kept_len, const char* got, ssize_t n);

// One open file being read: the current one of a path, or a rotated one
// being drained.
struct Reader {
    Fd fd;
    dev_t dev = 0;
    ino_t ino = 0;
    Position pos;             // end of the last line handed to the transport,
                              // and the bytes before it
    LineState lines;
    char head[32] = {};       // the file's first bytes, to know a copy of it
    size_t head_len = 0;
    int64_t size_seen = -1;   // size at the last poll
    bool sparse = false;      // it may have holes, to be skipped
    int64_t changed_ms = 0;   // when the size last changed
    struct timespec ctime_seen = {};  // its change time at the last look
    int64_t recheck_ms = -1;  // when a look compares its first bytes
                              // again, whatever its change time; -1: none
    uint32_t source = 0;      // its id in the transport's origins; 0 until
                              // it first sends
    // A compressed generation, read through its decompressor (fd unused):
    // offsets are in its decompressed content, dev and ino are those of the
    // file it was before compression, as saved.
    std::unique_ptr<Decompressed> z;
    std::string z_name;       // its name, for warnings
    // closed: known by identity alone (dev, ino, pos, head), its descriptor
    // given back to stay within the budget; reopen finds it again.
    bool closed = false;

    // known -- whether this reader stands for a file, open or not.
    bool known() const { return fd.valid() || closed; }
};

// Statistics of one followed path, for SIGUSR1.
struct FollowStats {
    LineCounts lines;
    uint64_t sent = 0;  // messages sent
    uint64_t rotations = 0;
    uint64_t truncations = 0;
};

// A file closed after rotation, with how far it was read, so that it is not
// read twice if it turns up under another followed name.
struct Retired {
    dev_t dev;
    ino_t ino;
    Position pos;  // its bytes are checked on reuse: an inode number can be reused
};

class Follower;

// Peers -- what a follower asks of the others (FollowSet answers).
class Peers {
public:
    virtual ~Peers() = default;
    // holds -- whether some follower has the file (dev, ino) open.
    virtual bool holds(dev_t dev, ino_t ino) const = 0;
    // retire -- remembers a file closed after rotation.
    virtual void retire(const Retired& file) = 0;
    // retired -- the latest file retired as (dev, ino), or null.
    virtual const Retired* retired(dev_t dev, ino_t ino) const = 0;
    // make_room -- whether asking may open one more file within the
    // descriptor budget, after taking one from an idle follower if need be.
    // False: asking keeps the file by identity only, or waits.
    virtual bool make_room(const Follower* asking) = 0;
};

// What every follower shares: settings, the read buffer, the batch, the
// transport, and where notices go.
struct FollowContext {
    const Options* opts = nullptr;
    Transport* transport = nullptr;
    Batch* batch = nullptr;
    std::vector<char>* buffer = nullptr;
    Stamp stamp;
    TokenBucket* rate = nullptr;  // --max-rate for the process; may be null
    Notify notice = nullptr;   // shown with -v
    Notify warning = nullptr;  // always shown
    // The directory we started in: followers' names are made absolute
    // against it for the state file (Follower::state_name).
    std::string cwd;
    // Set when the transport failed for good: main reports it and exits.
    std::string error;
    int exit_code = 0;
    Peers* peers = nullptr;    // the other followers; not owned
    uint32_t next_source = 1;  // the next Reader::source given out (never 0)
    std::vector<Origin> rewinds;  // from the transport, for every follower
    // The decompressors found at start, or null: compressed generations are
    // then not looked for.  Not owned.
    const Decompressors* decompressors = nullptr;
    // The tools found missing and warned about, once each.
    std::vector<std::string> missing_tools;
    // Scratch for the follower being polled, so that a follower keeps no
    // copy of them: its header (its tag in its spec's) and carve settings.
    Header header;
    CarveConfig carve;
};

// Follower follows one path.  Its table of cases is at the top of follow.cc.
class Follower {
public:
    // at_start: the path was named when we started; an existing file is then
    // read from its end unless --from-start.
    // rules: the per-line rules of its spec, owned by the caller; may be null.
    // header: not copied (a spec's followers share it), must outlive the
    // follower; tag_from_path: the messages' tag is the path's base name
    // (made when read, rather than kept by each of thousands of followers).
    Follower(std::string path, const Header& header, Rules* rules, bool at_start,
             bool tag_from_path = false);

    // set_named -- the path was named as it is (not matched by a glob):
    // that it cannot be read, and that it can again, is said without -v.
    void set_named(bool named) { named_ = named; }

    // set_records -- --record-start and a --max-rate of this file's own,
    // owned by the caller; either may be null.
    void set_records(RecordStart* record_start, TokenBucket* rate) {
        record_start_ = record_start;
        rate_ = rate;
    }

    // poll -- one look at the path: drains rotated files, reads what is new.
    // Returns true if any bytes were read, so the caller polls again at once.
    bool poll(FollowContext* ctx, int64_t now);

    // next_poll -- when this path next wants a look, in now_ms() time.
    int64_t next_poll() const { return next_poll_; }

    // holds -- whether this follower has the file (dev, ino), open or
    // known by identity.
    bool holds(dev_t dev, ino_t ino) const;

    // look_only -- pins the file the path names now if it is new, reading
    // nothing: for the loop to keep looking while the destination is down.
    // Never takes another follower's descriptor.
    void look_only(FollowContext* ctx, int64_t now);

    // descriptors -- how many descriptors this follower holds.
    size_t descriptors() const;

    // give_back -- closes the current file's descriptor if everything in it
    // was sent, keeping the file by identity.  Returns whether it did.
    bool give_back();

    const std::string& path() const { return path_; }
    // state_name -- the path as the state file knows it (absolute_name in
    // state.h: one spelling however it was typed); the path until set.
    const std::string& state_name() const { return state_name_; }
    void set_state_name(std::string name) { state_name_ = std::move(name); }
    // unread -- why the path could not be read at the last look ("No such
    // file or directory", "is a directory", ...); empty while it is read.
    const std::string& unread() const { return unread_; }
    // idle -- holds no file: nothing to lose if it is dropped.
    bool idle() const { return !current_.known() && rotated_.empty() && pinned_.empty(); }
    // gone_since -- since when (now_ms() time) the path has named nothing
    // while this follower held no file; -1 if it names something or a file
    // is held.
    int64_t gone_since() const { return gone_since_; }
    const FollowStats& stats() const { return stats_; }
    // behind -- bytes in its files not sent yet, as of the last poll: the
    // lag --max-rate (or a slow destination) causes.
    int64_t behind() const;
    // throttled -- the last poll stopped reading because --max-rate had no
    // messages left to spend; next_poll() is when it has.
    bool throttled() const { return throttled_; }
    // save -- appends an entry per open file to *out, oldest first, each
    // at its position or, for the file at the name, if earlier, where
    // unconfirmed says its oldest message not known to be delivered
    // starts; with none, an entry of dev
    // and ino 0, so that the next run reads a file that appears at the path
    // from its first byte.
    void save(std::vector<SavedFile>* out, const std::vector<Origin>& unconfirmed) const;
    // rewind -- moves each open file named in to back to its offset there
    // (only ever back), to read again what a broken stream may have lost.
    // Returns whether any moved.
    bool rewind(const std::vector<Origin>& to);
    // resume -- takes up the files saved under this path by an earlier run:
    // the file still at the path from its saved offset, and files rotated
    // away meanwhile, found beside it (compressed ones through their
    // decompressor, ctx->decompressors), from theirs.  Each saved file that
    // cannot be found is warned about through ctx.
    void resume(const std::vector<SavedFile>& saved, FollowContext* ctx, int64_t now);

private:
    enum class Read { idle, data, truncated, failed };
    enum class Reopen { done, wait, lost };

    Read read(Reader* r, FollowContext* ctx, bool flush);
    bool drain_rotated(FollowContext* ctx, int64_t now, bool* quiet);
    void retire(Reader* r, FollowContext* ctx);
    bool look(FollowContext* ctx, int64_t now);
    void seen_change_time(const FileStat& at_path, int64_t now);
    bool rewritten_in_place(FollowContext* ctx, bool* unsure);
    void restart_at_zero(FollowContext* ctx, int64_t now);
    bool adopt(const FileStat& st);
    bool start_reader(Reader* r, int fd, const SavedFile& at, int64_t now);
    bool find_compressed(const SavedFile& at, FollowContext* ctx, int64_t now);
    bool read_compressed(const Generation& g, FollowContext* ctx, int64_t now);
    void queue_compressed(std::unique_ptr<Reader> r, std::unique_ptr<Decompressed> z,
                          const Options& o, int64_t now);
    void warn_missing(const std::vector<std::string>& tools, FollowContext* ctx);
    ssize_t read_bytes(Reader* r, char* dst, size_t len, int64_t offset);
    bool open_current(const FileStat& st, FollowContext* ctx, int64_t now);
    // beside: the name of a generation found beside the path; null: the path.
    bool pin(const FileStat& st, FollowContext* ctx, int64_t now,
             const std::string* beside = nullptr);
    void pin_missed(const FileStat& at_path, FollowContext* ctx, int64_t now);
    Reopen reopen(Reader* r, FollowContext* ctx);
    bool keep_or_close(Reader* r, FollowContext* ctx, bool room);
    void find_newer(Reader* last, const std::vector<SavedFile>& saved,
                    FollowContext* ctx, int64_t now);
    void warn_once(FollowContext* ctx, const std::string& why, bool always);
    size_t quota(FollowContext* ctx, int64_t now);
    void spend(FollowContext* ctx, size_t sent);

    std::string path_;
    std::string state_name_;  // see state_name()
    const Header* header_;  // shared by the followers of a spec; not owned
    bool tag_from_path_;    // its tag is its base name, not header_'s
    Rules* rules_;
    RecordStart* record_start_ = nullptr;
    TokenBucket* rate_ = nullptr;
    bool throttled_ = false;
    bool at_start_;
    bool named_ = false;
    Reader current_;
    std::vector<std::unique_ptr<Reader>> rotated_;  // oldest first
    // Newer generations seen at the path and pinned the moment they were
    // seen, oldest first: each becomes current_ in turn, once the files
    // before it are drained.
    std::vector<std::unique_ptr<Reader>> pinned_;
    // A digest of the last warning given (0: none), not its text: 4 bytes a
    // follower rather than a string, for ten thousand of them.
    uint32_t warned_ = 0;
    std::string unread_;                            // see unread()
    int64_t next_poll_ = 0;
    Pace pace_ = Pace{now_ms(), -1};  // when it gave data, and how often
    int64_t gone_since_ = -1;
    FollowStats stats_;
};

}  // namespace t2s

#endif
