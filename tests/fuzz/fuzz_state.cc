// fuzz_state -- the state file parser.  The input is the file's text.
//
// parse_state must never crash or throw; what it reads must be what the
// contract allows (HEAD at most 32 bytes, TAIL at most 16 and not longer
// than OFFSET, OFFSET not negative, PATH not empty); and what it reads,
// written back with format_state, must read back the same, without a bad
// line, and write back to the very same text.
#include <string>
#include <vector>

#include "fuzz.h"
#include "state.h"

namespace {

bool same(const t2s::SavedFile& a, const t2s::SavedFile& b) {
    return a.path == b.path && a.dev == b.dev && a.ino == b.ino && a.offset == b.offset &&
           a.head == b.head && a.tail == b.tail;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<SavedFile> files;
    int bad = -1;
    bool ok = parse_state(text, &files, &bad);
    FUZZ_CHECK(bad >= 0);
    if (!ok) {
        FUZZ_CHECK(files.empty());
        return 0;
    }
    size_t lines = 0;
    for (char c : text)
        lines += c == '\n';
    FUZZ_CHECK(files.size() + size_t(bad) <= lines);
    for (const SavedFile& f : files) {
        FUZZ_CHECK(!f.path.empty());
        FUZZ_CHECK(f.offset >= 0);
        FUZZ_CHECK(f.head.size() <= 32 && f.tail.size() <= 16);
        FUZZ_CHECK(int64_t(f.tail.size()) <= f.offset);
    }

    const std::string out = format_state(files);
    std::vector<SavedFile> again;
    int bad_again = -1;
    FUZZ_CHECK(parse_state(out, &again, &bad_again));
    FUZZ_CHECK(bad_again == 0);
    FUZZ_CHECK(again.size() == files.size());
    for (size_t i = 0; i < files.size(); ++i)
        FUZZ_CHECK(same(files[i], again[i]));
    FUZZ_CHECK(format_state(again) == out);
    return 0;
}
