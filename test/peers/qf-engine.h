// A QuickFIX engine for the test peers: acceptor or initiator as the settings' ConnectionType says, with a
// file store and file logs, started on construction and stopped (logging out) on destruction.
#pragma once

#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>

#include <memory>

class QuickfixEngine {
 public:
  QuickfixEngine(FIX::Application& app, const FIX::SessionSettings& settings) : store_(settings), log_(settings) {
    if (settings.get().getString("ConnectionType") == "acceptor") {
      acceptor_.reset(new FIX::SocketAcceptor(app, store_, settings, log_));
      acceptor_->start();
    } else {
      initiator_.reset(new FIX::SocketInitiator(app, store_, settings, log_));
      initiator_->start();
    }
  }
  ~QuickfixEngine() {
    if (acceptor_) acceptor_->stop();
    if (initiator_) initiator_->stop();
  }

 private:
  FIX::FileStoreFactory store_;
  FIX::FileLogFactory log_;
  std::unique_ptr<FIX::Acceptor> acceptor_;
  std::unique_ptr<FIX::Initiator> initiator_;
};
