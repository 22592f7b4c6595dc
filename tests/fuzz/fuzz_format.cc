// fuzz_format -- the message formatter: any body, tag, hostname, PROCID,
// priority and size limit through format_header, body_fit, escape_body,
// prio_prefix and Batch.  Input layout:
//
//   byte 0     bits 0-1 format (rfc3164, rfc5424, raw, bare), bits 2-3
//              framing (none, lf, octet, none; bare: always lf, as for
//              --logger)
//   byte 1     priority, modulo 192
//   bytes 2-3  the size limit, 0..65535 (below 4 too: body_fit's own limits)
//   then       tag, hostname and PROCID, each a length byte and its bytes
//   rest       the body
//
// A tag, hostname or PROCID that the command line would refuse is replaced
// as main does: the tag by tag_from_path, the others by none.  Buffers are
// exactly as large as the contracts promise, so that ASan sees an overrun.
#include <string.h>
#include <time.h>

#include <string>
#include <vector>

#include "format.h"
#include "fuzz.h"

namespace t2s {

namespace {

const Stamp& fixed_stamp() {
    static Stamp stamp;
    static bool set = false;
    if (!set) {
        setenv("TZ", "UTC0", 1);
        tzset();
        struct timespec ts = {1700000000, 999999000};
        stamp_set(&stamp, ts);
        set = true;
    }
    return stamp;
}

// The reference escaping, written apart from format.cc's.
bool control(unsigned char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

std::string reference_escape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (!control(c)) {
            out += char(c);
            continue;
        }
        char oct[5];
        snprintf(oct, sizeof oct, "#%03o", c);
        out += oct;
    }
    return out;
}

size_t escaped_width(const char* p, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; ++i)
        w += control(static_cast<unsigned char>(p[i])) ? 4 : 1;
    return w;
}

// valid_sequence -- the length of the well-formed UTF-8 sequence (RFC 3629)
// of two or more bytes that starts at s[i], or 0.
size_t valid_sequence(const unsigned char* s, size_t len, size_t i) {
    unsigned char c = s[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;  // range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (i + n > len || s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < n; ++k)
        if ((s[i + k] & 0xc0) != 0x80)
            return 0;
    return n;
}

// check_fit -- body_fit's contract for line[0..len) and max.
size_t check_fit(const char* line, size_t len, size_t max) {
    size_t esc = size_t(-1);
    size_t fit = body_fit(line, len, max, &esc);
    FUZZ_CHECK(fit <= len);
    FUZZ_CHECK(esc == escaped_width(line, fit));
    FUZZ_CHECK(esc <= max);
    if (len > 0 && max >= 4)
        FUZZ_CHECK(fit > 0);  // always progress
    // The greedy cut: as many bytes as fit once escaped.
    size_t greedy = 0, w = 0;
    while (greedy < len) {
        size_t c = control(static_cast<unsigned char>(line[greedy])) ? 4 : 1;
        if (w + c > max)
            break;
        w += c;
        ++greedy;
    }
    FUZZ_CHECK(fit <= greedy);
    const unsigned char* s = reinterpret_cast<const unsigned char*>(line);
    if (fit < greedy) {
        // Backed up to the lead byte of a sequence the greedy cut split.
        FUZZ_CHECK(fit > 0 && greedy < len && greedy - fit <= 3);
        for (size_t k = fit + 1; k <= greedy; ++k)
            FUZZ_CHECK((s[k] & 0xc0) == 0x80);
    }
    // Never inside a well-formed sequence, unless it alone is over max.
    if (fit > 0 && fit < len) {
        for (size_t k = fit >= 3 ? fit - 3 : 0; k < fit; ++k) {
            size_t n = valid_sequence(s, len, k);
            if (n > 0 && k + n > fit)
                FUZZ_CHECK(n > max);
        }
    }
    return fit;
}

}  // namespace

}  // namespace t2s

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    FuzzInput in(data, size);
    const Stamp& stamp = fixed_stamp();
    uint8_t flags = in.byte();
    int pri = in.byte() % 192;
    size_t max = in.u16();
    std::string tag = in.counted(), hostname = in.counted(), procid = in.counted();
    const std::string body = in.rest();

    Header h;
    h.pri = pri;
    switch (flags & 3) {
    case 0: h.format = Format::rfc3164; break;
    case 1: h.format = Format::rfc5424; break;
    case 2: h.format = Format::raw; break;
    default: h.format = Format::raw; h.bare = true; break;
    }
    static const Framing kFraming[4] = {Framing::none, Framing::lf, Framing::octet,
                                        Framing::none};
    Framing framing = kFraming[(flags >> 2) & 3];
    if (h.bare)
        framing = Framing::lf;  // the logger transport's, as in main
    size_t tag_max = h.format == Format::rfc5424 ? 48 : 32;
    h.tag = valid_tag(tag, tag_max) ? tag : tag_from_path(tag);
    FUZZ_CHECK(valid_tag(h.tag, 32) || (h.tag == tag && tag.size() <= tag_max));
    h.hostname = valid_hostname(hostname) ? hostname : "";
    h.procid = valid_tag(procid, 128) ? procid : "";

    // The header: within kHeaderMax, no control byte, "<PRI>" first.
    std::vector<char> hbuf(kHeaderMax);
    size_t hlen = format_header(h, pri, stamp, hbuf.data());
    FUZZ_CHECK(hlen <= size_t(kHeaderMax));
    std::string header(hbuf.data(), hlen);
    if (h.bare) {
        FUZZ_CHECK(hlen == 0);
    } else {
        std::string want = "<" + std::to_string(pri) + ">";
        FUZZ_CHECK(header.compare(0, want.size(), want) == 0);
        for (unsigned char c : header)
            FUZZ_CHECK(c > 0x20 - 1 && c < 0x7f);
        if (h.format == Format::rfc3164)
            FUZZ_CHECK(header.size() >= 2 && header.compare(header.size() - 2, 2, ": ") == 0);
        if (h.format == Format::rfc5424)
            FUZZ_CHECK(header.size() >= 5 && header.compare(header.size() - 5, 5, " - - ") == 0);
    }

    // escape_body into a buffer of exactly the escaped size.
    const std::string ref = reference_escape(body);
    std::vector<char> ebuf(ref.size() + 1);
    char* end = escape_body(body.data(), body.size(), ebuf.data());
    FUZZ_CHECK(size_t(end - ebuf.data()) == ref.size());
    FUZZ_CHECK(std::string(ebuf.data(), ref.size()) == ref);

    // body_fit, once and then piece by piece over the whole body: the
    // pieces escaped and joined are the whole body escaped.
    check_fit(body.data(), body.size(), max);
    size_t piece_max = max < 4 ? 4 : max;
    std::string joined;
    size_t pieces = 0;
    for (size_t at = 0; at < body.size(); ++pieces) {
        size_t fit = check_fit(body.data() + at, body.size() - at, piece_max);
        FUZZ_CHECK(fit > 0);
        joined += reference_escape(body.substr(at, fit));
        at += fit;
    }
    FUZZ_CHECK(joined == ref);
    FUZZ_CHECK(pieces <= body.size());

    // prio_prefix: "<N>" with 1 to 3 digits and N <= 191, nothing else.
    int got = -1;
    size_t k = prio_prefix(body.data(), body.size(), pri, &got);
    if (k == 0) {
        FUZZ_CHECK(got == -1);
    } else {
        FUZZ_CHECK(k >= 3 && k <= 5 && k <= body.size());
        FUZZ_CHECK(body[0] == '<' && body[k - 1] == '>');
        int n = 0;
        for (size_t i = 1; i + 1 < k; ++i) {
            FUZZ_CHECK(body[i] >= '0' && body[i] <= '9');
            n = n * 10 + (body[i] - '0');
        }
        FUZZ_CHECK(n <= 191);
        FUZZ_CHECK(got == (n >= 8 ? n : (pri & ~7) | n));
        FUZZ_CHECK(got >= 0 && got <= 191);
    }

    // One message in a batch that has just room for it, framed.
    size_t esc;
    size_t fit = body_fit(body.data(), body.size(), piece_max, &esc);
    Batch batch(hlen + esc + 24);
    FUZZ_CHECK(batch.room(hlen, esc));
    batch.add(framing, header.data(), hlen, body.data(), fit, esc,
              Batch::Item{0, int64_t(fit), pri, &h});
    size_t mlen;
    const char* msg = batch.message(0, &mlen);
    std::string framed(msg, mlen);
    // RFC 5424 leaves out a byte order mark that is not followed by UTF-8.
    std::string piece = body.substr(0, fit);
    if (h.format == Format::rfc5424)
        piece.erase(0, false_bom(piece.data(), piece.size()));
    std::string inner = header + reference_escape(piece);
    if (framing == Framing::octet)
        inner = std::to_string(inner.size()) + " " + inner;
    else if (framing == Framing::lf)
        inner += "\n";
    FUZZ_CHECK(framed == inner);
    FUZZ_CHECK(batch.size() == mlen && batch.items().size() == 1);
    return 0;
}
