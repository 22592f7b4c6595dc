// priority -- syslog facility and severity names; PRI = facility * 8 + severity.
#ifndef T2S_PRIORITY_H
#define T2S_PRIORITY_H

#include <string>

namespace t2s {

enum { kPriMax = 191, kDefaultPri = 1 * 8 + 5 };  // user.notice

// parse_priority -- decodes "facility.severity" (syslog.conf names in any
// case, or numbers), a bare severity name (facility user), or a bare number
// 0..191 into *pri.
// On failure returns false and says why in *err.
bool parse_priority(const std::string& text, int* pri, std::string* err);

// priority_name -- "facility.severity" with the names logger(1) knows.
// Facilities 12 to 15 have none there (ntp, security, console, clock); they
// are named daemon, auth, kern and cron, their old homes.
std::string priority_name(int pri);

// parse_facility -- decodes a facility name or number 0..23 into its code.
bool parse_facility(const std::string& text, int* facility);

// parse_severity -- decodes a severity name or number 0..7 into its code.
bool parse_severity(const std::string& text, int* severity);

}  // namespace t2s

#endif
