// platform -- the one switch for platform extras.  Each extra has a POSIX
// fallback next to its use; make PORTABLE=1 (T2S_PORTABLE) turns all off.
#ifndef T2S_PLATFORM_H
#define T2S_PLATFORM_H

#include <fcntl.h>   // O_PATH, O_SEARCH
#include <unistd.h>  // SEEK_DATA, SEEK_HOLE

#if !T2S_PORTABLE && defined(__linux__)
#define T2S_HAVE_SENDMMSG 1   // sendmmsg(2): many datagrams, one call
#define T2S_HAVE_SIOCOUTQ 1   // ioctl SIOCOUTQ: bytes the peer has not acked
#define T2S_HAVE_QUICKACK 1   // TCP_QUICKACK: acknowledge at once, not 40 ms later
#define T2S_HAVE_CLOSE_RANGE 1  // close_range(2): a child closes fds 3.. at once
#define T2S_HAVE_NO_NEW_PRIVS 1  // prctl PR_SET_NO_NEW_PRIVS after --user
#define T2S_HAVE_SETFSUID 1   // setfsuid(2): another user's file rights, this
                              // thread only, while the rest stays root
#define T2S_HAVE_TCP_SND_WND 1  // TCP_INFO tcpi_snd_wnd: the peer's receive window
#define T2S_HAVE_FIONREAD_PIPE 1  // ioctl FIONREAD on a pipe's write end:
                                  // the bytes its reader has not read
#else
#define T2S_HAVE_SENDMMSG 0
#define T2S_HAVE_SIOCOUTQ 0
#define T2S_HAVE_QUICKACK 0
#define T2S_HAVE_CLOSE_RANGE 0
#define T2S_HAVE_NO_NEW_PRIVS 0
#define T2S_HAVE_SETFSUID 0   // fallback: seteuid(2) and back (saved uid)
#define T2S_HAVE_TCP_SND_WND 0
#define T2S_HAVE_FIONREAD_PIPE 0  // fallback: see transport_logger.cc
#endif

// O_PATH (Linux): a directory descriptor to look up names in, which needs
// search permission only; POSIX O_SEARCH where the libc has it; else a
// directory opened for reading.
#if !T2S_PORTABLE && defined(__linux__) && defined(O_PATH)
#define T2S_O_SEARCH O_PATH
#elif !T2S_PORTABLE && defined(O_SEARCH)
#define T2S_O_SEARCH O_SEARCH
#else
#define T2S_O_SEARCH O_RDONLY
#endif

// SEEK_DATA and SEEK_HOLE (Linux, the BSDs, Solaris, macOS): the holes of
// a sparse file are skipped, not read as NUL bytes.
#if !T2S_PORTABLE && defined(SEEK_DATA) && defined(SEEK_HOLE)
#define T2S_HAVE_SEEK_DATA 1
#else
#define T2S_HAVE_SEEK_DATA 0
#endif

// Landlock (Linux >= 5.13): the kernel bounds which files we may open.
// Built where the headers have it; the kernel is asked at run time.
#if !T2S_PORTABLE && defined(__linux__) && defined(__has_include)
#if __has_include(<linux/landlock.h>)
#define T2S_HAVE_LANDLOCK 1
#endif
#endif
#ifndef T2S_HAVE_LANDLOCK
#define T2S_HAVE_LANDLOCK 0
#endif

// unveil(2) and pledge(2): the same bound on OpenBSD.
#if !T2S_PORTABLE && defined(__OpenBSD__)
#define T2S_HAVE_UNVEIL 1
#else
#define T2S_HAVE_UNVEIL 0
#endif

// regexec(3) on a line in place, without a NUL-terminated copy: glibc, the
// BSDs and macOS have REG_STARTEND; musl does not.
#if !T2S_PORTABLE && defined(REG_STARTEND)
#define T2S_HAVE_REG_STARTEND 1
#else
#define T2S_HAVE_REG_STARTEND 0
#endif

#endif
