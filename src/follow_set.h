// follow_set -- every followed path: the specs and their globs, a Follower
// per path, the files retired after rotation, who holds which file, and the
// state to save.
//
// | what a rescan finds                       | action                              |
// |-------------------------------------------|-------------------------------------|
// | a named path (no glob characters)         | followed from the start, for ever   |
// | a glob match not followed yet             | followed (from 0 after the start)   |
// | a glob match's path gone, its follower    | dropped once gone for --rotate-wait;|
// |   holding no file                         |   followed again if it comes back   |
//
// | descriptors                               | action                              |
// |-------------------------------------------|-------------------------------------|
// | a follower opens a file within the budget | it keeps the descriptor             |
// | ... past the budget                       | the descriptor of a follower whose  |
// |                                           |   file was read to its end is taken |
// |                                           |   (that file is kept by identity)   |
// | ... past it, none to take, or while the   | the new file is kept by identity    |
// |   destination is down (look_only)         |   only, found again when its turn   |
// |                                           |   comes                             |
#ifndef T2S_FOLLOW_SET_H
#define T2S_FOLLOW_SET_H

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "follow.h"
#include "rules.h"
#include "state.h"

namespace t2s {

// descriptor_budget -- how many descriptors followed files may hold: the
// soft RLIMIT_NOFILE less a reserve (an eighth of it, at least 32) kept for
// standard streams, sockets, the state file and children's pipes.
size_t descriptor_budget();

class FollowSet : public Peers, public Lookout {
public:
    // base: what every message's header shares (format, hostname, procid),
    // read when a follower is added; not owned.  Each spec adds its tag
    // and priority.
    explicit FollowSet(const Header* base) : base_(base), budget_(descriptor_budget()) {}

    // set_budget -- at most n descriptors for followed files (tests).
    void set_budget(size_t n) { budget_ = n; }
    // held -- descriptors the followers hold now.
    size_t held() const { return held_; }

    // add_spec -- follows spec's pattern from the next expand, unless it is
    // followed already.  False with *err if one of its rules is invalid.
    bool add_spec(const FileSpec& spec, std::string* err);

    // resume_from -- the files an earlier run saved; a path followed from
    // now on takes up its own, once.  Those of paths not followed are
    // saved again as they were (save).
    void resume_from(const std::vector<SavedFile>& saved) { saved_ = saved; }

    // expand -- follows the paths the specs name now; at_start: the paths
    // were there when we started (see Follower).  Drops the followers of
    // glob matches that have been gone for --rotate-wait.
    void expand(FollowContext* ctx, bool at_start, int64_t now);

    // patterns -- the specs' paths and globs, in the order added.
    std::vector<std::string> patterns() const;

    // has_globs -- whether a spec is a glob, for which expand must run again.
    bool has_globs() const;

    // poll -- polls each follower that is due at now, or all of them if
    // all; lowers *due to the earliest next poll.  Returns whether any read
    // data.  Stops at the first transport failure (ctx->error set).
    bool poll(FollowContext* ctx, int64_t now, bool all, int64_t* due);

    // throttled -- whether a follower stopped reading at the last poll for
    // want of --max-rate messages (it has more to send).
    bool throttled() const;

    // save -- an entry per open file of every follower, for the state file,
    // none past the oldest message not known to be delivered (unconfirmed,
    // per source: Transport::unconfirmed).
    void save(std::vector<SavedFile>* out, const std::vector<Origin>& unconfirmed) const;

    // sent -- messages sent so far, by dropped followers too.
    uint64_t sent() const;

    size_t size() const { return followers_.size(); }
    const Follower& at(size_t i) const { return *followers_[i].follower; }

    bool holds(dev_t dev, ino_t ino) const override;
    void retire(const Retired& file) override;
    const Retired* retired(dev_t dev, ino_t ino) const override;
    bool make_room(const Follower* asking) override;

    // look -- while the transport waits for its destination: every
    // follower pins a new file at its path, reading nothing (at most once
    // per --sleep-interval).  Uses the context of the last poll.
    void look() override;

private:
    struct Spec {
        FileSpec spec;
        Rules rules;
        std::unique_ptr<RecordStart> record_start;  // null: a line is a message
        std::unique_ptr<TokenBucket> rate;          // its own max-rate, or null
        const Header* header = nullptr;  // its followers', shared with every
                                         // spec of the same tag and priority
    };
    struct Member {
        std::unique_ptr<Follower> follower;
        bool named;  // not a glob match: never dropped
    };

    void add(FollowContext* ctx, Spec& spec, const std::string& path, bool named,
             bool at_start, int64_t now);
    void drop_gone(const Options& opts, int64_t now);
    // Runs f.poll or the like, keeping held_ right.
    template <class Step> void counted(Follower& f, Step step);
    // path_at -- where path is, or would be, in paths_.
    std::vector<const std::string*>::iterator path_at(const std::string& path);

    const Header* base_;
    // The headers the specs share: a thousand files named one by one, each
    // its own spec, have one header between them.
    std::vector<std::unique_ptr<Header>> headers_;
    std::vector<std::unique_ptr<Spec>> specs_;  // Followers point to their rules
    std::vector<Member> followers_;
    std::deque<Retired> retired_;               // the latest last, bounded
    std::vector<SavedFile> saved_;              // not taken up (yet)
    uint64_t dropped_sent_ = 0;
    size_t next_first_ = 0;                     // --max-rate: who goes first
    // followers_' paths, sorted: a rescan of a glob with 10,000 matches
    // looks each up in a few steps, for 8 bytes a path.
    std::vector<const std::string*> paths_;
    size_t budget_;
    size_t held_ = 0;                  // descriptors held, but polling_'s change
    const Follower* polling_ = nullptr;
    size_t polling_had_ = 0;           // what polling_ held before
    size_t cursor_ = 0;                // where make_room looks next
    bool looking_ = false;             // inside look(): take nobody's descriptor
    FollowContext* ctx_ = nullptr;     // of the last poll, for look()
    int64_t looked_ = 0;               // when look() last looked
};

}  // namespace t2s

#endif
