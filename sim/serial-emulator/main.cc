// The serial board emulator (`tickgate emulate serial --link <path>`): the Verilated Arty A7 board top (UART,
// serial shell, core) behind a pseudo-terminal. Bytes the host writes to the terminal are driven onto the
// board's receive pin bit by bit (8N1, CLKS_PER_BIT cycles a bit, as the top was built); the board's
// transmit pin is sampled the same way and its bytes written back. Optionally the line misbehaves: each
// byte, in either direction, is corrupted, dropped or sent twice with the given probability.
//
//   serial-emulator <link> [--faults <probability>] [--seed <n>]
//
// Prints `ready <link>` when the terminal is linked; SIGINT or SIGTERM removes the link and exits 0.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <sys/stat.h>

// The top: the Arty A7 board top, or a testbench top with the same pins (test/rtl/serial_link_tb.v).
#ifndef VTOP
#define VTOP Vtickgate_arty_top
#define VTOP_HEADER "Vtickgate_arty_top.h"
#endif
#include VTOP_HEADER
#include "verilated.h"

#ifndef CLKS_PER_BIT
#error "build with -DCLKS_PER_BIT=<the top's CLKS_PER_BIT>"
#endif

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "serial-emulator: %s\n", msg.c_str());
  std::exit(2);
}

// The line between host and board: drops, corrupts or doubles bytes when asked to.
class Line {
 public:
  Line(double probability, uint64_t seed) : p_(probability), rng_(seed) {}
  void pass(uint8_t b, std::deque<uint8_t>& out) {
    if (p_ > 0 && chance_(rng_) < p_) {
      switch (kind_(rng_)) {
        case 0: corrupted++; out.push_back(b ^ uint8_t(1u << bit_(rng_))); return;
        case 1: dropped++; return;
        default: duplicated++; out.push_back(b); out.push_back(b); return;
      }
    }
    out.push_back(b);
  }
  uint64_t corrupted = 0, dropped = 0, duplicated = 0;

 private:
  double p_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> chance_{0.0, 1.0};
  std::uniform_int_distribution<int> kind_{0, 2};
  std::uniform_int_distribution<int> bit_{0, 7};
};

// Drives a pin with 8N1 frames of the queued bytes.
class BitWriter {
 public:
  bool busy() const { return bits_ != 0 || !queue.empty(); }
  uint8_t tick() {
    if (bits_ == 0) {
      if (queue.empty()) return 1;
      frame_ = (1u << 9) | (uint32_t(queue.front()) << 1);  // start 0, data LSB first, stop 1
      queue.pop_front();
      bits_ = 10;
      cycle_ = 0;
    }
    const uint8_t level = frame_ & 1;
    if (++cycle_ == CLKS_PER_BIT) {
      cycle_ = 0;
      frame_ >>= 1;
      bits_--;
    }
    return level;
  }
  std::deque<uint8_t> queue;

 private:
  uint32_t frame_ = 0;
  int bits_ = 0, cycle_ = 0;
};

// Samples a pin in the middle of each bit; a byte whose stop bit is low is counted and dropped.
class BitReader {
 public:
  // true when a byte is complete
  bool tick(uint8_t level, uint8_t& byte) {
    if (bit_ < 0) {
      if (level) return false;
      bit_ = 0;
      cycle_ = CLKS_PER_BIT / 2;  // the middle of the start bit
      return false;
    }
    if (--cycle_ > 0) return false;
    cycle_ = CLKS_PER_BIT;
    if (bit_ == 0) {
      if (level) { bit_ = -1; return false; }  // a glitch
    } else if (bit_ <= 8) {
      shift_ = uint8_t((shift_ >> 1) | (level << 7));
    } else {
      bit_ = -1;
      if (!level) { framingErrors++; return false; }
      byte = shift_;
      return true;
    }
    bit_++;
    return false;
  }
  uint64_t framingErrors = 0;
  bool idle() const { return bit_ < 0; }

 private:
  int bit_ = -1, cycle_ = 0;
  uint8_t shift_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: serial-emulator <link> [--faults <probability>] [--seed <n>]");
  const std::string link = argv[1];
  double faults = 0;
  uint64_t seed = 1;
  for (int i = 2; i < argc; i++) {
    const std::string a = argv[i];
    if (a == "--faults" && i + 1 < argc) faults = std::atof(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else die("unknown argument '" + a + "'");
  }
  if (!(faults >= 0 && faults < 1)) die("--faults must be a probability below 1");

  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die(std::string("cannot open a pseudo-terminal: ") + std::strerror(errno));
  const char* slaveName = ptsname(master);
  if (!slaveName) die("ptsname failed");
  // held open so that the master does not see a hang-up between clients; raw, so no byte is altered
  const int slave = open(slaveName, O_RDWR | O_NOCTTY);
  if (slave < 0) die(std::string("cannot open ") + slaveName + ": " + std::strerror(errno));
  termios t{};
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

  struct stat st{};
  if (lstat(link.c_str(), &st) == 0) {
    if (!S_ISLNK(st.st_mode)) die(link + " exists and is not a link");
    unlink(link.c_str());
  }
  if (symlink(slaveName, link.c_str()) != 0) die("cannot link " + link + ": " + std::strerror(errno));

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGHUP, onSignal);
  std::signal(SIGPIPE, SIG_IGN);

  auto context = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<VTOP>(context.get());
  top->ck_rst = 0;
  top->uart_txd_in = 1;
  auto cycle = [&] {
    top->CLK100MHZ = 0;
    top->eval();
    top->CLK100MHZ = 1;
    top->eval();
  };
  for (int i = 0; i < 8; i++) cycle();
  top->ck_rst = 1;

  std::printf("ready %s\n", link.c_str());
  std::fflush(stdout);

  Line toBoard(faults, seed), toHost(faults, seed ^ 0x9E3779B97F4A7C15ull);
  BitWriter rx;
  BitReader tx;
  std::deque<uint8_t> out;
  uint8_t buf[4096];
  uint64_t quiet = 0;  // cycles with nothing on either line
  const uint64_t kQuietCycles = 64 * 10 * CLKS_PER_BIT;
  while (!g_stop) {
    // a quiet board and host: wait for the host instead of spinning (the board's clock runs on, slower)
    if (quiet > kQuietCycles && out.empty()) {
      pollfd p{master, POLLIN, 0};
      poll(&p, 1, 1);
    }
    const ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) for (ssize_t i = 0; i < n; i++) toBoard.pass(buf[i], rx.queue);
    for (int i = 0; i < 1024; i++) {
      top->uart_txd_in = rx.tick();
      cycle();
      uint8_t b;
      if (tx.tick(top->uart_rxd_out, b)) toHost.pass(b, out);
    }
    quiet = rx.busy() || !tx.idle() || n > 0 ? 0 : quiet + 1024;
    while (!out.empty()) {
      size_t k = 0;
      while (k < out.size() && k < sizeof buf) { buf[k] = out[k]; k++; }
      const ssize_t w = write(master, buf, k);
      if (w <= 0) break;  // the terminal's buffer is full (or no one reads): keep the bytes
      out.erase(out.begin(), out.begin() + w);
    }
  }
  unlink(link.c_str());
  top->final();
  std::fprintf(stderr, "serial-emulator: line faults: to the board %llu corrupted, %llu dropped, %llu doubled; to the host %llu corrupted, %llu dropped, %llu doubled\n",
               (unsigned long long)toBoard.corrupted, (unsigned long long)toBoard.dropped, (unsigned long long)toBoard.duplicated,
               (unsigned long long)toHost.corrupted, (unsigned long long)toHost.dropped, (unsigned long long)toHost.duplicated);
  return 0;
}
