// recording_transport -- a Transport for tests: records each message it
// takes, and can be told to take only part of a batch, to fail, or to close.
#ifndef T2S_RECORDING_TRANSPORT_H
#define T2S_RECORDING_TRANSPORT_H

#include <string>
#include <vector>

#include "format.h"
#include "transport.h"

namespace t2s {

class RecordingTransport : public Transport {
public:
    // What send() does with the next batches.
    enum class Mode {
        take,    // takes every message
        part,    // takes at most `take_next` messages, then takes all again
        fail,    // takes none: a fatal error (error_, exit_code_)
        closed,  // takes none and says nothing: as when stopping
    };

    explicit RecordingTransport(Framing framing = Framing::lf) : framing_(framing) {}

    Framing framing() const override { return framing_; }

    // send -- records the messages it takes, as framed, with their src_end.
    size_t send(const Batch& batch, std::string* err, int* exit_code) override {
        ++batches;
        size_t n = batch.items().size();
        switch (mode) {
        case Mode::take:
            break;
        case Mode::part:
            if (take_next < n)
                n = take_next;
            mode = Mode::take;
            break;
        case Mode::fail:
            *err = error;
            *exit_code = exit_code_;
            return 0;
        case Mode::closed:
            return 0;
        }
        for (size_t i = 0; i < n; ++i) {
            size_t len;
            const char* m = batch.message(i, &len);
            messages.emplace_back(m, len);
            src_ends.push_back(batch.items()[i].src_end);
            origins.push_back(batch.origin(i));
        }
        if (rewind_after_batch >= 0 && batches == (unsigned long)rewind_after_batch && n > 0) {
            rewinds.push_back(origins[rewind_to]);
            rewound_at = messages.size();
        }
        return n;
    }

    // take_rewinds -- hands out the rewinds asked for (rewinds), once.
    bool take_rewinds(std::vector<Origin>* out) override {
        if (rewinds.empty())
            return false;
        out->insert(out->end(), rewinds.begin(), rewinds.end());
        rewinds.clear();
        return true;
    }

    // bodies -- the text after the last ": " of each message (RFC 3164 with a
    // tag), LF framing removed, one per line: what the file's lines were.
    std::string bodies() const {
        std::string out;
        for (const std::string& m : messages) {
            std::string::size_type colon = m.find(": ");
            std::string body = colon == std::string::npos ? m : m.substr(colon + 2);
            if (!body.empty() && body.back() == '\n')
                body.pop_back();
            out += body + "\n";
        }
        return out;
    }

    Mode mode = Mode::take;
    size_t take_next = 0;
    std::string error = "destination: recording transport failed";
    int exit_code_ = 75;
    std::vector<std::string> messages;
    std::vector<int64_t> src_ends;
    std::vector<Origin> origins;   // where each message taken came from
    std::vector<Origin> rewinds;   // handed out by the next take_rewinds
    // After batch number rewind_after_batch (counted from 1), a rewind to
    // the origin of message rewind_to (counted over all taken); -1: never.
    long rewind_after_batch = -1;
    size_t rewind_to = 0;
    size_t rewound_at = 0;  // messages taken when the rewind was asked
    unsigned long batches = 0;

private:
    Framing framing_;
};

}  // namespace t2s

#endif
