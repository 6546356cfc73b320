// SPDX-License-Identifier: MIT
// libFuzzer entry point (clang -fsanitize=fuzzer): every generated input goes through check_input.
#include <cstddef>
#include <cstdint>

#include "check_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  slope::fuzz::check_input({reinterpret_cast<const char*>(data), size});
  return 0;
}
