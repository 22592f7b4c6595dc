// transport -- picks and opens the destination.
#include <sys/socket.h>
#include <errno.h>

#include "sys.h"
#include "transport.h"

namespace t2s {

namespace {

// Where syslogd listens locally: Linux, the BSDs, macOS.
const char* const kLocalSockets[] = {"/dev/log", "/var/run/log", "/var/run/syslog"};

// open_local -- the first local syslog socket that accepts, datagram sockets
// before stream sockets, as syslog(3) tries them.
std::unique_ptr<Transport> open_local(const Options& o, size_t batch_max, Notify notify,
                                      std::string* err, int* exit_code) {
    int types[2] = {SOCK_DGRAM, SOCK_STREAM};
    for (int type : types) {
        if ((o.dgram_only && type != SOCK_DGRAM) || (o.stream_only && type != SOCK_STREAM))
            continue;
        for (const char* path : kLocalSockets) {
            std::string ignored;
            int ignored_code;
            std::unique_ptr<Transport> t = make_unix_transport(
                path, type, o.octet_count, batch_max, notify, &ignored, &ignored_code);
            if (t)
                return t;
        }
    }
    *err = "no local syslog socket (/dev/log, /var/run/log, /var/run/syslog)";
    *exit_code = kExitUnavailable;
    return nullptr;
}

}  // namespace

std::unique_ptr<Transport> make_transport(const Options& o, size_t batch_max,
                                          Notify notify, std::string* err,
                                          int* exit_code) {
    switch (o.dest) {
    case Dest::stdout_:
        return make_stdout_transport();
    case Dest::logger:
        return make_logger_transport(o, notify, err, exit_code);
    case Dest::udp:
    case Dest::tcp:
        return make_inet_transport(o, batch_max, notify, err, exit_code);
    case Dest::unix_socket: {
        int type = o.dgram_only ? SOCK_DGRAM : o.stream_only ? SOCK_STREAM : 0;
        return make_unix_transport(o.socket_path, type, o.octet_count, batch_max, notify,
                                   err, exit_code);
    }
    case Dest::local:
        break;
    }
    return open_local(o, batch_max, notify, err, exit_code);
}

}  // namespace t2s
