// pace -- when to look at a followed file again.
//
// | what is known                         | next look, after now                |
// |---------------------------------------|-------------------------------------|
// | data every G ms lately                | G/8 (a line costs about 8 stats)    |
// | silent for S ms, S longer than G      | S/8: a quiet file backs off         |
// |   (or G unknown)                      |   geometrically, by 1/8 a look      |
// | silent for more than kPaceForgetMs    | S/4: a pause, by 1/4 a look         |
// | whatever the arithmetic says          | within [shortest, longest]          |
// | a wait W of 8 ms or more              | rounded down to a multiple of the   |
// |                                       |   largest power of two <= W/4, so   |
// |                                       |   quiet files share their wake-ups  |
#include "pace.h"

namespace t2s {

void pace_arrival(Pace* pace, int64_t now) {
    int64_t gap = now - pace->last_ms;
    pace->last_ms = now;
    if (gap < 0)
        gap = 0;
    if (gap > kPaceForgetMs)
        pace->gap_ms = -1;
    else if (pace->gap_ms < 0 || gap < pace->gap_ms)
        pace->gap_ms = gap;
    else
        pace->gap_ms = (3 * pace->gap_ms + gap) / 4;
}

int64_t pace_next(const Pace& pace, int64_t now, const PaceLimits& limits) {
    int64_t silence = now - pace.last_ms;
    int64_t expected = silence > pace.gap_ms ? silence : pace.gap_ms;
    // A pause says little of when the next line comes: spread looks faster.
    int64_t wait = expected / (silence > kPaceForgetMs ? kPaceLooksPerPause : kPaceLooksPerGap);
    if (wait > limits.longest_ms)
        wait = limits.longest_ms;
    if (wait < limits.shortest_ms)
        wait = limits.shortest_ms;
    if (wait < 1)
        return now + 1;
    // The grid: a step of at most a quarter of the wait, so that the look
    // comes between 3/4 of the wait and the wait, never later.
    int64_t step = 1;
    while (step * 2 <= wait / 4)
        step *= 2;
    int64_t at = (now + wait) / step * step;
    return at > now ? at : now + 1;
}

}  // namespace t2s
