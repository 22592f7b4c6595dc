// options -- the command line, parsed with getopt_long(3).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "priority.h"
#include "rules.h"

namespace t2s {

namespace {

// Long-only options: values past the char range.
enum {
    OPT_STDOUT = 256, OPT_RFC3164, OPT_RFC5424, OPT_RAW, OPT_OCTET_COUNT,
    OPT_HOSTNAME, OPT_TRUNCATE, OPT_PRIO_PREFIX, OPT_FROM_START,
    OPT_ROTATE_WAIT, OPT_PARTIAL_TIMEOUT, OPT_RESCAN_INTERVAL, OPT_LOGGER,
    OPT_STATE, OPT_STATE_INTERVAL, OPT_ONCE, OPT_PIDFILE, OPT_DAEMON, OPT_ALL,
    OPT_MATCH, OPT_INCLUDE, OPT_EXCLUDE, OPT_USER, OPT_RELP, OPT_RECORD_START,
    OPT_MAX_RATE,
};

// RELP has no assigned port; rsyslog's examples use this one.
const char kRelpPort[] = "2514";

// The leading ':' makes getopt_long return ':' for a missing value, so that
// it is told apart from an unknown option.
const char kShortOpts[] = ":def:P:p:S:s:Tt:u:n:i::hVv";

const struct option kLongOpts[] = {
    {"all", no_argument, nullptr, OPT_ALL},
    {"config", required_argument, nullptr, 'f'},
    {"daemon", no_argument, nullptr, OPT_DAEMON},
    {"exclude", required_argument, nullptr, OPT_EXCLUDE},
    {"from-start", no_argument, nullptr, OPT_FROM_START},
    {"help", no_argument, nullptr, 'h'},
    {"hostname", required_argument, nullptr, OPT_HOSTNAME},
    {"id", optional_argument, nullptr, 'i'},
    {"include", required_argument, nullptr, OPT_INCLUDE},
    {"logger", optional_argument, nullptr, OPT_LOGGER},
    {"match", required_argument, nullptr, OPT_MATCH},
    {"max-rate", required_argument, nullptr, OPT_MAX_RATE},
    {"octet-count", no_argument, nullptr, OPT_OCTET_COUNT},
    {"once", no_argument, nullptr, OPT_ONCE},
    {"partial-timeout", required_argument, nullptr, OPT_PARTIAL_TIMEOUT},
    {"pidfile", required_argument, nullptr, OPT_PIDFILE},
    {"port", required_argument, nullptr, 'P'},
    {"prio-prefix", no_argument, nullptr, OPT_PRIO_PREFIX},
    {"priority", required_argument, nullptr, 'p'},
    {"raw", no_argument, nullptr, OPT_RAW},
    {"record-start", required_argument, nullptr, OPT_RECORD_START},
    {"relp", no_argument, nullptr, OPT_RELP},
    {"rescan-interval", required_argument, nullptr, OPT_RESCAN_INTERVAL},
    {"rfc3164", no_argument, nullptr, OPT_RFC3164},
    {"rfc5424", no_argument, nullptr, OPT_RFC5424},
    {"rotate-wait", required_argument, nullptr, OPT_ROTATE_WAIT},
    {"server", required_argument, nullptr, 'n'},
    {"size", required_argument, nullptr, 'S'},
    {"skip-empty", no_argument, nullptr, 'e'},
    {"sleep-interval", required_argument, nullptr, 's'},
    {"socket", required_argument, nullptr, 'u'},
    {"state", required_argument, nullptr, OPT_STATE},
    {"state-interval", required_argument, nullptr, OPT_STATE_INTERVAL},
    {"stdout", no_argument, nullptr, OPT_STDOUT},
    {"tag", required_argument, nullptr, 't'},
    {"tcp", no_argument, nullptr, 'T'},
    {"truncate", no_argument, nullptr, OPT_TRUNCATE},
    {"udp", no_argument, nullptr, 'd'},
    {"user", required_argument, nullptr, OPT_USER},
    {"verbose", no_argument, nullptr, 'v'},
    {"version", no_argument, nullptr, 'V'},
    {nullptr, 0, nullptr, 0},
};

const char kUsage[] =
    "usage: tail2syslog [-dehTVv] [-f config] [-i[PID]] [-n host[:port]] [-P port]\n"
    "                   [-p pri] [-S size] [-s seconds] [-t tag] [-u socket]\n"
    "                   [--all] [--daemon] [--exclude regex] [--from-start]\n"
    "                   [--hostname name] [--include regex] [--logger[=path]]\n"
    "                   [--match regex=pri] [--max-rate lines] [--octet-count]\n"
    "                   [--once] [--partial-timeout seconds] [--pidfile file]\n"
    "                   [--prio-prefix] [--raw | --rfc3164 | --rfc5424]\n"
    "                   [--record-start regex] [--relp] [--rescan-interval seconds]\n"
    "                   [--rotate-wait seconds]\n"
    "                   [--state file] [--state-interval seconds] [--stdout]\n"
    "                   [--truncate] [--user user] [file ...]\n"
    "\n"
    "Follow files like tail -F and send each new line as a syslog message.\n"
    "With no file, or -, read standard input.\n"
    "\n"
    "  -d, --udp                 send over UDP (default with -n)\n"
    "  -e, --skip-empty          do not send empty lines\n"
    "  -f, --config FILE         files to follow, one per line, with options\n"
    "  -h, --help                show this help and exit\n"
    "  -i, --id[=PID]            add a PROCID: PID, or our own process id\n"
    "  -n, --server HOST[:PORT]  send to this syslog server; again for failover\n"
    "  -P, --port PORT           port or service name (default 514; 2514 with --relp)\n"
    "  -p, --priority PRI        facility.severity or number (default user.notice)\n"
    "  -S, --size BYTES          largest message body (default 8192)\n"
    "  -s, --sleep-interval SEC  longest poll interval, x10 once quiet (default 0.25)\n"
    "  -T, --tcp                 send over TCP\n"
    "  -t, --tag TAG             tag / APP-NAME (default: file basename)\n"
    "  -u, --socket PATH         send to this unix socket\n"
    "  -V, --version             show the version and exit\n"
    "  -v, --verbose             report rotations, reconnects and skipped files\n"
    "      --all                 send every message to every -n server\n"
    "      --daemon              detach once started; notices go to syslog\n"
    "      --exclude REGEX       drop lines that match\n"
    "      --from-start          read existing files from their first byte\n"
    "      --hostname NAME       HOSTNAME field (default: gethostname)\n"
    "      --include REGEX       send only lines that match\n"
    "      --logger[=PATH]       send through logger(1) children\n"
    "      --match REGEX=PRI     lines that match get this priority\n"
    "      --max-rate LINES      send at most LINES messages a second; the rest\n"
    "                            waits in the file (catching up after an outage:\n"
    "                            --max-rate 2000)\n"
    "      --octet-count         RFC 6587 octet-counting framing on streams\n"
    "      --once                read every file to its end, save state, exit\n"
    "      --partial-timeout SEC send an unterminated last line after (default 5)\n"
    "      --pidfile FILE        lock FILE and write our pid to it\n"
    "      --prio-prefix         a line starting with <N> sets its own priority\n"
    "      --raw                 send only <PRI> and the line\n"
    "      --record-start REGEX  a line that matches starts a record; the lines\n"
    "                            after it that do not are joined to it (a Java\n"
    "                            stack trace: --record-start '^[0-9]{4}-')\n"
    "      --relp                send over RELP (port 2514), each line confirmed\n"
    "      --rescan-interval SEC re-expand glob operands (default 1, at least 0.01)\n"
    "      --rfc3164             BSD syslog header (default)\n"
    "      --rfc5424             RFC 5424 header\n"
    "      --rotate-wait SEC     keep a rotated file this long once drained (default 5)\n"
    "      --state FILE          remember positions in FILE, resume from them\n"
    "      --state-interval SEC  save positions at most this often (default:\n"
    "                            as often as costs 5% of the time, up to 1)\n"
    "      --stdout              write messages to standard output instead\n"
    "      --truncate            cut long lines to --size instead of splitting\n"
    "      --user USER           run as USER once the sockets are open\n";

bool printable_ascii(const std::string& s) {
    for (unsigned char c : s)
        if (c < 33 || c > 126)
            return false;
    return true;
}

bool seconds_option(const char* name, const char* arg, int64_t* out, std::string* err) {
    if (parse_seconds(arg, int64_t(86400) * 1000, out))
        return true;
    *err = std::string("invalid ") + name + ": " + arg;
    return false;
}

// check_relp -- --relp goes to -n servers, over TCP, with its own framing.
bool check_relp(const Options& o, bool udp, bool have_server, bool to_stdout,
                bool use_logger, std::string* err) {
    if (udp || to_stdout || use_logger || !o.socket_path.empty()) {
        *err = "--relp cannot be combined with -d, -u, --logger or --stdout";
        return false;
    }
    if (!have_server) {
        *err = "--relp needs -n";
        return false;
    }
    if (o.octet_count) {
        *err = "--relp and --octet-count are mutually exclusive";
        return false;
    }
    return true;
}

// check -- rules that involve more than one option.
bool check(Options* o, bool udp, bool tcp, bool relp, bool have_server, bool to_stdout,
           bool use_logger, std::string* err) {
    if (udp && tcp) {
        *err = "-d and -T are mutually exclusive";
        return false;
    }
    if (relp && !check_relp(*o, udp, have_server, to_stdout, use_logger, err))
        return false;
    if (have_server && !o->socket_path.empty()) {
        *err = "-n and -u are mutually exclusive";
        return false;
    }
    if (to_stdout && (have_server || !o->socket_path.empty() || use_logger)) {
        *err = "--stdout cannot be combined with -n, -u or --logger";
        return false;
    }
    if (use_logger)
        o->dest = Dest::logger;
    else if (to_stdout)
        o->dest = Dest::stdout_;
    else if (have_server)
        o->dest = relp ? Dest::relp : tcp ? Dest::tcp : Dest::udp;
    else if (!o->socket_path.empty())
        o->dest = Dest::unix_socket;
    else
        o->dest = Dest::local;
    if (o->dest == Dest::udp && o->size > 65000) {
        *err = "-S: at most 65000 bytes over UDP";
        return false;
    }
    if (o->once && o->state_path.empty()) {
        *err = "--once needs --state";
        return false;
    }
    if (o->once && o->daemon) {
        *err = "--once and --daemon are mutually exclusive";
        return false;
    }
    if (o->all_servers && o->servers.size() < 2) {
        *err = "--all needs two or more -n servers";
        return false;
    }
    if (o->servers.size() > 1 && use_logger) {
        *err = "--logger takes one -n server";
        return false;
    }
    std::string why = o->tag.empty() ? "" : tag_problem(o->tag, o->format);
    if (!why.empty()) {
        *err = "invalid tag: " + o->tag + " (" + why + ")";
        return false;
    }
    return true;
}

// long_option -- the entry of kLongOpts that "--name[=value]" names, also
// by an unambiguous prefix as getopt_long takes it; null if none.  Sets
// *ambiguous when the prefix fits more than one.
const struct option* long_option(const std::string& token, bool* ambiguous) {
    std::string name = token.substr(2, token.find('=') - 2);
    const struct option* found = nullptr;
    int prefixes = 0;
    *ambiguous = false;
    for (const struct option* lo = kLongOpts; lo->name; ++lo) {
        if (name == lo->name)
            return lo;
        if (!name.empty() && strncmp(lo->name, name.c_str(), name.size()) == 0) {
            found = lo;
            prefixes++;
        }
    }
    *ambiguous = prefixes > 1;
    return prefixes == 1 ? found : nullptr;
}

// option_error -- the one line for what getopt_long refused: c is '?' (an
// unknown option, or a value the option does not take) or ':' (a missing
// value).  A short option comes in optopt; a long one is the last argument
// looked at, which is argv[optind - 1] once getopt_long has moved past it.
std::string option_error(int c, char** argv) {
    const std::string help = " (see --help)";
    std::string token = optind > 0 ? argv[optind - 1] : "";
    bool ambiguous = false;
    const struct option* lo = token.compare(0, 2, "--") == 0 && token.size() > 2
                            ? long_option(token, &ambiguous) : nullptr;
    std::string name = token.substr(0, token.find('='));
    // A long option if getopt_long says none short (optopt 0 or past the
    // char range), or if the token is a long option whose code optopt is.
    bool is_long = !token.empty() && token.compare(0, 2, "--") == 0 &&
                   (optopt == 0 || optopt > 255 || (lo && lo->val == optopt));
    if (!is_long) {
        std::string opt = std::string("-") + char(optopt);
        if (c == ':')
            return "option '" + opt + "' needs a value" + help;
        return "unrecognized option '" + opt + "'" + help;
    }
    if (ambiguous)
        return "ambiguous option '" + name + "'" + help;
    if (!lo)
        return "unrecognized option '" + name + "'" + help;
    if (c == ':')
        return "option '--" + std::string(lo->name) + "' needs a value" + help;
    return "option '--" + std::string(lo->name) + "' takes no value" + help;
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

bool ipv6_literal(const std::string& text) {
    // A zone ("fe80::1%eth0") is for getaddrinfo; inet_pton knows none.
    std::string addr = text.substr(0, text.find('%'));
    struct in6_addr a;
    return inet_pton(AF_INET6, addr.c_str(), &a) == 1;
}

}  // namespace

const char* usage_text() {
    return kUsage;
}

bool parse_long(const char* text, long min, long max, long* out) {
    if (*text < '0' || *text > '9')
        return false;
    errno = 0;
    char* end;
    long n = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max)
        return false;
    *out = n;
    return true;
}

bool parse_seconds(const char* text, int64_t max_ms, int64_t* out_ms) {
    int64_t ms = 0;
    const char* p = text;
    bool digits = false;  // "5", "5." and ".5", as strtod takes them; not "."
    for (; *p >= '0' && *p <= '9'; ++p, digits = true) {
        ms = ms * 10 + (*p - '0') * 1000;
        if (ms > max_ms)
            return false;
    }
    if (*p == '.') {
        int64_t scale = 100;
        for (++p; *p >= '0' && *p <= '9'; ++p, digits = true) {
            ms += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (!digits || *p != '\0' || ms > max_ms)
        return false;
    *out_ms = ms;
    return true;
}

bool parse_rule(Options::Rule::Kind kind, const std::string& text, Options::Rule* rule,
                std::string* err) {
    rule->kind = kind;
    rule->regex = text;
    rule->pri = -1;
    if (kind == Options::Rule::match) {
        std::string::size_type eq = text.rfind('=');
        if (eq == std::string::npos) {
            *err = "REGEX=PRIORITY expected: " + text;
            return false;
        }
        rule->regex = text.substr(0, eq);
        if (!parse_priority(text.substr(eq + 1), &rule->pri, err))
            return false;
    }
    return check_regex(rule->regex, err);
}

std::string tag_problem(const std::string& tag, Format format) {
    if (tag.empty())
        return "empty";
    if (tag == "-" && format == Format::rfc5424)  // read as "no APP-NAME"
        return "'-' is RFC 5424's nil value";
    size_t max = format == Format::rfc5424 ? 48 : 32;
    if (tag.size() > max)
        return std::to_string(tag.size()) + " bytes, more than " +
               (format == Format::rfc5424 ? "the 48 of an RFC 5424 APP-NAME"
                                          : "the 32 of RFC 3164; --rfc5424 allows 48");
    for (unsigned char c : tag) {
        if (c == ':')
            return "a ':' ends a tag";
        if (c == '[' || c == ']')
            return "'[' and ']' enclose the process id after a tag";
        if (c == ' ')
            return "a space ends a tag";
        if (c < 33 || c > 126)
            return "only printable ASCII, no control or 8-bit bytes";
    }
    return "";
}

bool resolve_port(const std::string& text, std::string* number, std::string* err) {
    long n;
    if (!text.empty() && text[0] >= '0' && text[0] <= '9') {
        if (!parse_long(text.c_str(), 1, 65535, &n)) {
            *err = "invalid port: " + text;
            return false;
        }
        *number = text;
        return true;
    }
    // Any protocol: /etc/services has syslog for udp only, and logger -T
    // takes it all the same.
    struct servent* se = text.empty() ? nullptr : getservbyname(text.c_str(), nullptr);
    endservent();
    if (se) {
        *number = std::to_string(ntohs(static_cast<uint16_t>(se->s_port)));
        return true;
    }
    if (text == "syslog") {  // a box without /etc/services, or a short one
        *number = "514";
        return true;
    }
    *err = "invalid port: " + text + " (not a number, nor a service in /etc/services)";
    return false;
}

std::string server_problem(const std::string& text) {
    std::string::size_type last = text.rfind(':');
    if (text.empty() || text[0] == '[' || last == std::string::npos ||
        text.find(':') == last || ipv6_literal(text))
        return "";
    // Two or more colons, no brackets, and not an address: most likely an
    // IPv6 address with a port after it.
    std::string addr = text.substr(0, last), port = text.substr(last + 1);
    if (ipv6_literal(addr) && all_digits(port))
        return "an IPv6 address with a port is written [" + addr + "]:" + port;
    return "not an IPv6 address, and a host name holds no ':'";
}

bool valid_tag(const std::string& tag, size_t max) {
    if (tag.empty() || tag.size() > max || !printable_ascii(tag))
        return false;
    return tag.find_first_of(":[]") == std::string::npos;
}

bool valid_hostname(const std::string& name) {
    return !name.empty() && name.size() <= 255 && printable_ascii(name);
}

std::string tag_from_path(const std::string& path) {
    std::string base = path.substr(path.find_last_of('/') + 1);
    if (base.empty())
        base = "tail2syslog";
    if (base.size() > 32)
        base.resize(32);
    for (char& c : base) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == ':' || c == '[' || c == ']')
            c = '_';
    }
    return base;
}

bool split_host_port(const std::string& text, std::string* host, std::string* port) {
    if (!text.empty() && text[0] == '[') {
        std::string::size_type close = text.find(']');
        if (close == std::string::npos || close == 1)
            return false;
        *host = text.substr(1, close - 1);
        if (close + 1 == text.size())
            return true;
        if (text[close + 1] != ':' || close + 2 == text.size())
            return false;
        *port = text.substr(close + 2);
        return true;
    }
    std::string::size_type colon = text.find(':');
    if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos) {
        *host = text;  // a name, an IPv4 address or a bare IPv6 literal
        return !text.empty();
    }
    if (colon == 0 || colon + 1 == text.size())
        return false;
    *host = text.substr(0, colon);
    *port = text.substr(colon + 1);
    return true;
}

ParseResult parse_options(int argc, char** argv, Options* o, std::string* err) {
    bool udp = false, tcp = false, relp = false, to_stdout = false, use_logger = false;
    bool have_port = false;
    std::string port_opt;
    long n;
    int c;

    // optind = 0, not 1: glibc, musl and the BSDs' getopt_long then forget
    // everything, also a place inside a cluster like "-hd" left by a return.
    optind = 0;
    opterr = 0;  // we report errors ourselves, in one line
    while ((c = getopt_long(argc, argv, kShortOpts, kLongOpts, nullptr)) != -1) {
        switch (c) {
        case 'd':
            udp = true;
            break;
        case 'e':
            o->skip_empty = true;
            break;
        case 'h':
            return ParseResult::help;
        case 'i':  // -i alone: our own pid; -iPID or --id=PID: that one
            o->procid = optarg ? optarg : std::to_string(getpid());
            if (o->procid.size() > 128 || !valid_tag(o->procid, 128)) {
                *err = "invalid id: " + o->procid;
                return ParseResult::usage_error;
            }
            break;
        case 'n': {
            Options::Server server;
            std::string why = server_problem(optarg);
            if (!why.empty() || !split_host_port(optarg, &server.host, &server.port)) {
                *err = std::string("invalid server: ") + optarg + (why.empty() ? "" : " (" + why + ")");
                return ParseResult::usage_error;
            }
            o->servers.push_back(server);
            break;
        }
        case 'f':
            o->config_path = optarg;
            break;
        case 'P':
            port_opt = optarg;
            have_port = true;
            break;
        case 'p':
            if (!parse_priority(optarg, &o->pri, err))
                return ParseResult::usage_error;
            break;
        case 'S':
            if (!parse_long(optarg, 4, 1 << 20, &n)) {
                *err = std::string("invalid size: ") + optarg;
                return ParseResult::usage_error;
            }
            o->size = size_t(n);
            break;
        case 's':
            if (!seconds_option("sleep interval", optarg, &o->sleep_ms, err))
                return ParseResult::usage_error;
            break;
        case 'T':
            tcp = true;
            break;
        case 't':
            if (*optarg == '\0') {  // an empty tag is no tag: say so, as in -f
                *err = "invalid tag: " + std::string(optarg) + " (" +
                       tag_problem(optarg, o->format) + ")";
                return ParseResult::usage_error;
            }
            o->tag = optarg;
            break;
        case 'u':
            o->socket_path = optarg;
            break;
        case 'V':
            return ParseResult::version;
        case 'v':
            o->verbose++;
            break;
        case OPT_ALL:
            o->all_servers = true;
            break;
        case OPT_DAEMON:
            o->daemon = true;
            break;
        case OPT_USER:
            o->user = optarg;
            break;
        case OPT_MATCH:
        case OPT_INCLUDE:
        case OPT_EXCLUDE: {
            Options::Rule rule;
            Options::Rule::Kind kind = c == OPT_MATCH     ? Options::Rule::match
                                     : c == OPT_INCLUDE ? Options::Rule::include
                                                        : Options::Rule::exclude;
            if (!parse_rule(kind, optarg, &rule, err)) {
                *err = std::string(c == OPT_MATCH     ? "--match: "
                                   : c == OPT_INCLUDE ? "--include: "
                                                      : "--exclude: ") + *err;
                return ParseResult::usage_error;
            }
            o->rules.push_back(rule);
            break;
        }
        case OPT_RECORD_START:
            if (!check_regex(optarg, err))
                return ParseResult::usage_error;
            o->record_start = optarg;
            break;
        case OPT_MAX_RATE:
            if (!parse_long(optarg, 1, 100000000, &o->max_rate)) {
                *err = "invalid --max-rate (1 to 100000000 a second): " + std::string(optarg);
                return ParseResult::usage_error;
            }
            break;
        case OPT_ONCE:
            o->once = true;
            break;
        case OPT_PIDFILE:
            o->pidfile = optarg;
            break;
        case OPT_STATE:
            o->state_path = optarg;
            break;
        case OPT_STATE_INTERVAL:
            if (!seconds_option("state interval", optarg, &o->state_interval_ms, err))
                return ParseResult::usage_error;
            o->state_interval_given = true;
            break;
        case OPT_FROM_START:
            o->from_start = true;
            break;
        case OPT_HOSTNAME:
            o->hostname = optarg;
            if (!valid_hostname(o->hostname)) {
                *err = "invalid hostname: " + o->hostname;
                return ParseResult::usage_error;
            }
            break;
        case OPT_LOGGER:
            use_logger = true;
            if (optarg)
                o->logger_path = optarg;
            break;
        case OPT_OCTET_COUNT:
            o->octet_count = true;
            break;
        case OPT_PARTIAL_TIMEOUT:
            if (!seconds_option("partial timeout", optarg, &o->partial_timeout_ms, err))
                return ParseResult::usage_error;
            break;
        case OPT_PRIO_PREFIX:
            o->prio_prefix = true;
            break;
        case OPT_RAW:
            o->format = Format::raw;
            break;
        case OPT_RELP:
            relp = true;
            break;
        case OPT_RESCAN_INTERVAL:
            if (!seconds_option("rescan interval", optarg, &o->rescan_ms, err))
                return ParseResult::usage_error;
            if (o->rescan_ms < 10) {  // 0 would expand the patterns in a busy loop
                *err = "invalid rescan interval: " + std::string(optarg) +
                       " (at least 0.01 seconds)";
                return ParseResult::usage_error;
            }
            break;
        case OPT_RFC3164:
            o->format = Format::rfc3164;
            break;
        case OPT_RFC5424:
            o->format = Format::rfc5424;
            break;
        case OPT_ROTATE_WAIT:
            if (!seconds_option("rotate wait", optarg, &o->rotate_wait_ms, err))
                return ParseResult::usage_error;
            break;
        case OPT_STDOUT:
            to_stdout = true;
            break;
        case OPT_TRUNCATE:
            o->truncate = true;
            break;
        default:  // '?' or ':'
            *err = option_error(c, argv);
            return ParseResult::usage_error;
        }
    }
    if (have_port && !resolve_port(port_opt, &o->port, err))
        return ParseResult::usage_error;
    if (!have_port && relp)
        o->port = kRelpPort;
    for (Options::Server& server : o->servers) {
        if (have_port || server.port.empty())
            server.port = o->port;  // -P wins over host:port, as with one server
        else if (!resolve_port(server.port, &server.port, err))
            return ParseResult::usage_error;
    }
    for (int i = optind; i < argc; ++i)
        o->files.push_back(argv[i]);
    if (o->files.size() == 1 && o->files[0] == "-")
        o->files.clear();
    for (const std::string& f : o->files) {
        if (f == "-") {
            *err = "standard input cannot be followed with files";
            return ParseResult::usage_error;
        }
    }
    if (!check(o, udp, tcp, relp, !o->servers.empty(), to_stdout, use_logger, err))
        return ParseResult::usage_error;
    o->stream_only = tcp;
    o->dgram_only = udp;
    return ParseResult::run;
}

}  // namespace t2s
