#include "pcie_backend.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "reg_access.h"
#include "tickgate_layout.h"

namespace tickgate {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kSubFrameHeader = 8;
constexpr size_t kMaxSubFramePayload = 0xFFFF;
constexpr uint8_t kSubFrameEnd = 0x01;
constexpr size_t kMaxWriteBytes = 64 << 10;   // one DMA transfer; a FUSE write is never split below 128 KiB
constexpr size_t kReadBytes = 64 << 10;       // a read covers 1,024 records, above any C2H_BATCH_RECORDS in use
constexpr size_t kOrderTrailer = 8;
constexpr uint8_t kOrderDroppedFlag = 0x01;
constexpr uint64_t kDrainCycles = 1024;       // core cycles without a new record before the core counts as drained
constexpr auto kIdlePause = std::chrono::milliseconds(2);  // no new writes this long: check for idle

size_t pad8(size_t n) { return (n + 7) & ~size_t(7); }

uint32_t shellReg(uint32_t reg) { return layout::XSH_WINDOW_OFFSET + reg; }

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

// A signal with an empty handler, installed without SA_RESTART: sent to a thread blocked in a device
// read or write, it makes the call return EINTR (the xdma driver waits interruptibly; FUSE forwards it).
int wakeSignal() {
  static const int sig = [] {
    const int s = SIGRTMIN + 6;
    struct sigaction sa {};
    sa.sa_handler = [](int) {};
    sigemptyset(&sa.sa_mask);
    sigaction(s, &sa, nullptr);
    return s;
  }();
  return sig;
}

struct AlignedBuffer {
  explicit AlignedBuffer(size_t n) : data(static_cast<uint8_t*>(std::aligned_alloc(4096, n))), size(n) {
    if (!data) throw DeviceError("out of memory for a DMA buffer");
  }
  ~AlignedBuffer() { std::free(data); }
  uint8_t* data;
  size_t size;
};

}  // namespace

PcieBackend::PcieBackend(const PcieOptions& options) : options_(options) {
  auto openFile = [this](const std::string& suffix, int flags) {
    const std::string path = options_.prefix + suffix;
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd >= 0) return fd;
    const int e = errno;
    std::string why = path + ": " + std::strerror(e);
    if (e == ENOENT) why += " (is the xdma driver loaded, and is this the card's prefix?)";
    if (e == EBUSY) why += " (another process reads this card)";
    fail(why);
  };
  try {
    wakeSignal();
    user_ = openFile("_user", O_RDWR);
    checkIdentity();
    // The card-to-host files open one at a time (EBUSY): taken before the reset, so a second client fails
    // without touching the card under the first. O_TRUNC asks the driver to end a read at the end of each
    // packet (eop_flush).
    for (unsigned k = 0; k < 2; k++) c2h_[k] = openFile("_c2h_" + std::to_string(k), O_RDONLY | O_TRUNC);
    for (unsigned k = 0; k < 3; k++) h2c_[k] = openFile("_h2c_" + std::to_string(k), O_WRONLY);
    resetCard();
  } catch (...) {
    for (int* fd : {&user_, &h2c_[0], &h2c_[1], &h2c_[2], &c2h_[0], &c2h_[1]}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
    throw;
  }
}

PcieBackend::~PcieBackend() { close(); }

void PcieBackend::fail(const std::string& why) const { throw DeviceError(where() + ": " + why); }

uint32_t PcieBackend::busRead(uint32_t barOffset) {
  std::lock_guard<std::mutex> lock(busMutex_);
  uint32_t v = 0;
  const ssize_t n = ::pread(user_, &v, 4, off_t(barOffset));
  if (n != 4) fail("register read at " + hexAddr(barOffset) + " failed: " + (n < 0 ? std::strerror(errno) : "short read"));
  return v;
}

void PcieBackend::busWrite(uint32_t barOffset, uint32_t value) {
  std::lock_guard<std::mutex> lock(busMutex_);
  const ssize_t n = ::pwrite(user_, &value, 4, off_t(barOffset));
  if (n != 4) fail("register write at " + hexAddr(barOffset) + " failed: " + (n < 0 ? std::strerror(errno) : "short write"));
}

uint64_t PcieBackend::busRead64(uint32_t lo) {
  std::lock_guard<std::mutex> lock(busMutex_);
  uint32_t v[2] = {0, 0};
  for (unsigned k = 0; k < 2; k++) {
    if (::pread(user_, &v[k], 4, off_t(lo + 4 * k)) != 4) fail("register read at " + hexAddr(lo + 4 * k) + " failed");
  }
  return uint64_t(v[1]) << 32 | v[0];
}

void PcieBackend::checkIdentity() {
  const uint32_t id = busRead(layout::REG_ID);
  if (id == 0xFFFFFFFFu) fail("does not answer: its registers read all ones (no bitstream, link down, or the card is in reset)");
  if (id != layout::DEVICE_ID) fail("is not a tickgate card: ID reads " + hex32(id) + ", expected " + hex32(layout::DEVICE_ID));
  const uint32_t version = busRead(layout::REG_VERSION);
  if (version != layout::DEVICE_VERSION) {
    fail("bitstream version " + hex32(version) + " does not match this host's layout " + hex32(layout::DEVICE_VERSION) +
         ": build the bitstream from this checkout (npm run bitstream)");
  }
  const uint32_t recordBytes = busRead(layout::REG_RECORD_BYTES);
  if (recordBytes != layout::RECORD_BYTES) fail("records of " + std::to_string(recordBytes) + " bytes, this host decodes " + std::to_string(layout::RECORD_BYTES));
  const uint32_t shell = busRead(shellReg(layout::XSH_REG_ID));
  if (shell != layout::XSH_ID) fail("board shell ID reads " + hex32(shell) + ", expected " + hex32(layout::XSH_ID) + " (the XDMA shell)");
}

template <typename Pred>
void PcieBackend::waitUntil(const char* what, Pred pred) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.timeoutMs);
  while (!pred()) {
    if (Clock::now() > deadline) fail(std::string("timed out after ") + std::to_string(options_.timeoutMs) + " ms waiting for " + what);
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

// The core and the shell's data path held in reset and released: a clean card, whatever the last client left.
void PcieBackend::resetCard() {
  using namespace layout;
  const uint32_t status = shellReg(XSH_REG_STATUS);
  busWrite(shellReg(XSH_REG_CONTROL), 1u << XSH_REG_CONTROL_CORE_RESET_BIT);
  waitUntil("the core to enter reset", [&] { return (busRead(status) >> XSH_REG_STATUS_CORE_RESET_BIT) & 1; });
  busWrite(shellReg(XSH_REG_CONTROL), 0);
  waitUntil("the core clock to lock and the core to leave reset", [&] {
    const uint32_t s = busRead(status);
    return ((s >> XSH_REG_STATUS_CORE_CLOCK_LOCKED_BIT) & 1) && !((s >> XSH_REG_STATUS_CORE_RESET_BIT) & 1);
  });
  waitUntil("the core's tables to clear after reset", [&] {
    return !((busRead(REG_FEED_STATUS) >> REG_FEED_STATUS_CLEARING_BIT) & 1) &&
           !((busRead(REG_RISK_STATUS) >> REG_RISK_STATUS_CLEARING_BIT) & 1);
  });
  busWrite(shellReg(XSH_REG_COUNTER_CLEAR), 1);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& n : payloadSent_) n = 0;
  recordsReceived_ = 0;
  orderBytesReceived_ = 0;
}

void PcieBackend::reset(uint32_t) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writes_.clear();
    queuedBytes_ = 0;
    idleSerial_ = idleWanted_ = sendSerial_;
  }
  resetCard();
}

uint32_t PcieBackend::readReg(uint32_t addr) {
  checkRegAddress(addr);
  return busRead(addr);
}

void PcieBackend::writeReg(uint32_t addr, uint32_t value) {
  checkRegAddress(addr);
  busWrite(addr, value);
  if (addr == layout::REG_COUNTER_CLEAR && (value & 1)) {
    // the byte and record counters the idle check compares with restart from zero
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& n : payloadSent_) n = 0;
    recordsReceived_ = 0;
    orderBytesReceived_ = 0;
  }
}

// ---- host to card ------------------------------------------------------------------------------------------

// Sub-frames for `len` stream bytes, END on the last when `end` (a feed packet longer than a sub-frame
// continues in the next). Appended to the channel's last queued write while that stays one DMA transfer.
void PcieBackend::enqueue(unsigned channel, const uint8_t* data, size_t len, bool end) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) throw DeviceError(where() + " is closed");
  size_t at = 0;
  do {
    const size_t n = std::min(kMaxSubFramePayload, len - at);
    const bool last = at + n == len;
    const size_t bytes = kSubFrameHeader + pad8(n);
    if (writes_.empty() || writes_.back().channel != channel || writes_.back().frames.size() + bytes > kMaxWriteBytes) {
      writes_.push_back(Write{channel, {}, 0});
      writes_.back().frames.reserve(std::min(kMaxWriteBytes, bytes));
    }
    Write& w = writes_.back();
    const size_t base = w.frames.size();
    w.frames.resize(base + bytes, 0);
    uint8_t* h = w.frames.data() + base;
    h[0] = uint8_t(n);
    h[1] = uint8_t(n >> 8);
    h[2] = (last && end) ? kSubFrameEnd : 0;
    for (unsigned k = 0; k < 4; k++) h[4 + k] = uint8_t(layout::XSH_FRAME_MAGIC >> (8 * k));
    if (n) std::memcpy(h + kSubFrameHeader, data + at, n);
    w.payload += n;
    queuedBytes_ += bytes;
    at += n;
  } while (at < len);
  sendSerial_++;
  wake_.notify_all();
}

void PcieBackend::requestIdle() {
  std::lock_guard<std::mutex> lock(mutex_);
  idleWanted_ = sendSerial_;
  wake_.notify_all();
}

void PcieBackend::sendFix(const uint8_t* data, size_t len, bool last) {
  enqueue(layout::XSH_H2C_FIX, data, len, last);
}

void PcieBackend::sendFeed(const uint8_t* data, size_t len) { enqueue(layout::XSH_H2C_FEED, data, len, true); }

void PcieBackend::sendOrders(const uint8_t* data, size_t len, bool last) {
  enqueue(layout::XSH_H2C_ORDERS, data, len, last);
}

size_t PcieBackend::ingressQueued() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queuedBytes_;
}

void PcieBackend::writerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || (!failed_ && (!writes_.empty() || idleSerial_ < idleWanted_)); });
    if (stopping_) return;
    if (!writes_.empty()) {
      Write w = std::move(writes_.front());
      writes_.pop_front();
      lock.unlock();
      const ssize_t n = ::write(h2c_[w.channel], w.frames.data(), w.frames.size());
      const int e = errno;
      lock.lock();
      queuedBytes_ -= w.frames.size();
      if (stopping_) return;
      if (n != ssize_t(w.frames.size())) {
        failed_ = true;
        lock.unlock();
        reportError("write to " + options_.prefix + "_h2c_" + std::to_string(w.channel) + " failed: " +
                    (n < 0 ? (e == ETIMEDOUT ? std::string("the card did not take the data (timed out)") : std::strerror(e))
                           : "short write"));
        lock.lock();
        continue;
      }
      payloadSent_[w.channel] += w.payload;
      continue;
    }
    // a host that is still sending is not idle: the register polls of the check wait for a pause
    if (wake_.wait_for(lock, kIdlePause, [this] { return stopping_ || !writes_.empty(); })) continue;
    const uint64_t serial = sendSerial_;
    lock.unlock();
    bool idle = false;
    try {
      idle = idleCheck(serial);
    } catch (const DeviceError& e) {
      lock.lock();
      failed_ = true;
      lock.unlock();
      reportError(e.what());
    }
    lock.lock();
    if (idle) idleSerial_ = serial;
  }
}

// Everything the host wrote up to `serial` is processed and its output is here when: the core counted every
// stream byte in; then, over a window of kDrainCycles core cycles, no record and no order byte left it; and
// the host has received all that did. False when new writes arrive meanwhile (checked again after them).
bool PcieBackend::idleCheck(uint64_t serial) {
  using namespace layout;
  uint64_t sent[3];
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::copy(std::begin(payloadSent_), std::end(payloadSent_), sent);
  }
  auto newWrites = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return !writes_.empty() || stopping_;
  };
  const auto stall = std::chrono::milliseconds(options_.timeoutMs);
  // 1. every byte taken
  uint64_t taken[3] = {~0ull, ~0ull, ~0ull};
  auto progress = Clock::now();
  while (true) {
    const uint64_t now[3] = {busRead64(REG_FIX_BYTES_LO), busRead64(REG_FEED_BYTES_LO), busRead64(REG_ORDER_BYTES_IN_LO)};
    if (now[0] >= sent[0] && now[1] >= sent[1] && now[2] >= sent[2]) break;
    if (newWrites()) return false;
    if (!std::equal(now, now + 3, taken)) {
      std::copy(now, now + 3, taken);
      progress = Clock::now();
    } else if (Clock::now() - progress > stall) {
      fail("stopped taking input: it took " + std::to_string(now[0]) + " of " + std::to_string(sent[0]) + " FIX bytes, " +
           std::to_string(now[1]) + " of " + std::to_string(sent[1]) + " feed bytes, " + std::to_string(now[2]) + " of " +
           std::to_string(sent[2]) + " order bytes (is its ingress disabled in CONTROL?)");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  // 2. drained, and 3. received
  progress = Clock::now();
  uint32_t events = busRead(REG_EVENTS_OUT);
  uint64_t orderBytes = busRead64(REG_ORDER_BYTES_OUT_LO);
  while (true) {
    const uint64_t start = busRead64(REG_CYCLE_LO);
    while (busRead64(REG_CYCLE_LO) - start < kDrainCycles) {
      if (newWrites()) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    const uint32_t eventsNow = busRead(REG_EVENTS_OUT);
    const uint64_t orderBytesNow = busRead64(REG_ORDER_BYTES_OUT_LO);
    const bool drained = eventsNow == events && orderBytesNow == orderBytes;
    events = eventsNow;
    orderBytes = orderBytesNow;
    if (drained && recordsReceived_ == events && orderBytesReceived_ >= orderBytes) break;
    if (newWrites()) return false;
    if (recordsReceived_ != events || orderBytesReceived_ < orderBytes) {
      if (Clock::now() - progress > stall) {
        fail("sent " + std::to_string(events) + " records and " + std::to_string(orderBytes) + " order bytes, the host received " +
             std::to_string(recordsReceived_.load()) + " and " + std::to_string(orderBytesReceived_.load()) +
             " (card-to-host DMA stalled)");
      }
    } else {
      progress = Clock::now();
    }
  }
  EventBatch batch;
  batch.idle = true;
  batch.sendSerial = serial;
  batch.ingressQueued = ingressQueued();
  report(std::move(batch));
  return true;
}

// ---- card to host ------------------------------------------------------------------------------------------

void PcieBackend::recordLoop() {
  AlignedBuffer buf(kReadBytes);
  std::vector<uint8_t> partial;  // a record split across reads (only when a packet overran the buffer)
  while (true) {
    const ssize_t n = ::read(c2h_[layout::XSH_C2H_RECORDS], buf.data, buf.size);
    const int e = errno;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    if (n < 0 && (e == EINTR || e == ETIMEDOUT)) continue;  // a quiet market: no packet within the driver's c2h_timeout
    if (n < 0) {
      reportError("read from " + options_.prefix + "_c2h_" + std::to_string(layout::XSH_C2H_RECORDS) + " failed: " + std::strerror(e));
      return;
    }
    partial.insert(partial.end(), buf.data, buf.data + n);
    const size_t whole = partial.size() / layout::RECORD_BYTES * layout::RECORD_BYTES;
    if (whole == 0) continue;
    EventBatch batch;
    batch.records.assign(partial.begin(), partial.begin() + long(whole));
    partial.erase(partial.begin(), partial.begin() + long(whole));
    batch.ingressQueued = ingressQueued();
    report(std::move(batch));
    recordsReceived_ += uint32_t(whole / layout::RECORD_BYTES);
  }
}

void PcieBackend::orderLoop() {
  AlignedBuffer buf(kReadBytes);
  std::vector<uint8_t> packet;
  while (true) {
    const ssize_t n = ::read(c2h_[layout::XSH_C2H_ORDERS], buf.data, buf.size);
    const int e = errno;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    if (n < 0 && (e == EINTR || e == ETIMEDOUT)) continue;
    if (n < 0) {
      reportError("read from " + options_.prefix + "_c2h_" + std::to_string(layout::XSH_C2H_ORDERS) + " failed: " + std::strerror(e));
      return;
    }
    packet.insert(packet.end(), buf.data, buf.data + n);
    if (packet.size() < kOrderTrailer) continue;
    // a read ends at the end of a packet, or with a full buffer: then the packet ends here only if its
    // trailer says so
    const size_t trailer = packet.size() - kOrderTrailer;
    const uint32_t length = uint32_t(packet[trailer]) | uint32_t(packet[trailer + 1]) << 8 |
                            uint32_t(packet[trailer + 2]) << 16 | uint32_t(packet[trailer + 3]) << 24;
    const bool consistent = packet.size() % 8 == 0 && pad8(length) == trailer;
    if (size_t(n) == buf.size && !consistent) continue;
    if (!consistent) {
      reportError("order packet of " + std::to_string(packet.size()) + " bytes from " + options_.prefix + "_c2h_" +
                  std::to_string(layout::XSH_C2H_ORDERS) + " has no valid trailer");
      return;
    }
    EventBatch batch;
    batch.orderOut.assign(packet.begin(), packet.begin() + length);
    batch.orderEnds.push_back(length | ((packet[trailer + 4] & kOrderDroppedFlag) ? kOrderFrameDropped : 0));
    batch.ingressQueued = ingressQueued();
    packet.clear();
    report(std::move(batch));
    orderBytesReceived_ += length;
  }
}

// ---- events ------------------------------------------------------------------------------------------------

void PcieBackend::report(EventBatch&& batch) {
  std::lock_guard<std::mutex> lock(sinkMutex_);
  if (sink_) sink_(std::move(batch));
}

void PcieBackend::reportError(const std::string& why) {
  EventBatch batch;
  batch.error = why.rfind(where(), 0) == 0 ? why : where() + ": " + why;
  report(std::move(batch));
}

void PcieBackend::startEvents(std::function<void(EventBatch&&)> sink) {
  {
    std::lock_guard<std::mutex> lock(sinkMutex_);
    if (sink_) throw DeviceError(where() + ": events already started");
    sink_ = std::move(sink);
  }
  writer_ = std::thread([this] { writerLoop(); writerDone_ = true; });
  records_ = std::thread([this] { recordLoop(); recordsDone_ = true; });
  orders_ = std::thread([this] { orderLoop(); ordersDone_ = true; });
}

void PcieBackend::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && user_ < 0) return;
    stopping_ = true;
  }
  wake_.notify_all();
  // threads blocked in a device read or write are woken by a signal (EINTR), sent until they have gone
  const std::pair<std::thread*, std::atomic<bool>*> threads[] = {
      {&writer_, &writerDone_}, {&records_, &recordsDone_}, {&orders_, &ordersDone_}};
  for (const auto& [thread, done] : threads) {
    if (!thread->joinable()) continue;
    while (!*done) {  // not joined yet, so its handle stays valid even once it has returned
      pthread_kill(thread->native_handle(), wakeSignal());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    thread->join();
  }
  for (int* fd : {&user_, &h2c_[0], &h2c_[1], &h2c_[2], &c2h_[0], &c2h_[1]}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

}  // namespace tickgate
