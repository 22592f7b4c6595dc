// open_safe -- opening a file to read where other users may write, without
// becoming their deputy: we run as root, they must not make us read for
// them what they cannot read themselves.  Every open of a followed file or
// of a candidate beside it goes through here.
//
// | what the walk meets                            | action                                 |
// |------------------------------------------------|----------------------------------------|
// | a directory on the way                         | opened without following a link, its   |
// |                                                |   (dev, ino) checked against lstat's   |
// | a symbolic link, on the way or at the end      | followed only if root, we, or the      |
// |                                                |   owner of what it names made it; the  |
// |                                                |   rules apply again at its target      |
// | the file's directory: root's (or ours), no     | trusted: open with our own rights      |
// |   group but root's and nobody else may write   |                                        |
// | the directory: another user's, others may not  | open with that user's and the          |
// |   write (we are root)                          |   directory group's rights, no others  |
// | the directory: root's and writable by a group  | refused: a user who may plant files    |
// |   (not root) or by others; anyone's and        |   there is not known (use --user)      |
// |   writable by others (sticky or not)           |                                        |
// | we are not root (--user)                       | open with our own rights: those bound  |
// |                                                |   what a planted name can reach        |
// | the file is a FIFO, device, socket, directory  | never opened (lstat first)             |
// | the file changed between lstat and open        | refused: (dev, ino) differ; look again |
#ifndef T2S_OPEN_SAFE_H
#define T2S_OPEN_SAFE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <string>

#include "sys.h"

namespace t2s {

// Why no descriptor came back.
struct OpenError {
    int err = 0;           // errno of the call that failed (ENOENT, EACCES, ...)
    bool refused = false;  // a rule above refused: the path is a trap or a
                           // misconfiguration, worth a warning every time
    std::string why;       // "Permission denied", "a symbolic link of uid 65534 ..."
};

// How an entry may be opened.
enum class Links { follow, refuse };  // refuse: a symbolic link is never opened

// SafeDir -- a directory reached along the rules, whose entries are then
// opened along them.
class SafeDir {
public:
    // open -- walks to dir.  False with *e if the walk was refused or failed.
    bool open(const std::string& dir, OpenError* e);
    // open_entry -- opens the regular file name (no '/') in the directory
    // for reading, with the rights the directory's owner gives; *sb is its
    // fstat.  Returns the descriptor (the caller owns it), or -1 with *e.
    int open_entry(const std::string& name, Links links, struct stat* sb,
                   OpenError* e) const;
    // list_fd -- a new descriptor open for reading the directory's names
    // (for fdopendir), or -1 with errno.
    int list_fd() const;
    const std::string& path() const { return path_; }

private:
    // walk -- from the directory start (borrowed, or -1 for the working
    // directory) along path; depth: links followed so far.
    bool walk(int start, const std::string& path, int depth, OpenError* e);

    Fd fd_;
    struct stat st_ = {};
    std::string path_;
    int depth_ = 0;  // symbolic links followed to get here
};

// open_safe -- opens the file path for reading along the rules above (a
// link named by root is followed).  Returns the descriptor (the caller owns
// it) with *sb its fstat, or -1 with *e.
int open_safe(const std::string& path, struct stat* sb, OpenError* e);

// dir_trust -- how files in a directory of stat dir are opened by a
// process of effective uid euid: 0 with our rights, 1 with the owner's,
// -1 refused.  Pure, for the tests.
int dir_trust(const struct stat& dir, uid_t euid);

// link_trusted -- whether a symbolic link of owner link_uid that names an
// object of owner target_uid may be followed by euid.  Pure.
bool link_trusted(uid_t link_uid, uid_t target_uid, uid_t euid);

}  // namespace t2s

#endif
