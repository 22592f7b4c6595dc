// child -- running another program (logger(1), a decompressor)
// safely from a process that may be root: the program is found once, by an
// absolute path; it runs with an argument vector (never a shell), a small
// fixed environment, only descriptors 0-2, default signal dispositions and
// mask, and, when we are root, as an unprivileged user.
#ifndef T2S_CHILD_H
#define T2S_CHILD_H

#include <sys/types.h>

#include <string>
#include <vector>

#include "sys.h"

namespace t2s {

// resolve_program -- the absolute path of name: name itself made absolute
// when it holds a '/', else the first executable regular file name in the
// PATH-style list dirs, whose empty and relative entries are skipped (they
// name the current directory, where another user may have put a program).
// dirs null: "/usr/bin:/bin".  False with *err when none is found.
bool resolve_program(const std::string& name, const char* dirs, std::string* path,
                     std::string* err);

// Identity -- who a child runs as when we run as root.
struct Identity {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;  // and name's supplementary groups, set in the child
};

// lookup_identity -- name's user and group IDs and groups from the user
// database; false with *err when there is no such user.
bool lookup_identity(const std::string& name, Identity* id, std::string* err);

// What spawn_child starts.
struct ChildSpec {
    std::string program;             // absolute (resolve_program)
    std::vector<std::string> argv;   // argv[0] included
    bool stdin_pipe = true;          // a pipe we write to; else stdin_fd
    int stdin_fd = -1;               // without stdin_pipe: this descriptor of
                                     // ours (we keep it), or /dev/null if -1
    bool stdout_pipe = false;        // a pipe we read from; else /dev/null
    const Identity* identity = nullptr;  // run as this when we are root
};

// A running child and our ends of its pipes (close-on-exec, so that later
// children do not hold them).
struct Child {
    pid_t pid = -1;
    Fd to_child;     // its standard input, when stdin_pipe
    Fd from_child;   // its standard output, when stdout_pipe
};

// spawn_child -- starts spec.program.  Standard error is ours (or /dev/null
// when ours is closed).  A child that cannot take on its identity or exec
// writes why to standard error and exits 127 before running anything.
// False with *err when pipe or fork fail.
bool spawn_child(const ChildSpec& spec, Child* child, std::string* err);

// child_environment -- the whole environment children get: PATH=/usr/bin:/bin,
// LC_ALL=C, and TZ when we have one (logger stamps its messages in local time,
// as we do).
std::vector<std::string> child_environment();

}  // namespace t2s

#endif
