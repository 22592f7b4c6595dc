// child -- fork and exec with nothing of ours leaking into the child.
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "platform.h"

#if T2S_HAVE_CLOSE_RANGE
#include <sys/syscall.h>
#ifndef SYS_close_range
#define SYS_close_range 436  // the same number on every Linux architecture
#endif
#endif

namespace t2s {

namespace {

const char kChildPath[] = "/usr/bin:/bin";

bool is_program(const std::string& path) {
    struct stat sb;
    return stat(path.c_str(), &sb) == 0 && S_ISREG(sb.st_mode) &&
           access(path.c_str(), X_OK) == 0;
}

// close_above_2 -- closes every descriptor from 3 up.
void close_above_2() {
#if T2S_HAVE_CLOSE_RANGE
    if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
        return;  // else a kernel older than 5.9: one by one
#endif
    struct rlimit rl;
    long max = sysconf(_SC_OPEN_MAX);
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        long(rl.rlim_cur) > max)
        max = long(rl.rlim_cur);
    if (max < 0)
        max = 1024;
    for (long fd = 3; fd < max; ++fd)
        close(int(fd));
}

// above_2 -- fd, or a copy of it numbered 3 or more (a copy does not close
// on exec); -1 when fd is -1 or no copy can be made.
int above_2(int fd) {
    if (fd < 0 || fd > 2)
        return fd;
    return fcntl(fd, F_DUPFD, 3);
}

// say_and_exit -- in the child: "tail2syslog: what: why" on stderr, exit 127.
[[noreturn]] void say_and_exit(const char* what, int err) {
    const char* why = strerror(err);
    const char* parts[] = {"tail2syslog: ", what, ": ", why, "\n"};
    for (const char* p : parts)
        if (write(STDERR_FILENO, p, strlen(p)) < 0)
            break;
    _exit(127);
}

// become -- in the child: takes on id's user, group and groups, for good.
void become(const Identity& id) {
    if (initgroups(id.name.c_str(), id.gid) < 0 && setgroups(1, &id.gid) < 0)
        say_and_exit("setgroups", errno);
    if (setgid(id.gid) < 0)
        say_and_exit("setgid", errno);
    if (setuid(id.uid) < 0)
        say_and_exit("setuid", errno);
    if (id.uid != 0 && setuid(0) == 0)
        say_and_exit("setuid", EPERM);  // must be impossible now
}

// in_child -- after fork: the descriptors, signals and identity, then exec.
// in/out are the child's ends of its pipes, or -1.
[[noreturn]] void in_child(const ChildSpec& spec, int in, int out, char* const* argv,
                           char* const* envp) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // Handlers are reset by exec, but what we ignore (SIGPIPE) would stay
    // ignored: a child writing to a closed pipe would not die of it.
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    int null_fd = above_2(open("/dev/null", O_RDWR));
    // Our fd 0, 1 or 2 may have been closed at start, so that a pipe end
    // took its number: move every source above 2 before dup2 onto 0 and 1.
    in = above_2(in < 0 ? null_fd : in);
    out = above_2(out < 0 ? null_fd : out);
    if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
        say_and_exit("dup2", errno);
    // Our stderr, unless closed (or a descriptor of ours that took its number
    // and closes on exec).
    int err_flags = fcntl(STDERR_FILENO, F_GETFD);
    if ((err_flags < 0 || (err_flags & FD_CLOEXEC)) && null_fd >= 0)
        dup2(null_fd, STDERR_FILENO);
    close_above_2();
    if (spec.identity && geteuid() == 0)
        become(*spec.identity);
    execve(spec.program.c_str(), argv, envp);
    say_and_exit(spec.program.c_str(), errno);
}

// make_pipe -- a pipe whose ends both close on exec.
bool make_pipe(int fds[2], std::string* err) {
    if (pipe(fds) < 0) {
        *err = "pipe: " + errno_text(errno);
        return false;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return true;
}

std::vector<char*> pointers(std::vector<std::string>* strings) {
    std::vector<char*> v;
    for (std::string& s : *strings)
        v.push_back(&s[0]);
    v.push_back(nullptr);
    return v;
}

}  // namespace

bool resolve_program(const std::string& name, const char* dirs, std::string* path,
                     std::string* err) {
    if (name.find('/') != std::string::npos) {
        *path = name;
        char cwd[4096];
        if (name[0] != '/' && getcwd(cwd, sizeof cwd))
            *path = std::string(cwd) + "/" + name;
        if (is_program(*path))
            return true;
        *err = name + ": not an executable file";
        return false;
    }
    std::string list = dirs ? dirs : kChildPath;
    std::string::size_type start = 0;
    for (;;) {
        std::string::size_type colon = list.find(':', start);
        std::string dir = list.substr(start, colon == std::string::npos ? colon : colon - start);
        if (!dir.empty() && dir[0] == '/' && is_program(dir + "/" + name)) {
            *path = dir + "/" + name;
            return true;
        }
        if (colon == std::string::npos)
            break;
        start = colon + 1;
    }
    *err = name + ": not found in the absolute directories of PATH";
    return false;
}

bool lookup_identity(const std::string& name, Identity* id, std::string* err) {
    struct passwd* pw = getpwnam(name.c_str());
    if (!pw) {
        *err = "unknown user " + name;
        return false;
    }
    id->name = pw->pw_name;
    id->uid = pw->pw_uid;
    id->gid = pw->pw_gid;
    return true;
}

std::vector<std::string> child_environment() {
    std::vector<std::string> env = {std::string("PATH=") + kChildPath, "LC_ALL=C"};
    const char* tz = getenv("TZ");
    if (tz)
        env.push_back(std::string("TZ=") + tz);
    return env;
}

bool spawn_child(const ChildSpec& spec, Child* child, std::string* err) {
    std::vector<std::string> args = spec.argv, env = child_environment();
    std::vector<char*> argv = pointers(&args), envp = pointers(&env);
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (spec.stdin_pipe && !make_pipe(in, err))
        return false;
    if (spec.stdout_pipe && !make_pipe(out, err)) {
        if (in[0] >= 0) {
            close(in[0]);
            close(in[1]);
        }
        return false;
    }
    pid_t pid = fork();
    if (pid == 0)
        in_child(spec, spec.stdin_pipe ? in[0] : spec.stdin_fd, out[1], argv.data(), envp.data());
    int fork_errno = errno;
    for (int fd : {in[0], out[1]})
        if (fd >= 0)
            close(fd);
    Fd to(in[1]), from(out[0]);
    if (pid < 0) {
        *err = "fork: " + errno_text(fork_errno);
        return false;
    }
    child->pid = pid;
    child->to_child = std::move(to);
    child->from_child = std::move(from);
    return true;
}

}  // namespace t2s
