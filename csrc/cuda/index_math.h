// Index arithmetic the CUDA indexing kernels share with host code: the position -> byte-offset
// map of N strided operands, index wrapping and the "is this element nonzero" test. Plain
// C++ under g++, so tests/cpp checks it on the host; __host__ __device__ under nvcc.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>

#include "core/errors.h"
#include "core/macros.h"
#include "core/shape.h"

namespace pt::cuda {

// Dims a kernel's operands may keep after coalescing (torch's CUDA limit is the same).
constexpr int kMaxDims = 25;

// Row-major position -> byte offset of each of N operands over one shape. Passed to kernels
// by value (it lives in the constant parameter bank, so the dynamic dim index costs nothing).
template <int N>
struct OffsetCalc {
  int ndim = 0;
  int64_t sizes[kMaxDims] = {};
  int64_t strides[N][kMaxDims] = {};  // bytes

  PT_HOST_DEVICE void get(int64_t pos, int64_t* off) const {
    for (int k = 0; k < N; ++k) off[k] = 0;
    for (int d = ndim - 1; d >= 0; --d) {
      const int64_t c = d == 0 ? pos : pos % sizes[d];
      pos = d == 0 ? 0 : pos / sizes[d];
      for (int k = 0; k < N; ++k) off[k] += c * strides[k][d];
    }
  }
};

// Merges dims that every operand walks contiguously and drops size-1 dims (the same rule as
// cpu::coalesce); INVARIANT: positions keep their row-major order.
template <size_t N>
void coalesce_dims(Shape& sizes, std::array<Shape, N>& strides) {
  Shape out_sizes;
  std::array<Shape, N> out_strides;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    bool merge = !out_sizes.empty();
    for (size_t k = 0; k < N && merge; ++k) merge = out_strides[k].back() == strides[k][d] * sizes[d];
    if (merge) {
      out_sizes.back() *= sizes[d];
      for (size_t k = 0; k < N; ++k) out_strides[k].back() = strides[k][d];
    } else {
      out_sizes.push_back(sizes[d]);
      for (size_t k = 0; k < N; ++k) out_strides[k].push_back(strides[k][d]);
    }
  }
  sizes = std::move(out_sizes);
  strides = std::move(out_strides);
}

// The calculator of N operands (byte strides over `sizes`), coalesced. `coalesce` = false keeps
// every dim, for callers that need the coordinates themselves (nonzero).
template <int N>
OffsetCalc<N> make_offset_calc(Shape sizes, std::array<Shape, N> strides, bool coalesce = true) {
  if (coalesce) coalesce_dims<N>(sizes, strides);
  PT_CHECK(sizes.size() <= static_cast<size_t>(kMaxDims), "CUDA indexing supports at most ", kMaxDims,
           " dims after merging contiguous ones, got ", sizes.size());
  OffsetCalc<N> c;
  c.ndim = static_cast<int>(sizes.size());
  for (int d = 0; d < c.ndim; ++d) {
    c.sizes[d] = sizes[d];
    for (int k = 0; k < N; ++k) c.strides[k][d] = strides[k][d];
  }
  return c;
}

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
