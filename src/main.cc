// main -- wiring: options, the destination, then standard input or the
// poll loop over followed files; errors reported once, mapped to sysexits.
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "follow.h"
#include "options.h"
#include "lines.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

enum {
    EX_OK_ = 0, EX_USAGE_ = 64, EX_NOINPUT_ = 66, EX_IOERR_ = 74,
};

void say(const std::string& text) {
    fprintf(stderr, "tail2syslog: %s\n", text.c_str());
}

void say_nothing(const std::string&) {}

int fail(int code, const std::string& text) {
    say(text);
    return code;
}

bool has_glob_chars(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

// Everything the loop works with, made once at start.
struct Run {
    Options opts;
    Header header;                      // tag left empty: per source
    std::unique_ptr<Transport> transport;
    std::vector<char> buffer;           // the one read buffer
    std::unique_ptr<Batch> batch;
    FollowContext ctx;
    std::vector<std::unique_ptr<Follower>> followers;
    std::vector<bool> from_glob;        // parallel to followers
};

// run_stdin -- standard input to the destination until EOF.
int run_stdin(Run* run) {
    Header header = run->header;
    header.tag = run->opts.tag.empty() ? "tail2syslog" : run->opts.tag;
    PumpConfig cfg;
    cfg.header = &header;
    cfg.framing = run->transport->framing();
    cfg.size = run->opts.size;
    cfg.truncate = run->opts.truncate;
    cfg.skip_empty = run->opts.skip_empty;
    cfg.prio_prefix = run->opts.prio_prefix;
    std::vector<char>& buf = run->buffer;
    Batch& batch = *run->batch;
    LineState lines;
    Stamp stamp;
    size_t have = 0;
    int64_t base = 0;  // stream offset of buf[0]
    bool eof = false;
    while (!eof && !g_stop) {
        ssize_t n = read(STDIN_FILENO, buf.data() + have, buf.size() - have);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(EX_NOINPUT_, "standard input: " + errno_text(errno));
        }
        eof = n == 0;
        have += size_t(n);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        stamp_set(&stamp, ts);
        size_t used = 0;
        for (;;) {
            batch.clear();
            size_t got = carve(buf.data() + used, have - used, base + int64_t(used), eof,
                               cfg, stamp, &lines, &batch);
            if (!batch.empty()) {
                std::string err;
                int code = 1;
                if (run->transport->send(batch, &err, &code) < batch.items().size())
                    return err.empty() ? 0 : fail(code, err);
            }
            used += got;
            if (got == 0 || used == have)
                break;
        }
        memmove(buf.data(), buf.data() + used, have - used);
        have -= used;
        base += int64_t(used);
    }
    return 0;
}

bool follower_holds(const void* owner, dev_t dev, ino_t ino) {
    const Run* run = static_cast<const Run*>(owner);
    for (const auto& f : run->followers)
        if (f->holds(dev, ino))
            return true;
    return false;
}

void add_follower(Run* run, const std::string& path, bool at_start, bool glob_match) {
    for (const auto& f : run->followers)
        if (f->path() == path)
            return;
    Header header = run->header;
    header.tag = run->opts.tag.empty() ? tag_from_path(path) : run->opts.tag;
    run->followers.emplace_back(new Follower(path, header, at_start));
    run->from_glob.push_back(glob_match);
}

// rescan -- expands the glob operands again; new matches are followed from
// their first byte, unless this is the start.
void rescan(Run* run, bool at_start) {
    for (const std::string& pattern : run->opts.files) {
        if (!has_glob_chars(pattern))
            continue;
        glob_t g;
        if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; ++i)
                add_follower(run, g.gl_pathv[i], at_start, true);
        }
        globfree(&g);
    }
}

void report_stats(const Run& run) {
    for (const auto& f : run.followers) {
        const FollowStats& s = f->stats();
        char line[256];
        snprintf(line, sizeof line, "lines %lu, rotations %lu, truncations %lu",
                 s.lines, s.rotations, s.truncations);
        say(f->path() + ": " + line);
    }
    char line[128];
    snprintf(line, sizeof line, "reconnects %lu, batches resent %lu",
             run.transport->reconnects, run.transport->resent);
    say(std::string("destination: ") + line);
}

// run_files -- the poll loop: look at each file when it is due, sleep only
// when none had data.
int run_files(Run* run) {
    FollowContext& ctx = run->ctx;
    for (const std::string& path : run->opts.files)
        if (!has_glob_chars(path))
            add_follower(run, path, true, false);
    rescan(run, true);
    int64_t next_rescan = now_ms() + run->opts.rescan_ms;
    while (!g_stop) {
        int64_t now = now_ms();
        if (g_reload) {
            g_reload = 0;
            run->transport->reopen();
            next_rescan = now;
            for (auto& f : run->followers)
                f->poll(&ctx, now);
        }
        if (g_stats) {
            g_stats = 0;
            report_stats(*run);
        }
        if (now >= next_rescan) {
            rescan(run, false);
            next_rescan = now + run->opts.rescan_ms;
        }
        int64_t due = next_rescan;
        for (auto& f : run->followers) {
            if (f->next_poll() <= now)
                f->poll(&ctx, now);
            if (!ctx.error.empty())
                return fail(ctx.exit_code, ctx.error);
            if (f->next_poll() < due)
                due = f->next_poll();
        }
        if (run->opts.files.empty())
            break;
        sleep_ms(due - now_ms());
    }
    for (auto& f : run->followers)
        f->close_all(&ctx);
    return 0;
}

int main_(int argc, char** argv) {
    Run run;
    Options& o = run.opts;
    std::string err;
    switch (parse_options(argc, argv, &o, &err)) {
    case ParseResult::help:
        fputs(usage_text(), stdout);
        return 0;
    case ParseResult::version:
        printf("tail2syslog %s\n", T2S_VERSION);
        return 0;
    case ParseResult::usage_error:
        return fail(EX_USAGE_, err);
    case ParseResult::run:
        break;
    }
    if (o.hostname.empty()) {
        char name[256] = "";
        gethostname(name, sizeof name - 1);
        o.hostname = valid_hostname(name) ? name : "localhost";
    }
    run.header.pri = o.pri;
    run.header.format = o.format;
    run.header.procid = o.procid;
    run.header.bare = o.dest == Dest::logger;
    bool local = o.dest == Dest::local || o.dest == Dest::unix_socket;
    if (!(local && o.format == Format::rfc3164))
        run.header.hostname = o.hostname;  // logger leaves it out locally too

    size_t batch_max = o.size + kHeaderMax + 64;
    if (batch_max < 128 * 1024)
        batch_max = 128 * 1024;
    int code = 1;
    Notify notice = o.verbose ? say : say_nothing;
    run.transport = make_transport(o, batch_max, notice, &err, &code);
    if (!run.transport)
        return fail(code, err);
    run.batch.reset(new Batch(batch_max));
    run.buffer.resize((o.size * 2 > 128 * 1024 ? o.size * 2 : 128 * 1024) + 16);

    install_signal_handlers();
    if (o.files.empty())
        return run_stdin(&run);
    run.ctx.opts = &o;
    run.ctx.transport = run.transport.get();
    run.ctx.batch = run.batch.get();
    run.ctx.buffer = &run.buffer;
    run.ctx.notice = notice;
    run.ctx.warning = say;
    run.ctx.is_open = follower_holds;
    run.ctx.owner = &run;
    return run_files(&run);
}

}  // namespace

}  // namespace t2s

int main(int argc, char** argv) {
    return t2s::main_(argc, argv);
}
