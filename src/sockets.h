// sockets -- what the socket transports share: addresses, connecting,
// backoff, and the list of servers to fail over between.
#ifndef T2S_SOCKETS_H
#define T2S_SOCKETS_H

#include <sys/types.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sys.h"
#include "options.h"
#include "transport.h"

namespace t2s {

const int64_t kBackoffFirstMs = 100;
const int64_t kBackoffMaxMs = 30000;

// doubled_delay -- the back-off after ms: twice as long, up to kBackoffMaxMs.
inline int64_t doubled_delay(int64_t ms) {
    return ms * 2 > kBackoffMaxMs ? kBackoffMaxMs : ms * 2;
}

struct Address {
    struct sockaddr_storage ss;
    socklen_t len;
    size_t server;     // index in the -n list: lower is preferred
    std::string text;  // for messages
    std::string host;  // what was looked up (empty: a socket path)
    std::string port;
};

// same_address -- whether a and b are the same socket address.
bool same_address(const Address& a, const Address& b);

// Backoff -- 0.1 s doubling to 30 s between attempts; gives up after
// give_up_ms of failures if that is not negative.
class Backoff {
public:
    // lookout: looked at every 20 ms while waiting; may be null.
    explicit Backoff(int64_t give_up_ms, Lookout* lookout = nullptr)
        : give_up_ms_(give_up_ms), lookout_(lookout) {}
    // wait -- sleeps the next delay, or what is left of the budget; false
    // if g_stop was raised or the budget is spent.
    bool wait();
    void reset() {
        delay_ = kBackoffFirstMs;
        since_ = -1;
    }
    int64_t delay() const { return delay_; }

private:
    int64_t give_up_ms_;
    Lookout* lookout_;
    int64_t delay_ = kBackoffFirstMs;
    int64_t since_ = -1;
};

// nap -- sleeps ms, in slices, so that lookout (may be null) looks at the
// files meanwhile and a TERM is seen at once; false if g_stop was raised.
bool nap(int64_t ms, Lookout* lookout);

// open_socket -- a connected socket of type to addr, or -1 with errno set.
int open_socket(const Address& addr, int type);

// unix_address -- the address of a unix socket; false if path is too long.
bool unix_address(const std::string& path, Address* a);

// resolve -- the addresses of every -n server, in order; false with *err
// and *exit_code (68 unknown host, 71 OS error) if one has none.
bool resolve(const std::vector<Options::Server>& servers, int type,
             std::vector<Address>* addrs, std::string* err, int* exit_code);

// Peers -- the addresses of every server, in order of preference, and which
// one we are connected to.  Failover: connect to the first that accepts;
// while on a later one, look every 30 s whether an earlier one is back.
class Peers {
public:
    Peers(std::vector<Address> addrs, int type) : addrs_(std::move(addrs)), type_(type) {}

    // connect -- a socket to the first server from `from` on that accepts
    // (wrapping round), or -1 with *failed saying why the last one did not.
    int connect(size_t from, std::string* failed);
    // fail_back -- a socket to a server preferred to the current one, if it
    // is time to look and one accepts; else -1.
    int fail_back();
    // reresolve -- looks the server names up again and keeps the answer:
    // 1 if the address connected to last is no longer among them, 0 if it
    // is (or there are no names), -1 if a lookup failed (*err says which;
    // the addresses are kept).
    int reresolve(std::string* err);
    // reload -- reresolve() for a SIGHUP, a failed lookup told to notify:
    // true if the connection must move to another address.
    bool reload(Notify notify);

    size_t current() const { return current_; }
    size_t count() const { return addrs_.back().server + 1; }
    const std::string& peer() const { return peer_; }

private:
    std::vector<Address> addrs_;
    int type_;
    size_t current_ = 0;
    std::string peer_;
    Address connected_{};  // the address connected to last (len 0: none)
    int64_t next_fail_back_ = 0;
};

// make_dgram_transport -- one message per datagram to peers, over fd, which
// is connected already.  is_unix: a local syslogd, to be waited for.
std::unique_ptr<Transport> make_dgram_transport(Peers peers, bool is_unix, Fd fd,
                                                Notify notify);

// make_stream_transport -- messages framed on a stream to peers, connected
// on the first send.  lag: how far this server may fall behind (--all); 0:
// every send waits until all is written.
std::unique_ptr<Transport> make_stream_transport(Peers peers, bool octet_count,
                                                 size_t batch_max, size_t lag,
                                                 Notify notify);

// make_relp_transport -- RELP sessions to peers (transport_relp.cc),
// opened on the first send; a message is taken once the server confirmed it.
std::unique_ptr<Transport> make_relp_transport(Peers peers, Notify notify);

}  // namespace t2s

#endif
