// replay -- runs a fuzz target on each file named, without libFuzzer: the
// seed corpus (or a crash libFuzzer saved) becomes a plain test run by
// "make check".  Exit 0 when every file was read; the target aborts on a
// broken invariant.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cstdint>
#include <memory>
#include <string>

#include "fuzz.h"

int main(int argc, char** argv) {
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        FILE* f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "replay: cannot open %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        std::string bytes;
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            bytes.append(buf, n);
        bool failed = ferror(f) != 0;
        fclose(f);
        if (failed) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            status = 1;
            continue;
        }
        // A copy of exactly its size, so that ASan sees a read past the end.
        std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
        memcpy(data.get(), bytes.data(), bytes.size());
        LLVMFuzzerTestOneInput(data.get(), bytes.size());
    }
    return status;
}
