// follow_test -- classify: what one poll of a followed path found.
#include <doctest/doctest.h>

#include "follow.h"

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

}  // namespace t2s
