// daemon -- lock files, trust checks, detaching, dropping root.
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "platform.h"

#if T2S_HAVE_NO_NEW_PRIVS
#include <sys/prctl.h>
#endif

namespace t2s {

namespace {

std::string dir_of(const std::string& path) {
    std::string::size_type slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// trusted_owner -- root, we, or the --user identity we become.
bool trusted_owner(uid_t owner, uid_t also_uid) {
    return owner == 0 || owner == geteuid() || owner == getuid() ||
           (also_uid != uid_t(-1) && owner == also_uid);
}

bool set_lock(int fd, short type) {
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = type;
    lk.l_whence = SEEK_SET;
    return fcntl(fd, F_SETLK, &lk) == 0;
}

// lock_holder -- the pid of the process holding fd's file locked, as the
// kernel knows it (no race with a holder that has not written its pid
// yet); else the number at the start of the file, or 0.
long lock_holder(int fd) {
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    if (fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK && lk.l_pid > 0)
        return long(lk.l_pid);
    char text[32] = "";
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    long pid = strtol(text, nullptr, 10);
    return pid > 0 ? pid : 0;
}

// Tries at taking a lock file that its leaving holder keeps removing.
const int kLockTries = 10;

}  // namespace

int check_trusted(const std::string& path, uid_t also_uid, std::string* err) {
    std::string dir = dir_of(path);
    struct stat sb;
    if (stat(dir.c_str(), &sb) < 0) {
        *err = dir + ": " + errno_text(errno);
        return kExitCantCreate;
    }
    if (!S_ISDIR(sb.st_mode)) {
        *err = dir + ": " + errno_text(ENOTDIR);
        return kExitCantCreate;
    }
    if (!trusted_owner(sb.st_uid, also_uid)) {
        *err = path + ": directory " + dir + " belongs to another user (uid " +
               std::to_string(long(sb.st_uid)) + ")";
        return kExitCantCreate;
    }
    if (sb.st_mode & S_IWOTH) {  // sticky or not: another user may plant it
        *err = path + ": directory " + dir + " is writable by everyone";
        return kExitCantCreate;
    }
    if (lstat(path.c_str(), &sb) < 0) {
        if (errno == ENOENT)
            return 0;
        *err = path + ": " + errno_text(errno);
        return kExitCantCreate;
    }
    if (S_ISLNK(sb.st_mode)) {
        *err = path + ": is a symbolic link";
        return kExitCantCreate;
    }
    if (!S_ISREG(sb.st_mode)) {
        *err = path + ": not a regular file";
        return kExitCantCreate;
    }
    if (!trusted_owner(sb.st_uid, also_uid)) {
        *err = path + ": belongs to another user (uid " + std::to_string(long(sb.st_uid)) +
               ")";
        return kExitCantCreate;
    }
    if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
        *err = path + ": writable by group or others";
        return kExitCantCreate;
    }
    return 0;
}

LockFile::~LockFile() {
    if (!fd_.valid())
        return;
    if (remove_ && unlink(path_.c_str()) == 0)
        return;
    // Kept (STATE.lock), or not removable (under --user, in root's
    // directory): it must name no process once we are gone.
    if (ftruncate(fd_.get(), 0) < 0) {
        // nothing more to do: the lock, not the contents, tells liveness
    }
}

int LockFile::lock(const std::string& path, bool remove, std::string* err) {
    holder_ = 0;
    for (int tries = 0; tries < kLockTries; ++tries) {
        int f = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                     0644);
        if (f < 0) {
            *err = path + ": " + (errno == ELOOP ? std::string("is a symbolic link")
                                                  : errno_text(errno));
            return kExitCantCreate;
        }
        Fd owned(f);
        struct stat sb;
        if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
            *err = path + ": not a plain file (a FIFO, a device or a hard link)";
            return kExitCantCreate;
        }
        if (!set_lock(f, F_WRLCK)) {
            holder_ = lock_holder(f);
            *err = path + ": in use by pid " + std::to_string(holder_);
            return kExitTempFail;
        }
        // Ours, unless its holder removed it on the way out between our
        // open and our lock: then lock what is at the path now.
        struct stat now;
        if (stat(path.c_str(), &now) < 0 || now.st_dev != sb.st_dev ||
            now.st_ino != sb.st_ino)
            continue;
        fd_ = std::move(owned);
        path_ = path;
        remove_ = remove;
        return 0;
    }
    *err = path + ": replaced again and again while we tried to lock it";
    return kExitTempFail;
}

int LockFile::write_pid(std::string* err) {
    if (!fd_.valid())
        return 0;
    std::string text = std::to_string(long(getpid())) + "\n";
    if (ftruncate(fd_.get(), 0) < 0 ||
        pwrite(fd_.get(), text.data(), text.size(), 0) != ssize_t(text.size())) {
        *err = path_ + ": " + errno_text(errno);
        return kExitCantCreate;
    }
    return 0;
}

void LockFile::unlock() {
    if (fd_.valid())
        set_lock(fd_.get(), F_UNLCK);
}

int LockFile::relock(std::string* err) {
    if (!fd_.valid())
        return 0;
    for (int i = 0; i < 200; ++i) {
        if (set_lock(fd_.get(), F_WRLCK))
            return 0;
        sleep_ms(10);
    }
    holder_ = lock_holder(fd_.get());
    fd_.reset();  // not ours to remove or empty
    *err = path_ + ": taken by pid " + std::to_string(holder_) + " while we started";
    return kExitTempFail;
}

void LockFile::forget() {
    fd_.reset();
    path_.clear();
}

std::string lock_path(const std::string& state_path) {
    return state_path + ".lock";
}

pid_t Detach::start(std::string* err) {
    int p[2];
    if (pipe(p) < 0) {
        *err = "pipe: " + errno_text(errno);
        return -1;
    }
    read_.reset(p[0]);
    write_.reset(p[1]);
    fcntl(p[0], F_SETFD, FD_CLOEXEC);  // not for logger children
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        *err = "fork: " + errno_text(errno);
        return -1;
    }
    if (pid > 0) {
        child_ = pid;
        write_.reset();  // so that the child's end alone keeps the pipe open
        return pid;
    }
    read_.reset();
    return 0;
}

int Detach::wait(std::string* msg) {
    msg->clear();
    std::string word;
    char buf[512];
    for (;;) {
        ssize_t n = read(read_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        word.append(buf, size_t(n));
        if (word.back() == '\n')
            break;
    }
    if (!word.empty() && word.back() == '\n') {
        *msg = word.substr(1, word.size() - 2);
        return static_cast<unsigned char>(word[0]);
    }
    // No word: the child died during its start-up.
    int status = 0;
    while (waitpid(child_, &status, 0) < 0) {
        if (errno != EINTR) {
            *msg = "daemon: " + errno_text(errno);
            return kExitOsErr;
        }
    }
    if (WIFSIGNALED(status)) {
        *msg = std::string("daemon killed by signal ") + strsignal(WTERMSIG(status)) +
               " while starting";
        return 1;
    }
    int code = WEXITSTATUS(status);
    if (code != 0)
        *msg = "daemon exited with status " + std::to_string(code) + " while starting";
    return code;
}

int Detach::detach(const char* dir, std::string* err) {
    setsid();
    if (chdir(dir) < 0) {
        *err = std::string(dir) + ": " + errno_text(errno);
        return kExitOsErr;
    }
    int null = open("/dev/null", O_RDWR);
    if (null < 0) {
        *err = "/dev/null: " + errno_text(errno);
        return kExitOsErr;
    }
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO)
        close(null);
    return 0;
}

void Detach::tell(int code, const std::string& msg) {
    if (!write_.valid())
        return;
    std::string word = char(code & 0xff) + msg + "\n";
    ssize_t n;
    do
        n = write(write_.get(), word.data(), word.size());
    while (n < 0 && errno == EINTR);
    write_.reset();  // the parent reads EOF after the word
}

int drop_privileges(const std::string& name, std::string* err) {
    errno = 0;
    struct passwd* pw = getpwnam(name.c_str());
    if (!pw) {
        *err = "unknown user " + name;
        return kExitUsage;
    }
    if (getuid() != 0 && geteuid() != 0) {
        if (pw->pw_uid != getuid()) {
            *err = "--user needs root";
            return kExitUsage;
        }
    } else if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
               setuid(pw->pw_uid) < 0) {
        *err = "cannot become " + name + ": " + errno_text(errno);
        return kExitOsErr;
    } else if (pw->pw_uid != 0 && setuid(0) == 0) {  // must be impossible now
        *err = "cannot drop root";
        return kExitOsErr;
    }
#if T2S_HAVE_NO_NEW_PRIVS
    // No set-user-ID program run later (logger) can give root back.
    // EINVAL: a kernel older than 3.5, which has no such flag.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 && errno != EINVAL) {
        *err = "no_new_privs: " + errno_text(errno);
        return kExitOsErr;
    }
#endif
    return 0;
}

uid_t user_uid(const std::string& name) {
    struct passwd* pw = name.empty() ? nullptr : getpwnam(name.c_str());
    return pw ? pw->pw_uid : uid_t(-1);
}

}  // namespace t2s
