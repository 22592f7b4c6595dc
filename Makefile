# tail2syslog -- portable Makefile for GNU make and BSD make (bmake).
.POSIX:
.SUFFIXES: .cc .o

VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man

CXX = c++
CXXFLAGS = -O2 -Wall -Wextra -Wpedantic
CPPFLAGS =
LDFLAGS =
LIBS =
# make PORTABLE=1 switches off every platform extra (sendmmsg, SIOCOUTQ, ...).
PORTABLE =
# make SANITIZE=address,undefined builds everything with those sanitizers.
SANITIZE =

T2S_CPPFLAGS = -DT2S_VERSION=\"$(VERSION)\" -DT2S_PORTABLE=0$(PORTABLE)
T2S_SANFLAGS = `test -z "$(SANITIZE)" || echo -fsanitize=$(SANITIZE) -fno-omit-frame-pointer`

LIB_OBJS = src/format.o src/lines.o src/options.o src/priority.o src/sys.o \
	src/transport.o src/transport_socket.o src/transport_logger.o \
	src/follow.o src/state.o src/rules.o \
	src/config.o
MAIN_OBJS = src/main.o
TEST_OBJS = tests/unit_main.o tests/format_test.o tests/lines_test.o \
	tests/options_test.o tests/priority_test.o tests/follow_test.o

all: tail2syslog

tail2syslog: $(LIB_OBJS) $(MAIN_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJS) $(LIB_OBJS) $(LIBS)

tests/unit_tests: $(LIB_OBJS) $(TEST_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(LIB_OBJS) $(LIBS)

.cc.o:
	$(CXX) -std=c++17 $(CXXFLAGS) $(T2S_SANFLAGS) $(CPPFLAGS) $(T2S_CPPFLAGS) -Isrc -c -o $@ $<

$(LIB_OBJS) $(MAIN_OBJS) $(TEST_OBJS): src/*.h Makefile

# Test tools: a log writer that rotates under load.
TOOLS = tests/tools/writer

tests/tools/writer: tests/tools/writer.cc
	$(CXX) -std=c++17 $(CXXFLAGS) $(LDFLAGS) -o $@ tests/tools/writer.cc

check: tail2syslog tests/unit_tests $(TOOLS)
	sh tests/run.sh

lint:
	mandoc -Tlint -Wwarning man/tail2syslog.1

# A fully static binary, libc and the C++ library linked in, stripped; from
# the same objects as tail2syslog, which it leaves alone.
static: tail2syslog.static

tail2syslog.static: $(LIB_OBJS) $(MAIN_OBJS)
	$(CXX) $(CXXFLAGS) $(T2S_SANFLAGS) $(LDFLAGS) -static -o $@ $(MAIN_OBJS) $(LIB_OBJS) $(LIBS)
	strip $@

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

.PHONY: all check lint static install uninstall clean
