// priority_test -- facility and severity names and codes; PRI = facility * 8 + severity.
#include <string>

#include <doctest/doctest.h>

#include "priority.h"

namespace t2s {

namespace {

struct Named {
    const char* name;
    int code;
};

// The names of syslog.conf(5) with their codes, written out again here so
// that a typo in the table of priority.cc cannot hide.
const Named kFacilityNames[] = {
    {"kern", 0},     {"user", 1},      {"mail", 2},      {"daemon", 3},
    {"auth", 4},     {"security", 4},  {"syslog", 5},    {"lpr", 6},
    {"news", 7},     {"uucp", 8},      {"cron", 9},      {"authpriv", 10},
    {"ftp", 11},     {"ntp", 12},      {"console", 14},  {"local0", 16},
    {"local1", 17},  {"local2", 18},   {"local3", 19},   {"local4", 20},
    {"local5", 21},  {"local6", 22},   {"local7", 23},
};

const Named kSeverityNames[] = {
    {"emerg", 0}, {"panic", 0}, {"alert", 1},   {"crit", 2},
    {"err", 3},   {"error", 3}, {"warning", 4}, {"warn", 4},
    {"notice", 5}, {"info", 6}, {"debug", 7},
};

// pri_of -- parse_priority's result, or -1 with the reason in *err.
int pri_of(const std::string& text, std::string* err) {
    int pri = -1;
    if (!parse_priority(text, &pri, err))
        return -1;
    return pri;
}

}  // namespace

TEST_CASE("parse_facility: every name has its code") {
    for (const Named& f : kFacilityNames) {
        CAPTURE(std::string(f.name));
        int code = -1;
        CHECK(parse_facility(f.name, &code));
        CHECK(code == f.code);
    }
}

TEST_CASE("parse_facility: numbers 0..23 only, names whole") {
    int code = -1;
    CHECK(parse_facility("0", &code));
    CHECK(code == 0);
    CHECK(parse_facility("23", &code));
    CHECK(code == 23);
    for (const char* bad : {"24", "-1", "", "foo", "user ", " user", "1x", "local8"}) {
        CAPTURE(std::string(bad));
        code = -1;
        CHECK_FALSE(parse_facility(bad, &code));
        CHECK(code == -1);
    }
}

TEST_CASE("parse_severity: every name and alias has its code") {
    for (const Named& s : kSeverityNames) {
        CAPTURE(std::string(s.name));
        int code = -1;
        CHECK(parse_severity(s.name, &code));
        CHECK(code == s.code);
    }
}

TEST_CASE("parse_severity: numbers 0..7 only") {
    for (int n = 0; n <= 7; ++n) {
        int code = -1;
        CHECK(parse_severity(std::to_string(n), &code));
        CHECK(code == n);
    }
    for (const char* bad : {"8", "-1", "", "foo", "warnings", "7 "}) {
        CAPTURE(std::string(bad));
        int code = -1;
        CHECK_FALSE(parse_severity(bad, &code));
    }
}

TEST_CASE("parse_priority: facility.severity for every pair of names") {
    std::string err;
    for (const Named& f : kFacilityNames) {
        for (const Named& s : kSeverityNames) {
            std::string text = std::string(f.name) + "." + s.name;
            CAPTURE(text);
            CHECK(pri_of(text, &err) == f.code * 8 + s.code);
        }
    }
}

TEST_CASE("parse_priority: numeric parts") {
    std::string err;
    CHECK(pri_of("16.4", &err) == 16 * 8 + 4);
    CHECK(pri_of("0.0", &err) == 0);
    CHECK(pri_of("23.7", &err) == 191);
    CHECK(pri_of("local0.4", &err) == 132);
    CHECK(pri_of("16.warning", &err) == 132);
}

TEST_CASE("parse_priority: a bare number is the PRI itself") {
    std::string err;
    for (int n = 0; n <= 191; ++n) {
        CAPTURE(n);
        CHECK(pri_of(std::to_string(n), &err) == n);
    }
}

TEST_CASE("parse_priority: a bare severity name is of facility user") {
    std::string err;
    for (const Named& s : kSeverityNames) {
        CAPTURE(std::string(s.name));
        CHECK(pri_of(s.name, &err) == 8 + s.code);
    }
    CHECK(pri_of("notice", &err) == kDefaultPri);
    CHECK(kDefaultPri == 13);
}

TEST_CASE("parse_priority: bad input is refused with a reason") {
    for (const char* bad : {"foo", "nofac.info", "user.nosev", "192", "-1", "", "1x",
                            "user.", ".info", " 13", "13 ", "24.0", "1.8", "user.info.x",
                            "user..info", "+13"}) {
        CAPTURE(std::string(bad));
        int pri = -1;
        std::string err;
        CHECK_FALSE(parse_priority(bad, &pri, &err));
        CHECK(pri == -1);
        CHECK_FALSE(err.empty());
    }
}

TEST_CASE("parse_priority: names in any case, as logger(1) takes them") {
    int pri = -1;
    std::string err;
    CHECK(parse_priority("LOCAL5.INFO", &pri, &err));
    CHECK(pri == 21 * 8 + 6);
    CHECK(parse_priority("Local0.Warning", &pri, &err));
    CHECK(pri == 16 * 8 + 4);
    CHECK(parse_priority("ERR", &pri, &err));
    CHECK(pri == 8 + 3);
    int code = -1;
    CHECK(parse_facility("USER", &code));
    CHECK(code == 1);
    CHECK(parse_severity("Debug", &code));
    CHECK(code == 7);
    CHECK_FALSE(parse_priority("LOCAL8.INFO", &pri, &err));
    CHECK(err == "unknown facility: LOCAL8");
}

TEST_CASE("parse_priority: the reason names the part that is wrong") {
    int pri;
    std::string err;
    CHECK_FALSE(parse_priority("nofac.info", &pri, &err));
    CHECK(err == "unknown facility: nofac");
    CHECK_FALSE(parse_priority("user.nosev", &pri, &err));
    CHECK(err == "unknown severity: nosev");
    CHECK_FALSE(parse_priority("foo", &pri, &err));
    CHECK(err == "invalid priority: foo");
}

}  // namespace t2s
