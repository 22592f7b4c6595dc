// main -- wiring: options, the destination, the pid and state files, then
// standard input or the poll loop over followed files.  Errors are reported
// here, once, and mapped to sysexits(3) codes.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "child.h"
#include "config.h"
#include "confine.h"
#include "daemon.h"
#include "format.h"
#include "follow.h"
#include "follow_set.h"
#include "lines.h"
#include "options.h"
#include "rate.h"
#include "records.h"
#include "rules.h"
#include "selflog.h"
#include "state.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// Bytes read, and messages sent, at a time: large enough that system calls
// cost little per line, small enough to keep the memory small.
const size_t kChunk = 64 * 1024;

// With --once, a destination that stays down this long ends the run (75);
// with --daemon, the start (the parent then exits 75).
const int64_t kOnceGiveUpMs = 6000;
const int64_t kStartWaitMs = 6000;
// At exit with --state, how long a stream receiver has to show it read
// everything (it closes its side after ours).
const int64_t kCloseOutMs = 2000;

// Diagnostics name files that other users may have named (a glob's matches,
// a rotated sibling): their control bytes are escaped as bodies' are, so a
// name cannot forge a line or drive the terminal.
void say(const std::string& text) {
    fprintf(stderr, "tail2syslog: %s\n", escape_name(text).c_str());
}

void say_nothing(const std::string&) {}

int fail(int code, const std::string& text) {
    say(text);
    return code;
}

// Everything the loop works with, made once at start.
struct Run {
    Options opts;
    Header header;                      // tag and pri: per source
    std::unique_ptr<Transport> transport;
    std::vector<char> buffer;           // the one read buffer
    std::unique_ptr<Batch> batch;
    FollowContext ctx;
    FollowSet files{&header};
    std::vector<SavedFile> saved;       // from the state file, at start
    std::vector<FileSpec> listed;       // the config file's, as followed
    std::string cwd;                    // at start: relative names are taken against it
    std::unique_ptr<TokenBucket> rate;  // --max-rate, or null
    Decompressors decompressors;        // found on PATH at start
    bool decompress = false;            // compressed generations looked for
    Notify warning = say;
    Notify info = say;                  // statistics
    std::unique_ptr<SelfLog> self;      // once detached: our own messages
};

// speak -- our own message: to standard error, or once detached through
// the destination (see selflog.h).
void speak(Run* run, int severity, const std::string& text) {
    if (run->self)
        run->self->say(severity, text);
    else
        say(text);
}

// flush_self -- sends our own queued messages, if detached.  At exit, what
// the destination does not take goes to syslog(3), the last resort.
void flush_self(Run* run, bool at_exit) {
    if (at_exit && run->self)
        run->transport->give_up_ms = 3000;  // a destination down: not for ever
    if (!run->self || run->self->flush(run->transport.get()) || !at_exit)
        return;
    openlog("tail2syslog", LOG_PID, LOG_DAEMON);
    for (const auto& m : run->self->take())
        syslog(m.first, "%s", escape_name(m.second).c_str());
}

// end_output -- the end of the input, files or standard input.  Over a
// stream, what the receiver has not shown it read is saved as not
// delivered: a receiver that closes after our end read it all.  A logger
// child has its input ended here in any case: whether it sent what it was
// given is the exit status (75, said once), if code (so far) is 0.
int end_output(Run* run, int code) {
    if (!run->opts.state_path.empty() || run->opts.dest == Dest::logger)
        run->transport->close_out(kCloseOutMs);
    std::string lost;
    int lost_code = g_stop ? 0 : run->transport->undelivered(&lost);
    if (lost_code != 0 && code == 0) {
        run->warning(lost);
        code = lost_code;
    }
    return code;
}

// unsent_at_stop -- a signal stopped us with n bytes read from standard
// input and not sent, which cannot be read again: said, not silently lost.
// The exit status stays 0, as for any stop by a signal.
int unsent_at_stop(size_t n) {
    if (n > 0)
        say("standard input: stopped with " + std::to_string(n) +
            " bytes read from it not sent; they are lost");
    return 0;
}

// run_stdin -- standard input to the destination until EOF.
int run_stdin(Run* run) {
    Header header = run->header;
    header.tag = run->opts.tag.empty() ? "tail2syslog" : run->opts.tag;
    header.pri = run->opts.pri;
    Rules rules;
    std::string err;
    for (const Options::Rule& rule : run->opts.rules)
        if (!rules.add(rule, &err))
            return fail(kExitUsage, err);
    CarveConfig cfg;
    cfg.header = &header;
    cfg.framing = run->transport->framing();
    cfg.size = run->opts.size;
    cfg.truncate = run->opts.truncate;
    cfg.skip_empty = run->opts.skip_empty;
    cfg.prio_prefix = run->opts.prio_prefix;
    cfg.rules = &rules;
    RecordStart record_start;
    if (!run->opts.record_start.empty()) {
        if (!record_start.compile(run->opts.record_start, &err))
            return fail(kExitUsage, err);
        cfg.record_start = &record_start;  // a record ends at the next start or EOF
    }
    TokenBucket* rate = run->rate.get();
    std::vector<char>& buf = run->buffer;
    Batch& batch = *run->batch;
    LineState lines;
    Stamp stamp;
    Position pos;      // what the destination took, as for a file
    size_t have = 0;
    int64_t base = 0;  // stream offset of buf[0]
    bool eof = false;
    while (!eof && !g_stop) {
        ssize_t n = read(STDIN_FILENO, buf.data() + have, buf.size() - have);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(kExitNoInput, "standard input: " + errno_text(errno));
        }
        eof = n == 0;
        have += size_t(n);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        stamp_set(&stamp, ts);
        size_t used = 0;
        for (;;) {
            // --max-rate: wait for the bucket; the writer waits on the pipe.
            while (rate && rate->available(now_ms()) == 0 && !g_stop)
                sleep_ms(rate->wait_ms(now_ms()));
            if (g_stop)
                return unsent_at_stop(have - used);
            batch.set_max_items(rate ? rate->available(now_ms()) : SIZE_MAX);
            batch.clear();
            LineState before = lines;
            size_t got = carve(buf.data() + used, have - used, pos.offset, eof, cfg, stamp,
                               &lines, &batch);
            int code = 1;
            size_t sent = batch.empty() ? 0 : run->transport->send(batch, &err, &code);
            if (rate)
                rate->take(sent);
            bool whole = settle(batch, sent, got, buf.data(), base, before, &pos, &lines);
            used = size_t(pos.offset - base);
            if (!whole)
                return err.empty() ? unsent_at_stop(have - used) : fail(code, err);
            if (got == 0 || used == have)
                break;
        }
        memmove(buf.data(), buf.data() + used, have - used);
        have -= used;
        base += int64_t(used);
    }
    if (g_stop)
        return unsent_at_stop(have);  // a line not ended yet
    // End of file ends the run as --once does: a destination that keeps
    // failing from here is given up after kOnceGiveUpMs (75), not waited for.
    run->transport->give_up_ms = kOnceGiveUpMs;
    return end_output(run, 0);
}

// working_dir -- the current directory, or "" where it cannot be told.
std::string working_dir() {
    char cwd[4096];
    return getcwd(cwd, sizeof cwd) ? cwd : "";
}

// read_config -- the config file's specs.  Returns 0 or an exit status.
int read_config(const Options& o, std::vector<FileSpec>* specs, std::string* err) {
    std::string text;
    if (access(o.config_path.c_str(), F_OK) < 0) {  // read_state takes it as empty
        *err = o.config_path + ": " + errno_text(errno);
        return kExitNoInput;
    }
    if (!read_state(o.config_path, &text, err))  // same rules: no links, a file
        return kExitNoInput;
    if (!parse_config(text, o.config_path, o, specs, err))
        return kExitUsage;
    return 0;
}

// add_sources -- specs not followed yet are followed from the next expand.
int add_sources(Run* run, std::vector<FileSpec>* specs, std::string* err) {
    for (FileSpec& spec : *specs) {
        if (run->opts.daemon)  // it changes to /
            spec.pattern = absolute_name(spec.pattern, run->cwd);
        if (!run->files.add_spec(spec, err))
            return kExitUsage;
    }
    return 0;
}

// make_sources -- the operands and the config file's lines.
int make_sources(Run* run, std::string* err) {
    std::vector<FileSpec> specs = specs_from_options(run->opts);
    int code = add_sources(run, &specs, err);
    if (code != 0 || run->opts.config_path.empty())
        return code;
    if ((code = read_config(run->opts, &run->listed, err)) != 0)
        return code;
    return add_sources(run, &run->listed, err);
}

// reload_config -- HUP: files newly listed in the config file are followed
// too; what it leaves as it was is said (reload_notes).  A broken file keeps
// the running configuration.
void reload_config(Run* run) {
    if (run->opts.config_path.empty())
        return;
    std::vector<FileSpec> specs;
    std::string err;
    if (read_config(run->opts, &specs, &err) != 0 || add_sources(run, &specs, &err) != 0) {
        run->warning(err + "; keeping the running configuration");
        return;
    }
    for (const std::string& note : reload_notes(run->listed, specs))
        run->warning(run->opts.config_path + ": " + note);
    run->listed = specs;
}

// save_state -- writes every follower's position, if there is a state file;
// stopping: the last save, at exit (Transport::unconfirmed).
bool save_state(Run* run, bool stopping, std::string* err) {
    if (run->opts.state_path.empty())
        return true;
    std::vector<SavedFile> files;
    std::vector<Origin> unconfirmed;  // what a restart must send again
    if (run->transport)
        run->transport->unconfirmed(&unconfirmed, stopping);
    run->files.save(&files, unconfirmed);
    return write_state(run->opts.state_path, format_state(files), err);
}

// load_state -- reads the state file; what it cannot read is warned about
// and treated as absent.  False only if the file cannot be used at all.
bool load_state(Run* run, std::string* err) {
    std::string text;
    if (!read_state(run->opts.state_path, &text, err))
        return false;
    if (text.empty())
        return true;
    int bad = 0;
    if (!parse_state(text, &run->saved, &bad))
        say(run->opts.state_path + ": not a state file, ignored");
    else if (bad > 0)
        say(run->opts.state_path + ": " + std::to_string(bad) + " unreadable entries ignored");
    // Saved by an older release, a name may be relative: taken against the
    // directory we were started in, as the followers' are (state_name).
    for (SavedFile& f : run->saved)
        f.path = absolute_name(f.path, run->cwd);
    run->files.resume_from(run->saved);
    return true;
}

void report_stats(const Run& run, Notify out) {
    for (size_t i = 0; i < run.files.size(); ++i) {
        const Follower& f = run.files.at(i);
        const FollowStats& s = f.stats();
        char line[256];
        snprintf(line, sizeof line,
                 "lines %" PRIu64 ", sent %" PRIu64 ", split %" PRIu64
                 ", truncated %" PRIu64 ", dropped %" PRIu64 ", rotations %" PRIu64
                 ", truncations %" PRIu64 ", behind %" PRId64 " bytes",
                 s.lines.lines, s.sent, s.lines.split, s.lines.truncated,
                 s.lines.dropped, s.rotations, s.truncations, f.behind());
        out(f.path() + ": " + line);
    }
    char line[128];
    snprintf(line, sizeof line,
             "reconnects %" PRIu64 ", resends %" PRIu64 ", reloads %" PRIu64,
             run.transport->reconnects, run.transport->resent, run.transport->reloads);
    out(std::string("destination: ") + line);
}

// finish -- saves the state on the way out; a failure to save is the exit
// status if nothing worse happened.
int finish(Run* run, int code, const std::string& why) {
    // Servers that lag behind (--all) get a few seconds to catch up.
    for (int64_t until = now_ms() + 3000; run->transport->pending() && now_ms() < until;) {
        run->transport->pump();
        sleep_ms(10);
    }
    code = end_output(run, code);
    std::string err;
    if (!save_state(run, true, &err)) {
        run->warning(err);
        if (code == 0)
            code = kExitCantCreate;
    }
    if (!why.empty())
        run->warning(why);
    flush_self(run, true);
    return code;
}

// report_unread -- the end of a --once run: each named file that could not
// be read is reported; 66 if there was one, else 0.
int report_unread(const Run& run) {
    int code = 0;
    for (size_t i = 0; i < run.files.size(); ++i) {
        const Follower& f = run.files.at(i);
        if (f.unread().empty())
            continue;
        run.warning(f.path() + ": " + f.unread() + ", not read");
        code = kExitNoInput;
    }
    return code;
}

// run_files -- the poll loop: look at each file when it is due, sleep only
// when none had data.  With --once, stop when a whole round found nothing.
int run_files(Run* run) {
    FollowContext& ctx = run->ctx;
    const Options& o = run->opts;
    int64_t now = now_ms();
    run->files.expand(&ctx, true, now);
    int64_t next_rescan = now + o.rescan_ms;
    int64_t next_save = now + save_gap(o.state_interval_ms, o.state_interval_given, 0);
    uint64_t sent_at_save = 0;
    while (!g_stop) {
        now = now_ms();
        if (g_reload) {
            g_reload = 0;
            reload_config(run);
            run->transport->reopen();
            next_rescan = now;
            int64_t due = now;
            run->files.poll(&ctx, now, true, &due);
        }
        if (g_stats) {
            g_stats = 0;
            report_stats(*run, run->info);
        }
        if (now >= next_rescan) {
            run->files.expand(&ctx, false, now);
            // Without glob operands there is nothing to rescan: no timer.
            next_rescan = now + (run->files.has_globs() ? o.rescan_ms : int64_t(1) << 40);
        }
        run->transport->pump();
        flush_self(run, false);
        int64_t due = next_rescan;
        if (run->transport->pending() && now + 20 < due)
            due = now + 20;
        bool busy = run->files.poll(&ctx, now, o.once, &due);
        if (!ctx.error.empty())
            return finish(run, ctx.exit_code, ctx.error);
        uint64_t sent = run->files.sent();
        if (o.once && !busy && !run->files.throttled())
            break;
        if (sent != sent_at_save && now >= next_save) {
            std::string err;
            int64_t began = now_ms();
            if (!save_state(run, false, &err))
                run->warning(err + ", will retry");  // ENOSPC and the like
            sent_at_save = sent;
            next_save = now + save_gap(o.state_interval_ms, o.state_interval_given,
                                       now_ms() - began);
        }
        if (!busy)
            sleep_ms(due - now_ms());
    }
    return finish(run, o.once && !g_stop ? report_unread(*run) : 0, "");
}

// daemonize -- --daemon: fork; the child takes the locks again (fcntl(2)
// locks are not inherited), writes its pid and detaches; the parent exits
// with the child's word, which main says once the child's start-up is over
// (detach->ready() or failed()): 0, else its exit status and message.
// Returns 0 in the child, or the exit status the child reported.
int daemonize(Run* run, LockFile* pidfile, LockFile* statelock, Detach* detach) {
    std::string err;
    pid_t pid = detach->start(&err);
    if (pid < 0)
        return fail(kExitOsErr, err);
    if (pid > 0) {
        for (LockFile* f : {pidfile, statelock}) {
            f->unlock();  // for the child to take
            f->forget();
        }
        std::string msg;
        int code = detach->wait(&msg);
        if (!msg.empty())
            say(msg);
        // The transport, the files and any logger child are the child's:
        // no destructor may close or remove them.
        _exit(code);
    }
    int code = 0;
    for (LockFile* f : {pidfile, statelock})
        if (code == 0 && (code = f->relock(&err)) == 0)
            code = f->write_pid(&err);
    if (code == 0)
        code = detach->detach("/", &err);
    if (code != 0) {
        detach->failed(code, err);  // the parent says it: our stderr may be gone
        return code;
    }
    run->self.reset(new SelfLog(run->header));
    return 0;
}

// take_files -- the trust checks, then the pid file's lock and the state
// file's (STATE.lock), and the state itself.  Returns 0 or an exit status.
int take_files(Run* run, LockFile* pidfile, LockFile* statelock, std::string* err) {
    const Options& o = run->opts;
    uid_t user = user_uid(o.user);
    int code;
    std::vector<std::string> paths;
    if (!o.pidfile.empty())
        paths.push_back(o.pidfile);
    if (!o.state_path.empty()) {
        paths.push_back(o.state_path);
        paths.push_back(lock_path(o.state_path));
    }
    for (const std::string& path : paths)
        if ((code = check_trusted(path, user, err)) != 0)
            return code;
    if (!o.pidfile.empty() && (code = pidfile->lock(o.pidfile, true, err)) != 0) {
        if (code == kExitTempFail)
            *err = "already running as pid " + std::to_string(pidfile->holder());
        return code;
    }
    if (o.state_path.empty())
        return 0;
    if ((code = statelock->lock(lock_path(o.state_path), false, err)) != 0) {
        if (code == kExitTempFail)
            *err = o.state_path + ": in use by pid " + std::to_string(statelock->holder());
        return code;
    }
    if ((code = statelock->write_pid(err)) != 0)
        return code;
    if (!load_state(run, err))
        return kExitCantCreate;
    if (!write_state(o.state_path, format_state(run->saved), err))
        return kExitCantCreate;  // better now than at the first save
    return 0;
}

// confine_run -- asks the kernel to let us read beneath the directories
// of the files we follow (and of a symbolic link's target named at start),
// replace files where the state and pid files live, and run logger(1):
// nothing else, whatever a path is made to point to later.
// add_root -- dir, as an absolute path without links, to *roots once.
void add_root(std::vector<std::string>* roots, const std::string& dir) {
    char real[PATH_MAX];
    std::string root = realpath(existing_ancestor(dir).c_str(), real) ? real : dir;
    for (const std::string& known : *roots)
        if (known == root)
            return;
    roots->push_back(root);
}

int confine_run(const Run& run, Notify notice, std::string* err) {
    const Options& o = run.opts;
    Confinement c;
    for (const std::string& pattern : run.files.patterns()) {
        add_root(&c.read, read_root(pattern));
        char target[PATH_MAX];
        if (realpath(pattern.c_str(), target) && pattern != target)
            add_root(&c.read, read_root(target));
    }
    if (!o.config_path.empty())
        c.read.push_back(o.config_path);
    for (const std::string* path : {&o.state_path, &o.pidfile})
        if (!path->empty())
            add_root(&c.write, read_root(*path));
    // logger as the transport found it: by an absolute path, PATH's included.
    std::string program, why;
    if (o.dest == Dest::logger && resolve_program(o.logger_path, getenv("PATH"), &program, &why))
        c.exec.push_back(program);
    if (run.decompress)
        for (const std::string& path : run.decompressors.programs())
            c.exec.push_back(path);
    switch (confine(c, err)) {
    case Confined::failed:
        return kExitOsErr;
    case Confined::yes: {
        std::string roots;
        for (const std::string& dir : c.read)
            roots += (roots.empty() ? "" : ", ") + dir;
        notice("confined: reading only beneath " + (roots.empty() ? "nothing" : roots));
        break;
    }
    case Confined::unsupported:
        break;
    }
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
        return fail(kExitUsage, err);
    case ParseResult::run:
        break;
    }
    // Before the first slow call (a name lookup, a destination that does
    // not answer): a TERM from then on ends the start-up cleanly, and the
    // pid file goes with us.
    install_signal_handlers();
    run.cwd = working_dir();
    if (o.daemon) {  // it changes to /
        o.state_path = absolute_name(o.state_path, run.cwd);
        o.pidfile = absolute_name(o.pidfile, run.cwd);
        o.config_path = absolute_name(o.config_path, run.cwd);
    }
    if (o.hostname.empty()) {
        char name[256] = "";
        gethostname(name, sizeof name - 1);
        o.hostname = valid_hostname(name) ? name : "localhost";
    }
    bool follow = !o.files.empty() || !o.config_path.empty();
    if (!follow && (o.once || o.daemon || !o.state_path.empty()))
        return fail(kExitUsage, "--once, --daemon and --state need files to follow");
    int code = make_sources(&run, &err);
    if (code != 0)
        return fail(code, err);

    run.header.format = o.format;
    run.header.procid = o.procid;
    run.header.bare = o.dest == Dest::logger;
    bool local = o.dest == Dest::local || o.dest == Dest::unix_socket;
    if (!(local && o.format == Format::rfc3164))
        run.header.hostname = o.hostname;  // logger leaves it out locally too

    LockFile pidfile, statelock;
    if ((code = take_files(&run, &pidfile, &statelock, &err)) != 0)
        return fail(code, err);

    size_t batch_max = o.size + kHeaderMax + 64;
    if (batch_max < kChunk)
        batch_max = kChunk;
    code = 1;
    run.warning = [&run](const std::string& text) { speak(&run, kSevWarning, text); };
    run.info = [&run](const std::string& text) { speak(&run, kSevInfo, text); };
    Notify notice = say_nothing;
    if (o.verbose)
        notice = [&run](const std::string& text) { speak(&run, kSevNotice, text); };
    run.transport = make_transport(o, batch_max, notice, &err, &code);
    if (g_stop)
        return 0;  // TERM during the lookup: the pid file is removed
    if (!run.transport)
        return fail(code, err);
    // --daemon promises the rc script that the destination was reached, and
    // says the outcome once: the retries meanwhile only with -v.
    run.transport->warning = notice;
    if (o.daemon && !run.transport->connect_first(kStartWaitMs, &err, &code))
        return err.empty() ? 0 : fail(code, err);
    run.transport->warning = run.warning;  // an outage is said without -v
    if (o.once)
        run.transport->give_up_ms = kOnceGiveUpMs;
    // Decompressors are found once, on our PATH, and as root run as the
    // --user user or nobody: the file they read is opened by us.
    Identity as;
    std::string no_user;
    const std::string& user = o.user.empty() ? "nobody" : o.user;
    run.decompress = geteuid() != 0 || lookup_identity(user, &as, &no_user);
    if (run.decompress)
        run.decompressors.find(getenv("PATH"), &as);
    if (!o.user.empty() && (code = drop_privileges(o.user, &err)) != 0)
        return fail(code, err);
    run.batch.reset(new Batch(batch_max));
    // The read buffer must hold more than one message's worth, so that a
    // line with no newline yet always yields a full piece.
    run.buffer.resize((o.size * 2 > kChunk ? o.size * 2 : kChunk) + 16);

    Detach detach;  // with --daemon, the child's word to its parent
    if (o.daemon && (code = daemonize(&run, &pidfile, &statelock, &detach)) != 0)
        return code;
    if (!o.daemon && (code = pidfile.write_pid(&err)) != 0)
        return fail(code, err);
    if (o.max_rate > 0)
        run.rate.reset(new TokenBucket(o.max_rate, now_ms()));
    if (!follow)
        return run_stdin(&run);  // opens no file: nothing to confine
    if ((code = confine_run(run, notice, &err)) != 0) {
        detach.failed(code, err);  // with --daemon, the parent says it
        return o.daemon ? code : fail(code, err);
    }
    detach.ready();  // the start-up is over: the parent exits 0
    run.ctx.opts = &o;
    run.ctx.transport = run.transport.get();
    run.ctx.batch = run.batch.get();
    run.ctx.buffer = &run.buffer;
    run.ctx.rate = run.rate.get();
    run.ctx.notice = notice;
    run.ctx.warning = run.warning;
    run.ctx.peers = &run.files;
    run.ctx.cwd = run.cwd;
    run.ctx.decompressors = run.decompress ? &run.decompressors : nullptr;
    run.transport->lookout = &run.files;  // keeps looking at the files in outages
    return run_files(&run);
}

}  // namespace

}  // namespace t2s

int main(int argc, char** argv) {
    return t2s::main_(argc, argv);
}
