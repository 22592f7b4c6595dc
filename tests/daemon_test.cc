// daemon_test -- the trust checks, the lock files between processes, and
// the --daemon handshake (each over real files and real forks).
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "daemon.h"
#include "test_files.h"

namespace t2s {

namespace {

// TempDir -- a private directory (mode 0700), removed with what it holds.
struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/t2s-daemon.XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::string cmd = "rm -rf '" + path + "'";
        if (system(cmd.c_str()) != 0) {
            // left behind in /tmp: nothing else to do
        }
    }
    std::string operator/(const char* name) const { return path + "/" + name; }
};

void write_file(const std::string& path, const char* text, mode_t mode) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    REQUIRE(fd >= 0);
    ssize_t n = write(fd, text, strlen(text));
    CHECK(n == ssize_t(strlen(text)));
    close(fd);
    chmod(path.c_str(), mode);
}

std::string read_file(const std::string& path) {
    return file_bytes(path, "(none)");
}

// exit_status -- waits for pid; its exit status, or 128 + the signal.
int exit_status(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const uid_t kNoUser = uid_t(-1);

}  // namespace

TEST_CASE("check_trusted: a private directory, a missing or private file") {
    TempDir dir;
    std::string err;
    CHECK(check_trusted(dir / "state", kNoUser, &err) == 0);
    write_file(dir / "state", "x", 0600);
    CHECK(check_trusted(dir / "state", kNoUser, &err) == 0);
    write_file(dir / "pid", "1\n", 0644);
    CHECK(check_trusted(dir / "pid", kNoUser, &err) == 0);
}

TEST_CASE("check_trusted: a file writable by group or others is refused") {
    TempDir dir;
    std::string err;
    write_file(dir / "state", "x", 0620);
    CHECK(check_trusted(dir / "state", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "state" + ": writable by group or others");
    chmod((dir / "state").c_str(), 0602);
    CHECK(check_trusted(dir / "state", kNoUser, &err) == kExitCantCreate);
}

TEST_CASE("check_trusted: a directory writable by others is refused, sticky or not") {
    TempDir dir;
    std::string err;
    chmod(dir.path.c_str(), 0777);
    CHECK(check_trusted(dir / "pid", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "pid" + ": directory " + dir.path + " is writable by everyone");
    chmod(dir.path.c_str(), 01777);  // like /tmp
    err.clear();
    CHECK(check_trusted(dir / "pid", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "pid" + ": directory " + dir.path + " is writable by everyone");
    chmod(dir.path.c_str(), 0775);  // a group of its own may write: accepted
    CHECK(check_trusted(dir / "pid", kNoUser, &err) == 0);
}

TEST_CASE("check_trusted: a symbolic link or a directory is refused") {
    TempDir dir;
    std::string err;
    REQUIRE(symlink("/etc/passwd", (dir / "state").c_str()) == 0);
    CHECK(check_trusted(dir / "state", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "state" + ": is a symbolic link");
    REQUIRE(mkdir((dir / "sub").c_str(), 0700) == 0);
    CHECK(check_trusted(dir / "sub", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "sub" + ": not a regular file");
    CHECK(check_trusted(dir / "none/state", kNoUser, &err) == kExitCantCreate);
}

TEST_CASE("check_trusted: a file or directory of another user is refused") {
    if (geteuid() != 0)
        return;  // only root can give a file away (the scenarios cover it too)
    TempDir dir;
    std::string err;
    const uid_t other = 65534;
    write_file(dir / "state", "x", 0600);
    REQUIRE(chown((dir / "state").c_str(), other, gid_t(-1)) == 0);
    CHECK(check_trusted(dir / "state", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "state" + ": belongs to another user (uid 65534)");
    CHECK(check_trusted(dir / "state", other, &err) == 0);  // the --user identity
    REQUIRE(chown(dir.path.c_str(), other, gid_t(-1)) == 0);
    CHECK(check_trusted(dir / "pid", kNoUser, &err) == kExitCantCreate);
    CHECK(err == dir / "pid" + ": directory " + dir.path +
                     " belongs to another user (uid 65534)");
}

TEST_CASE("LockFile: a second process is refused, told the holder's pid") {
    TempDir dir;
    std::string err;
    LockFile mine;
    REQUIRE(mine.lock(dir / "pid", true, &err) == 0);
    REQUIRE(mine.write_pid(&err) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        LockFile other;
        std::string e;
        int code = other.lock(dir / "pid", true, &e);
        _exit(code == kExitTempFail && other.holder() == long(getppid()) &&
                      e == dir / "pid" + ": in use by pid " + std::to_string(getppid())
                  ? 0
                  : 1);
    }
    CHECK(exit_status(child) == 0);
    // Last: closing any descriptor of the file drops our fcntl(2) lock.
    CHECK(read_file(dir / "pid") == std::to_string(getpid()) + "\n");
}

TEST_CASE("LockFile: a file nobody holds locked is taken over") {
    TempDir dir;
    std::string err;
    write_file(dir / "pid", "1\n", 0644);  // names a live process, holds no lock
    LockFile mine;
    CHECK(mine.lock(dir / "pid", true, &err) == 0);
    CHECK(mine.write_pid(&err) == 0);
    CHECK(read_file(dir / "pid") == std::to_string(getpid()) + "\n");
}

TEST_CASE("LockFile: removed when done, or emptied when kept") {
    TempDir dir;
    std::string err;
    {
        LockFile pid, kept;
        REQUIRE(pid.lock(dir / "pid", true, &err) == 0);
        REQUIRE(kept.lock(dir / "state.lock", false, &err) == 0);
        CHECK(pid.write_pid(&err) == 0);
        CHECK(kept.write_pid(&err) == 0);
    }
    CHECK(access((dir / "pid").c_str(), F_OK) != 0);
    CHECK(read_file(dir / "state.lock") == "");
}

TEST_CASE("LockFile: a FIFO, a symbolic link or a hard link is refused") {
    TempDir dir;
    std::string err;
    LockFile f;
    REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
    CHECK(f.lock(dir / "fifo", true, &err) == kExitCantCreate);
    REQUIRE(symlink("victim", (dir / "link").c_str()) == 0);
    CHECK(f.lock(dir / "link", true, &err) == kExitCantCreate);
    CHECK(err == dir / "link" + ": is a symbolic link");
    CHECK(access((dir / "victim").c_str(), F_OK) != 0);  // not created
    write_file(dir / "a", "", 0644);
    REQUIRE(link((dir / "a").c_str(), (dir / "b").c_str()) == 0);
    CHECK(f.lock(dir / "b", true, &err) == kExitCantCreate);
    CHECK_FALSE(f.held());
}

TEST_CASE("LockFile: unlock hands the lock to a child, which relocks") {
    TempDir dir;
    std::string err;
    LockFile mine;
    REQUIRE(mine.lock(dir / "pid", true, &err) == 0);
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // holds a copy of mine, without the lock
        close(ready[0]);
        std::string e;
        bool ok = mine.relock(&e) == 0 && mine.write_pid(&e) == 0;
        ssize_t n = write(ready[1], ok ? "y" : "n", 1);
        (void)n;
        pause();  // until the parent has looked
        _exit(0);
    }
    close(ready[1]);
    mine.unlock();
    mine.forget();
    char word = 0;
    CHECK(read(ready[0], &word, 1) == 1);
    close(ready[0]);
    CHECK(word == 'y');
    LockFile other;
    CHECK(other.lock(dir / "pid", true, &err) == kExitTempFail);
    CHECK(other.holder() == long(child));
    kill(child, SIGKILL);  // not TERM: doctest's handler would report a crash
    exit_status(child);
}

TEST_CASE("LockFile: relock gives up when another process took the lock") {
    TempDir dir;
    std::string err;
    LockFile mine;
    REQUIRE(mine.lock(dir / "pid", true, &err) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the parent keeps its lock: relock must fail
        std::string e;
        int code = mine.relock(&e);
        bool ok = code == kExitTempFail && !mine.held() &&
                  e == dir / "pid" + ": taken by pid " + std::to_string(getppid()) +
                           " while we started";
        _exit(ok ? 0 : 1);
    }
    CHECK(exit_status(child) == 0);
    CHECK(access((dir / "pid").c_str(), F_OK) == 0);  // the child left it alone
}

// handshake -- forks with Detach; the child runs child_part (which never
// returns: it ends with _exit); the parent returns its word, the message
// in *msg, and reaps the child.
int handshake(const std::function<void(Detach*)>& child_part, std::string* msg) {
    Detach d;
    std::string err;
    pid_t child = d.start(&err);
    REQUIRE(child >= 0);
    if (child == 0) {
        child_part(&d);
        _exit(99);
    }
    int code = d.wait(msg);
    waitpid(child, nullptr, 0);  // may have been reaped by wait already
    return code;
}

TEST_CASE("Detach: the parent exits 0 once the child is ready") {
    std::string msg;
    int code = handshake(
        [](Detach* d) {
            std::string e;
            int c = d->detach("/", &e);
            if (c == 0)
                d->ready();
            else
                d->failed(c, e);
            _exit(0);
        },
        &msg);
    CHECK(code == 0);
    CHECK(msg == "");
}

TEST_CASE("Detach: a chdir failure is reported with its status and message") {
    std::string msg;
    int code = handshake(
        [](Detach* d) {
            std::string e;
            int c = d->detach("/nonexistent/t2s", &e);
            d->failed(c, e);
            _exit(c);
        },
        &msg);
    CHECK(code == kExitOsErr);
    CHECK(msg == "/nonexistent/t2s: No such file or directory");
}

TEST_CASE("Detach: a lock taken meanwhile is reported as 75, with its message") {
    std::string msg;
    int code = handshake(
        [](Detach* d) {
            d->failed(kExitTempFail, "/run/t2s.pid: taken by pid 42 while we started");
            _exit(kExitTempFail);
        },
        &msg);
    CHECK(code == kExitTempFail);
    CHECK(msg == "/run/t2s.pid: taken by pid 42 while we started");
}

TEST_CASE("Detach: a child that dies without a word gives its own status") {
    std::string msg;
    CHECK(handshake([](Detach*) { _exit(5); }, &msg) == 5);
    CHECK(msg == "daemon exited with status 5 while starting");
    CHECK(handshake([](Detach*) { raise(SIGKILL); }, &msg) == 1);
    CHECK(msg.find("daemon killed by signal") == 0);
}

}  // namespace t2s
