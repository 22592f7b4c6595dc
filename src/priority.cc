// priority -- syslog facility and severity names, as in syslog.conf(5).
#include <stdlib.h>
#include <strings.h>

#include "priority.h"
#include "options.h"

namespace t2s {

namespace {

struct Code {
    const char* name;
    int value;
};

const Code kFacilities[] = {
    {"kern", 0},      {"user", 1},      {"mail", 2},     {"daemon", 3},
    {"auth", 4},      {"security", 4},  {"syslog", 5},   {"lpr", 6},
    {"news", 7},      {"uucp", 8},      {"cron", 9},     {"authpriv", 10},
    {"ftp", 11},      {"ntp", 12},      {"console", 14}, {"local0", 16},
    {"local1", 17},   {"local2", 18},   {"local3", 19},  {"local4", 20},
    {"local5", 21},   {"local6", 22},   {"local7", 23},
};

const Code kSeverities[] = {
    {"emerg", 0}, {"panic", 0},   {"alert", 1},  {"crit", 2},
    {"err", 3},   {"error", 3},   {"warning", 4}, {"warn", 4},
    {"notice", 5}, {"info", 6},   {"debug", 7},
};

// decode -- a name from the table in any case, as logger(1) takes
// "LOCAL5.INFO", or a number from 0 to max.
template <size_t N>
bool decode(const std::string& text, const Code (&table)[N], int max, int* out) {
    for (const Code& c : table) {
        if (strcasecmp(text.c_str(), c.name) == 0 && text.find('\0') == std::string::npos) {
            *out = c.value;
            return true;
        }
    }
    long n;
    if (!parse_long(text.c_str(), 0, max, &n))
        return false;
    *out = int(n);
    return true;
}

// The names logger(1) understands, by facility code.
const char* const kLoggerFacilities[24] = {
    "kern",   "user",   "mail",   "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",  "daemon", "auth",   "kern",   "cron",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};

const char* const kSeverityNames[8] = {"emerg", "alert", "crit", "err",
                                       "warning", "notice", "info", "debug"};

}  // namespace

std::string priority_name(int pri) {
    return std::string(kLoggerFacilities[(pri >> 3) % 24]) + "." + kSeverityNames[pri & 7];
}

bool parse_facility(const std::string& text, int* facility) {
    return decode(text, kFacilities, 23, facility);
}

bool parse_severity(const std::string& text, int* severity) {
    return decode(text, kSeverities, 7, severity);
}

bool parse_priority(const std::string& text, int* pri, std::string* err) {
    std::string::size_type dot = text.find('.');
    if (dot == std::string::npos) {
        long n;
        if (parse_long(text.c_str(), 0, kPriMax, &n)) {
            *pri = int(n);
            return true;
        }
        int severity;
        if (parse_severity(text, &severity)) {
            *pri = 1 * 8 + severity;
            return true;
        }
        *err = "invalid priority: " + text;
        return false;
    }
    std::string fac = text.substr(0, dot), sev = text.substr(dot + 1);
    int facility, severity;
    if (!parse_facility(fac, &facility)) {
        *err = "unknown facility: " + fac;
        return false;
    }
    if (!parse_severity(sev, &severity)) {
        *err = "unknown severity: " + sev;
        return false;
    }
    *pri = facility * 8 + severity;
    return true;
}

}  // namespace t2s
