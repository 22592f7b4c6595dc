// relp -- the Reliable Event Logging Protocol as rsyslog's imrelp (librelp)
// speaks it: writing frames, parsing the server's frames as they arrive,
// and the window of syslog frames not yet answered.  No I/O here; the
// socket side is transport_relp.cc.
//
// A frame is "TXNR SP COMMAND SP DATALEN [SP DATA] LF": TXNR 1..999999999
// (0 for the server's own "serverclose"), COMMAND 1..32 letters, DATALEN
// the decimal byte count of DATA, at most 9 digits.  The client opens with
// "open" and its offers, sends each message as a "syslog" frame and ends
// with "close"; the server answers every one with an "rsp" frame of the
// same TXNR whose DATA starts with a three-digit code: 200 is success.
#ifndef T2S_RELP_H
#define T2S_RELP_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace t2s {

const uint32_t kRelpTxnrMax = 999999999;
const size_t kRelpWindow = 128;  // frames in flight: librelp's default

// relp_next_txnr -- the transaction number after txnr: 1..999999999, then 1.
uint32_t relp_next_txnr(uint32_t txnr);

// relp_frame -- appends one frame to *out (whose capacity is reused).
void relp_frame(uint32_t txnr, const char* command, const char* data, size_t len,
                std::vector<char>* out);

// relp_open_offers -- the DATA of our "open": relp_version=0 (what librelp
// sends and expects), relp_software naming us and version, commands=syslog.
std::string relp_open_offers(const char* version);

// relp_rsp_code -- the code at the start of an rsp frame's DATA (200 for
// success) and the text after it up to the first LF; false if DATA does
// not start with three digits followed by SP, LF or its end.
bool relp_rsp_code(const std::string& data, int* code, std::string* text);

// relp_offers_command -- whether the offers after the first line of an
// "open" answer list command among their "commands=" values.
bool relp_offers_command(const std::string& data, const char* command);

struct RelpFrame {
    uint32_t txnr = 0;
    std::string command;
    std::string data;
};

// RelpParser -- the server's frames from a byte stream cut anywhere.  A
// malformed frame is an error for good: the stream cannot be resynced.
class RelpParser {
public:
    enum Result { more, frame, error };

    // max_data: the largest DATA accepted (answers are small).
    explicit RelpParser(size_t max_data = 64 * 1024) : max_data_(max_data) {}

    // feed -- consumes p[0..len) up to the end of the first frame complete
    // in it; *used: the bytes consumed.  Returns frame (then *out holds
    // it), more (all consumed, no frame yet) or error (*err says why).
    Result feed(const char* p, size_t len, size_t* used, RelpFrame* out,
                std::string* err);
    // reset -- forgets a partial frame, for a new connection.
    void reset();

private:
    enum State { txnr, command, datalen, sp_or_lf, data, trailer, broken };
    Result fail(const char* why, std::string* err);

    size_t max_data_;
    State state_ = txnr;
    size_t digits_ = 0;
    uint64_t number_ = 0;
    size_t want_ = 0;
    RelpFrame cur_;
};

// RelpFlight -- one batch of messages on its way: which are answered, which
// are in flight under which TXNR (at most window at once, oldest first),
// which go next.  After a broken connection every message in flight goes
// again, in order; the answered ones never do.
//
// | event                     | effect                                     |
// |---------------------------|--------------------------------------------|
// | next() with window room   | the lowest message neither answered nor in |
// |                           | flight                                     |
// | acked(txnr) known         | answered; done() grows past every answered |
// |                           | message at the front                       |
// | acked(txnr) unknown       | false: a protocol error                    |
// | lost()                    | nothing in flight; next() starts again at  |
// |                           | the lowest unanswered message              |
class RelpFlight {
public:
    explicit RelpFlight(size_t window = kRelpWindow) : window_(window) {}

    // start -- a new batch of count messages, none sent.
    void start(size_t count);
    // next -- the message to send now; false if none may go (all sent, or
    // the window is full).
    bool next(size_t* msg) const;
    // sent -- msg (what next() gave) went out as txnr.
    void sent(size_t msg, uint32_t txnr);
    // acked -- the frame txnr was answered; *msg: which message it held.
    // False if no frame in flight has that number.
    bool acked(uint32_t txnr, size_t* msg);
    // lost -- the connection broke: returns how many frames were in flight
    // (they may have arrived: each may now be sent twice).
    size_t lost();

    size_t done() const { return done_; }          // answered from the first
    size_t in_flight() const { return flying_.size(); }
    bool finished() const { return done_ == count_; }

private:
    struct Frame {
        uint32_t txnr;
        size_t msg;
    };
    size_t window_;
    size_t count_ = 0;
    size_t done_ = 0;           // messages [0, done_) answered
    size_t next_ = 0;           // the lowest message never sent on this connection
    std::vector<char> answered_;  // per message, reused
    std::vector<Frame> flying_;   // in order of sending
};

}  // namespace t2s

#endif
