// follow_set_test -- FollowSet over real files in a temporary directory:
// globs, dropping matches that are gone, who holds what, the state save.
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "follow_fixture.h"
#include "follow_set.h"

namespace t2s {

namespace {

FileSpec spec_for(const std::string& pattern) {
    FileSpec spec;
    spec.pattern = pattern;
    return spec;
}

// round -- what the loop does once: a rescan, then a poll of every file.
bool round(FollowFixture* fx, int64_t step_ms) {
    fx->clock += step_ms;
    fx->files.expand(&fx->ctx, false, fx->clock);
    int64_t due = fx->clock + 1000;
    bool busy = fx->files.poll(&fx->ctx, fx->clock, true, &due);
    CHECK(due <= fx->clock + 1000);
    return busy;
}

}  // namespace

TEST_CASE("FollowSet::add_spec: a pattern is followed once; a bad rule is refused") {
    FollowFixture fx;
    std::string err;
    CHECK(fx.files.add_spec(spec_for(fx.path("a.log")), &err));
    CHECK(fx.files.add_spec(spec_for(fx.path("a.log")), &err));
    fx.files.expand(&fx.ctx, true, fx.clock);
    CHECK(fx.files.size() == 1);
    CHECK_FALSE(fx.files.has_globs());
    CHECK(fx.files.patterns() == std::vector<std::string>{fx.path("a.log")});

    FileSpec bad = spec_for(fx.path("b.log"));
    Options::Rule rule;
    rule.kind = Options::Rule::Kind::include;
    rule.regex = "(";
    bad.rules.push_back(rule);
    CHECK_FALSE(fx.files.add_spec(bad, &err));
    CHECK_FALSE(err.empty());
}

TEST_CASE("FollowSet::expand: glob matches are followed, in their order") {
    FollowFixture fx;
    fx.write("a-1.log", "one\n");
    fx.write("a-2.log", "two\n");
    fx.write("other", "no\n");
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("a-*.log")), &err));
    CHECK(fx.files.has_globs());
    fx.files.expand(&fx.ctx, true, fx.clock);
    REQUIRE(fx.files.size() == 2);
    CHECK(fx.files.at(0).path() == fx.path("a-1.log"));
    CHECK(fx.files.at(1).path() == fx.path("a-2.log"));
    while (round(&fx, 20)) {
    }
    CHECK(fx.transport.bodies() == "one\ntwo\n");
    CHECK(fx.files.sent() == 2);
}

TEST_CASE("FollowSet::expand: a glob match gone for --rotate-wait is dropped") {
    FollowFixture fx;
    fx.opts.rotate_wait_ms = 1000;
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("a-*.log")), &err));
    REQUIRE(fx.files.add_spec(spec_for(fx.path("named.log")), &err));
    fx.write("a-1.log", "one\n");
    fx.files.expand(&fx.ctx, true, fx.clock);
    round(&fx, 20);
    REQUIRE(fx.files.size() == 2);
    fx.remove("a-1.log");
    int64_t removed = fx.clock;
    int64_t dropped = -1;
    for (int i = 0; i < 50 && dropped < 0; ++i) {
        round(&fx, 100);
        if (fx.files.size() == 1)
            dropped = fx.clock;
    }
    // The old file is kept for --rotate-wait, then the name for as long.
    CHECK(dropped - removed >= 2 * fx.opts.rotate_wait_ms);
    CHECK(dropped - removed <= 2 * fx.opts.rotate_wait_ms + 300);
    REQUIRE(fx.files.size() == 1);
    CHECK(fx.files.at(0).path() == fx.path("named.log"));  // never dropped
    CHECK(fx.files.sent() == 1);  // its messages still count

    SUBCASE("a name that comes back is followed again, from 0") {
        fx.write("a-1.log", "again\n");
        while (round(&fx, 20)) {
        }
        CHECK(fx.files.size() == 2);
        CHECK(fx.transport.bodies() == "one\nagain\n");
    }
}

TEST_CASE("FollowSet::expand: dated rotations do not pile up followers") {
    // A glob that matches every dated generation of a log: each is read,
    // deleted, and its follower must go.
    FollowFixture fx;
    fx.opts.rotate_wait_ms = 100;
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("app.log-*")), &err));
    size_t most = 0;
    std::string want;
    for (int day = 0; day < 200; ++day) {
        std::string name = "app.log-" + std::to_string(20260000 + day);
        fx.write(name, "day " + std::to_string(day) + "\n");
        want += "day " + std::to_string(day) + "\n";
        round(&fx, 50);
        round(&fx, 50);
        fx.remove(name);
        round(&fx, 50);
        if (fx.files.size() > most)
            most = fx.files.size();
    }
    CHECK(most <= 3);
    CHECK(fx.transport.bodies() == want);
    CHECK(fx.files.sent() == 200);
}

TEST_CASE("FollowSet::holds: whether some follower has the file open") {
    FollowFixture fx;
    fx.write("a.log", "one\n");
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("a.log")), &err));
    struct stat sb;
    REQUIRE(stat(fx.path("a.log").c_str(), &sb) == 0);
    CHECK_FALSE(fx.files.holds(sb.st_dev, sb.st_ino));
    fx.files.expand(&fx.ctx, true, fx.clock);
    round(&fx, 20);
    CHECK(fx.files.holds(sb.st_dev, sb.st_ino));
    CHECK_FALSE(fx.files.holds(sb.st_dev, sb.st_ino + 1));
}

TEST_CASE("FollowSet::retired: the latest entry for a file, a bounded list") {
    FollowFixture fx;
    Position pos;
    pos.reset(10, "0123456789", 10);
    fx.files.retire(Retired{1, 7, pos});
    pos.reset(20, "0123456789abcdef", 16);
    fx.files.retire(Retired{1, 7, pos});
    REQUIRE(fx.files.retired(1, 7) != nullptr);
    CHECK(fx.files.retired(1, 7)->pos.offset == 20);
    CHECK(fx.files.retired(2, 7) == nullptr);
    for (ino_t ino = 100; ino < 100 + 1024; ++ino)
        fx.files.retire(Retired{1, ino, pos});
    CHECK(fx.files.retired(1, 7) == nullptr);  // the oldest went
    CHECK(fx.files.retired(1, 100) != nullptr);
}

TEST_CASE("FollowSet::save: every open file, and a new set resumes from it") {
    FollowFixture fx;
    fx.write("a.log", "a1\n");
    fx.write("b.log", "b1\n");
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("*.log")), &err));
    fx.files.expand(&fx.ctx, true, fx.clock);
    while (round(&fx, 20)) {
    }
    std::vector<SavedFile> saved;
    fx.files.save(&saved, {});
    REQUIRE(saved.size() == 2);
    CHECK(saved[0].path == fx.path("a.log"));
    CHECK(saved[0].offset == 3);
    CHECK(saved[1].path == fx.path("b.log"));

    // A second run, while more was written.
    fx.write("a.log", "a2\n");
    fx.write("b.log", "b2\n");
    FollowSet next(&fx.header);
    fx.ctx.peers = &next;
    REQUIRE(next.add_spec(spec_for(fx.path("*.log")), &err));
    next.resume_from(saved);
    next.expand(&fx.ctx, true, fx.clock);
    for (int i = 0; i < 10; ++i) {
        fx.clock += 20;
        int64_t due = fx.clock;
        next.poll(&fx.ctx, fx.clock, true, &due);
    }
    CHECK(fx.transport.bodies() == "a1\nb1\na2\nb2\n");

    // Taken up once: a.log gone, forgotten, and back is a new file.
    fx.remove("a.log");
    fx.clock += 100;
    int64_t due = fx.clock;
    next.poll(&fx.ctx, fx.clock, true, &due);  // drained and closed
    next.poll(&fx.ctx, fx.clock, true, &due);  // gone
    fx.clock += 100;
    next.expand(&fx.ctx, false, fx.clock);
    REQUIRE(next.size() == 1);
    fx.write("a.log", "new\n");
    FollowFixture::notes().clear();
    next.expand(&fx.ctx, false, fx.clock);
    for (int i = 0; i < 5; ++i) {
        fx.clock += 20;
        next.poll(&fx.ctx, fx.clock, true, &due);
    }
    CHECK(fx.transport.bodies() == "a1\nb1\na2\nb2\nnew\n");
    CHECK(FollowFixture::notes() == "");
}

TEST_CASE("FollowSet::make_room: within the budget, every file is read and found again") {
    FollowFixture fx;
    fx.files.set_budget(2);
    const int files = 6;
    std::string want;
    for (int i = 0; i < files; ++i) {
        fx.write("f" + std::to_string(i) + ".log", numbered("f" + std::to_string(i), 0, 2));
        want += numbered("f" + std::to_string(i), 0, 2);
    }
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("f*.log")), &err));
    for (int i = 0; i < 4 * files; ++i) {
        round(&fx, 20);
        CHECK(fx.files.held() <= 2);
    }
    // Lines of each file in order; files take turns as descriptors allow.
    auto sorted = [](const std::string& text) {
        std::vector<std::string> lines;
        std::string::size_type at = 0, nl;
        while ((nl = text.find('\n', at)) != std::string::npos) {
            lines.push_back(text.substr(at, nl - at));
            at = nl + 1;
        }
        std::sort(lines.begin(), lines.end());
        return lines;
    };
    CHECK(sorted(fx.transport.bodies()) == sorted(want));

    // Lines appended to each, one file rotated while it held no descriptor.
    for (int i = 0; i < files; ++i) {
        fx.write("f" + std::to_string(i) + ".log", numbered("f" + std::to_string(i), 2, 3));
        want += numbered("f" + std::to_string(i), 2, 3);
    }
    fx.rename("f0.log", "f0.log.1");
    fx.write("f0.log", numbered("f0", 3, 4));
    want += numbered("f0", 3, 4);
    for (int i = 0; i < 4 * files; ++i) {
        round(&fx, 20);
        CHECK(fx.files.held() <= 2);
    }
    CHECK(sorted(fx.transport.bodies()) == sorted(want));
    std::vector<SavedFile> saved;
    fx.files.save(&saved, {});
    CHECK(saved.size() == size_t(files));  // each known, open or not
}

TEST_CASE("FollowSet::look: new generations are pinned while the destination is down") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 2));
    std::string err;
    REQUIRE(fx.files.add_spec(spec_for(fx.path("a.log")), &err));
    round(&fx, 20);
    REQUIRE(fx.transport.bodies() == numbered("x", 0, 2));
    // The destination is down: the loop waits in the transport, which
    // calls look() between its retries.
    fx.write("a.log", numbered("x", 2, 3));
    fx.rename("a.log", "a.log.1");
    fx.write("a.log", numbered("x", 3, 5));
    usleep(20000);  // look() looks at most every --sleep-interval (10 ms)
    fx.files.look();
    fx.rename("a.log", "a.log.2");
    fx.write("a.log", numbered("x", 5, 7));
    usleep(20000);
    fx.files.look();
    fx.remove("a.log.2");  // pinned: still readable
    CHECK(fx.transport.bodies() == numbered("x", 0, 2));  // nothing read meanwhile
    for (int i = 0; i < 20; ++i)
        round(&fx, 20);
    CHECK(fx.transport.bodies() == numbered("x", 0, 7));
}

TEST_CASE("descriptor_budget: the soft limit less an eighth, at least 32") {
    struct rlimit was;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &was) == 0);
    for (auto limit_budget : {std::make_pair(1024, 896), std::make_pair(128, 96)}) {
        if (rlim_t(limit_budget.first) > was.rlim_max)
            continue;
        struct rlimit lower = was;
        lower.rlim_cur = rlim_t(limit_budget.first);
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lower) == 0);
        CHECK(descriptor_budget() == size_t(limit_budget.second));
        REQUIRE(setrlimit(RLIMIT_NOFILE, &was) == 0);
    }
}

}  // namespace t2s
