// transport -- picks and opens the destination; --all, which sends to
// every server; standard output.
#include <sys/socket.h>
#include <errno.h>
#include <unistd.h>

#include <vector>

#include "sockets.h"
#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// AllTransport -- every message to every server (--all).  Each stream
// server has its own queue and may lag behind by a bounded amount; only
// then does it hold the others up.
class AllTransport : public Transport {
public:
    explicit AllTransport(std::vector<std::unique_ptr<Transport>> each)
        : each_(std::move(each)) {}

    Framing framing() const override { return each_[0]->framing(); }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        size_t taken = batch.items().size();
        for (auto& t : each_) {
            size_t n = t->send(batch, err, exit_code);
            taken = n < taken ? n : taken;
        }
        return taken;
    }

    void pump() override {
        for (auto& t : each_)
            t->pump();
    }

    bool pending() const override {
        for (auto& t : each_)
            if (t->pending())
                return true;
        return false;
    }

    void reopen() override {
        for (auto& t : each_)
            t->reopen();
    }

    bool take_rewinds(std::vector<Origin>* out) override {
        bool any = false;
        for (auto& t : each_)
            any |= t->take_rewinds(out);
        return any;
    }

    void unconfirmed(std::vector<Origin>* out, bool stopping) const override {
        for (auto& t : each_)
            t->unconfirmed(out, stopping);
    }

    void close_out(int64_t wait_ms) override {
        for (auto& t : each_)
            t->close_out(wait_ms);
    }

    bool connect_first(int64_t wait_ms, std::string* err, int* exit_code) override {
        for (auto& t : each_)
            if (!t->connect_first(wait_ms, err, exit_code))
                return false;
        return true;
    }

private:
    std::vector<std::unique_ptr<Transport>> each_;
};

class StdoutTransport : public Transport {
public:
    Framing framing() const override { return Framing::lf; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        const char* p = batch.bytes();
        size_t left = batch.size();
        while (left > 0) {
            ssize_t n = write(STDOUT_FILENO, p, left);
            if (n < 0) {
                if (errno == EINTR && !g_stop)
                    continue;
                *err = "standard output: " + errno_text(errno);
                *exit_code = kExitIoErr;
                return 0;
            }
            p += n;
            left -= size_t(n);
        }
        return batch.items().size();
    }
};

// How far one server may fall behind the others with --all.
const size_t kAllLag = 1024 * 1024;

std::unique_ptr<Transport> open_peers(const std::vector<Address>& addrs, Dest dest,
                                      bool octet_count, size_t batch_max, size_t lag,
                                      Notify notify, std::string* err, int* exit_code) {
    Peers peers(addrs, dest == Dest::udp ? SOCK_DGRAM : SOCK_STREAM);
    // RELP never lags: a message is taken once confirmed, by every server.
    if (dest == Dest::relp)
        return make_relp_transport(std::move(peers), notify);
    if (dest == Dest::tcp)
        return make_stream_transport(std::move(peers), octet_count, batch_max, lag, notify);
    std::string failed;
    int fd = peers.connect(0, &failed);
    if (fd < 0) {
        *err = failed;
        *exit_code = kExitOsErr;
        return nullptr;
    }
    return make_dgram_transport(std::move(peers), false, Fd(fd), notify);
}

// Where syslogd listens locally: Linux, the BSDs, macOS.
const char* const kLocalSockets[] = {"/dev/log", "/var/run/log", "/var/run/syslog"};

// open_local -- the first local syslog socket that accepts, datagram sockets
// before stream sockets, as syslog(3) tries them.
std::unique_ptr<Transport> open_local(const Options& o, size_t batch_max, Notify notify,
                                      std::string* err, int* exit_code) {
    int types[2] = {SOCK_DGRAM, SOCK_STREAM};
    for (int type : types) {
        if ((o.dgram_only && type != SOCK_DGRAM) || (o.stream_only && type != SOCK_STREAM))
            continue;
        for (const char* path : kLocalSockets) {
            std::string ignored;
            int ignored_code;
            std::unique_ptr<Transport> t = make_unix_transport(
                path, type, o.octet_count, batch_max, notify, &ignored, &ignored_code);
            if (t)
                return t;
        }
    }
    *err = "no local syslog socket (/dev/log, /var/run/log, /var/run/syslog)";
    *exit_code = kExitUnavailable;
    return nullptr;
}

}  // namespace

std::unique_ptr<Transport> make_stdout_transport() {
    return std::unique_ptr<Transport>(new StdoutTransport);
}

std::unique_ptr<Transport> make_inet_transport(const Options& o, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code) {
    std::vector<Address> addrs;
    if (!resolve(o.servers, o.dest == Dest::udp ? SOCK_DGRAM : SOCK_STREAM, &addrs, err,
                 exit_code))
        return nullptr;
    if (!o.all_servers)
        return open_peers(addrs, o.dest, o.octet_count, batch_max, 0, notify, err,
                          exit_code);
    std::vector<std::unique_ptr<Transport>> each;
    for (size_t i = 0; i < o.servers.size(); ++i) {
        std::vector<Address> mine;
        for (Address a : addrs) {
            if (a.server == i) {
                a.server = 0;
                mine.push_back(a);
            }
        }
        each.push_back(open_peers(mine, o.dest, o.octet_count, batch_max, kAllLag, notify,
                                  err, exit_code));
        if (!each.back())
            return nullptr;
    }
    return std::unique_ptr<Transport>(new AllTransport(std::move(each)));
}

std::unique_ptr<Transport> make_unix_transport(const std::string& path, int type,
                                               bool octet_count, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code) {
    std::vector<Address> addrs(1);
    if (!unix_address(path, &addrs[0])) {
        *err = path + ": socket path too long";
        *exit_code = kExitUsage;
        return nullptr;
    }
    int types[2] = {SOCK_DGRAM, SOCK_STREAM};
    int saved = 0;
    for (int t : types) {
        if (type != 0 && type != t)
            continue;
        int fd = open_socket(addrs[0], t);
        if (fd < 0) {
            if (saved == 0 || errno != EPROTOTYPE)
                saved = errno;
            continue;
        }
        if (t == SOCK_DGRAM)
            return make_dgram_transport(Peers(addrs, t), true, Fd(fd), notify);
        close(fd);  // the stream transport connects on its first send
        return make_stream_transport(Peers(addrs, t), octet_count, batch_max, 0, notify);
    }
    *err = path + ": " + errno_text(saved);
    *exit_code = kExitUnavailable;
    return nullptr;
}

std::unique_ptr<Transport> make_transport(const Options& o, size_t batch_max,
                                          Notify notify, std::string* err,
                                          int* exit_code) {
    switch (o.dest) {
    case Dest::stdout_:
        return make_stdout_transport();
    case Dest::logger:
        return make_logger_transport(o, notify, err, exit_code);
    case Dest::udp:
    case Dest::tcp:
    case Dest::relp:
        return make_inet_transport(o, batch_max, notify, err, exit_code);
    case Dest::unix_socket: {
        int type = o.dgram_only ? SOCK_DGRAM : o.stream_only ? SOCK_STREAM : 0;
        return make_unix_transport(o.socket_path, type, o.octet_count, batch_max, notify,
                                   err, exit_code);
    }
    case Dest::local:
        break;
    }
    return open_local(o, batch_max, notify, err, exit_code);
}

}  // namespace t2s
