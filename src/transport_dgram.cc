// transport_dgram -- UDP and unix datagram sockets: one message per
// datagram, in batches with sendmmsg(2) where there is one, and one send(2)
// each where the kernel answers ENOSYS at run time (Linux before 3.0, a
// seccomp filter, an emulator without it).  UDP is fire and forget: an ICMP
// "port unreachable" reported on a send just costs a retry of that send
// (or, with several servers, a move to the next).  A unix datagram receiver
// that is restarting (ECONNREFUSED, ENOENT, ENOBUFS, EAGAIN) is waited for,
// with backoff, and nothing is dropped.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <errno.h>
#include <string.h>

#include "platform.h"
#include "sockets.h"

namespace t2s {

namespace {

class DgramTransport : public Transport {
public:
    DgramTransport(Peers peers, bool is_unix, Fd fd, Notify notify)
        : peers_(std::move(peers)), unix_(is_unix), fd_(std::move(fd)), notify_(notify) {}

    Framing framing() const override { return Framing::none; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        size_t n = batch.items().size(), done = 0;
        Backoff backoff(give_up_ms, lookout);
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

    // reopen -- SIGHUP: a new socket only where the address has changed.
    void reopen() override {
        ++reloads;
        if (peers_.reload(notify_)) {
            fd_.reset();
            moved_ = true;
        }
    }

    bool connect_first(int64_t wait_ms, std::string* err, int* exit_code) override {
        if (fd_.valid())
            return true;
        Backoff backoff(wait_ms);
        return reconnect(&backoff, err, exit_code);
    }

private:
    // send_some -- sends messages from first on; how many went, or -1.
    ssize_t send_some(const Batch& batch, size_t first) {
#if T2S_HAVE_SENDMMSG
        if (mmsg_) {
            ssize_t sent = send_many(batch, first);
            if (sent >= 0 || errno != ENOSYS)
                return sent;
            mmsg_ = false;
            notify_("sendmmsg: " + errno_text(ENOSYS) + ", one datagram per call");
        }
#endif
        size_t len;
        const char* p = batch.message(first, &len);
        return ::send(fd_.get(), p, len, 0) < 0 ? -1 : 1;
    }

#if T2S_HAVE_SENDMMSG
    // send_many -- sendmmsg(2) of up to 256 messages from first on; how
    // many went, or -1 with errno set.
    ssize_t send_many(const Batch& batch, size_t first) {
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
    }
#endif

    bool reconnect(Backoff* backoff, std::string* err, int* exit_code) {
        for (;;) {
            std::string failed;
            int fd = peers_.connect(next_, &failed);
            if (fd >= 0) {
                fd_.reset(fd);
                if (!moved_)
                    ++reconnects;
                moved_ = false;
                notify_("connected to " + peers_.peer());
                came_back(peers_.peer());
                next_ = 0;
                return true;
            }
            if (!went_down("cannot connect to " + failed + ", retrying"))
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
#if T2S_HAVE_SENDMMSG
    bool mmsg_ = true;  // sendmmsg(2) works here (no ENOSYS yet)
#endif
    bool moved_ = false;  // the socket was dropped by a HUP: not a reconnect
};

}  // namespace

std::unique_ptr<Transport> make_dgram_transport(Peers peers, bool is_unix, Fd fd,
                                                Notify notify) {
    return std::unique_ptr<Transport>(
        new DgramTransport(std::move(peers), is_unix, std::move(fd), notify));
}

}  // namespace t2s
