// decompress_test -- which tool reads which suffix; a decompressed stream
// read by offset; a compressed generation found beside its file by the
// fingerprint of its content, and read by a Follower from a saved offset.
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "decompress.h"
#include "follow.h"
#include "follow_fixture.h"

namespace t2s {

namespace {

// compress_file -- runs "tool -c name > name.suffix" and removes name; the
// compressed file keeps name's times, as logrotate's compress does.
void compress_file(const std::string& tool, const std::string& name,
                   const std::string& suffix) {
    struct stat sb;
    REQUIRE(stat(name.c_str(), &sb) == 0);
    std::string cmd = tool + " -c '" + name + "' > '" + name + suffix + "' && rm '" + name + "'";
    REQUIRE(system(cmd.c_str()) == 0);
    struct timespec times[2] = {sb.st_atim, sb.st_mtim};
    REQUIRE(utimensat(AT_FDCWD, (name + suffix).c_str(), times, 0) == 0);
}

// backdate -- sets name's times an hour back: a generation older than the
// files written since.
void backdate(const std::string& name) {
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = time(nullptr) - 3600;
    times[0].tv_nsec = times[1].tv_nsec = 0;
    REQUIRE(utimensat(AT_FDCWD, name.c_str(), times, 0) == 0);
}

bool have(const std::string& tool) {
    std::string path, err;
    return resolve_program(tool, getenv("PATH"), &path, &err);
}

}  // namespace

TEST_CASE("decompressor_for: each suffix names its tool") {
    CHECK(std::string(decompressor_for("a.log.1.gz")) == "gzip");
    CHECK(std::string(decompressor_for("a.log.0.Z")) == "gzip");
    CHECK(std::string(decompressor_for("a.log.1.bz2")) == "bzip2");
    CHECK(std::string(decompressor_for("a.log-20260101.xz")) == "xz");
    CHECK(std::string(decompressor_for("a.log.2.zst")) == "zstd");
    CHECK(decompressor_for("a.log.1") == nullptr);
    CHECK(decompressor_for("a.log.gzip") == nullptr);
    CHECK(decompressor_for(".gz") == nullptr);  // a suffix alone is no name
    CHECK(decompressor_for("a.log.z") == nullptr);  // pack(1), not compress(1)
}

TEST_CASE("Decompressors::find: relative PATH entries skipped, missing ones absent") {
    Decompressors tools;
    tools.find(".:bin:/nonexistent", nullptr);
    CHECK(tools.programs().empty());
    CHECK(tools.program("gzip").empty());
    tools.find("/usr/bin:/bin", nullptr);
    CHECK(tools.program("gzip").compare(0, 1, "/") == 0);
}

TEST_CASE("Decompressed::read_at: forward only, the window kept behind") {
    FollowFixture fx;
    std::string text = numbered("line", 0, 20000);  // several pipe reads
    fx.write("a.log.1", text);
    compress_file("gzip", fx.path("a.log.1"), ".gz");
    Decompressors tools;
    tools.find("/usr/bin:/bin", nullptr);
    std::string missing, err;
    std::unique_ptr<Decompressed> z =
        open_compressed(fx.path("a.log.1.gz"), tools, 4096, &missing, &err);
    REQUIRE(z);
    CHECK(z->name() == fx.path("a.log.1.gz"));
    char buf[4096];
    REQUIRE(z->read_at(buf, 10, 0) == 10);
    CHECK(std::string(buf, 10) == text.substr(0, 10));
    // Far ahead: skipped to, then read again a little before.
    REQUIRE(z->read_at(buf, 100, 150000) == 100);
    CHECK(std::string(buf, 100) == text.substr(150000, 100));
    REQUIRE(z->read_at(buf, 4096, 150050) == 4096);
    CHECK(std::string(buf, 4096) == text.substr(150050, 4096));
    errno = 0;
    CHECK(z->read_at(buf, 10, 100) == -1);
    CHECK(errno == EINVAL);
    // To the end: fewer bytes, then none.
    int64_t end = int64_t(text.size());
    CHECK(z->read_at(buf, 4096, end - 7) == 7);
    CHECK(z->read_at(buf, 4096, end) == 0);
    CHECK(z->finished());
    CHECK(z->size() == end);
    CHECK(z->failure().empty());
}

TEST_CASE("matches: the head and the bytes before the offset decide") {
    FollowFixture fx;
    std::string text = numbered("x", 0, 1000);
    fx.write("a.log.1", text);
    compress_file("gzip", fx.path("a.log.1"), ".gz");
    Decompressors tools;
    tools.find("/usr/bin:/bin", nullptr);
    std::string missing, err;
    auto open = [&]() { return open_compressed(fx.path("a.log.1.gz"), tools, 4096, &missing, &err); };
    int64_t at = int64_t(numbered("x", 0, 500).size());
    std::string head = text.substr(0, 32), tail = text.substr(size_t(at) - 32, 32);
    CHECK(matches(open().get(), head, at, tail));
    CHECK(matches(open().get(), head, 0, ""));
    CHECK_FALSE(matches(open().get(), "y 0\n", at, tail));
    CHECK_FALSE(matches(open().get(), head, at + 1, tail));
    CHECK_FALSE(matches(open().get(), head, int64_t(text.size()) + 32, tail));
    // Positioned to read on from the offset.
    std::unique_ptr<Decompressed> z = open();
    REQUIRE(matches(z.get(), head, at, tail));
    char buf[8];
    REQUIRE(z->read_at(buf, 6, at) == 6);
    CHECK(std::string(buf, 6) == "x 500\n");
}

TEST_CASE("open_compressed: a missing tool is named, a corrupt file fails") {
    FollowFixture fx;
    fx.write("a.log.1.xz", "not xz at all\n");
    Decompressors none;
    none.find("/nonexistent", nullptr);
    std::string missing, err;
    CHECK_FALSE(open_compressed(fx.path("a.log.1.xz"), none, 4096, &missing, &err));
    CHECK(missing == "xz");
    fx.write("a.log.1", "plain\n");
    CHECK_FALSE(open_compressed(fx.path("a.log.1"), none, 4096, &missing, &err));
    CHECK(err == fx.path("a.log.1") + ": " + errno_text(EINVAL));
    REQUIRE(symlink(fx.path("a.log.1.xz").c_str(), fx.path("b.log.1.xz").c_str()) == 0);
    Decompressors tools;
    tools.find("/usr/bin:/bin", nullptr);
    missing.clear();
    CHECK_FALSE(open_compressed(fx.path("b.log.1.xz"), tools, 4096, &missing, &err));
    CHECK(missing.empty());  // a link is not followed
    if (!have("xz"))
        return;
    std::unique_ptr<Decompressed> z =
        open_compressed(fx.path("a.log.1.xz"), tools, 4096, &missing, &err);
    REQUIRE(z);
    char buf[64];
    CHECK(z->read_at(buf, sizeof buf, 0) == 0);
    CHECK(z->finished());
    CHECK(z->failure() == "exit status 1");
}

// A Follower saved part way through a file; the file was rotated and
// compressed while "stopped"; a new Follower resumes from the saved state.
TEST_CASE("Follower::resume: a generation compressed while stopped, read from its offset") {
    const char* const kCases[][2] = {
        {"gzip", ".gz"}, {"bzip2", ".bz2"}, {"xz", ".xz"}, {"zstd", ".zst"}, {"compress", ".Z"},
    };
    for (const auto& c : kCases)
    for (bool stop_half_way : {false, true}) {
        if (!have(c[0]))
            continue;
        CAPTURE(c[0]);
        CAPTURE(stop_half_way);
        FollowFixture fx(300);  // batches of a few lines
        Decompressors tools;
        tools.find("/usr/bin:/bin", nullptr);
        fx.ctx.decompressors = &tools;
        fx.write("a.log", numbered("x", 0, 50));
        std::unique_ptr<Follower> f(new Follower(fx.path("a.log"), fx.header, nullptr, true));
        fx.poll_until_idle(f.get());
        std::vector<SavedFile> saved;
        f->save(&saved, {});
        f.reset();
        // Stopped: more lines, rotated, compressed; a new file.
        fx.write("a.log", numbered("x", 50, 3000));
        fx.rename("a.log", "a.log.1");
        compress_file(c[0], fx.path("a.log.1"), c[1]);
        fx.write("a.log", numbered("x", 3000, 3100));
        // An older generation that must not be taken for it.
        fx.write("a.log.2", numbered("old", 0, 100));
        backdate(fx.path("a.log.2"));
        compress_file("gzip", fx.path("a.log.2"), ".gz");

        f.reset(new Follower(fx.path("a.log"), fx.header, nullptr, true));
        f->resume(saved, &fx.ctx, fx.clock);
        if (!stop_half_way) {
            fx.poll_until_idle(f.get(), 500);
        } else {  // stopped again half way through the compressed one, resumed
            fx.transport.mode = RecordingTransport::Mode::part;
            fx.transport.take_next = 3;
            fx.clock += 20;
            f->poll(&fx.ctx, fx.clock);  // x 50..52 only
            std::vector<SavedFile> again;
            f->save(&again, {});
            // The compressed one first (the new file may be pinned behind it,
            // unread), known as the file it was.
            REQUIRE(!again.empty());
            CHECK(again[0].offset == int64_t(numbered("x", 0, 53).size()));
            CHECK(again[0].ino == saved[0].ino);
            CHECK(again[0].head == saved[0].head);
            for (size_t i = 1; i < again.size(); ++i)
                CHECK(again[i].offset == 0);
            f.reset(new Follower(fx.path("a.log"), fx.header, nullptr, true));
            f->resume(again, &fx.ctx, fx.clock);
            fx.poll_until_idle(f.get(), 500);
        }
        CHECK(fx.transport.bodies() == numbered("x", 0, 3100));
        CHECK(FollowFixture::notes().find("compressed while stopped") != std::string::npos);
    }
}

TEST_CASE("Follower::resume: a missing decompressor is warned about once") {
    FollowFixture fx;
    Decompressors none;
    none.find("/nonexistent", nullptr);
    fx.ctx.decompressors = &none;
    fx.write("a.log", numbered("x", 0, 5));
    std::unique_ptr<Follower> f(new Follower(fx.path("a.log"), fx.header, nullptr, true));
    fx.poll_until_idle(f.get());
    std::vector<SavedFile> saved;
    f->save(&saved, {});
    fx.rename("a.log", "a.log.1");
    compress_file("gzip", fx.path("a.log.1"), ".gz");
    fx.write("a.log.2.gz", "x");
    fx.write("a.log", numbered("y", 0, 5));
    f.reset(new Follower(fx.path("a.log"), fx.header, nullptr, true));
    f->resume(saved, &fx.ctx, fx.clock);
    Follower g(fx.path("a.log"), fx.header, nullptr, true);
    g.resume(saved, &fx.ctx, fx.clock);
    std::string want = ": gzip not found on PATH: generations compressed with it are not read\n";
    std::string& notes = FollowFixture::notes();
    size_t at = notes.find(want);
    REQUIRE(at != std::string::npos);
    CHECK(notes.find(want, at + 1) == std::string::npos);
    fx.poll_until_idle(f.get());
    CHECK(fx.transport.bodies() == numbered("x", 0, 5) + numbered("y", 0, 5));
}

}  // namespace t2s

namespace t2s {

TEST_CASE("Follower::resume: a damaged compressed generation is read as far as it goes, and said so") {
    FollowFixture fx;
    Decompressors tools;
    tools.find("/usr/bin:/bin", nullptr);
    fx.ctx.decompressors = &tools;
    fx.write("a.log", numbered("x", 0, 5));
    std::unique_ptr<Follower> f(new Follower(fx.path("a.log"), fx.header, nullptr, true));
    fx.poll_until_idle(f.get());
    std::vector<SavedFile> saved;
    f->save(&saved, {});
    // Lines that compress badly, so that half the file holds many of them.
    std::string more;
    for (int i = 5; i < 20000; ++i)
        more += "x " + std::to_string(i) + " " + std::to_string(i * 7919 % 10007) + "\n";
    fx.write("a.log", more);
    fx.rename("a.log", "a.log.1");
    compress_file("gzip", fx.path("a.log.1"), ".gz");
    struct stat sb;
    REQUIRE(stat(fx.path("a.log.1.gz").c_str(), &sb) == 0);
    REQUIRE(truncate(fx.path("a.log.1.gz").c_str(), sb.st_size / 2) == 0);
    f.reset(new Follower(fx.path("a.log"), fx.header, nullptr, true));
    f->resume(saved, &fx.ctx, fx.clock);
    fx.poll_until_idle(f.get(), 500);
    std::string got = fx.transport.bodies();
    std::string start = numbered("x", 0, 5) + "x 5 ";
    CHECK(got.compare(0, start.size(), start) == 0);
    CHECK(got.size() < numbered("x", 0, 5).size() + more.size());
    CHECK(FollowFixture::notes().find(fx.path("a.log.1.gz") +
                                      ": decompressor failed (exit status 1); lines past "
                                      "what it gave are lost") != std::string::npos);
}

}  // namespace t2s
