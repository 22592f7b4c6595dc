// selflog -- the daemon's own messages, through the destination.
#include <time.h>
#include <unistd.h>

#include "selflog.h"

namespace t2s {

namespace {

const int kFacilityDaemon = 3;
const size_t kTextMax = 1024;  // bytes of one message's body, escaped

}  // namespace

SelfLog::SelfLog(const Header& base)
    : header_(base), batch_((kHeaderMax + kTextMax + 32) * 16) {
    header_.tag = "tail2syslog";
    header_.procid = std::to_string(long(getpid()));
}

void SelfLog::say(int severity, const std::string& text) {
    if (queue_.size() >= kSelfLogMax) {
        ++dropped_;
        return;
    }
    queue_.emplace_back(severity, text);
}

bool SelfLog::flush(Transport* t) {
    if (dropped_ > 0) {  // one over the bound: the count
        queue_.emplace_back(kSevWarning, std::to_string(dropped_) +
                                             " messages of tail2syslog's own dropped");
        dropped_ = 0;
    }
    // The process ID changes once, when we detach.
    header_.procid = std::to_string(long(getpid()));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    Stamp stamp;
    stamp_set(&stamp, now);
    char header[kHeaderMax];
    while (!queue_.empty()) {
        batch_.clear();
        size_t n = 0;
        for (; n < queue_.size(); ++n) {
            const std::string& text = queue_[n].second;
            int pri = kFacilityDaemon * 8 + queue_[n].first;
            size_t header_len = format_header(header_, pri, stamp, header);
            size_t escaped = 0;
            size_t fit = body_fit(text.data(), text.size(), kTextMax, &escaped);
            if (!batch_.room(header_len, escaped))
                break;
            Batch::Item item = {0, 0, pri, &header_};
            batch_.add(t->framing(), header, header_len, text.data(), fit, escaped, item);
        }
        if (n == 0)  // cannot happen: an empty batch holds any one message
            return false;
        // Messages said from inside this send (a transport's notices) are
        // appended to queue_ behind these n, and sent in the next round.
        std::string err;
        int code = 0;
        size_t sent = t->send(batch_, &err, &code);
        queue_.erase(queue_.begin(), queue_.begin() + long(sent));
        if (sent < n)
            return false;
    }
    return true;
}

std::vector<std::pair<int, std::string>> SelfLog::take() {
    std::vector<std::pair<int, std::string>> all;
    all.swap(queue_);
    return all;
}

}  // namespace t2s
