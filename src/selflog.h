// selflog -- what tail2syslog has to say itself once detached (--daemon):
// its warnings, its notices (-v) and its statistics (SIGUSR1).  They go
// where the admin is watching: through the destination it forwards to,
// tagged "tail2syslog", facility daemon, each at its own severity
// (statistics info, notices such as rotations notice, warnings such as
// losses warning) -- not to syslog(3), which may have no /dev/log.
//
// A transport says its notices from inside a send, so messages are queued
// when said and sent later, from the loop (flush).  The queue is bounded:
// beyond kSelfLogMax messages, they are counted and the count is sent.
#ifndef T2S_SELFLOG_H
#define T2S_SELFLOG_H

#include <string>
#include <utility>
#include <vector>

#include "format.h"
#include "transport.h"

namespace t2s {

// Severities, as in syslog(3) and RFC 5424.
enum Severity { kSevWarning = 4, kSevNotice = 5, kSevInfo = 6 };

enum { kSelfLogMax = 256 };

class SelfLog {
public:
    // base: the run's header (format, hostname, logger or not); the tag,
    // PRI and process ID are ours.
    explicit SelfLog(const Header& base);

    // say -- queues text at severity (a Severity).
    void say(int severity, const std::string& text);
    // flush -- sends what is queued through t; false if some of it was not
    // taken (we are stopping, or the destination failed): then it is still
    // queued, for take().
    bool flush(Transport* t);
    // take -- what is queued, as (severity, text), emptied.
    std::vector<std::pair<int, std::string>> take();
    bool empty() const { return queue_.empty() && dropped_ == 0; }

private:
    Header header_;
    std::vector<std::pair<int, std::string>> queue_;
    unsigned long dropped_ = 0;
    Batch batch_;
};

}  // namespace t2s

#endif
