// sink -- the benchmark's counting receiver: listens on one loopback socket,
// counts the messages that arrive, and reports once at the end.
//
//   sink -k udp|tcp|unix -a PORT|PATH [-b BYTES] [-i MS] [-l SECONDS] [-L]
//        [-n COUNT] [-r FILE]
//
//   -k  the kind of socket: UDP or TCP on 127.0.0.1, or a UNIX-domain
//       datagram socket bound to PATH
//   -a  the port (0: any free port) or the socket path
//   -b  receive buffer to ask for (default 32 MiB; the grant is reported)
//   -i  stop once no message came for MS milliseconds after the first one
//       (0, the default: never)
//   -l  stop after SECONDS whatever happens (default 120)
//   -L  look for "ts=MICROSECONDS" (CLOCK_REALTIME of the writer) in each
//       message and record arrival minus that time
//   -n  stop as soon as COUNT messages have arrived
//   -r  once listening, write the port (or path) to FILE (via a rename, so
//       that a reader never sees half of it): the caller's ready signal
//
// TCP is newline-framed; any number of connections is accepted and each
// line counts as one message.  SIGUSR1 prints a "snap" line with the count
// so far; SIGTERM, SIGINT, -i, -l and -n end the run with one "final" line:
//
//   final count=N bytes=B first_us=T last_us=T conns=C rcvbuf=R reason=WHY
//         lat_n=K lat_first_n=F lat_first_max_us=W lat_steady_n=S
//         lat_steady_p50_us=X lat_steady_p99_us=Y lat_p50_us=X lat_p99_us=Y
//         lat_max_us=Z
//
// (the "first" lines are those written before the first one arrived: they
// waited for the sender's first look; "steady" are the others)
//
// all on one line, times in CLOCK_REALTIME microseconds.  Stops are checked
// every 20 ms, so every wait is bounded.
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_snap = 0;

void on_stop(int) { g_stop = 1; }
void on_snap(int) { g_snap = 1; }

int64_t now_us() {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t mono_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

[[noreturn]] void die(const char* what) {
    fprintf(stderr, "sink: %s: %s\n", what, strerror(errno));
    exit(71);
}

[[noreturn]] void usage() {
    fprintf(stderr, "usage: sink -k udp|tcp|unix -a PORT|PATH [-b BYTES] [-i MS] "
                    "[-l SECONDS] [-L] [-n COUNT] [-r FILE]\n");
    exit(64);
}

// parse_num -- a whole decimal number in [lo, hi], or usage().
long long parse_num(const char* s, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        usage();
    return v;
}

// What has arrived so far.
struct Tally {
    uint64_t count = 0;
    uint64_t bytes = 0;
    int64_t first_us = 0;
    int64_t last_us = 0;
    int64_t last_mono_ms = 0;
    unsigned conns = 0;
    bool want_latency = false;
    std::vector<int64_t> latency_us;
    std::vector<int64_t> stamp_us;  // the writer's stamp of each latency_us
};

// Latencies kept at most; a benchmark run sends far fewer timed lines.
const size_t kMaxSamples = 8u << 20;

// note_ts -- records arrival minus the first " ts=" stamp (or one at the
// very start) in msg[0, len), if there is one.
void note_ts(Tally* t, const char* msg, size_t len, int64_t arrival_us) {
    const char* end = msg + len;
    for (const char* p = msg; p + 3 < end; ++p) {
        p = static_cast<const char*>(memchr(p, 't', size_t(end - p - 3)));
        if (!p)
            return;
        if (p[1] != 's' || p[2] != '=' || (p > msg && p[-1] != ' '))
            continue;
        int64_t v = 0;
        const char* d = p + 3;
        while (d < end && *d >= '0' && *d <= '9')
            v = v * 10 + (*d++ - '0');
        if (d == p + 3)
            continue;
        if (t->latency_us.size() < kMaxSamples) {
            t->latency_us.push_back(arrival_us - v);
            t->stamp_us.push_back(v);
        }
        return;
    }
}

void arrived(Tally* t, uint64_t n, uint64_t bytes, int64_t at_us) {
    if (n == 0)
        return;
    if (t->count == 0)
        t->first_us = at_us;
    t->count += n;
    t->bytes += bytes;
    t->last_us = at_us;
    t->last_mono_ms = mono_ms();
}

// percentile -- nearest-rank p-th percentile of v (reordered in place).
int64_t percentile(std::vector<int64_t>* v, double p) {
    size_t k = size_t(p * double(v->size()));
    if (k > 0 && double(k) == p * double(v->size()))
        --k;
    if (k >= v->size())
        k = v->size() - 1;
    std::nth_element(v->begin(), v->begin() + long(k), v->end());
    return (*v)[k];
}

void report_final(Tally* t, int rcvbuf, const char* reason) {
    printf("final count=%llu bytes=%llu first_us=%lld last_us=%lld conns=%u rcvbuf=%d "
           "reason=%s lat_n=%zu",
           (unsigned long long)t->count, (unsigned long long)t->bytes,
           (long long)t->first_us, (long long)t->last_us, t->conns, rcvbuf, reason,
           t->latency_us.size());
    if (!t->latency_us.empty()) {
        // Lines written before the first one arrived were waiting for the
        // sender's first look at a quiet file: reported on their own.
        int64_t first_arrival = t->stamp_us[0] + t->latency_us[0];
        std::vector<int64_t> steady, waiting;
        for (size_t i = 0; i < t->latency_us.size(); i++)
            (t->stamp_us[i] < first_arrival ? waiting : steady).push_back(t->latency_us[i]);
        printf(" lat_first_n=%zu lat_first_max_us=%lld lat_steady_n=%zu", waiting.size(),
               waiting.empty() ? 0ll : (long long)*std::max_element(waiting.begin(), waiting.end()),
               steady.size());
        if (!steady.empty())
            printf(" lat_steady_p50_us=%lld lat_steady_p99_us=%lld",
                   (long long)percentile(&steady, 0.50), (long long)percentile(&steady, 0.99));
        int64_t p50 = percentile(&t->latency_us, 0.50);
        int64_t p99 = percentile(&t->latency_us, 0.99);
        int64_t max = *std::max_element(t->latency_us.begin(), t->latency_us.end());
        printf(" lat_p50_us=%lld lat_p99_us=%lld lat_max_us=%lld", (long long)p50,
               (long long)p99, (long long)max);
    }
    printf("\n");
    fflush(stdout);
}

void set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        die("fcntl");
}

// grow_rcvbuf -- asks for bytes of receive buffer, past net.core.rmem_max
// where we may (SO_RCVBUFFORCE needs CAP_NET_ADMIN); returns the grant.
int grow_rcvbuf(int fd, int bytes) {
#ifdef SO_RCVBUFFORCE
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) < 0)
#endif
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    int got = 0;
    socklen_t len = sizeof got;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
    return got;
}

// write_ready -- puts text in path through a temporary file and a rename.
void write_ready(const std::string& path, const std::string& text) {
    std::string tmp = path + ".tmp";
    FILE* f = fopen(tmp.c_str(), "w");
    if (!f || fprintf(f, "%s\n", text.c_str()) < 0 || fclose(f) != 0)
        die(tmp.c_str());
    if (rename(tmp.c_str(), path.c_str()) < 0)
        die(path.c_str());
}

// Datagram receiving: many messages per call where recvmmsg(2) exists.
const unsigned kBatch = 128;
const size_t kSlot = 16384;  // longer datagrams are counted, truncated

struct DgramReader {
    std::vector<char> space = std::vector<char>(kBatch * kSlot);
#ifdef __linux__
    struct mmsghdr msgs[kBatch];
    struct iovec iov[kBatch];
#endif
};

// drain_dgram -- reads every datagram queued on fd; false on a hard error.
bool drain_dgram(int fd, DgramReader* r, Tally* t) {
    for (;;) {
#ifdef __linux__
        for (unsigned i = 0; i < kBatch; ++i) {
            r->iov[i].iov_base = r->space.data() + i * kSlot;
            r->iov[i].iov_len = kSlot;
            memset(&r->msgs[i].msg_hdr, 0, sizeof r->msgs[i].msg_hdr);
            r->msgs[i].msg_hdr.msg_iov = &r->iov[i];
            r->msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int n = recvmmsg(fd, r->msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        int64_t at = now_us();
        uint64_t bytes = 0;
        for (int i = 0; i < n; ++i) {
            size_t len = std::min<size_t>(r->msgs[i].msg_len, kSlot);
            bytes += r->msgs[i].msg_len;
            if (t->want_latency)
                note_ts(t, r->space.data() + size_t(i) * kSlot, len, at);
        }
        arrived(t, unsigned(n), bytes, at);
        if (unsigned(n) < kBatch)
            return true;
#else
        ssize_t n = recv(fd, r->space.data(), kSlot, MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        int64_t at = now_us();
        if (t->want_latency)
            note_ts(t, r->space.data(), std::min<size_t>(size_t(n), kSlot), at);
        arrived(t, 1, uint64_t(n), at);
#endif
    }
}

// One accepted TCP connection; buf holds an unterminated line between reads.
struct Conn {
    int fd;
    std::vector<char> buf;
    size_t have = 0;
};

const size_t kConnBuf = 1 << 20;

// read_conn -- reads what conn has; false once it is closed or broken.
bool read_conn(Conn* c, Tally* t) {
    for (int round = 0; round < 64; ++round) {
        if (c->have == c->buf.size())
            c->have = 0;  // a line longer than the buffer: drop its head
        ssize_t n = read(c->fd, c->buf.data() + c->have, c->buf.size() - c->have);
        if (n == 0)
            return false;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        int64_t at = now_us();
        const char* p = c->buf.data();
        const char* end = p + c->have + size_t(n);
        const char* scan = p + c->have;
        uint64_t lines = 0;
        for (;;) {
            const char* nl =
                static_cast<const char*>(memchr(scan, '\n', size_t(end - scan)));
            if (!nl)
                break;
            ++lines;
            if (t->want_latency)
                note_ts(t, p, size_t(nl - p), at);
            p = nl + 1;
            scan = p;
        }
        arrived(t, lines, uint64_t(n), at);
        c->have = size_t(end - p);
        if (c->have > 0 && p != c->buf.data())
            memmove(c->buf.data(), p, c->have);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::string kind, addr, ready;
    long long want_buf = 32ll << 20, idle_ms = 0, limit_s = 120, expect = 0;
    Tally tally;
    int ch;
    while ((ch = getopt(argc, argv, "a:b:i:k:Ll:n:r:")) != -1) {
        switch (ch) {
        case 'a': addr = optarg; break;
        case 'b': want_buf = parse_num(optarg, 1024, 1ll << 30); break;
        case 'i': idle_ms = parse_num(optarg, 0, 86400000); break;
        case 'k': kind = optarg; break;
        case 'L': tally.want_latency = true; break;
        case 'l': limit_s = parse_num(optarg, 1, 86400); break;
        case 'n': expect = parse_num(optarg, 0, 1ll << 40); break;
        case 'r': ready = optarg; break;
        default: usage();
        }
    }
    if (optind != argc || addr.empty() || (kind != "udp" && kind != "tcp" && kind != "unix"))
        usage();
    if (tally.want_latency)
        tally.latency_us.reserve(1 << 16);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;  // no SA_RESTART: poll returns EINTR
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sa.sa_handler = on_snap;
    sigaction(SIGUSR1, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);

    int lfd;
    int rcvbuf = 0;
    std::string where = addr;
    if (kind == "unix") {
        struct sockaddr_un sun;
        memset(&sun, 0, sizeof sun);
        sun.sun_family = AF_UNIX;
        if (addr.size() >= sizeof sun.sun_path)
            usage();
        memcpy(sun.sun_path, addr.c_str(), addr.size());
        lfd = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (lfd < 0)
            die("socket");
        unlink(addr.c_str());
        rcvbuf = grow_rcvbuf(lfd, int(want_buf));
        if (bind(lfd, reinterpret_cast<struct sockaddr*>(&sun), sizeof sun) < 0)
            die(addr.c_str());
    } else {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = htons(uint16_t(parse_num(addr.c_str(), 0, 65535)));
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        lfd = socket(AF_INET, kind == "udp" ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (lfd < 0)
            die("socket");
        int one = 1;
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        // Set before listen(2), so that accepted sockets inherit it.
        rcvbuf = grow_rcvbuf(lfd, int(want_buf));
        if (bind(lfd, reinterpret_cast<struct sockaddr*>(&sin), sizeof sin) < 0)
            die("bind");
        if (kind == "tcp" && listen(lfd, 64) < 0)
            die("listen");
        socklen_t len = sizeof sin;
        if (getsockname(lfd, reinterpret_cast<struct sockaddr*>(&sin), &len) < 0)
            die("getsockname");
        where = std::to_string(ntohs(sin.sin_port));
    }
    set_nonblock(lfd);
    if (!ready.empty())
        write_ready(ready, where);

    DgramReader reader;
    std::vector<Conn> conns;
    std::vector<struct pollfd> pfds;
    const int64_t start_ms = mono_ms();
    const char* reason = "signal";
    for (;;) {
        if (g_snap) {
            g_snap = 0;
            printf("snap count=%llu at_us=%lld\n", (unsigned long long)tally.count,
                   (long long)now_us());
            fflush(stdout);
        }
        if (g_stop)
            break;
        int64_t now = mono_ms();
        if (expect > 0 && tally.count >= uint64_t(expect)) {
            reason = "count";
            break;
        }
        if (idle_ms > 0 && tally.count > 0 && now - tally.last_mono_ms >= idle_ms) {
            reason = "idle";
            break;
        }
        if (now - start_ms >= limit_s * 1000) {
            reason = "limit";
            break;
        }
        pfds.clear();
        pfds.push_back({lfd, POLLIN, 0});
        for (const Conn& c : conns)
            pfds.push_back({c.fd, POLLIN, 0});
        int n = poll(pfds.data(), pfds.size(), 20);
        if (n < 0 && errno != EINTR)
            die("poll");
        if (n <= 0)
            continue;
        if (kind != "tcp") {
            if (pfds[0].revents && !drain_dgram(lfd, &reader, &tally))
                die("recv");
            continue;
        }
        // Connections first: pfds is rebuilt before the next poll.
        for (size_t i = conns.size(); i-- > 0;) {
            if (!pfds[i + 1].revents)
                continue;
            if (!read_conn(&conns[i], &tally)) {
                close(conns[i].fd);
                conns.erase(conns.begin() + long(i));
            }
        }
        if (pfds[0].revents) {
            for (;;) {
                int c = accept(lfd, nullptr, nullptr);
                if (c < 0)
                    break;
                set_nonblock(c);
                Conn conn;
                conn.fd = c;
                conn.buf.resize(kConnBuf);
                conns.push_back(std::move(conn));
                ++tally.conns;
            }
        }
    }
    report_final(&tally, rcvbuf, reason);
    if (kind == "unix")
        unlink(addr.c_str());
    return 0;
}
