// rules -- per-line rules: --match REGEX=PRIORITY sets the priority of the
// lines that match (the first rule that matches wins), --include keeps only
// lines that match one of them, --exclude drops lines that match.  Lines are
// written by whoever can write the followed files, so the work a rule may do
// on one is bounded: it sees the line's first kRuleBytes bytes only, and
// back-references (whose matching can take exponential time) are refused.
#ifndef T2S_RULES_H
#define T2S_RULES_H

#include <regex.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "options.h"

namespace t2s {

// Rules see at most this many bytes of a line, its start, as if the line
// ended there: glibc's regexec takes time quadratic in the length of its
// input for patterns such as "a+b".  The manual says so under --match.
enum { kRuleBytes = 4096 };

// check_regex -- whether regex compiles as a POSIX extended regex and uses
// no back-reference (\1 to \9 outside a bracket expression); false with *err.
bool check_regex(const std::string& regex, std::string* err);

class Rules {
public:
    Rules() = default;
    Rules(const Rules&) = delete;
    Rules& operator=(const Rules&) = delete;
    ~Rules();

    // add -- compiles one rule (check_regex's rules); false with *err.
    bool add(const Options::Rule& rule, std::string* err);
    bool empty() const { return rules_.empty(); }

    // apply -- the priority for line[0..len), or -1 if the line is dropped;
    // pri is the priority it would have without rules.  Only the first
    // kRuleBytes bytes of the line are looked at.
    int apply(const char* line, size_t len, int pri);

private:
    struct Compiled {
        Options::Rule::Kind kind;
        int pri;
        regex_t re;
    };
    bool matches(regex_t* re, const char* line, size_t len);

    std::vector<std::unique_ptr<Compiled>> rules_;
    bool have_include_ = false;
    std::vector<char> scratch_;  // a NUL-terminated copy, where REG_STARTEND is missing
};

}  // namespace t2s

#endif
