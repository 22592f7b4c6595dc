// state -- the position file.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "sys.h"

namespace t2s {

namespace {

const char kMagic[] = "tail2syslog-state 1";
const char kHex[] = "0123456789abcdef";

std::string to_hex(const std::string& bytes) {
    if (bytes.empty())
        return "-";
    std::string out;
    for (unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool from_hex(const std::string& text, size_t max, std::string* out) {
    out->clear();
    if (text == "-")
        return true;
    if (text.size() % 2 != 0 || text.size() / 2 > max)
        return false;
    for (size_t i = 0; i < text.size(); i += 2) {
        int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        *out += char(hi * 16 + lo);
    }
    return true;
}

std::string encode_path(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (c < 0x21 || c == 0x7f || c == '%') {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += char(c);
        }
    }
    return out;
}

bool decode_path(const std::string& text, std::string* out) {
    out->clear();
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            *out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return false;
        int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        *out += char(hi * 16 + lo);
        i += 2;
    }
    return !out->empty();
}

// next_field -- the text up to the next space; false at the end of line.
bool next_field(const std::string& line, size_t* pos, std::string* field) {
    if (*pos >= line.size())
        return false;
    size_t space = line.find(' ', *pos);
    if (space == std::string::npos)
        space = line.size();
    *field = line.substr(*pos, space - *pos);
    *pos = space + 1;
    return !field->empty();
}

bool parse_u64(const std::string& text, uint64_t* out) {
    if (text.empty() || text.size() > 20)
        return false;
    uint64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        uint64_t next = n * 10 + uint64_t(c - '0');
        if (next / 10 != n)
            return false;
        n = next;
    }
    *out = n;
    return true;
}

bool parse_line(const std::string& line, SavedFile* f) {
    size_t pos = 0;
    std::string dev, ino, offset, head, tail;
    uint64_t d, i, o;
    if (!next_field(line, &pos, &dev) || !next_field(line, &pos, &ino) ||
        !next_field(line, &pos, &offset) || !next_field(line, &pos, &head) ||
        !next_field(line, &pos, &tail) || pos >= line.size())
        return false;
    if (!parse_u64(dev, &d) || !parse_u64(ino, &i) || !parse_u64(offset, &o) ||
        o > uint64_t(INT64_MAX))
        return false;
    f->dev = dev_t(d);
    f->ino = ino_t(i);
    f->offset = int64_t(o);
    return from_hex(head, 32, &f->head) && from_hex(tail, 16, &f->tail) &&
           int64_t(f->tail.size()) <= f->offset &&
           decode_path(line.substr(pos), &f->path);
}

// sync_directory -- flushes the directory of path, so that a rename in it
// survives a power loss: until then the disk may still hold the old name's
// file, or (on some file systems) none.  EINVAL: it cannot be flushed.
bool sync_directory(const std::string& path, std::string* err) {
    std::string::size_type slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = dir + ": " + errno_text(errno);
        return false;
    }
    Fd owned(fd);
    if (fsync(fd) < 0 && errno != EINVAL) {
        *err = dir + ": " + errno_text(errno);
        return false;
    }
    return true;
}

}  // namespace

std::string format_state(const std::vector<SavedFile>& files) {
    std::string out = std::string(kMagic) + "\n";
    for (const SavedFile& f : files) {
        char nums[80];
        snprintf(nums, sizeof nums, "%" PRIu64 " %" PRIu64 " %" PRId64 " ",
                 uint64_t(f.dev), uint64_t(f.ino), f.offset);
        out += nums + to_hex(f.head) + " " + to_hex(f.tail) + " " + encode_path(f.path) + "\n";
    }
    return out;
}

bool parse_state(const std::string& text, std::vector<SavedFile>* files, int* bad) {
    files->clear();
    *bad = 0;
    size_t eol = text.find('\n');
    if (eol == std::string::npos || text.compare(0, eol, kMagic) != 0)
        return false;
    for (size_t pos = eol + 1; pos < text.size();) {
        eol = text.find('\n', pos);
        if (eol == std::string::npos) {  // a torn last line
            ++*bad;
            break;
        }
        SavedFile f;
        if (parse_line(text.substr(pos, eol - pos), &f))
            files->push_back(f);
        else
            ++*bad;
        pos = eol + 1;
    }
    return true;
}

bool read_state(const std::string& path, std::string* text, std::string* err) {
    text->clear();
    int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        *err = path + ": " + (errno == ELOOP ? std::string("is a symbolic link")
                                              : errno_text(errno));
        return false;
    }
    Fd owned(fd);
    struct stat sb;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        *err = path + ": not a regular file";
        return false;
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        text->append(buf, size_t(n));
        if (text->size() > (64u << 20)) {
            *err = path + ": too large for a state file";
            return false;
        }
    }
    if (n < 0) {
        *err = path + ": " + errno_text(errno);
        return false;
    }
    return true;
}

std::string absolute_name(const std::string& path, const std::string& cwd) {
    if (path.empty())
        return path;
    std::string whole = path[0] == '/' || cwd.empty() ? path : cwd + "/" + path;
    std::string out;
    size_t at = 0;
    while (at <= whole.size()) {
        size_t end = whole.find('/', at);
        if (end == std::string::npos)
            end = whole.size();
        std::string part = whole.substr(at, end - at);
        if (!part.empty() && part != ".")
            out += (out.empty() && whole[0] != '/' ? "" : "/") + part;
        at = end + 1;
    }
    if (out.empty())
        return whole[0] == '/' ? "/" : ".";
    return out;
}

// A save (two fsyncs) took 0.4 to 7 ms on the ext4 disk of our tests,
// depending on the load: once per batch, up to a hundred a second at 20,000
// lines a second, would cost up to 70% of the time.  After kill -9 a restart
// sends again the lines sent since the last save: as often as is cheap.
int64_t save_gap(int64_t interval_ms, bool given, int64_t took_ms) {
    const int64_t kSoonestMs = 50, kCostFactor = 20;
    if (given)
        return interval_ms;
    int64_t gap = took_ms * kCostFactor;
    gap = gap < kSoonestMs ? kSoonestMs : gap;
    return gap < interval_ms ? gap : interval_ms;
}

bool write_state(const std::string& path, const std::string& text, std::string* err) {
    struct stat sb;
    if (lstat(path.c_str(), &sb) == 0 && !S_ISREG(sb.st_mode)) {
        *err = path + (S_ISLNK(sb.st_mode) ? ": is a symbolic link, not replaced"
                                           : ": not a regular file");
        return false;
    }
    std::string tmp = path + ".tmp";
    unlink(tmp.c_str());  // a leftover of a crash; never followed if a link
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        *err = tmp + ": " + errno_text(errno);
        return false;
    }
    Fd owned(fd);
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *err = tmp + ": " + errno_text(n < 0 ? errno : ENOSPC);
            unlink(tmp.c_str());
            return false;
        }
        p += n;
        left -= size_t(n);
    }
    if (fsync(fd) < 0 || close(owned.release()) < 0) {
        *err = tmp + ": " + errno_text(errno);
        unlink(tmp.c_str());
        return false;
    }
    if (rename(tmp.c_str(), path.c_str()) < 0) {
        *err = path + ": " + errno_text(errno);
        unlink(tmp.c_str());
        return false;
    }
    return sync_directory(path, err);
}

}  // namespace t2s
