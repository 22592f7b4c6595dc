// sys -- thin libc wrappers: an owning file descriptor, clocks, errno text.
#ifndef T2S_SYS_H
#define T2S_SYS_H

#include <signal.h>

#include <cstdint>
#include <string>

namespace t2s {

// Exit statuses, from sysexits(3); the manual lists them under EXIT STATUS.
enum ExitStatus {
    kExitUsage = 64,        // bad option or value
    kExitNoInput = 66,      // input unreadable
    kExitNoHost = 68,       // host name unknown
    kExitUnavailable = 69,  // no syslog socket, no logger
    kExitOsErr = 71,        // fork, pipe, socket failed
    kExitCantCreate = 73,   // state or pid file
    kExitIoErr = 74,        // writing standard output
    kExitTempFail = 75,     // destination down, another instance running
    kExitProtocol = 76,     // the server refused a message (RELP)
};

// Fd owns one file descriptor and closes it when it goes out of scope.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    // release -- gives up ownership and returns the descriptor.
    int release();
    // reset -- closes the held descriptor, if any, and holds fd instead.
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// Monotonic time in milliseconds, for timers and backoff.
int64_t now_ms();

// sleep_ms -- sleeps, but returns early when a signal arrives.
void sleep_ms(int64_t ms);

// errno_text -- strerror(err), for messages in the BSD style.
std::string errno_text(int err);

// The flags the signal handlers set; the only global mutable state.
extern volatile sig_atomic_t g_stop;      // TERM, INT: finish and exit
extern volatile sig_atomic_t g_reload;    // HUP: reopen everything
extern volatile sig_atomic_t g_stats;     // USR1: report statistics

// install_signal_handlers -- TERM, INT, HUP, USR1 set the flags above, without
// SA_RESTART so that a blocked read or send returns EINTR; SIGPIPE is ignored.
void install_signal_handlers();

}  // namespace t2s

#endif
