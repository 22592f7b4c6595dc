// rules -- per-line rules: --match REGEX=PRIORITY sets the priority of the
// lines that match (the first rule that matches wins), --include keeps only
// lines that match one of them, --exclude drops lines that match.
#ifndef T2S_RULES_H
#define T2S_RULES_H

#include <regex.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "options.h"

namespace t2s {

class Rules {
public:
    Rules() = default;
    Rules(const Rules&) = delete;
    Rules& operator=(const Rules&) = delete;
    ~Rules();

    // add -- compiles one rule (POSIX extended regex); false with *err.
    bool add(const Options::Rule& rule, std::string* err);
    bool empty() const { return rules_.empty(); }

    // apply -- the priority for line[0..len), or -1 if the line is dropped.
    // pri is the priority it would have without rules.
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
