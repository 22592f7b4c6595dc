// gen -- the benchmark's log lines: a deterministic mix of DNS query-log
// lines (dnsdist style) and firewall lines (iptables LOG, as the kernel
// writes them), about 150 bytes each; and a paced writer.
//
//   gen lines N                       N lines on standard output
//   gen write FILE RATE SECONDS [PID] append RATE lines/s to FILE
//   gen now                           CLOCK_REALTIME in microseconds
//
// The same N always gives the same bytes.  `write` appends each line with
// " ts=MICROSECONDS" (CLOCK_REALTIME just before the write(2)) at its end,
// for the sink's latency figures; it writes what is due every millisecond
// in one write(2), as a buffered logging daemon would, and sleeps to the
// next due line when lines are further apart.  When it is done it sends
// SIGUSR1 to PID, if given (the sink then prints its count: the backlog),
// and prints
//
//   written N start_us T end_us T
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

[[noreturn]] void usage() {
    fprintf(stderr, "usage: gen lines N | gen write FILE RATE SECONDS [PID] | gen now\n");
    exit(64);
}

[[noreturn]] void die(const char* what) {
    fprintf(stderr, "gen: %s: %s\n", what, strerror(errno));
    exit(71);
}

long long parse_int(const char* s, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        usage();
    return v;
}

double parse_seconds(const char* s) {
    char* end = nullptr;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 86400)
        usage();
    return v;
}

int64_t realtime_us() {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t mono_ns() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Rng -- splitmix64: small, fast, and the same sequence everywhere.
class Rng {
public:
    explicit Rng(uint64_t seed) : s_(seed) {}
    uint64_t next() {
        uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    unsigned below(unsigned n) { return unsigned(next() % n); }

private:
    uint64_t s_;
};

const char* const kNames[] = {
    "www.example.com.", "mail.example.net.", "api.example.org.", "cdn.example.com.",
    "login.example.net.", "static.example.org.", "time.example.com.", "ns1.example.net.",
    "updates.example.org.", "_dmarc.example.com.", "tracker.example.net.", "img.example.org.",
    "vpn.example.com.", "smtp.example.net.", "example.org.", "grafana.example.com.",
};
const char* const kSubs[] = {"", "", "", "eu.", "us.", "edge-3.", "a1.", "beta."};
const char* const kTypes[] = {"A", "AAAA", "A", "AAAA", "HTTPS", "MX", "TXT", "PTR", "NS", "SRV"};
const char* const kRcodes[] = {"NOERROR", "NOERROR", "NOERROR", "NOERROR", "NXDOMAIN",
                               "NOERROR", "SERVFAIL", "NOERROR"};
const char* const kProtos[] = {"TCP", "TCP", "UDP", "TCP", "UDP"};
const unsigned kPorts[] = {22, 443, 80, 3389, 25, 53, 123, 8080, 5060, 23};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Lines -- the generator: odd lines DNS, even lines firewall; line i
// depends only on i and those before it.
class Lines {
public:
    Lines() : rng_(0x7432736c6f67ull) {}

    // next -- appends line number i (1-based), with its newline, to out.
    void next(std::string* out) {
        ++i_;
        // The file covers one day from 00:00:00, 20 lines a second.
        unsigned secs = unsigned(i_ / 20) % 86400;
        char stamp[32];
        snprintf(stamp, sizeof stamp, "%s %2u %02u:%02u:%02u", kMonths[10], 26u, secs / 3600,
                 secs / 60 % 60, secs % 60);
        char line[512];
        int n;
        if (i_ % 2 == 1) {
            n = snprintf(line, sizeof line,
                         "%s dns1 dnsdist[812]: Packet from 198.51.%u.%u:%u over %s for %s%s %s "
                         "with id %u rcode %s latency %u.%03u ms\n",
                         stamp, rng_.below(256), 1 + rng_.below(254), 1024 + rng_.below(64000),
                         rng_.below(8) ? "UDP" : "TCP", kSubs[rng_.below(8)],
                         kNames[rng_.below(16)], kTypes[rng_.below(10)], rng_.below(65536),
                         kRcodes[rng_.below(8)], rng_.below(40), rng_.below(1000));
        } else {
            unsigned proto = rng_.below(5);
            n = snprintf(line, sizeof line,
                         "%s fw1 kernel: IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:%02x:%02x:%02x"
                         ":08:00 SRC=203.0.%u.%u DST=192.0.2.%u LEN=%u TTL=%u PROTO=%s SPT=%u "
                         "DPT=%u\n",
                         stamp, rng_.below(256), rng_.below(256), rng_.below(256),
                         rng_.below(256), 1 + rng_.below(254), 1 + rng_.below(30),
                         40 + rng_.below(1400), 32 + rng_.below(96), kProtos[proto],
                         1024 + rng_.below(64000), kPorts[rng_.below(10)]);
        }
        out->append(line, size_t(n));
    }

private:
    Rng rng_;
    uint64_t i_ = 0;
};

void write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            die("write");
        }
        p += w;
        n -= size_t(w);
    }
}

int cmd_lines(long long n) {
    Lines gen;
    std::string buf;
    buf.reserve(1 << 20);
    for (long long i = 0; i < n; ++i) {
        gen.next(&buf);
        if (buf.size() > (1 << 20) - 512) {
            write_all(STDOUT_FILENO, buf.data(), buf.size());
            buf.clear();
        }
    }
    write_all(STDOUT_FILENO, buf.data(), buf.size());
    return 0;
}

// cmd_write -- the paced writer (see top).  Lines come from a pool made in
// advance so that the writer itself costs little at 200k lines/s.
int cmd_write(const char* path, long long rate, double seconds, long long pid) {
    const long long total = (long long)(double(rate) * seconds + 0.5);
    std::vector<std::string> pool(4096);
    Lines gen;
    for (std::string& s : pool) {
        gen.next(&s);
        s.pop_back();  // the newline: " ts=" goes before it
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0)
        die(path);
    std::string buf;
    buf.reserve(1 << 20);
    const int64_t start = mono_ns();
    const int64_t start_us = realtime_us();
    long long written = 0;
    while (written < total) {
        int64_t now = mono_ns();
        long long due = (long long)(double(now - start) * double(rate) / 1e9) + 1;
        if (due > total)
            due = total;
        if (due > written) {
            char ts[32];
            int tn = snprintf(ts, sizeof ts, " ts=%lld\n", (long long)realtime_us());
            buf.clear();
            for (; written < due; ++written) {
                buf += pool[size_t(written) % pool.size()];
                buf.append(ts, size_t(tn));
                if (buf.size() > (1 << 20) - 1024) {
                    write_all(fd, buf.data(), buf.size());
                    buf.clear();
                }
            }
            write_all(fd, buf.data(), buf.size());
        }
        if (written >= total)
            break;
        int64_t next = start + int64_t(double(written) * 1e9 / double(rate));
        int64_t soonest = mono_ns() + 1000000;
        if (next < soonest)
            next = soonest;
        struct timespec ts;
        ts.tv_sec = time_t(next / 1000000000);
        ts.tv_nsec = long(next % 1000000000);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
        }
    }
    const int64_t end_us = realtime_us();
    if (pid > 0)
        kill(pid_t(pid), SIGUSR1);
    close(fd);
    printf("written %lld start_us %lld end_us %lld\n", written, (long long)start_us,
           (long long)end_us);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2)
        usage();
    std::string cmd = argv[1];
    if (cmd == "lines" && argc == 3)
        return cmd_lines(parse_int(argv[2], 0, 1ll << 40));
    if (cmd == "write" && (argc == 5 || argc == 6))
        return cmd_write(argv[2], parse_int(argv[3], 1, 100000000), parse_seconds(argv[4]),
                         argc == 6 ? parse_int(argv[5], 1, 1ll << 31) : 0);
    if (cmd == "now" && argc == 2) {
        printf("%lld\n", (long long)realtime_us());
        return 0;
    }
    usage();
}
