// decompress -- reading a rotated generation that was compressed (logrotate's
// compress, newsyslog's J X Y Z flags) through its decompressor: a child
// started with an argument vector as spawn_child starts children, whose
// standard input is the compressed file we opened and whose standard output
// is a pipe we read.  What comes out is addressed by decompressed offset, so
// that a generation is known by the same fingerprint (first bytes, bytes
// before the offset) as the file it was before compression.
#ifndef T2S_DECOMPRESS_H
#define T2S_DECOMPRESS_H

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "child.h"
#include "sys.h"

namespace t2s {

// decompressor_for -- the program that decompresses a file named name, by
// its suffix (.gz and .Z: gzip, .bz2: bzip2, .xz: xz, .zst: zstd), or null
// when the name has none of these suffixes.  Pure.
const char* decompressor_for(const std::string& name);

// Decompressors -- the programs found on PATH once at start, by absolute path.
class Decompressors {
public:
    // find -- resolves every known decompressor over the PATH-style list dirs
    // (its relative entries skipped, as resolve_program does).  identity:
    // who they run as when we are root; copied.
    void find(const char* dirs, const Identity* identity);
    // program -- the absolute path of tool ("gzip"), empty if it was not found.
    std::string program(const std::string& tool) const;
    // programs -- every program found, for the confinement's exec list.
    std::vector<std::string> programs() const;
    const Identity* identity() const { return has_identity_ ? &identity_ : nullptr; }

private:
    std::vector<std::pair<std::string, std::string>> found_;  // tool, path
    Identity identity_;
    bool has_identity_ = false;
};

// Decompressed -- the content of one compressed file, read as it comes out
// of its decompressor.  A window of what was read is kept, so that the bytes
// just before an offset can be read again; reading may only move forward.
class Decompressed {
public:
    Decompressed() = default;
    Decompressed(const Decompressed&) = delete;
    Decompressed& operator=(const Decompressed&) = delete;
    // Ends the child if it still runs, and reaps it.
    ~Decompressed();

    // start -- runs program (absolute) with "-dc" on file (a descriptor we
    // keep), as identity when we are root.  window: the most bytes read_at
    // is asked for at once.  False with *err when the child cannot start.
    bool start(const std::string& program, int file, const Identity* identity,
               size_t window, std::string* err);

    // read_at -- like pread(2) on the decompressed content: up to len bytes at
    // offset, fewer at its end; blocks while the decompressor works.  offset
    // must not be before that of an earlier call.  -1 with errno (EINVAL for
    // an offset gone by) on failure.
    ssize_t read_at(char* dst, size_t len, int64_t offset);

    // finished -- the decompressor's output was read to its end: size() is
    // the whole content's size.
    bool finished() const { return finished_; }
    // size -- the decompressed bytes seen so far.
    int64_t size() const { return start_ + int64_t(window_.size()); }
    // failure -- why the decompressor failed (exit status, signal), once
    // finished; empty if it succeeded.
    const std::string& failure() const { return failure_; }
    // name -- the compressed file's name, as open_compressed was given it.
    const std::string& name() const { return name_; }
    void set_name(const std::string& name) { name_ = name; }

private:
    bool fill(int64_t until);
    void reap(bool kill_it);

    pid_t pid_ = -1;
    Fd out_;                   // the decompressor's standard output
    std::vector<char> window_; // bytes [start_, start_ + window_.size())
    int64_t start_ = 0;
    size_t max_ = 0;
    bool finished_ = false;
    std::string failure_;
    std::string name_;
};

// matches -- whether z's content starts with head and holds tail just before
// offset; z is then positioned to be read from offset - tail.size().
bool matches(Decompressed* z, const std::string& head, int64_t offset,
             const std::string& tail);

// open_compressed -- opens name (a regular file, never through a symbolic
// link) and starts its decompressor from tools on it.  Returns null with
// *missing the tool's name when that tool was not found at start, or with
// *err when the file cannot be opened or the child started.
std::unique_ptr<Decompressed> open_compressed(const std::string& name,
                                              const Decompressors& tools, size_t window,
                                              std::string* missing, std::string* err);

// find_compressed_beside -- searches the directory of path for a compressed
// generation (path.*, path-* with a suffix of decompressor_for) whose
// decompressed content starts with head (not empty) and holds tail just
// before offset.
// Returns it positioned for reading from there, or null.  Each tool needed
// but missing is added once to *missing.
std::unique_ptr<Decompressed> find_compressed_beside(
    const std::string& path, const std::string& head, int64_t offset,
    const std::string& tail, const Decompressors& tools, size_t window,
    std::vector<std::string>* missing);

}  // namespace t2s

#endif
