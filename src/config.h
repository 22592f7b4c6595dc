// config -- the -f file: one followed file (or glob) per line with its own
// settings; the command line gives the defaults.
//
//   # comment
//   /var/log/pdns/query.log  tag=pdns  priority=local1.info
//   /var/log/iptables.log    tag=fw priority=kern.warning match="DPT=22"=auth.notice
//
// Keys: tag=TAG, priority=PRI, match=REGEX=PRI, include=REGEX, exclude=REGEX,
// record-start=REGEX, max-rate=LINES.
// A value may be quoted with "..." (\" and \\ inside) to hold spaces or '#'.
// A relative path is taken from the config file's directory; a path listed
// twice is an error.
#ifndef T2S_CONFIG_H
#define T2S_CONFIG_H

#include <string>
#include <vector>

#include "options.h"

namespace t2s {

// What to follow and how: from an operand or a config line.
struct FileSpec {
    std::string pattern;              // a path, or a glob
    std::string tag;                  // empty: the file's basename
    int pri = 13;
    std::vector<Options::Rule> rules; // its own first, then the command line's
    std::string record_start;         // --record-start; empty: lines stand alone
    long max_rate = 0;                // this file's own cap; 0: none
};

// specs_from_options -- one FileSpec per file operand.
std::vector<FileSpec> specs_from_options(const Options& opts);

// parse_config -- the specs in text, the contents of the file called name;
// settings a line leaves out come from opts.  A relative path is made
// relative to NAME's directory.  On error returns false, with *err as
// "NAME:LINE: reason".
bool parse_config(const std::string& text, const std::string& name, const Options& opts,
                  std::vector<FileSpec>* specs, std::string* err);

// reload_notes -- what a reload from the specs before to those after leaves
// as it was, one line each, for the user: a file whose settings changed
// (they take effect at the next start) and one no longer listed (followed
// until then).  Files newly listed are followed; nothing to say.  Pure.
std::vector<std::string> reload_notes(const std::vector<FileSpec>& before,
                                      const std::vector<FileSpec>& after);

}  // namespace t2s

#endif
