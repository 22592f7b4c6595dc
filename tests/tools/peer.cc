// peer -- a hostile TCP receiver on 127.0.0.1 for the hardening tests,
// one behaviour per run, until killed:
//
//   peer PORT noread      accept every connection, never read, never close
//   peer PORT reset MS    accept, wait MS milliseconds without reading, then
//                         close with SO_LINGER 0: a reset, and whatever the
//                         kernel had received and acknowledged is thrown away
//   peer PORT one FILE    accept, read one line a byte at a time (nothing
//                         past its LF), close, then append the line to FILE:
//                         whoever waits for it there finds the connection
//                         over (a line sent on it meanwhile would lie
//                         unread and make the close a reset, as with a
//                         receiver that read it and died)
//   peer PORT drop FILE   on the first connection, read one line and close
//                         without keeping it: a receiver killed after it
//                         read a line and before it wrote it, nothing left
//                         unread, which its kernel closes in order (FIN);
//                         read every later one to its end, appending what
//                         comes to FILE
//   peer PORT pause MS BYTES COUNT DIR [DOWN]
//                         accept one connection at a time and write what it
//                         reads to DIR/conn.K (K = 1, 2, ...); on each of
//                         the first COUNT connections, once BYTES bytes came,
//                         stop reading for MS milliseconds, then reset (a
//                         hung receiver, or one shutting down) and, with
//                         DOWN, stop listening for DOWN milliseconds (it
//                         restarts); later ones are read to their end.
//                         Reads are small and odd sized, so that a pause
//                         falls inside a message.
//
// Prints "listening" once it listens.  socat cannot do these: it reads what
// it is sent, and it half-closes (FIN) before closing.
//
//   peer frames lf|octet FILE...
//                         checks the framing of what one connection carried
//                         (a DIR/conn.K of pause): each FILE must hold
//                         whole RFC 3164 messages from its first byte on,
//                         LF-terminated or octet-counted (RFC 6587); only
//                         the last may be cut short (the connection broke).
//                         Prints each message as a record line like the
//                         scenarios' receiver, "PRI HOST TAG - - MSG" with
//                         TABs; every defect goes to standard error, naming
//                         the file and the byte offset, and makes the exit
//                         status 1.  It stops reading a file at its first
//                         defect: after a framing error nothing is certain.
#include <sys/socket.h>
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

int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(uint16_t(port));
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<struct sockaddr*>(&sin), sizeof sin) < 0 ||
        listen(fd, 64) < 0) {
        perror("peer: bind");
        exit(1);
    }
    return fd;
}

void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

void close_with_reset(int fd) {
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

// one_line -- reads up to and including a LF, a byte at a time.
std::string one_line(int fd) {
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1) {
        line += c;
        if (c == '\n')
            break;
    }
    return line;
}

// keep_all -- reads fd to its end, appending what comes to path.
void keep_all(int fd, const char* path) {
    int out = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out < 0) {
        perror(path);
        exit(1);
    }
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(out, buf, size_t(n)) != n) {
            perror(path);
            exit(1);
        }
    close(out);
    close(fd);
}

// pause_then_reset -- the pause mode on one connection, number k.
void pause_then_reset(int fd, int k, long ms, long bytes, int count, const char* dir) {
    std::string path = std::string(dir) + "/conn." + std::to_string(k);
    int out = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        perror(path.c_str());
        exit(1);
    }
    static const size_t sizes[] = {97, 311, 1013, 7, 4099};
    char buf[4099];
    long total = 0;
    for (size_t i = 0;; ++i) {
        bool pausing = k <= count && total >= bytes;
        if (pausing) {
            sleep_ms(ms);
            close(out);
            close_with_reset(fd);
            return;
        }
        ssize_t n = read(fd, buf, sizes[i % 5]);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (write(out, buf, size_t(n)) != n) {
            perror(path.c_str());
            exit(1);
        }
        total += n;
    }
    close(out);
    close(fd);
}

// Frames -- the checker of "peer frames": one file's frames in turn.
struct Frames {
    std::string text;  // the whole file
    size_t at = 0;     // where the next frame begins
    bool octet;
    const char* name;
    int bad = 0;

    // defect -- reports a defect at offset where; ends the file
    void defect(size_t where, const char* what) {
        fprintf(stderr, "%s: byte %zu: %s: \"%.40s\"\n", name, where, what,
                text.c_str() + where);
        ++bad;
        at = text.size();
    }

    // next -- the next whole message in *msg; false at the end of the file
    // or at a defect
    bool next(std::string* msg) {
        if (at >= text.size())
            return false;
        size_t start = at;
        if (!octet) {
            size_t lf = text.find('\n', at);
            if (lf == std::string::npos) {
                at = text.size();  // cut short: the last one only
                fprintf(stderr, "%s: byte %zu: last message cut short\n", name, start);
                return false;
            }
            *msg = text.substr(at, lf - at);
            at = lf + 1;
            return true;
        }
        size_t len = 0, p = at;
        while (p < text.size() && text[p] >= '0' && text[p] <= '9' && p - at < 7)
            len = len * 10 + size_t(text[p++] - '0');
        if (p == text.size()) {
            at = p;
            fprintf(stderr, "%s: byte %zu: last frame cut short\n", name, start);
            return false;
        }
        if (p == at || text[p] != ' ' || len == 0) {
            defect(start, "no octet count");
            return false;
        }
        if (p + 1 + len > text.size()) {
            at = text.size();
            fprintf(stderr, "%s: byte %zu: last frame cut short\n", name, start);
            return false;
        }
        *msg = text.substr(p + 1, len);
        at = p + 1 + len;
        return true;
    }
};

// record -- "PRI HOST TAG - - MSG" (TABs) of an RFC 3164 message, or ""
// when it is not one: "<PRI>Mmm dd hh:mm:ss HOST TAG: MSG"
std::string record(const std::string& m) {
    size_t gt = m.find('>');
    if (m.empty() || m[0] != '<' || gt == std::string::npos || gt < 2 || gt > 4)
        return "";
    for (size_t i = 1; i < gt; ++i)
        if (m[i] < '0' || m[i] > '9')
            return "";
    std::string pri = m.substr(1, gt - 1);
    if (atoi(pri.c_str()) > 191)
        return "";
    size_t p = gt + 1 + 15;  // the timestamp
    if (m.size() < p + 1 || m[p] != ' ' || m[gt + 4] != ' ' || m[gt + 10] != ':')
        return "";
    size_t host_end = m.find(' ', p + 1);
    if (host_end == std::string::npos)
        return "";
    size_t tag_end = m.find(": ", host_end + 1);
    if (tag_end == std::string::npos || tag_end == host_end + 1)
        return "";
    std::string tag = m.substr(host_end + 1, tag_end - host_end - 1);
    if (tag.find(' ') != std::string::npos)
        return "";
    return pri + "\t" + m.substr(p + 1, host_end - p - 1) + "\t" + tag + "\t-\t-\t" +
           m.substr(tag_end + 2);
}

// check_frames -- "peer frames lf|octet FILE..."; see the top
int check_frames(int argc, char** argv) {
    if (argc < 4 || (strcmp(argv[2], "lf") != 0 && strcmp(argv[2], "octet") != 0)) {
        fprintf(stderr, "usage: peer frames lf|octet FILE...\n");
        return 64;
    }
    int bad = 0;
    for (int i = 3; i < argc; ++i) {
        Frames f;
        f.octet = strcmp(argv[2], "octet") == 0;
        f.name = argv[i];
        FILE* in = fopen(argv[i], "rb");
        if (!in) {
            perror(argv[i]);
            return 66;
        }
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            f.text.append(buf, n);
        fclose(in);
        std::string msg;
        for (size_t start = f.at; f.next(&msg); start = f.at) {
            std::string rec = record(msg);
            if (rec.empty()) {
                f.defect(start, "not an RFC 3164 message");
                break;
            }
            printf("%s\n", rec.c_str());
        }
        bad += f.bad;
    }
    return bad > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "frames") == 0)
        return check_frames(argc, argv);
    if (argc < 3) {
        fprintf(stderr, "usage: peer PORT noread | reset MS | one FILE | drop FILE | "
                        "pause MS BYTES COUNT DIR [DOWN]\n"
                        "       peer frames lf|octet FILE...\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);
    std::string mode = argv[2];
    if ((mode == "reset" || mode == "one" || mode == "drop") && argc < 4) {
        fprintf(stderr, "peer: %s needs an argument\n", mode.c_str());
        return 64;
    }
    if (mode == "pause" && argc < 7) {
        fprintf(stderr, "peer: pause needs MS BYTES COUNT DIR\n");
        return 64;
    }
    int lfd = listen_on(atoi(argv[1]));
    printf("listening\n");
    fflush(stdout);
    std::vector<int> held;  // noread: kept open, never read
    int accepted = 0;
    for (;;) {
        int fd = accept(lfd, nullptr, nullptr);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
                continue;
            perror("peer: accept");
            return 1;
        }
        ++accepted;
        if (mode == "noread") {
            held.push_back(fd);
        } else if (mode == "reset") {
            sleep_ms(atol(argv[3]));
            close_with_reset(fd);
        } else if (mode == "pause") {
            pause_then_reset(fd, accepted, atol(argv[3]), atol(argv[4]), atoi(argv[5]),
                             argv[6]);
            if (accepted <= atoi(argv[5]) && argc > 7 && atol(argv[7]) > 0) {
                close(lfd);  // down: connections are refused meanwhile
                sleep_ms(atol(argv[7]));
                lfd = listen_on(atoi(argv[1]));
            }
        } else if (mode == "drop" && accepted == 1) {
            one_line(fd);
            close(fd);
        } else if (mode == "drop") {
            keep_all(fd, argv[3]);
        } else if (mode == "one") {
            std::string line = one_line(fd);
            close(fd);
            int out = open(argv[3], O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out < 0 || write(out, line.data(), line.size()) != ssize_t(line.size())) {
                perror(argv[3]);
                return 1;
            }
            close(out);
        } else {
            fprintf(stderr, "peer: unknown mode %s\n", mode.c_str());
            return 64;
        }
    }
}
