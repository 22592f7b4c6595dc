// follow_set -- every followed path.  The table of cases is in follow_set.h.
#include <sys/types.h>
#include <sys/resource.h>
#include <glob.h>

#include <algorithm>

#include "follow_set.h"

namespace t2s {

namespace {

// Files retired after rotation that are remembered: enough for every
// rotation of many files during one outage, little memory.
const size_t kRetiredMax = 1024;

bool has_glob_chars(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

}  // namespace

size_t descriptor_budget() {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 256;
    rlim_t soft = rl.rlim_cur;
    const rlim_t kMost = 1 << 20;  // RLIM_INFINITY and the like
    if (soft == RLIM_INFINITY || soft > kMost)
        soft = kMost;
    rlim_t reserve = soft / 8 > 32 ? soft / 8 : 32;
    return soft > reserve + 1 ? size_t(soft - reserve) : 1;
}

template <class Step>
void FollowSet::counted(Follower& f, Step step) {
    if (polling_ == &f) {  // look() inside f's own poll: the outer call counts
        step();
        return;
    }
    const Follower* outer = polling_;
    size_t outer_had = polling_had_;
    polling_ = &f;
    polling_had_ = f.descriptors();
    step();
    held_ = held_ + f.descriptors() - polling_had_;
    polling_ = outer;
    polling_had_ = outer_had;
}

std::vector<const std::string*>::iterator FollowSet::path_at(const std::string& path) {
    return std::lower_bound(paths_.begin(), paths_.end(), &path,
                            [](const std::string* a, const std::string* b) { return *a < *b; });
}

bool FollowSet::make_room(const Follower* asking) {
    size_t held = held_;
    if (polling_)
        held = held + polling_->descriptors() - polling_had_;
    if (held < budget_)
        return true;
    if (looking_)
        return false;  // the follower being read may be any of them
    // Round the followers from where the last search stopped: the files
    // read longest ago give theirs first, and no search starts over.
    for (size_t tried = 0; tried < followers_.size(); ++tried) {
        if (cursor_ >= followers_.size())
            cursor_ = 0;
        Follower& f = *followers_[cursor_++].follower;
        if (&f != asking && &f != polling_ && f.give_back()) {
            --held_;
            return true;
        }
    }
    return false;
}

void FollowSet::look() {
    if (!ctx_ || looking_)
        return;
    int64_t now = now_ms();
    if (now - looked_ < ctx_->opts->sleep_ms)
        return;
    looked_ = now;
    looking_ = true;
    for (Member& m : followers_)
        counted(*m.follower, [&] { m.follower->look_only(ctx_, now); });
    looking_ = false;
}

bool FollowSet::add_spec(const FileSpec& spec, std::string* err) {
    for (const auto& known : specs_)
        if (known->spec.pattern == spec.pattern)
            return true;
    std::unique_ptr<Spec> added(new Spec);
    added->spec = spec;
    for (const Options::Rule& rule : spec.rules)
        if (!added->rules.add(rule, err))
            return false;
    if (!spec.record_start.empty()) {
        added->record_start.reset(new RecordStart);
        if (!added->record_start->compile(spec.record_start, err))
            return false;
    }
    if (spec.max_rate > 0)
        added->rate.reset(new TokenBucket(spec.max_rate, now_ms()));
    specs_.push_back(std::move(added));
    return true;
}

std::vector<std::string> FollowSet::patterns() const {
    std::vector<std::string> out;
    for (const auto& s : specs_)
        out.push_back(s->spec.pattern);
    return out;
}

bool FollowSet::has_globs() const {
    for (const auto& s : specs_)
        if (has_glob_chars(s->spec.pattern))
            return true;
    return false;
}

// add -- a follower for path, unless it has one, taking up what an earlier
// run saved of it.
void FollowSet::add(FollowContext* ctx, Spec& spec, const std::string& path,
                    bool named, bool at_start, int64_t now) {
    auto at = path_at(path);
    if (at != paths_.end() && **at == path)
        return;
    for (size_t i = 0; !spec.header && i < headers_.size(); ++i)
        if (headers_[i]->tag == spec.spec.tag && headers_[i]->pri == spec.spec.pri)
            spec.header = headers_[i].get();
    if (!spec.header) {  // base_ is complete once following starts
        std::unique_ptr<Header> made(new Header(*base_));
        made->tag = spec.spec.tag;
        made->pri = spec.spec.pri;
        spec.header = made.get();
        headers_.push_back(std::move(made));
    }
    followers_.push_back(Member{std::unique_ptr<Follower>(new Follower(
                                    path, *spec.header, &spec.rules, at_start,
                                    spec.spec.tag.empty())),
                                named});
    Follower& added = *followers_.back().follower;
    added.set_named(named);
    added.set_records(spec.record_start.get(), spec.rate.get());
    added.set_state_name(absolute_name(path, ctx->cwd));
    paths_.insert(at, &added.path());
    counted(added, [&] { added.resume(saved_, ctx, now); });
    // Taken up once: a follower dropped and made again later starts anew.
    size_t kept = 0;
    for (size_t i = 0; i < saved_.size(); ++i)
        if (saved_[i].path != added.state_name())
            saved_[kept++] = saved_[i];
    saved_.resize(kept);
}

void FollowSet::expand(FollowContext* ctx, bool at_start, int64_t now) {
    drop_gone(*ctx->opts, now);
    if (!polling_) {  // counted anew now and then, whatever happened
        held_ = 0;
        for (const Member& m : followers_)
            held_ += m.follower->descriptors();
    }
    for (const auto& s : specs_) {
        const std::string& pattern = s->spec.pattern;
        if (!has_glob_chars(pattern)) {
            add(ctx, *s, pattern, true, at_start, now);
            continue;
        }
        glob_t g;
        if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc; ++i)
                add(ctx, *s, g.gl_pathv[i], false, at_start, now);
        globfree(&g);
    }
}

// drop_gone -- a glob matching dated names (app.log-20261129) would
// otherwise keep a follower, polled for ever, for every name it ever
// matched.  One that holds no file and whose path is gone costs nothing to
// drop: should the name come back, the next expand follows it anew, from 0,
// as the follower itself would have.
void FollowSet::drop_gone(const Options& opts, int64_t now) {
    size_t kept = 0;
    for (size_t i = 0; i < followers_.size(); ++i) {
        const Follower& f = *followers_[i].follower;
        bool gone = !followers_[i].named && f.idle() && f.gone_since() >= 0 &&
                    now - f.gone_since() >= opts.rotate_wait_ms;
        if (gone) {
            dropped_sent_ += f.stats().sent;
            held_ -= f.descriptors();
            paths_.erase(path_at(f.path()));
            continue;
        }
        if (kept != i)
            followers_[kept] = std::move(followers_[i]);
        ++kept;
    }
    followers_.resize(kept);
}

bool FollowSet::poll(FollowContext* ctx, int64_t now, bool all, int64_t* due) {
    bool busy = false;
    ctx_ = ctx;
    // Under --max-rate the first file polled gets the messages there are:
    // start each round with the next one, so that all catch up together.
    size_t n = followers_.size();
    size_t first = ctx->rate && n > 0 ? next_first_++ % n : 0;
    for (size_t k = 0; k < n; ++k) {
        Follower& f = *followers_[(first + k) % n].follower;
        if (all || f.next_poll() <= now)
            counted(f, [&] { busy |= f.poll(ctx, now); });
        if (!ctx->error.empty())
            return busy;
        // A stream broke: what its peer may have lost is read again.
        if (ctx->transport)
            ctx->transport->take_rewinds(&ctx->rewinds);
        if (!ctx->rewinds.empty()) {
            for (Member& m : followers_)
                busy |= m.follower->rewind(ctx->rewinds);
            ctx->rewinds.clear();
        }
        if (f.next_poll() < *due)
            *due = f.next_poll();
    }
    return busy;
}

bool FollowSet::throttled() const {
    for (const Member& m : followers_)
        if (m.follower->throttled())
            return true;
    return false;
}

void FollowSet::save(std::vector<SavedFile>* out,
                     const std::vector<Origin>& unconfirmed) const {
    for (const Member& m : followers_)
        m.follower->save(out, unconfirmed);
    // Files this run does not follow (other operands, or a glob's match not
    // there yet) keep their positions: a run on other files must not make
    // the next one on these send their lines again, or skip them.
    out->insert(out->end(), saved_.begin(), saved_.end());
}

uint64_t FollowSet::sent() const {
    uint64_t sent = dropped_sent_;
    for (const Member& m : followers_)
        sent += m.follower->stats().sent;
    return sent;
}

bool FollowSet::holds(dev_t dev, ino_t ino) const {
    for (const Member& m : followers_)
        if (m.follower->holds(dev, ino))
            return true;
    return false;
}

void FollowSet::retire(const Retired& file) {
    retired_.push_back(file);
    if (retired_.size() > kRetiredMax)
        retired_.pop_front();
}

const Retired* FollowSet::retired(dev_t dev, ino_t ino) const {
    for (auto it = retired_.rbegin(); it != retired_.rend(); ++it)
        if (it->dev == dev && it->ino == ino)
            return &*it;
    return nullptr;
}

}  // namespace t2s
