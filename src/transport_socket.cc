// transport_socket -- UDP, TCP and unix sockets, and standard output.
//
// Datagram sockets (UDP, unix) send one message per datagram, in batches
// with sendmmsg(2) where there is one.  UDP is fire and forget: an ICMP
// "port unreachable" reported on a send just costs a retry of that send.  A
// unix datagram receiver that is restarting (ECONNREFUSED, ENOENT, ENOBUFS,
// EAGAIN) is waited for, with backoff, and nothing is dropped.
//
// Stream sockets (TCP, unix) write whole batches.  Every byte written also
// goes to a ring that holds at least what the kernel may still hold unsent
// or unacknowledged (the send buffer is sized to fit in it).  When the
// connection breaks, we reconnect with backoff (0.1 s doubling to 30 s) and
// write again from the start of the oldest batch the peer may not have: on
// Linux SIOCOUTQ tells how far the peer has acknowledged; elsewhere the
// whole ring is sent again.  Duplicates are possible then; loss is not.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "platform.h"
#include "sys.h"
#include "transport.h"

#if T2S_HAVE_SIOCOUTQ
#include <linux/sockios.h>
#endif

namespace t2s {

namespace {

const int64_t kBackoffFirstMs = 100;
const int64_t kBackoffMaxMs = 30000;
const int64_t kFailBackMs = 30000;  // how often to look for a preferred server
const int kSendTimeoutSec = 1;      // blocked sends wake up to look at g_stop

struct Address {
    struct sockaddr_storage ss;
    socklen_t len;
    size_t server;     // index in the -n list: lower is preferred
    std::string text;  // for messages
};

// Backoff -- 0.1 s doubling to 30 s between attempts; gives up after
// give_up_ms of failures if that is not negative.
class Backoff {
public:
    explicit Backoff(int64_t give_up_ms) : give_up_ms_(give_up_ms) {}
    // wait -- sleeps the next delay, or what is left of the budget; false
    // if g_stop was raised or the budget is spent.
    bool wait() {
        if (since_ < 0)
            since_ = now_ms();
        int64_t nap = delay_;
        if (give_up_ms_ >= 0) {
            int64_t left = give_up_ms_ - (now_ms() - since_);
            if (left <= 0)
                return false;
            nap = nap < left ? nap : left;
        }
        sleep_ms(nap);
        delay_ = delay_ * 2 > kBackoffMaxMs ? kBackoffMaxMs : delay_ * 2;
        return !g_stop;
    }
    void reset() {
        delay_ = kBackoffFirstMs;
        since_ = -1;
    }
    int64_t delay() const { return delay_; }

private:
    int64_t give_up_ms_;
    int64_t delay_ = kBackoffFirstMs;
    int64_t since_ = -1;
};

// open_socket -- a connected socket of type to addr, or -1 with errno set.
int open_socket(const Address& addr, int type) {
    int fd = socket(addr.ss.ss_family, type, 0);
    if (fd < 0)
        return -1;
    fcntl(fd, F_SETFD, FD_CLOEXEC);  // not for logger children
    struct timeval tv = {kSendTimeoutSec, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, reinterpret_cast<const struct sockaddr*>(&addr.ss), addr.len) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

bool unix_address(const std::string& path, Address* a) {
    struct sockaddr_un sun;
    if (path.size() >= sizeof sun.sun_path)
        return false;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path.c_str(), path.size() + 1);
    memset(&a->ss, 0, sizeof a->ss);
    memcpy(&a->ss, &sun, sizeof sun);
    a->len = socklen_t(sizeof sun);
    a->server = 0;
    a->text = path;
    return true;
}

// Peers -- the addresses of every server, in order of preference, and which
// one we are connected to.  Failover: connect to the first that accepts;
// while on a later one, look every 30 s whether an earlier one is back.
class Peers {
public:
    Peers(std::vector<Address> addrs, int type) : addrs_(std::move(addrs)), type_(type) {}

    // connect -- a socket to the first server from `from` on that accepts
    // (wrapping round), or -1 with *failed saying why the last one did not.
    int connect(size_t from, std::string* failed) {
        size_t servers = addrs_.back().server + 1;
        for (size_t k = 0; k < servers; ++k) {
            size_t want = (from + k) % servers;
            for (const Address& a : addrs_) {
                if (a.server != want)
                    continue;
                int fd = open_socket(a, type_);
                if (fd >= 0) {
                    current_ = want;
                    peer_ = a.text;
                    next_fail_back_ = now_ms() + kFailBackMs;
                    return fd;
                }
                *failed = a.text + ": " + errno_text(errno);
            }
        }
        return -1;
    }

    // fail_back -- a socket to a server preferred to the current one, if it
    // is time to look and one accepts; else -1.
    int fail_back() {
        if (current_ == 0 || now_ms() < next_fail_back_)
            return -1;
        next_fail_back_ = now_ms() + kFailBackMs;
        for (const Address& a : addrs_) {
            if (a.server >= current_)
                break;
            int fd = open_socket(a, type_);
            if (fd >= 0) {
                current_ = a.server;
                peer_ = a.text;
                return fd;
            }
        }
        return -1;
    }

    size_t current() const { return current_; }
    size_t count() const { return addrs_.back().server + 1; }
    const std::string& peer() const { return peer_; }

private:
    std::vector<Address> addrs_;
    int type_;
    size_t current_ = 0;
    std::string peer_;
    int64_t next_fail_back_ = 0;
};

class DgramTransport : public Transport {
public:
    DgramTransport(Peers peers, bool is_unix, Fd fd, Notify notify)
        : peers_(std::move(peers)), unix_(is_unix), fd_(std::move(fd)), notify_(notify) {}

    Framing framing() const override { return Framing::none; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        size_t n = batch.items().size(), done = 0;
        Backoff backoff(give_up_ms);
        int back = peers_.fail_back();
        if (back >= 0) {
            fd_.reset(back);
            notify_("back to " + peers_.peer());
        }
        while (done < n) {
            if (!fd_.valid() && !reconnect(&backoff, err, exit_code))
                return done;
            ssize_t sent = send_some(batch, done);
            if (sent > 0) {
                done += size_t(sent);
                backoff.reset();
                continue;
            }
            int e = errno;
            if (g_stop)
                return done;
            if (e == EINTR)
                continue;
            if (!unix_ && e == ECONNREFUSED) {
                // An ICMP port unreachable for an earlier datagram: this one
                // is unsent.  With several servers, try the next one.
                if (peers_.count() > 1) {
                    notify_(peers_.peer() + ": " + errno_text(e));
                    fd_.reset();
                    next_ = peers_.current() + 1;
                }
                continue;
            }
            if (e == EMSGSIZE) {
                notify_("message too long for a datagram, dropped");
                ++done;
                continue;
            }
            if (e == ENOBUFS || e == EAGAIN || e == EWOULDBLOCK) {
                if (!backoff.wait())
                    return gave_up(done, peers_.peer() + ": " + errno_text(e), err, exit_code);
                continue;
            }
            notify_("send to " + peers_.peer() + ": " + errno_text(e));
            fd_.reset();
            if (!backoff.wait())
                return gave_up(done, peers_.peer() + ": " + errno_text(e), err, exit_code);
        }
        return done;
    }

    void reopen() override { fd_.reset(); }

private:
    // send_some -- sends messages from first on; how many went, or -1.
    ssize_t send_some(const Batch& batch, size_t first) {
#if T2S_HAVE_SENDMMSG
        enum { kMax = 256 };
        struct mmsghdr msgs[kMax];
        struct iovec iov[kMax];
        size_t n = batch.items().size() - first;
        if (n > kMax)
            n = kMax;
        for (size_t i = 0; i < n; ++i) {
            size_t len;
            const char* p = batch.message(first + i, &len);
            iov[i].iov_base = const_cast<char*>(p);
            iov[i].iov_len = len;
            memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        return sendmmsg(fd_.get(), msgs, unsigned(n), 0);
#else
        size_t len;
        const char* p = batch.message(first, &len);
        return ::send(fd_.get(), p, len, 0) < 0 ? -1 : 1;
#endif
    }

    bool reconnect(Backoff* backoff, std::string* err, int* exit_code) {
        for (;;) {
            std::string failed;
            int fd = peers_.connect(next_, &failed);
            if (fd >= 0) {
                fd_.reset(fd);
                ++reconnects;
                notify_("connected to " + peers_.peer());
                next_ = 0;
                return true;
            }
            notify_("cannot connect to " + failed + ", retrying");
            if (!backoff->wait()) {
                gave_up(0, failed, err, exit_code);
                return false;
            }
        }
    }

    size_t gave_up(size_t done, const std::string& why, std::string* err, int* exit_code) {
        if (!g_stop) {
            *err = why;
            *exit_code = kExitTempFail;
        }
        return done;
    }

    Peers peers_;
    bool unix_;
    Fd fd_;
    Notify notify_;
    size_t next_ = 0;  // the server to try first on reconnecting
};

class StreamTransport : public Transport {
public:
    // lag: bytes this server may fall behind (--all); 0: send() blocks until
    // everything is written.
    StreamTransport(Peers peers, bool octet_count, size_t batch_max, size_t lag,
                    Notify notify)
        : peers_(std::move(peers)), octet_(octet_count), notify_(notify),
          lag_(lag > 0), ring_size_(kSndBuf + 2 * batch_max + lag), ring_(ring_size_) {}

    Framing framing() const override { return octet_ ? Framing::octet : Framing::lf; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        if (lag_) {
            // Queue the batch; block only when this server lags so far that
            // the ring could not keep what it may still need.
            uint64_t keep_from = acked_ < written_ ? acked_ : written_;
            if (end_ + batch.size() - keep_from > ring_size_) {
                Batch none(0);
                if (deliver(none, err, exit_code) < 0)
                    return 0;
            }
            remember(batch.bytes(), batch.size());
            pump();
            return batch.items().size();
        }
        return size_t(deliver(batch, err, exit_code));
    }

    void pump() override {
        if (fd_.valid() && peer_closed())
            lost_connection(errno);
        if (written_ >= end_)
            return;
        if (!fd_.valid()) {
            if (now_ms() < next_try_)
                return;
            std::string failed;
            int fd = peers_.connect(0, &failed);
            if (fd < 0) {
                notify_("cannot connect to " + failed + ", retrying in " +
                        std::to_string(retry_delay_) + " ms");
                next_try_ = now_ms() + retry_delay_;
                retry_delay_ = retry_delay_ * 2 > kBackoffMaxMs ? kBackoffMaxMs : retry_delay_ * 2;
                return;
            }
            connected(fd);
        }
        if (!flush(false) && errno != EAGAIN)
            lost_connection(errno);
    }

    bool pending() const override { return written_ < end_; }

    // peer_closed -- whether the receiver has closed the connection.  A
    // syslog receiver never sends, so a readable socket means EOF (errno 0)
    // or an error (errno set); stray bytes are read and ignored.
    bool peer_closed() {
        struct pollfd pfd = {fd_.get(), POLLIN, 0};
        if (poll(&pfd, 1, 0) <= 0)
            return false;
        char junk[512];
        ssize_t n = recv(fd_.get(), junk, sizeof junk, 0);
        if (n > 0)
            return false;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return false;
        if (n == 0)
            errno = 0;
        return true;
    }

    void reopen() override { fd_.reset(); }

private:
    // deliver -- writes the batch and everything queued before it, through
    // outages.  Returns how many of its messages were written, or -1 if
    // none because we stopped or gave up.
    long deliver(const Batch& batch, std::string* err, int* exit_code) {
        uint64_t start = end_;
        remember(batch.bytes(), batch.size());
        Backoff backoff(give_up_ms);
        if (fd_.valid() && peer_closed())
            lost_connection(errno);  // closed while we were idle
        if (fd_.valid())
            fail_back();
        while (written_ < end_) {
            std::string failed;
            if (!fd_.valid() && !connect_now(&backoff, &failed)) {
                if (!g_stop) {
                    *err = failed;
                    *exit_code = kExitTempFail;
                }
                break;
            }
            if (flush(true))
                continue;
            if (g_stop)
                break;
            lost_connection(errno);
        }
        if (written_ < end_ && batch.empty())
            return -1;
        return long(taken(batch, start));
    }

    // kSndBuf bytes of socket buffer hold no more than that of payload, so
    // what the kernel may still lose always lies within the ring.
    enum { kSndBuf = 256 * 1024, kMarks = 4096 };

    // remember -- copies a batch into the ring and marks where it begins.
    void remember(const char* p, size_t n) {
        marks_[mark_count_++ % kMarks] = end_;
        for (size_t i = 0; i < n;) {
            size_t at = size_t(end_ % ring_size_);
            size_t chunk = size_t(n - i < ring_size_ - at ? n - i : ring_size_ - at);
            memcpy(&ring_[at], p + i, chunk);
            i += chunk;
            end_ += chunk;
        }
    }

    // flush -- writes the ring from written_ to end_; false on error, or
    // with EAGAIN when the socket is full and we may not wait.
    bool flush(bool wait) {
        while (written_ < end_) {
            note_acked();
            size_t at = size_t(written_ % ring_size_);
            uint64_t left = end_ - written_;
            size_t chunk = size_t(left < ring_size_ - at ? left : ring_size_ - at);
            ssize_t n = write(fd_.get(), &ring_[at], chunk);
            if (n < 0) {
                if (g_stop || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
                    return false;
                if (errno != EINTR && !wait)
                    return false;
                if (errno != EINTR) {  // full: wait for room, a second at most
                    struct pollfd pfd = {fd_.get(), POLLOUT, 0};
                    poll(&pfd, 1, 1000);
                }
                continue;
            }
            written_ += uint64_t(n);
        }
        return true;
    }

    // note_acked -- how far the peer has confirmed receipt, where we can know.
    void note_acked() {
#if T2S_HAVE_SIOCOUTQ
        int outq;
        if (ioctl(fd_.get(), SIOCOUTQ, &outq) == 0 && written_ - uint64_t(outq) > acked_)
            acked_ = written_ - uint64_t(outq);
#endif
    }

    // unconfirmed -- whether the peer surely still lacks bytes we wrote;
    // false where we cannot know.
    bool unconfirmed() {
        note_acked();
        return acked_ < written_;
    }

    // fail_back -- moves to a preferred server once it is back, where we
    // can tell when the current one has confirmed everything.  Elsewhere it
    // moves at once: close() still delivers what the old socket holds.
    void fail_back() {
        if (peers_.current() == 0 || (T2S_HAVE_SIOCOUTQ && unconfirmed()))
            return;
        int fd = peers_.fail_back();
        if (fd < 0)
            return;
        fd_.reset(fd);
        configure();
        notify_("back to " + peers_.peer());
    }

    // lost_connection -- the socket broke: rewind written_ to the start of
    // the oldest batch the peer may not have.  After an orderly close (FIN)
    // the peer read everything it acknowledged: resend from there.  After a
    // reset its kernel may have thrown away bytes it had acknowledged but
    // the receiver had not read yet (rsyslogd stopped or killed): resend
    // all the ring still holds.
    void lost_connection(int err) {
        notify_("connection to " + peers_.peer() + " lost: " + errno_text(err));
        fd_.reset();
        bool reset = err != 0;
        uint64_t oldest = end_ > ring_size_ ? end_ - ring_size_ : 0;
        uint64_t from = written_;
        for (uint64_t i = 0; i < kMarks && i < mark_count_; ++i) {
            uint64_t m = marks_[(mark_count_ - 1 - i) % kMarks];
            if (m < oldest)
                break;
            from = m;
            if (m <= acked_ && !reset)
                break;
        }
        if (from < written_)
            resent += 1;
        written_ = from;
    }

    void configure() {
        int size = kSndBuf / 2;  // the kernel doubles it
        setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        if (lag_)  // pump() must never block
            fcntl(fd_.get(), F_SETFL, fcntl(fd_.get(), F_GETFL) | O_NONBLOCK);
        acked_ = written_;  // a new connection: nothing in flight yet
        retry_delay_ = kBackoffFirstMs;
    }

    void connected(int fd) {
        fd_.reset(fd);
        configure();
        if (connected_once_) {
            ++reconnects;
            notify_("reconnected to " + peers_.peer());
        }
        connected_once_ = true;
    }

    bool connect_now(Backoff* backoff, std::string* failed) {
        for (;;) {
            int fd = peers_.connect(0, failed);
            if (fd >= 0) {
                connected(fd);
                return true;
            }
            notify_("cannot connect to " + *failed + ", retrying in " +
                    std::to_string(backoff->delay()) + " ms");
            if (!backoff->wait())
                return false;
        }
    }

    // taken -- how many messages of batch (whose first byte is at start)
    // have been written; drops the rest from the ring, as the caller will
    // offer them again.
    size_t taken(const Batch& batch, uint64_t start) {
        if (written_ >= end_)
            return batch.items().size();
        size_t n = 0;
        for (const Batch::Item& item : batch.items()) {
            if (start + item.end > written_)
                break;
            ++n;
        }
        uint64_t keep = n > 0 ? start + batch.items()[n - 1].end : start;
        end_ = keep > written_ ? keep : written_ > start ? written_ : start;
        return n;
    }

    Peers peers_;
    bool octet_;
    Notify notify_;
    bool lag_;
    int64_t next_try_ = 0;       // lag mode: when to try connecting again
    int64_t retry_delay_ = kBackoffFirstMs;
    uint64_t ring_size_;
    std::vector<char> ring_;
    uint64_t end_ = 0;      // stream position just past the last byte queued
    uint64_t written_ = 0;  // stream position written to the current socket
    uint64_t acked_ = 0;    // stream position the peer has confirmed
    uint64_t marks_[kMarks] = {};  // where recent batches began
    uint64_t mark_count_ = 0;
    Fd fd_;
    bool connected_once_ = false;
};

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

std::unique_ptr<Transport> open_peers(const std::vector<Address>& addrs, bool tcp,
                                      bool octet_count, size_t batch_max, size_t lag,
                                      Notify notify, std::string* err, int* exit_code) {
    Peers peers(addrs, tcp ? SOCK_STREAM : SOCK_DGRAM);
    if (tcp)
        return std::unique_ptr<Transport>(
            new StreamTransport(std::move(peers), octet_count, batch_max, lag, notify));
    std::string failed;
    int fd = peers.connect(0, &failed);
    if (fd < 0) {
        *err = failed;
        *exit_code = kExitOsErr;
        return nullptr;
    }
    return std::unique_ptr<Transport>(
        new DgramTransport(std::move(peers), false, Fd(fd), notify));
}

}  // namespace

std::unique_ptr<Transport> make_stdout_transport() {
    return std::unique_ptr<Transport>(new StdoutTransport);
}

std::unique_ptr<Transport> make_inet_transport(const Options& o, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code) {
    bool tcp = o.dest == Dest::tcp;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    std::vector<Address> addrs;
    for (size_t i = 0; i < o.servers.size(); ++i) {
        const Options::Server& server = o.servers[i];
        struct addrinfo* res;
        int rc = getaddrinfo(server.host.c_str(), server.port.c_str(), &hints, &res);
        if (rc != 0) {
            *err = server.host + ": " + gai_strerror(rc);
            *exit_code = rc == EAI_SYSTEM ? kExitOsErr : kExitNoHost;
            return nullptr;
        }
        for (struct addrinfo* ai = res; ai; ai = ai->ai_next) {
            Address a;
            memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
            a.len = ai->ai_addrlen;
            a.server = i;
            a.text = server.host + " port " + server.port;
            addrs.push_back(a);
        }
        freeaddrinfo(res);
    }
    if (!o.all_servers)
        return open_peers(addrs, tcp, o.octet_count, batch_max, 0, notify, err, exit_code);
    std::vector<std::unique_ptr<Transport>> each;
    for (size_t i = 0; i < o.servers.size(); ++i) {
        std::vector<Address> mine;
        for (Address a : addrs) {
            if (a.server == i) {
                a.server = 0;
                mine.push_back(a);
            }
        }
        each.push_back(open_peers(mine, tcp, o.octet_count, batch_max, kAllLag, notify,
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
            return std::unique_ptr<Transport>(
                new DgramTransport(Peers(addrs, t), true, Fd(fd), notify));
        close(fd);  // the stream transport connects on its first send
        return std::unique_ptr<Transport>(
            new StreamTransport(Peers(addrs, t), octet_count, batch_max, 0, notify));
    }
    *err = path + ": " + errno_text(saved);
    *exit_code = kExitUnavailable;
    return nullptr;
}

}  // namespace t2s
