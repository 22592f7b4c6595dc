// rules -- per-line priority and filter rules with regcomp(3).
#include <regex.h>
#include <string.h>

#include "platform.h"
#include "rules.h"

namespace t2s {

Rules::~Rules() {
    for (auto& r : rules_)
        regfree(&r->re);
}

bool Rules::add(const Options::Rule& rule, std::string* err) {
    std::unique_ptr<Compiled> c(new Compiled);
    c->kind = rule.kind;
    c->pri = rule.pri;
    int rc = regcomp(&c->re, rule.regex.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &c->re, why, sizeof why);
        *err = "invalid regex " + rule.regex + ": " + why;
        return false;
    }
    have_include_ |= rule.kind == Options::Rule::include;
    rules_.push_back(std::move(c));
    return true;
}

bool Rules::matches(regex_t* re, const char* line, size_t len) {
#if T2S_HAVE_REG_STARTEND
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = regoff_t(len);
    return regexec(re, line, 1, range, REG_STARTEND) == 0;
#else
    if (scratch_.size() < len + 1)
        scratch_.resize(len + 1);
    memcpy(scratch_.data(), line, len);
    scratch_[len] = '\0';
    return regexec(re, scratch_.data(), 0, nullptr, 0) == 0;
#endif
}

int Rules::apply(const char* line, size_t len, int pri) {
    bool included = !have_include_, matched = false;
    for (auto& r : rules_) {
        switch (r->kind) {
        case Options::Rule::exclude:
            if (matches(&r->re, line, len))
                return -1;
            break;
        case Options::Rule::include:
            if (!included && matches(&r->re, line, len))
                included = true;
            break;
        case Options::Rule::match:
            if (!matched && matches(&r->re, line, len)) {
                matched = true;
                pri = r->pri;
            }
            break;
        }
    }
    return included ? pri : -1;
}

}  // namespace t2s
