// follow_fixture -- what the Follower and FollowSet tests share: a private
// temporary directory of real files, removed afterwards, and a FollowContext
// wired to a RecordingTransport.
#ifndef T2S_FOLLOW_FIXTURE_H
#define T2S_FOLLOW_FIXTURE_H

#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "follow.h"
#include "follow_set.h"
#include "recording_transport.h"

namespace t2s {

class FollowFixture {
public:
    // batch_max: how many bytes one batch holds; small ones make a file
    // take several batches.
    explicit FollowFixture(size_t batch_max = 4096) : batch(batch_max), files(&header) {
        char tmpl[] = "/tmp/t2s-follow-test.XXXXXX";
        dir = mkdtemp(tmpl) ? tmpl : "";
        opts.from_start = true;
        opts.sleep_ms = 10;
        opts.rotate_wait_ms = 0;
        opts.partial_timeout_ms = 0;
        header.tag = "t";
        buffer.resize(64 * 1024 + 16);
        ctx.opts = &opts;
        ctx.transport = &transport;
        ctx.batch = &batch;
        ctx.buffer = &buffer;
        ctx.notice = note;
        ctx.warning = note;
        ctx.peers = &files;
        notes().clear();
    }

    ~FollowFixture() {
        // Only what the tests made: plain files, no subdirectories.
        std::string cmd = "rm -rf '" + dir + "'";
        if (!dir.empty() && system(cmd.c_str()) != 0)
            fprintf(stderr, "cannot remove %s\n", dir.c_str());
    }

    std::string path(const std::string& name) const { return dir + "/" + name; }

    // write -- appends text to the file name (creating it).
    void write(const std::string& name, const std::string& text) {
        int fd = open(path(name).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size()))
            fprintf(stderr, "cannot write %s\n", path(name).c_str());
        if (fd >= 0)
            close(fd);
    }

    // truncate -- empties the file name, keeping its inode.
    void truncate(const std::string& name) {
        if (::truncate(path(name).c_str(), 0) != 0)
            fprintf(stderr, "cannot truncate %s\n", path(name).c_str());
    }

    void rename(const std::string& from, const std::string& to) {
        if (::rename(path(from).c_str(), path(to).c_str()) != 0)
            fprintf(stderr, "cannot rename %s\n", path(from).c_str());
    }

    void remove(const std::string& name) { unlink(path(name).c_str()); }

    // poll_until_idle -- polls f (as the loop would) until a poll reads
    // nothing, at most rounds times, the clock moving on 20 ms each time.
    void poll_until_idle(Follower* f, int rounds = 50) {
        for (int i = 0; i < rounds; ++i) {
            clock += 20;
            if (!f->poll(&ctx, clock) && ctx.error.empty())
                return;
            if (!ctx.error.empty())
                return;
        }
    }

    // notes -- every notice and warning given, one per line.
    static std::string& notes() {
        static std::string text;
        return text;
    }

    static void note(const std::string& text) { notes() += text + "\n"; }

    std::string dir;
    Options opts;
    Header header;
    RecordingTransport transport;
    Batch batch;
    std::vector<char> buffer;
    FollowSet files;
    FollowContext ctx;
    int64_t clock = now_ms();
};

// lines -- "prefix N\n" for N in [from, to), the file's text.
inline std::string numbered(const std::string& prefix, int from, int to) {
    std::string out;
    for (int i = from; i < to; ++i)
        out += prefix + " " + std::to_string(i) + "\n";
    return out;
}

}  // namespace t2s

#endif
