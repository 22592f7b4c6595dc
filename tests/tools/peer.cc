// peer -- a hostile TCP receiver on 127.0.0.1 for the hardening tests,
// one behaviour per run, until killed:
//
//   peer PORT noread      accept every connection, never read, never close
//   peer PORT reset MS    accept, wait MS milliseconds without reading, then
//                         close with SO_LINGER 0: a reset, and whatever the
//                         kernel had received and acknowledged is thrown away
//   peer PORT one FILE    accept, read one line a byte at a time (nothing
//                         past its LF), append it to FILE, then close; bytes
//                         left unread make the close a reset
//
// Prints "listening" once it listens.  socat cannot do these: it reads what
// it is sent, and it half-closes (FIN) before closing.
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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: peer PORT noread | reset MS | one FILE\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);
    std::string mode = argv[2];
    if ((mode == "reset" || mode == "one") && argc < 4) {
        fprintf(stderr, "peer: %s needs an argument\n", mode.c_str());
        return 64;
    }
    int lfd = listen_on(atoi(argv[1]));
    printf("listening\n");
    fflush(stdout);
    std::vector<int> held;  // noread: kept open, never read
    for (;;) {
        int fd = accept(lfd, nullptr, nullptr);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
                continue;
            perror("peer: accept");
            return 1;
        }
        if (mode == "noread") {
            held.push_back(fd);
        } else if (mode == "reset") {
            sleep_ms(atol(argv[3]));
            close_with_reset(fd);
        } else if (mode == "one") {
            std::string line = one_line(fd);
            int out = open(argv[3], O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out < 0 || write(out, line.data(), line.size()) != ssize_t(line.size())) {
                perror(argv[3]);
                return 1;
            }
            close(out);
            close(fd);
        } else {
            fprintf(stderr, "peer: unknown mode %s\n", mode.c_str());
            return 64;
        }
    }
}
