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
const int kSendTimeoutSec = 1;  // blocked sends wake up to look at g_stop

struct Address {
    struct sockaddr_storage ss;
    socklen_t len;
    std::string text;  // for messages
};

// Backoff -- 0.1 s doubling to 30 s between attempts.
class Backoff {
public:
    // wait -- sleeps the next delay; false if g_stop was raised.
    bool wait() {
        sleep_ms(delay_);
        delay_ = delay_ * 2 > kBackoffMaxMs ? kBackoffMaxMs : delay_ * 2;
        return !g_stop;
    }
    void reset() { delay_ = kBackoffFirstMs; }
    int64_t delay() const { return delay_; }

private:
    int64_t delay_ = kBackoffFirstMs;
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

// connect_any -- the first address that accepts; -1 with errno if none.
int connect_any(const std::vector<Address>& addrs, int type, std::string* failed) {
    int saved = 0;
    for (const Address& a : addrs) {
        int fd = open_socket(a, type);
        if (fd >= 0)
            return fd;
        saved = errno;
        *failed = a.text + ": " + errno_text(saved);
    }
    errno = saved;
    return -1;
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
    a->text = path;
    return true;
}

class DgramTransport : public Transport {
public:
    DgramTransport(std::vector<Address> addrs, bool is_unix, Fd fd, Notify notify)
        : addrs_(std::move(addrs)), unix_(is_unix), fd_(std::move(fd)), notify_(notify) {}

    Framing framing() const override { return Framing::none; }

    size_t send(const Batch& batch, std::string*, int*) override {
        size_t n = batch.items().size(), done = 0;
        Backoff backoff;
        while (done < n) {
            if (!fd_.valid() && !reconnect(&backoff))
                return done;
            ssize_t sent = send_some(batch, done);
            if (sent > 0) {
                done += size_t(sent);
                backoff.reset();
                continue;
            }
            int err = errno;
            if (err == EINTR || g_stop) {
                if (g_stop)
                    return done;
                continue;
            }
            if (!unix_ && err == ECONNREFUSED)
                continue;  // an earlier datagram's ICMP: this one is unsent
            if (err == EMSGSIZE) {
                notify_("message too long for a datagram, dropped");
                ++done;
                continue;
            }
            if (err == ENOBUFS || err == EAGAIN || err == EWOULDBLOCK) {
                if (!backoff.wait())
                    return done;
                continue;
            }
            notify_("send to " + addrs_[0].text + ": " + errno_text(err));
            fd_.reset();
            if (!backoff.wait())
                return done;
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
        int sent = sendmmsg(fd_.get(), msgs, unsigned(n), 0);
        return sent;
#else
        size_t len;
        const char* p = batch.message(first, &len);
        return ::send(fd_.get(), p, len, 0) < 0 ? -1 : 1;
#endif
    }

    bool reconnect(Backoff* backoff) {
        for (;;) {
            std::string failed;
            int fd = connect_any(addrs_, SOCK_DGRAM, &failed);
            if (fd >= 0) {
                fd_.reset(fd);
                ++reconnects;
                notify_("reconnected to " + addrs_[0].text);
                return true;
            }
            notify_("cannot connect to " + failed + ", retrying");
            if (!backoff->wait())
                return false;
        }
    }

    std::vector<Address> addrs_;
    bool unix_;
    Fd fd_;
    Notify notify_;
};

class StreamTransport : public Transport {
public:
    StreamTransport(std::vector<Address> addrs, bool octet_count, size_t batch_max,
                    Notify notify)
        : addrs_(std::move(addrs)), octet_(octet_count), notify_(notify),
          ring_size_(kSndBuf + 2 * batch_max), ring_(ring_size_) {}

    Framing framing() const override { return octet_ ? Framing::octet : Framing::lf; }

    size_t send(const Batch& batch, std::string*, int*) override {
        uint64_t start = end_;
        remember(batch.bytes(), batch.size());
        Backoff backoff;
        while (written_ < end_) {
            if (!fd_.valid() && !connect_now(&backoff))
                break;
            if (flush())
                continue;
            if (g_stop)
                break;
            lost_connection(errno);
        }
        return taken(batch, start);
    }

    void reopen() override { fd_.reset(); }

private:
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

    // flush -- writes the ring from written_ to end_; false on error.
    bool flush() {
        while (written_ < end_) {
            note_acked();
            size_t at = size_t(written_ % ring_size_);
            uint64_t left = end_ - written_;
            size_t chunk = size_t(left < ring_size_ - at ? left : ring_size_ - at);
            ssize_t n = write(fd_.get(), &ring_[at], chunk);
            if (n < 0) {
                if ((errno == EINTR || errno == EAGAIN) && !g_stop)
                    continue;
                return false;
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

    // lost_connection -- the socket broke: rewind written_ to the start of
    // the oldest batch the peer may not have seen whole.
    void lost_connection(int err) {
        notify_("connection to " + peer_ + " lost: " + errno_text(err));
        fd_.reset();
        uint64_t oldest = end_ > ring_size_ ? end_ - ring_size_ : 0;
        uint64_t from = written_;
        for (uint64_t i = 0; i < kMarks && i < mark_count_; ++i) {
            uint64_t m = marks_[(mark_count_ - 1 - i) % kMarks];
            if (m < oldest)
                break;
            from = m;
            if (m <= acked_)
                break;
        }
        if (from < written_)
            resent += 1;
        written_ = from;
    }

    bool connect_now(Backoff* backoff) {
        for (;;) {
            std::string failed;
            int fd = connect_any(addrs_, SOCK_STREAM, &failed);
            if (fd >= 0) {
                int size = kSndBuf / 2;  // the kernel doubles it
                setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
                fd_.reset(fd);
                peer_ = addrs_[0].text;
                if (connected_once_) {
                    ++reconnects;
                    notify_("reconnected to " + peer_);
                }
                connected_once_ = true;
                acked_ = written_;  // a new connection: nothing in flight yet
                return true;
            }
            notify_("cannot connect to " + failed + ", retrying in " +
                    std::to_string(backoff->delay()) + " ms");
            if (!backoff->wait())
                return false;
        }
    }

    // taken -- how many messages of batch (whose first byte is at start)
    // have been written.
    size_t taken(const Batch& batch, uint64_t start) const {
        if (written_ >= end_)
            return batch.items().size();
        size_t n = 0;
        for (const Batch::Item& item : batch.items()) {
            if (start + item.end > written_)
                break;
            ++n;
        }
        return n;
    }

    std::vector<Address> addrs_;
    bool octet_;
    Notify notify_;
    uint64_t ring_size_;
    std::vector<char> ring_;
    uint64_t end_ = 0;      // stream position just past the last byte queued
    uint64_t written_ = 0;  // stream position written to the current socket
    uint64_t acked_ = 0;    // stream position the peer has confirmed
    uint64_t marks_[kMarks] = {};  // where recent batches began
    uint64_t mark_count_ = 0;
    Fd fd_;
    std::string peer_;
    bool connected_once_ = false;
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
                *exit_code = 74;
                return 0;
            }
            p += n;
            left -= size_t(n);
        }
        return batch.items().size();
    }
};

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
    struct addrinfo* res;
    int rc = getaddrinfo(o.server.c_str(), o.port.c_str(), &hints, &res);
    if (rc != 0) {
        *err = o.server + ": " + gai_strerror(rc);
        *exit_code = rc == EAI_SYSTEM ? 71 : 68;
        return nullptr;
    }
    std::vector<Address> addrs;
    for (struct addrinfo* ai = res; ai; ai = ai->ai_next) {
        Address a;
        memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        a.text = o.server + " port " + o.port;
        addrs.push_back(a);
    }
    freeaddrinfo(res);
    if (tcp)
        return std::unique_ptr<Transport>(new StreamTransport(addrs, o.octet_count, batch_max, notify));
    std::string failed;
    int fd = connect_any(addrs, SOCK_DGRAM, &failed);
    if (fd < 0) {
        *err = failed;
        *exit_code = 71;
        return nullptr;
    }
    return std::unique_ptr<Transport>(new DgramTransport(addrs, false, Fd(fd), notify));
}

std::unique_ptr<Transport> make_unix_transport(const std::string& path, int type,
                                               bool octet_count, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code) {
    std::vector<Address> addrs(1);
    if (!unix_address(path, &addrs[0])) {
        *err = path + ": socket path too long";
        *exit_code = 64;
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
                new DgramTransport(addrs, true, Fd(fd), notify));
        close(fd);  // the stream transport connects on its first send
        return std::unique_ptr<Transport>(
            new StreamTransport(addrs, octet_count, batch_max, notify));
    }
    *err = path + ": " + errno_text(saved);
    *exit_code = 69;
    return nullptr;
}

}  // namespace t2s
