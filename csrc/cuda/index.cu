// The indexing family on the GPU (entry points in cuda/index.h). Every op of ops/index.cpp
// reaches one of two kernels through its index-to-offset arithmetic:
//   index_kernel   out[p] = in[p + idx[p]*mult] (gather) or out[p + idx[p]*mult] (op)= in[p]
//                  (scatter; reductions use atomics), one thread per position;
//   select_tiles   the row-major compaction of a mask's selected positions (after a count and
//                  a scan of per-tile counts), writing coordinates or byte offsets.
// The rest (bounds check, offset accumulation, masked fill, zeros) are one-line elementwise
// kernels. Kernels are instantiated per dtype only where the element type matters (8 copies
// of index_kernel); everything else moves bytes by size at run time.
#include "cuda/index.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>

#include "core/errors.h"
#include "cuda/check.h"
#include "cuda/index_math.h"
#include "cuda/strided_index.h"
#include "cuda/runtime.h"

namespace pt::cuda {

// NOTE: calls between entry points are written cuda::f: their operands are cpu:: types, so
// argument-dependent lookup would also find the cpu:: twins and the call would be ambiguous.

namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

cudaStream_t current_stream() { return static_cast<cudaStream_t>(stream(current_device())); }
Device current() { return Device{DeviceType::CUDA, current_device()}; }

// Blocks for a grid-stride loop over n positions (capped: the loop covers the rest).
unsigned blocks_for(int64_t n) {
  return static_cast<unsigned>(std::min<int64_t>((n + kThreads - 1) / kThreads, 1 << 20));
}

// Device scratch memory from the caching allocator; freeing it while kernels that use it are
// still queued is safe (blocks are reused in stream order).
std::shared_ptr<void> scratch(size_t nbytes) { return allocate(nbytes, current_device()); }

#define PT_GRID_STRIDE(p, n)                                                                      \
  for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < (n);          \
       p += static_cast<int64_t>(blockDim.x) * gridDim.x)

template <typename To, typename From>
__device__ __forceinline__ To bit_cast(From from) {
  static_assert(sizeof(To) == sizeof(From), "bit_cast between types of different sizes");
  To to;
  memcpy(&to, &from, sizeof(To));
  return to;
}

// The first sizeof(T) bytes of a host scalar slot, as T.
template <typename T>
__device__ __forceinline__ T from_bits(uint64_t bits) {
  T v;
  memcpy(&v, &bits, sizeof(T));
  return v;
}

// x (op)= v as cpu::apply does it: bools or/and, other types wrap to T.
template <typename T>
__device__ __forceinline__ T combine(T x, T v, ScatterOp op) {
  if constexpr (std::is_same_v<T, bool>) {
    return op == ScatterOp::Add ? (x || v) : (x && v);
  } else {
    return op == ScatterOp::Add ? static_cast<T>(x + v) : static_cast<T>(x * v);
  }
}

// *addr = f(*addr), atomically, by compare-and-swap. 1- and 2-byte elements swap the aligned
// 32-bit word that holds them, rewriting its other bytes unchanged (a storage's blocks are
// padded to 512 bytes, so the word never reaches past the allocation).
template <typename T, typename F>
__device__ void atomic_update(T* addr, F f) {
  if constexpr (sizeof(T) == 8) {
    auto* word = reinterpret_cast<unsigned long long*>(addr);
    unsigned long long old = *word, assumed;
    do {
      assumed = old;
      old = atomicCAS(word, assumed, bit_cast<unsigned long long>(f(bit_cast<T>(assumed))));
    } while (assumed != old);
  } else if constexpr (sizeof(T) == 4) {
    auto* word = reinterpret_cast<unsigned int*>(addr);
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      old = atomicCAS(word, assumed, bit_cast<unsigned int>(f(bit_cast<T>(assumed))));
    } while (assumed != old);
  } else {
    using U = std::conditional_t<sizeof(T) == 1, uint8_t, uint16_t>;
    const uintptr_t at = reinterpret_cast<uintptr_t>(addr);
    auto* word = reinterpret_cast<unsigned int*>(at & ~uintptr_t{3});
    const unsigned shift = static_cast<unsigned>(at & 3) * 8;
    const unsigned mask = ((1u << (8 * sizeof(T))) - 1) << shift;
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      const T cur = bit_cast<T>(static_cast<U>((assumed & mask) >> shift));
      const unsigned next = (assumed & ~mask) | ((static_cast<unsigned>(bit_cast<U>(f(cur))) << shift) & mask);
      old = atomicCAS(word, assumed, next);
    } while (assumed != old);
  }
}

template <typename T>
__device__ __forceinline__ void atomic_apply(T* addr, T v, ScatterOp op) {
  if (op == ScatterOp::Add) {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, int32_t>) {
      atomicAdd(addr, v);
      return;
    } else if constexpr (std::is_same_v<T, int64_t>) {
      // Two's complement: an unsigned add is the signed add.
      atomicAdd(reinterpret_cast<unsigned long long*>(addr), static_cast<unsigned long long>(v));
      return;
    }
  }
  atomic_update(addr, [v, op](T x) { return combine(x, v, op); });
}

// ---- index_kernel ---------------------------------------------------------------------------

struct IndexArgs {
  StridedIndexer<3> calc;  // {dst, src, idx} byte offsets of a position
  char* dst;
  const char* src;  // null: every position reads `value`
  const char* idx;  // int64
  int64_t n, mult, size;
  uint64_t value;
  ScatterOp op;
  bool index_dst;
};

template <typename T>
__global__ void index_kernel(IndexArgs a) {
  PT_GRID_STRIDE(p, a.n) {
    int64_t off[3];
    a.calc.offsets(p, off);
    const int64_t shift = wrap_index(*reinterpret_cast<const int64_t*>(a.idx + off[2]), a.size) * a.mult;
    if (a.index_dst) {
      off[0] += shift;
    } else {
      off[1] += shift;
    }
    const T v = a.src ? *reinterpret_cast<const T*>(a.src + off[1]) : from_bits<T>(a.value);
    T* d = reinterpret_cast<T*>(a.dst + off[0]);
    if (a.op == ScatterOp::Copy) {
      *d = v;
    } else {
      atomic_apply(d, v, a.op);
    }
  }
}

// ---- small elementwise kernels --------------------------------------------------------------

__global__ void range_kernel(StridedIndexer<1> calc, const char* idx, int64_t n, int64_t lo, uint64_t span,
                             unsigned long long* first) {
  PT_GRID_STRIDE(p, n) {
    int64_t off[1];
    calc.offsets(p, off);
    const int64_t v = *reinterpret_cast<const int64_t*>(idx + off[0]);
    if (static_cast<uint64_t>(v - lo) >= span) atomicMin(first, static_cast<unsigned long long>(p));
  }
}

__global__ void offsets_kernel(StridedIndexer<2> calc, char* out, const char* idx, int64_t n, int64_t mult,
                               int64_t size) {
  PT_GRID_STRIDE(p, n) {
    int64_t off[2];
    calc.offsets(p, off);
    *reinterpret_cast<int64_t*>(out + off[0]) += wrap_index(*reinterpret_cast<const int64_t*>(idx + off[1]), size) *
                                                 mult;
  }
}

__device__ __forceinline__ void store_bits(char* p, int item, uint64_t bits) {
  switch (item) {
    case 1: *reinterpret_cast<uint8_t*>(p) = static_cast<uint8_t>(bits); break;
    case 2: *reinterpret_cast<uint16_t*>(p) = static_cast<uint16_t>(bits); break;
    case 4: *reinterpret_cast<uint32_t*>(p) = static_cast<uint32_t>(bits); break;
    default: *reinterpret_cast<uint64_t*>(p) = bits; break;
  }
}

__global__ void fill_where_kernel(StridedIndexer<2> calc, char* x, const char* mask, int64_t n, int item, uint64_t bits) {
  PT_GRID_STRIDE(p, n) {
    int64_t off[2];
    calc.offsets(p, off);
    if (*reinterpret_cast<const uint8_t*>(mask + off[1])) store_bits(x + off[0], item, bits);
  }
}

// ---- mask compaction ------------------------------------------------------------------------
// The positions are cut into tiles of kTile; count_tiles counts each tile's selected positions,
// scan_tiles turns the counts into each tile's first output slot (and the total), and
// select_tiles walks each tile again in rounds of kThreads positions, numbering the selected
// ones by a ballot within each warp and the warps' counts within the block. Every position
// gets its row-major rank, whatever the launch shape: the result is deterministic.

constexpr int kTile = kThreads * 16;
constexpr int kScanThreads = 1024;

struct MaskWalk {
  StridedIndexer<2> calc;  // {mask, x} byte offsets over the mask's shape
  const char* mask;
  int64_t n;
  int item;
  uint64_t keep;  // the bits that make an element nonzero
};

struct MaskOut {
  int64_t* out;
  bool coords;  // rows of ndim coordinates over `sizes`; else x's byte offset
  int ndim;
  int64_t sizes[kMaxDims];
};

__global__ void count_tiles(MaskWalk w, int64_t* counts) {
  const int64_t begin = static_cast<int64_t>(blockIdx.x) * kTile;
  const int64_t end = min(w.n, begin + kTile);
  int c = 0;
  for (int64_t p = begin + threadIdx.x; p < end; p += kThreads) {
    int64_t off[2];
    w.calc.offsets(p, off);
    c += is_nonzero(w.mask + off[0], w.item, w.keep);
  }
  for (int o = 16; o > 0; o >>= 1) c += __shfl_down_sync(0xffffffffu, c, o);
  __shared__ int warp_counts[kWarps];
  if ((threadIdx.x & 31) == 0) warp_counts[threadIdx.x >> 5] = c;
  __syncthreads();
  if (threadIdx.x == 0) {
    int64_t total = 0;
    for (int k = 0; k < kWarps; ++k) total += warp_counts[k];
    counts[blockIdx.x] = total;
  }
}

// One block: counts[0..nb) become exclusive prefix sums, counts[nb] the total.
__global__ void scan_tiles(int64_t* counts, int64_t nb) {
  __shared__ int64_t buf[kScanThreads];
  const int t = threadIdx.x;
  int64_t carry = 0;
  for (int64_t base = 0; base < nb; base += kScanThreads) {
    const int64_t i = base + t;
    const int64_t v = i < nb ? counts[i] : 0;
    buf[t] = v;
    __syncthreads();
    for (int o = 1; o < kScanThreads; o <<= 1) {  // Hillis-Steele: buf[t] = sum of buf[0..t]
      const int64_t add = t >= o ? buf[t - o] : 0;
      __syncthreads();
      buf[t] += add;
      __syncthreads();
    }
    if (i < nb) counts[i] = carry + buf[t] - v;
    carry += buf[kScanThreads - 1];
    __syncthreads();  // buf is rewritten by the next chunk
  }
  if (t == 0) counts[nb] = carry;
}

__global__ void select_tiles(MaskWalk w, const int64_t* first_slot, MaskOut o) {
  __shared__ int warp_counts[kWarps];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int64_t begin = static_cast<int64_t>(blockIdx.x) * kTile;
  const int64_t end = min(w.n, begin + kTile);
  int64_t slot = first_slot[blockIdx.x];
  // INVARIANT: every thread of the block runs the same rounds (the ballot and barriers need it).
  for (int64_t start = begin; start < end; start += kThreads) {
    const int64_t p = start + threadIdx.x;
    int64_t off[2] = {0, 0};
    bool selected = false;
    if (p < end) {
      w.calc.offsets(p, off);
      selected = is_nonzero(w.mask + off[0], w.item, w.keep);
    }
    const unsigned ballot = __ballot_sync(0xffffffffu, selected);
    if (lane == 0) warp_counts[warp] = __popc(ballot);
    __syncthreads();
    int before = 0, round_total = 0;
    for (int k = 0; k < kWarps; ++k) {
      before += k < warp ? warp_counts[k] : 0;
      round_total += warp_counts[k];
    }
    if (selected) {
      const int64_t c = slot + before + __popc(ballot & ((1u << lane) - 1));
      if (o.coords) {
        int64_t* row = o.out + c * o.ndim;
        int64_t rem = p;
        for (int d = o.ndim - 1; d >= 0; --d) {
          row[d] = rem % o.sizes[d];
          rem /= o.sizes[d];
        }
      } else {
        o.out[c] = off[1];
      }
    }
    slot += round_total;
    __syncthreads();  // warp_counts is rewritten next round
  }
}

MaskWalk make_walk(const Shape& sizes, const Operand& mask, const Shape& x_strides, size_t item, bool floating) {
  MaskWalk w;
  w.calc = make_indexer<2>(sizes, {mask.strides, x_strides});
  w.mask = mask.data;
  w.n = numel_of(sizes);
  w.item = static_cast<int>(item);
  w.keep = nonzero_bits(item, floating);
  return w;
}

int64_t tiles_of(const MaskWalk& w) {
  const int64_t nb = (w.n + kTile - 1) / kTile;
  PT_CHECK(nb <= 0x7fffffff, "CUDA mask of ", w.n, " elements is too large");
  return nb;
}

// Each tile's first output slot (device memory) and the number of selected positions, which
// is copied to the host: the output's size depends on it.
std::pair<std::shared_ptr<void>, int64_t> tile_slots(const MaskWalk& w) {
  const int64_t nb = tiles_of(w);
  if (nb == 0) return {nullptr, 0};
  std::shared_ptr<void> counts = scratch(static_cast<size_t>(nb + 1) * sizeof(int64_t));
  int64_t* c = static_cast<int64_t*>(counts.get());
  const cudaStream_t s = current_stream();
  count_tiles<<<static_cast<unsigned>(nb), kThreads, 0, s>>>(w, c);
  PT_CUDA_CHECK_LAUNCH();
  scan_tiles<<<1, kScanThreads, 0, s>>>(c, nb);
  PT_CUDA_CHECK_LAUNCH();
  int64_t total = 0;
  copy_bytes(&total, Device{}, c + nb, current(), sizeof(int64_t));
  return {std::move(counts), total};
}

void run_select(const MaskWalk& w, const std::shared_ptr<void>& slots, const MaskOut& o) {
  select_tiles<<<static_cast<unsigned>(tiles_of(w)), kThreads, 0, current_stream()>>>(
      w, static_cast<const int64_t*>(slots.get()), o);
  PT_CUDA_CHECK_LAUNCH();
}

DType dtype_of_size(size_t item) {
  switch (item) {
    case 1: return DType::UInt8;
    case 2: return DType::Int16;
    case 4: return DType::Int32;
    case 8: return DType::Int64;
  }
  throw RuntimeError(str_cat("indexing: unsupported element size ", item));
}

Shape head(const Shape& s, size_t k) { return Shape(s.begin(), s.begin() + k); }
Shape tail(const Shape& s, size_t k) { return Shape(s.begin() + k, s.end()); }

// Byte offsets into x of a bool/uint8 mask's selected positions, in a scratch buffer.
std::pair<std::shared_ptr<void>, int64_t> selected_offsets(const Shape& mask_sizes, const Operand& mask,
                                                           const Shape& x_strides) {
  std::shared_ptr<void> offsets;
  int64_t count = 0;
  cuda::mask_offsets_kernel(mask_sizes, mask, x_strides, [&](int64_t c) {
    count = c;
    offsets = scratch(static_cast<size_t>(std::max<int64_t>(c, 1)) * sizeof(int64_t));
    return static_cast<char*>(offsets.get());
  });
  return {std::move(offsets), count};
}

// The loop that moves slices between x (read at a selected offset) and a [count] + slice buffer.
IndexLoop slice_loop(int64_t count, const Shape& slice_sizes, const Shape& x_slice_strides, char* x, void* offsets) {
  IndexLoop L;
  L.sizes = Shape{count};
  L.sizes.insert(L.sizes.end(), slice_sizes.begin(), slice_sizes.end());
  L.idx = {static_cast<char*>(offsets), Shape(L.sizes.size(), 0)};
  L.idx.strides[0] = sizeof(int64_t);
  Shape x_strides{0};
  x_strides.insert(x_strides.end(), x_slice_strides.begin(), x_slice_strides.end());
  L.src = {x, x_strides};  // the caller swaps src and dst for a scatter
  L.idx_mult = 1;  // offsets are bytes, never negative
  L.idx_size = 0;
  return L;
}

}  // namespace

// ---- entry points ---------------------------------------------------------------------------

void index_loop(const IndexLoop& L, DType dtype, ScatterOp op, const void* value) {
  const int64_t n = numel_of(L.sizes);
  if (n == 0) return;
  PT_CHECK(op == ScatterOp::Copy || L.index_dst, "index_loop: reductions only scatter");
  IndexArgs a;
  a.calc = make_indexer<3>(L.sizes, {L.dst.strides, value ? Shape(L.sizes.size(), 0) : L.src.strides,
                                         L.idx.strides});
  a.dst = L.dst.data;
  a.src = value ? nullptr : L.src.data;
  a.idx = L.idx.data;
  a.n = n;
  a.mult = L.idx_mult;
  a.size = L.idx_size;
  a.value = 0;
  if (value) std::memcpy(&a.value, value, itemsize(dtype));
  a.op = op;
  a.index_dst = L.index_dst;
  const cudaStream_t s = current_stream();
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    index_kernel<T><<<blocks_for(n), kThreads, 0, s>>>(a);
  });
  PT_CUDA_CHECK_LAUNCH();
}

std::optional<int64_t> first_out_of_range(const Shape& sizes, const Operand& idx, int64_t lo, int64_t hi) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return std::nullopt;
  const StridedIndexer<1> calc = make_indexer<1>(sizes, {idx.strides});
  std::shared_ptr<void> first_buf = scratch(sizeof(unsigned long long));
  auto* first_dev = static_cast<unsigned long long*>(first_buf.get());
  const cudaStream_t s = current_stream();
  PT_CUDA_CHECK(cudaMemsetAsync(first_dev, 0xff, sizeof(unsigned long long), s));
  range_kernel<<<blocks_for(n), kThreads, 0, s>>>(calc, idx.data, n, lo, static_cast<uint64_t>(hi - lo), first_dev);
  PT_CUDA_CHECK_LAUNCH();
  unsigned long long first = 0;
  copy_bytes(&first, Device{}, first_dev, current(), sizeof(first));
  if (first == ~0ull) return std::nullopt;
  // Only on error: the first offending value (row-major), as the CPU check names it.
  int64_t off[1];
  calc.offsets(static_cast<int64_t>(first), off);
  int64_t v = 0;
  copy_bytes(&v, Device{}, idx.data + off[0], current(), sizeof(v));
  return v;
}

void accumulate_offsets(const Shape& sizes, const Operand& out, const Operand& idx, int64_t mult, int64_t size) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return;
  offsets_kernel<<<blocks_for(n), kThreads, 0, current_stream()>>>(
      make_indexer<2>(sizes, {out.strides, idx.strides}), out.data, idx.data, n, mult, size);
  PT_CUDA_CHECK_LAUNCH();
}

int64_t count_nonzero(DType mask_dtype, const Shape& sizes, const Operand& mask) {
  const MaskWalk w =
      make_walk(sizes, mask, Shape(sizes.size(), 0), itemsize(mask_dtype), is_floating(mask_dtype));
  return tile_slots(w).second;
}

void nonzero_kernel(DType mask_dtype, const Shape& sizes, const Operand& mask, const AllocFn& alloc) {
  PT_CHECK(sizes.size() <= static_cast<size_t>(kMaxDims), "nonzero is not supported for tensors with more than ",
           kMaxDims, " dimensions");
  const MaskWalk w =
      make_walk(sizes, mask, Shape(sizes.size(), 0), itemsize(mask_dtype), is_floating(mask_dtype));
  auto [slots, count] = tile_slots(w);
  MaskOut o{};
  o.out = reinterpret_cast<int64_t*>(alloc(count));
  if (count == 0 || sizes.empty()) return;  // a 0-d input's rows are empty
  o.coords = true;
  o.ndim = static_cast<int>(sizes.size());
  for (int d = 0; d < o.ndim; ++d) o.sizes[d] = sizes[d];
  run_select(w, slots, o);
}

void mask_offsets_kernel(const Shape& sizes, const Operand& mask, const Shape& x_strides, const AllocFn& alloc) {
  const MaskWalk w = make_walk(sizes, mask, x_strides, 1, false);
  auto [slots, count] = tile_slots(w);
  MaskOut o{};
  o.out = reinterpret_cast<int64_t*>(alloc(count));
  if (count == 0) return;
  o.coords = false;
  o.ndim = 0;
  run_select(w, slots, o);
}

void masked_select_kernel(size_t item, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                          const Shape& slice_sizes, const AllocFn& alloc) {
  const size_t k = mask_sizes.size();
  auto [offsets, count] = selected_offsets(mask_sizes, mask, head(x.strides, k));
  char* out = alloc(count);
  IndexLoop L = slice_loop(count, slice_sizes, tail(x.strides, k), x.data, offsets.get());
  Shape out_strides = contiguous_strides(L.sizes);
  for (auto& st : out_strides) st *= static_cast<int64_t>(item);
  L.dst = {out, out_strides};
  L.index_dst = false;
  cuda::index_loop(L, dtype_of_size(item), ScatterOp::Copy, nullptr);
}

void masked_scatter_kernel(size_t item, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                           const Shape& slice_sizes, const Operand& src) {
  const size_t k = mask_sizes.size();
  auto [offsets, count] = selected_offsets(mask_sizes, mask, head(x.strides, k));
  IndexLoop L = slice_loop(count, slice_sizes, tail(x.strides, k), x.data, offsets.get());
  L.dst = std::move(L.src);
  L.src = src;
  L.index_dst = true;
  cuda::index_loop(L, dtype_of_size(item), ScatterOp::Copy, nullptr);
}

void masked_fill_kernel(size_t item, const Shape& sizes, const Operand& x, const Operand& mask, const void* value) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return;
  uint64_t bits = 0;
  std::memcpy(&bits, value, item);
  fill_where_kernel<<<blocks_for(n), kThreads, 0, current_stream()>>>(
      make_indexer<2>(sizes, {x.strides, mask.strides}), x.data, mask.data, n, static_cast<int>(item), bits);
  PT_CUDA_CHECK_LAUNCH();
}

}  // namespace pt::cuda
