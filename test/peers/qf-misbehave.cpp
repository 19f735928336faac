// QuickFIX as a counterparty that misbehaves on purpose, through QuickFIX's own API, against a session that
// fills orders (tickgate's fill application). Acceptor or initiator as the settings say. Once logged on it
// runs these steps, each waiting for the answer it must provoke:
//   1. orders in sequence, each filled;
//   2. skips three of its sequence numbers, then an order: the other side asks for the gap, QuickFIX fills
//      it with a SequenceReset-GapFill, the order is filled once;
//   3. a TestRequest: a Heartbeat with its TestReqID;
//   4. an order with a Side out of range, one with an undefined tag: session Rejects 373=5 and 373=0;
//   5. a ResendRequest for everything the other side sent (the replay: fills as PossDup, the rest
//      gap-filled), then a TestRequest answered after it;
//   6. a SequenceReset-Reset moving its own numbers forward by ten, then an order: filled;
//   7. forgets the last five messages it received: QuickFIX asks for them again, gets them (fills among them
//      as PossDup) and then the Heartbeat that showed the gap;
//   8. a last order, then a Logout answered by a Logout.
// Prints one JSON line and exits 0 when every step saw its answer, no order was filled twice and the
// session never dropped; 1 otherwise.
//   qf-misbehave <settings file> <timeout seconds>
#include <quickfix/Application.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>

#include "qf-engine.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

class Misbehaver : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    session_ = id;
    logons_++;
    loggedOn_ = true;
    changed_.notify_all();
  }
  void onLogout(const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    loggedOn_ = false;
    logouts_++;
    changed_.notify_all();
  }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string type = m.getHeader().getField(35);
    if (type == "3") rejectReasons_.push_back(m.isSetField(373) ? m.getField(373) : "-");
    if (type == "0" && m.isSetField(112)) heartbeatIds_.insert(m.getField(112));
    if (type == "4" && m.getHeader().isSetField(43)) gapFillsReceived_++;
    changed_.notify_all();
  }
  void fromApp(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (m.getHeader().getField(35) != "8") return;
    const bool possDup = m.getHeader().isSetField(43) && m.getHeader().getField(43) == "Y";
    if (possDup) possDupFills_++;
    if (m.getField(39) != "2") return;
    const std::string id = m.getField(11);
    const std::string exec = m.getField(17);
    const auto seen = execs_.find(id);
    if (seen == execs_.end()) {
      execs_[id] = exec;
    } else if (seen->second != exec) {
      duplicateFills_++;
    }
    changed_.notify_all();
  }

  /** Waits until `done` holds (checked under the lock) or the deadline passes. */
  bool waitFor(const std::function<bool()>& done, Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_until(lock, deadline, done);
  }

  FIX::Session* session() { return FIX::Session::lookupSession(session_); }

  void send(FIX::Message& m) { FIX::Session::sendToTarget(m, session_); }

  std::string beginString() { return session_.getBeginString().getValue(); }

  FIX::Message order(const std::string& id, const std::string& side = "1") {
    FIX::Message o;
    o.getHeader().setField(35, "D");
    o.setField(11, id);
    o.setField(21, "1");
    o.setField(55, "AAPL");
    o.setField(54, side);
    o.setField(60, FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3));
    o.setField(38, "100");
    o.setField(40, "2");
    o.setField(44, "101.25");
    return o;
  }

  bool filled(const std::string& id) { return execs_.count(id) > 0; }

  std::mutex mutex_;
  std::condition_variable changed_;
  FIX::SessionID session_;
  bool loggedOn_ = false;
  int logons_ = 0;
  int logouts_ = 0;
  int duplicateFills_ = 0;
  int possDupFills_ = 0;
  int gapFillsReceived_ = 0;
  std::vector<std::string> rejectReasons_;
  std::set<std::string> heartbeatIds_;
  std::map<std::string, std::string> execs_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: qf-misbehave <settings file> <timeout seconds>\n");
    return 2;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(std::atoi(argv[2]));
  try {
    FIX::SessionSettings settings(argv[1]);
    Misbehaver app;
    QuickfixEngine engine(app, settings);
    std::printf("ready\n");
    std::fflush(stdout);

    std::vector<std::string> failed;
    auto step = [&](const char* name, const std::function<void()>& act, const std::function<bool()>& done) {
      if (!failed.empty()) return;
      act();
      if (!app.waitFor(done, deadline)) failed.push_back(name);
    };

    if (!app.waitFor([&] { return app.loggedOn_; }, deadline)) failed.push_back("logon");

    step("orders in sequence", [&] {
      for (int n = 1; n <= 5; n++) {
        FIX::Message o = app.order("m-" + std::to_string(n));
        app.send(o);
      }
    }, [&] { for (int n = 1; n <= 5; n++) if (!app.filled("m-" + std::to_string(n))) return false; return true; });

    step("numbers skipped", [&] {
      FIX::Session* s = app.session();
      s->setNextSenderMsgSeqNum(s->getExpectedSenderNum() + 3);
      FIX::Message o = app.order("m-gap");
      app.send(o);
    }, [&] { return app.filled("m-gap"); });

    step("test request", [&] {
      FIX::Message t;
      t.getHeader().setField(35, "1");
      t.setField(112, "probe-1");
      app.send(t);
    }, [&] { return app.heartbeatIds_.count("probe-1") > 0; });

    step("invalid orders", [&] {
      FIX::Message bad = app.order("m-bad-side", "Z");
      app.send(bad);
      FIX::Message undefinedTag = app.order("m-bad-tag");
      undefinedTag.setField(4500, "x");
      app.send(undefinedTag);
    }, [&] { return app.rejectReasons_.size() >= 2; });

    step("resend request", [&] {
      FIX::Message r;
      r.getHeader().setField(35, "2");
      r.setField(7, "1");
      r.setField(16, "0");
      app.send(r);
      // The replay is over when the other side answers a TestRequest sent after it. QuickFIX drops the
      // replayed messages it has already received without telling the application.
      FIX::Message t;
      t.getHeader().setField(35, "1");
      t.setField(112, "after-resend");
      app.send(t);
    }, [&] { return app.heartbeatIds_.count("after-resend") > 0; });

    step("sequence reset", [&] {
      FIX::Session* s = app.session();
      const int next = s->getExpectedSenderNum() + 10;
      FIX::Message reset;
      reset.getHeader().setField(35, "4");
      reset.setField(36, std::to_string(next));
      app.send(reset);
      s->setNextSenderMsgSeqNum(next);
      FIX::Message o = app.order("m-after-reset");
      app.send(o);
    }, [&] { return app.filled("m-after-reset"); });

    step("forgotten messages", [&] {
      FIX::Session* s = app.session();
      s->setNextTargetMsgSeqNum(s->getExpectedTargetNum() - 5);
      FIX::Message t;
      t.getHeader().setField(35, "1");
      t.setField(112, "after-forgetting");
      app.send(t);
    }, [&] { return app.heartbeatIds_.count("after-forgetting") > 0; });

    step("last order", [&] {
      FIX::Message o = app.order("m-last");
      app.send(o);
    }, [&] { return app.filled("m-last"); });

    step("logout", [&] { app.session()->logout("done"); }, [&] { return !app.loggedOn_; });

    std::lock_guard<std::mutex> lock(app.mutex_);
    std::string reasons;
    for (const std::string& r : app.rejectReasons_) reasons += (reasons.empty() ? "\"" : ",\"") + r + "\"";
    std::string failures;
    for (const std::string& f : failed) failures += (failures.empty() ? "\"" : ",\"") + f + "\"";
    const bool ok = failed.empty() && app.duplicateFills_ == 0 && app.logons_ == 1 && app.logouts_ == 1;
    std::printf("{\"ok\":%s,\"failed\":[%s],\"filled\":%zu,\"duplicateFills\":%d,\"possDupFills\":%d,\"gapFillsReceived\":%d,"
                "\"rejectReasons\":[%s],\"logons\":%d,\"logouts\":%d}\n",
                ok ? "true" : "false", failures.c_str(), app.execs_.size(), app.duplicateFills_, app.possDupFills_,
                app.gapFillsReceived_, reasons.c_str(), app.logons_, app.logouts_);
    return ok ? 0 : 1;
  } catch (std::exception& e) {
    std::fprintf(stderr, "qf-misbehave: %s\n", e.what());
    return 2;
  }
}
