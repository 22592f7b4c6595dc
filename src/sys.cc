// sys -- thin libc wrappers.
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sys.h"

namespace t2s {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_reload = 0;
volatile sig_atomic_t g_stats = 0;

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other)
        reset(other.release());
    return *this;
}

int Fd::release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

void Fd::reset(int fd) {
    if (fd_ >= 0)
        close(fd_);
    fd_ = fd;
}

int64_t now_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int64_t ms) {
    if (ms <= 0)
        return;
    struct timespec ts;
    ts.tv_sec = time_t(ms / 1000);
    ts.tv_nsec = long(ms % 1000) * 1000000;
    nanosleep(&ts, nullptr);  // EINTR ends the nap: the caller rechecks flags
}

std::string errno_text(int err) {
    return strerror(err);
}

static void on_signal(int sig) {
    switch (sig) {
    case SIGHUP:
        g_reload = 1;
        break;
    case SIGUSR1:
        g_stats = 1;
        break;
    default:
        g_stop = 1;
        break;
    }
}

void install_signal_handlers() {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: blocked calls return EINTR
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    sigaction(SIGUSR1, &sa, nullptr);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, nullptr);
}

}  // namespace t2s
