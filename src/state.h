// state -- the position file: where each followed file was read to, so that
// a restart resumes there.  Written atomically; read defensively.
//
// Format, one text line per open file, oldest rotated file of a path first:
//
//   tail2syslog-state 1
//   DEV INO OFFSET HEAD TAIL PATH
//
// HEAD is the file's first bytes and TAIL the bytes just before OFFSET, both
// in hex ("-" when none): together with DEV and INO they tell the file apart
// from a new one that got the same inode number.  PATH is the followed name
// made absolute (absolute_name), with bytes below 0x21, 0x7f and '%'
// written as %XX.  DEV and INO 0 (with OFFSET 0) record a followed name
// under which no file could be read: a file found there by the next run is
// read from its first byte.
#ifndef T2S_STATE_H
#define T2S_STATE_H

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace t2s {

struct SavedFile {
    std::string path;   // the followed name it was read under
    dev_t dev = 0;
    ino_t ino = 0;
    int64_t offset = 0;
    std::string head;   // raw bytes
    std::string tail;   // raw bytes
};

// format_state -- the file's text for these entries.
std::string format_state(const std::vector<SavedFile>& files);

// parse_state -- reads text into *files.  Lines it cannot read are skipped
// and counted in *bad; a wrong first line makes the whole text unreadable
// (false).  Never throws, whatever the input.
bool parse_state(const std::string& text, std::vector<SavedFile>* files, int* bad);

// read_state -- loads path; a missing file is an empty state.  False with
// *err if it exists but cannot be read, or is a symbolic link.
bool read_state(const std::string& path, std::string* text, std::string* err);

// absolute_name -- path made absolute against cwd (when relative and cwd
// is not empty), with empty and "." components dropped: the one spelling
// of a followed name, so that a run given "app.log", one given
// "./app.log" and a --daemon run (in /) given the full path take up each
// other's saved positions.  ".." is kept: a link may lie before it.  Pure.
std::string absolute_name(const std::string& path, const std::string& cwd);

// save_gap -- how long (ms) after a save that took took_ms the next one may
// come while lines are sent: interval_ms when the user gave it; else as
// often as saving costs at most a twentieth of the time, 50 ms at the
// soonest and interval_ms at the latest.  Pure.
int64_t save_gap(int64_t interval_ms, bool given, int64_t took_ms);

// write_state -- replaces path with text atomically: a temporary file in the
// same directory (mode 0600, never through a symbolic link), fsync, rename,
// fsync of the directory.
// On failure (ENOSPC, ...) the old file is left as it was.
bool write_state(const std::string& path, const std::string& text, std::string* err);

}  // namespace t2s

#endif
