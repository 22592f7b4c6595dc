// options -- the command line: struct Options, parsing and the usage text.
#ifndef T2S_OPTIONS_H
#define T2S_OPTIONS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace t2s {

enum class Format { rfc3164, rfc5424, raw };

// Where messages go.
enum class Dest { local, udp, tcp, relp, unix_socket, stdout_, logger };

struct Options {
    // What the messages say.
    std::string tag;              // empty: the file's basename, or "tail2syslog"
    int pri = 13;                 // user.notice
    Format format = Format::rfc3164;
    std::string hostname;         // empty: gethostname(3)
    std::string procid;           // empty: no PROCID
    size_t size = 8192;           // largest message body in bytes
    bool truncate = false;        // cut long lines instead of splitting them
    bool skip_empty = false;
    bool prio_prefix = false;     // a line "<N>..." sets its own PRI
    std::string record_start;     // --record-start: a line that matches
                                  // begins a record; empty: every line is one

    // Where they go.
    Dest dest = Dest::local;
    struct Server {
        std::string host;         // name or address, without port
        std::string port;
    };
    std::vector<Server> servers;  // -n, in order of preference
    bool all_servers = false;     // --all: every message to every server
    std::string port = "514";     // -P: for servers given without a port
    std::string socket_path;      // -u PATH
    bool dgram_only = false;      // -d: with -u or the local socket too
    bool stream_only = false;     // -T: likewise
    bool octet_count = false;     // RFC 6587 octet counting on streams
    std::string logger_path = "logger";

    // What is read and how.
    std::vector<std::string> files;  // empty: standard input
    int64_t sleep_ms = 250;
    int64_t rotate_wait_ms = 5000;
    int64_t partial_timeout_ms = 5000;
    int64_t rescan_ms = 1000;
    bool from_start = false;
    long max_rate = 0;            // --max-rate: messages per second; 0: no cap
    int verbose = 0;

    // Running unattended.
    std::string state_path;       // --state
    int64_t state_interval_ms = 1000;
    bool state_interval_given = false;  // else saves come sooner when cheap
    bool once = false;            // read to the end, save, exit
    std::string pidfile;
    bool daemon = false;
    std::string config_path;      // -f
    std::string user;             // --user: drop root for this user

    // Per-line rules, in command-line order: --match, --include, --exclude.
    struct Rule {
        enum Kind { match, include, exclude } kind;
        std::string regex;
        int pri;                  // --match only
    };
    std::vector<Rule> rules;
};

enum class ParseResult { run, help, version, usage_error };

// parse_options -- fills *opts from argv.  On usage_error, *err holds the
// one-line reason; help and version ask the caller to print and exit 0.
ParseResult parse_options(int argc, char** argv, Options* opts, std::string* err);

// usage_text -- the --help text; its synopsis matches the manual's.
const char* usage_text();

// parse_long -- strict decimal in [min, max]: no sign games, no trailing junk.
bool parse_long(const char* text, long min, long max, long* out);

// parse_seconds -- a decimal number of seconds ("0.25", "5") into milliseconds.
bool parse_seconds(const char* text, int64_t max_ms, int64_t* out_ms);

// valid_tag -- printable US-ASCII without ':', '[' or ']', 1..max bytes.
bool valid_tag(const std::string& tag, size_t max);

// tag_problem -- why tag cannot be a tag in this format (RFC 3164: at most
// 32 bytes; RFC 5424 APP-NAME: 48), as "a ':' ends a tag"; empty if it can.
std::string tag_problem(const std::string& tag, Format format);

// resolve_port -- a port number 1..65535, or a service name looked up with
// getservbyname(3) ("syslog" is 514 where the services database lacks it),
// as a decimal string in *number.  On failure returns false with *err.
bool resolve_port(const std::string& text, std::string* number, std::string* err);

// server_problem -- why "-n text" names no server, with the spelling meant
// where it can be guessed ("[::1]:15301" for "::1:15301"); empty if fine.
std::string server_problem(const std::string& text);

// valid_hostname -- printable US-ASCII, 1..255 bytes (RFC 5424 HOSTNAME).
bool valid_hostname(const std::string& name);

// tag_from_path -- a file's basename made into a valid tag: bad bytes become
// '_', cut to 32 bytes.
std::string tag_from_path(const std::string& path);

// parse_rule -- "REGEX=PRIORITY" for --match (split at the last '='), or a
// bare REGEX for --include and --exclude; the regex is checked (check_regex).
bool parse_rule(Options::Rule::Kind kind, const std::string& text, Options::Rule* rule,
                std::string* err);

// split_host_port -- "host", "host:port", "[v6]:port" or a bare IPv6 literal.
bool split_host_port(const std::string& text, std::string* host, std::string* port);

}  // namespace t2s

#endif
