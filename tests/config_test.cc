// config_test -- the -f file: paths relative to the file, duplicates, and
// the reasons given for a bad line.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "config.h"

namespace t2s {

namespace {

// parse -- the specs of text read from a config file called name, or the
// error as *err.
std::vector<FileSpec> parse(const std::string& text, const std::string& name,
                            std::string* err, Format format = Format::rfc3164) {
    Options opts;
    opts.format = format;
    std::vector<FileSpec> specs;
    err->clear();
    if (!parse_config(text, name, opts, &specs, err))
        specs.clear();
    return specs;
}

}  // namespace

TEST_CASE("parse_config: a relative path is taken from the config file's directory") {
    std::string err;
    auto specs = parse("app.log\n/var/log/abs.log\nsub/*.log\n../up.log\n",
                       "/etc/t2s/t2s.conf", &err);
    REQUIRE(err == "");
    REQUIRE(specs.size() == 4);
    CHECK(specs[0].pattern == "/etc/t2s/app.log");
    CHECK(specs[1].pattern == "/var/log/abs.log");
    CHECK(specs[2].pattern == "/etc/t2s/sub/*.log");
    CHECK(specs[3].pattern == "/etc/t2s/../up.log");

    specs = parse("app.log\n", "conf/t2s.conf", &err);  // a relative config file
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].pattern == "conf/app.log");

    specs = parse("app.log\n", "t2s.conf", &err);  // in the current directory
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].pattern == "app.log");
}

TEST_CASE("parse_config: a path listed twice is an error naming both lines") {
    std::string err;
    parse("/var/log/a.log tag=a\n# x\n/var/log/b.log\n/var/log/a.log tag=b\n", "/etc/c.conf",
          &err);
    CHECK(err == "/etc/c.conf:4: /var/log/a.log is already on line 1");
    // the same file, once relative and once absolute
    parse("a.log\n/etc/a.log\n", "/etc/c.conf", &err);
    CHECK(err == "/etc/c.conf:2: /etc/a.log is already on line 1");
}

TEST_CASE("parse_config: a bad tag or rule says why and where") {
    std::string err;
    parse("/x.log tag=a:b\n", "c.conf", &err);
    CHECK(err == "c.conf:1: invalid tag: a:b (a ':' ends a tag)");
    parse("\n/x.log tag=" + std::string(33, 't') + "\n", "c.conf", &err);
    CHECK(err == "c.conf:2: invalid tag: " + std::string(33, 't') +
                     " (33 bytes, more than the 32 of RFC 3164; --rfc5424 allows 48)");
    CHECK(parse("/x.log tag=" + std::string(33, 't') + "\n", "c.conf", &err,
                Format::rfc5424).size() == 1);
    parse("/x.log match=x=nosuch\n", "c.conf", &err);
    CHECK(err == "c.conf:1: match: invalid priority: nosuch");
    auto specs = parse("/x.log priority=LOCAL5.INFO\n", "c.conf", &err);
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].pri == 21 * 8 + 6);
}

}  // namespace t2s
