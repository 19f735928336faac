// The Verilator backend: the tickgate core as a Verilated model, clocked in batches on its own thread,
// or stepped synchronously for deterministic tests.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "backend.h"

class VerilatedContext;
class VerilatedFstC;
class Vtickgate_core;

namespace tickgate {

struct SimOptions {
  std::string tracePath;          // FST waveform file; empty for none
  double egressReadyProbability = 1.0;  // chance that the host takes an event record in a cycle
  uint64_t seed = 1;              // for the egress backpressure pattern
  uint32_t batchCycles = 8192;    // cycles run per lock of the model on the clock thread
};

// One turn of a spin-wait: tells the core this thread only waits, without giving up the core.
inline void relaxCpu() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

class SimBackend : public Backend {
 public:
  explicit SimBackend(const SimOptions& options);
  ~SimBackend() override;

  void reset(uint32_t cycles) override;
  uint32_t readReg(uint32_t addr) override;
  void writeReg(uint32_t addr, uint32_t value) override;
  void sendFix(const uint8_t* data, size_t len, bool last) override;
  void sendFeed(const uint8_t* data, size_t len) override;
  void sendOrders(const uint8_t* data, size_t len, bool last) override;
  // Chance that the order egress takes a beat in a cycle.
  void setOrderEgressReady(double probability, uint64_t seed);
  void startEvents(std::function<void(EventBatch&&)> sink) override;
  void close() override;

  // Synchronous mode: runs `cycles` cycles on the caller's thread and returns what left the device.
  EventBatch step(uint64_t cycles);
  void setEgressReady(double probability, uint64_t seed);
  // Gaps in the ingress streams: in each cycle both offer their next beat with this probability.
  void setIngressValid(double probability, uint64_t seed);
  // Threaded mode: false holds the event egress (tready low) and the clock until true again, so a host
  // that stops reading back-pressures the device instead of queueing without bound. Does not wait for the
  // clock thread.
  void setHostReady(bool ready);
  uint64_t cycles();
  size_t ingressQueued();

  // How long calls from the host waited for the model (the clock thread's batch): a count per power of two
  // of nanoseconds (bucket k: [2^k, 2^(k+1)) ns; bucket 0 also 0 ns), and the longest wait.
  static constexpr size_t kWaitBuckets = 40;
  struct HostWaits {
    uint64_t count = 0;
    uint64_t maxNs = 0;
    std::array<uint64_t, kWaitBuckets> buckets{};
  };
  HostWaits hostWaits() const;

  // Bytes queued for one ingress stream; `last` ends the stream (FIX) or the packet (feed) after them.
  struct Chunk {
    std::vector<uint8_t> bytes;
    size_t consumed = 0;
    bool last = false;
  };

 private:
  // Sends never wait for the clock thread: they queue on the host's side (under ingressMutex_, which the
  // clock thread holds only to move chunks across, never while it clocks), and the clock thread takes them
  // before each cycle.
  enum class Stream { Fix, Feed, Orders };
  void enqueue(Stream s, const uint8_t* data, size_t len, bool last);
  void takeHostChunks();           // caller holds mutex_
  void consumeBeat(std::deque<Chunk>& q, size_t bytes);  // caller holds mutex_
  bool ingressWaiting() const {
    return !fix_.empty() || !feed_.empty() || !orders_.empty() || hostQueued_.load();
  }
  // Work for an idle clock thread (a send, a register write, the host ready again, close): it sleeps on
  // idleWake_ until this moves, not on the model's mutex, so no caller takes that mutex to wake it.
  void announceWork();

  void requireOpen() const;
  void writeCoverage();
  void resetLocked(uint32_t cycles);
  void driveAndSettle();           // drives the inputs for this cycle and evaluates with clk low
  void clockEdge();                // takes the handshakes of this cycle, then the rising edge
  void tick();                     // one clock cycle; caller holds mutex_
  bool egressReadyThisCycle();
  bool ingressOfferThisCycle();
  EventBatch takeBatch();          // caller holds mutex_
  void clockLoop();

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vtickgate_core> top_;
  std::unique_ptr<VerilatedFstC> trace_;
  SimOptions options_;

  // The host thread's hold on the model: it says it is waiting, so the clock thread ends its batch within a
  // cycle and does not take the model again before the host has had it (std::mutex is not fair: the clock
  // thread would win it back at once). No call from JavaScript waits for a whole batch.
  class HostLock {
   public:
    explicit HostLock(SimBackend& b) : waiting_(b.hostWaiting_) {
      const auto t0 = std::chrono::steady_clock::now();
      waiting_.fetch_add(1);
      lock_ = std::unique_lock<std::mutex>(b.mutex_, std::defer_lock);
      // The clock thread lets go within a slice (tens of microseconds). A thread asleep in the kernel for
      // that would wait for the scheduler to wake it, which on a loaded machine takes milliseconds: this one
      // stays on its core and takes the model the moment it is free, and sleeps only if the clock thread is
      // held up.
      while (!lock_.try_lock()) {
        if (std::chrono::steady_clock::now() - t0 > kHostSpin) {
          lock_.lock();
          break;
        }
        relaxCpu();
      }
      waiting_.fetch_sub(1);
      b.recordHostWait(uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count()));
    }

   private:
    std::atomic<uint32_t>& waiting_;
    std::unique_lock<std::mutex> lock_;
  };
  void recordHostWait(uint64_t ns);  // caller holds mutex_

  std::mutex mutex_;
  std::atomic<uint32_t> hostWaiting_{0};
  HostWaits hostWaits_;            // guarded by waitsMutex_ (read without the model's mutex)
  mutable std::mutex waitsMutex_;
  // A waiting host gets the model after at most this many cycles (a busy cycle takes 2-5 us: 64 cycles made
  // the 99th percentile of the waits 0.26-0.52 ms, 8 make it under 0.07 ms; bench/addon-waits.ts).
  static constexpr uint32_t kHostSliceCycles = 8;
  static constexpr std::chrono::milliseconds kHostSpin{5};   // how long a waiting host spins before it sleeps
  std::mutex idleMutex_;           // held by the clock thread only to check for work and fall asleep
  std::condition_variable idleWake_;
  std::atomic<uint64_t> work_{0};
  std::deque<Chunk> fix_;          // the clock thread's side of the ingress queues (guarded by mutex_)
  std::deque<Chunk> feed_;
  std::deque<Chunk> orders_;
  std::mutex ingressMutex_;        // the host's side, where sends land
  std::deque<Chunk> hostFix_;
  std::deque<Chunk> hostFeed_;
  std::deque<Chunk> hostOrders_;
  std::atomic<bool> hostQueued_{false};  // the host's side holds chunks (set before sendSerial_ moves)
  std::atomic<size_t> ingressBytes_{0};  // both sides, all streams
  std::atomic<uint64_t> sendSerial_{0};  // sends queued since the device was opened
  EventBatch pending_;
  uint64_t cycle_ = 0;             // cycles since reset was released: the device's cycle counter
  std::atomic<uint64_t> cyclesDone_{0};  // cycle_ as of the last finished cycle, for cycles()
  uint64_t traceTime_ = 0;
  size_t fixBeatBytes_ = 0;
  size_t feedBeatBytes_ = 0;
  size_t orderBeatBytes_ = 0;
  double orderEgressProbability_ = 1.0;
  uint64_t orderRng_ = 1;
  uint64_t rng_ = 1;
  double ingressValidProbability_ = 1.0;
  uint64_t ingressRng_ = 1;
  uint32_t idleCycles_ = 0;

  std::thread clock_;
  std::function<void(EventBatch&&)> sink_;
  // read between cycles without the lock: close() must not wait for the model's mutex, which the clock thread
  // takes again as soon as it lets go of it
  std::atomic<bool> stopping_{false};
  std::atomic<bool> hostReady_{true};
  std::atomic<bool> closed_{false};
};

}  // namespace tickgate
