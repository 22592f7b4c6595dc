// open_safe tests: the pure rules, then (as root) real files in a directory
// that uid 65534 owns, with a root-only file beside its own.
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "open_safe.h"

namespace t2s {

namespace {

const uid_t kOther = 65534;

struct stat dir_stat(uid_t uid, gid_t gid, mode_t mode) {
    struct stat sb = {};
    sb.st_uid = uid;
    sb.st_gid = gid;
    sb.st_mode = S_IFDIR | mode;
    return sb;
}

// Tree -- a private directory tree, removed afterwards:
//   top/            root 0700
//   top/secret      root 0600   "top secret"
//   top/u/          uid 65534 0755
//   top/u/mine      uid 65534 0644  "mine"
//   top/u/secret    root 0600   "u secret"
struct Tree {
    std::string top;
    Tree() {
        char tmpl[] = "/tmp/t2s-open-safe.XXXXXX";
        top = mkdtemp(tmpl) ? tmpl : "";
        mkdir(at("u").c_str(), 0755);
        file("secret", "top secret", 0, 0600);
        file("u/mine", "mine", kOther, 0644);
        file("u/secret", "u secret", 0, 0600);
        if (chown(at("u").c_str(), kOther, kOther) < 0)
            top.clear();
    }
    ~Tree() {
        std::string cmd = "rm -rf '" + top + "'";
        if (!top.empty() && system(cmd.c_str()) != 0)
            fprintf(stderr, "cannot remove %s\n", top.c_str());
    }
    std::string at(const std::string& name) const { return top + "/" + name; }
    void file(const std::string& name, const std::string& text, uid_t uid, mode_t mode) {
        int fd = open(at(name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
        if (fd < 0 || write(fd, text.data(), text.size()) != ssize_t(text.size()) ||
            fchown(fd, uid, uid) < 0)
            fprintf(stderr, "cannot write %s\n", at(name).c_str());
        if (fd >= 0)
            close(fd);
    }
    void link(const std::string& target, const std::string& name, uid_t uid) {
        if (symlink(target.c_str(), at(name).c_str()) < 0 ||
            lchown(at(name).c_str(), uid, uid) < 0)
            fprintf(stderr, "cannot link %s\n", at(name).c_str());
    }
};

// opened -- what open_safe gives for path: its text, or "refused: why" or
// "error N".
std::string opened(const std::string& path, OpenError* e) {
    struct stat sb;
    int fd = open_safe(path, &sb, e);
    if (fd < 0)
        return e->refused ? "refused" : "error " + std::to_string(e->err);
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return std::string(buf, n > 0 ? size_t(n) : 0);
}

}  // namespace

TEST_CASE("dir_trust: root's own, another user's, and open to all") {
    CHECK(dir_trust(dir_stat(0, 0, 0755), 0) == 0);
    CHECK(dir_trust(dir_stat(0, 0, 0775), 0) == 0);      // group root
    CHECK(dir_trust(dir_stat(0, 4, 0775), 0) == -1);     // group adm may plant
    CHECK(dir_trust(dir_stat(0, 0, 01777), 0) == -1);    // /tmp: sticky or not
    CHECK(dir_trust(dir_stat(kOther, kOther, 0755), 0) == 1);
    CHECK(dir_trust(dir_stat(kOther, kOther, 0775), 0) == 1);
    CHECK(dir_trust(dir_stat(kOther, kOther, 0777), 0) == -1);
    // Not root: our own rights are the bound, whoever owns the directory.
    CHECK(dir_trust(dir_stat(0, 4, 0777), 1000) == 0);
    CHECK(dir_trust(dir_stat(kOther, kOther, 0755), 1000) == 0);
}

TEST_CASE("link_trusted: root's, ours, or the target owner's") {
    CHECK(link_trusted(0, 5, 0));
    CHECK(link_trusted(5, 5, 0));
    CHECK_FALSE(link_trusted(5, 0, 0));
    CHECK_FALSE(link_trusted(5, 6, 1000));
    CHECK(link_trusted(1000, 0, 1000));
}

TEST_CASE("open_safe: as root, in a directory another user owns") {
    if (geteuid() != 0) {
        MESSAGE("not root: skipped");
        return;
    }
    Tree t;
    REQUIRE(!t.top.empty());
    OpenError e;
    SUBCASE("a trusted directory: our rights") {
        CHECK(opened(t.at("secret"), &e) == "top secret");
    }
    SUBCASE("that user's file: read with its rights") {
        CHECK(opened(t.at("u/mine"), &e) == "mine");
    }
    SUBCASE("a root-only file there: not with root's rights") {
        CHECK(opened(t.at("u/secret"), &e) == "error 13");
        CHECK(!e.refused);
    }
    SUBCASE("that user's link to a file of root: not followed") {
        t.link(t.at("secret"), "u/link", kOther);
        CHECK(opened(t.at("u/link"), &e) == "refused");
        CHECK(e.why.find("symbolic link of uid 65534 to a file of uid 0") != std::string::npos);
        t.link("secret", "u/near", kOther);
        CHECK(opened(t.at("u/near"), &e) == "refused");
    }
    SUBCASE("that user's link to its own file: followed") {
        t.link("mine", "u/own", kOther);
        CHECK(opened(t.at("u/own"), &e) == "mine");
    }
    SUBCASE("root's link into that directory: the rules again at the target") {
        t.link("u/mine", "to_mine", 0);
        t.link("u/secret", "to_secret", 0);
        CHECK(opened(t.at("to_mine"), &e) == "mine");
        CHECK(opened(t.at("to_secret"), &e) == "error 13");
    }
    SUBCASE("that user's link to a directory of root: not followed") {
        t.link(t.top, "u/up", kOther);
        CHECK(opened(t.at("u/up/secret"), &e) == "refused");
        CHECK(e.why.find("names a directory of uid 0: not followed") != std::string::npos);
    }
    SUBCASE("a FIFO: never opened") {
        REQUIRE(mkfifo(t.at("u/fifo").c_str(), 0666) == 0);
        CHECK(opened(t.at("u/fifo"), &e) == "refused");
        CHECK(e.why == "not a regular file: not opened");
    }
    SUBCASE("a directory of root that others may write to: refused") {
        REQUIRE(chmod(t.top.c_str(), 01777) == 0);
        CHECK(opened(t.at("secret"), &e) == "refused");
        CHECK(e.why.find("is writable by others: not opened as root (run with --user)") !=
              std::string::npos);
        REQUIRE(chmod(t.top.c_str(), 0700) == 0);
    }
    SUBCASE("open_entry: a link refused outright for candidates") {
        t.link("mine", "u/mine.1", kOther);
        SafeDir d;
        REQUIRE(d.open(t.at("u"), &e));
        struct stat sb;
        CHECK(d.open_entry("mine.1", Links::refuse, &sb, &e) == -1);
        CHECK(e.refused);
        int fd = d.open_entry("mine", Links::refuse, &sb, &e);
        CHECK(fd >= 0);
        if (fd >= 0)
            close(fd);
    }
    SUBCASE("the rights borrowed are given back") {
        CHECK(opened(t.at("u/secret"), &e) == "error 13");
        CHECK(geteuid() == 0);
        CHECK(opened(t.at("secret"), &e) == "top secret");
    }
}

}  // namespace t2s
