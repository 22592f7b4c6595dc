// writer -- a log writer for the follow tests: appends numbered lines at a
// steady rate and rotates the file the way log rotators do.
//
//   writer PATH RATE SECONDS MODE [EVERY_MS]
//
// MODE is one of
//   none          just append
//   rename        rename PATH to PATH.N, keep writing to the old descriptor
//                 for a few ms (as a daemon does until signalled), reopen
//   delete        unlink PATH, likewise keep writing a few ms, recreate
//   symlink       PATH is a symlink, re-pointed between two files
//   copytruncate  copy PATH to PATH.N, then truncate PATH
// Lines read "seq NNNNNNNN <padding>".  Prints "written N" and, for
// copytruncate, "at-risk K": lines written between a copy and its truncate.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <string>

namespace {

long long now_ns() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int open_append(const std::string& path) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        perror(path.c_str());
        exit(1);
    }
    return fd;
}

void put_line(int fd, long seq) {
    char line[160];
    int n = snprintf(line, sizeof line,
                     "seq %08ld qname=www.example.com. qtype=A client=192.0.2.7:53124\n", seq);
    if (write(fd, line, size_t(n)) != n) {
        perror("write");
        exit(1);
    }
}

void copy_file(const std::string& from, const std::string& to) {
    int in = open(from.c_str(), O_RDONLY);
    int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, size_t(n)) != n)
            exit(1);
    close(in);
    close(out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: writer PATH RATE SECONDS MODE [EVERY_MS]\n");
        return 64;
    }
    std::string path = argv[1], mode = argv[4];
    long rate = atol(argv[2]);
    double seconds = atof(argv[3]);
    long every_ms = argc > 5 ? atol(argv[5]) : 1000;
    const long long grace_ns = 5 * 1000000LL;  // old descriptor used this long
    long total = long(rate * seconds), at_risk = 0;
    int rotations = 0;
    std::string target = path;
    if (mode == "symlink") {
        target = path + ".a";
        unlink(path.c_str());
        if (symlink(target.c_str(), path.c_str()) < 0) {
            perror("symlink");
            return 1;
        }
    }
    int fd = open_append(target);
    int old_fd = -1;
    long long start = now_ns(), old_until = 0;
    long long next_rotation = start + every_ms * 1000000LL;
    for (long seq = 0; seq < total; ++seq) {
        long long due = start + (long long)(seq * (1e9 / double(rate)));
        long long now;
        while ((now = now_ns()) < due) {
            struct timespec nap = {0, (long)(due - now > 200000 ? 200000 : due - now)};
            nanosleep(&nap, nullptr);
        }
        if (old_fd >= 0 && now >= old_until) {
            close(old_fd);  // the daemon was "signalled": reopen by name
            old_fd = -1;
            fd = open_append(target);
        }
        if (mode != "none" && now >= next_rotation && old_fd < 0) {
            next_rotation += every_ms * 1000000LL;
            ++rotations;
            std::string rotated = path + "." + std::to_string(rotations);
            if (mode == "rename" || mode == "delete") {
                if (mode == "rename")
                    rename(path.c_str(), rotated.c_str());
                else
                    unlink(path.c_str());
                old_fd = fd;  // keep writing there for a moment
                old_until = now + grace_ns;
            } else if (mode == "symlink") {
                target = path + (rotations % 2 ? ".b" : ".a");
                std::string tmp = path + ".tmp";
                unlink(tmp.c_str());
                if (symlink(target.c_str(), tmp.c_str()) < 0 ||
                    rename(tmp.c_str(), path.c_str()) < 0) {
                    perror("re-point");
                    return 1;
                }
                old_fd = fd;
                old_until = now + grace_ns;
            } else if (mode == "copytruncate") {
                copy_file(path, rotated);
                // Lines written between the copy and the truncate, as a
                // busy daemon does while logrotate works, are lost to all.
                for (int i = 0; i < 10 && seq + 1 < total; ++i, ++at_risk)
                    put_line(fd, seq++);
                if (ftruncate(fd, 0) < 0) {
                    perror("ftruncate");
                    return 1;
                }
            }
        }
        put_line(old_fd >= 0 ? old_fd : fd, seq);
    }
    if (old_fd >= 0)
        close(old_fd);
    close(fd);
    printf("written %ld\nrotations %d\nat-risk %ld\n", total, rotations, at_risk);
    return 0;
}
