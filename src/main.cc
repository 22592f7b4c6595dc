// main -- wiring: options, the destination, the pid and state files, then
// standard input or the poll loop over followed files.  Errors are reported
// here, once, and mapped to sysexits(3) codes.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
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
#include "format.h"
#include "follow.h"
#include "follow_set.h"
#include "lines.h"
#include "options.h"
#include "rules.h"
#include "state.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// Bytes read, and messages sent, at a time: large enough that system calls
// cost little per line, small enough to keep the memory small.
const size_t kChunk = 64 * 1024;

// With --once, a destination that stays down this long ends the run (75).
const int64_t kOnceGiveUpMs = 6000;

// Diagnostics name files that other users may have named (a glob's matches,
// a rotated sibling): their control bytes are escaped as bodies' are, so a
// name cannot forge a line or drive the terminal.
void say(const std::string& text) {
    fprintf(stderr, "tail2syslog: %s\n", escape_name(text).c_str());
}

void say_nothing(const std::string&) {}

// Once detached (--daemon), notices and warnings go to syslog(3).
void log_notice(const std::string& text) {
    syslog(LOG_NOTICE, "%s", escape_name(text).c_str());
}

void log_warning(const std::string& text) {
    syslog(LOG_WARNING, "%s", escape_name(text).c_str());
}

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
    Notify warning = say;
};

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
            batch.clear();
            LineState before = lines;
            size_t got = carve(buf.data() + used, have - used, pos.offset, eof, cfg, stamp,
                               &lines, &batch);
            int code = 1;
            size_t sent = batch.empty() ? 0 : run->transport->send(batch, &err, &code);
            if (!settle(batch, sent, got, buf.data(), base, before, &pos, &lines))
                return err.empty() ? 0 : fail(code, err);
            used = size_t(pos.offset - base);
            if (got == 0 || used == have)
                break;
        }
        memmove(buf.data(), buf.data() + used, have - used);
        have -= used;
        base += int64_t(used);
    }
    return 0;
}

// check_directory -- refuses a state or pid file in a directory that any
// user may write to (unless sticky, like /tmp): another user could plant
// or swap the file there.
bool check_directory(const std::string& path, std::string* err) {
    std::string::size_type slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    struct stat sb;
    if (stat(dir.c_str(), &sb) < 0) {
        *err = dir + ": " + errno_text(errno);
        return false;
    }
    if ((sb.st_mode & S_IWOTH) && !(sb.st_mode & S_ISVTX)) {
        *err = path + ": directory " + dir + " is writable by everyone";
        return false;
    }
    return true;
}

// drop_privileges -- --user: become that user (and its groups) for good.
int drop_privileges(const std::string& name, std::string* err) {
    errno = 0;
    struct passwd* pw = getpwnam(name.c_str());
    if (!pw) {
        *err = "unknown user " + name;
        return kExitUsage;
    }
    if (getuid() != 0 && geteuid() != 0) {
        if (pw->pw_uid == getuid())
            return 0;  // already that user
        *err = "--user needs root";
        return kExitUsage;
    }
    if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
        setuid(pw->pw_uid) < 0) {
        *err = "cannot become " + name + ": " + errno_text(errno);
        return kExitOsErr;
    }
    if (setuid(0) == 0) {  // must be impossible now
        *err = "cannot drop root";
        return kExitOsErr;
    }
    return 0;
}

// absolute -- path made absolute, since --daemon changes to /.
std::string absolute(const std::string& path) {
    if (path.empty() || path[0] == '/')
        return path;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return path;
    return std::string(cwd) + "/" + path;
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
        if (run->opts.daemon)
            spec.pattern = absolute(spec.pattern);
        if (!run->files.add_spec(spec, err))
            return kExitUsage;
    }
    return 0;
}

// make_sources -- the operands and the config file's lines.
int make_sources(Run* run, std::string* err) {
    std::vector<FileSpec> specs = specs_from_options(run->opts);
    int code = run->opts.config_path.empty() ? 0 : read_config(run->opts, &specs, err);
    return code != 0 ? code : add_sources(run, &specs, err);
}

// reload_config -- HUP: files newly listed in the config file are followed
// too.  A broken file keeps the running configuration.
void reload_config(Run* run) {
    if (run->opts.config_path.empty())
        return;
    std::vector<FileSpec> specs;
    std::string err;
    if (read_config(run->opts, &specs, &err) != 0 || add_sources(run, &specs, &err) != 0)
        run->warning(err + "; keeping the running configuration");
}

// save_state -- writes every follower's position, if there is a state file.
bool save_state(Run* run, std::string* err) {
    if (run->opts.state_path.empty())
        return true;
    std::vector<SavedFile> files;
    run->files.save(&files);
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
                 ", truncations %" PRIu64,
                 s.lines.lines, s.sent, s.lines.split, s.lines.truncated,
                 s.lines.dropped, s.rotations, s.truncations);
        out(f.path() + ": " + line);
    }
    char line[128];
    snprintf(line, sizeof line, "reconnects %" PRIu64 ", resends %" PRIu64,
             run.transport->reconnects, run.transport->resent);
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
    std::string err;
    if (!save_state(run, &err)) {
        run->warning(err);
        if (code == 0)
            code = kExitCantCreate;
    }
    if (!why.empty())
        run->warning(why);
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
    int64_t next_save = now + o.state_interval_ms;
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
            report_stats(*run, run->warning);
        }
        if (now >= next_rescan) {
            run->files.expand(&ctx, false, now);
            // Without glob operands there is nothing to rescan: no timer.
            next_rescan = now + (run->files.has_globs() ? o.rescan_ms : int64_t(1) << 40);
        }
        run->transport->pump();
        int64_t due = next_rescan;
        if (run->transport->pending() && now + 20 < due)
            due = now + 20;
        bool busy = run->files.poll(&ctx, now, o.once, &due);
        if (!ctx.error.empty())
            return finish(run, ctx.exit_code, ctx.error);
        uint64_t sent = run->files.sent();
        if (o.once && !busy)
            break;
        if (sent != sent_at_save && now >= next_save) {
            std::string err;
            if (!save_state(run, &err))
                run->warning(err + ", will retry");  // ENOSPC and the like
            sent_at_save = sent;
            next_save = now + o.state_interval_ms;
        }
        if (!busy)
            sleep_ms(due - now_ms());
    }
    return finish(run, o.once && !g_stop ? report_unread(*run) : 0, "");
}

// PidFile -- the --pidfile: created and locked with fcntl(2), holding our
// pid; removed when we are done with it, also after a start-up failure.
class PidFile {
public:
    ~PidFile() {
        if (fd_.valid())
            unlink(path_.c_str());
    }

    // lock -- creates and locks path; another holder is reported with its
    // pid (exit status 75).  Returns 0 or an exit status.
    int lock(const std::string& path, std::string* err) {
        int f = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0) {
            *err = path + ": " + (errno == ELOOP ? std::string("is a symbolic link")
                                                  : errno_text(errno));
            return kExitCantCreate;
        }
        Fd owned(f);
        struct stat sb;
        if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
            *err = path + ": not a plain file (a FIFO, a device or a hard link)";
            return kExitCantCreate;
        }
        if (!set_lock(f, F_WRLCK)) {
            char text[32] = "";
            ssize_t n = pread(f, text, sizeof text - 1, 0);
            *err = "already running as pid " +
                   std::to_string(n > 0 ? strtol(text, nullptr, 10) : 0);
            return kExitTempFail;
        }
        fd_ = std::move(owned);
        path_ = path;
        return 0;
    }

    // relock -- in a forked child, which does not inherit the lock: take it
    // again once the parent lets go, within two seconds.
    int relock(std::string* err) {
        for (int i = 0; i < 200; ++i) {
            if (set_lock(fd_.get(), F_WRLCK))
                return 0;
            sleep_ms(10);
        }
        fd_.release();  // not ours to remove
        *err = "another instance took the pid file";
        return kExitTempFail;
    }

    void unlock() { set_lock(fd_.get(), F_UNLCK); }

    // write_pid -- our pid, replacing the file's contents.
    int write_pid(std::string* err) {
        if (!fd_.valid())
            return 0;
        std::string text = std::to_string(getpid()) + "\n";
        if (ftruncate(fd_.get(), 0) < 0 ||
            pwrite(fd_.get(), text.data(), text.size(), 0) != ssize_t(text.size())) {
            *err = path_ + ": " + errno_text(errno);
            return kExitCantCreate;
        }
        return 0;
    }

    // forget -- the parent of a daemon leaves the file to the child.
    void forget() { fd_.release(); }

private:
    static bool set_lock(int fd, short type) {
        struct flock lk;
        memset(&lk, 0, sizeof lk);
        lk.l_type = type;
        lk.l_whence = SEEK_SET;
        return fcntl(fd, F_SETLK, &lk) == 0;
    }

    Fd fd_;
    std::string path_;
};

// daemonize -- fork, setsid, chdir /, standard streams to /dev/null.  The
// parent waits until the child holds the pid file lock and has written its
// pid, so that an rc script finds it at once, then exits 0 (or 75 if
// another instance got in between).  Returns 0 in the child.
int daemonize(Run* run, PidFile* pidfile) {
    int ready[2];
    if (pipe(ready) < 0)
        return fail(kExitOsErr, "pipe: " + errno_text(errno));
    pid_t pid = fork();
    if (pid < 0)
        return fail(kExitOsErr, "fork: " + errno_text(errno));
    if (pid > 0) {
        close(ready[1]);
        pidfile->unlock();  // for the child to take
        pidfile->forget();
        char status = 0;
        while (read(ready[0], &status, 1) < 0 && errno == EINTR) {
        }
        _exit(status == 'k' ? 0 : kExitTempFail);  // else the child said why
    }
    close(ready[0]);
    setsid();
    std::string err;
    int code = pidfile->relock(&err);
    if (code == 0)
        code = pidfile->write_pid(&err);
    if (code != 0)
        return fail(code, err);  // the parent reads EOF and says so
    if (chdir("/") < 0)
        return fail(kExitOsErr, "/: " + errno_text(errno));
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO)
            close(null);
    }
    openlog("tail2syslog", LOG_PID, LOG_DAEMON);
    run->warning = log_warning;
    if (write(ready[1], "k", 1) != 1)
        return kExitOsErr;
    close(ready[1]);
    return 0;
}

// confine_run -- asks the kernel to let us read beneath the directories
// of the files we follow (and of a symbolic link's target named at start),
// replace files where the state and pid files live, and run logger(1):
// nothing else, whatever a path is made to point to later.
int confine_run(const Run& run, Notify notice, std::string* err) {
    const Options& o = run.opts;
    Confinement c;
    for (const std::string& pattern : run.files.patterns()) {
        c.read.push_back(read_root(pattern));
        char target[4096];
        if (realpath(pattern.c_str(), target) && pattern != target)
            c.read.push_back(read_root(target));
    }
    if (!o.config_path.empty())
        c.read.push_back(o.config_path);
    for (const std::string* path : {&o.state_path, &o.pidfile})
        if (!path->empty())
            c.write.push_back(read_root(*path));
    // logger as the transport found it: by an absolute path, PATH's included.
    std::string program, why;
    if (o.dest == Dest::logger && resolve_program(o.logger_path, getenv("PATH"), &program, &why))
        c.exec.push_back(program);
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
    if (o.daemon) {
        o.state_path = absolute(o.state_path);
        o.pidfile = absolute(o.pidfile);
        o.config_path = absolute(o.config_path);
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

    for (const std::string* path : {&o.pidfile, &o.state_path})
        if (!path->empty() && !check_directory(*path, &err))
            return fail(kExitCantCreate, err);
    PidFile pidfile;
    if (!o.pidfile.empty() && (code = pidfile.lock(o.pidfile, &err)) != 0)
        return fail(code, err);
    if (!o.state_path.empty()) {
        if (!load_state(&run, &err))
            return fail(kExitCantCreate, err);
        if (!write_state(o.state_path, format_state(run.saved), &err))
            return fail(kExitCantCreate, err);  // better now than at the first save
    }

    size_t batch_max = o.size + kHeaderMax + 64;
    if (batch_max < kChunk)
        batch_max = kChunk;
    code = 1;
    Notify notice = o.verbose ? say : say_nothing;
    if (o.daemon && o.verbose)
        notice = log_notice;
    run.transport = make_transport(o, batch_max, notice, &err, &code);
    if (!run.transport)
        return fail(code, err);
    if (o.once)
        run.transport->give_up_ms = kOnceGiveUpMs;
    if (!o.user.empty() && (code = drop_privileges(o.user, &err)) != 0)
        return fail(code, err);
    run.batch.reset(new Batch(batch_max));
    // The read buffer must hold more than one message's worth, so that a
    // line with no newline yet always yields a full piece.
    run.buffer.resize((o.size * 2 > kChunk ? o.size * 2 : kChunk) + 16);

    if (o.daemon && (code = daemonize(&run, &pidfile)) != 0)
        return code;
    if (!o.daemon && (code = pidfile.write_pid(&err)) != 0)
        return fail(code, err);
    install_signal_handlers();
    if (!follow)
        return run_stdin(&run);  // opens no file: nothing to confine
    if ((code = confine_run(run, notice, &err)) != 0)
        return fail(code, err);
    run.ctx.opts = &o;
    run.ctx.transport = run.transport.get();
    run.ctx.batch = run.batch.get();
    run.ctx.buffer = &run.buffer;
    run.ctx.notice = notice;
    run.ctx.warning = run.warning;
    run.ctx.peers = &run.files;
    return run_files(&run);
}

}  // namespace

}  // namespace t2s

int main(int argc, char** argv) {
    return t2s::main_(argc, argv);
}
