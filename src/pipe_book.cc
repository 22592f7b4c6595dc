// pipe_book -- one logger child's messages; see pipe_book.h for the rules.
#include "pipe_book.h"

#include <string.h>

namespace t2s {

PipeBook::PipeBook(size_t capacity, size_t max_marks)
    : ring_(capacity), marks_(max_marks) {}

bool PipeBook::room(size_t len) const {
    uint64_t keep = count_ > 0 ? mark(0).pos : end_;
    return count_ < marks_.size() && end_ + len - keep <= ring_.size();
}

void PipeBook::add(const char* msg, size_t len, const Origin& o) {
    marks_[(head_ + count_) % marks_.size()] = Mark{end_, o};
    ++count_;
    // In at most two pieces: up to the ring's end, then from its start.
    size_t at = size_t(end_ % ring_.size());
    size_t first = len < ring_.size() - at ? len : ring_.size() - at;
    if (first > 0)
        memcpy(&ring_[at], msg, first);
    if (len > first)
        memcpy(&ring_[0], msg + first, len - first);
    end_ += len;
}

size_t PipeBook::chunk(const char** p) const {
    size_t at = size_t(written_ % ring_.size());
    uint64_t n = end_ - written_;
    if (n > ring_.size() - at)
        n = ring_.size() - at;
    *p = &ring_[at];
    return size_t(n);
}

void PipeBook::read_to(uint64_t pos) {
    read_ = pos < written_ ? pos : written_;
    uint64_t drop = read_ > kReaderHold ? read_ - kReaderHold : 0;
    while (count_ > 0 && next(0) <= drop)
        pop();
}

uint64_t PipeBook::rewind(bool failed) {
    uint64_t from = read_;
    if (failed)
        from = read_ > start_ + kReaderHold ? read_ - kReaderHold : start_;
    from = start_of(from);
    uint64_t again = written_ - from;
    written_ = read_ = from;
    return again;
}

void PipeBook::started() {
    start_ = read_ = written_;
    while (count_ > 0 && next(0) <= start_)
        pop();
}

bool PipeBook::oldest(bool stopping, Origin* o) const {
    for (size_t i = 0; i < count_; ++i) {
        if (stopping || next(i) > read_) {
            *o = mark(i).origin;
            return true;
        }
    }
    return false;
}

void PipeBook::delivered() {
    read_to(written_);
    while (count_ > 0 && next(0) <= written_)
        pop();
}

void PipeBook::pop() {
    head_ = (head_ + 1) % marks_.size();
    --count_;
}

uint64_t PipeBook::start_of(uint64_t pos) const {
    uint64_t at = count_ > 0 ? mark(0).pos : end_;
    for (size_t i = 0; i < count_ && mark(i).pos <= pos; ++i)
        at = mark(i).pos;
    return pos >= end_ ? end_ : at;
}

}  // namespace t2s
