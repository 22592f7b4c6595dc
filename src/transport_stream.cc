// transport_stream -- TCP and unix stream sockets.  Messages are queued in
// a ResendBook (resend.h), a ring that keeps the recent stream, and each
// batch is written whole before send() returns (with --all, a server may
// lag behind by a bounded amount, and pump() writes as its socket takes
// it).  When the connection breaks we reconnect with backoff (0.1 s
// doubling to 30 s), and the new connection starts on a message boundary,
// always -- with the message that was being written, or an earlier one:
//   - after an orderly close (EOF), the receiver has read what its kernel
//     acknowledged: start with the first message not acknowledged (Linux
//     SIOCOUTQ tells; elsewhere, the first of the connection);
//   - after a reset or another error, its kernel may have thrown away what
//     it had acknowledged but not handed over: start with the first message
//     of the connection, or the oldest the ring still holds.
// What this covers: what sat in our send buffer or in flight, and what the
// receiver's kernel held unread, as far as the ring reaches (the send buffer
// plus two batches, plus the lag with --all).  What it does not: a receiver
// killed while its kernel held more unread than that -- its receive buffer
// grows to megabytes during a catch-up -- loses the older part; and what a
// receiver took in and then lost itself (its own queue).  Messages may
// arrive twice after a break; a garbled one, never.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "resend.h"
#include "sockets.h"

#if T2S_HAVE_SIOCOUTQ
#include <linux/sockios.h>
#endif

namespace t2s {

namespace {

// What one flush() came to.
enum class Wrote {
    all,      // everything queued (or, moving, up to a message boundary)
    full,     // the socket is full and we may not wait
    stalled,  // nothing could be written for give_up_ms
    stopped,  // g_stop
    failed,   // an error, in errno
};

class StreamTransport : public Transport {
public:
    // lag: bytes this server may fall behind (--all); 0: send() blocks until
    // everything is written.
    StreamTransport(Peers peers, bool octet_count, size_t batch_max, size_t lag,
                    Notify notify)
        : peers_(std::move(peers)), octet_(octet_count), notify_(notify), lag_(lag > 0),
          book_(kSndBuf + 2 * batch_max + lag, (kSndBuf + 2 * batch_max + lag) / kBytesPerMark,
                T2S_HAVE_SIOCOUTQ) {}

    Framing framing() const override { return octet_ ? Framing::octet : Framing::lf; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        if (!lag_)
            return deliver(batch, err, exit_code);
        // Queue the batch; block only when this server lags so far that the
        // ring could not keep what it may still need.
        if (!book_.room(batch.size(), batch.items().size()) && !drain(err, exit_code))
            return 0;
        size_t queued = queue(batch, err, exit_code);
        pump();
        return queued;
    }

    void pump() override {
        if (fd_.valid() && peer_closed())
            lost_connection(errno);
        if (fd_.valid() && moving_ && book_.at_boundary())
            move_now();
        if (!book_.pending())
            return;
        if (!fd_.valid()) {
            if (now_ms() < next_try_)
                return;
            std::string failed;
            int fd = peers_.connect(0, &failed);
            if (fd < 0) {
                if (!went_down("cannot connect to " + failed + ", retrying"))
                    notify_("cannot connect to " + failed + ", retrying in " +
                            std::to_string(retry_delay_) + " ms");
                next_try_ = now_ms() + retry_delay_;
                retry_delay_ = retry_delay_ * 2 > kBackoffMaxMs ? kBackoffMaxMs : retry_delay_ * 2;
                return;
            }
            connected(fd);
        }
        fail_back();
        if (flush(false) == Wrote::failed)
            lost_connection(errno);
    }

    bool pending() const override { return book_.pending(); }

    // reopen -- SIGHUP: look the names up again; keep the connection unless
    // the address it goes to is no longer among them.
    void reopen() override {
        ++reloads;
        if (!peers_.reload(notify_) || !fd_.valid())
            return;
        notify_(peers_.peer() + ": address changed, moving at the end of this message");
        moving_ = true;
        if (book_.at_boundary())
            move_now();
    }

    bool connect_first(int64_t wait_ms, std::string* err, int* exit_code) override {
        if (fd_.valid())
            return true;
        Backoff backoff(wait_ms, lookout);
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
    // kSndBuf bytes of socket buffer hold no more than that of payload, so
    // what the kernel may still lose lies within the ring.  A mark per
    // kBytesPerMark bytes of ring: enough to tell apart the messages it
    // holds unless they are shorter than that on average.
    enum { kSndBuf = 256 * 1024, kBytesPerMark = 32 };

    // deliver -- writes the batch and everything queued before it, through
    // outages.  Returns how many of its messages were written.
    size_t deliver(const Batch& batch, std::string* err, int* exit_code) {
        if (fd_.valid() && peer_closed())
            lost_connection(errno);  // closed while we were idle
        // What pump() could not write goes first, if it leaves no room.
        if (!book_.room(batch.size(), batch.items().size()) && !drain(err, exit_code))
            return 0;
        uint64_t start = book_.end();
        size_t queued = queue(batch, err, exit_code);
        if (fd_.valid())
            fail_back();
        if (queued == batch.items().size() && drain(err, exit_code))
            return queued;
        return taken(batch, start);
    }

    // queue -- copies the batch's messages into the book, each tagged with
    // where its line ends in the source; writes out what is queued first
    // where the book is full of unwritten messages.  Returns how many.
    size_t queue(const Batch& batch, std::string* err, int* exit_code) {
        size_t n = batch.items().size();
        size_t done = book_.add(batch, 0);
        while (done < n) {
            if (!drain(err, exit_code))
                return done;
            size_t more = book_.add(batch, done);
            if (more == 0)  // longer than the ring: cannot be, by its size
                return done;
            done += more;
        }
        return n;
    }

    // drain -- writes everything queued, through outages; false when
    // stopped, or given up (then *err and *exit_code say why).
    bool drain(std::string* err, int* exit_code) {
        Backoff backoff(give_up_ms, lookout);
        while (book_.pending()) {
            std::string failed;
            if (!fd_.valid() && !connect_now(&backoff, &failed))
                return gave_up(failed, err, exit_code);
            if (moving_ && book_.at_boundary()) {
                move_now();
                continue;
            }
            switch (flush(true)) {
            case Wrote::all:
            case Wrote::full:
                continue;
            case Wrote::stopped:
                return false;
            case Wrote::stalled:
                return gave_up(peers_.peer() + ": no data taken for " +
                                   std::to_string(give_up_ms / 1000) + " s",
                               err, exit_code);
            case Wrote::failed:
                break;
            }
            if (g_stop)
                return false;
            lost_connection(errno);
            // A receiver that breaks every connection must not make us spin.
            if (!backoff.wait())
                return gave_up(peers_.peer() + ": connection lost", err, exit_code);
        }
        return true;
    }

    bool gave_up(const std::string& why, std::string* err, int* exit_code) {
        if (!g_stop) {
            *err = why;
            *exit_code = kExitTempFail;
        }
        return false;
    }

    // taken -- after a failed deliver: how many messages of batch (whose
    // first byte is at start) were written whole.  The rest is dropped from
    // the book, as the caller will offer them again; a message cut short
    // ends its connection, so that the next one starts with it whole.
    size_t taken(const Batch& batch, uint64_t start) {
        if (!book_.at_boundary()) {
            fd_.reset();
            book_.broken(Break::local);
        }
        uint64_t written = book_.written();
        size_t n = 0;
        for (const Batch::Item& item : batch.items()) {
            if (start + item.end > written)
                break;
            ++n;
        }
        uint64_t cut = n > 0 ? start + batch.items()[n - 1].end : start;
        book_.truncate(cut > book_.end() ? book_.end() : cut);
        return n;
    }

    // flush -- writes what is queued, from the book.  wait: block, a second
    // at a time to look at g_stop, until all is written or nothing could be
    // written for give_up_ms; else stop where the socket is full.  While
    // moving elsewhere, stops at the end of the message being written.
    Wrote flush(bool wait) {
        int64_t stall_at = give_up_ms >= 0 ? now_ms() + give_up_ms : -1;
        const char* p;
        size_t n;
        while (!(moving_ && book_.at_boundary()) && (n = book_.chunk(&p, moving_)) > 0) {
            note_acked();
            ssize_t w = write(fd_.get(), p, n);
            if (w > 0) {
                book_.wrote(size_t(w));
                if (stall_at >= 0)
                    stall_at = now_ms() + give_up_ms;
                continue;
            }
            if (w < 0 && errno == EINTR && !g_stop)
                continue;
            if (g_stop)
                return Wrote::stopped;
            if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                return Wrote::failed;
            if (!wait)
                return Wrote::full;
            int64_t nap = 1000;
            if (stall_at >= 0) {
                int64_t left = stall_at - now_ms();
                if (left <= 0)
                    return Wrote::stalled;
                nap = left < nap ? left : nap;
            }
            struct pollfd pfd = {fd_.get(), POLLOUT, 0};
            poll(&pfd, 1, int(nap));
        }
        note_acked();
        return Wrote::all;
    }

    // note_acked -- how far the peer has confirmed receipt, where we can know.
    void note_acked() {
#if T2S_HAVE_SIOCOUTQ
        int outq;
        if (ioctl(fd_.get(), SIOCOUTQ, &outq) == 0 && outq >= 0 &&
            uint64_t(outq) <= book_.written())
            book_.confirm(book_.written() - uint64_t(outq));
#endif
    }

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

    // fail_back -- moves to a preferred server once it is back, between two
    // messages, and where we can tell, once the current one has confirmed
    // everything.  Elsewhere it moves at once: close() still delivers what
    // the old socket holds.
    void fail_back() {
        if (peers_.current() == 0 || !book_.at_boundary())
            return;
        if (T2S_HAVE_SIOCOUTQ) {
            note_acked();
            if (book_.acked() < book_.written())
                return;
        }
        int fd = peers_.fail_back();
        if (fd < 0)
            return;
        book_.broken(Break::local);  // at a boundary: nothing to write again
        fd_.reset(fd);
        configure();
        notify_("back to " + peers_.peer());
    }

    // move_now -- leaves the current connection, at a message boundary, for
    // the first address that accepts (the destination changed).
    void move_now() {
        fd_.reset();
        book_.broken(Break::local);
        moving_ = false;
        next_try_ = 0;
        moved_ = true;
    }

    // lost_connection -- the socket broke: the book decides where the next
    // connection starts.
    void lost_connection(int err) {
        notify_("connection to " + peers_.peer() +
                (err ? " lost: " + errno_text(err) : std::string(" closed by the peer")));
        note_acked();  // the last word on this connection
        fd_.reset();
        if (book_.broken(err ? Break::reset : Break::closed) > 0)
            resent += 1;
        moving_ = false;  // the next connection goes to the new addresses anyway
        moved_ = false;
    }

    void configure() {
        int size = kSndBuf / 2;  // the kernel doubles it
        setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        if (lag_)  // pump() must never block
            fcntl(fd_.get(), F_SETFL, fcntl(fd_.get(), F_GETFL) | O_NONBLOCK);
        book_.connected();
        retry_delay_ = kBackoffFirstMs;
    }

    void connected(int fd) {
        fd_.reset(fd);
        configure();
        came_back(peers_.peer());
        if (moved_)
            notify_("connected to " + peers_.peer());
        else if (connected_once_) {
            ++reconnects;
            notify_("reconnected to " + peers_.peer());
        }
        connected_once_ = true;
        moved_ = false;
    }

    bool connect_now(Backoff* backoff, std::string* failed) {
        for (;;) {
            int fd = peers_.connect(0, failed);
            if (fd >= 0) {
                connected(fd);
                return true;
            }
            if (!went_down("cannot connect to " + *failed + ", retrying"))
                notify_("cannot connect to " + *failed + ", retrying in " +
                        std::to_string(backoff->delay()) + " ms");
            if (!backoff->wait())
                return false;
        }
    }

    Peers peers_;
    bool octet_;
    Notify notify_;
    bool lag_;
    int64_t next_try_ = 0;  // lag mode: when to try connecting again
    int64_t retry_delay_ = kBackoffFirstMs;
    ResendBook book_;
    Fd fd_;
    bool connected_once_ = false;
    bool moving_ = false;  // the destination changed: leave at the next boundary
    bool moved_ = false;   // the connection was left for that: not a reconnect
};

}  // namespace

std::unique_ptr<Transport> make_stream_transport(Peers peers, bool octet_count,
                                                 size_t batch_max, size_t lag,
                                                 Notify notify) {
    return std::unique_ptr<Transport>(
        new StreamTransport(std::move(peers), octet_count, batch_max, lag, notify));
}

}  // namespace t2s
