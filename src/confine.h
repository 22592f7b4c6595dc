// confine -- the kernel's own bound on what we may open, where the platform
// has one: Landlock on Linux, unveil(2) and pledge(2) on OpenBSD.  Applied
// once the files to follow are known and the sockets are open, it holds
// even if every check in follow.cc were fooled: a symbolic link planted by
// another user that points at /etc/shadow cannot be opened, even by root.
#ifndef T2S_CONFINE_H
#define T2S_CONFINE_H

#include <string>
#include <vector>

namespace t2s {

// What the confined process may still touch.  A path that does not exist
// (yet) stands for its nearest existing ancestor.
struct Confinement {
    std::vector<std::string> read;   // directories (or files) read beneath
    std::vector<std::string> write;  // directories whose files we replace:
                                     // the state and pid files
    std::vector<std::string> exec;   // programs we start: logger(1), ...
};

enum class Confined {
    yes,          // in force for this process and every child
    unsupported,  // the kernel or platform has none: carry on without
    failed,       // it exists but refused: *err says why
};

// confine -- applies c.  System directories stay readable (libraries, time
// zones, the resolver's files) so that children start and names resolve.
Confined confine(const Confinement& c, std::string* err);

// read_root -- the directory beneath which a followed operand's files (the
// file, its rotated siblings, a glob's matches) all lie: the directory of
// a plain path, or the part of a glob before its first pattern character.
// Pure.
std::string read_root(const std::string& operand);

// existing_ancestor -- path itself if it exists, else its nearest existing
// parent ("/" at worst).
std::string existing_ancestor(const std::string& path);

}  // namespace t2s

#endif
