// rate_test -- TokenBucket.
#include <doctest/doctest.h>

#include "rate.h"

namespace t2s {

TEST_CASE("TokenBucket: starts with a burst of a tenth of a second") {
    TokenBucket b(1000, 0);
    CHECK(b.burst() == 100);
    CHECK(b.available(0) == 100);
    TokenBucket slow(5, 0);
    CHECK(slow.burst() == 1);
    CHECK(slow.available(0) == 1);
}

TEST_CASE("TokenBucket: refills at the rate, never beyond the burst") {
    TokenBucket b(1000, 0);
    b.take(100);
    CHECK(b.available(0) == 0);
    CHECK(b.wait_ms(0) == 1);
    CHECK(b.available(10) == 10);
    CHECK(b.available(50) == 50);
    CHECK(b.available(1000000) == 100);
    CHECK(b.wait_ms(1000000) == 0);
}

TEST_CASE("TokenBucket: a slow rate accumulates fractions") {
    TokenBucket b(3, 0);  // one message per 333 ms
    b.take(1);
    CHECK(b.wait_ms(0) == 334);
    CHECK(b.available(200) == 0);
    CHECK(b.available(334) == 1);
}

TEST_CASE("TokenBucket: over a long run the rate holds") {
    TokenBucket b(4000, 0);
    size_t sent = 0;
    for (int64_t t = 0; t <= 5000; t += 7)  // a caller that looks every 7 ms
        if (size_t n = b.available(t)) {
            b.take(n);
            sent += n;
        }
    // 5 s at 4000/s, plus the first burst
    CHECK(sent >= 20000);
    CHECK(sent <= 20400);
}

TEST_CASE("TokenBucket: a clock that goes back changes nothing") {
    TokenBucket b(100, 1000);
    b.take(10);
    CHECK(b.available(500) == 0);
    CHECK(b.available(1100) == 10);
}

}  // namespace t2s
