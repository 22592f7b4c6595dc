// options_test -- the command line: parse_options and its strict little parsers.
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <unistd.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "options.h"

namespace t2s {

namespace {

// Parsed runs parse_options on a command line given as strings, the program
// name first, and keeps the result, the options and the error.  It owns the
// argument strings as long as it lives, as a real argv would.
struct Parsed {
    ParseResult result;
    Options opts;
    std::string err;

    Parsed(std::initializer_list<const char*> args) : strings_(args.begin(), args.end()) {
        for (std::string& s : strings_)
            argv_.push_back(&s[0]);
        argv_.push_back(nullptr);
        result = parse_options(int(strings_.size()), argv_.data(), &opts, &err);
    }
    Parsed(const Parsed&) = delete;
    Parsed& operator=(const Parsed&) = delete;

    // servers -- the -n servers as "host port", joined by ','.
    std::string servers() const {
        std::string out;
        for (const Options::Server& s : opts.servers)
            out += (out.empty() ? "" : ",") + s.host + " " + s.port;
        return out;
    }

private:
    std::vector<std::string> strings_;
    std::vector<char*> argv_;
};

// usage_error -- whether the command line is refused, with a reason.
bool usage_error(std::initializer_list<const char*> args) {
    Parsed p(args);
    return p.result == ParseResult::usage_error && !p.err.empty();
}

}  // namespace

TEST_CASE("parse_options: defaults") {
    Parsed p{"t2s"};
    REQUIRE(p.result == ParseResult::run);
    const Options& o = p.opts;
    CHECK(p.err.empty());
    CHECK(o.tag.empty());
    CHECK(o.pri == 13);
    CHECK(o.format == Format::rfc3164);
    CHECK(o.hostname.empty());
    CHECK(o.procid.empty());
    CHECK(o.size == 8192);
    CHECK_FALSE(o.truncate);
    CHECK_FALSE(o.skip_empty);
    CHECK_FALSE(o.prio_prefix);
    CHECK(o.dest == Dest::local);
    CHECK(o.servers.empty());
    CHECK(o.port == "514");
    CHECK(o.socket_path.empty());
    CHECK_FALSE(o.dgram_only);
    CHECK_FALSE(o.stream_only);
    CHECK_FALSE(o.octet_count);
    CHECK(o.logger_path == "logger");
    CHECK(o.files.empty());
    CHECK(o.sleep_ms == 250);
    CHECK(o.rotate_wait_ms == 5000);
    CHECK(o.partial_timeout_ms == 5000);
    CHECK(o.rescan_ms == 1000);
    CHECK_FALSE(o.from_start);
    CHECK(o.verbose == 0);
}

TEST_CASE("parse_options: flags without values") {
    Parsed p{"t2s", "-e", "-vv", "--truncate", "--prio-prefix", "--from-start",
             "--octet-count", "--raw"};
    REQUIRE(p.result == ParseResult::run);
    CHECK(p.opts.skip_empty);
    CHECK(p.opts.verbose == 2);
    CHECK(p.opts.truncate);
    CHECK(p.opts.prio_prefix);
    CHECK(p.opts.from_start);
    CHECK(p.opts.octet_count);
    CHECK(p.opts.format == Format::raw);
}

TEST_CASE("parse_options: the last format option wins") {
    CHECK(Parsed{"t2s", "--rfc5424"}.opts.format == Format::rfc5424);
    CHECK(Parsed{"t2s", "--rfc5424", "--rfc3164"}.opts.format == Format::rfc3164);
    CHECK(Parsed{"t2s", "--raw", "--rfc5424"}.opts.format == Format::rfc5424);
}

TEST_CASE("parse_options: -t and -p") {
    Parsed p{"t2s", "-t", "web", "-p", "local3.err"};
    REQUIRE(p.result == ParseResult::run);
    CHECK(p.opts.tag == "web");
    CHECK(p.opts.pri == 19 * 8 + 3);

    Parsed l{"t2s", "--tag=db", "--priority", "7"};
    REQUIRE(l.result == ParseResult::run);
    CHECK(l.opts.tag == "db");
    CHECK(l.opts.pri == 7);

    Parsed bad{"t2s", "-p", "user.nosev"};
    CHECK(bad.result == ParseResult::usage_error);
    CHECK(bad.err == "unknown severity: nosev");
}

TEST_CASE("parse_options: -n host, host:port, [v6]:port and a bare IPv6 address") {
    Parsed host{"t2s", "-n", "logs.example.org"};
    REQUIRE(host.result == ParseResult::run);
    CHECK(host.servers() == "logs.example.org 514");

    Parsed port{"t2s", "-n", "192.0.2.1:1514"};
    REQUIRE(port.result == ParseResult::run);
    CHECK(port.servers() == "192.0.2.1 1514");

    Parsed v6{"t2s", "-n", "[::1]:514"};
    REQUIRE(v6.result == ParseResult::run);
    CHECK(v6.servers() == "::1 514");

    Parsed v6port{"t2s", "--server=[2001:db8::7]:6514"};
    REQUIRE(v6port.result == ParseResult::run);
    CHECK(v6port.servers() == "2001:db8::7 6514");

    Parsed bare{"t2s", "-n", "::1"};
    REQUIRE(bare.result == ParseResult::run);
    CHECK(bare.servers() == "::1 514");

    CHECK(usage_error({"t2s", "-n", ""}));
    CHECK(usage_error({"t2s", "-n", "host:"}));
    CHECK(usage_error({"t2s", "-n", "[::1"}));
}

TEST_CASE("parse_options: -P sets the port and wins over host:port") {
    Parsed p{"t2s", "-n", "host:1514", "-P", "10514"};
    REQUIRE(p.result == ParseResult::run);
    CHECK(p.servers() == "host 10514");

    Parsed before{"t2s", "--port=2514", "-n", "host:1514"};
    REQUIRE(before.result == ParseResult::run);
    CHECK(before.servers() == "host 2514");

    CHECK(Parsed{"t2s", "-n", "host", "-P", "1"}.servers() == "host 1");
    CHECK(Parsed{"t2s", "-n", "host", "-P", "65535"}.servers() == "host 65535");

    Parsed alone{"t2s", "-P", "1514"};  // for the servers a config file may name
    REQUIRE(alone.result == ParseResult::run);
    CHECK(alone.opts.port == "1514");
}

TEST_CASE("parse_options: several -n are kept in order, -P applies to each") {
    Parsed two{"t2s", "-n", "a", "-n", "[::1]:1514"};
    REQUIRE(two.result == ParseResult::run);
    CHECK(two.servers() == "a 514,::1 1514");
    CHECK(two.opts.dest == Dest::udp);

    Parsed port{"t2s", "-n", "a:1", "-n", "b", "-P", "2"};
    REQUIRE(port.result == ParseResult::run);
    CHECK(port.servers() == "a 2,b 2");
}

TEST_CASE("parse_options: ports out of range or not numbers are refused") {
    for (const char* bad : {"0", "70000", "65536", "abc", "-1", "514x", ""}) {
        CAPTURE(std::string(bad));
        CHECK(usage_error({"t2s", "-n", "host", "-P", bad}));
    }
    CHECK(usage_error({"t2s", "-n", "host:0"}));
    CHECK(usage_error({"t2s", "-n", "[::1]:70000"}));
    CHECK(usage_error({"t2s", "-n", "host:nosuchservice"}));
    CHECK(Parsed{"t2s", "-n", "host", "-P", "nosuchservice"}.err ==
          "invalid port: nosuchservice (not a number, nor a service in /etc/services)");
}

TEST_CASE("parse_options: -P and host:port take a service name, as logger does") {
    Parsed p{"t2s", "-n", "host", "-P", "syslog"};
    REQUIRE(p.result == ParseResult::run);
    CHECK(p.servers() == "host 514");
    Parsed colon{"t2s", "-n", "host:syslog"};
    REQUIRE(colon.result == ParseResult::run);
    CHECK(colon.servers() == "host 514");
}

TEST_CASE("resolve_port: numbers, names from the services database, syslog without one") {
    std::string port, err;
    CHECK(resolve_port("1514", &port, &err));
    CHECK(port == "1514");
    CHECK(resolve_port("syslog", &port, &err));
    CHECK(port == "514");  // from /etc/services, or the fallback without it
    struct servent* se = getservbyname("domain", nullptr);
    if (se) {  // where the database has it, the name gives its port
        int want = ntohs(static_cast<uint16_t>(se->s_port));
        CHECK(resolve_port("domain", &port, &err));
        CHECK(port == std::to_string(want));
    }
    for (const char* bad : {"", "0", "65536", "514x", "-1", "nosuchservice", "syslog "}) {
        CAPTURE(std::string(bad));
        err.clear();
        CHECK_FALSE(resolve_port(bad, &port, &err));
        CHECK(err.compare(0, 14, "invalid port: ") == 0);
    }
}

TEST_CASE("server_problem: an IPv6 address with a port and no brackets gets a hint") {
    CHECK(server_problem("::1:15301") == "an IPv6 address with a port is written [::1]:15301");
    CHECK(server_problem("2001:db8::7:65000") ==
          "an IPv6 address with a port is written [2001:db8::7]:65000");
    CHECK(server_problem("fe80::1:2:3:4:5:6:7:8") ==
          "not an IPv6 address, and a host name holds no ':'");
    for (const char* fine : {"::1", "fe80::1%eth0", "2001:db8::1:514", "host", "host:514",
                             "[::1]:514", "192.0.2.1:1514"}) {
        CAPTURE(std::string(fine));
        CHECK(server_problem(fine) == "");
    }
    Parsed p{"t2s", "-n", "::1:15301"};
    CHECK(p.result == ParseResult::usage_error);
    CHECK(p.err == "invalid server: ::1:15301 (an IPv6 address with a port is written "
                   "[::1]:15301)");
}

TEST_CASE("tag_problem: says why a tag is refused, with the RFC limits") {
    CHECK(tag_problem("app", Format::rfc3164) == "");
    CHECK(tag_problem(std::string(32, 'a'), Format::rfc3164) == "");
    CHECK(tag_problem(std::string(33, 'a'), Format::rfc3164) ==
          "33 bytes, more than the 32 of RFC 3164; --rfc5424 allows 48");
    CHECK(tag_problem(std::string(48, 'a'), Format::rfc5424) == "");
    CHECK(tag_problem(std::string(49, 'a'), Format::rfc5424) ==
          "49 bytes, more than the 48 of an RFC 5424 APP-NAME");
    CHECK(tag_problem("", Format::rfc3164) == "empty");
    CHECK(tag_problem("-", Format::rfc5424) == "'-' is RFC 5424's nil value");
    CHECK(tag_problem("-", Format::rfc3164) == "");
    CHECK(tag_problem("a:b", Format::rfc3164) == "a ':' ends a tag");
    CHECK(tag_problem("a b", Format::rfc3164) == "a space ends a tag");
    CHECK(tag_problem("a[1]", Format::rfc3164) ==
          "'[' and ']' enclose the process id after a tag");
    CHECK(tag_problem("a\tb", Format::rfc5424) ==
          "only printable ASCII, no control or 8-bit bytes");
    CHECK(tag_problem("caf\xc3\xa9", Format::raw) ==
          "only printable ASCII, no control or 8-bit bytes");
    Parsed p{"t2s", "-t", "a:b"};
    CHECK(p.err == "invalid tag: a:b (a ':' ends a tag)");
}

TEST_CASE("parse_options: a bad priority in --match, --include or --exclude names the option") {
    CHECK(Parsed{"t2s", "--match", "x=nosuch"}.err == "--match: invalid priority: nosuch");
    CHECK(Parsed{"t2s", "--match", "x"}.err == "--match: REGEX=PRIORITY expected: x");
    CHECK(Parsed{"t2s", "--include", "("}.err.compare(0, 26, "--include: invalid regex (") == 0);
    CHECK(Parsed{"t2s", "--exclude", "("}.err.compare(0, 26, "--exclude: invalid regex (") == 0);
    Parsed upper{"t2s", "--match", "x=LOCAL5.Info"};
    REQUIRE(upper.result == ParseResult::run);
    CHECK(upper.opts.rules[0].pri == 21 * 8 + 6);
}

TEST_CASE("parse_options: options that exclude each other") {
    CHECK(usage_error({"t2s", "-n", "host", "-u", "/dev/log"}));
    CHECK(usage_error({"t2s", "-u", "/dev/log", "-n", "host"}));
    CHECK(usage_error({"t2s", "--stdout", "-n", "host"}));
    CHECK(usage_error({"t2s", "-n", "host", "--stdout"}));
    CHECK(usage_error({"t2s", "--stdout", "-u", "/dev/log"}));
    CHECK(usage_error({"t2s", "--stdout", "--logger"}));
    CHECK(usage_error({"t2s", "-d", "-T"}));
    CHECK(usage_error({"t2s", "-n", "host", "-T", "-d"}));
}

TEST_CASE("parse_options: where messages go") {
    SUBCASE("-n alone: UDP") {
        Parsed p{"t2s", "-n", "host"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::udp);
    }
    SUBCASE("-n -d: UDP") {
        Parsed p{"t2s", "-n", "host", "-d"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::udp);
        CHECK(p.opts.dgram_only);
        CHECK_FALSE(p.opts.stream_only);
    }
    SUBCASE("-n -T: TCP") {
        Parsed p{"t2s", "-T", "-n", "host"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::tcp);
        CHECK(p.opts.stream_only);
        CHECK_FALSE(p.opts.dgram_only);
    }
    SUBCASE("-u: the unix socket, -T or -d choose its type") {
        Parsed p{"t2s", "-u", "/run/log.sock"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::unix_socket);
        CHECK(p.opts.socket_path == "/run/log.sock");
        CHECK_FALSE(p.opts.stream_only);
        CHECK_FALSE(p.opts.dgram_only);
        Parsed t{"t2s", "-u", "/run/log.sock", "-T"};
        CHECK(t.opts.dest == Dest::unix_socket);
        CHECK(t.opts.stream_only);
        Parsed d{"t2s", "--socket=/run/log.sock", "--udp"};
        CHECK(d.opts.dest == Dest::unix_socket);
        CHECK(d.opts.dgram_only);
    }
    SUBCASE("nothing: the local socket, -T or -d choose its type") {
        CHECK(Parsed{"t2s"}.opts.dest == Dest::local);
        Parsed t{"t2s", "--tcp"};
        CHECK(t.opts.dest == Dest::local);
        CHECK(t.opts.stream_only);
        Parsed d{"t2s", "-d"};
        CHECK(d.opts.dest == Dest::local);
        CHECK(d.opts.dgram_only);
    }
    SUBCASE("--stdout") {
        Parsed p{"t2s", "--stdout"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::stdout_);
    }
    SUBCASE("--logger, with or without a path") {
        Parsed p{"t2s", "--logger"};
        REQUIRE(p.result == ParseResult::run);
        CHECK(p.opts.dest == Dest::logger);
        CHECK(p.opts.logger_path == "logger");
        Parsed path{"t2s", "--logger=/usr/bin/logger"};
        REQUIRE(path.result == ParseResult::run);
        CHECK(path.opts.dest == Dest::logger);
        CHECK(path.opts.logger_path == "/usr/bin/logger");
    }
}

TEST_CASE("parse_options: --hostname must be printable ASCII, 1..255 bytes") {
    Parsed ok{"t2s", "--hostname", "web-1.example.org"};
    REQUIRE(ok.result == ParseResult::run);
    CHECK(ok.opts.hostname == "web-1.example.org");

    std::string longest(255, 'h');
    Parsed max{"t2s", "--hostname", longest.c_str()};
    CHECK(max.result == ParseResult::run);
    CHECK(max.opts.hostname == longest);

    std::string too_long(256, 'h');
    CHECK(usage_error({"t2s", "--hostname", too_long.c_str()}));
    CHECK(usage_error({"t2s", "--hostname", "web 1"}));
    CHECK(usage_error({"t2s", "--hostname="}));
    CHECK(usage_error({"t2s", "--hostname", "caf\xc3\xa9"}));
}

TEST_CASE("parse_options: the tag limit is 32 bytes for RFC 3164, 48 for RFC 5424") {
    std::string t32(32, 't'), t33(33, 't'), t48(48, 't'), t49(49, 't');
    CHECK(Parsed{"t2s", "-t", t32.c_str()}.result == ParseResult::run);
    CHECK(usage_error({"t2s", "-t", t33.c_str()}));
    CHECK(usage_error({"t2s", "--rfc3164", "-t", t33.c_str()}));
    CHECK(Parsed{"t2s", "--rfc5424", "-t", t48.c_str()}.result == ParseResult::run);
    CHECK(Parsed{"t2s", "-t", t48.c_str(), "--rfc5424"}.result == ParseResult::run);
    CHECK(usage_error({"t2s", "--rfc5424", "-t", t49.c_str()}));
    CHECK(usage_error({"t2s", "-t", "a:b"}));
    CHECK(usage_error({"t2s", "-t", "a[1]"}));
    CHECK(usage_error({"t2s", "-t", "a b"}));
}

TEST_CASE("parse_options: -i alone is our pid, -iPID and --id=PID that one") {
    Parsed own{"t2s", "-i"};
    REQUIRE(own.result == ParseResult::run);
    CHECK(own.opts.procid == std::to_string(getpid()));

    Parsed own_long{"t2s", "--id"};
    REQUIRE(own_long.result == ParseResult::run);
    CHECK(own_long.opts.procid == std::to_string(getpid()));

    Parsed given{"t2s", "--id=42"};
    REQUIRE(given.result == ParseResult::run);
    CHECK(given.opts.procid == "42");

    Parsed attached{"t2s", "-i42"};
    REQUIRE(attached.result == ParseResult::run);
    CHECK(attached.opts.procid == "42");

    // An optional value must be attached: "-i 42" is -i and a file named 42.
    Parsed apart{"t2s", "-i", "42"};
    REQUIRE(apart.result == ParseResult::run);
    CHECK(apart.opts.procid == std::to_string(getpid()));
    CHECK(apart.opts.files == std::vector<std::string>{"42"});

    CHECK(usage_error({"t2s", "--id="}));
    CHECK(usage_error({"t2s", "--id=a:b"}));
    std::string id129(129, '9');
    std::string arg = "--id=" + id129;
    CHECK(usage_error({"t2s", arg.c_str()}));
}

TEST_CASE("parse_options: -S bounds") {
    CHECK(usage_error({"t2s", "-S", "3"}));
    Parsed min{"t2s", "-S", "4"};
    REQUIRE(min.result == ParseResult::run);
    CHECK(min.opts.size == 4);
    Parsed max{"t2s", "--size=1048576"};
    REQUIRE(max.result == ParseResult::run);
    CHECK(max.opts.size == 1048576);
    CHECK(usage_error({"t2s", "-S", "1048577"}));
    CHECK(usage_error({"t2s", "-S", "8k"}));
    CHECK(usage_error({"t2s", "-S", "-8192"}));
}

TEST_CASE("parse_options: -S above 65000 is refused over UDP only") {
    CHECK(Parsed{"t2s", "-n", "host", "-S", "65000"}.result == ParseResult::run);
    CHECK(usage_error({"t2s", "-n", "host", "-S", "65001"}));
    CHECK(usage_error({"t2s", "-n", "host", "-d", "-S", "65001"}));
    CHECK(Parsed{"t2s", "-n", "host", "-T", "-S", "65001"}.result == ParseResult::run);
    CHECK(Parsed{"t2s", "-S", "65001"}.result == ParseResult::run);
}

TEST_CASE("parse_options: seconds options are decimal, in milliseconds") {
    CHECK(Parsed{"t2s", "-s", "0.25"}.opts.sleep_ms == 250);
    CHECK(Parsed{"t2s", "-s", "5"}.opts.sleep_ms == 5000);
    CHECK(Parsed{"t2s", "--sleep-interval=1.5"}.opts.sleep_ms == 1500);
    CHECK(Parsed{"t2s", "--rotate-wait", "0.5"}.opts.rotate_wait_ms == 500);
    CHECK(Parsed{"t2s", "--partial-timeout", "0"}.opts.partial_timeout_ms == 0);
    CHECK(Parsed{"t2s", "--rescan-interval", "2"}.opts.rescan_ms == 2000);
    for (const char* opt : {"-s", "--rotate-wait", "--partial-timeout", "--rescan-interval"}) {
        for (const char* bad : {"abc", "-1", "1e3", "", ".", "1,5", "86401"}) {
            CAPTURE(std::string(opt));
            CAPTURE(std::string(bad));
            CHECK(usage_error({"t2s", opt, bad}));
        }
    }
    CHECK(Parsed{"t2s", "-s", ".5"}.opts.sleep_ms == 500);
    Parsed p{"t2s", "-s", "abc"};
    CHECK(p.err == "invalid sleep interval: abc");
    // Glob patterns expanded in a busy loop: refused.
    CHECK(Parsed{"t2s", "--rescan-interval", "0.01"}.opts.rescan_ms == 10);
    Parsed busy{"t2s", "--rescan-interval", "0"};
    CHECK(busy.result == ParseResult::usage_error);
    CHECK(busy.err == "invalid rescan interval: 0 (at least 0.01 seconds)");
}

TEST_CASE("parse_options: file operands and standard input") {
    Parsed none{"t2s"};
    CHECK(none.opts.files.empty());

    Parsed two{"t2s", "/var/log/a", "b"};
    REQUIRE(two.result == ParseResult::run);
    CHECK(two.opts.files == std::vector<std::string>{"/var/log/a", "b"});

    Parsed dash{"t2s", "-"};
    REQUIRE(dash.result == ParseResult::run);
    CHECK(dash.opts.files.empty());

    CHECK(usage_error({"t2s", "a", "-"}));
    CHECK(usage_error({"t2s", "-", "a"}));
    CHECK(usage_error({"t2s", "-", "-"}));

    Parsed after{"t2s", "a", "-v"};  // getopt_long permutes: options may follow
    REQUIRE(after.result == ParseResult::run);
    CHECK(after.opts.verbose == 1);
    CHECK(after.opts.files == std::vector<std::string>{"a"});

    Parsed end{"t2s", "--", "-v"};
    REQUIRE(end.result == ParseResult::run);
    CHECK(end.opts.verbose == 0);
    CHECK(end.opts.files == std::vector<std::string>{"-v"});
}

TEST_CASE("parse_options: help and version") {
    CHECK(Parsed{"t2s", "-h"}.result == ParseResult::help);
    CHECK(Parsed{"t2s", "--help"}.result == ParseResult::help);
    CHECK(Parsed{"t2s", "-V"}.result == ParseResult::version);
    CHECK(Parsed{"t2s", "--version"}.result == ParseResult::version);
    CHECK(Parsed{"t2s", "-v", "--help", "-x"}.result == ParseResult::help);
}

TEST_CASE("parse_options: unknown options and missing values say which, and see --help") {
    struct {
        std::initializer_list<const char*> args;
        const char* err;
    } cases[] = {
        {{"t2s", "-x"}, "unrecognized option '-x' (see --help)"},
        {{"t2s", "-dx"}, "unrecognized option '-x' (see --help)"},
        {{"t2s", "--once", "-xd"}, "unrecognized option '-x' (see --help)"},
        {{"t2s", "--bogus"}, "unrecognized option '--bogus' (see --help)"},
        {{"t2s", "--bogus=1"}, "unrecognized option '--bogus' (see --help)"},
        {{"t2s", "-t"}, "option '-t' needs a value (see --help)"},
        {{"t2s", "--hostname"}, "option '--hostname' needs a value (see --help)"},
        {{"t2s", "--serv"}, "option '--server' needs a value (see --help)"},
        {{"t2s", "--stdout=yes"}, "option '--stdout' takes no value (see --help)"},
        {{"t2s", "--udp=1"}, "option '--udp' takes no value (see --help)"},
        {{"t2s", "--s", "x"}, "ambiguous option '--s' (see --help)"},
    };
    for (const auto& c : cases) {
        Parsed p(c.args);
        CAPTURE(std::string(c.err));
        CHECK(p.result == ParseResult::usage_error);
        CHECK(p.err == c.err);
    }
}

TEST_CASE("parse_options: each call starts afresh") {
    // getopt_long keeps where it is in a cluster of short options between
    // calls; a call that returned in the middle of "-hd" must not leave the
    // "d" for the next command line.
    Parsed help{"t2s", "-hd"};
    CHECK(help.result == ParseResult::help);
    Parsed next{"t2s"};
    CHECK(next.result == ParseResult::run);
    CHECK_FALSE(next.opts.dgram_only);

    Parsed version{"t2s", "-Vx"};
    CHECK(version.result == ParseResult::version);
    Parsed again{"t2s", "-e"};
    CHECK(again.result == ParseResult::run);
    CHECK(again.opts.skip_empty);
}

TEST_CASE("parse_long: strict decimal within bounds") {
    long n = -7;
    CHECK(parse_long("0", 0, 10, &n));
    CHECK(n == 0);
    CHECK(parse_long("10", 0, 10, &n));
    CHECK(n == 10);
    CHECK(parse_long("007", 0, 10, &n));
    CHECK(n == 7);
    n = -7;
    for (const char* bad : {"11", "", "-1", "+1", " 1", "1 ", "1x", "0x1", "1.0",
                            "99999999999999999999999"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(parse_long(bad, 0, 10, &n));
    }
    CHECK(n == -7);
    CHECK_FALSE(parse_long("4", 5, 10, &n));
}

TEST_CASE("parse_seconds: decimal seconds into milliseconds") {
    int64_t ms = -7;
    CHECK(parse_seconds("0.25", 100000, &ms));
    CHECK(ms == 250);
    CHECK(parse_seconds("5", 100000, &ms));
    CHECK(ms == 5000);
    CHECK(parse_seconds("1.5", 100000, &ms));
    CHECK(ms == 1500);
    CHECK(parse_seconds("0", 100000, &ms));
    CHECK(ms == 0);
    CHECK(parse_seconds("0.001", 100000, &ms));
    CHECK(ms == 1);
    CHECK(parse_seconds("0.0019", 100000, &ms));  // past milliseconds: ignored
    CHECK(ms == 1);
    CHECK(parse_seconds("100", 100000, &ms));
    CHECK(ms == 100000);
    ms = -7;
    CHECK(parse_seconds(".5", 100000, &ms));  // as strtod and GNU tail -s take it
    CHECK(ms == 500);
    CHECK(parse_seconds("5.", 100000, &ms));
    CHECK(ms == 5000);
    ms = -7;
    for (const char* bad : {"abc", "-1", "1e3", "", ".", "-.5", "1.5s", " 1", "100.001",
                            "99999999999999999999999"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(parse_seconds(bad, 100000, &ms));
    }
    CHECK(ms == -7);
}

TEST_CASE("valid_tag: printable ASCII without ':', '[' or ']', 1..max bytes") {
    CHECK(valid_tag("nginx", 32));
    CHECK(valid_tag("a.b-c_d/e", 32));
    CHECK(valid_tag(std::string(32, 'a'), 32));
    CHECK_FALSE(valid_tag(std::string(33, 'a'), 32));
    CHECK_FALSE(valid_tag("", 32));
    for (const char* bad : {"a:b", "a[b", "a]b", "a b", "a\tb", "a\x7f", "caf\xc3\xa9"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(valid_tag(bad, 32));
    }
}

TEST_CASE("valid_hostname: printable ASCII, 1..255 bytes") {
    CHECK(valid_hostname("web-1.example.org"));
    CHECK(valid_hostname("2001:db8::1"));
    CHECK(valid_hostname(std::string(255, 'h')));
    CHECK_FALSE(valid_hostname(std::string(256, 'h')));
    CHECK_FALSE(valid_hostname(""));
    CHECK_FALSE(valid_hostname("web 1"));
    CHECK_FALSE(valid_hostname("web\n"));
    CHECK_FALSE(valid_hostname("h\xc3\xa9"));
}

TEST_CASE("tag_from_path: the basename, made valid") {
    CHECK(tag_from_path("/var/log/nginx/access.log") == "access.log");
    CHECK(tag_from_path("messages") == "messages");
    CHECK(tag_from_path("./x") == "x");
    CHECK(tag_from_path("/var/log/a b:c[1]") == "a_b_c_1_");
    CHECK(tag_from_path("caf\xc3\xa9.log") == "caf__.log");
    CHECK(tag_from_path("tab\there") == "tab_here");
    CHECK(tag_from_path("/var/log/") == "tail2syslog");
    CHECK(tag_from_path("") == "tail2syslog");
    std::string name = std::string(40, 'n');
    CHECK(tag_from_path("/var/log/" + name) == std::string(32, 'n'));
    // Whatever the name, the tag is one -t would accept.
    for (const char* path : {"/a/b c", "x:y", "[z]", "\x01\x02", "/"}) {
        CAPTURE(std::string(path));
        CHECK(valid_tag(tag_from_path(path), 32));
    }
}

TEST_CASE("split_host_port: host, host:port, [v6]:port, bare v6") {
    std::string host, port = "514";
    CHECK(split_host_port("example.org", &host, &port));
    CHECK(host == "example.org");
    CHECK(port == "514");  // untouched when none is given

    CHECK(split_host_port("192.0.2.1:1514", &host, &port));
    CHECK(host == "192.0.2.1");
    CHECK(port == "1514");

    port = "514";
    CHECK(split_host_port("[::1]:6514", &host, &port));
    CHECK(host == "::1");
    CHECK(port == "6514");

    port = "514";
    CHECK(split_host_port("[fe80::1%eth0]", &host, &port));
    CHECK(host == "fe80::1%eth0");
    CHECK(port == "514");

    CHECK(split_host_port("2001:db8::1", &host, &port));
    CHECK(host == "2001:db8::1");
    CHECK(port == "514");
}

TEST_CASE("split_host_port: malformed input is refused") {
    for (const char* bad : {"", ":514", "host:", "[::1", "[]", "[]:514", "[::1]514",
                            "[::1]:"}) {
        CAPTURE(std::string(bad));
        std::string host, port;
        CHECK_FALSE(split_host_port(bad, &host, &port));
    }
}

TEST_CASE("parse_options: --relp goes to -n servers, port 2514 unless told") {
    Parsed p{"t2s", "--relp", "-n", "a", "-n", "b:6514"};
    REQUIRE(p.result == ParseResult::run);
    CHECK(p.opts.dest == Dest::relp);
    CHECK(p.servers() == "a 2514,b 6514");
    Parsed port{"t2s", "--relp", "-n", "a", "-P", "3000"};
    REQUIRE(port.result == ParseResult::run);
    CHECK(port.servers() == "a 3000");
    Parsed tcp{"t2s", "-T", "--relp", "-n", "a"};  // RELP runs over TCP anyway
    CHECK(tcp.opts.dest == Dest::relp);
    CHECK(Parsed{"t2s", "-n", "a"}.servers() == "a 514");  // the others keep 514
    CHECK(usage_error({"t2s", "--relp"}));
    CHECK(usage_error({"t2s", "--relp", "-d", "-n", "a"}));
    CHECK(usage_error({"t2s", "--relp", "-u", "/dev/log"}));
    CHECK(usage_error({"t2s", "--relp", "--stdout"}));
    CHECK(usage_error({"t2s", "--relp", "--logger", "-n", "a"}));
    CHECK(usage_error({"t2s", "--relp", "--octet-count", "-n", "a"}));
}

}  // namespace t2s

namespace t2s {

TEST_CASE("parse_options: --record-start takes an extended regex, checked at once") {
    Parsed ok({"t2s", "--record-start", "^[0-9]{4}-", "f"});
    CHECK(ok.result == ParseResult::run);
    CHECK(ok.opts.record_start == "^[0-9]{4}-");
    Parsed bad({"t2s", "--record-start", "^(", "f"});
    CHECK(bad.result == ParseResult::usage_error);
    CHECK(bad.err.find("invalid regex ^(") == 0);
    Parsed none({"t2s", "f"});
    CHECK(none.opts.record_start.empty());
}

TEST_CASE("parse_options: --max-rate from 1 to 100000000 a second") {
    Parsed ok({"t2s", "--max-rate", "2000", "f"});
    CHECK(ok.result == ParseResult::run);
    CHECK(ok.opts.max_rate == 2000);
    CHECK(Parsed({"t2s", "f"}).opts.max_rate == 0);
    for (const char* bad : {"0", "-1", "100000001", "1k", ""}) {
        Parsed p({"t2s", "--max-rate", bad, "f"});
        CAPTURE(bad);
        CHECK(p.result == ParseResult::usage_error);
        CHECK(p.err.find("invalid --max-rate") == 0);
    }
}

}  // namespace t2s

namespace t2s {

TEST_CASE("parse_options: --state-interval given or not") {
    Parsed none{"t2s"};
    CHECK(none.opts.state_interval_ms == 1000);
    CHECK_FALSE(none.opts.state_interval_given);
    Parsed two{"t2s", "--state-interval", "2", "f"};
    REQUIRE(two.result == ParseResult::run);
    CHECK(two.opts.state_interval_ms == 2000);
    CHECK(two.opts.state_interval_given);
}

}  // namespace t2s
