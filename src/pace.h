// pace -- when to look at a followed file again: about as often as its data
// arrives.  Pure arithmetic on times in now_ms() milliseconds; no I/O.
#ifndef T2S_PACE_H
#define T2S_PACE_H

#include <cstdint>

namespace t2s {

// What is known of when a file's data arrives.
struct Pace {
    int64_t last_ms = 0;  // when data last arrived (or following began)
    int64_t gap_ms = -1;  // recent time between arrivals; -1 while unknown
};

// How far ahead a look may be put off.
struct PaceLimits {
    int64_t shortest_ms = 1;  // never sooner than this after a look
    int64_t longest_ms = 0;   // never later than this after a look
};

// pace_arrival -- records that the file gave data at now.  A shorter gap is
// believed at once, a longer one a quarter at a time; a pause longer than
// kPaceForgetMs says nothing of the file's rate and makes the gap unknown.
void pace_arrival(Pace* pace, int64_t now);

// pace_next -- when (now_ms() time, > now) to look at the file again: an
// eighth of the time its next data is expected to take (the recent gap, or
// the silence so far when that is longer; a quarter of a pause), within
// limits, rounded down to a grid so that quiet files are looked at
// together, in few wake-ups.
int64_t pace_next(const Pace& pace, int64_t now, const PaceLimits& limits);

// A silence longer than this is a pause, not a rate.
const int64_t kPaceForgetMs = 2000;
// Looks per expected gap: a line every 100 ms is looked for every 12 ms.
const int64_t kPaceLooksPerGap = 8;
// Looks per silence once it is a pause: a file quiet for 20 s waits 5 s.
const int64_t kPaceLooksPerPause = 4;

}  // namespace t2s

#endif
