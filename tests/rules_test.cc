// rules_test -- back-references refused, the bytes a rule may see bounded,
// and a hostile line that stays cheap.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "rules.h"
#include "sys.h"

namespace t2s {

namespace {

Options::Rule rule(Options::Rule::Kind kind, const std::string& regex, int pri = -1) {
    Options::Rule r;
    r.kind = kind;
    r.regex = regex;
    r.pri = pri;
    return r;
}

}  // namespace

TEST_CASE("check_regex: back-references are refused") {
    std::string err;
    CHECK_FALSE(check_regex("(a)\\1", &err));
    CHECK(err == "back-references are not allowed: (a)\\1");
    CHECK_FALSE(check_regex("(a*)*\\9x", &err));
    CHECK_FALSE(check_regex("[]]\\1", &err));
    CHECK_FALSE(check_regex("[[:alpha:]]\\2", &err));
}

TEST_CASE("check_regex: a backslash and digit that are no back-reference") {
    std::string err;
    CHECK(check_regex("[\\1]", &err));        // in brackets: two bytes listed
    CHECK(check_regex("\\\\1", &err));        // a literal backslash, then 1
    CHECK(check_regex("[^]\\1]x", &err));     // ']' first in the list
    CHECK(check_regex("[[:digit:]\\1]", &err));
    CHECK(check_regex("a\\.1", &err));
}

TEST_CASE("check_regex: an invalid regex") {
    std::string err;
    CHECK_FALSE(check_regex("a(", &err));
    CHECK(err.compare(0, 17, "invalid regex a(:") == 0);
}

TEST_CASE("Rules::add: refuses a back-reference") {
    Rules rules;
    std::string err;
    CHECK_FALSE(rules.add(rule(Options::Rule::exclude, "(x)\\1"), &err));
    CHECK(rules.empty());
}

TEST_CASE("Rules::apply: sees the first kRuleBytes bytes only") {
    Rules rules;
    std::string err;
    REQUIRE(rules.add(rule(Options::Rule::exclude, "secret"), &err));
    REQUIRE(rules.add(rule(Options::Rule::match, "a$", 11), &err));
    std::string line(kRuleBytes - 6, 'a');
    line += "secret";
    CHECK(rules.apply(line.data(), line.size(), 13) == -1);  // within the bound
    line.insert(0, 6, 'a');
    // "secret" now lies past the bound, and the line as seen ends in 'a'
    CHECK(rules.apply(line.data(), line.size(), 13) == 11);
}

TEST_CASE("Rules::apply: a 64 KiB hostile line takes well under a second") {
    Rules rules;
    std::string err;
    REQUIRE(rules.add(rule(Options::Rule::match, "a+b", 11), &err));
    std::string line(64 * 1024, 'a');
    int64_t start = now_ms();
    CHECK(rules.apply(line.data(), line.size(), 13) == 13);
    CHECK(now_ms() - start < 1000);
}

}  // namespace t2s
