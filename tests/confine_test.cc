// confine_test -- read_root and existing_ancestor; confine itself in a
// forked child, since a confinement cannot be undone.
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <string>

#include "confine.h"

namespace t2s {

namespace {

// What the confined child found; its exit status.
enum Outcome {
    kAsExpected = 0,
    kUnsupported = 2,
    kFailed = 3,
    kInsideRefused = 4,
    kOutsideRead = 5,
    kLinkRead = 6,
    kStateRefused = 7,
};

bool can_read(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

void write_file(const std::string& path, const char* text) {
    FILE* f = fopen(path.c_str(), "w");
    REQUIRE(f != nullptr);
    fputs(text, f);
    fclose(f);
}

// confined_child -- in a child confined to read dir/logs and replace files
// in dir/state: what it can open.
int confined_child(const std::string& dir) {
    Confinement c;
    c.read.push_back(read_root(dir + "/logs/app.log"));
    c.write.push_back(dir + "/state");
    std::string err;
    switch (confine(c, &err)) {
    case Confined::unsupported:
        return kUnsupported;
    case Confined::failed:
        return kFailed;
    case Confined::yes:
        break;
    }
    if (!can_read(dir + "/logs/app.log") || !can_read(dir + "/logs/app.log.1"))
        return kInsideRefused;
    if (can_read(dir + "/secret/shadow"))
        return kOutsideRead;
    if (can_read(dir + "/logs/link") || errno != EACCES)
        return kLinkRead;
    std::string tmp = dir + "/state/s.tmp";
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || close(fd) < 0 || rename(tmp.c_str(), (dir + "/state/s").c_str()) < 0)
        return kStateRefused;
    return kAsExpected;
}

}  // namespace

TEST_CASE("read_root: the directory of a path, the fixed part of a glob") {
    CHECK(read_root("/var/log/app.log") == "/var/log");
    CHECK(read_root("/var/log/*/access.log") == "/var/log");
    CHECK(read_root("/var/log/app[12].log") == "/var/log");
    CHECK(read_root("/x*") == "/");
    CHECK(read_root("/app.log") == "/");
    CHECK(read_root("app.log") == ".");
    CHECK(read_root("*.log") == ".");
    CHECK(read_root("logs/a?.log") == "logs");
}

TEST_CASE("existing_ancestor: a missing path stands for its nearest parent") {
    char tmpl[] = "/tmp/t2s-confine.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    CHECK(existing_ancestor(dir) == dir);
    CHECK(existing_ancestor(dir + "/a/b/c.log") == dir);
    CHECK(existing_ancestor("/") == "/");
    rmdir(tmpl);
}

TEST_CASE("confine: reads beneath the roots only, even through a symbolic link") {
    char tmpl[] = "/tmp/t2s-confine.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    for (const char* sub : {"/logs", "/secret", "/state"})
        REQUIRE(mkdir((dir + sub).c_str(), 0700) == 0);
    write_file(dir + "/logs/app.log", "line\n");
    write_file(dir + "/logs/app.log.1", "older\n");
    write_file(dir + "/secret/shadow", "root:x:\n");
    REQUIRE(symlink((dir + "/secret/shadow").c_str(), (dir + "/logs/link").c_str()) == 0);

    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(confined_child(dir));
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    int outcome = WEXITSTATUS(status);
    if (outcome == kUnsupported)
        MESSAGE("no Landlock in this kernel or build: confine not tested");
    else
        CHECK(outcome == kAsExpected);

    std::string rm = "rm -rf '" + dir + "'";
    CHECK(system(rm.c_str()) == 0);
}

}  // namespace t2s
