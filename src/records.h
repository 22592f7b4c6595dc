// records -- --record-start: which lines begin a record (a stack trace, a
// traceback: one event over several lines), and how far a record reaches in
// a run of bytes.  No I/O.
#ifndef T2S_RECORDS_H
#define T2S_RECORDS_H

#include <regex.h>

#include <cstddef>
#include <string>
#include <vector>

namespace t2s {

class RecordStart {
public:
    RecordStart() = default;
    RecordStart(const RecordStart&) = delete;
    RecordStart& operator=(const RecordStart&) = delete;
    ~RecordStart();

    // compile -- the POSIX extended regex a first line matches; false with
    // *err.  Also works out the cheap test (first bytes, literal prefix).
    bool compile(const std::string& regex, std::string* err);

    // starts -- whether line[0..len) (no LF) begins a record, judged on its
    // first kRuleBytes bytes, as the rules judge a line.
    bool starts(const char* line, size_t len);

    // The cheap test, exposed for the tests: the literal text a starting line
    // must begin with, and whether byte c may be its first byte.
    const std::string& prefix() const { return prefix_; }
    bool may_start_with(unsigned char c) const { return first_[c]; }
    unsigned long regexec_calls() const { return regexec_calls_; }

private:
    void plan(const std::string& regex);

    bool compiled_ = false;
    regex_t re_;
    std::string prefix_;        // a starting line begins with it
    bool first_[256];           // bytes a starting line may begin with
    bool empty_ok_ = true;      // an empty line may start a record
    unsigned long regexec_calls_ = 0;
    std::vector<char> scratch_;  // NUL-terminated copy, without REG_STARTEND
};

// What record_extent found: the record spans buf[pos..end).  closed: it
// is known to end there (the next line starts a record, or flush).
struct Extent {
    size_t end;
    bool closed;
};

// record_extent -- how far the record at buf[pos..len) reaches: its first
// line (from pos, which may be inside a line) and every following line that
// does not start a record.  judge_first: pos is inside a record, at the
// start of a line that may start the next one (an empty extent, closed, if
// it does).  An unterminated last line is judged only with flush or once it
// is judge_len bytes long; until then the record is open and ends before it.
Extent record_extent(const char* buf, size_t pos, size_t len, bool flush,
                     size_t judge_len, bool judge_first, RecordStart* rs);

}  // namespace t2s

#endif
