// The emulated PCIe card: the Verilated board top (shell, clock crossings, core) clocked on its own thread,
// with the XDMA model's host side (DPI-C calls from hdl/boards/<card>/model/xdma_0.v) served from queues
// that the device files fill. Each call below behaves as the xdma driver's operation on the real card.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class VerilatedContext;
class Vtickgate_u250_top;

namespace tickgate::emulator {

constexpr unsigned kH2cChannels = 3;
constexpr unsigned kC2hChannels = 2;
constexpr size_t kBeatBytes = 64;  // 512-bit streams

struct CardOptions {
  uint32_t xdmaHalfPeriodPs = 2000;  // 250 MHz, the XDMA's axi_aclk at Gen3 x16
  uint32_t coreHalfPeriodPs = 1666;  // 300 MHz oscillator, passed through by the clocking wizard model
};

// Polled while a call waits: true when the caller gave up (the FUSE request was interrupted).
using Interrupted = std::function<bool()>;

class Card {
 public:
  explicit Card(const CardOptions& options);
  ~Card();

  // Runs until the XDMA's reset is released; false if it never is.
  bool waitReady(std::chrono::milliseconds timeout);

  // A host-to-card transfer: the bytes as one packet (tlast on its last beat). Returns the bytes sent,
  // -ETIMEDOUT when the card did not take them in time (the rest is abandoned, like the driver's abort), or
  // -EINTR.
  long h2cWrite(unsigned channel, const uint8_t* data, size_t len, std::chrono::milliseconds timeout,
                const Interrupted& interrupted);
  // A card-to-host transfer into `buf`: returns at the end of a packet when `eopFlush`, else when the buffer
  // is full; -ETIMEDOUT (what arrived is lost, like the driver) or -EINTR.
  long c2hRead(unsigned channel, uint8_t* buf, size_t cap, bool eopFlush, std::chrono::milliseconds timeout,
               const Interrupted& interrupted);
  // A 32-bit read on the user BAR; all ones when the access is refused or never answered (a PCIe completion
  // with an error status, or a completion time-out).
  uint32_t regRead(uint32_t addr, std::chrono::milliseconds timeout);
  // A posted 32-bit write: queued in order with the reads behind it.
  void regWrite(uint32_t addr, uint32_t value);
  // A card-to-host file opened or closed: the engine starts empty, so beats it held for a client that went
  // away are not handed to the next.
  void c2hOpened(unsigned channel, bool open);

  void stop();

  // ---- the XDMA model's side, called from its DPI-C functions on the clock thread; each takes the lock ----
  bool h2cNext(unsigned channel, uint8_t beat[kBeatBytes], uint64_t& keep, bool& last);
  bool c2hReady(unsigned channel, bool waiting);
  void c2hBeat(unsigned channel, const uint8_t beat[kBeatBytes], uint64_t keep, bool last);
  bool axilNext(bool& write, uint32_t& addr, uint32_t& data);
  void axilDone(uint32_t resp, uint32_t data);

 private:
  struct H2cTransfer {
    const uint8_t* data;
    size_t len;
    size_t taken = 0;
    bool abandoned = false;
  };
  struct C2hTransfer {
    uint8_t* buf;
    size_t cap;
    size_t len = 0;
    bool eopFlush;
    bool done = false;
  };
  struct RegAccess {
    bool write;
    uint32_t addr;
    uint32_t data;
    uint32_t resp = 0;
    bool done = false;
    bool abandoned = false;
  };

  template <typename Done>
  int waitFor(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout, const Interrupted& interrupted,
              Done done);
  void clockLoop();
  void halfCycle();
  bool hostActive();
  bool holdForHost();

  CardOptions options_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vtickgate_u250_top> top_;
  uint64_t timePs_ = 0;
  uint64_t nextXdmaEdgePs_ = 0;
  uint64_t nextCoreEdgePs_ = 0;
  std::atomic<uint64_t> xdmaCycles_{0};
  std::atomic<uint64_t> lastActiveCycle_{0};  // the last cycle at which the host asked or waited for something
  std::atomic<bool> linkUp_{false};

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<H2cTransfer*> h2c_[kH2cChannels];
  std::deque<C2hTransfer*> c2h_[kC2hChannels];
  std::vector<uint8_t> c2hHeld_[kC2hChannels];  // beats taken while no read was waiting: they start the next one
  bool c2hHeldEop_[kC2hChannels] = {};
  bool c2hOpen_[kC2hChannels] = {};
  bool c2hWaiting_[kC2hChannels] = {};       // the shell offers a beat that no read takes
  std::atomic<bool> c2hStalled_[kC2hChannels] = {};  // ... on an open file with no read queued: the clock stops
  std::optional<std::chrono::steady_clock::time_point> holdSince_;
  std::atomic<bool> holdExpired_{false};
  std::deque<std::shared_ptr<RegAccess>> axil_;
  std::shared_ptr<RegAccess> axilInFlight_;
  std::atomic<bool> running_{true};
  std::thread clock_;
};

}  // namespace tickgate::emulator
