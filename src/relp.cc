// relp -- frames, the parser of the server's frames, the window in flight.
#include <string.h>

#include "relp.h"

namespace t2s {

namespace {

const size_t kTxnrDigits = 9;
const size_t kDatalenDigits = 9;
const size_t kCommandMax = 32;

// put_number -- n in decimal at out; returns the end.
char* put_number(uint64_t n, char* out) {
    char tmp[24];
    size_t k = 0;
    do {
        tmp[k++] = char('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (k > 0)
        *out++ = tmp[--k];
    return out;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

uint32_t relp_next_txnr(uint32_t txnr) {
    return txnr >= kRelpTxnrMax ? 1 : txnr + 1;
}

void relp_frame(uint32_t txnr, const char* command, const char* data, size_t len,
                std::vector<char>* out) {
    size_t cmd_len = strlen(command);
    size_t at = out->size();
    out->resize(at + 10 + 1 + cmd_len + 1 + 10 + 1 + len + 1);
    char* p = out->data() + at;
    p = put_number(txnr, p);
    *p++ = ' ';
    memcpy(p, command, cmd_len);
    p += cmd_len;
    *p++ = ' ';
    p = put_number(len, p);
    if (len > 0) {
        *p++ = ' ';
        memcpy(p, data, len);
        p += len;
    }
    *p++ = '\n';
    out->resize(size_t(p - out->data()));
}

std::string relp_open_offers(const char* version) {
    return std::string("relp_version=0\nrelp_software=tail2syslog,") + version +
           "\ncommands=syslog";
}

bool relp_rsp_code(const std::string& data, int* code, std::string* text) {
    if (data.size() < 3 || !is_digit(data[0]) || !is_digit(data[1]) || !is_digit(data[2]))
        return false;
    if (data.size() > 3 && data[3] != ' ' && data[3] != '\n')
        return false;
    *code = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
    std::string::size_type lf = data.find('\n');
    size_t from = data.size() > 3 && data[3] == ' ' ? 4 : 3;
    size_t end = lf == std::string::npos ? data.size() : lf;
    text->assign(data, from < end ? from : end, end > from ? end - from : 0);
    return true;
}

bool relp_offers_command(const std::string& data, const char* command) {
    std::string::size_type line = data.find('\n');
    while (line != std::string::npos) {
        size_t start = line + 1;
        line = data.find('\n', start);
        size_t end = line == std::string::npos ? data.size() : line;
        std::string offer(data, start, end - start);
        if (offer.compare(0, 9, "commands=") != 0)
            continue;
        size_t v = 9;
        while (v <= offer.size()) {
            std::string::size_type comma = offer.find(',', v);
            size_t vend = comma == std::string::npos ? offer.size() : comma;
            if (offer.compare(v, vend - v, command) == 0 && strlen(command) == vend - v)
                return true;
            v = vend + 1;
        }
    }
    return false;
}

RelpParser::Result RelpParser::fail(const char* why, std::string* err) {
    state_ = broken;
    *err = why;
    return error;
}

void RelpParser::reset() {
    state_ = txnr;
    digits_ = 0;
    number_ = 0;
    cur_.command.clear();
    cur_.data.clear();
}

RelpParser::Result RelpParser::feed(const char* p, size_t len, size_t* used,
                                    RelpFrame* out, std::string* err) {
    size_t i = 0;
    *used = 0;
    if (state_ == broken)
        return fail("malformed frame", err);
    while (i < len) {
        char c = p[i];
        switch (state_) {
        case txnr:
        case datalen:
            if (is_digit(c)) {
                if (++digits_ > (state_ == txnr ? kTxnrDigits : kDatalenDigits))
                    return fail(state_ == txnr ? "transaction number too long"
                                               : "data length too long", err);
                number_ = number_ * 10 + uint64_t(c - '0');
                ++i;
                break;
            }
            if (digits_ == 0)
                return fail(state_ == txnr ? "transaction number expected"
                                           : "data length expected", err);
            if (state_ == txnr) {
                if (c != ' ')
                    return fail("space expected after the transaction number", err);
                cur_.txnr = uint32_t(number_);
                cur_.command.clear();
                state_ = command;
                ++i;
                break;
            }
            if (number_ > max_data_)
                return fail("frame too long", err);
            want_ = size_t(number_);
            cur_.data.clear();
            state_ = sp_or_lf;  // this byte decides
            break;
        case command:
            if (is_letter(c)) {
                if (cur_.command.size() >= kCommandMax)
                    return fail("command too long", err);
                cur_.command += c;
                ++i;
                break;
            }
            if (c != ' ' || cur_.command.empty())
                return fail("command expected", err);
            digits_ = 0;
            number_ = 0;
            state_ = datalen;
            ++i;
            break;
        case sp_or_lf:
            if (c == '\n' && want_ == 0) {
                state_ = trailer;
                break;  // the trailer state takes the LF
            }
            if (c != ' ')
                return fail("space expected after the data length", err);
            state_ = want_ > 0 ? data : trailer;
            ++i;
            break;
        case data: {
            size_t n = len - i < want_ ? len - i : want_;
            cur_.data.append(p + i, n);
            i += n;
            want_ -= n;
            if (want_ == 0)
                state_ = trailer;
            break;
        }
        case trailer:
            if (c != '\n')
                return fail("frame does not end in LF", err);
            ++i;
            *used = i;
            std::swap(*out, cur_);
            reset();
            return frame;
        case broken:
            return fail("malformed frame", err);
        }
    }
    *used = i;
    return more;
}

void RelpFlight::start(size_t count) {
    count_ = count;
    done_ = 0;
    next_ = 0;
    answered_.assign(count, 0);
    flying_.clear();
}

bool RelpFlight::next(size_t* msg) const {
    if (next_ >= count_ || flying_.size() >= window_)
        return false;
    *msg = next_;
    return true;
}

void RelpFlight::sent(size_t msg, uint32_t txnr) {
    flying_.push_back(Frame{txnr, msg});
    next_ = msg + 1;
    while (next_ < count_ && answered_[next_])
        ++next_;
}

bool RelpFlight::acked(uint32_t txnr, size_t* msg) {
    for (size_t i = 0; i < flying_.size(); ++i) {
        if (flying_[i].txnr != txnr)
            continue;
        *msg = flying_[i].msg;
        answered_[*msg] = 1;
        flying_.erase(flying_.begin() + long(i));
        while (done_ < count_ && answered_[done_])
            ++done_;
        return true;
    }
    return false;
}

size_t RelpFlight::lost() {
    size_t n = flying_.size();
    flying_.clear();
    next_ = done_;
    while (next_ < count_ && answered_[next_])
        ++next_;
    return n;
}

}  // namespace t2s
