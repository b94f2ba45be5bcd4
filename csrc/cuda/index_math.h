// Index arithmetic the CUDA indexing kernels share with host code: index wrapping and the "is
// this element nonzero" test (positions map to byte offsets through cuda/strided_index.h). Plain
// C++ under g++, so tests/cpp checks it on the host; __host__ __device__ under nvcc.
#pragma once
#include <cstdint>
#include <cstring>

#include "core/macros.h"

namespace pt::cuda {

PT_HOST_DEVICE inline int64_t wrap_index(int64_t v, int64_t size) { return v < 0 ? v + size : v; }

// The bits that decide whether an element of `item` bytes is nonzero: all of them, except
// the sign bit of a float (so -0.0 counts as zero, NaN as nonzero).
inline uint64_t nonzero_bits(size_t item, bool floating) {
  const uint64_t all = item == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * item)) - 1;
  return floating ? all >> 1 : all;
}

// Whether the element at p (item bytes, naturally aligned) has any of `keep`'s bits set.
PT_HOST_DEVICE inline bool is_nonzero(const char* p, int item, uint64_t keep) {
  switch (item) {
    case 1: return (*reinterpret_cast<const uint8_t*>(p) & keep) != 0;
    case 2: return (*reinterpret_cast<const uint16_t*>(p) & keep) != 0;
    case 4: return (*reinterpret_cast<const uint32_t*>(p) & keep) != 0;
    default: return (*reinterpret_cast<const uint64_t*>(p) & keep) != 0;
  }
}

}  // namespace pt::cuda
