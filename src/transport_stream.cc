// transport_stream -- TCP and unix stream sockets.  Whole batches are
// written; every byte written also goes to a ring that holds at least what
// the kernel may still hold unsent or unacknowledged (the send buffer is
// sized to fit in it).  When the connection breaks, we reconnect with
// backoff (0.1 s doubling to 30 s) and write again from the start of the
// oldest batch the peer may not have: on Linux SIOCOUTQ tells how far the
// peer has acknowledged; elsewhere, and after a reset, the whole ring is
// sent again.  Duplicates are possible then; loss is not.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "platform.h"
#include "sockets.h"

#if T2S_HAVE_SIOCOUTQ
#include <linux/sockios.h>
#endif

namespace t2s {

namespace {

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

    bool connect_first(int64_t wait_ms, std::string* err, int* exit_code) override {
        if (fd_.valid())
            return true;
        Backoff backoff(wait_ms);
        std::string failed;
        if (connect_now(&backoff, &failed))
            return true;
        if (!g_stop) {
            *err = "cannot connect to " + failed;
            *exit_code = kExitTempFail;
        }
        return false;
    }

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
            // A receiver that breaks every connection must not make us spin.
            if (!backoff.wait()) {
                if (!g_stop) {
                    *err = peers_.peer() + ": connection lost";
                    *exit_code = kExitTempFail;
                }
                break;
            }
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
        notify_("connection to " + peers_.peer() +
                (err ? " lost: " + errno_text(err) : std::string(" closed by the peer")));
        note_acked();  // the last word on this connection
        fd_.reset();
        bool whole_ring = err != 0;
        uint64_t oldest = end_ > ring_size_ ? end_ - ring_size_ : 0;
        uint64_t from = written_;
        if (whole_ring || acked_ < written_) {
            for (uint64_t i = 0; i < kMarks && i < mark_count_; ++i) {
                uint64_t m = marks_[(mark_count_ - 1 - i) % kMarks];
                if (m < oldest)
                    break;
                from = m;
                if (m <= acked_ && !whole_ring)
                    break;
            }
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

}  // namespace

std::unique_ptr<Transport> make_stream_transport(Peers peers, bool octet_count,
                                                 size_t batch_max, size_t lag,
                                                 Notify notify) {
    return std::unique_ptr<Transport>(
        new StreamTransport(std::move(peers), octet_count, batch_max, lag, notify));
}

}  // namespace t2s
