// format -- syslog headers, escaping, splitting and framing.
#include <stdio.h>
#include <string.h>

#include "format.h"

namespace t2s {

namespace {

const char kMonths[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool needs_escape(unsigned char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

// plain_prefix -- how many of the first n bytes of s (n a multiple of 8)
// need no escape, counted in whole words of eight bytes.
size_t plain_prefix(const unsigned char* s, size_t n) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i < n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        // A byte below 0x20 or equal to 0x7f: the classic "has a byte less
        // than" test on w, and on w with 0x7f turned into 0 (by xor).
        uint64_t below = (w - ones * 0x20) & ~w;
        uint64_t del = w ^ (ones * 0x7f);
        uint64_t is_del = (del - ones) & ~del;
        if ((below | is_del) & highs)
            break;
    }
    return i;
}

bool utf8_continuation(unsigned char c) {
    return (c & 0xc0) == 0x80;
}

// utf8_length -- bytes in the sequence a lead byte starts; 1 if not a lead.
size_t utf8_length(unsigned char c) {
    if (c >= 0xf0 && c <= 0xf7)
        return 4;
    if (c >= 0xe0)
        return c <= 0xef ? 3 : 1;
    if (c >= 0xc2)
        return 2;
    return 1;
}

// valid_utf8 -- whether s[0..len) is well-formed UTF-8 (RFC 3629): no
// overlong form, no surrogate, nothing above U+10FFFF.
bool valid_utf8(const unsigned char* s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t n = utf8_length(c);
        if (n == 1 || len - i < n)
            return false;
        // The second byte's range depends on the lead (RFC 3629 section 4).
        unsigned char lo = 0x80, hi = 0xbf, c1 = s[i + 1];
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
        else if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
        else if (c > 0xf4)
            return false;
        if (c1 < lo || c1 > hi)
            return false;
        for (size_t k = 2; k < n; ++k)
            if (!utf8_continuation(s[i + k]))
                return false;
        i += n;
    }
    return true;
}

char* put(char* out, const std::string& s) {
    memcpy(out, s.data(), s.size());
    return out + s.size();
}

char* put_uint(char* out, unsigned long n) {
    char digits[24];
    size_t i = 0;
    do {
        digits[i++] = char('0' + n % 10);
        n /= 10;
    } while (n);
    while (i)
        *out++ = digits[--i];
    return out;
}

}  // namespace

void stamp_set(Stamp* stamp, const struct timespec& now) {
    stamp->usec = now.tv_nsec / 1000;
    if (now.tv_sec == stamp->sec)
        return;
    stamp->sec = now.tv_sec;
    struct tm tm;
    localtime_r(&now.tv_sec, &tm);
    snprintf(stamp->rfc3164, sizeof stamp->rfc3164, "%s %2d %02d:%02d:%02d",
             kMonths[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    char zone[8];  // strftime's %z is "+0100"; RFC 5424 wants "+01:00"
    strftime(zone, sizeof zone, "%z", &tm);
    // "2026-11-26T17:04:05" then 7 bytes for ".uuuuuu", then the zone
    snprintf(stamp->rfc5424, sizeof stamp->rfc5424,
             "%04d-%02d-%02dT%02d:%02d:%02d.000000%.3s:%.2s", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, zone,
             zone + 3);
}

size_t format_header(const Header& h, int pri, const Stamp& stamp, char* out) {
    if (h.bare)
        return 0;
    char* p = out;
    *p++ = '<';
    p = put_uint(p, unsigned(pri));
    *p++ = '>';
    switch (h.format) {
    case Format::raw:
        break;
    case Format::rfc3164:
        memcpy(p, stamp.rfc3164, 15);
        p += 15;
        *p++ = ' ';
        if (!h.hostname.empty()) {
            p = put(p, h.hostname);
            *p++ = ' ';
        }
        p = put(p, h.tag);
        if (!h.procid.empty()) {
            *p++ = '[';
            p = put(p, h.procid);
            *p++ = ']';
        }
        *p++ = ':';
        *p++ = ' ';
        break;
    case Format::rfc5424: {
        *p++ = '1';
        *p++ = ' ';
        size_t ts_len = strlen(stamp.rfc5424);
        memcpy(p, stamp.rfc5424, ts_len);
        char* usec = p + 20;  // after "YYYY-MM-DDThh:mm:ss."
        long u = stamp.usec;
        for (int i = 5; i >= 0; --i, u /= 10)
            usec[i] = char('0' + u % 10);
        p += ts_len;
        *p++ = ' ';
        p = h.hostname.empty() ? put(p, "-") : put(p, h.hostname);
        *p++ = ' ';
        p = put(p, h.tag);
        *p++ = ' ';
        p = h.procid.empty() ? put(p, "-") : put(p, h.procid);
        memcpy(p, " - - ", 5);  // MSGID and STRUCTURED-DATA: none
        p += 5;
        break;
    }
    }
    return size_t(p - out);
}

size_t body_fit(const char* line, size_t len, size_t max, size_t* escaped_len) {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(line);
    // Most lines need no escape: skip eight plain bytes at a time.
    size_t limit = len < max ? len : max;
    size_t i = plain_prefix(s, limit & ~size_t(7)), out = i;
    for (; i < len; ++i) {
        size_t w = needs_escape(s[i]) ? 4 : 1;
        if (out + w > max)
            break;
        out += w;
    }
    if (i < len && utf8_continuation(s[i])) {
        // Back up to the lead byte, unless the sequence is broken or is all
        // we have: then a cut inside it is the only way forward.
        size_t j = i;
        while (j > 0 && i - j < 3 && utf8_continuation(s[j - 1]))
            --j;
        if (j > 0 && utf8_length(s[j - 1]) > i - (j - 1) && j - 1 > 0) {
            out -= i - (j - 1);
            i = j - 1;
        }
    }
    *escaped_len = out;
    return i;
}

char* escape_body(const char* line, size_t len, char* out) {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(line);
    size_t i = plain_prefix(s, len & ~size_t(7));
    memcpy(out, line, i);
    out += i;
    for (; i < len; ++i) {
        unsigned char c = s[i];
        if (!needs_escape(c)) {
            *out++ = char(c);
            continue;
        }
        *out++ = '#';
        *out++ = char('0' + (c >> 6));
        *out++ = char('0' + ((c >> 3) & 7));
        *out++ = char('0' + (c & 7));
    }
    return out;
}

std::string escape_name(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (!needs_escape(c)) {
            out += char(c);
            continue;
        }
        out += '#';
        out += char('0' + (c >> 6));
        out += char('0' + ((c >> 3) & 7));
        out += char('0' + (c & 7));
    }
    return out;
}

size_t false_bom(const char* body, size_t len) {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(body);
    if (len < 3 || s[0] != 0xef || s[1] != 0xbb || s[2] != 0xbf)
        return 0;
    return valid_utf8(s + 3, len - 3) ? 0 : 3;
}

size_t prio_prefix(const char* line, size_t len, int fallback_pri, int* pri) {
    if (len < 3 || line[0] != '<')
        return 0;
    int n = 0;
    size_t i = 1;
    for (; i < len && i <= 4 && line[i] >= '0' && line[i] <= '9'; ++i)
        n = n * 10 + (line[i] - '0');
    if (i == 1 || i > 4 || i >= len || line[i] != '>' || n > 191)
        return 0;
    if (n < 8)  // no facility given: keep the one of -p, as logger does
        n |= fallback_pri & ~7;
    *pri = n;
    return i + 1;
}

Batch::Batch(size_t capacity) : buf_(capacity) {
    items_.reserve(1024);
}

bool Batch::room(size_t header_len, size_t escaped_len) const {
    return items_.size() < max_items_ && used_ + header_len + escaped_len + 24 <= buf_.size();
}

void Batch::add(Framing framing, const char* header, size_t header_len,
                const char* body, size_t body_len, size_t escaped_len,
                const Item& item) {
    if (item.header && item.header->format == Format::rfc5424) {
        size_t bom = false_bom(body, body_len);
        body += bom;
        body_len -= bom;
        escaped_len -= bom;
    }
    char* p = buf_.data() + used_;
    if (framing == Framing::octet) {
        p = put_uint(p, header_len + escaped_len);
        *p++ = ' ';
    }
    memcpy(p, header, header_len);
    p += header_len;
    if (escaped_len == body_len) {  // nothing to escape (each escape adds 3)
        memcpy(p, body, body_len);
        p += body_len;
    } else {
        p = escape_body(body, body_len, p);
    }
    if (framing == Framing::lf)
        *p++ = '\n';
    used_ = size_t(p - buf_.data());
    items_.push_back(item);
    items_.back().end = used_;
}

void Batch::clear() {
    used_ = 0;
    items_.clear();
}

const char* Batch::message(size_t i, size_t* len) const {
    size_t start = i == 0 ? 0 : items_[i - 1].end;
    *len = items_[i].end - start;
    return buf_.data() + start;
}

}  // namespace t2s
