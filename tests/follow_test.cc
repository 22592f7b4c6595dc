// follow_test -- classify: what one poll of a followed path found; and
// Follower over real files in a temporary directory, sending to a
// RecordingTransport.
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "follow.h"
#include "follow_fixture.h"
#include "platform.h"
#include "test_files.h"

namespace t2s {

namespace {

FileStat regular_file(dev_t dev, ino_t ino, int64_t size) {
    FileStat st;
    st.exists = true;
    st.regular = true;
    st.dev = dev;
    st.ino = ino;
    st.size = size;
    return st;
}

const FileStat kNone;  // nothing open, or nothing at the path

}  // namespace

TEST_CASE("classify: nothing at the path is missing") {
    CHECK(classify(regular_file(1, 10, 100), kNone, 100) == Change::missing);
    CHECK(classify(kNone, kNone, 0) == Change::missing);
}

TEST_CASE("classify: a directory or FIFO is not_regular") {
    FileStat dir;
    dir.exists = true;
    dir.regular = false;
    dir.dev = 1;
    dir.ino = 10;
    CHECK(classify(kNone, dir, 0) == Change::not_regular);
    // Even the very file we have open, if it were no longer regular.
    CHECK(classify(regular_file(1, 10, 0), dir, 0) == Change::not_regular);
}

TEST_CASE("classify: a regular file with none open appeared") {
    CHECK(classify(kNone, regular_file(1, 10, 0), 0) == Change::appeared);
    CHECK(classify(kNone, regular_file(1, 10, 500), 0) == Change::appeared);
}

TEST_CASE("classify: new inode is replaced") {
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 11, 100), 100) ==
          Change::replaced);
    // Replaced wins over sizes that would otherwise read as grown or truncated.
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 11, 500), 100) ==
          Change::replaced);
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 11, 0), 100) ==
          Change::replaced);
}

TEST_CASE("classify: same inode on another device is replaced") {
    CHECK(classify(regular_file(1, 10, 100), regular_file(2, 10, 100), 100) ==
          Change::replaced);
}

TEST_CASE("classify: shorter than our offset is truncated") {
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 10, 99), 100) ==
          Change::truncated);
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 10, 0), 100) ==
          Change::truncated);
}

TEST_CASE("classify: longer than our offset grew") {
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 10, 101), 100) ==
          Change::grew);
    CHECK(classify(regular_file(1, 10, 0), regular_file(1, 10, 1), 0) == Change::grew);
}

TEST_CASE("classify: the offset, not the size seen before, decides") {
    // We read up to 40 of a file that was 100 long: 60 bytes still to read.
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 10, 100), 40) ==
          Change::grew);
}

TEST_CASE("classify: same file, size at our offset is unchanged") {
    CHECK(classify(regular_file(1, 10, 100), regular_file(1, 10, 100), 100) ==
          Change::unchanged);
    CHECK(classify(regular_file(1, 10, 0), regular_file(1, 10, 0), 0) ==
          Change::unchanged);
}

TEST_CASE("classify: same size as our offset, changed since, is touched") {
    FileStat open = regular_file(1, 10, 100), now = regular_file(1, 10, 100);
    open.ctime = {1000, 5};
    now.ctime = {1000, 5};
    CHECK(classify(open, now, 100) == Change::unchanged);
    now.ctime = {1000, 6};  // emptied and written again, or a chmod
    CHECK(classify(open, now, 100) == Change::touched);
    now.ctime = {999, 0};  // a clock set back moves it too
    CHECK(classify(open, now, 100) == Change::touched);
    // Growth and shrinking say more than the change time.
    CHECK(classify(open, regular_file(1, 10, 101), 100) == Change::grew);
    CHECK(classify(open, regular_file(1, 10, 99), 100) == Change::truncated);
}

TEST_CASE("rewritten: fewer or other first bytes than those kept") {
    CHECK_FALSE(rewritten("line-A\n", 7, "line-A\n", 7));
    CHECK(rewritten("line-A\n", 7, "line-B\n", 7));
    CHECK(rewritten("line-A\n", 7, "line", 4));  // shorter than what was kept
    CHECK(rewritten("line-A\n", 7, "", 0));
    // Fewer kept than read (the file was short then): those decide.
    CHECK_FALSE(rewritten("ab\n", 3, "ab\ncd\n", 6));
    CHECK(rewritten("ab\n", 3, "xb\ncd\n", 6));
    CHECK_FALSE(rewritten("", 0, "anything", 8));  // nothing kept: nothing known
    CHECK_FALSE(rewritten("line-A\n", 7, "", -1));  // a failed read tells nothing
}

namespace {

// check_saved -- each saved entry's tail is the bytes just before its
// offset, in the file at path.
void check_saved(const std::vector<SavedFile>& saved, const std::string& path) {
    std::string bytes = file_bytes(path);
    for (const SavedFile& f : saved) {
        REQUIRE(f.offset <= int64_t(bytes.size()));
        CHECK(f.tail.size() == size_t(f.offset < 16 ? f.offset : 16));
        CHECK(f.tail == bytes.substr(size_t(f.offset) - f.tail.size(), f.tail.size()));
    }
}

// first_run -- a run that read a.log, holding lines x 0..2, to its end and
// saved where it stopped: what the next run resumes.
std::vector<SavedFile> first_run(FollowFixture* fx) {
    fx->write("a.log", numbered("x", 0, 3));
    Follower f(fx->path("a.log"), fx->header, nullptr, true);
    fx->poll_until_idle(&f);
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    return saved;
}

}  // namespace

TEST_CASE("Follower::poll: reads a file from 0 and saves where it stopped") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 5));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 5));
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == int64_t(numbered("x", 0, 5).size()));
    check_saved(saved, fx.path("a.log"));
}

TEST_CASE("Follower::save: not past the oldest message not known delivered") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 5));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    REQUIRE(fx.transport.origins.size() == 5);
    Origin third = fx.transport.origins[2];
    CHECK(third.source != 0);
    CHECK(third.offset == int64_t(numbered("x", 0, 2).size()));
    std::vector<SavedFile> saved;
    f.save(&saved, {Origin{third.source + 1, 0}, third});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == third.offset);
    check_saved(saved, fx.path("a.log"));
    saved.clear();
    f.save(&saved, {Origin{third.source + 1, 0}});  // another file's: no matter
    CHECK(saved[0].offset == int64_t(numbered("x", 0, 5).size()));
}

TEST_CASE("Follower::rewind: reads again from an origin, only ever back") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 5));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    Origin second = fx.transport.origins[1];
    CHECK(!f.rewind({Origin{second.source + 1, 0}}));
    CHECK(!f.rewind({Origin{second.source, 1 << 20}}));
    CHECK(f.rewind({second}));
    CHECK(f.next_poll() == 0);
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 5) + numbered("x", 1, 5));
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    check_saved(saved, fx.path("a.log"));
}

TEST_CASE("Follower::poll: a rewind asked during a send goes before anything newer") {
    FollowFixture fx(200);  // small batches: several sends per read
    fx.write("a.log", numbered("x", 0, 40));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.transport.rewind_after_batch = 2;
    fx.transport.rewind_to = 1;
    fx.poll_until_idle(&f);
    // What the first two batches held, then from x 1 again: nothing newer
    // went between.
    REQUIRE(fx.transport.rewound_at > 1);
    CHECK(fx.transport.bodies() ==
          numbered("x", 0, int(fx.transport.rewound_at)) + numbered("x", 1, 40));
}

TEST_CASE("Follower::poll: a partial send resumes exactly") {
    // Small batches: the new lines take several sends, and the first
    // takes only two of its messages (a broken connection, a TERM).
    FollowFixture fx(200);
    fx.write("a.log", numbered("x", 0, 10));
    std::unique_ptr<Follower> f(new Follower(fx.path("a.log"), fx.header, nullptr, true));
    fx.poll_until_idle(f.get());
    fx.write("a.log", numbered("x", 10, 40));
    fx.transport.mode = RecordingTransport::Mode::part;
    fx.transport.take_next = 2;
    fx.clock += 20;
    f->poll(&fx.ctx, fx.clock);
    REQUIRE(fx.transport.messages.size() == 12);
    // The state saved now points just past x 11, with its own bytes.
    std::vector<SavedFile> saved;
    f->save(&saved, {});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == int64_t(numbered("x", 0, 12).size()));
    check_saved(saved, fx.path("a.log"));

    SUBCASE("the same follower goes on") {
        fx.poll_until_idle(f.get());
    }
    SUBCASE("a new run resumes from the state saved") {
        f.reset(new Follower(fx.path("a.log"), fx.header, nullptr, true));
        f->resume(saved, &fx.ctx, fx.clock);
        fx.poll_until_idle(f.get());
    }
    CHECK(fx.transport.bodies() == numbered("x", 0, 40));
    CHECK(FollowFixture::notes().find("truncated") == std::string::npos);
}

TEST_CASE("Follower::poll: a failed transport stops the poll, nothing lost") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 5));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.transport.mode = RecordingTransport::Mode::fail;
    fx.clock += 20;
    f.poll(&fx.ctx, fx.clock);  // opens the file, sends nothing
    CHECK(fx.ctx.error == fx.transport.error);
    CHECK(fx.ctx.exit_code == 75);
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == 0);  // what the next run starts from
}

TEST_CASE("Follower::poll: a send that takes little leaves the line state right") {
    // Lines split in two pieces, each with its own priority: a piece read
    // again after a partial send must know whether it begins a line.
    FollowFixture fx(200);
    fx.opts.size = 8;
    fx.opts.prio_prefix = true;
    fx.write("a.log", numbered("<11>long line", 0, 10));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.transport.mode = RecordingTransport::Mode::closed;  // takes nothing
    fx.clock += 20;
    f.poll(&fx.ctx, fx.clock);
    CHECK(fx.transport.messages.empty());
    fx.transport.mode = RecordingTransport::Mode::part;
    fx.transport.take_next = 1;  // the first piece of a line
    fx.clock += 20;
    f.poll(&fx.ctx, fx.clock);
    fx.poll_until_idle(&f);
    std::string want;
    for (int i = 0; i < 10; ++i)
        want += std::string("long lin\ne ") + std::to_string(i) + "\n";
    CHECK(fx.transport.bodies() == want);
    for (const std::string& m : fx.transport.messages)
        CHECK(m.compare(0, 4, "<11>") == 0);
}

TEST_CASE("Follower::poll: lines of a rotated file go before its successor's") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 5));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    fx.write("a.log", numbered("x", 5, 10));  // not read before the rename
    fx.rename("a.log", "a.log.1");
    fx.write("a.log", numbered("x", 10, 15));
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 15));
    CHECK(f.stats().rotations == 1);
}

TEST_CASE("Follower::poll: a truncated file is read again from 0") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 10));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    SUBCASE("shorter than the offset") {
        fx.truncate("a.log");
        fx.write("a.log", numbered("y", 0, 2));
        fx.poll_until_idle(&f);
        CHECK(fx.transport.bodies() == numbered("x", 0, 10) + numbered("y", 0, 2));
    }
    SUBCASE("grown back past the offset between two polls") {
        fx.truncate("a.log");
        fx.write("a.log", numbered("longer line", 0, 10));
        fx.poll_until_idle(&f);
        CHECK(fx.transport.bodies() == numbered("x", 0, 10) + numbered("longer line", 0, 10));
    }
    CHECK(f.stats().truncations == 1);
}

TEST_CASE("Follower::poll: truncated and written again to the size read is read again") {
    // Its size never moves past the offset: only the change time and the
    // first bytes tell.  Within one tick of file time the change time may
    // not move either: a look kTimeGrainMs (2 s) later compares anyway.
    FollowFixture fx;
    fx.write("a.log", "line-A\n");
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    fx.truncate("a.log");
    fx.write("a.log", "line-B\n");
    for (int i = 0; i < 150 && fx.transport.bodies() == "line-A\n"; ++i)
        fx.poll_until_idle(&f);  // 20 ms a round: 3 s at most
    CHECK(fx.transport.bodies() == "line-A\nline-B\n");
    CHECK(f.stats().truncations == 1);
    CHECK(fx.notes().find("a.log: file truncated") != std::string::npos);
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == 7);
    CHECK(saved[0].head == "line-B\n");
    check_saved(saved, fx.path("a.log"));
    // Written again with the same first bytes: it cannot be told, and
    // nothing is sent twice.
    fx.truncate("a.log");
    fx.write("a.log", "line-B\n");
    for (int i = 0; i < 150; ++i)
        fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == "line-A\nline-B\n");
    CHECK(f.stats().truncations == 1);
}

TEST_CASE("Follower::poll: a change with no new bytes costs one look at the first bytes") {
    // A chmod moves the change time and leaves the bytes: not a truncation.
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 3));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    REQUIRE(chmod(fx.path("a.log").c_str(), 0600) == 0);
    for (int i = 0; i < 150; ++i)
        fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 3));
    CHECK(f.stats().truncations == 0);
}

TEST_CASE("Follower::resume: a saved tail shorter than 16 bytes") {
    // The state parser takes a tail shorter than the offset allows (an
    // older or edited state file); the check uses what there is.
    FollowFixture fx;
    std::string text = numbered("x", 0, 20);  // ends "x 19\n", 5 bytes
    fx.write("a.log", text);
    struct stat sb;
    REQUIRE(stat(fx.path("a.log").c_str(), &sb) == 0);
    SavedFile at;
    at.path = fx.path("a.log");
    at.dev = sb.st_dev;
    at.ino = sb.st_ino;
    at.offset = int64_t(text.size()) - 5;
    at.head = text.substr(0, 32);
    at.tail = "\n";
    Follower f(at.path, fx.header, nullptr, true);
    f.resume({at}, &fx.ctx, fx.clock);
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == "x 19\n");
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].offset == int64_t(text.size()));
    // Only the bytes read are known: the saved "\n" and "x 19\n".
    CHECK(saved[0].tail == "\nx 19\n");
    fx.write("a.log", numbered("x", 20, 25));
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 19, 25));
    saved.clear();
    f.save(&saved, {});
    check_saved(saved, fx.path("a.log"));
}

TEST_CASE("Follower::poll: a retired file is not read twice, a reused inode is") {
    FollowFixture fx;
    std::string text = numbered("x", 0, 10);
    fx.write("a.log", text);
    struct stat sb;
    REQUIRE(stat(fx.path("a.log").c_str(), &sb) == 0);
    int64_t half = int64_t(numbered("x", 0, 5).size());
    // read_after -- what a new follower of a.log sends when a file with its
    // (dev, ino) was retired at offset with these bytes before it.
    auto read_after = [&](int64_t offset, const char* tail) {
        Position pos;
        pos.reset(offset, tail, 16);
        fx.files.retire(Retired{sb.st_dev, sb.st_ino, pos});
        Follower f(fx.path("a.log"), fx.header, nullptr, false);
        fx.poll_until_idle(&f);
        return fx.transport.bodies();
    };
    SUBCASE("the same file: read from where it was left") {
        CHECK(read_after(half, text.data() + half - 16) == numbered("x", 5, 10));
    }
    SUBCASE("another file with the inode number: read from 0") {
        CHECK(read_after(half, "other bytes here") == text);
    }
    SUBCASE("another file with the inode number, of the old one's size") {
        CHECK(read_after(int64_t(text.size()), "other bytes here") == text);
    }
}

TEST_CASE("Follower::poll: a failed stat is reported with its own reason") {
    FollowFixture fx;
    fx.opts.verbose = true;
    SUBCASE("ELOOP") {
        REQUIRE(symlink("loop", fx.path("loop").c_str()) == 0);
        Follower f(fx.path("loop"), fx.header, nullptr, true);
        fx.poll_until_idle(&f);
        CHECK(FollowFixture::notes() ==
              fx.path("loop") + ": " + errno_text(ELOOP) + ", waiting\n");
    }
    SUBCASE("ENOTDIR") {
        fx.write("file", "x\n");
        Follower f(fx.path("file/a.log"), fx.header, nullptr, true);
        fx.poll_until_idle(&f);
        CHECK(FollowFixture::notes() ==
              fx.path("file/a.log") + ": " + errno_text(ENOTDIR) + ", waiting\n");
    }
    SUBCASE("ENOENT") {
        Follower f(fx.path("none"), fx.header, nullptr, true);
        fx.poll_until_idle(&f);
        CHECK(FollowFixture::notes() ==
              fx.path("none") + ": " + errno_text(ENOENT) + ", waiting\n");
    }
}

TEST_CASE("Follower::give_back: a closed file is reopened at its name, or found beside it") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 3));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    CHECK(f.descriptors() == 1);
    CHECK(f.give_back());
    CHECK(f.descriptors() == 0);
    CHECK_FALSE(f.idle());  // it still follows that file, by identity
    fx.write("a.log", numbered("x", 3, 5));  // grew: reopened at its name
    fx.poll_until_idle(&f);
    CHECK(f.descriptors() == 1);
    CHECK(fx.transport.bodies() == numbered("x", 0, 5));

    CHECK(f.give_back());
    fx.write("a.log", numbered("x", 5, 7));
    fx.rename("a.log", "a.log.1");  // rotated while it held no descriptor
    fx.write("a.log", numbered("x", 7, 9));
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 9));
    std::vector<SavedFile> saved;
    f.save(&saved, {});
    check_saved(saved, fx.path("a.log"));
}

TEST_CASE("Follower::give_back: a closed file deleted before it was read again is given up") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 2));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    REQUIRE(f.give_back());
    fx.write("a.log", numbered("x", 2, 3));
    fx.clock += 20;
    f.poll(&fx.ctx, fx.clock);  // sees it grew, reads it
    REQUIRE(f.give_back());
    fx.write("a.log", numbered("x", 3, 4));
    fx.remove("a.log");  // gone, with a line unread, before it was looked at
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 3));
    CHECK(f.idle());  // nothing left to find
}

TEST_CASE("Follower::give_back: only a file read to its end gives its descriptor") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 3));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    CHECK_FALSE(f.give_back());  // nothing open yet
    fx.transport.mode = RecordingTransport::Mode::fail;
    fx.clock += 20;
    f.poll(&fx.ctx, fx.clock);
    CHECK_FALSE(f.give_back());  // lines not sent yet
}

TEST_CASE("generations_beside: files written after the last, by time, not by name") {
    FollowFixture fx;
    fx.write("a.log", "last\n");
    fx.write("a.log.old", "older\n");
    fx.write("a.log.1", "first after\n");
    fx.write("a.log.0", "second after\n");
    fx.write("a.log.0.gz", "compressed\n");
    fx.write("b.log.9", "another file's\n");
    // Times set, as the clock's ticks are coarse.
    struct timespec at[2];
    for (auto name_s : {std::make_pair("a.log.old", 100), std::make_pair("a.log", 200),
                        std::make_pair("a.log.1", 300), std::make_pair("a.log.0", 400),
                        std::make_pair("a.log.0.gz", 500), std::make_pair("b.log.9", 500)}) {
        at[0].tv_sec = at[1].tv_sec = name_s.second;
        at[0].tv_nsec = at[1].tv_nsec = 0;
        REQUIRE(utimensat(AT_FDCWD, fx.path(name_s.first).c_str(), at, 0) == 0);
    }
    struct stat last;
    REQUIRE(stat(fx.path("a.log").c_str(), &last) == 0);
    std::vector<Generation> found = generations_beside(fx.path("a.log"), last);
    REQUIRE(found.size() == 2);
    CHECK(found[0].name == fx.path("a.log.1"));
    CHECK(found[1].name == fx.path("a.log.0"));
    CHECK(!found[1].compressed);
    // With compressed ones, by the same time (compressors keep it).
    found = generations_beside(fx.path("a.log"), last, true);
    REQUIRE(found.size() == 3);
    CHECK(found[2].name == fx.path("a.log.0.gz"));
    CHECK(found[2].compressed);
}

TEST_CASE("Follower::resume: generations made and rotated away while stopped, in order") {
    FollowFixture fx;
    std::vector<SavedFile> saved = first_run(&fx);
    fx.write("a.log.old", "sent long ago\n");  // older: not read
    struct timespec long_ago[2] = {{100, 0}, {100, 0}};
    REQUIRE(utimensat(AT_FDCWD, fx.path("a.log.old").c_str(), long_ago, 0) == 0);
    fx.write("a.log", numbered("x", 3, 5));
    fx.rename("a.log", "a.log.9");
    usleep(20000);  // past the file clock's tick
    fx.write("a.log", numbered("x", 5, 7));
    fx.rename("a.log", "a.log.10");  // names sort against the order
    usleep(20000);
    fx.write("a.log", numbered("x", 7, 9));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.clock += 20;
    f.resume(saved, &fx.ctx, fx.clock);
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 9));
}

TEST_CASE("Follower::resume: generations rotated away while stopped are read one after another") {
    // Each larger than one poll's read: read in turns, their lines came out
    // in slices (a sysadmin's trial: 1..3873, 4001..4874, 3874..4000, ...).
    FollowFixture fx;
    std::vector<SavedFile> saved = first_run(&fx);
    fx.write("a.log", numbered("x", 3, 30000));
    fx.rename("a.log", "a.log.1");
    usleep(20000);  // past the file clock's tick
    fx.write("a.log", numbered("x", 30000, 60000));
    fx.rename("a.log.1", "a.log.2");
    fx.rename("a.log", "a.log.1");
    usleep(20000);
    fx.write("a.log", numbered("x", 60000, 60100));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.clock += 20;
    f.resume(saved, &fx.ctx, fx.clock);
    fx.poll_until_idle(&f, 2000);
    CHECK(fx.transport.bodies() == numbered("x", 0, 60100));
}

TEST_CASE("Follower::poll: a generation made and rotated away between two looks is read") {
    FollowFixture fx;
    fx.write("a.log", numbered("x", 0, 2));
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    fx.poll_until_idle(&f);
    fx.write("a.log", numbered("x", 2, 3));
    fx.rename("a.log", "a.log.1");
    usleep(20000);
    fx.write("a.log", numbered("x", 3, 5));  // never seen at the path
    fx.rename("a.log", "a.log.2");
    usleep(20000);
    fx.write("a.log", numbered("x", 5, 7));
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == numbered("x", 0, 7));
}

}  // namespace t2s

namespace t2s {

namespace {

// saved_of -- a state entry for the file name of fx, as path, at offset.
SavedFile saved_of(const FollowFixture& fx, const std::string& name,
                   const std::string& path, int64_t offset, const std::string& head) {
    struct stat sb;
    SavedFile at;
    if (stat(fx.path(name).c_str(), &sb) == 0) {
        at.dev = sb.st_dev;
        at.ino = sb.st_ino;
    }
    at.path = fx.path(path);
    at.offset = offset;
    at.head = head;
    return at;
}

}  // namespace

TEST_CASE("rotated_name: numbers and dates only") {
    CHECK(rotated_name("app.log", "app.log.1"));
    CHECK(rotated_name("app.log", "app.log.12.gz"));
    CHECK(rotated_name("app.log", "app.log-20261129"));
    CHECK(rotated_name("app.log", "app.log-2026-11-29_1"));
    CHECK_FALSE(rotated_name("app.log", "app.log"));
    CHECK_FALSE(rotated_name("app.log", "app.log."));
    CHECK_FALSE(rotated_name("app.log", "app.log.old"));
    CHECK_FALSE(rotated_name("app.log", "app.log-auth"));
    CHECK_FALSE(rotated_name("app.log", "app.log.1.secret"));
    CHECK_FALSE(rotated_name("app.log", "auth.log.1"));
}

TEST_CASE("Follower::resume: the same file emptied and written anew is said to be so") {
    FollowFixture fx;
    fx.write("a.log", "b1\n");  // once "a1\na2\n", read to its end
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    f.resume({saved_of(fx, "a.log", "a.log", 6, "a1")}, &fx.ctx, fx.clock);
    CHECK(fx.notes().find("emptied and written anew since the last run") != std::string::npos);
    CHECK(fx.notes().find("the file read last time is gone") == std::string::npos);
}

TEST_CASE("Follower::resume: the state file is untrusted input") {
    FollowFixture fx;
    fx.write("a.log", "");
    fx.write("auth.log", "secret 1\nsecret 2\n");
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    SUBCASE("another file's inode beside the followed one: never looked at") {
        f.resume({saved_of(fx, "auth.log", "a.log", 7, "secret")}, &fx.ctx, fx.clock);
        CHECK(fx.notes().find("the file read last time is gone") != std::string::npos);
    }
    SUBCASE("an entry without first bytes: refused") {
        fx.rename("auth.log", "a.log.1");
        f.resume({saved_of(fx, "a.log.1", "a.log", 7, "")}, &fx.ctx, fx.clock);
        CHECK(fx.notes().find("a saved entry without its first bytes, ignored") !=
              std::string::npos);
    }
    SUBCASE("a link at a rotated name: never opened") {
        REQUIRE(symlink("auth.log", fx.path("a.log.1").c_str()) == 0);
        f.resume({saved_of(fx, "auth.log", "a.log", 7, "secret")}, &fx.ctx, fx.clock);
        CHECK(fx.notes().find("the file read last time is gone") != std::string::npos);
    }
    SUBCASE("at most 64 entries per path") {
        std::vector<SavedFile> many(100, saved_of(fx, "auth.log", "a.log", 7, "secret"));
        f.resume(many, &fx.ctx, fx.clock);
        CHECK(fx.notes().find("more than 64 files saved in the state file") != std::string::npos);
        size_t gone = 0;
        for (size_t at = 0; (at = fx.notes().find("is gone", at)) != std::string::npos; ++at)
            ++gone;
        CHECK(gone == 64);
    }
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == "");
}

TEST_CASE("Follower::resume: a rotated name holds the rest") {
    FollowFixture fx;
    fx.write("a.log", "line 1\nline 2\n");
    SavedFile at = saved_of(fx, "a.log", "a.log", 7, "line 1");
    at.tail = "\n";
    fx.rename("a.log", "a.log.1");
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    f.resume({at}, &fx.ctx, fx.clock);
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == "line 2\n");
}

}  // namespace t2s

#if T2S_HAVE_SEEK_DATA
namespace t2s {

TEST_CASE("Follower::poll: a hole of a sparse file is skipped, and ends the line before it") {
    FollowFixture fx;
    fx.write("a.log", "a\npartial");
    int fd = open(fx.path("a.log").c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    // 1 GiB of hole, then a block that the writer began in its middle.
    const char more[] = "b\nc\n";
    CHECK(pwrite(fd, more, sizeof more - 1, (int64_t(1) << 30) + 100) == ssize_t(sizeof more - 1));
    close(fd);
    Follower f(fx.path("a.log"), fx.header, nullptr, true);
    int64_t started = now_ms();
    fx.poll_until_idle(&f);
    CHECK(fx.transport.bodies() == "a\npartial\nb\nc\n");
    CHECK(now_ms() - started < 2000);  // not a gigabyte of NUL bytes read
}

}  // namespace t2s
#endif
