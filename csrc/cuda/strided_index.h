// Where element i (row-major) of an N-operand elementwise op lives in each operand: the index
// math of the GPU kernels, a plain header so that the host tests check the same code. Under
// nvcc it also holds the one grid-stride kernel every elementwise family launches.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/errors.h"
#include "core/macros.h"
#include "core/shape.h"
#include "cpu/loop.h"

#if defined(__CUDACC__)
#include <algorithm>

#include "cuda/check.h"
#include "cuda/runtime.h"
#endif

namespace pt::cuda {

// As torch's MAX_DIMS: more dims than this after coalescing cannot be passed to a kernel by value.
constexpr int kMaxDims = 25;

// POD, passed to kernels by value. Dims are stored innermost first, so the loop that peels the
// linear index dim by dim walks the arrays forwards.
template <size_t N>
struct StridedIndexer {
  // 0: every operand is contiguous or a broadcast number, and offset = i * step[k] (the fast
  // path most calls take: no division at all).
  int ndim = 0;
  int64_t step[N] = {};
  int64_t sizes[kMaxDims] = {};
  int64_t strides[kMaxDims][N] = {};  // bytes; one dim's strides side by side

  // Byte offsets of element `i` in each operand. INVARIANT: 0 <= i < numel.
  PT_HOST_DEVICE void offsets(int64_t i, int64_t (&out)[N]) const {
    if (ndim == 0) {
      for (size_t k = 0; k < N; ++k) out[k] = i * step[k];
      return;
    }
    for (size_t k = 0; k < N; ++k) out[k] = 0;
    // Not unrolled: one 64-bit division per dim is a long instruction sequence, and 25 inlined
    // copies per kernel tripled nvcc's time for no gain on the fast (flat) path.
#if defined(__CUDACC__)
#pragma unroll 1
#endif
    for (int d = 0; d < ndim; ++d) {
      const int64_t q = i / sizes[d];
      const int64_t r = i - q * sizes[d];
      for (size_t k = 0; k < N; ++k) out[k] += r * strides[d][k];
      i = q;
    }
  }
};

// The indexer for N operands over `sizes` (byte strides already broadcast to `sizes`): the
// flat form when every operand allows it, else the CPU loop's coalesced dims (the same
// cpu::coalesce, so both backends see one layout). RuntimeError when the coalesced layout
// has more than kMaxDims dims.
template <size_t N>
StridedIndexer<N> make_indexer(const Shape& sizes, const std::array<Shape, N>& byte_strides) {
  StridedIndexer<N> ix;
  bool flat = true;
  for (size_t k = 0; k < N; ++k) {
    ix.step[k] = cpu::flat_step(sizes, byte_strides[k]);
    flat = flat && ix.step[k] >= 0;
  }
  if (flat) return ix;
  Shape s = sizes;
  std::array<Shape, N> st = byte_strides;
  cpu::coalesce<N>(s, st);
  const int nd = static_cast<int>(s.size());
  PT_CHECK(nd <= kMaxDims, "CUDA kernels support at most ", kMaxDims,
           " dims after merging contiguous ones; this operation needs ", nd);
  ix.ndim = nd;
  for (int d = 0; d < nd; ++d) {
    ix.sizes[d] = s[nd - 1 - d];
    for (size_t k = 0; k < N; ++k) ix.strides[d][k] = st[k][nd - 1 - d];
  }
  for (size_t k = 0; k < N; ++k) ix.step[k] = 0;
  return ix;
}

#if defined(__CUDACC__)
// Operand base addresses, by value.
template <size_t N>
struct Pointers {
  char* p[N];
};

// The one elementwise kernel: a grid-stride loop over linear indices; `f(ptrs)` reads and writes
// one element through the operands' addresses. int64 indices throughout (no 2^31 limit).
template <size_t N, typename F>
__global__ void elementwise_kernel(int64_t n, StridedIndexer<N> ix, Pointers<N> base, F f) {
  const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    int64_t off[N];
    ix.offsets(i, off);
    char* p[N];
#pragma unroll
    for (size_t k = 0; k < N; ++k) p[k] = base.p[k] + off[k];
    f(p);
  }
}

// Queues f over every element of `sizes` on the current device's stream.
template <size_t N, typename F>
void launch_elementwise(const Shape& sizes, const std::array<char*, N>& data,
                        const std::array<Shape, N>& byte_strides, const F& f) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return;
  const StridedIndexer<N> ix = make_indexer<N>(sizes, byte_strides);
  Pointers<N> base;
  for (size_t k = 0; k < N; ++k) base.p[k] = data[k];
  // Enough blocks to fill any current GPU; larger tensors loop (grid-stride) instead of
  // launching more.
  constexpr int kThreads = 256;
  constexpr int64_t kMaxBlocks = 65536;
  const int64_t blocks = std::min<int64_t>((n + kThreads - 1) / kThreads, kMaxBlocks);
  auto s = static_cast<cudaStream_t>(stream(current_device()));
  elementwise_kernel<N, F><<<static_cast<unsigned>(blocks), kThreads, 0, s>>>(n, ix, base, f);
  PT_CUDA_CHECK_LAUNCH();
}
#endif

}  // namespace pt::cuda
