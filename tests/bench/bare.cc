// bare -- the benchmark's reference sender: the least a forwarder has to
// do, done as well as a minimal sender can.  Reads FILE in large blocks and
// sends each line behind one fixed RFC 3164 header, without copying it:
// every message is two iovecs, the header and the line where it lies in the
// read buffer.  Datagrams go 256 to a sendmmsg(2) where there is one, else
// one sendmsg(2) each; a stream goes by writev(2) of up to IOV_MAX iovecs
// (header, line, LF); the send buffer is as large as the kernel allows.  It
// does not follow the file, so it ends at end of file.  Its figures say
// what the sink accepts.
//
//   bare udp|tcp PORT FILE        to 127.0.0.1:PORT
//   bare unix PATH FILE           to a UNIX-domain datagram socket
//
// At the end it prints what it cost, from getrusage(2):
//
//   cpu_s SECONDS maxrss_kb KILOBYTES
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

[[noreturn]] void usage() {
    fprintf(stderr, "usage: bare udp|tcp PORT FILE | bare unix PATH FILE\n");
    exit(64);
}

[[noreturn]] void die(const char* what) {
    fprintf(stderr, "bare: %s: %s\n", what, strerror(errno));
    exit(71);
}

const unsigned kBatch = 256;  // datagrams per sendmmsg
#ifdef IOV_MAX
const unsigned kIovMax = IOV_MAX < 1024 ? IOV_MAX : 1024;
#else
const unsigned kIovMax = 16;  // the least POSIX allows
#endif

// Sender -- one connected socket.  add() queues a message as iovecs into
// the caller's buffer, which must stay put until flush(): the read loop
// flushes before it moves or refills its buffer.
class Sender {
public:
    Sender(int fd, bool stream) : fd_(fd), stream_(stream) {
        iov_.reserve(stream ? kIovMax : 2 * kBatch);
    }

    void add(const std::string& header, const char* line, size_t len) {
        if (stream_) {
            if (iov_.size() + 3 > kIovMax)
                flush();
            push(header.data(), header.size());
            push(line, len);
            push("\n", 1);
            return;
        }
        push(header.data(), header.size());
        push(line, len);
        if (iov_.size() == 2 * kBatch)
            flush();
    }

    void flush() {
        if (stream_)
            write_stream();
        else
            send_batch();
        iov_.clear();
    }

private:
    void push(const char* p, size_t n) {
        struct iovec v;
        v.iov_base = const_cast<char*>(p);
        v.iov_len = n;
        iov_.push_back(v);
    }

    void write_stream() {
        struct iovec* v = iov_.data();
        size_t left = iov_.size();
        while (left > 0) {
            ssize_t w = writev(fd_, v, int(left));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                die("writev");
            }
            size_t done = size_t(w);
            while (left > 0 && done >= v->iov_len) {
                done -= v->iov_len;
                ++v;
                --left;
            }
            if (left > 0) {
                v->iov_base = static_cast<char*>(v->iov_base) + done;
                v->iov_len -= done;
            }
        }
    }

    // A datagram refused (ICMP port unreachable, no buffer) is lost, as it
    // would be for any UDP sender; only the count at the sink matters.
    void send_batch() {
        size_t n = iov_.size() / 2;
#ifdef __linux__
        struct mmsghdr mm[kBatch];
        for (size_t i = 0; i < n; ++i) {
            memset(&mm[i].msg_hdr, 0, sizeof mm[i].msg_hdr);
            mm[i].msg_hdr.msg_iov = &iov_[2 * i];
            mm[i].msg_hdr.msg_iovlen = 2;
        }
        size_t done = 0;
        while (done < n) {
            int r = sendmmsg(fd_, mm + done, unsigned(n - done), 0);
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == ECONNREFUSED || errno == ENOBUFS) {
                    ++done;  // this one is lost; go on with the next
                    continue;
                }
                die("sendmmsg");
            }
            done += size_t(r);
        }
#else
        for (size_t i = 0; i < n; ++i) {
            struct msghdr mh;
            memset(&mh, 0, sizeof mh);
            mh.msg_iov = &iov_[2 * i];
            mh.msg_iovlen = 2;
            while (sendmsg(fd_, &mh, 0) < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == ECONNREFUSED || errno == ENOBUFS)
                    break;
                die("sendmsg");
            }
        }
#endif
    }

    int fd_;
    bool stream_;
    std::vector<struct iovec> iov_;
};

// big_sndbuf -- as large a send buffer as the kernel grants us.
void big_sndbuf(int fd) {
    for (int size = 32 << 20; size >= 64 << 10; size /= 2)
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == 0)
            return;
}

int connect_to(const std::string& kind, const char* where) {
    if (kind == "unix") {
        struct sockaddr_un sun;
        memset(&sun, 0, sizeof sun);
        sun.sun_family = AF_UNIX;
        if (strlen(where) >= sizeof sun.sun_path)
            usage();
        strcpy(sun.sun_path, where);
        int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0 || connect(fd, reinterpret_cast<struct sockaddr*>(&sun), sizeof sun) < 0)
            die(where);
        big_sndbuf(fd);
        return fd;
    }
    char* end = nullptr;
    long port = strtol(where, &end, 10);
    if (end == where || *end != '\0' || port < 1 || port > 65535)
        usage();
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(uint16_t(port));
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, kind == "tcp" ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<struct sockaddr*>(&sin), sizeof sin) < 0)
        die("connect");
    big_sndbuf(fd);
    return fd;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4)
        usage();
    std::string kind = argv[1];
    if (kind != "udp" && kind != "tcp" && kind != "unix")
        usage();
    signal(SIGPIPE, SIG_IGN);
    int in = open(argv[3], O_RDONLY);
    if (in < 0)
        die(argv[3]);
    Sender out(connect_to(kind, argv[2]), kind == "tcp");

    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    char stamp[32];
    time_t now = time(nullptr);
    strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", localtime(&now));
    std::string header = std::string("<13>") + stamp + " " + host + " bench: ";

    std::vector<char> buf(1 << 20);
    size_t have = 0;
    for (;;) {
        ssize_t n = read(in, buf.data() + have, buf.size() - have);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("read");
        }
        if (n == 0)
            break;
        have += size_t(n);
        const char* p = buf.data();
        const char* end = p + have;
        for (;;) {
            const char* nl = static_cast<const char*>(memchr(p, '\n', size_t(end - p)));
            if (!nl)
                break;
            out.add(header, p, size_t(nl - p));
            p = nl + 1;
        }
        out.flush();  // the iovecs point into buf
        have = size_t(end - p);
        if (have == buf.size())
            have = 0;  // a line longer than the buffer: not in our files
        memmove(buf.data(), p, have);
    }
    out.flush();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("cpu_s %.3f maxrss_kb %ld\n",
           double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
           long(ru.ru_maxrss));
    return 0;
}
