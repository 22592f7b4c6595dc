// relp_test -- RELP frames, the parser of the server's frames, the window.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "relp.h"

namespace t2s {

namespace {

std::string frame_text(uint32_t txnr, const char* command, const std::string& data) {
    std::vector<char> out;
    relp_frame(txnr, command, data.data(), data.size(), &out);
    return std::string(out.begin(), out.end());
}

// parse_all -- every frame in text fed in pieces of step bytes; stops at
// an error, which goes to *err.
std::vector<RelpFrame> parse_all(const std::string& text, size_t step, std::string* err) {
    RelpParser parser;
    std::vector<RelpFrame> frames;
    size_t at = 0;
    while (at < text.size()) {
        size_t len = text.size() - at < step ? text.size() - at : step;
        size_t off = 0;
        while (off < len) {
            size_t used;
            RelpFrame f;
            RelpParser::Result r = parser.feed(text.data() + at + off, len - off, &used, &f, err);
            if (r == RelpParser::error)
                return frames;
            off += used;
            if (r == RelpParser::frame)
                frames.push_back(f);
        }
        at += len;
    }
    return frames;
}

}  // namespace

TEST_CASE("relp_next_txnr: counts up and wraps to 1") {
    CHECK(relp_next_txnr(1) == 2);
    CHECK(relp_next_txnr(999999998) == 999999999);
    CHECK(relp_next_txnr(999999999) == 1);
}

TEST_CASE("relp_frame: header, data, LF; no data means no SP") {
    CHECK(frame_text(7, "syslog", "<13>hi") == "7 syslog 6 <13>hi\n");
    CHECK(frame_text(12, "close", "") == "12 close 0\n");
    std::vector<char> out;
    relp_frame(1, "a", "x", 1, &out);
    relp_frame(2, "b", "yz", 2, &out);
    CHECK(std::string(out.begin(), out.end()) == "1 a 1 x\n2 b 2 yz\n");
    std::string bin("a\nb\0c", 5);
    CHECK(frame_text(999999999, "syslog", bin) == "999999999 syslog 5 " + bin + "\n");
}

TEST_CASE("relp_open_offers: version 0, our name, the syslog command") {
    CHECK(relp_open_offers("1.2") ==
          "relp_version=0\nrelp_software=tail2syslog,1.2\ncommands=syslog");
}

TEST_CASE("relp_rsp_code: code and text") {
    int code = 0;
    std::string text;
    CHECK(relp_rsp_code("200 OK", &code, &text));
    CHECK(code == 200);
    CHECK(text == "OK");
    CHECK(relp_rsp_code("500 error 7 on connect\nrelp_version=0", &code, &text));
    CHECK(code == 500);
    CHECK(text == "error 7 on connect");
    CHECK(relp_rsp_code("200", &code, &text));
    CHECK(text.empty());
    CHECK(relp_rsp_code("200\nrelp_version=0", &code, &text));
    CHECK(text.empty());
    CHECK_FALSE(relp_rsp_code("", &code, &text));
    CHECK_FALSE(relp_rsp_code("20", &code, &text));
    CHECK_FALSE(relp_rsp_code("2000", &code, &text));
    CHECK_FALSE(relp_rsp_code("OK 200", &code, &text));
}

TEST_CASE("relp_offers_command: finds the command among the values") {
    CHECK(relp_offers_command("200 OK\nrelp_version=0\nrelp_software=x\ncommands=syslog",
                              "syslog"));
    CHECK(relp_offers_command("200 OK\ncommands=foo,syslog,bar", "syslog"));
    CHECK_FALSE(relp_offers_command("200 OK\ncommands=syslogx", "syslog"));
    CHECK_FALSE(relp_offers_command("200 OK\ncommands=", "syslog"));
    CHECK_FALSE(relp_offers_command("200 OK\nrelp_version=0", "syslog"));
    CHECK_FALSE(relp_offers_command("commands=syslog", "syslog"));  // that is the code line
}

TEST_CASE("RelpParser::feed: frames cut anywhere come out whole") {
    std::string text = "1 rsp 93 200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,"
                       "http://librelp.adiscon.com\ncommands=syslog\n"
                       "2 rsp 6 200 OK\n3 rsp 0\n0 serverclose 0\n";
    for (size_t step : {size_t(1), size_t(2), size_t(7), text.size()}) {
        CAPTURE(step);
        std::string err;
        std::vector<RelpFrame> frames = parse_all(text, step, &err);
        CHECK(err.empty());
        REQUIRE(frames.size() == 4);
        CHECK(frames[0].txnr == 1);
        CHECK(frames[0].command == "rsp");
        CHECK(frames[0].data.size() == 93);
        CHECK(frames[1].data == "200 OK");
        CHECK(frames[2].txnr == 3);
        CHECK(frames[2].data.empty());
        CHECK(frames[3].txnr == 0);
        CHECK(frames[3].command == "serverclose");
    }
}

TEST_CASE("RelpParser::feed: DATA may hold LF and any byte") {
    std::string data("a\nb\0\n", 5);
    std::string err;
    std::vector<RelpFrame> frames = parse_all("4 rsp 5 " + data + "\n", 3, &err);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].data == data);
}

TEST_CASE("RelpParser::feed: a frame with zero data may have the SP") {
    std::string err;
    std::vector<RelpFrame> frames = parse_all("5 rsp 0 \n", 1, &err);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].data.empty());
}

TEST_CASE("RelpParser::feed: malformed frames are errors for good") {
    const char* bad[] = {
        "x rsp 0\n",            // no transaction number
        "1rsp 0\n",             // no space
        "1 rsp\n",              // no data length
        "1  rsp 0\n",           // empty command
        "1 rs1 0\n",            // not a letter
        "1 rsp 1 OK\n",         // DATA longer than said
        "1 rsp 2 OK \n",        // DATA longer than said, by a space
        "1 rsp 2OK\n",          // no space before DATA
        "1234567890 rsp 0\n",   // ten-digit transaction number
        "1 rsp 1234567890 x\n", // ten-digit data length
        "1 rsp 70000 x\n",      // over the parser's limit
        "1 abcdefghijklmnopqrstuvwxyzabcdefg 0\n",  // 33 letters
    };
    for (const char* text : bad) {
        CAPTURE(text);
        std::string err;
        RelpParser parser;
        RelpFrame f;
        size_t used;
        std::string s(text);
        RelpParser::Result r = parser.feed(s.data(), s.size(), &used, &f, &err);
        CHECK(r == RelpParser::error);
        CHECK_FALSE(err.empty());
        // Still broken on the next feed, even with a good frame.
        err.clear();
        CHECK(parser.feed("1 rsp 0\n", 8, &used, &f, &err) == RelpParser::error);
        CHECK_FALSE(err.empty());
    }
}

TEST_CASE("RelpParser::reset: a partial frame is forgotten") {
    RelpParser parser;
    RelpFrame f;
    size_t used;
    std::string err;
    CHECK(parser.feed("12 rsp 6 20", 11, &used, &f, &err) == RelpParser::more);
    CHECK(used == 11);
    parser.reset();
    CHECK(parser.feed("3 rsp 6 200 OK\n", 15, &used, &f, &err) == RelpParser::frame);
    CHECK(f.txnr == 3);
    CHECK(f.data == "200 OK");
}

TEST_CASE("RelpFlight::next: no more than the window in flight") {
    RelpFlight flight(3);
    flight.start(5);
    size_t msg;
    for (size_t i = 0; i < 3; ++i) {
        REQUIRE(flight.next(&msg));
        CHECK(msg == i);
        flight.sent(msg, uint32_t(10 + i));
    }
    CHECK_FALSE(flight.next(&msg));
    CHECK(flight.in_flight() == 3);
    CHECK(flight.acked(10, &msg));
    CHECK(msg == 0);
    CHECK(flight.done() == 1);
    REQUIRE(flight.next(&msg));
    CHECK(msg == 3);
}

TEST_CASE("RelpFlight::acked: done counts answered messages from the first") {
    RelpFlight flight(4);
    flight.start(4);
    size_t msg;
    for (uint32_t t = 1; flight.next(&msg); ++t)
        flight.sent(msg, t);
    CHECK(flight.acked(2, &msg));
    CHECK(msg == 1);
    CHECK(flight.done() == 0);  // the first is still open
    CHECK_FALSE(flight.acked(2, &msg));  // twice: unknown
    CHECK_FALSE(flight.acked(9, &msg));
    CHECK(flight.acked(1, &msg));
    CHECK(flight.done() == 2);
    CHECK(flight.acked(4, &msg));
    CHECK(flight.done() == 2);
    CHECK(flight.acked(3, &msg));
    CHECK(flight.done() == 4);
    CHECK(flight.finished());
}

TEST_CASE("RelpFlight::lost: exactly the unanswered messages go again, in order") {
    RelpFlight flight(8);
    flight.start(6);
    size_t msg;
    for (uint32_t t = 1; t <= 5 && flight.next(&msg); ++t)
        flight.sent(msg, t);  // messages 0..4 as 1..5
    CHECK(flight.acked(1, &msg));
    CHECK(flight.acked(3, &msg));  // message 2, out of order
    CHECK(flight.lost() == 3);     // 1, 3 and 4 were in flight
    CHECK(flight.in_flight() == 0);
    CHECK(flight.done() == 1);
    std::vector<size_t> again;
    for (uint32_t t = 1; flight.next(&msg); ++t) {
        again.push_back(msg);
        flight.sent(msg, t);  // new numbers: a new session
    }
    CHECK(again == std::vector<size_t>{1, 3, 4, 5});
    for (uint32_t t = 1; t <= 4; ++t)
        CHECK(flight.acked(t, &msg));
    CHECK(flight.finished());
}

TEST_CASE("RelpFlight::start: an empty batch is finished") {
    RelpFlight flight;
    flight.start(0);
    size_t msg;
    CHECK(flight.finished());
    CHECK_FALSE(flight.next(&msg));
    CHECK(flight.lost() == 0);
}

}  // namespace t2s
