// QuickFIX as the reference engine of the conformance tests: the sessions of the settings file, acceptor or
// initiator, with the application `tickgate session --app echo` has: every application message goes back
// with a new header (PossResend kept), except a PossResend message whose ClOrdID was seen already (Test
// Case 19). The conformance scripts run against this program and against tickgate, and must see the same
// replies. A session with SupportedMsgTypes=<types> in its settings refuses the other application messages
// as unsupported (Test Case 2r), as tickgate's fill application does. Prints "ready" once started; on stdin,
// "logout <TargetCompID>" makes that session log out (Test Case 12) and "order <TargetCompID>" sends it a
// NewOrderSingle, logged on or not (Test Case 16). Runs until stdin closes, SIGTERM or SIGINT.
//   qf-echo <settings file>
#include <quickfix/Application.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>

#include "qf-engine.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t stopRequested = 0;
void onSignal(int) { stopRequested = 1; }

/** Lines from stdin, read on their own thread; stdin's end stops the program. */
class Commands {
 public:
  void start() {
    std::thread([this] {
      std::string line;
      while (std::getline(std::cin, line)) {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(line);
      }
      ended_ = true;
    }).detach();
  }
  bool next(std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (lines_.empty()) return false;
    line = lines_.front();
    lines_.pop_front();
    return true;
  }
  bool ended() const { return ended_; }

 private:
  std::mutex mutex_;
  std::deque<std::string> lines_;
  std::atomic<bool> ended_{false};
};

class Echo : public FIX::Application {
 public:
  explicit Echo(const FIX::SessionSettings& settings) : settings_(settings) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& id)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    const FIX::Dictionary& config = settings_.get(id);
    if (config.has("SupportedMsgTypes")) {
      const std::string supported = "," + config.getString("SupportedMsgTypes") + ",";
      if (supported.find("," + m.getHeader().getField(35) + ",") == std::string::npos) throw FIX::UnsupportedMessageType();
    }
    if (m.isSetField(11)) {
      const std::string clOrdID = m.getField(11);
      const bool possResend = m.getHeader().isSetField(97) && m.getHeader().getField(97) == "Y";
      std::lock_guard<std::mutex> lock(mutex_);
      std::set<std::string>& seen = seen_[id];
      if (possResend && seen.count(clOrdID)) return;
      seen.insert(clOrdID);
    }
    FIX::Message echo(m);
    FIX::Session::sendToTarget(echo, id);
  }

 private:
  const FIX::SessionSettings& settings_;
  std::mutex mutex_;
  std::map<FIX::SessionID, std::set<std::string>> seen_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: qf-echo <settings file>\n");
    return 2;
  }
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);
  try {
    FIX::SessionSettings settings(argv[1]);
    Echo app(settings);
    QuickfixEngine engine(app, settings);
    std::printf("ready\n");
    std::fflush(stdout);
    Commands commands;
    commands.start();
    const std::set<FIX::SessionID> sessions = settings.getSessions();
    while (!stopRequested && !commands.ended()) {
      usleep(10000);
      std::string line;
      while (commands.next(line)) {
        const std::string::size_type space = line.find(' ');
        if (space == std::string::npos) continue;
        const std::string command = line.substr(0, space);
        const std::string target = line.substr(space + 1);
        for (const FIX::SessionID& id : sessions) {
          if (id.getTargetCompID().getValue() != target) continue;
          FIX::Session* session = FIX::Session::lookupSession(id);
          if (!session) continue;
          if (command == "logout") {
            // The tester may send its Logon answer just before this command; QuickFIX drops a Logon that arrives
            // while the session is disabled, so the logout waits for the logon to complete.
            for (int i = 0; i < 600 && !session->isLoggedOn(); i++) usleep(5000);
            session->logout();
          }
          if (command == "order") {
            FIX::Message order;
            order.getHeader().setField(35, "D");
            order.setField(11, "Q");
            order.setField(21, "3");
            order.setField(40, "1");
            order.setField(54, "1");
            order.setField(55, "INTC");
            order.setField(60, "20261203-10:00:00");
            FIX::Session::sendToTarget(order, id);
          }
        }
      }
    }
  } catch (std::exception& e) {
    std::fprintf(stderr, "qf-echo: %s\n", e.what());
    return 1;
  }
  return 0;
}
