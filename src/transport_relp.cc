// transport_relp -- RELP (--relp) to rsyslog's imrelp and other librelp
// servers: the socket side of relp.h.  A message counts as taken only once
// the server has answered its frame with 200, so send() returns after the
// server confirmed the whole batch (up to kRelpWindow frames in flight at
// once), and the file offset never passes a line the server has not
// confirmed.
//
// | what happens                      | what we do                            |
// |-----------------------------------|---------------------------------------|
// | no session                        | connect (failover, backoff), "open",  |
// |                                   | wait for 200 with commands=syslog     |
// | "open" refused, syslog not offered| fatal (76): retrying cannot help      |
// | rsp 200 to a syslog frame         | that message is taken                 |
// | rsp other than 200                | fatal (76), named; the line is kept   |
// | EOF, reset, serverclose, silence  | new session; the frames not answered  |
// |                                   | go again with new numbers (doubles:   |
// |                                   | at most one window)                   |
// | a frame we cannot parse, an rsp   | fatal (76): not a RELP server         |
// | to no frame of ours               |                                       |
// | TERM while frames are in flight   | wait a little for their answers       |
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <vector>

#include "platform.h"
#include "relp.h"
#include "sockets.h"

namespace t2s {

namespace {

const int64_t kOpenWaitMs = 10000;     // for the answer to "open"
const int64_t kSilenceMs = 30000;      // frames in flight, no answer: dead
const int64_t kStopWaitMs = 2000;      // TERM: for the answers in flight
const int64_t kCloseWaitMs = 1000;     // at exit: for the answer to "close"
const size_t kWriteChunk = 64 * 1024;  // frames gathered per write

class RelpTransport : public Transport {
public:
    RelpTransport(Peers peers, Notify notify) : peers_(std::move(peers)), notify_(notify) {
        out_.reserve(kWriteChunk * 2);
    }

    ~RelpTransport() override { close_session(); }

    // Bare messages: each frame says its own length.
    Framing framing() const override { return Framing::none; }

    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        flight_.start(batch.items().size());
        Backoff backoff(give_up_ms, lookout);
        if (fd_.valid()) {
            if (idle_check() == fatal)
                return give_up(err, exit_code, kExitProtocol, 0);
            fail_back();
        }
        int64_t stop_until = -1;
        while (!flight_.finished()) {
            if (g_stop) {
                // Frames in flight may be answered soon: fewer doubles on
                // the next start.  Nothing new goes out.
                if (!fd_.valid() || flight_.in_flight() == 0)
                    break;
                if (stop_until < 0)
                    stop_until = now_ms() + kStopWaitMs;
                if (now_ms() >= stop_until)
                    break;
                if (await(50) != ok)
                    break;
                continue;
            }
            if (!fd_.valid()) {
                Status s = connect_now(&backoff);
                if (s == fatal)
                    return give_up(err, exit_code, kExitProtocol, flight_.done());
                if (s != ok) {
                    if (!g_stop)
                        return give_up(err, exit_code, kExitTempFail, flight_.done());
                    break;
                }
            }
            size_t done = flight_.done();
            Status s = write_frames(batch);
            if (s == ok)
                s = await(1000);
            if (flight_.done() > done)
                backoff.reset();  // the server works: a later outage has its own budget
            if (s == ok)
                continue;
            if (s == fatal)
                return give_up(err, exit_code, kExitProtocol, flight_.done());
            if (g_stop)
                break;
            lost();
            // A receiver that breaks every session must not make us spin.
            if (!backoff.wait()) {
                if (!g_stop)
                    return give_up(err, exit_code, kExitTempFail, flight_.done());
                break;
            }
        }
        if (flight_.finished())
            return batch.items().size();
        if (fd_.valid() && flight_.in_flight() > 0)
            drop();  // its frames would be answered with nobody to count them
        return flight_.done();
    }

    // pump -- between batches: notice a serverclose or a broken session.
    void pump() override {
        if (fd_.valid())
            idle_check();
    }

private:
    enum Status { ok, broken, fatal };

    // give_up -- ends send() with taken messages, saying why.
    size_t give_up(std::string* err, int* exit_code, int code, size_t taken) {
        *err = why_;
        *exit_code = code;
        if (fd_.valid() && flight_.in_flight() > 0)
            drop();
        return taken;
    }

    Status protocol_error(const std::string& what) {
        why_ = peers_.peer() + ": " + what;
        return fatal;
    }

    // write_frames -- sends the messages the window lets go now.
    Status write_frames(const Batch& batch) {
        size_t msg;
        while (flight_.next(&msg)) {
            out_.clear();
            while (out_.size() < kWriteChunk && flight_.next(&msg)) {
                size_t len;
                const char* p = batch.message(msg, &len);
                relp_frame(txnr_, "syslog", p, len, &out_);
                flight_.sent(msg, txnr_);
                txnr_ = relp_next_txnr(txnr_);
            }
            if (!write_all(out_.data(), out_.size()))
                return broken;
        }
        return ok;
    }

    // write_all -- every byte, reading answers while the socket is full so
    // that neither side waits for the other.
    bool write_all(const char* p, size_t n) {
        while (n > 0) {
            ssize_t k = write(fd_.get(), p, n);
            if (k < 0) {
                if (errno == EINTR && !g_stop)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    why_ = peers_.peer() + ": " + errno_text(errno);
                    return false;
                }
                if (g_stop)
                    return false;
                continue;  // SO_SNDTIMEO: a second passed; look at g_stop
            }
            p += k;
            n -= size_t(k);
        }
        return true;
    }

    // await -- waits up to ms for the server's frames and handles those
    // that came.  broken: the session ended or stayed silent too long.
    Status await(int ms) {
        quick_ack();
        struct pollfd pfd = {fd_.get(), POLLIN, 0};
        int r = poll(&pfd, 1, ms);
        if (r < 0 && errno != EINTR) {
            why_ = peers_.peer() + ": " + errno_text(errno);
            return broken;
        }
        if (r <= 0) {
            if (flight_.in_flight() > 0 && now_ms() - heard_ms_ > kSilenceMs) {
                why_ = peers_.peer() + ": no answer for " +
                       std::to_string(kSilenceMs / 1000) + " s";
                return broken;
            }
            return ok;
        }
        return read_frames();
    }

    // quick_ack -- while we wait for answers and send nothing, our ACKs
    // must not wait for data to ride on: a server that writes its small
    // answers with Nagle's algorithm (librelp does) holds the last ones
    // back until the previous is acknowledged, 40 ms of delayed ACK at the
    // end of every batch.  The kernel forgets the setting: set it each time.
    void quick_ack() {
#if T2S_HAVE_QUICKACK
        int one = 1;
        setsockopt(fd_.get(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#endif
    }

    // read_frames -- reads what the socket holds and handles each frame.
    Status read_frames() {
        ssize_t n = recv(fd_.get(), in_, sizeof in_, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            return ok;
        if (n <= 0) {
            why_ = peers_.peer() + (n == 0 ? std::string(": closed by the peer")
                                           : ": " + errno_text(errno));
            return broken;
        }
        heard_ms_ = now_ms();
        size_t at = 0;
        while (at < size_t(n)) {
            size_t used;
            std::string err;
            RelpParser::Result r = parser_.feed(in_ + at, size_t(n) - at, &used, &frame_, &err);
            at += used;
            if (r == RelpParser::error)
                return protocol_error("not a RELP server: " + err);
            if (r == RelpParser::frame) {
                Status s = handle(frame_);
                if (s != ok)
                    return s;
            }
        }
        return ok;
    }

    // handle -- one frame of the server's within a session.
    Status handle(const RelpFrame& f) {
        if (f.command == "serverclose") {
            why_ = peers_.peer() + ": closed by the server";
            return broken;
        }
        if (f.command != "rsp")
            return protocol_error("unexpected command from the server: " + f.command);
        if (close_txnr_ != 0 && f.txnr == close_txnr_) {
            closed_ = true;  // its DATA may be empty
            return ok;
        }
        int code;
        std::string text;
        if (!relp_rsp_code(f.data, &code, &text))
            return protocol_error("not a RELP answer: " + f.data.substr(0, 64));
        // A refused message is not taken: the file offset stays before it.
        if (code != 200)
            return protocol_error("message refused: " + std::to_string(code) + " " + text);
        size_t msg;
        if (!flight_.acked(f.txnr, &msg))
            return protocol_error("answer to no frame of ours (" +
                                  std::to_string(f.txnr) + ")");
        return ok;
    }

    // idle_check -- between batches nothing is in flight: whatever the
    // server says now (serverclose), or EOF, ends the session.
    Status idle_check() {
        Status s = ok;
        struct pollfd pfd = {fd_.get(), POLLIN, 0};
        if (poll(&pfd, 1, 0) > 0)
            s = read_frames();
        if (s == broken) {
            notify_("session with " + why_);
            drop();
        }
        return s;
    }

    // open_session -- "open" on a new connection, and the server's 200.
    Status open_session() {
        parser_.reset();
        txnr_ = 1;
        close_txnr_ = 0;
        closed_ = false;
        std::string offers = relp_open_offers(T2S_VERSION);
        out_.clear();
        relp_frame(txnr_, "open", offers.data(), offers.size(), &out_);
        txnr_ = relp_next_txnr(txnr_);
        if (!write_all(out_.data(), out_.size()))
            return broken;
        int64_t until = now_ms() + kOpenWaitMs;
        for (;;) {
            struct pollfd pfd = {fd_.get(), POLLIN, 0};
            int64_t left = until - now_ms();
            if (g_stop)
                return broken;
            // A RELP server answers at once; a plain syslog port takes the
            // offer for a message and says nothing.  Retrying would write
            // an offer into its log at every attempt.
            if (left <= 0)
                return protocol_error("not a RELP server: no answer to open in " +
                                      std::to_string(kOpenWaitMs / 1000) + " s");
            int r = poll(&pfd, 1, int(left < 1000 ? left : 1000));
            if (r <= 0)
                continue;
            ssize_t n = recv(fd_.get(), in_, sizeof in_, 0);
            if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (n <= 0) {
                why_ = peers_.peer() + (n == 0 ? std::string(": closed by the peer")
                                               : ": " + errno_text(errno));
                return broken;
            }
            size_t used;
            std::string err;
            RelpParser::Result res = parser_.feed(in_, size_t(n), &used, &frame_, &err);
            if (res == RelpParser::error)
                return protocol_error("not a RELP server: " + err);
            if (res == RelpParser::more)
                continue;
            if (used < size_t(n) || frame_.command != "rsp" || frame_.txnr != 1)
                return protocol_error("not a RELP server: unexpected answer to open");
            int code;
            std::string text;
            if (!relp_rsp_code(frame_.data, &code, &text))
                return protocol_error("not a RELP answer: " + frame_.data.substr(0, 64));
            if (code != 200)
                return protocol_error("session refused: " + std::to_string(code) + " " + text);
            if (!relp_offers_command(frame_.data, "syslog"))
                return protocol_error("session refused: the server does not offer syslog");
            heard_ms_ = now_ms();
            return ok;
        }
    }

    // start -- a session on fd, just connected; a fail-back is no reconnection.
    Status start(int fd, bool fail_back = false) {
        fd_.reset(fd);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        Status s = open_session();
        if (s != ok) {
            fd_.reset();
            return s;
        }
        bool said = came_back(peers_.peer());
        if (connected_once_ && !fail_back) {
            ++reconnects;
            if (!said)
                notify_("reconnected to " + peers_.peer());
        }
        connected_once_ = true;
        return ok;
    }

    // connect_now -- a session with the first server that takes one.
    Status connect_now(Backoff* backoff) {
        for (;;) {
            std::string failed;
            int fd = peers_.connect(0, &failed);
            if (fd >= 0) {
                Status s = start(fd);
                if (s != broken)
                    return s;
                failed = why_;
            }
            why_ = failed;
            if (!went_down("cannot open a session with " + failed + ", retrying"))
                notify_("cannot open a session with " + failed + ", retrying in " +
                        std::to_string(backoff->delay()) + " ms");
            if (!backoff->wait())
                return broken;
        }
    }

    // fail_back -- between batches, back to a preferred server once it is
    // there again.  Nothing is in flight, so nothing is lost by leaving.
    void fail_back() {
        if (peers_.current() == 0)
            return;
        int fd = peers_.fail_back();
        if (fd < 0)
            return;
        close_session();
        if (start(fd, true) == ok)
            notify_("back to " + peers_.peer());
    }

    // lost -- the session broke: every frame in flight goes again.
    void lost() {
        notify_("session with " + why_);
        if (flight_.lost() > 0)
            ++resent;  // a break after which frames go again, as for TCP
        fd_.reset();
    }

    void drop() {
        flight_.lost();
        fd_.reset();
    }

    // close_session -- "close", and a moment for the server's answer, so
    // that it ends the session without complaint.
    void close_session() {
        if (!fd_.valid())
            return;
        out_.clear();
        close_txnr_ = txnr_;
        relp_frame(txnr_, "close", nullptr, 0, &out_);
        if (write_all(out_.data(), out_.size())) {
            int64_t until = now_ms() + kCloseWaitMs;
            while (!closed_ && now_ms() < until && await(50) == ok) {
            }
        }
        fd_.reset();
    }

    Peers peers_;
    Notify notify_;
    Fd fd_;
    RelpParser parser_;
    RelpFlight flight_;
    RelpFrame frame_;
    uint32_t txnr_ = 1;
    uint32_t close_txnr_ = 0;  // 0: no close sent
    bool closed_ = false;
    bool connected_once_ = false;
    int64_t heard_ms_ = 0;   // when the server last said something
    std::string why_;        // what went wrong last
    std::vector<char> out_;  // frames to write
    char in_[4096];
};

}  // namespace

std::unique_ptr<Transport> make_relp_transport(Peers peers, Notify notify) {
    return std::unique_ptr<Transport>(new RelpTransport(std::move(peers), notify));
}

}  // namespace t2s
