// transport -- where messages go: a small interface and its factory.  Each
// kind lives in its own file: transport_dgram.cc (UDP, unix datagrams),
// transport_stream.cc (TCP, unix streams), transport_relp.cc (RELP: a message
// is taken once the server confirmed it), transport_logger.cc (logger(1)
// children); transport.cc picks one, and holds --all and standard output.
#ifndef T2S_TRANSPORT_H
#define T2S_TRANSPORT_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "format.h"
#include "options.h"

namespace t2s {

// Notify receives the transport's notices (reconnects, retries); the caller
// decides whether and where they are shown (a function, or a lambda that
// holds where: the daemon's own log).  Called on events, never per line.
using Notify = std::function<void(const std::string& text)>;

// Lookout -- what the caller does while a transport waits for its
// destination: look at the files (pin new generations), reading nothing.
class Lookout {
public:
    virtual ~Lookout() = default;
    virtual void look() = 0;
};

class Transport {
public:
    virtual ~Transport() = default;
    // framing -- how messages must be delimited in the batches sent here.
    virtual Framing framing() const = 0;
    // send -- hands every message of batch to the destination, waiting and
    // retrying through outages.  Returns how many messages (from the first)
    // were taken: all of them, or fewer when g_stop was raised meanwhile or a
    // fatal error happened (then *err says what, and *exit_code is set).
    virtual size_t send(const Batch& batch, std::string* err, int* exit_code) = 0;
    // reopen -- SIGHUP: looks the destination up again; a connection is
    // made anew only where the address it goes to has changed.
    virtual void reopen() {}
    // pump -- moves queued messages on without blocking (--all, where a
    // server may lag behind); pending -- whether any are queued.
    virtual void pump() {}
    virtual bool pending() const { return false; }
    // connect_first -- for --daemon, before the parent exits: connects now
    // if not connected, retrying for at most wait_ms, so that a start with
    // the destination down fails visibly.  False with *err and *exit_code
    // (75) if it could not, or with *err empty when g_stop was raised.
    // Kinds that need no connection (logger, standard output) return true.
    virtual bool connect_first(int64_t /*wait_ms*/, std::string* /*err*/,
                               int* /*exit_code*/) {
        return true;
    }
    // take_rewinds -- moves to *out what the followers must read again,
    // one origin per source: a stream broke and its peer may have lost
    // what it had confirmed.  False if there is none.
    virtual bool take_rewinds(std::vector<Origin>* /*out*/) { return false; }
    // unconfirmed -- appends to *out, one per source (merged, lowest
    // offset), where the oldest message a restart must send again starts:
    // what a saved position must not pass.  While running (a save that a
    // crash of ours may leave last), what was not yet handed to our kernel:
    // once written it reaches a receiver that lives on, whatever becomes of
    // us.  stopping (the save at exit, after close_out): also what the
    // receiver may not have read, unless it confirmed all.
    virtual void unconfirmed(std::vector<Origin>* /*out*/, bool /*stopping*/) const {}
    // close_out -- at exit, once all is written: ends the stream and waits
    // at most wait_ms for the receiver to close its side, which says it
    // read everything; unconfirmed() is then empty.  A later send() opens a
    // new connection.
    virtual void close_out(int64_t /*wait_ms*/) {}
    // undelivered -- after close_out: 75 and why, when messages were given
    // to a destination that failed to send them (a logger that exited with
    // an error); unconfirmed() holds them.  0 when there are none.
    virtual int undelivered(std::string* /*why*/) const { return 0; }
    // How long send() keeps trying a destination that is down before it
    // gives up with exit status 75; negative: for ever.
    int64_t give_up_ms = -1;
    // Called between retries while the destination is down; may be null.
    Lookout* lookout = nullptr;
    // Statistics: reconnections made, and messages that may have been sent
    // twice because a connection broke before the peer confirmed them.
    uint64_t reconnects = 0;
    uint64_t resent = 0;
    // SIGHUPs seen (a HUP is not a reconnection, even where it moves).
    uint64_t reloads = 0;
    // Where an outage is said without -v: once when the destination first
    // refuses or does not answer, once when it is back.  May be empty.
    Notify warning;

protected:
    // went_down -- says what, once an outage; false if it was said already
    // (or there is nowhere to say it), for the caller's -v notice.
    bool went_down(const std::string& what) {
        if (down_ || !warning)
            return false;
        down_ = true;
        warning(what);
        return true;
    }
    // came_back -- connected to peer: the end of an outage went_down said.
    // Returns whether it said so (then the caller's -v notice would repeat it).
    bool came_back(const std::string& peer) {
        bool said = down_ && warning;
        if (said)
            warning("connected to " + peer + " again");
        down_ = false;
        return said;
    }

private:
    bool down_ = false;
};

// make_transport -- opens the destination that opts names, for batches of at
// most batch_max bytes.  On failure
// returns null, with *err and the exit status for it in *exit_code (68
// unknown host, 69 no syslog socket, 71 OS error).
std::unique_ptr<Transport> make_transport(const Options& opts, size_t batch_max,
                                          Notify notify, std::string* err,
                                          int* exit_code);

// Factories of each kind, for make_transport.
std::unique_ptr<Transport> make_stdout_transport();
std::unique_ptr<Transport> make_inet_transport(const Options& opts, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code);
// type: SOCK_DGRAM or SOCK_STREAM, or 0 for the first of them that connects.
std::unique_ptr<Transport> make_unix_transport(const std::string& path, int type,
                                               bool octet_count, size_t batch_max,
                                               Notify notify, std::string* err,
                                               int* exit_code);
std::unique_ptr<Transport> make_logger_transport(const Options& opts, Notify notify,
                                                 std::string* err, int* exit_code);

}  // namespace t2s

#endif
