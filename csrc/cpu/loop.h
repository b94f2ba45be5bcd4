// The strided loop every elementwise kernel runs on: N operands over one shape, each with its
// own strides, visited as inner runs so the innermost loop is a plain (vectorizable) for-loop.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "core/shape.h"
#include "cpu/parallel.h"

namespace pt::cpu {

template <size_t N>
struct StridedOperands {
  std::array<char*, N> data;          // address of element 0
  std::array<Shape, N> byte_strides;  // per operand, already broadcast to `sizes`
};

// Merges dims that every operand walks contiguously and drops size-1 dims, so a contiguous
// tensor of any rank becomes one run. INVARIANT: the result iterates the same elements in the
// same (row-major) order.
template <size_t N>
void coalesce(Shape& sizes, std::array<Shape, N>& strides) {
  Shape out_sizes;
  std::array<Shape, N> out_strides;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    bool merge = !out_sizes.empty();
    for (size_t k = 0; k < N && merge; ++k) {
      merge = out_strides[k].back() == strides[k][d] * sizes[d];
    }
    if (merge) {
      out_sizes.back() *= sizes[d];
      for (size_t k = 0; k < N; ++k) out_strides[k].back() = strides[k][d];
    } else {
      out_sizes.push_back(sizes[d]);
      for (size_t k = 0; k < N; ++k) out_strides[k].push_back(strides[k][d]);
    }
  }
  if (out_sizes.empty()) {
    out_sizes.push_back(1);
    for (size_t k = 0; k < N; ++k) out_strides[k].push_back(0);
  }
  sizes = std::move(out_sizes);
  strides = std::move(out_strides);
}

// The byte step that walks an operand as one flat run over `sizes` (0 for a broadcast number),
// or -1 when its layout needs the general loop.
inline int64_t flat_step(const Shape& sizes, const Shape& byte_strides) {
  int64_t step = -1, expected = 0;
  bool all_zero = true;
  for (size_t d = sizes.size(); d-- > 0;) {
    if (sizes[d] == 1) continue;
    int64_t st = byte_strides[d];
    if (step < 0) {
      step = st;
      expected = st * sizes[d];
    } else {
      if (st != expected) return -1;
      expected *= sizes[d];
    }
    all_zero &= st == 0;
  }
  if (step < 0) return 0;  // every dim has size 1: one element
  return all_zero ? 0 : (step == 0 ? -1 : step);
}

// Calls inner(ptrs, inner_byte_strides, n) over every element of `sizes`, splitting the work
// across threads when it is large. `inner` must be safe to call concurrently on disjoint runs.
template <size_t N, typename Inner>
void for_each_run(const Shape& sizes_in, const StridedOperands<N>& ops_in, Inner&& inner) {
  int64_t total = numel_of(sizes_in);
  if (total == 0) return;
  // Fast path: every operand is contiguous or a broadcast number, so the whole iteration is
  // one run; no index bookkeeping (this is what keeps small ops cheap).
  std::array<int64_t, N> steps;
  bool flat = true;
  for (size_t k = 0; k < N && flat; ++k) {
    steps[k] = flat_step(sizes_in, ops_in.byte_strides[k]);
    flat = steps[k] >= 0;
  }
  if (flat) {
    parallel_for(0, total, kGrainSize, [&](int64_t begin, int64_t end) {
      std::array<char*, N> ptrs;
      for (size_t k = 0; k < N; ++k) ptrs[k] = ops_in.data[k] + begin * steps[k];
      inner(ptrs.data(), steps.data(), end - begin);
    });
    return;
  }
  Shape sizes = sizes_in;
  StridedOperands<N> ops = ops_in;
  coalesce<N>(sizes, ops.byte_strides);
  const int64_t ndim = static_cast<int64_t>(sizes.size());
  const int64_t inner_size = sizes.back();
  std::array<int64_t, N> inner_strides;
  for (size_t k = 0; k < N; ++k) inner_strides[k] = ops.byte_strides[k].back();

  // Elements [begin, end) in row-major order, walked as inner runs.
  auto run_range = [&](int64_t begin, int64_t end) {
    std::vector<int64_t> idx(ndim, 0);
    int64_t rem = begin;
    for (int64_t d = ndim - 1; d >= 0; --d) {
      idx[d] = rem % sizes[d];
      rem /= sizes[d];
    }
    std::array<char*, N> ptrs;
    for (size_t k = 0; k < N; ++k) {
      char* p = ops.data[k];
      for (int64_t d = 0; d < ndim; ++d) p += idx[d] * ops.byte_strides[k][d];
      ptrs[k] = p;
    }
    int64_t pos = begin;
    while (pos < end) {
      int64_t n = std::min(inner_size - idx[ndim - 1], end - pos);
      inner(ptrs.data(), inner_strides.data(), n);
      pos += n;
      // Advance the multi-index by n along the innermost dim, carrying outwards.
      idx[ndim - 1] += n;
      for (size_t k = 0; k < N; ++k) ptrs[k] += n * inner_strides[k];
      for (int64_t d = ndim - 1; d > 0 && idx[d] == sizes[d]; --d) {
        idx[d] = 0;
        ++idx[d - 1];
        for (size_t k = 0; k < N; ++k) {
          ptrs[k] += ops.byte_strides[k][d - 1] - sizes[d] * ops.byte_strides[k][d];
        }
      }
    }
  };
  parallel_for(0, total, kGrainSize, run_range);
}

}  // namespace pt::cpu
