// sockets -- addresses, connecting, backoff, failover.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include "sockets.h"

namespace t2s {

namespace {

const int64_t kFailBackMs = 30000;  // how often to look for a preferred server
const int kSendTimeoutSec = 1;      // blocked sends wake up to look at g_stop
const int64_t kLookMs = 20;         // how often a nap looks out

}  // namespace

bool Backoff::wait() {
    if (since_ < 0)
        since_ = now_ms();
    int64_t ms = delay_;
    if (give_up_ms_ >= 0) {
        int64_t left = give_up_ms_ - (now_ms() - since_);
        if (left <= 0)
            return false;
        ms = ms < left ? ms : left;
    }
    bool awake = nap(ms, lookout_);
    delay_ = doubled_delay(delay_);
    return awake;
}

bool nap(int64_t ms, Lookout* lookout) {
    for (int64_t until = now_ms() + ms, left = ms; left > 0 && !g_stop;
         left = until - now_ms()) {
        if (lookout)
            lookout->look();
        sleep_ms(left < kLookMs ? left : kLookMs);
    }
    return !g_stop;
}

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

bool resolve(const std::vector<Options::Server>& servers, int type,
             std::vector<Address>* addrs, std::string* err, int* exit_code) {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = AI_NUMERICSERV;
    for (size_t i = 0; i < servers.size(); ++i) {
        const Options::Server& server = servers[i];
        struct addrinfo* res;
        int rc = getaddrinfo(server.host.c_str(), server.port.c_str(), &hints, &res);
        if (rc != 0) {
            *err = server.host + ": " + gai_strerror(rc);
            *exit_code = rc == EAI_SYSTEM ? kExitOsErr : kExitNoHost;
            return false;
        }
        for (struct addrinfo* ai = res; ai; ai = ai->ai_next) {
            Address a;
            memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
            a.len = ai->ai_addrlen;
            a.server = i;
            a.text = server.host + " port " + server.port;
            a.host = server.host;
            a.port = server.port;
            addrs->push_back(a);
        }
        freeaddrinfo(res);
    }
    return true;
}

bool same_address(const Address& a, const Address& b) {
    return a.len == b.len && memcmp(&a.ss, &b.ss, a.len) == 0;
}

int Peers::connect(size_t from, std::string* failed) {
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
                connected_ = a;
                next_fail_back_ = now_ms() + kFailBackMs;
                return fd;
            }
            *failed = a.text + ": " + errno_text(errno);
        }
    }
    return -1;
}

int Peers::fail_back() {
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
            connected_ = a;
            return fd;
        }
    }
    return -1;
}

int Peers::reresolve(std::string* err) {
    std::vector<Options::Server> servers;
    for (const Address& a : addrs_) {
        if (a.host.empty())
            return 0;  // a socket path: nothing to look up
        if (a.server > servers.size())
            return 0;  // not a list made by resolve
        if (a.server == servers.size()) {
            Options::Server s;
            s.host = a.host;
            s.port = a.port;
            servers.push_back(s);
        }
    }
    std::vector<Address> fresh;
    int code;
    if (!resolve(servers, type_, &fresh, err, &code))
        return -1;
    // resolve numbers the servers from 0 as our list does.
    addrs_ = fresh;
    for (const Address& a : addrs_)
        if (a.server == current_ && same_address(a, connected_))
            return 0;
    return 1;
}

bool Peers::reload(Notify notify) {
    std::string why;
    int gone = reresolve(&why);
    if (gone < 0)
        notify(why + ", keeping the addresses known");
    return gone > 0;
}

}  // namespace t2s
