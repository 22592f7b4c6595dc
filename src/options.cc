// options -- the command line, parsed with getopt_long(3).
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "priority.h"

namespace t2s {

namespace {

// Long-only options: values past the char range.
enum {
    OPT_STDOUT = 256, OPT_RFC3164, OPT_RFC5424, OPT_RAW, OPT_OCTET_COUNT,
    OPT_HOSTNAME, OPT_TRUNCATE, OPT_PRIO_PREFIX, OPT_FROM_START,
    OPT_ROTATE_WAIT, OPT_PARTIAL_TIMEOUT, OPT_RESCAN_INTERVAL, OPT_LOGGER,
};

const char kShortOpts[] = "deP:p:S:s:Tt:u:n:i::hVv";

const struct option kLongOpts[] = {
    {"from-start", no_argument, nullptr, OPT_FROM_START},
    {"help", no_argument, nullptr, 'h'},
    {"hostname", required_argument, nullptr, OPT_HOSTNAME},
    {"id", optional_argument, nullptr, 'i'},
    {"logger", optional_argument, nullptr, OPT_LOGGER},
    {"octet-count", no_argument, nullptr, OPT_OCTET_COUNT},
    {"partial-timeout", required_argument, nullptr, OPT_PARTIAL_TIMEOUT},
    {"port", required_argument, nullptr, 'P'},
    {"prio-prefix", no_argument, nullptr, OPT_PRIO_PREFIX},
    {"priority", required_argument, nullptr, 'p'},
    {"raw", no_argument, nullptr, OPT_RAW},
    {"rescan-interval", required_argument, nullptr, OPT_RESCAN_INTERVAL},
    {"rfc3164", no_argument, nullptr, OPT_RFC3164},
    {"rfc5424", no_argument, nullptr, OPT_RFC5424},
    {"rotate-wait", required_argument, nullptr, OPT_ROTATE_WAIT},
    {"server", required_argument, nullptr, 'n'},
    {"size", required_argument, nullptr, 'S'},
    {"skip-empty", no_argument, nullptr, 'e'},
    {"sleep-interval", required_argument, nullptr, 's'},
    {"socket", required_argument, nullptr, 'u'},
    {"stdout", no_argument, nullptr, OPT_STDOUT},
    {"tag", required_argument, nullptr, 't'},
    {"tcp", no_argument, nullptr, 'T'},
    {"truncate", no_argument, nullptr, OPT_TRUNCATE},
    {"udp", no_argument, nullptr, 'd'},
    {"verbose", no_argument, nullptr, 'v'},
    {"version", no_argument, nullptr, 'V'},
    {nullptr, 0, nullptr, 0},
};

const char kUsage[] =
    "usage: tail2syslog [-dehTVv] [-i[PID]] [-n host[:port]] [-P port] [-p pri]\n"
    "                   [-S size] [-s seconds] [-t tag] [-u socket]\n"
    "                   [--from-start] [--hostname name] [--logger[=path]]\n"
    "                   [--octet-count] [--partial-timeout seconds]\n"
    "                   [--prio-prefix] [--raw | --rfc3164 | --rfc5424]\n"
    "                   [--rescan-interval seconds] [--rotate-wait seconds]\n"
    "                   [--stdout] [--truncate] [file ...]\n"
    "\n"
    "Follow files like tail -F and send each new line as a syslog message.\n"
    "With no file, or -, read standard input.\n"
    "\n"
    "  -d, --udp                 send over UDP (default with -n)\n"
    "  -e, --skip-empty          do not send empty lines\n"
    "  -h, --help                show this help and exit\n"
    "  -i, --id[=PID]            add a PROCID: PID, or our own process id\n"
    "  -n, --server HOST[:PORT]  send to this syslog server\n"
    "  -P, --port PORT           server port (default 514)\n"
    "  -p, --priority PRI        facility.severity or number (default user.notice)\n"
    "  -S, --size BYTES          largest message body (default 8192)\n"
    "  -s, --sleep-interval SEC  poll interval for idle files (default 0.25)\n"
    "  -T, --tcp                 send over TCP\n"
    "  -t, --tag TAG             tag / APP-NAME (default: file basename)\n"
    "  -u, --socket PATH         send to this unix socket\n"
    "  -V, --version             show the version and exit\n"
    "  -v, --verbose             report rotations, reconnects and skipped files\n"
    "      --from-start          read existing files from their first byte\n"
    "      --hostname NAME       HOSTNAME field (default: gethostname)\n"
    "      --logger[=PATH]       send through logger(1) children\n"
    "      --octet-count         RFC 6587 octet-counting framing on streams\n"
    "      --partial-timeout SEC send an unterminated last line after (default 5)\n"
    "      --prio-prefix         a line starting with <N> sets its own priority\n"
    "      --raw                 send only <PRI> and the line\n"
    "      --rescan-interval SEC re-expand glob operands (default 1)\n"
    "      --rfc3164             BSD syslog header (default)\n"
    "      --rfc5424             RFC 5424 header\n"
    "      --rotate-wait SEC     keep a rotated file this long once drained (default 5)\n"
    "      --stdout              write messages to standard output instead\n"
    "      --truncate            cut long lines to --size instead of splitting\n";

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

// check -- rules that involve more than one option.
bool check(Options* o, bool udp, bool tcp, bool have_server, bool to_stdout,
           bool use_logger, std::string* err) {
    if (udp && tcp) {
        *err = "-d and -T are mutually exclusive";
        return false;
    }
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
        o->dest = tcp ? Dest::tcp : Dest::udp;
    else if (!o->socket_path.empty())
        o->dest = Dest::unix_socket;
    else
        o->dest = Dest::local;
    if (o->dest == Dest::udp && o->size > 65000) {
        *err = "-S: at most 65000 bytes over UDP";
        return false;
    }
    size_t tag_max = o->format == Format::rfc5424 ? 48 : 32;
    if (!o->tag.empty() && !valid_tag(o->tag, tag_max)) {
        *err = "invalid tag: " + o->tag;
        return false;
    }
    return true;
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
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; ++p) {
        ms = ms * 10 + (*p - '0') * 1000;
        if (ms > max_ms)
            return false;
    }
    if (*p == '.') {
        int64_t scale = 100;
        for (++p; *p >= '0' && *p <= '9'; ++p) {
            ms += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (*p != '\0' || ms > max_ms)
        return false;
    *out_ms = ms;
    return true;
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
    bool udp = false, tcp = false, to_stdout = false, use_logger = false;
    std::string server_port, port_opt;
    long n;
    int c;

    optind = 1;
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
        case 'n':
            if (!split_host_port(optarg, &o->server, &server_port)) {
                *err = std::string("invalid server: ") + optarg;
                return ParseResult::usage_error;
            }
            break;
        case 'P':
            port_opt = optarg;
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
        case OPT_RESCAN_INTERVAL:
            if (!seconds_option("rescan interval", optarg, &o->rescan_ms, err))
                return ParseResult::usage_error;
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
        default:
            if (optopt >= 32 && optopt < 127)
                *err = std::string("invalid option or missing value: -") + char(optopt);
            else
                *err = std::string("invalid option: ") + argv[optind - 1];
            return ParseResult::usage_error;
        }
    }
    if (!port_opt.empty())
        server_port = port_opt;  // -P wins over host:port
    if (!server_port.empty()) {
        if (!parse_long(server_port.c_str(), 1, 65535, &n)) {
            *err = "invalid port: " + server_port;
            return ParseResult::usage_error;
        }
        o->port = server_port;
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
    if (!check(o, udp, tcp, !o->server.empty(), to_stdout, use_logger, err))
        return ParseResult::usage_error;
    o->stream_only = tcp;
    o->dgram_only = udp;
    return ParseResult::run;
}

}  // namespace t2s
