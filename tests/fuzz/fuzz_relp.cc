// fuzz_relp -- the RELP parser of the server's frames, fed arbitrary bytes
// in chunks of arbitrary sizes, and the window of frames in flight, driven
// by arbitrary events.  Input layout:
//
//   byte 0  K: chunk sizes 1..8 follow, each byte a size - 1 (used over and
//           over)
//   byte 1  window size - 1 (low 4 bits) for the RelpFlight part
//   byte 2  L: the next L bytes are RelpFlight events (below)
//   rest    the bytes the server sent
//
// Parser, checked: whatever the chunking, the same frames come out, and the
// same error, as when the bytes come in one piece; every frame is within
// the limits (TXNR and DATALEN at most 9 digits, command 1..32 letters,
// DATA at most the parser's limit); once it reports an error it reports one
// for good; a frame written again with relp_frame parses back the same.
//
// RelpFlight, each event byte: low 2 bits the kind (send what next() gives,
// acknowledge the frame in flight chosen by the other bits, break the
// connection, acknowledge a TXNR never sent), checked against a model: at
// most the window in flight, done() is the count of acknowledged messages
// from the first, next() gives the lowest message neither acknowledged nor
// in flight, and a message once acknowledged is never sent again.
#include <set>
#include <string>
#include <vector>

#include "fuzz.h"
#include "relp.h"

namespace t2s {

namespace {

const size_t kMaxData = 4096;

struct Outcome {
    std::vector<RelpFrame> frames;
    bool failed = false;
    std::string err;
};

// parse -- every frame of bytes, fed in chunks of the given sizes.
Outcome parse(const std::string& bytes, const std::vector<size_t>& sizes) {
    RelpParser parser(kMaxData);
    Outcome out;
    size_t at = 0;
    for (size_t c = 0; at < bytes.size(); ++c) {
        size_t n = sizes[c % sizes.size()];
        if (n > bytes.size() - at)
            n = bytes.size() - at;
        size_t off = 0;
        while (off < n) {
            size_t used;
            RelpFrame f;
            std::string err;
            RelpParser::Result r = parser.feed(bytes.data() + at + off, n - off, &used, &f, &err);
            FUZZ_CHECK(used <= n - off);
            if (r == RelpParser::error) {
                FUZZ_CHECK(!err.empty());
                out.failed = true;
                out.err = err;
                // Broken for good, whatever comes next.
                std::string again;
                FUZZ_CHECK(parser.feed("1 rsp 0\n", 8, &used, &f, &again) == RelpParser::error);
                return out;
            }
            if (r == RelpParser::more)
                FUZZ_CHECK(used == n - off);
            else
                out.frames.push_back(f);
            off += used;
        }
        at += n;
    }
    return out;
}

void check_frame(const RelpFrame& f) {
    FUZZ_CHECK(f.txnr <= kRelpTxnrMax);
    FUZZ_CHECK(!f.command.empty() && f.command.size() <= 32);
    for (char c : f.command)
        FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    FUZZ_CHECK(f.data.size() <= kMaxData);
    std::vector<char> text;
    relp_frame(f.txnr, f.command.c_str(), f.data.data(), f.data.size(), &text);
    RelpParser parser(kMaxData);
    RelpFrame back;
    size_t used;
    std::string err;
    FUZZ_CHECK(parser.feed(text.data(), text.size(), &used, &back, &err) == RelpParser::frame);
    FUZZ_CHECK(used == text.size());
    FUZZ_CHECK(back.txnr == f.txnr && back.command == f.command && back.data == f.data);
}

// flight -- RelpFlight against a model, over a batch of 64 messages.
void flight(size_t window, const std::string& events) {
    const size_t count = 64;
    RelpFlight fl(window);
    fl.start(count);
    std::vector<bool> acked(count, false);
    std::vector<std::pair<uint32_t, size_t>> flying;  // the model's, in order
    std::set<size_t> ever_acked;
    uint32_t txnr = 1;
    for (unsigned char e : events) {
        size_t msg;
        switch (e & 3) {
        case 0:
            if (fl.next(&msg)) {
                FUZZ_CHECK(flying.size() < window);
                FUZZ_CHECK(!acked[msg]);
                for (const auto& f : flying)
                    FUZZ_CHECK(f.second != msg);
                // the lowest message neither acknowledged nor in flight
                for (size_t m = 0; m < msg; ++m) {
                    bool busy = acked[m];
                    for (const auto& f : flying)
                        busy |= f.second == m;
                    FUZZ_CHECK(busy);
                }
                fl.sent(msg, txnr);
                flying.push_back({txnr, msg});
                txnr = relp_next_txnr(txnr);
            } else {
                bool idle_left = false;
                for (size_t m = 0; m < count; ++m) {
                    bool busy = acked[m];
                    for (const auto& f : flying)
                        busy |= f.second == m;
                    idle_left |= !busy;
                }
                FUZZ_CHECK(flying.size() >= window || !idle_left);
            }
            break;
        case 1:
            if (!flying.empty()) {
                size_t i = (e >> 2) % flying.size();
                FUZZ_CHECK(fl.acked(flying[i].first, &msg));
                FUZZ_CHECK(msg == flying[i].second);
                acked[msg] = true;
                flying.erase(flying.begin() + long(i));
            }
            break;
        case 2:
            FUZZ_CHECK(fl.lost() == flying.size());
            flying.clear();
            break;
        default:
            FUZZ_CHECK(!fl.acked(txnr + 1000, &msg));  // never sent
            break;
        }
        size_t done = 0;
        while (done < count && acked[done])
            ++done;
        FUZZ_CHECK(fl.done() == done);
        FUZZ_CHECK(fl.in_flight() == flying.size());
        FUZZ_CHECK(fl.finished() == (done == count));
    }
}

}  // namespace

}  // namespace t2s

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace t2s;
    FuzzInput in(data, size);
    std::vector<size_t> sizes;
    for (size_t k = in.byte() % 8 + 1; k > 0; --k)
        sizes.push_back(size_t(in.byte()) + 1);
    size_t window = size_t(in.byte() & 15) + 1;
    std::string events = in.counted();
    std::string bytes = in.rest();

    Outcome whole = parse(bytes, {bytes.size() + 1});
    Outcome cut = parse(bytes, sizes);
    FUZZ_CHECK(whole.failed == cut.failed);
    FUZZ_CHECK(whole.err == cut.err);
    FUZZ_CHECK(whole.frames.size() == cut.frames.size());
    for (size_t i = 0; i < whole.frames.size(); ++i) {
        FUZZ_CHECK(whole.frames[i].txnr == cut.frames[i].txnr);
        FUZZ_CHECK(whole.frames[i].command == cut.frames[i].command);
        FUZZ_CHECK(whole.frames[i].data == cut.frames[i].data);
        check_frame(whole.frames[i]);
    }
    flight(window, events);
    return 0;
}
