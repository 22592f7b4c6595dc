// pace_test -- pace_arrival and pace_next: given a file's arrival history
// and now, when it is looked at next.
#include <cstdint>

#include <doctest/doctest.h>

#include "pace.h"

namespace t2s {

namespace {

PaceLimits limits(int64_t shortest, int64_t longest) {
    PaceLimits l;
    l.shortest_ms = shortest;
    l.longest_ms = longest;
    return l;
}

// arrivals -- a Pace that saw data every gap ms, n times, the last at last.
Pace arrivals(int64_t gap, int n, int64_t last) {
    Pace p{last - gap * n, -1};
    for (int i = n - 1; i >= 0; i--)
        pace_arrival(&p, last - gap * i);
    return p;
}

// first_look_after -- the look that finds a line written at written, given looks
// from now on at the pace: the first look at or after written.
int64_t first_look_after(Pace p, int64_t now, int64_t written, const PaceLimits& l) {
    while (now < written)
        now = pace_next(p, now, l);
    return now;
}

}  // namespace

TEST_CASE("pace_arrival: the first gap is taken as it is") {
    Pace p{1000, -1};
    pace_arrival(&p, 1100);
    CHECK(p.last_ms == 1100);
    CHECK(p.gap_ms == 100);
}

TEST_CASE("pace_arrival: a shorter gap is believed at once, a longer one slowly") {
    Pace p = arrivals(100, 5, 10000);
    REQUIRE(p.gap_ms == 100);
    pace_arrival(&p, 10020);
    CHECK(p.gap_ms == 20);
    pace_arrival(&p, 10120);
    CHECK(p.gap_ms == (3 * 20 + 100) / 4);
}

TEST_CASE("pace_arrival: a pause longer than kPaceForgetMs makes the gap unknown") {
    Pace p = arrivals(100, 5, 10000);
    pace_arrival(&p, 10000 + kPaceForgetMs + 1);
    CHECK(p.gap_ms == -1);
    CHECK(p.last_ms == 10000 + kPaceForgetMs + 1);
}

TEST_CASE("pace_arrival: a clock that seems to go back counts as no gap") {
    Pace p{5000, -1};
    pace_arrival(&p, 4000);
    CHECK(p.gap_ms == 0);
}

TEST_CASE("pace_next: a line every 100 ms is looked for about every 12 ms") {
    Pace p = arrivals(100, 10, 50000);
    PaceLimits l = limits(1, 250);
    int64_t now = 50000, looks = 0;
    while (now < 50100) {
        int64_t next = pace_next(p, now, l);
        CHECK(next > now);
        CHECK(next - now <= 100 / kPaceLooksPerGap);
        CHECK(next - now >= 100 / kPaceLooksPerGap * 3 / 4);
        now = next;
        looks++;
    }
    CHECK(looks >= 6);
    CHECK(looks <= 12);
}

TEST_CASE("pace_next: 10 lines a second are found within 13 ms of being written") {
    PaceLimits l = limits(1, 250);
    Pace p = arrivals(100, 10, 50000);
    for (int64_t at = 50001; at <= 50100; at += 3) {
        int64_t seen = first_look_after(p, 50000, at, l);
        CHECK(seen - at <= 100 / kPaceLooksPerGap + 1);
    }
}

TEST_CASE("pace_next: a quiet file backs off geometrically up to the longest") {
    Pace p = arrivals(100, 10, 0);
    PaceLimits l = limits(1, 1000);
    CHECK(pace_next(p, 800, l) - 800 <= 100);
    CHECK(pace_next(p, 800, l) - 800 >= 75);
    CHECK(pace_next(p, 1600, l) - 1600 <= 200);
    CHECK(pace_next(p, 1600, l) - 1600 >= 150);
    CHECK(pace_next(p, 60000, l) - 60000 <= 1000);
    CHECK(pace_next(p, 60000, l) - 60000 >= 750);
}

TEST_CASE("pace_next: a pause backs off twice as fast") {
    Pace p = arrivals(100, 10, 0);
    PaceLimits l = limits(1, 10000);
    int64_t pause = kPaceForgetMs + 1000;
    CHECK(pace_next(p, pause, l) - pause <= pause / kPaceLooksPerPause);
    CHECK(pace_next(p, pause, l) - pause >= pause / kPaceLooksPerPause * 3 / 4);
}

TEST_CASE("pace_next: a quiet second costs few looks") {
    // The file gave its last line at 0, at a line every 100 ms; from 1 s of
    // silence on, at most about 8 * ln(2) looks per doubling of the silence.
    Pace p = arrivals(100, 10, 0);
    PaceLimits l = limits(1, 1000);
    int64_t now = 1000, looks = 0;
    while (now < 2000) {
        now = pace_next(p, now, l);
        looks++;
    }
    CHECK(looks <= 8);
}

TEST_CASE("pace_next: right after a pause, the second line is found soon") {
    // Nothing for a minute, then a line at 60000: the gap is unknown, so the
    // looks start close together and spread as the silence grows.
    Pace p{0, -1};
    pace_arrival(&p, 60000);
    REQUIRE(p.gap_ms == -1);
    PaceLimits l = limits(1, 1000);
    CHECK(pace_next(p, 60000, l) == 60001);
    CHECK(first_look_after(p, 60000, 60100, l) - 60100 <= 100 / kPaceLooksPerGap + 1);
}

TEST_CASE("pace_next: the limits hold whatever the history") {
    Pace busy = arrivals(0, 10, 1000);
    CHECK(pace_next(busy, 1000, limits(5, 250)) - 1000 >= 4);  // 5 on a 1 ms grid
    CHECK(pace_next(busy, 1000, limits(5, 250)) - 1000 <= 5);
    Pace slow = arrivals(1500, 3, 1000);
    CHECK(pace_next(slow, 1000, limits(1, 100)) - 1000 <= 100);
    CHECK(pace_next(slow, 1000, limits(1, 100)) - 1000 >= 75);
    // -s 0: no wait at all is asked for, one millisecond is taken
    CHECK(pace_next(slow, 1000, limits(0, 0)) == 1001);
}

TEST_CASE("pace_next: quiet files with different phases share wake-ups") {
    PaceLimits l = limits(1, 1000);
    int64_t first = pace_next(Pace{0, -1}, 100000, l);
    int same = 0;
    for (int64_t phase = 0; phase < 100; phase++) {
        int64_t next = pace_next(Pace{phase, -1}, 100000 + phase, l);
        CHECK(next > 100000 + phase);
        CHECK(next - (100000 + phase) >= 750);
        CHECK(next - (100000 + phase) <= 1000);
        CHECK(next % 128 == 0);
        same += next == first;
    }
    CHECK(same >= 70);
}

}  // namespace t2s
