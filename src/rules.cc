// rules -- per-line priority and filter rules with regcomp(3).
#include <regex.h>
#include <string.h>

#include "platform.h"
#include "rules.h"

namespace t2s {

namespace {

// bracket_end -- the index just past the bracket expression that opens at
// re[i] ('['), or re.size() if it does not end.
size_t bracket_end(const std::string& re, size_t i) {
    size_t j = i + 1;
    if (j < re.size() && re[j] == '^')
        ++j;
    if (j < re.size() && re[j] == ']')
        ++j;  // a ']' first is one of the bytes listed
    while (j < re.size() && re[j] != ']') {
        if (re[j] == '[' && j + 1 < re.size() &&
            (re[j + 1] == ':' || re[j + 1] == '=' || re[j + 1] == '.')) {
            // [:class:], [=equiv=], [.coll.]: they may hold a ']'
            size_t close = re.find(std::string{re[j + 1], ']'}, j + 2);
            if (close == std::string::npos)
                return re.size();
            j = close + 2;
        } else {
            ++j;
        }
    }
    return j < re.size() ? j + 1 : j;
}

// has_back_reference -- "\1" to "\9" outside a bracket expression, where
// a backslash is an ordinary byte.
bool has_back_reference(const std::string& re) {
    size_t i = 0;
    while (i < re.size()) {
        if (re[i] == '\\') {
            if (i + 1 < re.size() && re[i + 1] >= '1' && re[i + 1] <= '9')
                return true;
            i += 2;
        } else if (re[i] == '[') {
            i = bracket_end(re, i);
        } else {
            ++i;
        }
    }
    return false;
}

}  // namespace

bool check_regex(const std::string& regex, std::string* err) {
    if (has_back_reference(regex)) {
        *err = "back-references are not allowed: " + regex;
        return false;
    }
    regex_t re;
    int rc = regcomp(&re, regex.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &re, why, sizeof why);
        *err = "invalid regex " + regex + ": " + why;
        return false;
    }
    regfree(&re);
    return true;
}

Rules::~Rules() {
    for (auto& r : rules_)
        regfree(&r->re);
}

bool Rules::add(const Options::Rule& rule, std::string* err) {
    std::unique_ptr<Compiled> c(new Compiled);
    c->kind = rule.kind;
    c->pri = rule.pri;
    if (!check_regex(rule.regex, err))
        return false;
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
    if (len > kRuleBytes)
        len = kRuleBytes;
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
