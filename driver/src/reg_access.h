// Checks shared by every backend for register addresses handed in from JavaScript.
#pragma once
#include <cstdio>
#include <string>

#include "backend.h"
#include "tickgate_layout.h"

namespace tickgate {

inline std::string hexAddr(uint32_t addr) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%03X", addr);
  return buf;
}

inline void checkRegAddress(uint32_t addr) {
  if (addr % 4 != 0) throw DeviceError("register address " + hexAddr(addr) + " is not 32-bit aligned");
  if (addr >= layout::CSR_WINDOW_BYTES) {
    throw DeviceError("register address " + hexAddr(addr) + " is outside the " +
                      std::to_string(layout::CSR_WINDOW_BYTES) + "-byte register window");
  }
}

inline std::string regError(const char* what, uint32_t addr, const char* why) {
  return std::string(what) + " register " + hexAddr(addr) + " failed: " + why;
}

}  // namespace tickgate
