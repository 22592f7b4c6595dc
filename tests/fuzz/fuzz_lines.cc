// fuzz_lines -- carve, the line assembler, fed arbitrary bytes in chunks of
// arbitrary sizes, some ending in a flush (the partial timeout), the last
// always (end of input).  Input layout:
//
//   byte 0  bit 0 --truncate, 1 --skip-empty, 2 --prio-prefix,
//           bits 3-4 framing (none, lf, octet, none), bits 5-6 header
//           format (rfc3164, rfc5424, raw, bare: always with lf framing,
//           as for --logger), bit 7 rules on
//   byte 1  --size - 4
//   byte 2  batch room past one message, in 8-byte steps
//   byte 3  which rule set (with bit 7 of byte 0); bit 7 --record-start,
//           bit 6 which regex: "^[A-Z]" (the first byte decides) or
//           "^(E|F)" (regexec on every line)
//   byte 4  K: chunk sizes 1..8 follow; each byte: low 7 bits size - 1,
//           high bit a flush after the chunk; used over and over
//   rest    the bytes of the file
//
// Checked on every message: the framing is right, the header is the one
// format_header writes for its priority, the body is at most --size bytes
// and holds no byte below 0x20 but TAB and no DEL; src_end grows strictly
// and never passes what carve said it consumed; a flush consumes all.
// Without rules the messages must be exactly those of a simple model that
// sees the whole input at once, so chunking never changes what is sent,
// and the statistics carve keeps (LineCounts) must agree with it.  With
// --record-start (and no rules) the model is carve itself, given the whole
// input at once: where the chunks had no flush but the last and nothing
// was truncated, the messages must be the same, src_end and all.
#include <string.h>
#include <time.h>

#include <memory>
#include <string>
#include <vector>

#include "fuzz.h"
#include "lines.h"

namespace t2s {

namespace {

struct Sent {
    std::string body;  // escaped, as on the wire
    int64_t src_end;
    int pri;
};

// What the model expects of one message: src_end is exact but for a cut by
// --truncate, which carve makes on the bytes it has so far: its src_end
// may be anywhere from the end of the piece (lo) to the end of the line.
struct Want {
    std::string body;
    int64_t lo, hi;
    int pri;
};

const Stamp& fixed_stamp() {
    static Stamp stamp;
    static bool set = false;
    if (!set) {
        setenv("TZ", "UTC0", 1);
        tzset();
        struct timespec ts = {1700000000, 123456000};
        stamp_set(&stamp, ts);
        set = true;
    }
    return stamp;
}

// rule_set -- one of four fixed sets of --match/--include/--exclude.
Rules* rule_set(unsigned which) {
    static std::unique_ptr<Rules> sets[4];
    static const char* const kRules[4][2] = {
        {"-x", nullptr},
        {"+[ab]", nullptr},
        {"m^E=err", "-z$"},
        {"+.", "m[0-9]{3}=local0.info"},
    };
    which %= 4;
    if (!sets[which]) {
        sets[which].reset(new Rules);
        for (const char* text : kRules[which]) {
            if (!text)
                continue;
            Options::Rule::Kind kind = text[0] == '-'   ? Options::Rule::exclude
                                     : text[0] == '+' ? Options::Rule::include
                                                      : Options::Rule::match;
            Options::Rule rule;
            std::string err;
            FUZZ_CHECK(parse_rule(kind, text + 1, &rule, &err));
            FUZZ_CHECK(sets[which]->add(rule, &err));
        }
    }
    return sets[which].get();
}

// record_start -- one of two fixed --record-start regexes.
RecordStart* record_start(unsigned which) {
    static std::unique_ptr<RecordStart> res[2];
    static const char* const kRegex[2] = {"^[A-Z]", "^(E|F)"};
    which %= 2;
    if (!res[which]) {
        res[which].reset(new RecordStart);
        std::string err;
        FUZZ_CHECK(res[which]->compile(kRegex[which], &err));
    }
    return res[which].get();
}

std::string escaped(const char* p, size_t n) {
    std::string out(n * 4, '\0');
    out.resize(size_t(escape_body(p, n, &out[0]) - out.data()));
    return out;
}

// unframe -- checks one message and returns its body.
std::string unframe(const char* msg, size_t len, const Batch::Item& item,
                    const CarveConfig& cfg, const Stamp& stamp) {
    std::string m(msg, len);
    if (cfg.framing == Framing::lf) {
        FUZZ_CHECK(!m.empty() && m.back() == '\n');
        m.pop_back();
    } else if (cfg.framing == Framing::octet) {
        size_t sp = m.find(' ');
        FUZZ_CHECK(sp != std::string::npos && sp > 0);
        FUZZ_CHECK(m[0] != '0');
        for (size_t i = 0; i < sp; ++i)
            FUZZ_CHECK(m[i] >= '0' && m[i] <= '9');
        FUZZ_CHECK(std::to_string(len - sp - 1) == m.substr(0, sp));
        m.erase(0, sp + 1);
    }
    FUZZ_CHECK(item.pri >= 0 && item.pri <= 191);
    FUZZ_CHECK(item.header == cfg.header);
    char header[kHeaderMax];
    size_t hlen = format_header(*cfg.header, item.pri, stamp, header);
    FUZZ_CHECK(m.size() >= hlen && m.compare(0, hlen, header, hlen) == 0);
    m.erase(0, hlen);
    FUZZ_CHECK(m.size() <= cfg.size);
    for (unsigned char c : m)
        FUZZ_CHECK((c >= 0x20 || c == '\t') && c != 0x7f);
    return m;
}

// carve_whole -- the messages of all of s in one call after another, with
// flush, as the model of records.
std::vector<Sent> carve_whole(const std::string& s, CarveConfig cfg, const Stamp& stamp,
                              Batch* batch) {
    std::vector<Sent> out;
    cfg.counts = nullptr;
    LineState st;
    size_t used = 0;
    while (used < s.size()) {
        batch->clear();
        size_t got = carve(s.data() + used, s.size() - used, int64_t(used), true, cfg, stamp,
                           &st, batch);
        for (size_t i = 0; i < batch->items().size(); ++i) {
            size_t mlen;
            const char* msg = batch->message(i, &mlen);
            const Batch::Item& item = batch->items()[i];
            out.push_back(Sent{unframe(msg, mlen, item, cfg, stamp), item.src_end, item.pri});
        }
        FUZZ_CHECK(got > 0);
        used += got;
    }
    return out;
}

// model -- the messages for all of s at once, and the counts carve should
// keep; a line also ends at each flush point, except while --truncate drops
// the rest of a long line.
std::vector<Want> model(const std::string& s, const std::vector<size_t>& flushes,
                        const CarveConfig& cfg, LineCounts* counts) {
    std::vector<Want> want;
    const int base_pri = cfg.header->pri;
    size_t pos = 0, fi = 0;
    bool skipping = false;
    while (pos < s.size()) {
        while (fi < flushes.size() && flushes[fi] <= pos)
            ++fi;
        size_t fl = fi < flushes.size() ? flushes[fi] : s.size();
        size_t nl = s.find('\n', pos);
        if (skipping) {
            if (nl == std::string::npos)
                break;
            pos = nl + 1;
            skipping = false;
            continue;
        }
        bool by_lf = nl != std::string::npos && nl < fl;
        size_t end = by_lf ? nl + 1 : fl;
        const char* body = s.data() + pos;
        size_t len = (by_lf ? nl : fl) - pos;
        if (by_lf && len > 0 && body[len - 1] == '\r')
            --len;
        int pri = base_pri;
        if (cfg.prio_prefix) {
            size_t k = prio_prefix(body, len, base_pri, &pri);
            body += k;
            len -= k;
        }
        pos = end;
        if (len == 0 && cfg.skip_empty) {
            ++counts->dropped;
            continue;
        }
        for (bool first = true;; first = false) {
            size_t esc;
            size_t fit = body_fit(body, len, cfg.size, &esc);
            FUZZ_CHECK(fit > 0 || len == 0);
            int64_t at = int64_t(body + fit - s.data());
            if (fit == len) {
                want.push_back(Want{escaped(body, fit), int64_t(end), int64_t(end), pri});
                ++counts->lines;
                break;
            }
            if (cfg.truncate) {
                ++counts->truncated;
                want.push_back(Want{escaped(body, fit), at, int64_t(end), pri});
                skipping = !by_lf;
                break;
            }
            want.push_back(Want{escaped(body, fit), at, at, pri});
            if (first)
                ++counts->split;
            body += fit;
            len -= fit;
        }
    }
    return want;
}

}  // namespace

}  // namespace t2s

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    FuzzInput in(data, size);
    const Stamp& stamp = fixed_stamp();
    uint8_t flags = in.byte();
    Header header;
    header.pri = 13;
    header.tag = "fuzz";
    header.hostname = "host";
    header.procid = "42";
    switch ((flags >> 5) & 3) {
    case 0: header.format = Format::rfc3164; break;
    case 1: header.format = Format::rfc5424; break;
    case 2: header.format = Format::raw; break;
    default: header.format = Format::raw; header.bare = true; break;
    }
    CarveConfig cfg;
    cfg.header = &header;
    cfg.truncate = flags & 1;
    cfg.skip_empty = flags & 2;
    cfg.prio_prefix = flags & 4;
    static const Framing kFraming[4] = {Framing::none, Framing::lf, Framing::octet,
                                        Framing::none};
    cfg.framing = kFraming[(flags >> 3) & 3];
    if (header.bare)
        cfg.framing = Framing::lf;  // the logger transport's, as in main
    cfg.size = 4 + size_t(in.byte());
    LineCounts counts;
    cfg.counts = &counts;
    char hbuf[kHeaderMax];
    size_t header_max = format_header(header, 191, stamp, hbuf);
    Batch batch(header_max + cfg.size + 24 + size_t(in.byte()) * 8);
    unsigned which = in.byte();
    if (flags & 0x80)
        cfg.rules = rule_set(which);
    if (which & 0x80)
        cfg.record_start = record_start(which >> 6);
    std::vector<uint8_t> chunks;
    for (size_t k = in.byte() % 8 + 1; k > 0; --k)
        chunks.push_back(in.byte());
    const std::string file = in.rest();

    LineState st;
    std::vector<Sent> sent;
    std::vector<size_t> flushes;
    std::string pending;  // read, not yet consumed; pending[0] is at base
    int64_t base = 0;
    size_t fed = 0;
    for (size_t c = 0; fed < file.size() || c == 0; ++c) {
        uint8_t spec = chunks[c % chunks.size()];
        size_t n = size_t(spec & 0x7f) + 1;
        if (n > file.size() - fed)
            n = file.size() - fed;
        pending.append(file, fed, n);
        fed += n;
        bool flush = (spec & 0x80) || fed == file.size();
        if (flush)
            flushes.push_back(fed);
        size_t used = 0;
        for (;;) {
            batch.clear();
            size_t len = pending.size() - used;
            size_t got = carve(pending.data() + used, len, base + int64_t(used), flush, cfg,
                               stamp, &st, &batch);
            FUZZ_CHECK(got <= len);
            FUZZ_CHECK(got > 0 || batch.empty());
            size_t total = 0;
            for (size_t i = 0; i < batch.items().size(); ++i) {
                size_t mlen;
                const char* msg = batch.message(i, &mlen);
                total += mlen;
                const Batch::Item& item = batch.items()[i];
                std::string body = unframe(msg, mlen, item, cfg, stamp);
                FUZZ_CHECK(sent.empty() || item.src_end > sent.back().src_end);
                FUZZ_CHECK(item.src_end > base + int64_t(used));
                FUZZ_CHECK(item.src_end <= base + int64_t(used + got));
                sent.push_back(Sent{body, item.src_end, item.pri});
            }
            FUZZ_CHECK(total == batch.size());
            used += got;
            if (got == 0 || used == pending.size())
                break;
        }
        pending.erase(0, used);
        base += int64_t(used);
        if (flush)
            FUZZ_CHECK(pending.empty());
        if (file.empty())
            break;
    }
    FUZZ_CHECK(pending.empty() && base == int64_t(file.size()));

    if (cfg.rules)
        return 0;  // rules judge a line too long to wait for by its start
    if (cfg.record_start) {
        if (cfg.truncate || flushes.size() > 1)
            return 0;  // a cut's src_end, and a flush's end, depend on the chunks
        std::vector<Sent> want = carve_whole(file, cfg, stamp, &batch);
        FUZZ_CHECK(sent.size() == want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            FUZZ_CHECK(sent[i].body == want[i].body);
            FUZZ_CHECK(sent[i].pri == want[i].pri);
            FUZZ_CHECK(sent[i].src_end == want[i].src_end);
        }
        return 0;
    }
    LineCounts want_counts;
    std::vector<Want> want = model(file, flushes, cfg, &want_counts);
    FUZZ_CHECK(sent.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        FUZZ_CHECK(sent[i].body == want[i].body);
        FUZZ_CHECK(sent[i].pri == want[i].pri);
        FUZZ_CHECK(sent[i].src_end >= want[i].lo && sent[i].src_end <= want[i].hi);
    }
    FUZZ_CHECK(counts.lines == want_counts.lines);
    FUZZ_CHECK(counts.split == want_counts.split);
    FUZZ_CHECK(counts.truncated == want_counts.truncated);
    FUZZ_CHECK(counts.dropped == want_counts.dropped);
    return 0;
}
