// transport_stream -- TCP and unix stream sockets.  Messages are queued in
// a ResendBook (resend.h), a ring that keeps the recent stream, and each
// batch is written whole before send() returns (with --all, a server may
// lag behind by a bounded amount, and pump() writes as its socket takes
// it).  Stretches (resend.h) remember where in which file each stretch of
// the stream began.  When the connection breaks we reconnect with backoff
// (0.1 s doubling to 30 s), and the new connection starts on a message
// boundary, always.  What the old one may have lost is read again from the
// files -- the file is the buffer:
//   - after an orderly close (EOF), the receiver has read what its kernel
//     acknowledged: from the first message not acknowledged (Linux
//     SIOCOUTQ tells; elsewhere, as after a reset), less the slack below
//     for what it may have read and not yet written -- a receiver killed
//     with nothing unread closes in order too (a memory-queue rsyslogd
//     killed at 100 lines/s lost a line without it) -- but for what was
//     sent again after the last break and confirmed (resend_from);
//   - after a reset or another error, its kernel may have thrown away what
//     it had acknowledged but not handed over, as much as its receive
//     buffer holds (megabytes, with autotuning): from kPeerWindow bytes
//     before what it acknowledged (or before what we wrote), never before
//     the connection's first message.  Where TCP_INFO tells the window
//     the receiver advertises, twice how far that window has shrunk from
//     its widest on this connection, and kWindowSlack, are taken instead,
//     when less (a receiver that keeps up then costs a megabyte at most,
//     not eight).  The window shrinks only once what lies unread passes
//     the free room beyond it, so a little unread shows nothing: a
//     receiver that sat 500 ms on a line, then reset, lost it with a
//     slack of what it took lately (t_hard_peers, case 2).  The slack
//     covers that, and what the receiver read but had not written, which
//     no window shows either:
//     rsyslog's imtcp reads 128 KB at a time, and a Direct-queue rsyslogd
//     killed while catching up was seen to lose 300 KB it had read with
//     its window wide open (64 KB of slack lost lines in 3 of 4 runs of
//     t_tcp_kill, 256 KB in 2 of 7 runs of the 2M-line catch-up; 1 MB in
//     none of 5).  After a close in order nothing was unread: the slack
//     there is what the receiver took in the kTakenMs before it was last
//     seen connected (Intake), at most kWindowSlack; one that keeps up
//     holds what it took last, and a restart then costs the lines of its
//     last 100 ms, not a megabyte of them.
//   - either way, from the message where that lands, as the ring's marks
//     tell where in its file it began (reread_from in resend.h).
// Where a stretch cannot be read again (standard input), or with --all
// (a rewound file would reach every server), the ring alone resends, by
// the same rules, as far as it reaches.  The position saved in the state
// file is never past the oldest message not known to be delivered: the
// same rule, so that a
// restart resends rather than loses; at exit, a receiver that closes its
// side after our FIN has read everything, and nothing is at risk then.
// Messages may arrive twice after a break; a garbled one, never.
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
#if T2S_HAVE_TCP_SND_WND
#include <netinet/in.h>
#include <linux/tcp.h>
#include <cstddef>
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
                T2S_HAVE_SIOCOUTQ),
          stretches_(kStretches, kGranule) {}

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
                retry_delay_ = doubled_delay(retry_delay_);
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

    bool take_rewinds(std::vector<Origin>* out) override {
        if (rewinds_.empty())
            return false;
        for (const Origin& o : rewinds_)
            merge_origin(out, o);
        rewinds_.clear();
        return true;
    }

    void unconfirmed(std::vector<Origin>* out, bool stopping) const override {
        for (const Origin& o : rewinds_)
            merge_origin(out, o);
        // Running, a send() has written all it took (but with --all, or in
        // an outage): positions are exact, and a state saved while lines
        // stream costs no more doubles after a crash than the lines since.
        uint64_t from = stopping ? book_.risk_from(peer_window()) : book_.written();
        if (from >= book_.end())
            return;  // nothing at risk: the last stretch is not either
        std::vector<Origin> held;
        reread_from(book_, stretches_, from, &held);
        for (const Origin& o : held)
            if (o.source != 0)
                merge_origin(out, o);
    }

    void close_out(int64_t wait_ms) override {
        if (!fd_.valid() || book_.pending() || shutdown(fd_.get(), SHUT_WR) < 0)
            return;
        // A syslog receiver never sends: what comes is its EOF, after it
        // read all we wrote, or an error.
        for (int64_t until = now_ms() + wait_ms;;) {
            int64_t left = until - now_ms();
            if (left <= 0)
                return;  // not confirmed: what is at risk stays so
            struct pollfd pfd = {fd_.get(), POLLIN, 0};
            if (poll(&pfd, 1, int(left)) <= 0)
                continue;
            char junk[512];
            ssize_t n = recv(fd_.get(), junk, sizeof junk, 0);
            if (n == 0)
                break;
            if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
                return;
        }
        fd_.reset();
        book_.forget();
        stretches_.clear();
        connected_once_ = false;  // a message sent after this connects anew
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
    // What a receiver's kernel may hold unread and lose in a reset: Linux
    // lets a receive buffer grow to tcp_rmem's 6 MB by default; with our
    // own send buffer on top.  Stretches of kGranule bytes (or a change of
    // file) tell where to read again; kStretches of them cover the window
    // unless batches are small (then the receiver is not behind either).
    static constexpr uint64_t kPeerWindow = 8 * 1024 * 1024 + kSndBuf;
    enum { kGranule = 64 * 1024, kStretches = 8192 };
    enum { kWindowSlack = 1024 * 1024, kTakenMs = 100 };
    enum { kSteadyMs = 1000 };  // a connection that lived less failed (hold_off)

    // deliver -- writes the batch and everything queued before it, through
    // outages.  Returns how many of its messages were written.
    size_t deliver(const Batch& batch, std::string* err, int* exit_code) {
        size_t n = batch.items().size();
        rewound_ = false;
        if (fd_.valid() && peer_closed())
            lost_connection(errno);  // closed while we were idle
        // What pump() could not write goes first, if it leaves no room.
        bool drained = rewound_ || book_.room(batch.size(), n) || drain(err, exit_code);
        if (left_to_reread(batch, 0))
            return n;
        if (!drained)
            return 0;
        uint64_t start = book_.end();
        size_t queued = queue(batch, err, exit_code);
        if (fd_.valid())
            fail_back();
        if (queued == n && drain(err, exit_code))
            return n;
        if (queued == n && rewound_ && batch.origin(0).source != 0)
            return n;  // broke in the last drain: the files are read again
        return taken(batch, start);
    }

    // queue -- copies the batch's messages into the book, noting where
    // each came from; writes out what is queued first where the book is
    // full of unwritten messages.  Returns how many -- all of them once the
    // connection broke meanwhile and the files are to be read again.
    size_t queue(const Batch& batch, std::string* err, int* exit_code) {
        size_t n = batch.items().size();
        size_t done = add(batch, 0);
        while (done < n) {
            bool drained = drain(err, exit_code);
            if (left_to_reread(batch, done))
                return n;
            if (!drained)
                return done;
            size_t more = add(batch, done);
            if (more == 0)  // longer than the ring: cannot be, by its size
                return done;
            done += more;
        }
        return n;
    }

    // left_to_reread -- after the connection broke and the files were
    // rewound (rewound_), whether the batch's messages from first on are
    // left to be read again with the rest of their file: queued now, they
    // would go ahead of the lines before them.  Not from standard input,
    // which cannot be read again: those are queued as ever.
    bool left_to_reread(const Batch& batch, size_t first) {
        if (!rewound_ || batch.origin(first).source == 0)
            return false;
        merge_origin(&rewinds_, batch.origin(first));
        return true;
    }

    // add -- queues messages first.. of batch in the book, as many as fit,
    // and notes where each came from.  Returns how many.
    size_t add(const Batch& batch, size_t first) {
        const std::vector<Batch::Item>& items = batch.items();
        uint64_t at = book_.end();  // where message first starts
        size_t k = book_.add(batch, first);
        size_t from = first > 0 ? items[first - 1].end : 0;
        for (size_t i = first; i < first + k; ++i)
            stretches_.note(at + (i > 0 ? items[i - 1].end : 0) - from, batch.origin(i));
        return k;
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
        // Kept for the widest window: the receiver may fall behind later.
        stretches_.forget_before(book_.risk_from(kPeerWindow));
        return Wrote::all;
    }

    // note_acked -- how far the peer has confirmed receipt, where we can know.
    void note_acked() {
#if T2S_HAVE_SIOCOUTQ
        int outq;
        if (ioctl(fd_.get(), SIOCOUTQ, &outq) == 0 && outq >= 0 &&
            uint64_t(outq) <= book_.written()) {
            book_.confirm(book_.written() - uint64_t(outq));
            intake_.note(now_ms(), book_.acked());
        }
#endif
#if T2S_HAVE_TCP_SND_WND
        // How much the receiver may hold unread: how far its advertised
        // window shrank from the widest seen (see the top of this file).
        struct tcp_info ti;
        socklen_t len = sizeof ti;
        if (getsockopt(fd_.get(), IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
            len >= offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof ti.tcpi_snd_wnd &&
            ti.tcpi_snd_wnd > 0) {
            if (ti.tcpi_snd_wnd > widest_wnd_)
                widest_wnd_ = ti.tcpi_snd_wnd;
            uint64_t unread = 2 * uint64_t(widest_wnd_ - ti.tcpi_snd_wnd);
            unread_ = unread < kPeerWindow ? unread : kPeerWindow;
        }
#endif
    }

    // peer_window -- how much of what the receiver confirmed it may have
    // lost in a reset: what its kernel may hold unread, and what it may
    // have read and not yet written (see the top of this file).
    uint64_t peer_window() const {
        uint64_t w = unread_ + kWindowSlack;
        return w < kPeerWindow ? w : kPeerWindow;
    }

    // unwritten -- how much of what the receiver confirmed it may have read
    // and not yet written, were it gone now with nothing unread (closed in
    // order): what it took in the kTakenMs before it was last seen alive,
    // and since, at most kWindowSlack (see the top of this file).  A receiver killed is seen gone at once, its
    // kernel closing or resetting the connection; one that closes an idle
    // connection costs nothing.
    uint64_t unwritten() const {
        uint64_t taken = intake_.since(alive_ms_ - kTakenMs);
        return taken < kWindowSlack ? taken : uint64_t(kWindowSlack);
    }

    // peer_closed -- whether the receiver has closed the connection.  A
    // syslog receiver never sends, so a readable socket means EOF (errno 0)
    // or an error (errno set); stray bytes are read and ignored.
    bool peer_closed() {
        struct pollfd pfd = {fd_.get(), POLLIN, 0};
        if (poll(&pfd, 1, 0) <= 0) {
            alive_ms_ = now_ms();
            return false;
        }
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
        // Closed in order with all confirmed: the receiver read it all.
        bool took_all = !err && T2S_HAVE_SIOCOUTQ && book_.acked() == book_.written();
        fd_.reset();
        uint64_t from = resend_from(err ? Break::reset : Break::closed);
        if (!rewind_files(from) && resend_from_ring(from) > 0)
            resent += 1;
        moving_ = false;  // the next connection goes to the new addresses anyway
        moved_ = false;
        hold_off(took_all);
    }

    // hold_off -- after a break: a connection that lived less than
    // kSteadyMs and did not end with the receiver reading all it was sent
    // (took_all) counts as an attempt that failed, and the next one waits
    // as after a refusal; any other is made again at once.  A receiver
    // that accepts and then breaks every connection is neither hammered
    // nor sent the same lines a thousand times a second.
    void hold_off(bool took_all) {
        int64_t now = now_ms();
        if (took_all || now - connected_ms_ >= kSteadyMs) {
            retry_delay_ = kBackoffFirstMs;
            next_try_ = 0;
            return;
        }
        next_try_ = now + retry_delay_;
        retry_delay_ = doubled_delay(retry_delay_);
    }

    // resend_from -- the stream position the files are read again from
    // after a break (why): before what the receiver confirmed, what its
    // kernel may hold unread and what it may have read and not yet
    // written.  After a close in order, where acknowledgments are known,
    // nothing was unread, and what was sent again after the last break
    // and confirmed counts as written: a receiver killed with nothing
    // unread closes in order too, but so does one that closes after each
    // line, which would otherwise get the same line forever.
    uint64_t resend_from(Break why) const {
        if (why != Break::closed || !T2S_HAVE_SIOCOUTQ)
            return book_.risk_from(peer_window());
        uint64_t from = book_.risk_from(unwritten());
        uint64_t replayed = replay_end_ < book_.acked() ? replay_end_ : book_.acked();
        return from > replayed ? from : replayed;
    }

    // rewind_files -- after a break: has the followers read again what the
    // peer may have lost, from stream position from on (resend_from), and
    // forgets what the book holds.  False, and nothing changed, where that
    // cannot be done: the book then resends from the ring.
    bool rewind_files(uint64_t from) {
        if (lag_)
            return false;
        std::vector<Origin> again;
        if (from < book_.end() && !reread_from(book_, stretches_, from, &again))
            return false;  // a stretch from standard input
        if (from < book_.written())
            resent += 1;
        for (const Origin& o : again)
            merge_origin(&rewinds_, o);
        uint64_t replay = book_.written() > from ? book_.written() - from : 0;
        book_.forget();
        replay_end_ = book_.end() + replay;
        stretches_.clear();
        rewound_ = true;
        return true;
    }

    // resend_from_ring -- after a break, where the files cannot be read
    // again (rewind_files): the book writes again what it still holds from
    // stream position from on (resend_from).  Returns how many bytes.
    uint64_t resend_from_ring(uint64_t from) {
        uint64_t again_to = book_.written();
        uint64_t again = book_.broken_from(from);
        replay_end_ = again_to;
        return again;
    }

    void configure() {
        int size = kSndBuf / 2;  // the kernel doubles it
        setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        if (lag_)  // pump() must never block
            fcntl(fd_.get(), F_SETFL, fcntl(fd_.get(), F_GETFL) | O_NONBLOCK);
        book_.connected();
        connected_ms_ = now_ms();
        widest_wnd_ = 0;
        unread_ = kPeerWindow;  // until the receiver's window is known
        alive_ms_ = now_ms();
        intake_.start(alive_ms_, book_.acked());
    }

    void connected(int fd) {
        fd_.reset(fd);
        configure();
        bool said = came_back(peers_.peer());
        if (moved_)
            notify_("connected to " + peers_.peer());
        else if (connected_once_) {
            ++reconnects;
            if (!said)
                notify_("reconnected to " + peers_.peer());
        }
        connected_once_ = true;
        moved_ = false;
    }

    bool connect_now(Backoff* backoff, std::string* failed) {
        int64_t held = next_try_ - now_ms();
        if (held > 0 && !nap(held, lookout))
            return false;
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
    int64_t next_try_ = 0;  // when to try connecting again (hold_off, lag mode)
    int64_t retry_delay_ = kBackoffFirstMs;
    int64_t connected_ms_ = 0;  // when this connection was made
    ResendBook book_;
    Stretches stretches_;
    std::vector<Origin> rewinds_;  // for the followers, at their next poll
    bool rewound_ = false;         // rewinds were asked during this send()
    uint64_t unread_ = kPeerWindow;  // what the receiver's kernel may hold unread
    uint64_t replay_end_ = 0;      // the lines sent again after a break end here
    uint32_t widest_wnd_ = 0;      // its widest advertised window, this connection
    Intake intake_;                // what it took lately
    int64_t alive_ms_ = 0;         // when it was last seen not gone
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
