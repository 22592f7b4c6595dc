// follow_set -- every followed path.  The table of cases is in follow_set.h.
#include <sys/types.h>
#include <glob.h>

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
    for (const Member& m : followers_)
        if (m.follower->path() == path)
            return;
    Header header = *base_;
    header.tag = spec.spec.tag.empty() ? tag_from_path(path) : spec.spec.tag;
    header.pri = spec.spec.pri;
    followers_.push_back(Member{std::unique_ptr<Follower>(
                                    new Follower(path, header, &spec.rules, at_start)),
                                named});
    followers_.back().follower->set_named(named);
    followers_.back().follower->set_records(spec.record_start.get(), spec.rate.get());
    followers_.back().follower->resume(saved_, ctx, now);
    // Taken up once: a follower dropped and made again later starts anew.
    size_t kept = 0;
    for (size_t i = 0; i < saved_.size(); ++i)
        if (saved_[i].path != path)
            saved_[kept++] = saved_[i];
    saved_.resize(kept);
}

void FollowSet::expand(FollowContext* ctx, bool at_start, int64_t now) {
    drop_gone(*ctx->opts, now);
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
    // Under --max-rate the first file polled gets the messages there are:
    // start each round with the next one, so that all catch up together.
    size_t n = followers_.size();
    size_t first = ctx->rate && n > 0 ? next_first_++ % n : 0;
    for (size_t k = 0; k < n; ++k) {
        Follower& f = *followers_[(first + k) % n].follower;
        if (all || f.next_poll() <= now)
            busy |= f.poll(ctx, now);
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
