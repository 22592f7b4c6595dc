// rate -- --max-rate: a token bucket.  Tokens (messages) come in at rate per
// second up to a small burst; sending takes them; while none are left the
// caller stops reading, so the backlog stays in the file.  No I/O, no clock:
// the caller says what time it is (milliseconds, any fixed origin).
#ifndef T2S_RATE_H
#define T2S_RATE_H

#include <cstddef>
#include <cstdint>

namespace t2s {

class TokenBucket {
public:
    // rate: messages per second (> 0).  The burst is a tenth of a second's
    // worth, at least one message: small enough that the rate holds over any
    // second, large enough that a batch carries many messages.
    TokenBucket(long rate, int64_t now_ms);

    // available -- whole tokens at now_ms, after refilling.
    size_t available(int64_t now_ms);

    // take -- spends n tokens (n <= available()).
    void take(size_t n);

    // wait_ms -- milliseconds from now_ms until one token is there; 0 if one is.
    int64_t wait_ms(int64_t now_ms);

    long rate() const { return rate_; }
    size_t burst() const { return burst_; }

private:
    void refill(int64_t now_ms);

    long rate_;
    size_t burst_;
    // Tokens in thousandths, so that a rate below 1000/s still refills a
    // little every millisecond.
    int64_t milli_tokens_;
    int64_t last_ms_;
};

}  // namespace t2s

#endif
