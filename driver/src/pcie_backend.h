// The PCIe backend: a card with the XDMA board shell (hdl/boards/xdma/) through the character devices of
// Xilinx's xdma driver in AXI-Stream mode (or the emulator's files with the same behaviour):
//   <prefix>_user     registers: 4-byte pread/pwrite at the register's byte offset on the user BAR
//   <prefix>_h2c_k    one write() per batch of sub-frames (src/device/xdma-framing.ts), from a writer thread
//   <prefix>_c2h_k    opened with O_TRUNC so a read() returns at the end of each packet; one reader thread each
// The host decides that everything sent is processed from the card's own counters (see idleCheck).
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "backend.h"

namespace tickgate {

struct PcieOptions {
  std::string prefix = "/dev/xdma0";
  uint32_t timeoutMs = 5000;  // a card that makes no progress for this long is reported, never waited on
};

class PcieBackend : public Backend {
 public:
  // Opens the device files, checks the card's identity against the host's layout and resets the core.
  // Throws DeviceError with a one-line reason naming the device.
  explicit PcieBackend(const PcieOptions& options);
  ~PcieBackend() override;

  void reset(uint32_t cycles) override;
  uint32_t readReg(uint32_t addr) override;
  void writeReg(uint32_t addr, uint32_t value) override;
  void sendFix(const uint8_t* data, size_t len, bool last) override;
  void sendFeed(const uint8_t* data, size_t len) override;
  void sendOrders(const uint8_t* data, size_t len, bool last) override;
  // Batches arrive from three threads (records, orders, the writer's idle reports); an EventBatch whose
  // `error` is set ends the device: the card failed and the message says how.
  void startEvents(std::function<void(EventBatch&&)> sink) override;
  void requestIdle() override;
  void close() override;
  size_t ingressQueued();

 private:
  struct Write {
    unsigned channel;
    std::vector<uint8_t> frames;  // whole sub-frames
    size_t payload;               // stream bytes in them
  };

  std::string where() const { return "pcie device " + options_.prefix; }
  [[noreturn]] void fail(const std::string& why) const;
  uint32_t busRead(uint32_t barOffset);
  void busWrite(uint32_t barOffset, uint32_t value);
  uint64_t busRead64(uint32_t lo);
  void checkIdentity();
  void resetCard();
  template <typename Pred>
  void waitUntil(const char* what, Pred pred);
  void enqueue(unsigned channel, const uint8_t* data, size_t len, bool end);
  void writerLoop();
  bool idleCheck(uint64_t serial);
  void recordLoop();
  void orderLoop();
  void report(EventBatch&& batch);
  void reportError(const std::string& why);

  PcieOptions options_;
  int user_ = -1;
  int h2c_[3] = {-1, -1, -1};
  int c2h_[2] = {-1, -1};
  std::mutex busMutex_;  // one register access at a time: a 64-bit counter's LO read latches its HI

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Write> writes_;
  size_t queuedBytes_ = 0;
  uint64_t sendSerial_ = 0;      // sends queued since open
  uint64_t idleSerial_ = 0;      // sends covered by the last idle report
  uint64_t idleWanted_ = 0;      // sends someone waits on (requestIdle): the idle check runs only then; its
                                 // register polls would otherwise share the bus with every send
  uint64_t payloadSent_[3] = {};  // stream bytes written per channel since the last reset
  bool stopping_ = false;
  bool failed_ = false;

  std::atomic<uint32_t> recordsReceived_{0};    // since the last reset, mod 2^32 like EVENTS_OUT
  std::atomic<uint64_t> orderBytesReceived_{0};

  std::function<void(EventBatch&&)> sink_;
  std::mutex sinkMutex_;
  std::thread writer_, records_, orders_;
  std::atomic<bool> writerDone_{false}, recordsDone_{false}, ordersDone_{false};
};

}  // namespace tickgate
