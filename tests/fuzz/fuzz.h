// fuzz -- what the fuzz targets share: a check that aborts, and a reader
// that hands out the fuzzer's bytes as settings first and data after.
#ifndef T2S_FUZZ_H
#define T2S_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

// FUZZ_CHECK -- an invariant: when it is broken, say which and where and
// abort, so that libFuzzer keeps the input and the replay driver fails.
#define FUZZ_CHECK(cond)                                      \
    do {                                                      \
        if (!(cond))                                          \
            t2s::fuzz_fail(#cond, __FILE__, __LINE__);        \
    } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace t2s {

[[noreturn]] inline void fuzz_fail(const char* what, const char* file, int line) {
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

// regex_heavy -- true if these bytes, taken as POSIX regexes, might make
// glibc's regcomp build more than 4096 copies of a subexpression.  It
// expands repetitions by copying ("a+" is "aa*", "a{2,5}" five copies), so
// nested ones multiply: "a" and 45 '+' takes 2^45 copies, minutes and
// gigabytes.  The product of the copy counts of every '+' and "{N,M}" in
// the bytes bounds that whatever the nesting ('*' and '?' copy nothing).
// The targets that reach regcomp skip such inputs: the regexes come from
// the command line and the config file, both the administrator's.
inline bool regex_heavy(const uint8_t* data, size_t size) {
    double copies = 1;
    for (size_t i = 0; i < size && copies <= 4096; ++i) {
        if (data[i] == '+') {
            copies *= 2;
        } else if (data[i] == '{') {
            double n = 0, most = 0;
            for (++i; i < size && ((data[i] >= '0' && data[i] <= '9') || data[i] == ','); ++i) {
                if (data[i] == ',')
                    n = 0;
                else if ((n = n * 10 + (data[i] - '0')) > most)
                    most = n;
            }
            --i;
            copies *= most + 2;
        }
    }
    return copies > 4096;
}

// FuzzInput reads the input front to back; past its end every read gives
// zeros or nothing, so any input is a complete one.
class FuzzInput {
public:
    FuzzInput(const uint8_t* data, size_t size) : p_(data), left_(size) {}

    uint8_t byte() {
        if (left_ == 0)
            return 0;
        --left_;
        return *p_++;
    }
    uint16_t u16() {
        uint16_t lo = byte();
        uint16_t hi = byte();
        return uint16_t(lo | hi << 8);
    }
    // bytes -- the next n bytes, or fewer at the end.
    std::string bytes(size_t n) {
        if (n > left_)
            n = left_;
        std::string s(reinterpret_cast<const char*>(p_), n);
        p_ += n;
        left_ -= n;
        return s;
    }
    // counted -- a string whose length is given by the byte before it.
    std::string counted() { return bytes(byte()); }
    std::string rest() { return bytes(left_); }
    size_t left() const { return left_; }

private:
    const uint8_t* p_;
    size_t left_;
};

}  // namespace t2s

#endif
