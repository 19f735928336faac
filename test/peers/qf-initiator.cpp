// QuickFIX as the initiator against tickgate's acceptor: logs on, sends N limit NewOrderSingles, waits for
// an ExecutionReport that fills each one, logs out. Prints one summary line and exits 0 when every order
// was filled exactly once, 1 otherwise. A fill resent as a PossDup of one already seen (same ExecID) is
// not a second fill; a second ExecID for an order is (duplicateFills).
//   qf-initiator <settings file> <orders> <timeout seconds>
#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/FileLog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <map>
#include <set>
#include <string>
#include <thread>

namespace {

class OrderSender : public FIX::Application {
 public:
  explicit OrderSender(int orders) : orders_(orders) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    session_ = id;
    loggedOn_ = true;
  }
  void onLogout(const FIX::SessionID&) override { loggedOn_ = false; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    if (m.getHeader().getField(35) == "3") rejects_++;
  }
  void fromApp(const FIX::Message& m, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    if (m.getHeader().getField(35) != "8") return;
    if (m.getField(39) != "2") return;
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string id = m.getField(11);
    const std::string exec = m.getField(17);
    const auto seen = execs_.find(id);
    if (seen != execs_.end()) {
      if (seen->second != exec) duplicates_++;
      return;
    }
    execs_[id] = exec;
    if (open_.erase(id)) filled_++;
  }

  void sendAll(const std::string& beginString) {
    for (int i = 1; i <= orders_; i++) {
      FIX::Message order;
      order.getHeader().setField(35, "D");
      const std::string id = "qf-" + std::to_string(i);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        open_.insert(id);
      }
      order.setField(11, id);
      if (beginString == "FIX.4.2") order.setField(21, "1");
      order.setField(55, i % 2 ? "AAPL" : "MSFT");
      order.setField(54, i % 2 ? "1" : "2");
      order.setField(60, FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3));
      order.setField(38, std::to_string(100 + i % 7));
      order.setField(40, "2");
      order.setField(44, std::to_string(100 + i % 13) + ".25");
      FIX::Session::sendToTarget(order, session_);
    }
  }

  std::atomic<bool> loggedOn_{false};
  std::atomic<int> filled_{0};
  std::atomic<int> rejects_{0};
  std::atomic<int> duplicates_{0};
  FIX::SessionID session_;

 private:
  int orders_;
  std::mutex mutex_;
  std::set<std::string> open_;
  std::map<std::string, std::string> execs_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <settings> <orders> <timeout seconds>\n", argv[0]);
    return 2;
  }
  const int orders = std::atoi(argv[2]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[3]));
  try {
    FIX::SessionSettings settings(argv[1]);
    OrderSender app(orders);
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    FIX::SocketInitiator initiator(app, store, settings, log);
    initiator.start();
    while (!app.loggedOn_ && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!app.loggedOn_) {
      std::printf("{\"loggedOn\":false}\n");
      initiator.stop(true);
      return 1;
    }
    const auto started = std::chrono::steady_clock::now();
    app.sendAll(app.session_.getBeginString().getValue());
    while (app.filled_ < orders && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    FIX::Session::lookupSession(app.session_)->logout("done");
    for (int i = 0; i < 200 && app.loggedOn_; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    initiator.stop();
    std::printf("{\"loggedOn\":true,\"orders\":%d,\"filled\":%d,\"duplicateFills\":%d,\"rejects\":%d,\"seconds\":%.6f}\n", orders,
                app.filled_.load(), app.duplicates_.load(), app.rejects_.load(), seconds);
    return app.filled_ == orders && app.rejects_ == 0 && app.duplicates_ == 0 ? 0 : 1;
  } catch (std::exception& e) {
    std::fprintf(stderr, "qf-initiator: %s\n", e.what());
    return 2;
  }
}
