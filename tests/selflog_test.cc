// selflog_test -- the daemon's own messages: severities, the tag, the
// queue's bound, notices said from inside a send, partial sends.
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "selflog.h"

namespace t2s {

namespace {

// Taker -- a transport that records what it takes: at most `limit`
// messages per send, and calls `during` from inside each send.
class Taker : public Transport {
public:
    Framing framing() const override { return Framing::lf; }
    size_t send(const Batch& batch, std::string*, int*) override {
        if (during)
            during();
        size_t n = batch.items().size() < limit ? batch.items().size() : limit;
        for (size_t i = 0; i < n; ++i) {
            size_t len;
            const char* p = batch.message(i, &len);
            got.emplace_back(p, len);
        }
        return n;
    }
    std::vector<std::string> got;
    size_t limit = size_t(-1);
    std::function<void()> during;
};

Header base_header() {
    Header h;
    h.format = Format::rfc3164;
    h.hostname = "h";
    h.tag = "app";
    h.pri = 13;
    return h;
}

// body -- a recorded message without its timestamp: "<PRI> rest".
std::string body(const std::string& message) {
    size_t gt = message.find('>');
    return message.substr(0, gt + 1) + message.substr(gt + 17);  // "Mmm dd hh:mm:ss "
}

const std::string kOurs = "h tail2syslog[" + std::to_string(long(getpid())) + "]: ";

}  // namespace

TEST_CASE("SelfLog: each message at its severity, facility daemon, tagged tail2syslog") {
    SelfLog self(base_header());
    Taker t;
    self.say(kSevWarning, "app.log: lines lost");
    self.say(kSevNotice, "app.log: has been replaced");
    self.say(kSevInfo, "destination: reconnects 0, resends 0");
    CHECK(self.flush(&t));
    REQUIRE(t.got.size() == 3);
    CHECK(body(t.got[0]) == "<28>" + kOurs + "app.log: lines lost\n");
    CHECK(body(t.got[1]) == "<29>" + kOurs + "app.log: has been replaced\n");
    CHECK(body(t.got[2]) == "<30>" + kOurs + "destination: reconnects 0, resends 0\n");
    CHECK(self.empty());
}

TEST_CASE("SelfLog: what a send does not take stays queued, in order") {
    SelfLog self(base_header());
    Taker t;
    t.limit = 1;
    self.say(kSevInfo, "one");
    self.say(kSevInfo, "two");
    self.say(kSevInfo, "three");
    // Fewer taken: we are stopping, or the destination failed.
    CHECK_FALSE(self.flush(&t));
    REQUIRE(t.got.size() == 1);
    CHECK(body(t.got[0]) == "<30>" + kOurs + "one\n");
    t.limit = size_t(-1);  // the next flush sends the rest
    CHECK(self.flush(&t));
    REQUIRE(t.got.size() == 3);
    CHECK(body(t.got[2]) == "<30>" + kOurs + "three\n");
    t.limit = 0;  // nothing taken: what is left is there to take
    self.say(kSevWarning, "left");
    CHECK_FALSE(self.flush(&t));
    auto left = self.take();
    REQUIRE(left.size() == 1);
    CHECK(left[0].first == kSevWarning);
    CHECK(left[0].second == "left");
    CHECK(self.empty());
}

TEST_CASE("SelfLog: a notice said from inside the send goes out after") {
    SelfLog self(base_header());
    Taker t;
    int calls = 0;
    t.during = [&] {
        if (calls++ == 0)
            self.say(kSevNotice, "reconnected to loghost");
    };
    self.say(kSevWarning, "first");
    CHECK(self.flush(&t));
    REQUIRE(t.got.size() == 2);
    CHECK(body(t.got[0]) == "<28>" + kOurs + "first\n");
    CHECK(body(t.got[1]) == "<29>" + kOurs + "reconnected to loghost\n");
}

TEST_CASE("SelfLog: beyond the bound, messages are counted and the count sent") {
    SelfLog self(base_header());
    Taker t;
    for (int i = 0; i < kSelfLogMax + 44; ++i)
        self.say(kSevNotice, "n" + std::to_string(i));
    CHECK(self.flush(&t));
    REQUIRE(t.got.size() == size_t(kSelfLogMax) + 1);
    CHECK(body(t.got[kSelfLogMax - 1]) ==
          "<29>" + kOurs + "n" + std::to_string(kSelfLogMax - 1) + "\n");
    CHECK(body(t.got.back()) == "<28>" + kOurs + "44 messages of tail2syslog's own dropped\n");
}

TEST_CASE("SelfLog: a long text is cut, control bytes escaped") {
    SelfLog self(base_header());
    Taker t;
    self.say(kSevWarning, std::string(5000, 'x') + "\n");
    self.say(kSevWarning, "a\nb");
    CHECK(self.flush(&t));
    REQUIRE(t.got.size() == 2);
    CHECK(body(t.got[0]) == "<28>" + kOurs + std::string(1024, 'x') + "\n");
    CHECK(body(t.got[1]) == "<28>" + kOurs + "a#012b\n");
}

}  // namespace t2s
