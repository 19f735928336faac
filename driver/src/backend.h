// The device interface every backend implements (sim: Verilated core; pcie: XDMA; serial: UART bridge).
// Backends move bytes, registers and records; policy lives in TypeScript.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickgate {

// Set in an orderEnds entry: that frame ended with tuser (its bytes were cut through, then the frame dropped).
constexpr uint32_t kOrderFrameDropped = 0x80000000u;

// A batch of event records as they left the device, with the device cycle at which each left.
struct EventBatch {
  std::vector<uint8_t> records;      // RECORD_BYTES each, little-endian, as on the wire
  std::vector<uint64_t> egressCycle; // one per record
  std::vector<uint8_t> orderOut;     // bytes that left on the order egress
  std::vector<uint32_t> orderEnds;   // for each frame that ended (tlast) in this batch: its end in orderOut,
                                     // | kOrderFrameDropped when the frame ended with tuser (cut through, then dropped)
  size_t ingressQueued = 0;          // bytes still waiting to enter the device after this batch (both streams)
  uint64_t sendSerial = 0;           // sends (both streams) queued before this batch was taken
  bool idle = false;                 // everything those sends carried is processed and its records are here
  std::string error;                 // non-empty: the device failed (pcie: a read, write or time-out); the last batch
};

// An error the caller can act on; the bindings turn it into a JavaScript Error with this message.
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Holds reset for `cycles` cycles; the queues are emptied.
  virtual void reset(uint32_t cycles) = 0;
  virtual uint32_t readReg(uint32_t addr) = 0;
  virtual void writeReg(uint32_t addr, uint32_t value) = 0;
  // Queues bytes for the FIX ingress stream; `last` ends the stream after them (tlast).
  virtual void sendFix(const uint8_t* data, size_t len, bool last) = 0;
  // Queues one UDP payload (a MoldUDP64 packet) for the feed ingress stream; tlast on its last byte.
  virtual void sendFeed(const uint8_t* data, size_t len) = 0;
  // Queues bytes for the order ingress stream (the risk gate's input); `last` ends the stream after them.
  virtual void sendOrders(const uint8_t* data, size_t len, bool last) = 0;
  // Someone waits for everything sent so far to be processed: report it with an idle batch. A backend that
  // knows when it is idle at no cost (the simulator's clock thread) reports without being asked.
  virtual void requestIdle() {}
  // Starts delivering event batches to `sink` from a backend thread.
  virtual void startEvents(std::function<void(EventBatch&&)> sink) = 0;
  // Stops the backend thread and releases the device. Idempotent.
  virtual void close() = 0;
};

}  // namespace tickgate
