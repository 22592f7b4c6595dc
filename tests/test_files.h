// test_files -- a file helper the unit tests share.
#ifndef T2S_TEST_FILES_H
#define T2S_TEST_FILES_H

#include <stdio.h>

#include <string>

namespace t2s {

// file_bytes -- the whole of the file at path, or missing if it cannot be
// opened.
inline std::string file_bytes(const std::string& path, const std::string& missing = "") {
    FILE* f = fopen(path.c_str(), "rb");
    if (!f)
        return missing;
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    fclose(f);
    return out;
}

}  // namespace t2s

#endif
