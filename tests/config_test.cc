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
    // spelled two ways
    parse("logs/a.log tag=one\n./logs//a.log tag=two\n", "/etc/c.conf", &err);
    CHECK(err == "/etc/c.conf:2: /etc/./logs//a.log is already on line 1");
}

TEST_CASE("parse_config: a setting given twice on a line is an error; rules are not") {
    std::string err;
    for (const char* line : {"/x.log tag=a tag=b\n", "/x.log priority=user.info priority=ntp.err\n",
                             "/x.log record-start=^a max-rate=5 record-start=^b\n",
                             "/x.log max-rate=5 max-rate=6\n"}) {
        CAPTURE(std::string(line));
        CHECK(parse(line, "c.conf", &err).empty());
        CHECK(err.find("c.conf:1: ") == 0);
        CHECK(err.find(" set twice") != std::string::npos);
    }
    err.clear();
    std::vector<FileSpec> specs =
        parse("/x.log match=a=user.err match=b=user.info exclude=c exclude=d\n", "c.conf", &err);
    CHECK(err.empty());
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].rules.size() == 4);
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

TEST_CASE("reload_notes: changed settings and files no longer listed are said") {
    std::string err;
    std::vector<FileSpec> before =
        parse("/a.log tag=aaa priority=local1.info\n/b.log\n/c.log exclude=x\n", "c.conf", &err);
    REQUIRE(before.size() == 3);
    CHECK(reload_notes(before, before).empty());
    std::vector<FileSpec> after =
        parse("/a.log tag=aaa2 priority=local1.info\n/c.log exclude=y\n/d.log\n", "c.conf", &err);
    REQUIRE(after.size() == 3);
    std::vector<std::string> notes = reload_notes(before, after);
    REQUIRE(notes.size() == 3);
    CHECK(notes[0] == "/a.log: settings changed; they take effect at the next start");
    CHECK(notes[1] == "/b.log: no longer listed; followed until the next start");
    CHECK(notes[2] == "/c.log: settings changed; they take effect at the next start");
    // each setting counts
    for (const char* line : {"/b.log priority=local5.notice\n", "/b.log record-start=^x\n",
                             "/b.log max-rate=10\n", "/b.log match=z=user.err\n"}) {
        CAPTURE(std::string(line));
        CHECK(reload_notes(parse("/b.log\n", "c.conf", &err), parse(line, "c.conf", &err))
                  .size() == 1);
    }
}

}  // namespace t2s
