// records -- where records begin and end.
//
// Most lines of a stack trace cannot start a record, and a regexec(3) per
// line costs more than the rest of the line's way put together.  An anchored
// regex ("^" first) tells which bytes a starting line may begin with, and
// often a literal text it begins with: a line failing those is a
// continuation line without a regexec.
#include <regex.h>
#include <string.h>

#include "platform.h"
#include "records.h"
#include "rules.h"

namespace t2s {

namespace {

bool special(char c) {
    return strchr("^$.[]()|*+?{}\\", c) != nullptr;
}

// optional_after -- whether a quantifier at re[i] lets what precedes it be
// absent: "*", "?", "{0...}" or "{,...}".
bool optional_after(const std::string& re, size_t i) {
    if (i >= re.size())
        return false;
    if (re[i] == '*' || re[i] == '?')
        return true;
    return re[i] == '{' && i + 1 < re.size() && (re[i + 1] == '0' || re[i + 1] == ',');
}

// bracket -- parses the bracket expression at re[i] ("[...]") into set; returns
// the index just past it, or 0 if it is one we do not take apart.
size_t bracket(const std::string& re, size_t i, bool set[256]) {
    bool in[256] = {};
    size_t j = i + 1;
    bool negate = j < re.size() && re[j] == '^';
    if (negate)
        ++j;
    bool first = true;
    while (j < re.size() && (re[j] != ']' || first)) {
        first = false;
        if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
            size_t close = re.find(":]", j + 2);
            if (close == std::string::npos)
                return 0;
            std::string name = re.substr(j + 2, close - j - 2);
            for (int c = 0; c < 256; ++c) {
                bool yes = name == "digit"   ? c >= '0' && c <= '9'
                         : name == "space"   ? strchr(" \t\n\v\f\r", c) && c
                         : name == "blank"   ? c == ' ' || c == '\t'
                         : name == "upper"   ? c >= 'A' && c <= 'Z'
                         : name == "lower"   ? c >= 'a' && c <= 'z'
                         : name == "alpha"   ? (c | 32) >= 'a' && (c | 32) <= 'z'
                         : name == "alnum"   ? ((c | 32) >= 'a' && (c | 32) <= 'z') ||
                                                   (c >= '0' && c <= '9')
                         : name == "punct"   ? c > 32 && c < 127 && !((c | 32) >= 'a' && (c | 32) <= 'z') &&
                                                   !(c >= '0' && c <= '9')
                         : name == "xdigit"  ? (c >= '0' && c <= '9') ||
                                                   ((c | 32) >= 'a' && (c | 32) <= 'f')
                                             : true;  // any other class: no saying
                // Outside the C locale a class may hold bytes >= 0x80.
                in[c] |= yes || c >= 0x80;
            }
            j = close + 2;
            continue;
        }
        if (re[j] == '[' && j + 1 < re.size() && (re[j + 1] == '.' || re[j + 1] == '='))
            return 0;  // collating elements: leave it to regexec
        unsigned char lo = static_cast<unsigned char>(re[j]), hi = lo;
        if (j + 2 < re.size() && re[j + 1] == '-' && re[j + 2] != ']') {
            hi = static_cast<unsigned char>(re[j + 2]);
            j += 2;
        }
        if (lo >= 0x80 || hi >= 0x80)
            return 0;  // a multibyte locale's range: no saying
        for (int c = lo; c <= hi; ++c)
            in[c] = true;
        ++j;
    }
    if (j >= re.size())
        return 0;
    for (int c = 0; c < 256; ++c)
        set[c] = negate ? !in[c] || c >= 0x80 : in[c];
    // Without the C locale, case-insensitive ranges and the like: a byte
    // >= 0x80 is always let through (above), to regexec.
    return j + 1;
}

}  // namespace

RecordStart::~RecordStart() {
    if (compiled_)
        regfree(&re_);
}

bool RecordStart::compile(const std::string& regex, std::string* err) {
    if (!check_regex(regex, err))  // no back-references, as for the rules
        return false;
    int rc = regcomp(&re_, regex.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &re_, why, sizeof why);
        *err = "invalid regex " + regex + ": " + why;
        return false;
    }
    compiled_ = true;
    plan(regex);
    return true;
}

// plan -- the cheap test.  Only "^" followed by a literal or a bracket
// expression is taken apart; an alternation anywhere, or anything else,
// leaves every line to regexec.
void RecordStart::plan(const std::string& re) {
    for (bool& b : first_)
        b = true;
    prefix_.clear();
    empty_ok_ = true;
    if (re.empty() || re[0] != '^' || re.find('|') != std::string::npos)
        return;
    size_t i = 1;
    if (i < re.size() && re[i] == '[') {
        bool set[256];
        size_t next = bracket(re, i, set);
        if (next == 0 || optional_after(re, next))
            return;
        memcpy(first_, set, sizeof first_);
        empty_ok_ = false;
        return;
    }
    while (i < re.size()) {
        char c = re[i];
        size_t step = 1;
        if (c == '\\' && i + 1 < re.size() && special(re[i + 1])) {
            c = re[i + 1];  // "\[": a literal bracket
            step = 2;
        } else if (special(c)) {
            break;
        }
        if (optional_after(re, i + step))
            break;  // "^ab*": the b may be absent
        prefix_ += c;
        i += step;
    }
    if (!prefix_.empty()) {
        for (int c = 0; c < 256; ++c)
            first_[c] = c == static_cast<unsigned char>(prefix_[0]);
        empty_ok_ = false;
    }
}

bool RecordStart::starts(const char* line, size_t len) {
    if (len > kRuleBytes)
        len = kRuleBytes;  // as the rules: regexec's time grows with the square
    if (len == 0) {
        if (!empty_ok_)
            return false;
    } else if (!first_[static_cast<unsigned char>(line[0])]) {
        return false;
    }
    if (len < prefix_.size() || memcmp(line, prefix_.data(), prefix_.size()) != 0)
        return false;
    ++regexec_calls_;
#if T2S_HAVE_REG_STARTEND
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = regoff_t(len);
    return regexec(&re_, line, 1, range, REG_STARTEND) == 0;
#else
    if (scratch_.size() < len + 1)
        scratch_.resize(len + 1);
    memcpy(scratch_.data(), line, len);
    scratch_[len] = '\0';
    return regexec(&re_, scratch_.data(), 0, nullptr, 0) == 0;
#endif
}

Extent record_extent(const char* buf, size_t pos, size_t len, bool flush,
                     size_t judge_len, bool judge_first, RecordStart* rs) {
    size_t p = pos;
    if (!judge_first) {
        // The first line belongs to the record, whatever it holds.
        const char* nl = static_cast<const char*>(memchr(buf + pos, '\n', len - pos));
        if (!nl)
            return Extent{len, flush};
        p = size_t(nl - buf) + 1;
    }
    while (p < len) {
        const char* nl;
        const char* line = buf + p;
        nl = static_cast<const char*>(memchr(line, '\n', len - p));
        size_t line_len = nl ? size_t(nl - line) : len - p;
        if (!nl && !flush && line_len < judge_len)
            return Extent{p, false};  // cannot tell yet what this line is
        size_t body_len = line_len;
        if (body_len > 0 && line[body_len - 1] == '\r')
            --body_len;
        if (rs->starts(line, body_len))
            return Extent{p, true};
        p = nl ? size_t(nl - buf) + 1 : len;
    }
    return Extent{len, flush};
}

}  // namespace t2s
