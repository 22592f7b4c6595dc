// bare -- the benchmark's reference sender: the least a forwarder has to
// do.  Reads FILE in large blocks, puts one fixed RFC 3164 header before
// each line and sends the lines as fast as the socket takes them: batches
// of datagrams with sendmmsg(2) where there is one, else send(2) each;
// large write(2)s of newline-framed lines over TCP.  It does not follow the
// file, so it ends at end of file.  Its figures say what the sink accepts.
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
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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

const unsigned kBatch = 64;

// Sender -- one connected socket; datagrams are queued and sent in batches.
class Sender {
public:
    Sender(int fd, bool stream) : fd_(fd), stream_(stream) {
        out_.reserve(kOut + 70000);
        msgs_.reserve(kBatch);
    }

    // add -- queues header + line as one message; sends when a batch is full.
    void add(const std::string& header, const char* line, size_t len) {
        if (stream_) {
            out_.append(header);
            out_.append(line, len);
            out_.push_back('\n');
            if (out_.size() >= kOut)
                flush();
            return;
        }
        msgs_.push_back(out_.size());
        out_.append(header);
        out_.append(line, len);
        if (msgs_.size() == kBatch)
            flush();
    }

    void flush() {
        if (stream_)
            write_stream();
        else
            send_batch();
        out_.clear();
        msgs_.clear();
    }

private:
    static const size_t kOut = 256 * 1024;

    void write_stream() {
        const char* p = out_.data();
        size_t n = out_.size();
        while (n > 0) {
            ssize_t w = write(fd_, p, n);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                die("write");
            }
            p += w;
            n -= size_t(w);
        }
    }

    // A datagram refused (ICMP port unreachable, no buffer) is lost, as it
    // would be for any UDP sender; only the count at the sink matters.
    void send_batch() {
        size_t n = msgs_.size();
#ifdef __linux__
        struct mmsghdr mm[kBatch];
        struct iovec iov[kBatch];
        for (size_t i = 0; i < n; ++i) {
            size_t end = i + 1 < n ? msgs_[i + 1] : out_.size();
            iov[i].iov_base = &out_[msgs_[i]];
            iov[i].iov_len = end - msgs_[i];
            memset(&mm[i].msg_hdr, 0, sizeof mm[i].msg_hdr);
            mm[i].msg_hdr.msg_iov = &iov[i];
            mm[i].msg_hdr.msg_iovlen = 1;
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
            size_t end = i + 1 < n ? msgs_[i + 1] : out_.size();
            while (send(fd_, &out_[msgs_[i]], end - msgs_[i], 0) < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == ECONNREFUSED || errno == ENOBUFS)
                    break;
                die("send");
            }
        }
#endif
    }

    int fd_;
    bool stream_;
    std::string out_;
    std::vector<size_t> msgs_;
};

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
