// open_safe -- opening files where other users may write.  The table of
// cases is in open_safe.h.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "open_safe.h"
#include "platform.h"

#if T2S_HAVE_SETFSUID
#include <sys/fsuid.h>
#endif

namespace t2s {

namespace {

// Symbolic links followed for one open at most, as the kernel's own bound
// on nested links (ELOOP) is about this small.
const int kMaxLinks = 8;

const int kOpenDir = T2S_O_SEARCH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Borrowed -- for as long as it lives, files are opened with the rights of
// uid and gid (no supplementary groups: root's group 0 must not be kept);
// ours again afterwards.  Only for a process whose effective uid is 0.
class Borrowed {
public:
    Borrowed(uid_t uid, gid_t gid) {
        int n = getgroups(0, nullptr);
        groups_.resize(n > 0 ? size_t(n) : 0);
        if (n < 0 || getgroups(n, groups_.data()) != n)
            return;
        euid_ = geteuid();
        egid_ = getegid();
        if (setgroups(1, &gid) < 0)
            return;
        changed_ = true;
#if T2S_HAVE_SETFSUID
        // Per thread, and the rest of the process (signals, the transport)
        // stays root meanwhile.
        setfsgid(gid);
        setfsuid(uid);
        ok_ = uid_t(setfsuid(uid_t(-1))) == uid && gid_t(setfsgid(gid_t(-1))) == gid;
#else
        ok_ = setegid(gid) == 0 && seteuid(uid) == 0;
#endif
    }

    ~Borrowed() {
        if (!changed_)
            return;
        // Should any of these fail we stay with the lesser rights, and a
        // later open sees an effective uid that is not 0: it then borrows
        // nothing and is bounded by those rights.  Never more than ours.
#if T2S_HAVE_SETFSUID
        setfsuid(euid_);
        setfsgid(egid_);
#else
        if (seteuid(euid_) < 0 || setegid(egid_) < 0)
            return;
#endif
        setgroups(groups_.size(), groups_.data());
    }

    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;

    bool ok() const { return ok_; }

private:
    std::vector<gid_t> groups_;
    uid_t euid_ = 0;
    gid_t egid_ = 0;
    bool changed_ = false;
    bool ok_ = false;
};

bool fail(OpenError* e, int err, const std::string& why) {
    e->err = err;
    e->refused = false;
    e->why = why;
    return false;
}

bool refuse(OpenError* e, const std::string& why) {
    e->err = 0;
    e->refused = true;
    e->why = why;
    return false;
}

std::string join(const std::string& dir, const std::string& name) {
    if (dir.empty() || dir == ".")
        return name;
    return dir[dir.size() - 1] == '/' ? dir + name : dir + "/" + name;
}

// read_link -- the target of the link name in dir, or false with *e.
bool read_link(int dir, const std::string& name, std::string* target, OpenError* e) {
    char buf[4096];
    ssize_t n = readlinkat(dir, name.c_str(), buf, sizeof buf);
    if (n < 0)
        return fail(e, errno, errno_text(errno));
    if (size_t(n) == sizeof buf)
        return fail(e, ENAMETOOLONG, errno_text(ENAMETOOLONG));
    target->assign(buf, size_t(n));
    return true;
}

const int kOpenFile = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

// open_as -- opens name in dir with our rights; -1 with *err.
int open_as(int dir, const std::string& name, int* err) {
    int fd = openat(dir, name.c_str(), kOpenFile);
    *err = errno;
    return fd;
}

// open_as -- the same with the rights of uid and gid.
int open_as(int dir, const std::string& name, uid_t uid, gid_t gid, int* err) {
    Borrowed as(uid, gid);
    if (!as.ok()) {
        *err = errno ? errno : EPERM;
        return -1;
    }
    return open_as(dir, name, err);
}

std::string uid_text(uid_t uid) {
    return std::to_string(static_cast<unsigned long>(uid));
}

}  // namespace

int dir_trust(const struct stat& dir, uid_t euid) {
    if (euid != 0)
        return 0;  // our own rights bound what a planted name can reach
    bool by_others = (dir.st_mode & S_IWOTH) != 0;
    bool by_group = (dir.st_mode & S_IWGRP) != 0 && dir.st_gid != 0;
    if (dir.st_uid == 0)
        return by_others || by_group ? -1 : 0;
    return by_others ? -1 : 1;
}

bool link_trusted(uid_t link_uid, uid_t target_uid, uid_t euid) {
    return link_uid == 0 || link_uid == euid || link_uid == target_uid;
}

bool SafeDir::walk(int start, const std::string& path, int depth, OpenError* e) {
    bool absolute = !path.empty() && path[0] == '/';
    int first = absolute || start < 0
              ? ::open(absolute ? "/" : ".", kOpenDir | O_RDONLY)
              : openat(start, ".", kOpenDir | O_RDONLY);
    if (first < 0)
        return fail(e, errno, errno_text(errno));
    Fd cur(first);
    std::string at = absolute ? "/" : path_;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string name = path.substr(pos, slash - pos);
        pos = slash + 1;
        if (name.empty() || name == ".")
            continue;
        std::string here = join(at, name);
        struct stat lsb;
        if (fstatat(cur.get(), name.c_str(), &lsb, AT_SYMLINK_NOFOLLOW) < 0)
            return fail(e, errno, errno_text(errno));
        if (S_ISLNK(lsb.st_mode)) {
            if (depth >= kMaxLinks)
                return fail(e, ELOOP, errno_text(ELOOP));
            std::string target;
            if (!read_link(cur.get(), name, &target, e))
                return false;
            SafeDir to;
            to.path_ = at;
            if (!to.walk(cur.get(), target, depth + 1, e))
                return false;
            if (!link_trusted(lsb.st_uid, to.st_.st_uid, geteuid()))
                return refuse(e, "symbolic link " + here + " (uid " + uid_text(lsb.st_uid) +
                                     ") names a directory of uid " +
                                     uid_text(to.st_.st_uid) + ": not followed");
            cur = std::move(to.fd_);
            depth = to.depth_;
            at = here;
            continue;
        }
        if (!S_ISDIR(lsb.st_mode))
            return fail(e, ENOTDIR, errno_text(ENOTDIR));
        int next = openat(cur.get(), name.c_str(), kOpenDir);
        if (next < 0)
            return fail(e, errno, errno_text(errno));
        Fd opened(next);
        struct stat sb;
        if (fstat(next, &sb) < 0 || sb.st_dev != lsb.st_dev || sb.st_ino != lsb.st_ino)
            return fail(e, EAGAIN, here + " changed while being opened");
        cur = std::move(opened);
        at = here;
    }
    if (fstat(cur.get(), &st_) < 0)
        return fail(e, errno, errno_text(errno));
    fd_ = std::move(cur);
    path_ = at.empty() ? "." : at;
    depth_ = depth;
    return true;
}

bool SafeDir::open(const std::string& dir, OpenError* e) {
    path_.clear();
    return walk(-1, dir.empty() ? "." : dir, 0, e);
}

int SafeDir::open_entry(const std::string& name, Links links, struct stat* sb,
                        OpenError* e) const {
    struct stat lsb;
    if (fstatat(fd_.get(), name.c_str(), &lsb, AT_SYMLINK_NOFOLLOW) < 0)
        return fail(e, errno, errno_text(errno)), -1;
    uid_t euid = geteuid();
    if (S_ISLNK(lsb.st_mode)) {
        if (links == Links::refuse)
            return refuse(e, "a symbolic link: not opened"), -1;
        struct stat target;
        if (fstatat(fd_.get(), name.c_str(), &target, 0) < 0)
            return fail(e, errno, errno_text(errno)), -1;
        if (!link_trusted(lsb.st_uid, target.st_uid, euid))
            return refuse(e, "a symbolic link of uid " + uid_text(lsb.st_uid) +
                                 " to a file of uid " + uid_text(target.st_uid) +
                                 ": not followed"), -1;
        if (depth_ >= kMaxLinks)
            return fail(e, ELOOP, errno_text(ELOOP)), -1;
        std::string to;
        if (!read_link(fd_.get(), name, &to, e))
            return -1;
        std::string::size_type slash = to.find_last_of('/');
        std::string to_dir = slash == std::string::npos ? "." : to.substr(0, slash + 1);
        std::string to_name = slash == std::string::npos ? to : to.substr(slash + 1);
        SafeDir there;
        there.path_ = path_;
        if (!there.walk(fd_.get(), to_dir, depth_ + 1, e))
            return -1;
        int fd = there.open_entry(to_name, links, sb, e);
        // The link may have been made to name another file meanwhile: what
        // was opened must belong to whom the check above allowed.
        if (fd >= 0 && !link_trusted(lsb.st_uid, sb->st_uid, euid)) {
            close(fd);
            return fail(e, EAGAIN, "changed while being opened"), -1;
        }
        return fd;
    }
    if (!S_ISREG(lsb.st_mode))
        return refuse(e, "not a regular file: not opened"), -1;
    int trust = dir_trust(st_, euid);
    if (trust < 0) {
        std::string who = (st_.st_mode & S_IWOTH) ? "others"
                        : "group " + std::to_string(static_cast<unsigned long>(st_.st_gid));
        return refuse(e, "its directory " + path_ + " is writable by " + who +
                             ": not opened as root (run with --user)"), -1;
    }
    int err = 0;
    int fd = trust > 0 ? open_as(fd_.get(), name, st_.st_uid, st_.st_gid, &err)
                       : open_as(fd_.get(), name, &err);
    if (fd < 0)
        return fail(e, err, errno_text(err)), -1;
    if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode) || sb->st_dev != lsb.st_dev ||
        sb->st_ino != lsb.st_ino) {
        close(fd);
        return fail(e, EAGAIN, "changed while being opened"), -1;
    }
    return fd;
}

int SafeDir::list_fd() const {
    return openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int open_safe(const std::string& path, struct stat* sb, OpenError* e) {
    std::string::size_type slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty())
        return fail(e, EISDIR, errno_text(EISDIR)), -1;
    SafeDir d;
    if (!d.open(dir, e))
        return -1;
    return d.open_entry(name, Links::follow, sb, e);
}

}  // namespace t2s
