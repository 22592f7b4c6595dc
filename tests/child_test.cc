// child_test -- finding a program by PATH without its relative entries, and
// what a spawned child gets: its environment, descriptors, signals, stdin.
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "child.h"

namespace t2s {

namespace {

// TempDir -- a fresh directory, removed with what it holds.
struct TempDir {
    std::string path;
    TempDir() {
        char name[] = "/tmp/t2s-child.XXXXXX";
        REQUIRE(mkdtemp(name));
        path = name;
    }
    ~TempDir() { REQUIRE(system(("rm -rf '" + path + "'").c_str()) == 0); }
};

void write_program(const std::string& path) {
    FILE* f = fopen(path.c_str(), "w");
    REQUIRE(f);
    fputs("#!/bin/sh\nexit 0\n", f);
    fclose(f);
    REQUIRE(chmod(path.c_str(), 0755) == 0);
}

// run_spec -- starts spec (its stdout a pipe), closes its stdin; returns
// what it wrote on stdout, and its exit status in *status.
std::string run_spec(ChildSpec spec, int* status) {
    spec.stdout_pipe = true;
    Child child;
    std::string err;
    REQUIRE(spawn_child(spec, &child, &err));
    child.to_child.reset();
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(child.from_child.get(), buf, sizeof buf)) > 0)
        out.append(buf, size_t(n));
    REQUIRE(waitpid(child.pid, status, 0) == child.pid);
    return out;
}

// run_sh -- run_spec of /bin/sh -c script, as ourselves.
std::string run_sh(const std::string& script, int* status) {
    ChildSpec spec;
    spec.program = "/bin/sh";
    spec.argv = {"sh", "-c", script};
    return run_spec(spec, status);
}

// mask_of -- the hexadecimal value after name in /proc/self/status text.
unsigned long long mask_of(const std::string& status, const std::string& name) {
    std::string::size_type at = status.find(name);
    REQUIRE(at != std::string::npos);
    return strtoull(status.c_str() + at + name.size(), nullptr, 16);
}

}  // namespace

TEST_CASE("resolve_program: empty and relative PATH entries are skipped") {
    TempDir d;
    char cwd[4096];
    REQUIRE(getcwd(cwd, sizeof cwd));
    REQUIRE(chdir(d.path.c_str()) == 0);
    write_program(d.path + "/logger");  // ./logger: what an attacker plants
    REQUIRE(mkdir((d.path + "/rel").c_str(), 0755) == 0);
    write_program(d.path + "/rel/logger");
    std::string path, err;
    CHECK_FALSE(resolve_program("logger", ":rel:.:/nonexistent", &path, &err));
    CHECK(err.find("logger") != std::string::npos);
    CHECK(resolve_program("logger", (":rel::" + d.path).c_str(), &path, &err));
    CHECK(path == d.path + "/logger");
    REQUIRE(chdir(cwd) == 0);
}

TEST_CASE("resolve_program: a name with a slash is made absolute; no directory") {
    TempDir d;
    char cwd[4096];
    REQUIRE(getcwd(cwd, sizeof cwd));
    REQUIRE(chdir(d.path.c_str()) == 0);
    write_program(d.path + "/prog");
    REQUIRE(mkdir((d.path + "/dir").c_str(), 0755) == 0);
    std::string path, err;
    CHECK(resolve_program("./prog", nullptr, &path, &err));
    CHECK(path == d.path + "/./prog");
    CHECK_FALSE(resolve_program("./dir", nullptr, &path, &err));
    CHECK_FALSE(resolve_program("dir", d.path.c_str(), &path, &err));
    REQUIRE(chdir(cwd) == 0);
}

TEST_CASE("resolve_program: no PATH is /usr/bin:/bin") {
    std::string path, err;
    REQUIRE(resolve_program("sh", nullptr, &path, &err));
    CHECK((path == "/usr/bin/sh" || path == "/bin/sh"));
}

TEST_CASE("child_environment: TZ is passed on when set") {
    const char* old = getenv("TZ");
    std::string saved = old ? old : "";
    setenv("TZ", "Europe/Paris", 1);
    std::vector<std::string> env = child_environment();
    CHECK(env == std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=Europe/Paris"});
    unsetenv("TZ");
    CHECK(child_environment().size() == 2);
    if (old)
        setenv("TZ", saved.c_str(), 1);
}

TEST_CASE("spawn_child: a small fixed environment") {
    setenv("T2S_SECRET", "x", 1);
    int status;
    std::string out = run_sh("env | sort", &status);
    unsetenv("T2S_SECRET");
    CHECK(status == 0);
    CHECK(out.find("T2S_SECRET") == std::string::npos);
    CHECK(out.find("PATH=/usr/bin:/bin\n") != std::string::npos);
    CHECK(out.find("LC_ALL=C\n") != std::string::npos);
}

TEST_CASE("spawn_child: no descriptor above 2 is inherited") {
    int fd = open("/dev/null", O_RDONLY);  // no close-on-exec
    REQUIRE(fd >= 0);
    REQUIRE(dup2(fd, 9) == 9);
    int status;
    run_sh("exec 2>/dev/null; : <&9", &status);
    close(9);
    close(fd);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) != 0);  // fd 9 was closed in the child
    run_sh(": <&0", &status);         // and 0 is open: the check can pass
    CHECK(status == 0);
}

TEST_CASE("spawn_child: SIGPIPE default and no signal blocked in the child") {
    if (access("/proc/self/status", R_OK) != 0)
        return;  // Linux only: the masks are read from /proc
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &saved);
    int status;
    std::string out = run_sh("grep -E '^Sig(Ign|Blk)' /proc/self/status", &status);
    sigprocmask(SIG_SETMASK, &saved, nullptr);
    signal(SIGPIPE, old);
    // Signals 32 and 33 are glibc's own, which it does not let us reset:
    // look at the classic ones, 1 to 31.
    CHECK((mask_of(out, "SigIgn:") & 0x7fffffffu) == 0);
    CHECK((mask_of(out, "SigBlk:") & 0x7fffffffu) == 0);
}

TEST_CASE("spawn_child: stdin is the pipe even when our fd 0 was closed") {
    int saved = dup(STDIN_FILENO);
    REQUIRE(saved >= 0);
    close(STDIN_FILENO);  // the pipe's read end now gets fd 0
    ChildSpec spec;
    spec.program = "/bin/sh";
    spec.argv = {"sh", "-c", "read line && echo \"got $line\""};
    spec.stdout_pipe = true;
    Child child;
    std::string err;
    bool ok = spawn_child(spec, &child, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    REQUIRE(ok);
    REQUIRE(write(child.to_child.get(), "hello\n", 6) == 6);
    child.to_child.reset();
    char buf[64];
    ssize_t n = read(child.from_child.get(), buf, sizeof buf);
    int status;
    waitpid(child.pid, &status, 0);
    CHECK(std::string(buf, n > 0 ? size_t(n) : 0) == "got hello\n");
    CHECK(status == 0);
}

TEST_CASE("spawn_child: as root, runs as the identity given") {
    if (geteuid() != 0)
        return;
    Identity id;
    std::string err;
    REQUIRE(lookup_identity("nobody", &id, &err));
    ChildSpec spec;
    spec.program = "/bin/sh";
    spec.argv = {"sh", "-c", "id -u; id -g; id -G"};
    spec.identity = &id;
    int status;
    std::string out = run_spec(spec, &status);
    CHECK(status == 0);
    std::string want = std::to_string(id.uid) + "\n" + std::to_string(id.gid) + "\n";
    CHECK(out.compare(0, want.size(), want) == 0);
    std::string groups = " " + out.substr(want.size());  // "id -G": root's 0 gone
    CHECK(groups.find(" 0 ") == std::string::npos);
    CHECK(groups.find(" 0\n") == std::string::npos);
}

TEST_CASE("lookup_identity: an unknown user") {
    Identity id;
    std::string err;
    CHECK_FALSE(lookup_identity("no-such-user-t2s", &id, &err));
    CHECK(err == "unknown user no-such-user-t2s");
}

}  // namespace t2s
