# tail2syslog -- portable Makefile for GNU make and BSD make (bmake).
.POSIX:
.SUFFIXES: .cc .o .fo

VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man

CXX = c++
STRIP = strip
CXXFLAGS = -O2 -Wall -Wextra -Wpedantic
CPPFLAGS =
LDFLAGS =
LIBS =
# make PORTABLE=1 switches off every platform extra (sendmmsg, SIOCOUTQ, ...).
PORTABLE =
# make SANITIZE=address,undefined builds everything with those sanitizers;
# any report is fatal (no recovery), so a test that ran into one fails.
SANITIZE =

# 64-bit file offsets and time_t on every build, also on 32-bit targets:
# without them a file past 2 GiB cannot even be stat(2)ed (EOVERFLOW) and
# time_t ends in 2038.  _TIME_BITS=64 needs _FILE_OFFSET_BITS=64; glibc
# before 2.34, musl, the BSDs and macOS ignore it (their time_t is 64-bit or
# stays as it is), and on 64-bit targets both are no-ops.
T2S_LFS = -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
T2S_CPPFLAGS = $(T2S_LFS) -DT2S_VERSION=\"$(VERSION)\" -DT2S_PORTABLE=0$(PORTABLE)
T2S_SANFLAGS = `test -z "$(SANITIZE)" || echo -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer`
# The C++ runtime goes into the binary: it then runs on a box whose
# libstdc++ is older, and its resident memory is a megabyte smaller.  Not
# with sanitizers, whose runtimes want the shared one.
T2S_LINKFLAGS = `test -n "$(SANITIZE)" || echo -static-libstdc++ -static-libgcc`

LIB_OBJS = src/decompress.o src/format.o src/lines.o src/options.o src/priority.o src/sys.o src/relp.o \
	src/transport.o src/transport_dgram.o src/transport_stream.o \
	src/transport_logger.o src/transport_relp.o src/child.o src/sockets.o src/resend.o \
	src/pipe_book.o \
	src/follow.o src/follow_set.o src/pace.o src/state.o src/rules.o \
	src/config.o src/confine.o src/records.o src/rate.o src/daemon.o src/selflog.o src/open_safe.o
MAIN_OBJS = src/main.o
TEST_OBJS = tests/unit_main.o tests/format_test.o tests/lines_test.o \
	tests/options_test.o tests/priority_test.o tests/follow_test.o \
	tests/confine_test.o tests/follow_set_test.o tests/relp_test.o \
	tests/child_test.o tests/rules_test.o tests/resend_test.o tests/records_test.o \
	tests/rate_test.o tests/daemon_test.o tests/selflog_test.o tests/config_test.o \
	tests/pace_test.o tests/open_safe_test.o tests/decompress_test.o tests/state_test.o \
	tests/pipe_book_test.o

all: tail2syslog

tail2syslog: $(LIB_OBJS) $(MAIN_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) $(T2S_LINKFLAGS) -o $@ $(MAIN_OBJS) \
		$(LIB_OBJS) $(LIBS)

tests/unit_tests: $(LIB_OBJS) $(TEST_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(LIB_OBJS) $(LIBS)

.cc.o:
	$(CXX) -std=c++17 $(CXXFLAGS) $(T2S_SANFLAGS) $(CPPFLAGS) $(T2S_CPPFLAGS) -Isrc -c -o $@ $<

$(LIB_OBJS) $(MAIN_OBJS) $(TEST_OBJS): src/*.h Makefile
$(TEST_OBJS): tests/recording_transport.h tests/follow_fixture.h tests/test_files.h

# Fuzzing (issue 6).  Each parser has a libFuzzer target in tests/fuzz/ and
# a seed corpus in tests/fuzz/corpus/NAME/.  "make check" replays the seeds
# through each target built with $(CXX) and tests/fuzz/replay.cc, no
# libFuzzer needed (tests/t_fuzz_replay.sh).  "make fuzz" builds the
# targets with clang and runs each for FUZZ_SECONDS; the issue asks ten
# minutes each before a release: nice make fuzz FUZZ_SECONDS=600.  What
# they find goes to tests/fuzz/work/ (a crash: tests/fuzz/work/NAME-crash-*;
# replay it with tests/fuzz/replay_NAME FILE, or tests/fuzz/fuzz_NAME FILE).
# Their objects end in .fo, so they never mix with the .o of the build.
FUZZ_CXX = clang++
FUZZ_CXXFLAGS = -g -O1 -Wall -Wextra -Wpedantic
FUZZ_SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_SECONDS = 60
FUZZ_LIB_OBJS = src/config.fo src/format.fo src/lines.fo src/options.fo \
	src/priority.fo src/relp.fo src/rules.fo src/state.fo src/sys.fo src/records.fo
FUZZ_OBJS = tests/fuzz/fuzz_config.fo tests/fuzz/fuzz_format.fo \
	tests/fuzz/fuzz_lines.fo tests/fuzz/fuzz_options.fo tests/fuzz/fuzz_state.fo \
	tests/fuzz/fuzz_relp.fo
FUZZ_TARGETS = tests/fuzz/fuzz_config tests/fuzz/fuzz_format \
	tests/fuzz/fuzz_lines tests/fuzz/fuzz_options tests/fuzz/fuzz_state \
	tests/fuzz/fuzz_relp
REPLAY_OBJS = tests/fuzz/replay.o tests/fuzz/fuzz_config.o tests/fuzz/fuzz_format.o \
	tests/fuzz/fuzz_lines.o tests/fuzz/fuzz_options.o tests/fuzz/fuzz_state.o \
	tests/fuzz/fuzz_relp.o
FUZZ_REPLAYS = tests/fuzz/replay_config tests/fuzz/replay_format \
	tests/fuzz/replay_lines tests/fuzz/replay_options tests/fuzz/replay_state \
	tests/fuzz/replay_relp

.cc.fo:
	$(FUZZ_CXX) -std=c++17 $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SANFLAGS) \
		$(CPPFLAGS) $(T2S_CPPFLAGS) -Isrc -c -o $@ $<

$(FUZZ_LIB_OBJS) $(FUZZ_OBJS) $(REPLAY_OBJS): src/*.h tests/fuzz/fuzz.h Makefile

tests/fuzz/fuzz_config: tests/fuzz/fuzz_config.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_config.fo $(FUZZ_LIB_OBJS)

tests/fuzz/fuzz_format: tests/fuzz/fuzz_format.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_format.fo $(FUZZ_LIB_OBJS)

tests/fuzz/fuzz_lines: tests/fuzz/fuzz_lines.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_lines.fo $(FUZZ_LIB_OBJS)

tests/fuzz/fuzz_options: tests/fuzz/fuzz_options.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_options.fo $(FUZZ_LIB_OBJS)

tests/fuzz/fuzz_state: tests/fuzz/fuzz_state.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_state.fo $(FUZZ_LIB_OBJS)

tests/fuzz/fuzz_relp: tests/fuzz/fuzz_relp.fo $(FUZZ_LIB_OBJS)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SANFLAGS) -o $@ \
		tests/fuzz/fuzz_relp.fo $(FUZZ_LIB_OBJS)

tests/fuzz/replay_config: tests/fuzz/replay.o tests/fuzz/fuzz_config.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_config.o $(LIB_OBJS) $(LIBS)

tests/fuzz/replay_format: tests/fuzz/replay.o tests/fuzz/fuzz_format.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_format.o $(LIB_OBJS) $(LIBS)

tests/fuzz/replay_lines: tests/fuzz/replay.o tests/fuzz/fuzz_lines.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_lines.o $(LIB_OBJS) $(LIBS)

tests/fuzz/replay_options: tests/fuzz/replay.o tests/fuzz/fuzz_options.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_options.o $(LIB_OBJS) $(LIBS)

tests/fuzz/replay_state: tests/fuzz/replay.o tests/fuzz/fuzz_state.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_state.o $(LIB_OBJS) $(LIBS)

tests/fuzz/replay_relp: tests/fuzz/replay.o tests/fuzz/fuzz_relp.o $(LIB_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.o \
		tests/fuzz/fuzz_relp.o $(LIB_OBJS) $(LIBS)

# fuzz -- each target in turn, on a copy of its seeds in tests/fuzz/work/
# NAME (the seeds stay small); a dictionary tests/fuzz/NAME.dict if any.
fuzz: $(FUZZ_TARGETS)
	for t in config format lines options state relp; do \
		mkdir -p tests/fuzz/work/$$t || exit 1; \
		dict=; test ! -f tests/fuzz/$$t.dict || dict=-dict=tests/fuzz/$$t.dict; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-artifact_prefix=tests/fuzz/work/$$t- $$dict \
			tests/fuzz/work/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# Test tools: a log writer that rotates under load.
TOOLS = tests/tools/writer tests/tools/peer

tests/tools/writer: tests/tools/writer.cc
	$(CXX) -std=c++17 $(CXXFLAGS) $(CPPFLAGS) $(T2S_LFS) $(LDFLAGS) -o $@ tests/tools/writer.cc

tests/tools/peer: tests/tools/peer.cc
	$(CXX) -std=c++17 $(CXXFLAGS) $(CPPFLAGS) $(T2S_LFS) $(LDFLAGS) -o $@ tests/tools/peer.cc

check: tail2syslog tests/unit_tests $(TOOLS) $(FUZZ_REPLAYS)
	PORTABLE=$(PORTABLE) sh tests/run.sh

lint:
	mandoc -Tlint -Wwarning man/tail2syslog.1

# bench -- tail2syslog against tail -F | logger and rsyslog, on loopback;
# about 8 minutes (BENCH_QUICK=1, BENCH_REPEAT=1: shorter); then --relp
# against plain TCP to an rsyslogd that confirms only what it wrote, about
# a minute.  Not a test.
bench: tail2syslog
	CXX="$(CXX)" sh tests/bench/run.sh
	sh tests/bench/relp.sh

# A fully static binary, libc and the C++ library linked in, stripped; from
# the same objects as tail2syslog, which it leaves alone.  For another
# architecture name its compiler and strip (README, Portability):
#   make static CXX=aarch64-linux-gnu-g++ STRIP=aarch64-linux-gnu-strip
static: tail2syslog.static

tail2syslog.static: $(LIB_OBJS) $(MAIN_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -static -o $@ $(MAIN_OBJS) $(LIB_OBJS) $(LIBS)
	$(STRIP) $@

# The file is removed before it is copied, so that a running copy is not
# written to (ETXTBSY) but keeps its own.
install: tail2syslog
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	rm -f $(DESTDIR)$(PREFIX)/bin/tail2syslog
	cp tail2syslog $(DESTDIR)$(PREFIX)/bin/tail2syslog
	chmod 755 $(DESTDIR)$(PREFIX)/bin/tail2syslog
	cp man/tail2syslog.1 $(DESTDIR)$(MANPREFIX)/man1/tail2syslog.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/tail2syslog.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tail2syslog $(DESTDIR)$(MANPREFIX)/man1/tail2syslog.1

clean:
	rm -f tail2syslog tail2syslog.static tests/unit_tests src/*.o tests/*.o $(TOOLS)
	rm -f src/*.fo tests/fuzz/*.fo tests/fuzz/*.o $(FUZZ_TARGETS) $(FUZZ_REPLAYS)
	rm -rf tests/fuzz/work

.PHONY: all check lint bench static install uninstall clean fuzz
