// transport_logger -- lines handed to long-lived logger(1) children, for
// sites where only logger may talk to syslog.  One child per distinct
// tag and priority, started with an argument vector (never a shell), fed one
// line per message on a pipe, and started again if it exits.  A message
// that was being written when its child died is written again whole.
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "priority.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

struct Child {
    std::string tag;
    int pri = 0;
    pid_t pid = -1;
    Fd pipe;
};

// find_program -- whether path, or a PATH entry for a bare name, is executable.
bool find_program(const std::string& path) {
    if (path.find('/') != std::string::npos)
        return access(path.c_str(), X_OK) == 0;
    const char* env = getenv("PATH");
    std::string dirs = env ? env : "/usr/bin:/bin";
    std::string::size_type start = 0;
    for (;;) {
        std::string::size_type colon = dirs.find(':', start);
        std::string dir = dirs.substr(start, colon == std::string::npos ? colon : colon - start);
        if (access(((dir.empty() ? "." : dir) + "/" + path).c_str(), X_OK) == 0)
            return true;
        if (colon == std::string::npos)
            return false;
        start = colon + 1;
    }
}

class LoggerTransport : public Transport {
public:
    LoggerTransport(const Options& o, Notify notify) : opts_(o), notify_(notify) {}

    ~LoggerTransport() override {
        for (Child& c : children_) {
            c.pipe.reset();  // EOF: logger sends what it has and exits
            if (c.pid > 0)
                waitpid(c.pid, nullptr, 0);
        }
    }

    Framing framing() const override { return Framing::lf; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        size_t n = batch.items().size();
        for (size_t i = 0; i < n; ++i) {
            const Batch::Item& item = batch.items()[i];
            size_t len;
            const char* line = batch.message(i, &len);
            Child* child = child_for(item.header->tag, item.pri);
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
    Child* child_for(const std::string& tag, int pri) {
        for (Child& c : children_)
            if (c.pri == pri && c.tag == tag)
                return &c;
        children_.emplace_back();
        children_.back().tag = tag;
        children_.back().pri = pri;
        return &children_.back();
    }

    bool write_line(Child* c, const char* p, size_t len) {
        if (!c->pipe.valid())
            return false;
        while (len > 0) {
            ssize_t n = write(c->pipe.get(), p, len);
            if (n < 0) {
                if (errno == EINTR && !g_stop)
                    continue;
                c->pipe.reset();
                return false;
            }
            p += n;
            len -= size_t(n);
        }
        return true;
    }

    // restart -- reaps a dead child, then starts a new one, with backoff so
    // that a logger that cannot start does not spin.
    bool restart(Child* c, std::string* err, int* exit_code) {
        if (c->pid > 0) {
            waitpid(c->pid, nullptr, 0);
            c->pid = -1;
            notify_("logger for " + c->tag + " exited, restarting");
            sleep_ms(100);
            if (g_stop)
                return false;
        }
        std::vector<std::string> args = arguments(*c);
        std::vector<char*> argv;
        for (std::string& a : args)
            argv.push_back(&a[0]);
        argv.push_back(nullptr);
        int fds[2];
        if (pipe(fds) < 0) {
            *err = "pipe: " + errno_text(errno);
            *exit_code = kExitOsErr;
            return false;
        }
        pid_t pid = fork();
        if (pid < 0) {
            *err = "fork: " + errno_text(errno);
            *exit_code = kExitOsErr;
            close(fds[0]);
            close(fds[1]);
            return false;
        }
        if (pid == 0) {
            dup2(fds[0], STDIN_FILENO);
            close(fds[0]);
            close(fds[1]);
            execvp(argv[0], argv.data());
            _exit(127);
        }
        close(fds[0]);
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);  // later children must not hold it
        c->pid = pid;
        c->pipe.reset(fds[1]);
        return true;
    }

    // arguments -- logger's argument vector for one tag and priority.
    std::vector<std::string> arguments(const Child& c) const {
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
    Notify notify_;
    std::vector<Child> children_;
};

}  // namespace

std::unique_ptr<Transport> make_logger_transport(const Options& o, Notify notify,
                                                 std::string* err, int* exit_code) {
    if (!find_program(o.logger_path)) {
        *err = o.logger_path + ": logger not found";
        *exit_code = kExitUnavailable;
        return nullptr;
    }
    return std::unique_ptr<Transport>(new LoggerTransport(o, notify));
}

}  // namespace t2s
