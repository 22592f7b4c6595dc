// fuzz_options -- the command line.  The input, split at NUL bytes, is the
// argument vector after "tail2syslog" (at most 32 arguments); every
// argument also goes through the single-value parsers on its own.
//
// parse_options must never crash and must say why when it refuses; what it
// accepts must be within the documented limits.  parse_priority and its
// kin must only ever give codes in range, and priority_name must name
// them so that they read back.  Inputs that could make glibc's
// regcomp blow up are skipped (fuzz.h).
#include <string.h>

#include <string>
#include <vector>

#include "fuzz.h"
#include "options.h"
#include "priority.h"

namespace t2s {

namespace {

bool valid_port(const std::string& port) {
    long n;
    return parse_long(port.c_str(), 1, 65535, &n);
}

void check_options(const Options& o) {
    FUZZ_CHECK(o.pri >= 0 && o.pri <= 191);
    FUZZ_CHECK(o.size >= 4 && o.size <= (1u << 20));
    FUZZ_CHECK(o.dest != Dest::udp || o.size <= 65000);
    FUZZ_CHECK(valid_port(o.port));
    for (const Options::Server& s : o.servers) {
        FUZZ_CHECK(!s.host.empty());
        FUZZ_CHECK(valid_port(s.port));
    }
    FUZZ_CHECK((o.dest == Dest::udp || o.dest == Dest::tcp) == !o.servers.empty() ||
               o.dest == Dest::logger);
    FUZZ_CHECK(o.tag.empty() || valid_tag(o.tag, 48));
    FUZZ_CHECK(o.hostname.empty() || valid_hostname(o.hostname));
    FUZZ_CHECK(o.procid.empty() || valid_tag(o.procid, 128));
    const int64_t day_ms = int64_t(86400) * 1000;
    for (int64_t ms : {o.sleep_ms, o.rotate_wait_ms, o.partial_timeout_ms, o.rescan_ms,
                       o.state_interval_ms})
        FUZZ_CHECK(ms >= 0 && ms <= day_ms);
    for (const std::string& f : o.files)
        FUZZ_CHECK(f != "-");
    FUZZ_CHECK(!o.once || !o.state_path.empty());
    FUZZ_CHECK(!o.all_servers || o.servers.size() >= 2);
    FUZZ_CHECK(!(o.dgram_only && o.stream_only));
    for (const Options::Rule& r : o.rules) {
        if (r.kind == Options::Rule::match)
            FUZZ_CHECK(r.pri >= 0 && r.pri <= 191);
        else
            FUZZ_CHECK(r.pri == -1);
    }
}

// check_value -- one argument through each parser of a single value.
void check_value(const std::string& arg) {
    int pri = -1;
    std::string err;
    if (parse_priority(arg, &pri, &err)) {
        FUZZ_CHECK(pri >= 0 && pri <= 191);
        // The name given to logger(1) reads back as the same priority,
        // but for facilities 12 to 15, which logger names differently.
        int back = -1;
        FUZZ_CHECK(parse_priority(priority_name(pri), &back, &err));
        FUZZ_CHECK(back == pri || (pri >> 3 >= 12 && pri >> 3 <= 15 && (back & 7) == (pri & 7)));
    } else {
        FUZZ_CHECK(!err.empty());
    }
    int code = -1;
    if (parse_facility(arg, &code))
        FUZZ_CHECK(code >= 0 && code <= 23);
    code = -1;
    if (parse_severity(arg, &code))
        FUZZ_CHECK(code >= 0 && code <= 7);
    long n = -1;
    if (parse_long(arg.c_str(), 1, 65535, &n))
        FUZZ_CHECK(n >= 1 && n <= 65535);
    int64_t ms = -1;
    if (parse_seconds(arg.c_str(), 86400000, &ms))
        FUZZ_CHECK(ms >= 0 && ms <= 86400000);
    std::string host, port;
    if (split_host_port(arg, &host, &port))
        FUZZ_CHECK(!host.empty());
    std::string tag = tag_from_path(arg);
    FUZZ_CHECK(valid_tag(tag, 32));
    if (valid_tag(arg, 48))
        FUZZ_CHECK(arg.find_first_of(":[] ") == std::string::npos);
}

}  // namespace

}  // namespace t2s

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    if (regex_heavy(data, size))
        return 0;  // glibc's regcomp, not ours: see fuzz.h
    std::vector<std::string> args;
    args.push_back("tail2syslog");
    const char* p = reinterpret_cast<const char*>(data);
    const char* end = p + size;
    while (p < end && args.size() <= 32) {
        const char* nul = static_cast<const char*>(memchr(p, '\0', size_t(end - p)));
        const char* stop = nul ? nul : end;
        args.push_back(std::string(p, stop));
        p = nul ? nul + 1 : end;
    }
    for (size_t i = 1; i < args.size(); ++i)
        check_value(args[i]);

    // getopt_long permutes argv: give it copies of its own.
    std::vector<std::vector<char>> store;
    std::vector<char*> argv;
    for (const std::string& a : args) {
        store.push_back(std::vector<char>(a.begin(), a.end()));
        store.back().push_back('\0');
    }
    for (std::vector<char>& s : store)
        argv.push_back(s.data());
    argv.push_back(nullptr);

    Options opts;
    std::string err;
    ParseResult r = parse_options(int(args.size()), argv.data(), &opts, &err);
    switch (r) {
    case ParseResult::run:
        check_options(opts);
        break;
    case ParseResult::usage_error:
        FUZZ_CHECK(!err.empty());
        break;
    case ParseResult::help:
    case ParseResult::version:
        break;
    }
    return 0;
}
