#include "card.h"

#include <verilated.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "Vtickgate_u250_top.h"
#include "svdpi.h"

namespace tickgate::emulator {

namespace {

Card* g_card = nullptr;  // the DPI-C functions have no context argument; one card per process

constexpr uint64_t kPerstCycles = 8;         // PERST# held after power-up
constexpr uint64_t kLingerCycles = 1 << 18;  // full speed this long after the host's last request
constexpr uint64_t kQuietBatch = 2048;       // then this many cycles per millisecond: an idle card costs no core
constexpr uint64_t kBatch = 256;             // cycles per hold of the lock
constexpr size_t kMaxPostedWrites = 64;
constexpr auto kHostHold = std::chrono::milliseconds(500);

// Takes a waiting transfer off its queue however the wait ends: a return, or the FUSE loop cancelling the
// thread when the file system goes away (the forced unwind runs this with the lock held again).
template <typename T>
struct Queued {
  std::deque<T*>& queue;
  T* transfer;
  ~Queued() { queue.erase(std::remove(queue.begin(), queue.end(), transfer), queue.end()); }
};

}  // namespace

Card::Card(const CardOptions& options) : options_(options) {
  context_ = std::make_unique<VerilatedContext>();
  top_ = std::make_unique<Vtickgate_u250_top>(context_.get());
  g_card = this;
  top_->pcie_perstn = 0;
  top_->pcie_refclk_p = 0;
  top_->pcie_refclk_n = 1;
  top_->clk_300mhz_p = 0;
  top_->clk_300mhz_n = 1;
  top_->eval();
  nextXdmaEdgePs_ = options_.xdmaHalfPeriodPs;
  nextCoreEdgePs_ = options_.coreHalfPeriodPs;
  clock_ = std::thread([this] { clockLoop(); });
}

Card::~Card() {
  stop();
  top_->final();
  g_card = nullptr;
}

void Card::stop() {
  if (!running_.exchange(false)) return;
  changed_.notify_all();
  if (clock_.joinable()) clock_.join();
}

// One edge of whichever clock is due next (both when they coincide). Clock thread only.
void Card::halfCycle() {
  timePs_ = std::min(nextXdmaEdgePs_, nextCoreEdgePs_);
  if (nextXdmaEdgePs_ == timePs_) {
    top_->pcie_refclk_p = !top_->pcie_refclk_p;
    top_->pcie_refclk_n = !top_->pcie_refclk_p;
    nextXdmaEdgePs_ += options_.xdmaHalfPeriodPs;
    if (top_->pcie_refclk_p) {
      xdmaCycles_++;
      if (xdmaCycles_ == kPerstCycles) top_->pcie_perstn = 1;
    }
  }
  if (nextCoreEdgePs_ == timePs_) {
    top_->clk_300mhz_p = !top_->clk_300mhz_p;
    top_->clk_300mhz_n = !top_->clk_300mhz_p;
    nextCoreEdgePs_ += options_.coreHalfPeriodPs;
  }
  context_->time(timePs_);
  top_->eval();
}

bool Card::hostActive() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!axil_.empty() || axilInFlight_) return true;
  for (const auto& q : h2c_) if (!q.empty()) return true;
  return false;
}

// The model is evaluated without the lock; the DPI-C calls inside take it one at a time.
void Card::clockLoop() {
  while (running_) {
    if (hostActive()) lastActiveCycle_ = xdmaCycles_.load();
    const bool quiet = xdmaCycles_ - lastActiveCycle_ > kLingerCycles;
    if (holdForHost()) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait_for(lock, std::chrono::microseconds(200));
      continue;
    }
    const uint64_t end = xdmaCycles_ + (quiet ? kQuietBatch : kBatch);
    // a batch stops at the cycle where card-to-host data starts waiting for the host (see holdForHost)
    auto stalled = [this] { return !holdExpired_ && (c2hStalled_[0] || c2hStalled_[1]); };
    while (xdmaCycles_ < end && !stalled()) halfCycle();
    if (xdmaCycles_ < end) {  // finish the cycle's second edge, so the clock always stops low
      while (top_->pcie_refclk_p) halfCycle();
    }
    linkUp_ = (top_->led & 1) != 0;  // LED 0: the XDMA's link is up (its reset released)
    changed_.notify_all();
    if (quiet) {
      // a host request wakes the clock at once
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait_for(lock, std::chrono::milliseconds(1), [this] {
        if (!running_ || !axil_.empty()) return true;
        for (const auto& q : h2c_) if (!q.empty()) return true;
        return lastActiveCycle_ == xdmaCycles_;
      });
    }
  }
}

bool Card::waitReady(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  lastActiveCycle_ = xdmaCycles_.load();
  return changed_.wait_for(lock, timeout, [this] { return linkUp_.load(); });
}

template <typename Done>
int Card::waitFor(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout,
                  const Interrupted& interrupted, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (!running_) return -ENODEV;
    if (interrupted && interrupted()) return -EINTR;
    if (std::chrono::steady_clock::now() >= deadline) return -ETIMEDOUT;
    lastActiveCycle_ = xdmaCycles_.load();
    changed_.notify_all();  // wakes a quiet clock
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
  return 0;
}

long Card::h2cWrite(unsigned channel, const uint8_t* data, size_t len, std::chrono::milliseconds timeout,
                    const Interrupted& interrupted) {
  if (len == 0) return 0;
  H2cTransfer t{data, len};
  std::unique_lock<std::mutex> lock(mutex_);
  h2c_[channel].push_back(&t);
  const Queued<H2cTransfer> queued{h2c_[channel], &t};
  changed_.notify_all();
  const int rv = waitFor(lock, timeout, interrupted, [&] { return t.taken == t.len; });
  return rv < 0 ? rv : long(len);
}

long Card::c2hRead(unsigned channel, uint8_t* buf, size_t cap, bool eopFlush, std::chrono::milliseconds timeout,
                   const Interrupted& interrupted) {
  C2hTransfer t{buf, cap, 0, eopFlush};
  std::unique_lock<std::mutex> lock(mutex_);
  auto& held = c2hHeld_[channel];
  if (!held.empty()) {
    const size_t n = std::min(held.size(), cap);
    std::memcpy(buf, held.data(), n);
    held.erase(held.begin(), held.begin() + long(n));
    t.len = n;
    if (t.len == cap || (held.empty() && c2hHeldEop_[channel] && eopFlush)) return long(t.len);
  }
  c2h_[channel].push_back(&t);
  const Queued<C2hTransfer> queued{c2h_[channel], &t};
  c2hStalled_[channel] = false;
  changed_.notify_all();
  const int rv = waitFor(lock, timeout, interrupted, [&] { return t.done; });
  return rv < 0 ? rv : long(t.len);
}

uint32_t Card::regRead(uint32_t addr, std::chrono::milliseconds timeout) {
  auto access = std::make_shared<RegAccess>(RegAccess{false, addr, 0});
  std::unique_lock<std::mutex> lock(mutex_);
  axil_.push_back(access);
  changed_.notify_all();
  if (waitFor(lock, timeout, nullptr, [&] { return access->done; }) < 0) {
    access->abandoned = true;
    return 0xFFFFFFFFu;
  }
  return access->resp == 0 ? access->data : 0xFFFFFFFFu;
}

void Card::regWrite(uint32_t addr, uint32_t value) {
  std::unique_lock<std::mutex> lock(mutex_);
  // posted, but not without bound: a card that stopped answering makes the writer wait like a full queue
  waitFor(lock, std::chrono::milliseconds(1000), nullptr, [&] { return axil_.size() < kMaxPostedWrites; });
  axil_.push_back(std::make_shared<RegAccess>(RegAccess{true, addr, value}));
  changed_.notify_all();
}

void Card::c2hOpened(unsigned channel, bool open) {
  std::lock_guard<std::mutex> lock(mutex_);
  c2hHeld_[channel].clear();
  c2hHeldEop_[channel] = false;
  c2hOpen_[channel] = open;
  c2hStalled_[channel] = false;
}

// True while card-to-host data waits on an open C2H file whose reader has not come back yet: the clock then
// holds, for at most kHostHold per wait. The emulated card runs about a million times slower than a card, so
// a reader thread's turnaround, or its thread descheduled for a moment, is thousands of card cycles; held,
// the card sees a host that reads as fast as a real one, and device-time results (the rate limiter, which
// stalls with its order egress) come out as on a card, whatever the load on the emulating machine. Register
// accesses and host-to-card writes wait meanwhile (a register poll that ran the clock would stall the core).
bool Card::holdForHost() {
  std::lock_guard<std::mutex> lock(mutex_);
  bool waiting = false;
  for (unsigned k = 0; k < kC2hChannels; k++) waiting |= c2hOpen_[k] && c2hWaiting_[k] && c2h_[k].empty();
  if (!waiting) {
    holdSince_.reset();
    holdExpired_ = false;
    return false;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!holdSince_) holdSince_ = now;
  holdExpired_ = now - *holdSince_ >= kHostHold;  // a host that stopped reading: the card back-pressures
  return !holdExpired_;
}

// ---- the XDMA model's side --------------------------------------------------------------------------------

bool Card::h2cNext(unsigned channel, uint8_t beat[kBeatBytes], uint64_t& keep, bool& last) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& q = h2c_[channel];
  if (q.empty()) return false;
  H2cTransfer& t = *q.front();
  const size_t n = std::min(kBeatBytes, t.len - t.taken);
  std::memset(beat, 0, kBeatBytes);
  std::memcpy(beat, t.data + t.taken, n);
  keep = n == 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  t.taken += n;
  last = t.taken == t.len;
  if (last) q.pop_front();
  return true;
}

bool Card::c2hReady(unsigned channel, bool waiting) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto& q = c2h_[channel];
  const bool ready = !q.empty() && q.front()->cap - q.front()->len >= kBeatBytes;
  c2hWaiting_[channel] = waiting && !ready;
  c2hStalled_[channel] = c2hWaiting_[channel] && c2hOpen_[channel] && q.empty();
  return ready;
}

void Card::c2hBeat(unsigned channel, const uint8_t beat[kBeatBytes], uint64_t keep, bool last) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  while (n < kBeatBytes && (keep >> n) & 1) n++;
  auto& q = c2h_[channel];
  if (q.empty() || q.front()->cap - q.front()->len < n) {
    // the read that made the stream ready was given up since: the engine keeps the beat for the next one
    auto& held = c2hHeld_[channel];
    held.insert(held.end(), beat, beat + n);
    c2hHeldEop_[channel] = last;
    return;
  }
  C2hTransfer& t = *q.front();
  std::memcpy(t.buf + t.len, beat, n);
  t.len += n;
  if (t.len == t.cap || (last && t.eopFlush)) {
    t.done = true;
    q.pop_front();
  }
}

bool Card::axilNext(bool& write, uint32_t& addr, uint32_t& data) {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!axil_.empty() && axil_.front()->abandoned) axil_.pop_front();
  if (axilInFlight_ || axil_.empty()) return false;
  axilInFlight_ = axil_.front();
  axil_.pop_front();
  write = axilInFlight_->write;
  addr = axilInFlight_->addr;
  data = axilInFlight_->data;
  return true;
}

void Card::axilDone(uint32_t resp, uint32_t data) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!axilInFlight_) return;
  axilInFlight_->resp = resp;
  axilInFlight_->data = data;
  axilInFlight_->done = true;
  axilInFlight_.reset();
}

}  // namespace tickgate::emulator

// ---- DPI-C: hdl/boards/alveo_u250/model/xdma_0.v ------------------------------------------------------------
using tickgate::emulator::g_card;
using tickgate::emulator::kBeatBytes;

namespace {

void toBytes(const svBitVecVal* v, uint8_t* out, size_t bytes) {
  for (size_t i = 0; i < bytes; i++) out[i] = uint8_t(v[i / 4] >> (8 * (i % 4)));
}

void fromBytes(const uint8_t* in, svBitVecVal* v, size_t bytes) {
  for (size_t w = 0; w < bytes / 4; w++) v[w] = 0;
  for (size_t i = 0; i < bytes; i++) v[i / 4] |= svBitVecVal(in[i]) << (8 * (i % 4));
}

}  // namespace

extern "C" int xdma_h2c_next(int channel, svBitVecVal* data, svBitVecVal* keep, svBit* last) {
  uint8_t beat[kBeatBytes];
  uint64_t k = 0;
  bool l = false;
  if (!g_card || !g_card->h2cNext(unsigned(channel), beat, k, l)) return 0;
  fromBytes(beat, data, kBeatBytes);
  keep[0] = svBitVecVal(k);
  keep[1] = svBitVecVal(k >> 32);
  *last = l;
  return 1;
}

extern "C" int xdma_c2h_ready(int channel, svBit waiting) {
  return g_card && g_card->c2hReady(unsigned(channel), waiting != 0) ? 1 : 0;
}

extern "C" void xdma_c2h_beat(int channel, const svBitVecVal* data, const svBitVecVal* keep, svBit last) {
  if (!g_card) return;
  uint8_t beat[kBeatBytes];
  toBytes(data, beat, kBeatBytes);
  g_card->c2hBeat(unsigned(channel), beat, uint64_t(keep[0]) | uint64_t(keep[1]) << 32, last != 0);
}

extern "C" int xdma_axil_next(svBit* write, svBitVecVal* addr, svBitVecVal* data) {
  bool w = false;
  uint32_t a = 0, d = 0;
  if (!g_card || !g_card->axilNext(w, a, d)) return 0;
  *write = w;
  *addr = a;
  *data = d;
  return 1;
}

extern "C" void xdma_axil_done(const svBitVecVal* resp, const svBitVecVal* data) {
  if (g_card) g_card->axilDone(resp[0] & 3, data[0]);
}
