// decompress -- compressed generations read through their decompressor.
//
// | what happens                          | what we do                                   |
// |---------------------------------------|----------------------------------------------|
// | a generation's suffix names a tool    | run it as "tool -dc", the file as its stdin  |
// |   found on PATH at start              |   (opened by us, no link followed)           |
// | its tool was not found at start       | the caller warns once, naming the tool       |
// | an offset before the one read last    | refused (EINVAL): a pipe does not rewind     |
// | an offset ahead of what came out      | read and drop up to it                       |
// | the output ends                       | reap the child; a failure (corrupt file,     |
// |                                       |   signal) is kept for the caller to report   |
// | we are done with it before its end    | kill and reap the child                      |
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>

#include "decompress.h"
#include "follow.h"
#include "open_safe.h"

namespace t2s {

namespace {

struct Suffix {
    const char* suffix;
    const char* tool;
};

// .Z (compress(1), newsyslog's Z flag in old BSDs) is read by gzip too.
const Suffix kSuffixes[] = {
    {".gz", "gzip"}, {".Z", "gzip"}, {".bz2", "bzip2"}, {".xz", "xz"}, {".zst", "zstd"},
};

const char* const kTools[] = {"gzip", "bzip2", "xz", "zstd"};

// How much is read from the pipe at once.
const size_t kPipeRead = 65536;

}  // namespace

const char* decompressor_for(const std::string& name) {
    for (const Suffix& s : kSuffixes) {
        size_t n = strlen(s.suffix);
        if (name.size() > n && name.compare(name.size() - n, n, s.suffix) == 0)
            return s.tool;
    }
    return nullptr;
}

void Decompressors::find(const char* dirs, const Identity* identity) {
    found_.clear();
    for (const char* tool : kTools) {
        std::string path, err;
        if (resolve_program(tool, dirs, &path, &err))
            found_.emplace_back(tool, path);
    }
    has_identity_ = identity != nullptr;
    if (identity)
        identity_ = *identity;
}

std::string Decompressors::program(const std::string& tool) const {
    for (const auto& f : found_)
        if (f.first == tool)
            return f.second;
    return std::string();
}

std::vector<std::string> Decompressors::programs() const {
    std::vector<std::string> out;
    for (const auto& f : found_)
        out.push_back(f.second);
    return out;
}

Decompressed::~Decompressed() {
    if (pid_ > 0)
        reap(true);
}

bool Decompressed::start(const std::string& program, int file, const Identity* identity,
                         size_t window, std::string* err) {
    const char* slash = strrchr(program.c_str(), '/');
    ChildSpec spec;
    spec.program = program;
    spec.argv = {slash ? slash + 1 : program.c_str(), "-dc"};
    spec.stdin_pipe = false;
    spec.stdin_fd = file;
    spec.stdout_pipe = true;
    spec.identity = identity;
    Child child;
    if (!spawn_child(spec, &child, err))
        return false;
    pid_ = child.pid;
    out_ = std::move(child.from_child);
    max_ = window;
    window_.reserve(window + kPipeRead);
    return true;
}

// reap -- waits for the child (killing it first if asked), noting a failure.
void Decompressed::reap(bool kill_it) {
    if (kill_it)
        kill(pid_, SIGKILL);
    out_.reset();
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    if (kill_it)
        return;
    if (WIFSIGNALED(status))
        failure_ = std::string("killed by signal ") + std::to_string(WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        failure_ = "exit status " + std::to_string(WEXITSTATUS(status));
}

// fill -- reads from the pipe until the window reaches until or the output
// ends.  Bytes before until - max_ are dropped as they come, so that skipping
// to a far offset costs no memory.
bool Decompressed::fill(int64_t until) {
    while (size() < until && !finished_) {
        int64_t keep_from = until - int64_t(max_);
        if (keep_from > start_) {
            size_t drop = std::min(size_t(keep_from - start_), window_.size());
            window_.erase(window_.begin(), window_.begin() + long(drop));
            start_ += int64_t(drop);
        }
        size_t had = window_.size();
        window_.resize(had + kPipeRead);
        ssize_t n = read(out_.get(), window_.data() + had, kPipeRead);
        window_.resize(had + (n > 0 ? size_t(n) : 0));
        if (n < 0)
            return false;  // EINTR: a signal to look at; the caller retries
        if (n == 0) {
            finished_ = true;
            reap(false);
        }
    }
    return true;
}

ssize_t Decompressed::read_at(char* dst, size_t len, int64_t offset) {
    if (offset < start_) {
        errno = EINVAL;
        return -1;
    }
    size_t drop = std::min(size_t(offset - start_), window_.size());
    window_.erase(window_.begin(), window_.begin() + long(drop));
    start_ += int64_t(drop);
    if (len > max_)
        len = max_;
    if (!fill(offset + int64_t(len)))
        return -1;
    if (offset >= size())
        return 0;
    size_t n = std::min(len, size_t(size() - offset));
    memcpy(dst, window_.data() + (offset - start_), n);
    return ssize_t(n);
}

bool matches(Decompressed* z, const std::string& head, int64_t offset,
             const std::string& tail) {
    char got[64];
    if (head.size() > sizeof got || tail.size() > sizeof got ||
        offset < int64_t(tail.size()))
        return false;
    if (!head.empty() && (z->read_at(got, head.size(), 0) != ssize_t(head.size()) ||
                          memcmp(got, head.data(), head.size()) != 0))
        return false;
    ssize_t n = z->read_at(got, tail.size(), offset - int64_t(tail.size()));
    if (tail.empty())
        return n >= 0 && z->size() >= offset;
    return n == ssize_t(tail.size()) && memcmp(got, tail.data(), tail.size()) == 0;
}

namespace {

// start_on -- starts the decompressor of name on fd, a regular file opened
// along open_safe's rules (closed here: the child has its own copy).
std::unique_ptr<Decompressed> start_on(const std::string& name, int fd,
                                       const Decompressors& tools, size_t window,
                                       std::string* missing, std::string* err) {
    Fd file(fd);
    const char* tool = decompressor_for(name);
    if (!tool) {
        *err = name + ": " + errno_text(EINVAL);  // not a suffix we know
        return nullptr;
    }
    std::string program = tools.program(tool);
    if (program.empty()) {
        *missing = tool;
        return nullptr;
    }
    // A decompressor reading a descriptor that does not block.
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::unique_ptr<Decompressed> z(new Decompressed);
    if (!z->start(program, fd, tools.identity(), window, err))
        return nullptr;
    z->set_name(name);
    return z;
}

void split(const std::string& path, std::string* dir, std::string* base) {
    std::string::size_type slash = path.find_last_of('/');
    *dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    *base = slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::unique_ptr<Decompressed> open_compressed(const std::string& name,
                                              const Decompressors& tools, size_t window,
                                              std::string* missing, std::string* err) {
    std::string dir, base;
    split(name, &dir, &base);
    SafeDir safe;
    OpenError e;
    struct stat sb;
    int fd = safe.open(dir, &e) ? safe.open_entry(base, Links::refuse, &sb, &e) : -1;
    if (fd < 0) {
        *err = name + ": " + e.why;
        return nullptr;
    }
    return start_on(name, fd, tools, window, missing, err);
}

std::unique_ptr<Decompressed> find_compressed_beside(
    const std::string& path, const std::string& head, int64_t offset,
    const std::string& tail, const Decompressors& tools, size_t window,
    std::vector<std::string>* missing) {
    if (head.empty())
        return nullptr;  // nothing to know it by: every file would match
    std::string dir, base;
    split(path, &dir, &base);
    SafeDir safe;
    OpenError e;
    if (!safe.open(dir, &e))
        return nullptr;
    std::vector<std::string> names;
    int list = safe.list_fd();
    if (DIR* d = list < 0 ? nullptr : fdopendir(list)) {
        while (struct dirent* ent = readdir(d)) {
            std::string name = ent->d_name;
            if (rotated_name(base, name) && decompressor_for(name))
                names.push_back(name);
        }
        closedir(d);
    } else if (list >= 0) {
        close(list);
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        std::string tool, err;
        struct stat sb;
        int fd = safe.open_entry(name, Links::refuse, &sb, &e);
        if (fd < 0)
            continue;
        std::string full = path.find('/') == std::string::npos ? name : dir + name;
        std::unique_ptr<Decompressed> z = start_on(full, fd, tools, window, &tool, &err);
        if (!z && !tool.empty() &&
            std::find(missing->begin(), missing->end(), tool) == missing->end())
            missing->push_back(tool);
        if (z && matches(z.get(), head, offset, tail))
            return z;
    }
    return nullptr;
}

}  // namespace t2s
