// confine -- Landlock (Linux) and unveil/pledge (OpenBSD), behind the one
// portability switch.  Elsewhere, and where the kernel lacks them, confine
// says "unsupported" and the run goes on as before: the checks in follow.cc
// and daemon.cc are the rule, this is the net beneath them.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "platform.h"
#include "sys.h"

#if T2S_HAVE_LANDLOCK
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#ifndef SYS_landlock_create_ruleset  // libc headers older than the kernel's
#undef T2S_HAVE_LANDLOCK
#define T2S_HAVE_LANDLOCK 0
#endif
#endif

namespace t2s {

namespace {

bool exists(const std::string& path) {
    struct stat sb;
    return lstat(path.c_str(), &sb) == 0;
}

std::string parent(const std::string& path) {
    std::string::size_type slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

#if T2S_HAVE_LANDLOCK || T2S_HAVE_UNVEIL

// What every program needs to start and to look names up: children
// (logger, decompressors) load their libraries, and a HUP resolves the
// destination again.
const char* const kSystemDirs[] = {"/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin",
                                   "/sbin"};
const char* const kSystemFiles[] = {"/etc/ld.so.cache", "/etc/hosts", "/etc/resolv.conf",
                                    "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
                                    "/etc/services", "/etc/protocols", "/etc/localtime"};

#endif

#if T2S_HAVE_LANDLOCK

const __u64 kReadDir = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
const __u64 kRun = kReadDir | LANDLOCK_ACCESS_FS_EXECUTE;
const __u64 kReplace = kReadDir | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG |
                       LANDLOCK_ACCESS_FS_REMOVE_FILE;
// Rights that a rule on a file (not a directory) may carry.
const __u64 kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                          LANDLOCK_ACCESS_FS_READ_FILE;

// handled -- every file system right this kernel's ABI knows, so that all
// we do not grant is denied.  Version 2 added REFER (renames across
// directories) and 3 TRUNCATE; later versions only add rights we do not
// need to deny (device ioctls).
__u64 handled(int abi) {
    __u64 all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // version 1: bits 0..12
#ifdef LANDLOCK_ACCESS_FS_REFER
    if (abi >= 2)
        all |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (abi >= 3)
        all |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    return all;
}

// allow -- lets beneath path what rights say; a file gets only the rights
// a file can have.  A path that cannot be opened is skipped: it grants
// nothing.
bool allow(int ruleset, const std::string& path, __u64 rights, __u64 mask,
           std::string* err) {
    int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0)
        return true;
    Fd owned(fd);
    struct stat sb;
    if (fstat(fd, &sb) < 0)
        return true;
    if (!S_ISDIR(sb.st_mode))
        rights &= kFileRights;
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (rights & LANDLOCK_ACCESS_FS_WRITE_FILE)
        rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    struct landlock_path_beneath_attr rule;
    memset(&rule, 0, sizeof rule);
    rule.allowed_access = rights & mask;
    rule.parent_fd = fd;
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0) {
        *err = "landlock: " + path + ": " + errno_text(errno);
        return false;
    }
    return true;
}

Confined landlock(const Confinement& c, std::string* err) {
    long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0,
                       LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1)
        return Confined::unsupported;  // ENOSYS, or disabled at boot
    struct landlock_ruleset_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.handled_access_fs = handled(int(abi));
    int ruleset = int(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
    if (ruleset < 0) {
        *err = "landlock: " + errno_text(errno);
        return Confined::failed;
    }
    Fd owned(ruleset);
    const __u64 mask = attr.handled_access_fs;
    bool ok = true;
    for (const char* dir : kSystemDirs)
        ok = ok && allow(ruleset, dir, kRun, mask, err);
    for (const char* file : kSystemFiles)
        ok = ok && allow(ruleset, file, LANDLOCK_ACCESS_FS_READ_FILE, mask, err);
    ok = ok && allow(ruleset, "/dev/null", kReplace, mask, err);
    // Our own process directory, and no other's: the sanitizers' leak check
    // reads our threads there at exit.
    ok = ok && allow(ruleset, "/proc/self", kReadDir, mask, err);
    for (const std::string& path : c.read)
        ok = ok && allow(ruleset, existing_ancestor(path), kReadDir, mask, err);
    for (const std::string& path : c.write)
        ok = ok && allow(ruleset, existing_ancestor(path), kReplace, mask, err);
    for (const std::string& path : c.exec)
        ok = ok && allow(ruleset, path, kRun, mask, err);
    if (!ok)
        return Confined::failed;
    // Without CAP_SYS_ADMIN the kernel wants this first; with it, it costs
    // nothing we use (no set-user-ID program is ever started).
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
        *err = "landlock: " + errno_text(errno);
        return Confined::failed;
    }
    return Confined::yes;
}

#endif  // T2S_HAVE_LANDLOCK

#if T2S_HAVE_UNVEIL

bool reveal(const std::string& path, const char* perms, std::string* err) {
    if (unveil(path.c_str(), perms) == 0 || errno == ENOENT)
        return true;
    *err = "unveil: " + path + ": " + errno_text(errno);
    return false;
}

Confined unveil_all(const Confinement& c, std::string* err) {
    bool ok = true;
    for (const char* dir : kSystemDirs)
        ok = ok && reveal(dir, "rx", err);
    for (const char* file : kSystemFiles)
        ok = ok && reveal(file, "r", err);
    ok = ok && reveal("/dev/null", "rw", err);
    for (const std::string& path : c.read)
        ok = ok && reveal(existing_ancestor(path), "r", err);
    for (const std::string& path : c.write)
        ok = ok && reveal(existing_ancestor(path), "rwc", err);
    for (const std::string& path : c.exec)
        ok = ok && reveal(path, "rx", err);
    if (!ok || unveil(nullptr, nullptr) < 0 ||
        pledge("stdio rpath wpath cpath flock inet unix dns proc exec", nullptr) < 0) {
        if (err->empty())
            *err = "pledge: " + errno_text(errno);
        return Confined::failed;
    }
    return Confined::yes;
}

#endif  // T2S_HAVE_UNVEIL

}  // namespace

std::string read_root(const std::string& operand) {
    std::string::size_type magic = operand.find_first_of("*?[");
    if (magic == std::string::npos)
        return parent(operand);
    std::string::size_type slash = operand.find_last_of('/', magic);
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : operand.substr(0, slash);
}

std::string existing_ancestor(const std::string& path) {
    std::string p = path;
    while (!exists(p)) {
        std::string up = parent(p);
        if (up == p)
            break;
        p = up;
    }
    return p;
}

Confined confine(const Confinement& c, std::string* err) {
#if T2S_HAVE_LANDLOCK
    return landlock(c, err);
#elif T2S_HAVE_UNVEIL
    return unveil_all(c, err);
#else
    (void)c;
    (void)err;
    return Confined::unsupported;
#endif
}

}  // namespace t2s
