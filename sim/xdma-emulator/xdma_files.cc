// `xdma-emulator <dir>`: a FUSE file system at <dir> with the device files of Xilinx's xdma driver
// (dma_ip_drivers, XDMA/linux-kernel/xdma) in AXI-Stream mode, over the emulated card (card.h):
//   <prefix>_user       the user BAR: 4-byte reads and writes at 4-byte aligned offsets (else EPROTO, as
//                       cdev_ctrl.c), each one AXI-Lite access
//   <prefix>_h2c_<k>    a write() is one packet; it returns when the card took all of it (ETIMEDOUT after
//                       --h2c-timeout seconds, the driver's h2c_timeout)
//   <prefix>_c2h_<k>    one open at a time (EBUSY); opened with O_TRUNC, a read() returns at the end of a
//                       packet (the driver's eop_flush), otherwise only with a full buffer; ETIMEDOUT after
//                       --c2h-timeout seconds, with what arrived lost, as in the driver
// Prints `ready <dir>/<prefix>` once the files serve; SIGINT or SIGTERM unmounts and exits 0; unmounted from
// outside, it mounts again.
#define FUSE_USE_VERSION 312
#include <fuse.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "card.h"

namespace {

using tickgate::emulator::Card;
using tickgate::emulator::CardOptions;
using tickgate::emulator::kC2hChannels;
using tickgate::emulator::kH2cChannels;

constexpr off_t kUserBarBytes = 1 << 20;  // build.tcl: axilite_master_size 1 MiB
constexpr auto kRegisterTimeout = std::chrono::milliseconds(1000);

enum class Kind { User, H2c, C2h };
struct DeviceFile {
  std::string name;
  Kind kind;
  unsigned channel;
};

struct Emulator {
  std::unique_ptr<Card> card;
  std::string prefix = "xdma0";
  std::vector<DeviceFile> files;
  std::chrono::milliseconds h2cTimeout{10000};
  std::chrono::milliseconds c2hTimeout{10000};
  std::mutex openMutex;
  bool c2hOpen[kC2hChannels] = {};
};

Emulator g_emu;

const DeviceFile* lookup(const char* path) {
  if (path[0] != '/') return nullptr;
  for (const auto& f : g_emu.files) if (f.name == path + 1) return &f;
  return nullptr;
}

bool interrupted() { return fuse_interrupted() != 0; }

void* emuInit(fuse_conn_info* conn, fuse_config* cfg) {
  cfg->direct_io = 1;  // every read and write reaches the card with the caller's size, as on a character device
  cfg->kernel_cache = 0;
  cfg->attr_timeout = 0;
  cfg->entry_timeout = 0;
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;  // O_TRUNC reaches open()
  return nullptr;
}

int emuGetattr(const char* path, struct stat* st, fuse_file_info*) {
  std::memset(st, 0, sizeof *st);
  if (std::strcmp(path, "/") == 0) {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  const DeviceFile* f = lookup(path);
  if (!f) return -ENOENT;
  st->st_mode = S_IFREG | 0666;  // the driver's udev rule makes its nodes 0666
  st->st_nlink = 1;
  st->st_size = f->kind == Kind::User ? kUserBarBytes : 0;
  return 0;
}

int emuReaddir(const char* path, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info*, fuse_readdir_flags) {
  if (std::strcmp(path, "/") != 0) return -ENOENT;
  fill(buf, ".", nullptr, 0, fuse_fill_dir_flags(0));
  fill(buf, "..", nullptr, 0, fuse_fill_dir_flags(0));
  for (const auto& f : g_emu.files) fill(buf, f.name.c_str(), nullptr, 0, fuse_fill_dir_flags(0));
  return 0;
}

// fh: the file's index in g_emu.files, and bit 31 for eop_flush
constexpr uint64_t kEopFlush = 1ull << 31;

int emuOpen(const char* path, fuse_file_info* fi) {
  const DeviceFile* f = lookup(path);
  if (!f) return -ENOENT;
  if (f->kind == Kind::C2h) {
    std::lock_guard<std::mutex> lock(g_emu.openMutex);
    if (g_emu.c2hOpen[f->channel]) return -EBUSY;
    g_emu.c2hOpen[f->channel] = true;
    g_emu.card->c2hOpened(f->channel, true);
  }
  fi->fh = uint64_t(f - g_emu.files.data()) | ((fi->flags & O_TRUNC) ? kEopFlush : 0);
  fi->direct_io = 1;
  fi->nonseekable = f->kind != Kind::User;
  return 0;
}

int emuRelease(const char*, fuse_file_info* fi) {
  const DeviceFile& f = g_emu.files[fi->fh & ~kEopFlush];
  if (f.kind == Kind::C2h) {
    std::lock_guard<std::mutex> lock(g_emu.openMutex);
    g_emu.card->c2hOpened(f.channel, false);
    g_emu.c2hOpen[f.channel] = false;
  }
  return 0;
}

int emuTruncate(const char* path, off_t, fuse_file_info*) { return lookup(path) ? 0 : -ENOENT; }

int emuRead(const char*, char* buf, size_t size, off_t off, fuse_file_info* fi) {
  const DeviceFile& f = g_emu.files[fi->fh & ~kEopFlush];
  switch (f.kind) {
    case Kind::User: {
      if (off & 3) return -EPROTO;
      if (size < 4) return -EINVAL;
      const uint32_t v = off >= kUserBarBytes ? 0xFFFFFFFFu : g_emu.card->regRead(uint32_t(off), kRegisterTimeout);
      std::memcpy(buf, &v, 4);
      return 4;
    }
    case Kind::C2h: {
      const long n = g_emu.card->c2hRead(f.channel, reinterpret_cast<uint8_t*>(buf), size, fi->fh & kEopFlush,
                                         g_emu.c2hTimeout, interrupted);
      if (n == -ETIMEDOUT) std::fprintf(stderr, "xdma-emulator: %s: read timed out\n", f.name.c_str());
      return int(n);
    }
    case Kind::H2c:
      return -EINVAL;  // r/w mismatch
  }
  return -EINVAL;
}

int emuWrite(const char*, const char* buf, size_t size, off_t off, fuse_file_info* fi) {
  const DeviceFile& f = g_emu.files[fi->fh & ~kEopFlush];
  switch (f.kind) {
    case Kind::User: {
      if (off & 3) return -EPROTO;
      if (size < 4) return -EINVAL;
      uint32_t v;
      std::memcpy(&v, buf, 4);
      if (off < kUserBarBytes) g_emu.card->regWrite(uint32_t(off), v);
      return 4;
    }
    case Kind::H2c: {
      const long n = g_emu.card->h2cWrite(f.channel, reinterpret_cast<const uint8_t*>(buf), size, g_emu.h2cTimeout,
                                          interrupted);
      if (n == -ETIMEDOUT) std::fprintf(stderr, "xdma-emulator: %s: write timed out\n", f.name.c_str());
      return int(n);
    }
    case Kind::C2h:
      return -EINVAL;
  }
  return -EINVAL;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "xdma-emulator: %s\nusage: xdma-emulator <dir> [--prefix xdma0] [--h2c-timeout s] [--c2h-timeout s]\n",
               why);
  std::exit(2);
}

std::chrono::milliseconds seconds(const char* flag, const char* value) {
  char* end = nullptr;
  const double s = std::strtod(value, &end);
  if (!end || *end || !(s > 0) || s > 3600) usage((std::string(flag) + " must be seconds from 0 to 3600").c_str());
  return std::chrono::milliseconds(long(s * 1000));
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if ((a == "--prefix" || a == "--h2c-timeout" || a == "--c2h-timeout") && i + 1 >= argc) usage("missing value");
    if (a == "--prefix") g_emu.prefix = argv[++i];
    else if (a == "--h2c-timeout") g_emu.h2cTimeout = seconds("--h2c-timeout", argv[++i]);
    else if (a == "--c2h-timeout") g_emu.c2hTimeout = seconds("--c2h-timeout", argv[++i]);
    else if (dir.empty() && a[0] != '-') dir = a;
    else usage(("unknown argument " + a).c_str());
  }
  if (dir.empty()) usage("missing <dir>");

  g_emu.files.push_back({g_emu.prefix + "_user", Kind::User, 0});
  for (unsigned k = 0; k < kH2cChannels; k++) g_emu.files.push_back({g_emu.prefix + "_h2c_" + std::to_string(k), Kind::H2c, k});
  for (unsigned k = 0; k < kC2hChannels; k++) g_emu.files.push_back({g_emu.prefix + "_c2h_" + std::to_string(k), Kind::C2h, k});

  g_emu.card = std::make_unique<Card>(CardOptions{});
  if (!g_emu.card->waitReady(std::chrono::seconds(10))) {
    std::fprintf(stderr, "xdma-emulator: the emulated card's PCIe link never came up\n");
    return 1;
  }

  fuse_operations ops{};
  ops.init = emuInit;
  ops.getattr = emuGetattr;
  ops.readdir = emuReaddir;
  ops.open = emuOpen;
  ops.release = emuRelease;
  ops.truncate = emuTruncate;
  ops.read = emuRead;
  ops.write = emuWrite;

  // Serves until SIGINT or SIGTERM. Unmounted from outside (`umount -l`, `fusermount3 -u -z`: the clients
  // with open files go on until they close them), it mounts the directory again and serves on.
  bool ready = false;
  while (true) {
    char* fuseArgv[] = {argv[0], nullptr};
    fuse_args args = FUSE_ARGS_INIT(1, fuseArgv);
    fuse* fs = fuse_new(&args, &ops, sizeof ops, nullptr);
    if (!fs) {
      std::fprintf(stderr, "xdma-emulator: cannot start FUSE\n");
      return 1;
    }
    if (fuse_mount(fs, dir.c_str()) != 0) {
      std::fprintf(stderr, "xdma-emulator: cannot mount %s (is /dev/fuse there, and fuse3 installed?)\n", dir.c_str());
      fuse_destroy(fs);
      return 1;
    }
    fuse_session* se = fuse_get_session(fs);
    if (fuse_set_signal_handlers(se) != 0) {
      fuse_unmount(fs);
      fuse_destroy(fs);
      return 1;
    }
    if (!ready) {
      std::printf("ready %s/%s\n", dir.c_str(), g_emu.prefix.c_str());
      std::fflush(stdout);
      ready = true;
    }
    fuse_loop_config* loop = fuse_loop_cfg_create();
    fuse_loop_cfg_set_clone_fd(loop, 0);
    fuse_loop_cfg_set_max_threads(loop, 32);
    const int rv = fuse_loop_mt(fs, loop);
    fuse_loop_cfg_destroy(loop);
    fuse_remove_signal_handlers(se);
    fuse_unmount(fs);
    fuse_destroy(fs);
    // the signal handlers end the loop with the signal's number: a clean stop
    if (rv == SIGINT || rv == SIGTERM || rv == SIGHUP) break;
    // 0 when the kernel says the mount is gone; -ECONNABORTED when it says the connection was aborted, which a
    // lazy unmount can also end in (the kernel marks the connection aborted as the last open file closes,
    // depending on which side gets there first): the file system is gone either way
    if (rv != 0 && rv != -ECONNABORTED) {
      std::fprintf(stderr, "xdma-emulator: the FUSE loop failed (%d)\n", rv);
      g_emu.card->stop();
      return 1;
    }
    std::fprintf(stderr, "xdma-emulator: %s was unmounted; mounting it again\n", dir.c_str());
    std::lock_guard<std::mutex> lock(g_emu.openMutex);
    for (unsigned k = 0; k < kC2hChannels; k++) {
      g_emu.c2hOpen[k] = false;  // a connection torn down sends no release for its open files
      g_emu.card->c2hOpened(k, false);
    }
  }
  g_emu.card->stop();
  return 0;
}
