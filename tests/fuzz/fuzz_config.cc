// fuzz_config -- the -f file parser.  Input layout:
//
//   byte 0  bit 0 --rfc5424 (tags up to 48 bytes), bit 1 a command-line
//           --exclude rule, bit 2 a command-line tag
//   rest    the file's text
//
// parse_config must never crash; on failure *err is "NAME:LINE: reason"
// with a line that exists; on success every spec has a valid tag or none,
// a priority in range and the command line's rules after its own.
// Inputs that could make glibc's regcomp blow up are skipped (fuzz.h).
#include <string>
#include <vector>

#include "config.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    if (regex_heavy(data, size))
        return 0;  // glibc's regcomp, not ours: see fuzz.h
    FuzzInput in(data, size);
    uint8_t flags = in.byte();
    const std::string text = in.rest();
    Options opts;
    if (flags & 1)
        opts.format = Format::rfc5424;
    if (flags & 2) {
        Options::Rule rule;
        std::string err;
        FUZZ_CHECK(parse_rule(Options::Rule::exclude, "^debug", &rule, &err));
        opts.rules.push_back(rule);
    }
    if (flags & 4)
        opts.tag = "cmdline";
    const size_t tag_max = opts.format == Format::rfc5424 ? 48 : 32;

    size_t lines = 1;
    for (char c : text)
        lines += c == '\n';
    std::vector<FileSpec> specs;
    std::string err;
    if (!parse_config(text, "fuzz.conf", opts, &specs, &err)) {
        const std::string prefix = "fuzz.conf:";
        FUZZ_CHECK(err.compare(0, prefix.size(), prefix) == 0);
        size_t colon = err.find(':', prefix.size());
        FUZZ_CHECK(colon != std::string::npos && colon > prefix.size());
        size_t line = 0;
        for (size_t i = prefix.size(); i < colon; ++i) {
            FUZZ_CHECK(err[i] >= '0' && err[i] <= '9');
            line = line * 10 + size_t(err[i] - '0');
        }
        FUZZ_CHECK(line >= 1 && line <= lines);
        FUZZ_CHECK(err.compare(colon, 2, ": ") == 0 && err.size() > colon + 2);
        return 0;
    }
    FUZZ_CHECK(specs.size() <= lines);
    for (const FileSpec& s : specs) {
        FUZZ_CHECK(s.tag.empty() || valid_tag(s.tag, tag_max));
        FUZZ_CHECK(s.pri >= 0 && s.pri <= 191);
        FUZZ_CHECK(s.rules.size() >= opts.rules.size());
        size_t own = s.rules.size() - opts.rules.size();
        for (size_t i = 0; i < opts.rules.size(); ++i)
            FUZZ_CHECK(s.rules[own + i].regex == opts.rules[i].regex);
        for (const Options::Rule& r : s.rules)
            FUZZ_CHECK(r.kind != Options::Rule::match || (r.pri >= 0 && r.pri <= 191));
    }
    return 0;
}
