// rate -- a token bucket.
#include "rate.h"

namespace t2s {

TokenBucket::TokenBucket(long rate, int64_t now_ms)
    : rate_(rate > 0 ? rate : 1),
      burst_(rate_ / 10 > 1 ? size_t(rate_ / 10) : 1),
      milli_tokens_(int64_t(burst_) * 1000),
      last_ms_(now_ms) {}

void TokenBucket::refill(int64_t now_ms) {
    if (now_ms <= last_ms_)
        return;  // the clock stood still (or the caller's went back)
    int64_t cap = int64_t(burst_) * 1000;
    int64_t elapsed = now_ms - last_ms_;
    // Tokens per ms are rate/1000, so milli-tokens per ms are rate.  A long
    // pause must not overflow: the bucket is full after burst/rate seconds.
    if (elapsed > cap / rate_ + 1)
        milli_tokens_ = cap;
    else
        milli_tokens_ += elapsed * rate_;
    if (milli_tokens_ > cap)
        milli_tokens_ = cap;
    last_ms_ = now_ms;
}

size_t TokenBucket::available(int64_t now_ms) {
    refill(now_ms);
    return size_t(milli_tokens_ / 1000);
}

void TokenBucket::take(size_t n) {
    milli_tokens_ -= int64_t(n) * 1000;
}

int64_t TokenBucket::wait_ms(int64_t now_ms) {
    refill(now_ms);
    if (milli_tokens_ >= 1000)
        return 0;
    int64_t missing = 1000 - milli_tokens_;
    return (missing + rate_ - 1) / rate_;
}

}  // namespace t2s
