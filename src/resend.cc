// resend -- the stream transport's bookkeeping; see resend.h for the rules.
#include <string.h>

#include "resend.h"

namespace t2s {

ResendBook::ResendBook(size_t capacity, size_t max_marks, bool acks_known)
    : ring_(capacity > 0 ? capacity : 1), marks_(max_marks > 2 ? max_marks : 2),
      acks_known_(acks_known) {}

size_t ResendBook::newest_at_or_before(uint64_t pos) const {
    if (count_ == 0 || mark(0).pos > pos)
        return count_;
    size_t lo = 0, hi = count_;  // mark(lo).pos <= pos; mark(hi) past it or none
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (mark(mid).pos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

uint64_t ResendBook::held_from() const {
    return count_ > 0 ? mark(0).pos : end_;
}

uint64_t ResendBook::boundary_at_or_before(uint64_t pos) const {
    if (pos >= end_)
        return end_;
    size_t i = newest_at_or_before(pos);
    return i < count_ ? mark(i).pos : held_from();
}

bool ResendBook::at_boundary() const {
    return boundary_at_or_before(written_) == written_;
}

uint64_t ResendBook::floor(bool keep_unconfirmed) const {
    uint64_t keep = written_;
    if (keep_unconfirmed && acks_known_ && acked_ < keep)
        keep = acked_;
    return boundary_at_or_before(keep);
}

bool ResendBook::may_drop(uint64_t keep, size_t bytes, size_t messages) const {
    if (bytes > ring_.size() || messages > marks_.size())
        return false;
    uint64_t new_end = end_ + bytes;
    if (new_end > ring_.size() && new_end - ring_.size() > keep)
        return false;  // would overwrite bytes from keep on
    size_t need = count_ + messages > marks_.size() ? count_ + messages - marks_.size() : 0;
    // Marks before keep's own may go; keep's may not.
    size_t droppable = count_;
    if (keep < end_) {
        size_t i = newest_at_or_before(keep);
        droppable = i < count_ ? i : 0;  // none at or before keep: none may go
    }
    return need <= droppable;
}

bool ResendBook::room(size_t bytes, size_t messages) const {
    return may_drop(floor(true), bytes, messages);
}

void ResendBook::drop_marks_before(uint64_t pos) {
    while (count_ > 0 && mark(0).pos < pos) {
        head_ = (head_ + 1) % marks_.size();
        --count_;
    }
}

void ResendBook::push_mark(uint64_t pos, uint64_t tag) {
    if (count_ == marks_.size()) {
        head_ = (head_ + 1) % marks_.size();
        --count_;
    }
    marks_[(head_ + count_) % marks_.size()] = Mark{pos, tag};
    ++count_;
}

void ResendBook::push(const char* bytes, size_t len) {
    size_t cap = ring_.size();
    for (size_t i = 0; i < len;) {
        size_t at = size_t(end_ % cap);
        size_t piece = len - i < cap - at ? len - i : cap - at;
        memcpy(&ring_[at], bytes + i, piece);
        i += piece;
        end_ += piece;
    }
    if (end_ > cap && end_ - cap > overwritten_) {
        overwritten_ = end_ - cap;
        drop_marks_before(overwritten_);
    }
}

bool ResendBook::add(const char* msg, size_t len, uint64_t tag) {
    if (len == 0 || !may_drop(floor(false), len, 1))
        return false;
    push_mark(end_, tag);
    push(msg, len);
    return true;
}

size_t ResendBook::add(const Batch& batch, size_t first) {
    const std::vector<Batch::Item>& items = batch.items();
    size_t n = items.size();
    if (first >= n)
        return 0;
    size_t from = first > 0 ? items[first - 1].end : 0;
    uint64_t keep = floor(false);
    // All at once where they fit, as they nearly always do; else one by one.
    if (!may_drop(keep, items[n - 1].end - from, n - first)) {
        size_t k = first;
        for (; k < n; ++k) {
            size_t len;
            const char* msg = batch.message(k, &len);
            if (!add(msg, len, uint64_t(items[k].src_end)))
                break;
        }
        return k - first;
    }
    uint64_t base = end_ - from;  // stream position of batch byte 0
    for (size_t k = first; k < n; ++k)
        push_mark(base + (k > 0 ? items[k - 1].end : 0), uint64_t(items[k].src_end));
    push(batch.bytes() + from, items[n - 1].end - from);
    return n - first;
}

size_t ResendBook::chunk(const char** p, bool to_boundary) const {
    if (written_ >= end_)
        return 0;
    size_t cap = ring_.size();
    size_t at = size_t(written_ % cap);
    uint64_t n = end_ - written_;
    if (n > cap - at)
        n = cap - at;
    if (to_boundary) {
        size_t i = newest_at_or_before(written_);
        uint64_t next = i + 1 < count_ ? mark(i + 1).pos : end_;
        if (i == count_ && count_ > 0)
            next = mark(0).pos;  // cannot happen: written_ is always held
        if (next - written_ < n)
            n = next - written_;
    }
    *p = &ring_[at];
    return size_t(n);
}

void ResendBook::wrote(size_t n) {
    written_ += n;
    if (written_ > end_)
        written_ = end_;
}

void ResendBook::confirm(uint64_t pos) {
    if (pos > written_)
        pos = written_;
    if (pos > acked_)
        acked_ = pos;
}

void ResendBook::connected() {
    conn_start_ = written_;
    acked_ = written_;
}

uint64_t ResendBook::broken(Break why) {
    switch (why) {
    case Break::closed:
        return broken_from(acked_);
    case Break::reset:
        return broken_from(conn_start_);
    case Break::local:
    default:
        return broken_from(written_);
    }
}

uint64_t ResendBook::broken_from(uint64_t pos) {
    uint64_t from = boundary_at_or_before(pos < written_ ? pos : written_);
    if (from < held_from())
        from = held_from();
    uint64_t again = written_ > from ? written_ - from : 0;
    written_ = from;
    conn_start_ = from;
    acked_ = from;
    return again;
}

bool ResendBook::truncate(uint64_t pos) {
    if (pos < written_ || pos > end_ || boundary_at_or_before(pos) != pos)
        return false;
    while (count_ > 0 && mark(count_ - 1).pos >= pos)
        --count_;
    end_ = pos;
    return true;
}

bool ResendBook::tag_before(uint64_t boundary, uint64_t* prev_pos, uint64_t* tag) const {
    size_t i = newest_at_or_before(boundary);
    if (i == count_ || i == 0 || mark(i).pos != boundary)
        return false;
    *prev_pos = mark(i - 1).pos;
    *tag = mark(i - 1).tag;
    return true;
}

bool ResendBook::at_risk_tag(uint64_t* tag) const {
    uint64_t from = conn_start_ > held_from() ? conn_start_ : held_from();
    if (from >= end_)
        return false;
    size_t i = newest_at_or_before(from);
    if (i == count_)
        return false;
    *tag = mark(i).tag;
    return true;
}

uint64_t ResendBook::risk_from(uint64_t peer_window) const {
    uint64_t base = acks_known_ ? acked_ : written_;
    uint64_t from = base > peer_window ? base - peer_window : 0;
    return from > conn_start_ ? from : conn_start_;
}

void ResendBook::forget() {
    count_ = 0;
    written_ = end_;
    acked_ = end_;
    conn_start_ = end_;
    overwritten_ = end_;
}

Stretches::Stretches(size_t max, uint64_t granule)
    : ring_(max > 2 ? max : 2), granule_(granule > 0 ? granule : 1) {}

void Stretches::note(uint64_t pos, const Origin& o) {
    if (count_ > 0) {
        const Stretch& last = at(count_ - 1);
        // The same stretch goes on, unless the source went back (read
        // again after a break): its stretch must say where it went back to.
        if (last.origin.source == o.source && last.origin.offset <= o.offset &&
            pos - last.pos < granule_)
            return;
    }
    if (count_ == ring_.size()) {
        head_ = (head_ + 1) % ring_.size();
        --count_;
    }
    ring_[(head_ + count_) % ring_.size()] = Stretch{pos, o};
    ++count_;
}

size_t Stretches::index_holding(uint64_t pos) const {
    for (size_t i = count_; i-- > 0;)
        if (at(i).pos <= pos)
            return i;
    return count_;
}

bool Stretches::oldest_from(uint64_t pos, std::vector<Origin>* out) const {
    size_t first = index_holding(pos);
    if (first == count_)
        first = 0;  // before them all: from the oldest held
    bool again = true;
    for (size_t i = first; i < count_; ++i) {
        const Origin& o = at(i).origin;
        if (o.source == 0)
            again = false;
        merge_origin(out, o);
    }
    return again;
}

bool Stretches::holding(uint64_t pos, uint64_t* start, Origin* origin) const {
    size_t i = index_holding(pos);
    if (i == count_)
        return false;
    *start = at(i).pos;
    *origin = at(i).origin;
    return true;
}

void Stretches::forget_before(uint64_t pos) {
    // Stretch 0 ends where stretch 1 begins.
    while (count_ > 1 && at(1).pos <= pos) {
        head_ = (head_ + 1) % ring_.size();
        --count_;
    }
}

void Intake::start(int64_t now_ms, uint64_t acked) {
    count_ = 0;
    base_ = acked;
    last_ = Sample{now_ms, acked};
}

void Intake::note(int64_t now_ms, uint64_t acked) {
    if (acked <= last_.acked)
        return;
    // The state up to now becomes a sample where it is a step newer than
    // the newest: what was confirmed then, a lower bound until now, so
    // since() never counts short.
    if (count_ == 0 || last_.ms - ring_[newest_].ms >= kStepMs) {
        newest_ = count_ == 0 ? 0 : (newest_ + 1) % kSamples;
        if (count_ < kSamples)
            ++count_;
        ring_[newest_] = last_;
    }
    last_ = Sample{now_ms, acked};
}

uint64_t Intake::since(int64_t ms) const {
    if (last_.ms < ms)
        return 0;  // nothing confirmed since
    for (size_t k = 0; k < count_; ++k) {
        const Sample& s = ring_[(newest_ + kSamples - k) % kSamples];
        if (s.ms <= ms)
            return last_.acked - s.acked;
    }
    return last_.acked - base_;
}

bool reread_from(const ResendBook& book, const Stretches& stretches, uint64_t from,
                 std::vector<Origin>* out) {
    if (!stretches.oldest_from(from, out))
        return false;
    uint64_t start, prev_pos, prev_end;
    Origin o;
    uint64_t at = book.boundary_at_or_before(from);
    if (from < book.held_from() || !stretches.holding(from, &start, &o) || at == start ||
        !book.tag_before(at, &prev_pos, &prev_end) || prev_pos < start)
        return true;
    // The stretch's own entry: a later stretch of the source that went
    // back further (read again) keeps its lower offset.
    for (Origin& each : *out)
        if (each.source == o.source && each.offset == o.offset && int64_t(prev_end) > o.offset)
            each.offset = int64_t(prev_end);
    return true;
}

void merge_origin(std::vector<Origin>* list, const Origin& o) {
    for (Origin& have : *list) {
        if (have.source == o.source) {
            if (o.offset < have.offset)
                have.offset = o.offset;
            return;
        }
    }
    list->push_back(o);
}

}  // namespace t2s
