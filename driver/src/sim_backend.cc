#include "sim_backend.h"

#include <verilated.h>
#include <verilated_fst_c.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "Vtickgate_core.h"
#include "tickgate_layout.h"
#include "reg_access.h"

namespace tickgate {
namespace {

constexpr uint32_t kDrainCycles = 32;       // idle cycles clocked after the last activity
constexpr uint32_t kBusTimeoutCycles = 256; // an AXI-Lite access that takes longer is a device fault
constexpr size_t kBeatBytes = 8;
constexpr uint8_t kRespSlverr = 2;

}  // namespace

SimBackend::SimBackend(const SimOptions& options) : options_(options) {
  if (!(options.egressReadyProbability > 0.0 && options.egressReadyProbability <= 1.0)) {
    throw DeviceError("egressReadyProbability must be in (0, 1]");
  }
  if (options.batchCycles == 0) throw DeviceError("batchCycles must be at least 1");
  rng_ = options.seed ? options.seed : 1;
  context_ = std::make_unique<VerilatedContext>();
  context_->debug(0);
  context_->randReset(0);
  if (!options_.tracePath.empty()) context_->traceEverOn(true);
  top_ = std::make_unique<Vtickgate_core>(context_.get(), "tickgate_core");
  if (!options_.tracePath.empty()) {
    trace_ = std::make_unique<VerilatedFstC>();
    top_->trace(trace_.get(), 99);
    trace_->open(options_.tracePath.c_str());
    if (!trace_->isOpen()) throw DeviceError("cannot open trace file " + options_.tracePath);
  }
  idleCycles_ = kDrainCycles;
  std::lock_guard<std::mutex> lock(mutex_);
  resetLocked(4);
}

SimBackend::~SimBackend() { close(); }

void SimBackend::requireOpen() const {
  if (closed_) throw DeviceError("device is closed");
}

// xorshift64*: cheap, deterministic for a given seed; true with probability p
static bool chance(uint64_t& state, double p) {
  if (p >= 1.0) return true;
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  uint64_t r = state * 0x2545F4914F6CDD1DULL;
  return static_cast<double>(r >> 11) * (1.0 / 9007199254740992.0) < p;
}

bool SimBackend::egressReadyThisCycle() { return chance(rng_, options_.egressReadyProbability); }

bool SimBackend::ingressOfferThisCycle() { return chance(ingressRng_, ingressValidProbability_); }

// The next beat of an ingress queue (at most kBeatBytes of its front chunk; tlast on a `last` chunk's end).
struct Beat {
  bool valid = false;
  uint64_t data = 0;
  uint8_t keep = 0;
  bool last = false;
  size_t bytes = 0;
};

// With `pack`, a beat gathers the bytes of several queued chunks of the same stream, so the stream is sent
// 8 bytes a beat however the host cut it (the order path's timeline counts beats).
static Beat nextBeat(const std::deque<SimBackend::Chunk>& q, bool pack = false) {
  Beat b;
  for (const SimBackend::Chunk& c : q) {
    const size_t n = std::min(kBeatBytes - b.bytes, c.bytes.size() - c.consumed);
    for (size_t i = 0; i < n; i++) b.data |= uint64_t(c.bytes[c.consumed + i]) << (8 * (b.bytes + i));
    b.bytes += n;
    b.valid = true;
    b.last = c.last && c.consumed + n == c.bytes.size();
    if (!pack || b.last || b.bytes == kBeatBytes) break;
  }
  b.keep = static_cast<uint8_t>((1u << b.bytes) - 1);
  return b;
}

void SimBackend::consumeBeat(std::deque<Chunk>& q, size_t bytes) {
  ingressBytes_ -= bytes;
  do {
    Chunk& c = q.front();
    const size_t n = std::min(bytes, c.bytes.size() - c.consumed);
    c.consumed += n;
    bytes -= n;
    if (c.consumed == c.bytes.size()) q.pop_front();
  } while (bytes > 0);
}

// Drives one AXI-Stream ingress port of the model with a beat (or nothing); returns the beat's bytes.
template <typename Data, typename Keep, typename Flag>
static size_t driveBeat(const Beat& b, Data& tdata, Keep& tkeep, Flag& tvalid, Flag& tlast) {
  tdata = b.data;
  tkeep = b.keep;
  tvalid = b.valid;
  tlast = b.last;
  return b.bytes;
}

void SimBackend::driveAndSettle() {
  Vtickgate_core* t = top_.get();
  const bool offer = ingressOfferThisCycle();
  fixBeatBytes_ = driveBeat(offer ? nextBeat(fix_) : Beat{}, t->s_axis_fix_tdata, t->s_axis_fix_tkeep,
                            t->s_axis_fix_tvalid, t->s_axis_fix_tlast);
  feedBeatBytes_ = driveBeat(offer ? nextBeat(feed_) : Beat{}, t->s_axis_feed_tdata, t->s_axis_feed_tkeep,
                             t->s_axis_feed_tvalid, t->s_axis_feed_tlast);
  orderBeatBytes_ = driveBeat(offer ? nextBeat(orders_, true) : Beat{}, t->s_axis_order_tdata, t->s_axis_order_tkeep,
                              t->s_axis_order_tvalid, t->s_axis_order_tlast);
  t->m_axis_order_tready = chance(orderRng_, orderEgressProbability_);
  t->m_axis_event_tready = egressReadyThisCycle();
  t->clk = 0;
  t->eval();
  if (trace_) trace_->dump(2 * traceTime_);
}

void SimBackend::clockEdge() {
  Vtickgate_core* t = top_.get();
  const bool fixFire = t->s_axis_fix_tvalid && t->s_axis_fix_tready;
  const bool feedFire = t->s_axis_feed_tvalid && t->s_axis_feed_tready;
  const bool outFire = t->m_axis_event_tvalid && t->m_axis_event_tready;
  const bool orderFire = t->s_axis_order_tvalid && t->s_axis_order_tready;
  const bool orderOutFire = t->m_axis_order_tvalid && t->m_axis_order_tready;
  if (orderOutFire) {
    const uint64_t data = t->m_axis_order_tdata;
    for (size_t i = 0; i < kBeatBytes; i++) {
      if (t->m_axis_order_tkeep & (1u << i)) pending_.orderOut.push_back(uint8_t(data >> (8 * i)));
    }
    if (t->m_axis_order_tlast) {
      const uint32_t dropped = t->m_axis_order_tuser ? kOrderFrameDropped : 0u;
      pending_.orderEnds.push_back(uint32_t(pending_.orderOut.size()) | dropped);
    }
  }
  if (outFire) {
    size_t at = pending_.records.size();
    pending_.records.resize(at + layout::RECORD_BYTES);
    for (size_t w = 0; w < layout::RECORD_BYTES / 4; w++) {
      uint32_t word = t->m_axis_event_tdata[w];
      for (size_t b = 0; b < 4; b++) pending_.records[at + 4 * w + b] = uint8_t(word >> (8 * b));
    }
    pending_.egressCycle.push_back(cycle_);
  }
  const bool busy = fixFire || feedFire || orderFire || t->m_axis_event_tvalid || t->m_axis_order_tvalid;
  t->clk = 1;
  t->eval();
  if (trace_) trace_->dump(2 * traceTime_ + 1);
  traceTime_++;
  cycle_++;
  cyclesDone_.store(cycle_, std::memory_order_relaxed);
  if (fixFire) consumeBeat(fix_, fixBeatBytes_);
  if (feedFire) consumeBeat(feed_, feedBeatBytes_);
  if (orderFire) consumeBeat(orders_, orderBeatBytes_);
  idleCycles_ = busy ? 0 : (idleCycles_ < kDrainCycles ? idleCycles_ + 1 : kDrainCycles);
}

void SimBackend::takeHostChunks() {
  std::lock_guard<std::mutex> lock(ingressMutex_);
  const auto move = [](std::deque<Chunk>& from, std::deque<Chunk>& to) {
    for (Chunk& c : from) to.push_back(std::move(c));
    from.clear();
  };
  move(hostFix_, fix_);
  move(hostFeed_, feed_);
  // an order stream's end with no bytes of its own goes on the queued bytes' last beat if they still wait
  for (Chunk& c : hostOrders_) {
    if (c.bytes.empty() && c.last && !orders_.empty() && !orders_.back().last) orders_.back().last = true;
    else orders_.push_back(std::move(c));
  }
  hostOrders_.clear();
  hostQueued_ = false;
}

void SimBackend::tick() {
  if (hostQueued_.load(std::memory_order_acquire)) takeHostChunks();
  driveAndSettle();
  clockEdge();
}

void SimBackend::resetLocked(uint32_t cycles) {
  fix_.clear();
  feed_.clear();
  orders_.clear();
  {
    std::lock_guard<std::mutex> lock(ingressMutex_);
    hostFix_.clear();
    hostFeed_.clear();
    hostOrders_.clear();
    hostQueued_ = false;
    ingressBytes_ = 0;
  }
  pending_ = EventBatch{};
  top_->rst = 1;
  for (uint32_t i = 0; i < std::max<uint32_t>(cycles, 1); i++) tick();
  top_->rst = 0;
  cycle_ = 0;  // the device's cycle counter is 0 in the first cycle after reset
  cyclesDone_.store(0, std::memory_order_relaxed);
}

void SimBackend::reset(uint32_t cycles) {
  requireOpen();
  HostLock lock(*this);
  resetLocked(cycles);
}

uint32_t SimBackend::readReg(uint32_t addr) {
  requireOpen();
  checkRegAddress(addr);
  HostLock lock(*this);
  Vtickgate_core* t = top_.get();
  t->s_axil_araddr = addr;
  t->s_axil_arvalid = 1;
  t->s_axil_rready = 1;
  for (uint32_t n = 0; n < kBusTimeoutCycles; n++) {
    driveAndSettle();
    const bool arFire = t->s_axil_arvalid && t->s_axil_arready;
    const bool rFire = t->s_axil_rvalid && t->s_axil_rready;
    const uint32_t data = t->s_axil_rdata;
    const uint8_t resp = t->s_axil_rresp;
    clockEdge();
    if (arFire) t->s_axil_arvalid = 0;
    if (rFire) {
      t->s_axil_rready = 0;
      if (resp == kRespSlverr) throw DeviceError(regError("read from", addr, "no readable register there"));
      return data;
    }
  }
  t->s_axil_arvalid = 0;
  t->s_axil_rready = 0;
  throw DeviceError(regError("read from", addr, "the bus did not answer"));
}

void SimBackend::writeReg(uint32_t addr, uint32_t value) {
  requireOpen();
  checkRegAddress(addr);
  HostLock lock(*this);
  Vtickgate_core* t = top_.get();
  t->s_axil_awaddr = addr;
  t->s_axil_awvalid = 1;
  t->s_axil_wdata = value;
  t->s_axil_wstrb = 0xF;
  t->s_axil_wvalid = 1;
  t->s_axil_bready = 1;
  for (uint32_t n = 0; n < kBusTimeoutCycles; n++) {
    driveAndSettle();
    const bool awFire = t->s_axil_awvalid && t->s_axil_awready;
    const bool bFire = t->s_axil_bvalid && t->s_axil_bready;
    const uint8_t resp = t->s_axil_bresp;
    clockEdge();
    if (awFire) {
      t->s_axil_awvalid = 0;
      t->s_axil_wvalid = 0;
    }
    if (bFire) {
      t->s_axil_bready = 0;
      if (resp == kRespSlverr) throw DeviceError(regError("write to", addr, "no writable register there"));
      // a write can set the device working (FEED_ARB_FLUSH releases held packets): the clock runs on until it
      // is idle again, and a flush() after the write waits for that, as for a send
      idleCycles_ = 0;
      sendSerial_++;
      announceWork();
      return;
    }
  }
  t->s_axil_awvalid = 0;
  t->s_axil_wvalid = 0;
  t->s_axil_bready = 0;
  throw DeviceError(regError("write to", addr, "the bus did not answer"));
}

void SimBackend::enqueue(Stream stream, const uint8_t* data, size_t len, bool last) {
  requireOpen();
  {
    std::lock_guard<std::mutex> lock(ingressMutex_);
    std::deque<Chunk>& q = stream == Stream::Fix ? hostFix_ : stream == Stream::Feed ? hostFeed_ : hostOrders_;
    Chunk c;
    c.bytes.assign(data, data + len);
    c.last = last;
    q.push_back(std::move(c));   // (an order stream's bare end is merged when the clock thread takes it)
    ingressBytes_ += len;
    hostQueued_ = true;   // before the serial moves: a batch that counts this send never says idle before it is in
    sendSerial_++;
  }
  announceWork();
}

void SimBackend::announceWork() {
  work_.fetch_add(1);
  { std::lock_guard<std::mutex> lock(idleMutex_); }   // a clock thread between its check and its sleep is asleep now
  idleWake_.notify_all();
}

void SimBackend::sendFix(const uint8_t* data, size_t len, bool last) {
  if (len == 0 && !last) return;
  enqueue(Stream::Fix, data, len, last);
}

void SimBackend::sendFeed(const uint8_t* data, size_t len) {
  enqueue(Stream::Feed, data, len, true);
}

// An end with no bytes: tlast goes on the queued bytes' last beat when they are still waiting (a null beat
// with tlast otherwise).
void SimBackend::sendOrders(const uint8_t* data, size_t len, bool last) {
  if (len == 0 && !last) return;
  enqueue(Stream::Orders, data, len, last);
}

void SimBackend::setOrderEgressReady(double probability, uint64_t seed) {
  requireOpen();
  if (!(probability > 0.0 && probability <= 1.0)) throw DeviceError("order egress ready probability must be in (0, 1]");
  HostLock lock(*this);
  orderEgressProbability_ = probability;
  orderRng_ = seed ? seed : 1;
}

EventBatch SimBackend::takeBatch() {
  EventBatch out = std::move(pending_);
  pending_ = EventBatch{};
  // the serial before the idle check: a send it counts has set hostQueued_ already
  out.ingressQueued = ingressBytes_.load();
  out.sendSerial = sendSerial_.load();
  out.idle = !ingressWaiting() && idleCycles_ >= kDrainCycles;
  return out;
}

EventBatch SimBackend::step(uint64_t cycles) {
  requireOpen();
  if (clock_.joinable()) throw DeviceError("step() is for synchronous mode; this device clocks itself");
  std::lock_guard<std::mutex> lock(mutex_);
  for (uint64_t i = 0; i < cycles; i++) tick();
  return takeBatch();
}

void SimBackend::setEgressReady(double probability, uint64_t seed) {
  requireOpen();
  if (!(probability > 0.0 && probability <= 1.0)) throw DeviceError("egress ready probability must be in (0, 1]");
  HostLock lock(*this);
  options_.egressReadyProbability = probability;
  rng_ = seed ? seed : 1;
}

void SimBackend::setIngressValid(double probability, uint64_t seed) {
  requireOpen();
  if (!(probability > 0.0 && probability <= 1.0)) throw DeviceError("ingress valid probability must be in (0, 1]");
  HostLock lock(*this);
  ingressValidProbability_ = probability;
  ingressRng_ = seed ? seed : 1;
}

// Without the model's lock: a clock thread preempted in its batch must not hold up a caller that only asks
// how far the model is.
uint64_t SimBackend::cycles() {
  return cyclesDone_.load(std::memory_order_relaxed);
}

void SimBackend::setHostReady(bool ready) {
  requireOpen();
  hostReady_ = ready;
  announceWork();
}

void SimBackend::recordHostWait(uint64_t ns) {
  size_t bucket = 0;
  while (bucket + 1 < kWaitBuckets && (ns >> (bucket + 1)) != 0) bucket++;
  std::lock_guard<std::mutex> lock(waitsMutex_);
  hostWaits_.count++;
  hostWaits_.buckets[bucket]++;
  if (ns > hostWaits_.maxNs) hostWaits_.maxNs = ns;
}

SimBackend::HostWaits SimBackend::hostWaits() const {
  std::lock_guard<std::mutex> lock(waitsMutex_);
  return hostWaits_;
}

size_t SimBackend::ingressQueued() {
  return ingressBytes_.load();
}

void SimBackend::startEvents(std::function<void(EventBatch&&)> sink) {
  requireOpen();
  if (clock_.joinable()) throw DeviceError("events are already being delivered");
  sink_ = std::move(sink);
  clock_ = std::thread([this] { clockLoop(); });
}

void SimBackend::clockLoop() {
  size_t reportedQueued = 0;
  bool reportedIdle = false;
  uint64_t reportedSerial = 0;
  for (;;) {
    EventBatch batch;
    bool deliver = false;
    bool clocked = false;
    // read before looking for work: anything announced after this wakes the sleep below at once
    const uint64_t seen = work_.load();
    while (hostWaiting_.load() != 0 && !stopping_) std::this_thread::yield();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
      for (uint32_t i = 0; i < options_.batchCycles && hostReady_.load(std::memory_order_relaxed) &&
                           (ingressWaiting() || idleCycles_ < kDrainCycles); i++) {
        if (stopping_.load(std::memory_order_relaxed)) return;
        // the batch ends here and the host goes first, once the model has moved a little: a host calling in
        // a tight loop would otherwise let it run a cycle at a time
        if (i >= kHostSliceCycles && hostWaiting_.load(std::memory_order_relaxed) != 0) break;
        tick();
        clocked = true;
      }
      const bool idle = !ingressWaiting() && idleCycles_ >= kDrainCycles;
      if (!pending_.records.empty() || !pending_.orderOut.empty() || !pending_.orderEnds.empty() ||
          ingressBytes_.load() != reportedQueued || idle != reportedIdle ||
          (idle && sendSerial_.load() != reportedSerial)) {
        batch = takeBatch();
        reportedQueued = batch.ingressQueued;
        reportedIdle = batch.idle;
        reportedSerial = batch.sendSerial;
        deliver = true;
      }
    }
    if (deliver) sink_(std::move(batch));
    if (!clocked && !deliver) {
      // nothing to clock (or the host holds the clock): asleep until a send, a write, the host or close
      std::unique_lock<std::mutex> idle(idleMutex_);
      idleWake_.wait(idle, [&] { return stopping_.load() || work_.load() != seen; });
    }
  }
}

// Coverage builds only: one file per device, merged by scripts/coverage.mjs.
void SimBackend::writeCoverage() {
#if VM_COVERAGE
  static std::atomic<unsigned> serial{0};
  const char* dir = std::getenv("TICKGATE_COVERAGE_DIR");
  if (!dir || !*dir) return;
  std::string file = std::string(dir) + "/device-" + std::to_string(::getpid()) + "-" + std::to_string(serial++) + ".dat";
  context_->coveragep()->write(file.c_str());
#endif
}

void SimBackend::close() {
  if (closed_.exchange(true)) return;
  stopping_ = true;
  announceWork();
  if (clock_.joinable()) clock_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  top_->final();
  writeCoverage();
  if (trace_) trace_->close();
  trace_.reset();
  top_.reset();
  context_.reset();
}

}  // namespace tickgate
