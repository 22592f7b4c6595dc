// transport_logger -- lines handed to long-lived logger(1) children, for
// sites where only logger may talk to syslog.  One child per distinct
// tag and priority, started with an argument vector (never a shell), fed one
// line per message on a pipe, and started again if it exits.  What a child
// was given and did not read (or, when it failed, may not have sent) is
// given whole, in order, to its successor: each child's messages are kept
// in a ring (PipeBook, pipe_book.h) until it has read them, and no more is
// written than the ring holds.  logger is found once, at start, by an absolute path, and
// runs as spawn_child runs children: a fixed small environment, no
// descriptor of ours, and not as root (--user, or nobody).
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "child.h"
#include "pipe_book.h"
#include "platform.h"
#include "priority.h"
#include "resend.h"
#include "sockets.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// What a logger child took, and what it may not have sent:
//
// | the child                          | given again to its successor      |
// |------------------------------------|-----------------------------------|
// | exits 0 (read its input to the end | what is still unread in its pipe, |
// |   or stopped early)                |   from the message that holds it  |
// | exits non-zero or by a signal      | also a reader's buffer before     |
// |                                    |   that (kReaderHold): logger reads|
// |                                    |   its input through stdio, and    |
// |                                    |   may have sent none of it        |
// | exits 0 at our EOF (close_out)     | nothing: it read and sent it all  |
//
// What is unread is asked of the pipe (FIONREAD, on our end); where that
// cannot be asked, all the child was given counts as unread when it fails or
// dies young, and as read otherwise.

// A child that lived this long before it died was working: start another
// at once.  One that died sooner counts as a failed start, and failed starts
// (and failures) back off, and under --once give up (75) after give_up_ms.
const int64_t kHealthyMs = 1000;

// After our end of its pipe is closed, a child has this long to send what it
// holds and exit; then it is killed, so that exit never hangs on it.
const int64_t kDrainMs = 5000;

struct LoggerChild {
    LoggerChild(size_t capacity, size_t marks) : book(capacity, marks) {}
    std::string tag;
    int pri = 0;
    Child proc;             // pid, and the pipe to its standard input
    int64_t started = 0;    // now_ms() when it was started
    PipeBook book;
    bool restart = false;   // it replaces one that exited
};

// unread -- bytes written into the pipe to fd that its reader has not read,
// or -1 where that cannot be told.
int64_t unread(int fd) {
#if T2S_HAVE_FIONREAD_PIPE
    int n = 0;
    if (fd >= 0 && ioctl(fd, FIONREAD, &n) == 0)
        return n;
#else
    (void)fd;
#endif
    return -1;
}

// reap -- waits for pid for at most ms, then kills it and waits; its
// wait status.
int reap(pid_t pid, int64_t ms) {
    int64_t until = now_ms() + ms;
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, WNOHANG)) == 0) {
        if (now_ms() >= until) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return status;
        }
        sleep_ms(20);
    }
    return r == pid ? status : 0;
}

// status_text -- how a child ended, for a diagnostic.
std::string status_text(int status) {
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

class LoggerTransport : public Transport {
public:
    LoggerTransport(const Options& o, std::string program, Identity identity,
                    Notify notify)
        : opts_(o), program_(std::move(program)), identity_(std::move(identity)),
          notify_(notify), backoff_(-1) {
        size_t most = o.size + kHeaderMax + 64;  // the longest message
        capacity_ = 4 * most > kRing ? 4 * most : kRing;
    }

    ~LoggerTransport() override {
        for (LoggerChild& c : children_)
            c.proc.to_child.reset();  // EOF: logger sends what it has and exits
        int64_t until = now_ms() + kDrainMs;
        for (LoggerChild& c : children_)
            if (c.proc.pid > 0)
                reap(c.proc.pid, until - now_ms());
    }

    Framing framing() const override { return Framing::lf; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        if (!fatal_.empty())
            return failed_before(err, exit_code);
        // A child's run of messages is written at once, when the next goes
        // to another child or the batch ends: one write(2) a run, not a line.
        // (An index: children_ may grow, and move, meanwhile.)
        size_t n = batch.items().size(), run = kNone;
        for (size_t i = 0; i < n; ++i) {
            const Batch::Item& item = batch.items()[i];
            size_t len;
            const char* line = batch.message(i, &len);
            size_t at = child_at(item.header->tag, item.pri, run);
            if (at != run && run != kNone && !flush(&children_[run], err, exit_code))
                return i;
            run = at;
            LoggerChild* child = &children_[at];
            while (!child->book.room(len))
                if (!make_room(child, err, exit_code))
                    return i;
            child->book.add(line, len, batch.origin(i));
            // Kept from here on: unconfirmed() holds the state before it.
        }
        if (run != kNone)
            flush(&children_[run], err, exit_code);  // *err says if it failed
        return n;
    }

    // pump -- a child that exited while we had nothing to give it is
    // replaced, and what it left unread given to its successor.
    void pump() override {
        for (LoggerChild& c : children_) {
            int status = 0;
            if (c.proc.pid > 0 && waitpid(c.proc.pid, &status, WNOHANG) == c.proc.pid)
                ended(&c, status, unread(c.proc.to_child.get()));
            else
                note_reads(&c);
            if (c.book.pending() && fatal_.empty())
                flush(&c, &fatal_, &fatal_code_);
        }
    }
    bool pending() const override {
        for (const LoggerChild& c : children_)
            if (c.book.pending())
                return true;
        return false;
    }

    void unconfirmed(std::vector<Origin>* out, bool stopping) const override {
        Origin o;
        for (const LoggerChild& c : children_)
            if (c.book.oldest(stopping, &o))
                merge_origin(out, o);
    }

    // close_out -- gives each child all it is owed, waits until it read it,
    // then ends its input: one that exits 0 sent it all.  One that fails is
    // replaced (backing off) and its share given again, until give_up_ms.
    void close_out(int64_t /*wait_ms*/) override {
        int64_t until = now_ms() + (give_up_ms >= 0 ? give_up_ms : kDrainMs) + kDrainMs;
        bool again = true;
        while (again && fatal_.empty() && !g_stop && now_ms() < until) {
            again = false;
            for (LoggerChild& c : children_)
                if (c.book.pending() && !flush(&c, &fatal_, &fatal_code_))
                    return;
            for (LoggerChild& c : children_)
                again |= end_input(&c);
        }
    }

    int undelivered(std::string* why) const override {
        for (const LoggerChild& c : children_) {
            if (!c.book.kept())
                continue;
            *why = !fatal_.empty() ? fatal_
                                   : program_ + last_ + ": lines given to it not sent";
            return kExitTempFail;
        }
        return 0;
    }

private:
    // The ring each child's messages are kept in, at least.
    static constexpr size_t kRing = 256 * 1024;
    static constexpr size_t kMarks = 16384;  // > kReaderHold messages of one byte
    static constexpr size_t kNone = size_t(-1);  // no child yet

    bool young_last() const { return last_.compare(0, 2, ": ") == 0; }

    size_t failed_before(std::string* err, int* exit_code) const {
        *err = fatal_;
        *exit_code = fatal_code_;
        return 0;
    }

    // child_at -- the index of the child for tag and pri, made if need be;
    // hint: the last one's, looked at first.
    size_t child_at(const std::string& tag, int pri, size_t hint) {
        if (hint != kNone && children_[hint].pri == pri && children_[hint].tag == tag)
            return hint;
        for (size_t i = 0; i < children_.size(); ++i)
            if (children_[i].pri == pri && children_[i].tag == tag)
                return i;
        children_.emplace_back(capacity_, kMarks);
        children_.back().tag = tag;
        children_.back().pri = pri;
        return children_.size() - 1;
    }

    // note_reads -- what c's child has read, where that can be told.
    void note_reads(LoggerChild* c) {
        int64_t left = c->proc.pid > 0 ? unread(c->proc.to_child.get()) : -1;
        if (left >= 0)
            c->book.read_to(c->book.written() - uint64_t(left));
    }

    // make_room -- waits a little for c's child to read; where reads cannot
    // be told, takes what it was given as read (the pipe holds less than
    // the ring).  False with *err on a fatal error, or on g_stop.
    bool make_room(LoggerChild* c, std::string* err, int* exit_code) {
        int status = 0;
        if (c->proc.pid > 0 && waitpid(c->proc.pid, &status, WNOHANG) == c->proc.pid) {
            ended(c, status, unread(c->proc.to_child.get()));
            return flush(c, err, exit_code);
        }
        if (c->book.pending())  // a run not written yet: first of all
            return flush(c, err, exit_code);
        if (c->proc.pid > 0 && unread(c->proc.to_child.get()) < 0) {
            c->book.read_to(c->book.written());
            return true;
        }
        note_reads(c);
        if (!c->book.room(0))
            return flush(c, err, exit_code);
        sleep_ms(5);
        return !g_stop;
    }

    // flush -- writes what c's book holds unwritten, starting a child (and
    // its successors) as needed.
    bool flush(LoggerChild* c, std::string* err, int* exit_code) {
        const char* p;
        size_t n;
        while ((n = c->book.chunk(&p)) > 0) {
            if (!c->proc.to_child.valid() && !start(c, err, exit_code))
                return false;
            ssize_t w = write(c->proc.to_child.get(), p, n);
            if (w > 0) {
                c->book.wrote(size_t(w));
            } else if (w < 0 && errno == EINTR) {
                if (g_stop)
                    return false;
            } else {  // EPIPE: it closed its input
                int64_t left = unread(c->proc.to_child.get());
                ended(c, reap(c->proc.pid, kDrainMs), left);
            }
        }
        return true;
    }

    // ended -- c's child is gone (reaped), left bytes unread in its pipe (-1:
    // not known).  What is owed is to be written again; a failure is said
    // once a series, and the next start backs off after a failure or a
    // child that died young.
    void ended(LoggerChild* c, int status, int64_t left) {
        bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        bool young = now_ms() - c->started < kHealthyMs;
        if (left >= 0)
            c->book.read_to(c->book.written() - uint64_t(left));
        else
            c->book.read_to(failed || young ? c->book.start() : c->book.written());
        c->book.rewind(failed);
        c->proc.to_child.reset();
        c->proc.pid = -1;
        c->restart = true;
        bool series = failing_ && young;  // the same series of failures
        failing_ = failed || young;
        // The wording of a logger that dies young is the interface's.
        last_ = young ? ": exits as soon as it starts" : " " + status_text(status);
        if (!series)
            backoff_ = Backoff(give_up_ms, lookout);
        if (failed && !series && warning)
            warning("logger for " + c->tag + " " + status_text(status) + ", restarting");
        else
            notify_("logger for " + c->tag + " exited, restarting");
    }

    // end_input -- waits for c's child to read what it was given, then ends
    // its input and reaps it.  True if it must be given some again.
    bool end_input(LoggerChild* c) {
        if (c->proc.pid <= 0)
            return c->book.pending();
        int64_t until = now_ms() + kDrainMs, left;
        int status = 0;
        while ((left = unread(c->proc.to_child.get())) > 0 && now_ms() < until) {
            if (waitpid(c->proc.pid, &status, WNOHANG) == c->proc.pid) {
                ended(c, status, left);
                return true;
            }
            sleep_ms(10);
        }
        c->proc.to_child.reset();
        status = reap(c->proc.pid, kDrainMs);
        if (left <= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            c->book.delivered();
            c->proc.pid = -1;
            return false;
        }
        // What it left unread goes to its successor; where that cannot be
        // asked (-1), ended() takes a failed child to have read none of it.
        ended(c, status, left);
        return true;
    }

    // start -- starts c's child, after the back-off when it replaces one
    // that failed or died young.  False with *err (75: the back-off's
    // budget is spent) or on g_stop.
    bool start(LoggerChild* c, std::string* err, int* exit_code) {
        if (c->restart && failing_ && !backoff_.wait()) {
            if (!g_stop) {
                *err = program_ + last_ + (young_last() ? "" : ", giving up");
                *exit_code = kExitTempFail;
            }
            return false;
        }
        ChildSpec spec;
        spec.program = program_;
        spec.argv = arguments(*c);
        spec.identity = &identity_;
        if (!spawn_child(spec, &c->proc, err)) {
            *exit_code = kExitOsErr;
            return false;
        }
        c->started = now_ms();
        c->book.started();
        return true;
    }

    // arguments -- logger's argument vector for one tag and priority.
    std::vector<std::string> arguments(const LoggerChild& c) const {
        const Options& o = opts_;
        // logger takes names only: "-p 13" is refused as a bad severity.
        std::vector<std::string> a = {o.logger_path, "-t", c.tag, "-p",
                                      priority_name(c.pri), "--size",
                                      std::to_string(o.size + 1)};
        if (!o.procid.empty())
            a.push_back("--id=" + o.procid);
        if (!o.servers.empty()) {
            a.insert(a.end(), {"-n", o.servers[0].host, "-P", o.servers[0].port});
            a.push_back(o.stream_only ? "-T" : "-d");
        } else if (!o.socket_path.empty()) {
            a.insert(a.end(), {"-u", o.socket_path});
        }
        // logger's own default is RFC 5424 over the network: say which.
        a.push_back(o.format == Format::rfc5424 ? "--rfc5424" : "--rfc3164");
        if (o.octet_count)
            a.push_back("--octet-count");
        return a;
    }

    Options opts_;
    std::string program_;   // absolute, found at start
    Identity identity_;     // who children run as when we are root
    Notify notify_;
    size_t capacity_;       // of each child's ring
    Backoff backoff_;       // between failed starts
    bool failing_ = false;  // the last child failed or died young
    std::string last_;      // how the last child ended
    std::string fatal_;     // why pump() gave up, for the next send()
    int fatal_code_ = 0;
    std::vector<LoggerChild> children_;
};

}  // namespace

std::unique_ptr<Transport> make_logger_transport(const Options& o, Notify notify,
                                                 std::string* err, int* exit_code) {
    std::string program, why;
    if (!resolve_program(o.logger_path, getenv("PATH"), &program, &why)) {
        *err = why;
        *exit_code = kExitUnavailable;
        return nullptr;
    }
    // As root, logger runs as the --user user, or as nobody: it reads only
    // its standard input and talks to a socket.
    Identity identity;
    const std::string& user = o.user.empty() ? "nobody" : o.user;
    if (geteuid() == 0 && !lookup_identity(user, &identity, &why)) {
        *err = "cannot run logger as " + user + ": " + why;
        *exit_code = kExitUsage;
        return nullptr;
    }
    // A server is looked up now, as the other transports do, so that a
    // name that has no address fails the start (68), not each logger.
    std::vector<Address> addrs;
    if (!o.servers.empty() &&
        !resolve(o.servers, o.stream_only ? SOCK_STREAM : SOCK_DGRAM, &addrs, err, exit_code))
        return nullptr;
    return std::unique_ptr<Transport>(new LoggerTransport(o, program, identity, notify));
}

}  // namespace t2s
