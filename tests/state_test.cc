// state_test -- how soon the state is saved again.
#include <doctest/doctest.h>

#include "state.h"

namespace t2s {

TEST_CASE("absolute_name: one spelling of a followed name") {
    CHECK(absolute_name("app.log", "/var/log") == "/var/log/app.log");
    CHECK(absolute_name("./app.log", "/var/log") == "/var/log/app.log");
    CHECK(absolute_name("/var/log/app.log", "/tmp") == "/var/log/app.log");
    CHECK(absolute_name("/var//log/./app.log", "/") == "/var/log/app.log");
    CHECK(absolute_name("dns/./q.log", "/srv/") == "/srv/dns/q.log");
    CHECK(absolute_name("app.log", "/") == "/app.log");
    // ".." kept: /var/log may be a link.
    CHECK(absolute_name("../log/app.log", "/var/log") == "/var/log/../log/app.log");
    // A glob pattern is a name like another.
    CHECK(absolute_name("./*.log", "/var/log") == "/var/log/*.log");
    // No working directory known: relative, tidied.
    CHECK(absolute_name("./a//b", "") == "a/b");
    CHECK(absolute_name("./", "") == ".");
    CHECK(absolute_name("/", "/x") == "/");
    CHECK(absolute_name("", "/x") == "");
}

TEST_CASE("save_gap: a given --state-interval is kept") {
    CHECK(save_gap(1000, true, 0) == 1000);
    CHECK(save_gap(10000, true, 500) == 10000);
    CHECK(save_gap(20, true, 7) == 20);
}

TEST_CASE("save_gap: by default, twenty times the last save, within 50 ms and the interval") {
    CHECK(save_gap(1000, false, 0) == 50);    // cheap: as often as allowed
    CHECK(save_gap(1000, false, 2) == 50);
    CHECK(save_gap(1000, false, 7) == 140);   // a loaded disk: 5% of the time
    CHECK(save_gap(1000, false, 80) == 1000); // never rarer than the interval
    CHECK(save_gap(30, false, 0) == 30);      // nor than an interval below 50 ms
}

}  // namespace t2s
