// transport_logger -- lines handed to long-lived logger(1) children, for
// sites where only logger may talk to syslog.  One child per distinct
// tag and priority, started with an argument vector (never a shell), fed one
// line per message on a pipe, and started again if it exits.  A message
// that was being written when its child died is written again whole; what
// a child had taken into its pipe but not read when it died is lost (a pipe
// says nothing of what its reader did).  logger is found once, at start, by
// an absolute path, and runs as spawn_child runs children: a fixed small
// environment, no descriptor of ours, and not as root (--user, or nobody).
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "child.h"
#include "priority.h"
#include "sockets.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// A child that lived this long before it died was working: start another
// at once.  One that died sooner counts as a failed start, and failed starts
// back off, and under --once give up (75) after give_up_ms.
const int64_t kHealthyMs = 1000;

// After our end of its pipe is closed, a child has this long to send what it
// holds and exit; then it is killed, so that exit never hangs on it.
const int64_t kDrainMs = 5000;

struct LoggerChild {
    std::string tag;
    int pri = 0;
    Child proc;             // pid, and the pipe to its standard input
    int64_t started = 0;    // now_ms() when it was started
};

// reap -- waits for pid for at most ms, then kills it and waits.
void reap(pid_t pid, int64_t ms) {
    int64_t until = now_ms() + ms;
    while (waitpid(pid, nullptr, WNOHANG) == 0) {
        if (now_ms() >= until) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            return;
        }
        sleep_ms(20);
    }
}

class LoggerTransport : public Transport {
public:
    LoggerTransport(const Options& o, std::string program, Identity identity,
                    Notify notify)
        : opts_(o), program_(std::move(program)), identity_(std::move(identity)),
          notify_(notify), backoff_(-1) {}

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
        size_t n = batch.items().size();
        for (size_t i = 0; i < n; ++i) {
            const Batch::Item& item = batch.items()[i];
            size_t len;
            const char* line = batch.message(i, &len);
            LoggerChild* child = child_for(item.header->tag, item.pri);
            while (!write_line(child, line, len)) {
                if (g_stop)
                    return i;
                if (!restart(child, err, exit_code))
                    return i;
            }
        }
        return n;
    }

private:
    LoggerChild* child_for(const std::string& tag, int pri) {
        for (LoggerChild& c : children_)
            if (c.pri == pri && c.tag == tag)
                return &c;
        children_.emplace_back();
        children_.back().tag = tag;
        children_.back().pri = pri;
        return &children_.back();
    }

    bool write_line(LoggerChild* c, const char* p, size_t len) {
        if (!c->proc.to_child.valid())
            return false;
        while (len > 0) {
            ssize_t n = write(c->proc.to_child.get(), p, len);
            if (n < 0) {
                if (errno == EINTR && !g_stop)
                    continue;
                c->proc.to_child.reset();
                return false;
            }
            p += n;
            len -= size_t(n);
        }
        return true;
    }

    // restart -- reaps a child that closed its pipe (killing it if it has
    // not exited), then starts a new one.  A child that died young counts
    // as a failed start: those back off, and fail (75) once the give-up
    // budget is spent, so that --once ends on a logger that cannot run.
    bool restart(LoggerChild* c, std::string* err, int* exit_code) {
        if (c->proc.pid > 0) {
            reap(c->proc.pid, kDrainMs);
            c->proc.pid = -1;
            bool young = now_ms() - c->started < kHealthyMs;
            notify_("logger for " + c->tag + " exited, restarting");
            if (!young || !failing_)
                backoff_ = Backoff(give_up_ms);  // a new series of failed starts
            failing_ = young;
            if (!backoff_.wait()) {
                if (!g_stop) {
                    *err = program_ + ": exits as soon as it starts";
                    *exit_code = kExitTempFail;
                }
                return false;
            }
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
    Backoff backoff_;       // between failed starts
    bool failing_ = false;  // the last child died young
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
    return std::unique_ptr<Transport>(new LoggerTransport(o, program, identity, notify));
}

}  // namespace t2s
