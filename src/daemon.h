// daemon -- running as a service: the files we lock (the --pidfile, and
// STATE.lock beside the --state file), the trust checks on every file we
// write and read back, detaching with --daemon, and dropping root with
// --user.
//
// Cases the lock handles (LockFile::lock):
// | what is at the path                       | action                       |
// |-------------------------------------------|------------------------------|
// | nothing                                   | create (0644), lock, ours    |
// | a file nobody holds locked (a stale one)  | lock, ours: take it over     |
// | a file another process holds locked       | exit 75, its pid in holder() |
// | a symbolic link, FIFO, device, hard link  | refuse, exit 73              |
// | a file removed or replaced while we took  | try again with the new one   |
// |   its lock (its holder was leaving)       |                              |
// Liveness is the lock, never the pid written in the file.
#ifndef T2S_DAEMON_H
#define T2S_DAEMON_H

#include <sys/types.h>

#include <string>

#include "sys.h"

namespace t2s {

// check_trusted -- refuses a file we write and read back (state, pid, lock)
// where another user could have planted it or could swap it.  Its directory
// must belong to root, to us or to also_uid, and not be writable by others
// (sticky or not: /tmp is refused); the file, if there is one, must be a
// regular file owned likewise and not writable by group or others.
// also_uid: the --user identity, or (uid_t)-1.  Returns 0, or 73 with *err.
int check_trusted(const std::string& path, uid_t also_uid, std::string* err);

// LockFile -- a file created and locked with fcntl(2) for as long as we
// run, holding our pid.  Removed at exit when asked, and we can; else, if
// it was ours, emptied (so that it names no process).
class LockFile {
public:
    LockFile() = default;
    LockFile(const LockFile&) = delete;
    LockFile& operator=(const LockFile&) = delete;
    ~LockFile();

    // lock -- opens (never through a symbolic link) or creates path and
    // locks it.  remove: unlink it when we are done.  Returns 0; 75 when
    // another process holds it (its pid in holder()); 73 with *err when it
    // cannot be used.
    int lock(const std::string& path, bool remove, std::string* err);
    // holder -- after lock() returned 75: the holder's pid, as fcntl(2)
    // F_GETLK tells it, else as it wrote it in the file; 0 if unknown.
    long holder() const { return holder_; }
    // write_pid -- our pid, replacing the contents.  Returns 0 or 73.
    int write_pid(std::string* err);
    // unlock -- lets go of the lock but keeps the file: the parent of a
    // daemon, for its child, which does not inherit fcntl(2) locks.
    void unlock();
    // relock -- in that child: takes the lock again once the parent has let
    // go, within two seconds.  Returns 0, or 75 with *err.
    int relock(std::string* err);
    // forget -- leaves the file alone from now on (the parent of a daemon).
    void forget();
    bool held() const { return fd_.valid(); }
    const std::string& path() const { return path_; }

private:
    Fd fd_;
    std::string path_;
    bool remove_ = false;
    long holder_ = 0;
};

// lock_path -- the companion lock file of a state file: STATE.lock.  The
// state file itself is replaced by rename(2) at every save, and reading it
// (open, close) would drop an fcntl(2) lock on it, so a lock there would
// not last; this file is never replaced, read or removed while we run.
std::string lock_path(const std::string& state_path);

// Detach -- the --daemon handshake.  The parent forks and waits; the child
// sets itself up and then tells the parent how its start-up ended, with
// an exit status and a message, over a pipe.
class Detach {
public:
    Detach() = default;
    Detach(const Detach&) = delete;
    Detach& operator=(const Detach&) = delete;

    // start -- forks.  Returns the child's pid in the parent, 0 in the
    // child, -1 with *err (exit status 71).
    pid_t start(std::string* err);
    // wait -- in the parent: the child's word: 0 once it is running, else
    // the exit status it reported, its message in *msg.  A child that ends
    // without a word gives its own exit status (1 if a signal killed it).
    int wait(std::string* msg);
    // detach -- in the child: a new session, dir as working directory,
    // standard streams on /dev/null.  Returns 0, or 71 with *err.
    int detach(const char* dir, std::string* err);
    // ready, failed -- in the child: its word to the parent, said once;
    // nothing when there was no start() (the foreground).
    void ready() { tell(0, ""); }
    void failed(int code, const std::string& msg) { tell(code, msg); }

private:
    void tell(int code, const std::string& msg);

    Fd read_;
    Fd write_;
    pid_t child_ = -1;
};

// drop_privileges -- --user: become that user, with its groups, for good,
// and on Linux forbid gaining privileges again (PR_SET_NO_NEW_PRIVS).
// Returns 0, or 64 (unknown user, not root) or 71 with *err.
int drop_privileges(const std::string& name, std::string* err);

// user_uid -- the uid of the user called name, or (uid_t)-1.
uid_t user_uid(const std::string& name);

}  // namespace t2s

#endif
