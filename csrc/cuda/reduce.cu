// Reductions, softmax and scans on the GPU. One kernel template reduces rows: a block folds one
// row (or one chunk of a long row) with each thread accumulating a strided subset in index
// order, then a shared-memory tree combines the threads. Rows too long for the blocks the
// grid has are split into chunks whose partial accumulators a second launch combines. Every
// split depends on the shapes only, so results are reproducible run to run.
//
// An op is: acc_t, identity(), load(x, row, i) -> acc_t, combine(a, b), write(row, acc).
// Accumulation is in float for float32 and in int64 for integers and bool, as torch's CUDA
// kernels do (the CPU kernels sum float32 in double; results agree to float32 rounding).
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>

#include "core/errors.h"
#include "cpu/arg_extreme.h"
#include "cuda/check.h"
#include "cuda/reduce.h"
#include "cuda/runtime.h"

namespace pt::cuda {

namespace {

constexpr int kMaxThreads = 256;
constexpr int64_t kMinChunk = 4096;     // elements per block when a row is split
constexpr int64_t kTargetBlocks = 512;  // split rows only while fewer blocks than this exist
constexpr int64_t kMaxGrid = int64_t{1} << 20;

cudaStream_t current_stream() { return static_cast<cudaStream_t>(stream(current_device())); }

// A power of two in [32, kMaxThreads], about the row length.
int threads_for(int64_t len) {
  int t = 32;
  while (t < kMaxThreads && t < len) t *= 2;
  return t;
}

template <typename T> __device__ inline T t_exp(T x) {
  if constexpr (std::is_same_v<T, float>) return expf(x);
  else return exp(x);
}
template <typename T> __device__ inline T t_log(T x) {
  if constexpr (std::is_same_v<T, float>) return logf(x);
  else return log(x);
}
template <typename T> __device__ inline bool t_isnan(T x) {
  if constexpr (std::is_floating_point_v<T>) return isnan(x);
  else return false;
}

// ---- element transforms (what a sum-like op adds up) ------------------------------------------
struct Ident {
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t) const { return static_cast<Acc>(x); }
};
struct NonZero {
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t) const { return x != T(0) ? Acc(1) : Acc(0); }
};
struct Abs {
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t) const { return fabs(static_cast<Acc>(x)); }
};
struct Square {
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t) const {
    const Acc v = static_cast<Acc>(x);
    return v * v;
  }
};
struct PowAbs {
  double p;
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t) const {
    return pow(fabs(static_cast<Acc>(x)), static_cast<Acc>(p));
  }
};
template <typename C>
struct SquaredDeviation {  // (x - mean[row])^2
  const C* means;
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t row) const {
    const Acc d = static_cast<Acc>(x) - static_cast<Acc>(means[row]);
    return d * d;
  }
};
// exp(x - c) with c the row's max when finite, else 0: an infinite or NaN max then gives
// torch's inf, -inf or NaN through log (as the CPU kernel).
template <typename C>
__device__ inline C lse_center(C m) {
  return isfinite(m) ? m : C(0);
}
template <typename C>
struct ExpShifted {
  const C* maxes;
  template <typename Acc, typename T> __device__ Acc apply(T x, int64_t row) const {
    return t_exp(static_cast<Acc>(x) - static_cast<Acc>(lse_center(maxes[row])));
  }
};

// What happens to a sum before it is stored.
struct Post {
  enum Kind { None, Div, Sqrt, Root, VarDiv, VarDivSqrt, LogPlusCenter } kind = None;
  double v = 0;
  const void* centers = nullptr;  // LogPlusCenter: the row maxes (the input dtype)
  template <typename Acc> __device__ Acc apply(Acc a, int64_t row) const {
    if constexpr (std::is_floating_point_v<Acc>) {
      switch (kind) {
        case Div: return a / static_cast<Acc>(v);
        case Sqrt: return sqrt(a);
        case Root: return pow(a, static_cast<Acc>(1.0 / v));
        case VarDiv: return a / static_cast<Acc>(v);
        case VarDivSqrt: return sqrt(a / static_cast<Acc>(v));
        case LogPlusCenter: return t_log(a) + lse_center(static_cast<const Acc*>(centers)[row]);
        default: return a;
      }
    } else {
      return a;
    }
  }
};

// ---- ops ------------------------------------------------------------------------------------
template <typename T, typename Acc, typename Out, typename Tr>
struct SumOp {
  using in_t = T;
  using acc_t = Acc;
  Tr tr;
  Post post;
  Out* out;
  __device__ Acc identity() const { return Acc(0); }
  __device__ Acc load(T x, int64_t row, int64_t) const { return tr.template apply<Acc>(x, row); }
  __device__ Acc combine(Acc a, Acc b) const { return a + b; }
  __device__ void write(int64_t row, Acc a) const { out[row] = static_cast<Out>(post.apply(a, row)); }
};

template <typename T, typename Acc>
struct ProdOp {
  using in_t = T;
  using acc_t = Acc;
  Acc* out;
  __device__ Acc identity() const { return Acc(1); }
  __device__ Acc load(T x, int64_t, int64_t) const { return static_cast<Acc>(x); }
  __device__ Acc combine(Acc a, Acc b) const { return a * b; }
  __device__ void write(int64_t row, Acc a) const { out[row] = a; }
};

// The identity of max (min): the smallest (largest) value of T; numeric_limits is host-only.
template <typename T, bool kMax>
T extreme_identity() {
  if constexpr (std::is_same_v<T, bool>) return !kMax;
  else if constexpr (std::is_floating_point_v<T>)
    return kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
  else return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
}

// NaN-propagating max/min of x (|x| with kAbs); bool: or/and.
template <typename T, bool kMax, bool kAbs = false>
struct MinMaxOp {
  using in_t = T;
  using acc_t = T;
  T* out;
  T init = extreme_identity<T, kMax>();
  __device__ T identity() const { return init; }
  __device__ T load(T x, int64_t, int64_t) const {
    if constexpr (kAbs) return fabs(x);
    else return x;
  }
  __device__ T combine(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) {
      return kMax ? (a || b) : (a && b);
    } else {
      if (t_isnan(a)) return a;
      if (t_isnan(b)) return b;
      return (kMax ? b > a : b < a) ? b : a;
    }
  }
  __device__ void write(int64_t row, T a) const { out[row] = a; }
};

template <typename T, bool kAll>
struct AllAnyOp {
  using in_t = T;
  using acc_t = uint8_t;
  uint8_t* out;
  __device__ uint8_t identity() const { return kAll; }
  __device__ uint8_t load(T x, int64_t, int64_t) const { return x != T(0); }
  __device__ uint8_t combine(uint8_t a, uint8_t b) const { return kAll ? (a & b) : (a | b); }
  __device__ void write(int64_t row, uint8_t a) const { out[row] = a; }
};

// max/min with its index, by the rule in cpu/arg_extreme.h.
template <typename T, bool kMax>
struct ArgOp {
  using in_t = T;
  using acc_t = cpu::ValIdx<T>;
  T* values;  // may be null
  int64_t* indices;
  __device__ acc_t identity() const { return {T(), -1}; }
  __device__ acc_t load(T x, int64_t, int64_t i) const { return {x, i}; }
  __device__ acc_t combine(acc_t a, acc_t b) const { return cpu::arg_combine<T, kMax>(a, b); }
  __device__ void write(int64_t row, acc_t a) const {
    if (values) values[row] = a.v;
    indices[row] = a.i;
  }
};

// ---- the row-reduction kernel -----------------------------------------------------------------
enum class Mode { kFinal, kPartial, kFromPartial };

// All threads of the block get the combination of every thread's v (blockDim.x a power of 2).
template <typename Acc, typename Op>
__device__ Acc block_combine(Acc v, Acc* sh, const Op& op) {
  sh[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) sh[threadIdx.x] = op.combine(sh[threadIdx.x], sh[threadIdx.x + s]);
    __syncthreads();
  }
  const Acc r = sh[0];
  __syncthreads();  // sh is reused by the caller's next round
  return r;
}

// Block b folds chunk b % nchunks of row b / nchunks: elements [c * chunk, (c + 1) * chunk).
// kFromPartial reads rows of `len` partial accumulators instead of the input.
template <typename Op>
__global__ void reduce_rows_kernel(const typename Op::in_t* in, typename Op::acc_t* partial, int64_t rows,
                                   int64_t len, int64_t chunk, int64_t nchunks, Op op, Mode mode) {
  using Acc = typename Op::acc_t;
  extern __shared__ __align__(16) unsigned char smem[];
  Acc* sh = reinterpret_cast<Acc*>(smem);
  const int64_t total = rows * nchunks;
  for (int64_t b = blockIdx.x; b < total; b += gridDim.x) {
    const int64_t row = b / nchunks, c = b % nchunks;
    const int64_t begin = c * chunk, end = min(len, begin + chunk);
    Acc acc = op.identity();
    if (mode == Mode::kFromPartial) {
      const Acc* p = partial + row * len;
      for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) acc = op.combine(acc, p[i]);
    } else {
      const typename Op::in_t* p = in + row * len;
      for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) acc = op.combine(acc, op.load(p[i], row, i));
    }
    acc = block_combine(acc, sh, op);
    if (threadIdx.x == 0) {
      if (mode == Mode::kPartial) partial[row * nchunks + c] = acc;
      else op.write(row, acc);
    }
  }
}

template <typename Op>
void launch_rows(const Op& op, const typename Op::in_t* in, typename Op::acc_t* partial, int64_t rows, int64_t len,
                 int64_t chunk, int64_t nchunks, Mode mode) {
  const int threads = threads_for(mode == Mode::kFromPartial ? len : chunk);
  const int64_t grid = std::min(rows * nchunks, kMaxGrid);
  reduce_rows_kernel<Op><<<static_cast<unsigned>(grid), threads, threads * sizeof(typename Op::acc_t),
                           current_stream()>>>(in, partial, rows, len, chunk, nchunks, op, mode);
  PT_CUDA_CHECK_LAUNCH();
}

// Reduces rows x len elements of `in` with `op`, one result per row.
template <typename Op>
void run(const Op& op, const void* in_v, int64_t rows, int64_t len) {
  if (rows == 0) return;
  using Acc = typename Op::acc_t;
  const auto* in = static_cast<const typename Op::in_t*>(in_v);
  int64_t nchunks = 1;
  if (rows < kTargetBlocks && len > 2 * kMinChunk) {
    nchunks = std::min((len + kMinChunk - 1) / kMinChunk, (kTargetBlocks + rows - 1) / rows);
  }
  if (nchunks <= 1) {
    launch_rows(op, in, nullptr, rows, len, len, 1, Mode::kFinal);
    return;
  }
  const int64_t chunk = (len + nchunks - 1) / nchunks;
  std::shared_ptr<void> partial = allocate(static_cast<size_t>(rows * nchunks) * sizeof(Acc), current_device());
  Acc* p = static_cast<Acc*>(partial.get());
  launch_rows(op, in, p, rows, len, chunk, nchunks, Mode::kPartial);
  launch_rows(op, in, p, rows, nchunks, nchunks, 1, Mode::kFromPartial);
}

template <typename Fn>
void dispatch_float(DType d, Fn&& fn) {
  if (d == DType::Float32) fn(float{});
  else if (d == DType::Float64) fn(double{});
  else throw TypeError(str_cat("expected a floating dtype, got ", dtype_name(d)));
}

// ---- softmax --------------------------------------------------------------------------------

// The softmax dim is innermost: a block per row, three passes (max, sum of exp, write).
template <typename T>
__global__ void softmax_rows_kernel(const T* in, T* out, int64_t rows, int64_t n, bool log) {
  extern __shared__ __align__(16) unsigned char smem[];
  T* sh = reinterpret_cast<T*>(smem);
  const MinMaxOp<T, true> mx_op{nullptr, static_cast<T>(-INFINITY)};
  const SumOp<T, T, T, Ident> sum_op{};
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* x = in + r * n;
    T* y = out + r * n;
    T m = mx_op.identity();
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) m = mx_op.combine(m, x[i]);
    m = block_combine(m, sh, mx_op);
    T s = 0;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) s += t_exp(x[i] - m);
    s = block_combine(s, sh, sum_op);
    if (log) {
      const T shift = t_log(s);
      for (int64_t i = threadIdx.x; i < n; i += blockDim.x) y[i] = x[i] - m - shift;
    } else {
      const T inv = T(1) / s;
      for (int64_t i = threadIdx.x; i < n; i += blockDim.x) y[i] = t_exp(x[i] - m) * inv;
    }
  }
}

// The softmax dim is not innermost: a thread per (outer, inner) column; neighbouring threads
// read neighbouring elements.
template <typename T>
__global__ void softmax_columns_kernel(const T* in, T* out, int64_t outer, int64_t n, int64_t inner, bool log) {
  const MinMaxOp<T, true> mx_op{nullptr, static_cast<T>(-INFINITY)};
  const int64_t total = outer * inner;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < total; t += step) {
    const int64_t o = t / inner, j = t % inner;
    const T* x = in + o * n * inner + j;
    T* y = out + o * n * inner + j;
    T m = mx_op.identity();
    for (int64_t k = 0; k < n; ++k) m = mx_op.combine(m, x[k * inner]);
    T s = 0;
    for (int64_t k = 0; k < n; ++k) s += t_exp(x[k * inner] - m);
    if (log) {
      const T shift = t_log(s);
      for (int64_t k = 0; k < n; ++k) y[k * inner] = x[k * inner] - m - shift;
    } else {
      const T inv = T(1) / s;
      for (int64_t k = 0; k < n; ++k) y[k * inner] = t_exp(x[k * inner] - m) * inv;
    }
  }
}

// ---- scans ----------------------------------------------------------------------------------
template <typename Acc, bool kProd>
struct ScanOp {
  __device__ Acc identity() const { return kProd ? Acc(1) : Acc(0); }
  __device__ Acc combine(Acc a, Acc b) const { return kProd ? a * b : a + b; }
};

// The scan dim is innermost: a block per row, scanning tiles of blockDim elements (Hillis-Steele
// in shared memory) and carrying each tile's total into the next.
template <typename T, typename Acc, bool kProd>
__global__ void scan_rows_kernel(const T* in, T* out, int64_t rows, int64_t n) {
  extern __shared__ __align__(16) unsigned char smem[];
  Acc* sh = reinterpret_cast<Acc*>(smem);
  const ScanOp<Acc, kProd> op;
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* x = in + r * n;
    T* y = out + r * n;
    Acc carry = op.identity();
    for (int64_t t0 = 0; t0 < n; t0 += blockDim.x) {
      const int64_t i = t0 + threadIdx.x;
      sh[threadIdx.x] = i < n ? static_cast<Acc>(x[i]) : op.identity();
      __syncthreads();
      for (unsigned off = 1; off < blockDim.x; off *= 2) {
        const Acc prev = threadIdx.x >= off ? sh[threadIdx.x - off] : op.identity();
        __syncthreads();
        sh[threadIdx.x] = op.combine(prev, sh[threadIdx.x]);
        __syncthreads();
      }
      if (i < n) y[i] = static_cast<T>(op.combine(carry, sh[threadIdx.x]));
      carry = op.combine(carry, sh[blockDim.x - 1]);
      __syncthreads();  // everyone has read sh before the next tile overwrites it
    }
  }
}

template <typename T, typename Acc, bool kProd>
__global__ void scan_columns_kernel(const T* in, T* out, int64_t outer, int64_t n, int64_t inner) {
  const ScanOp<Acc, kProd> op;
  const int64_t total = outer * inner;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < total; t += step) {
    const int64_t o = t / inner, j = t % inner;
    const int64_t base = o * n * inner + j;
    Acc acc = op.identity();
    for (int64_t k = 0; k < n; ++k) {
      acc = op.combine(acc, static_cast<Acc>(in[base + k * inner]));
      out[base + k * inner] = static_cast<T>(acc);
    }
  }
}

unsigned grid_for(int64_t blocks) { return static_cast<unsigned>(std::min(std::max<int64_t>(blocks, 1), kMaxGrid)); }

}  // namespace

void reduce_rows(ReduceKind kind, DType dtype, const void* in, int64_t rows, int64_t len, void* out, double param) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    constexpr bool kFloat = std::is_floating_point_v<T>;
    using Wide = std::conditional_t<kFloat, T, int64_t>;  // sum and prod accumulate here
    switch (kind) {
      case ReduceKind::Sum:
        return run(SumOp<T, Wide, Wide, Ident>{{}, {}, static_cast<Wide*>(out)}, in, rows, len);
      case ReduceKind::Prod: return run(ProdOp<T, Wide>{static_cast<Wide*>(out)}, in, rows, len);
      case ReduceKind::Max: return run(MinMaxOp<T, true, false>{static_cast<T*>(out)}, in, rows, len);
      case ReduceKind::Min: return run(MinMaxOp<T, false, false>{static_cast<T*>(out)}, in, rows, len);
      case ReduceKind::All: return run(AllAnyOp<T, true>{static_cast<uint8_t*>(out)}, in, rows, len);
      case ReduceKind::Any: return run(AllAnyOp<T, false>{static_cast<uint8_t*>(out)}, in, rows, len);
      case ReduceKind::CountNonzero:
        return run(SumOp<T, int64_t, int64_t, NonZero>{{}, {}, static_cast<int64_t*>(out)}, in, rows, len);
      default: break;
    }
    if constexpr (kFloat) {
      T* o = static_cast<T*>(out);
      switch (kind) {
        case ReduceKind::Mean:
          return run(SumOp<T, T, T, Ident>{{}, {Post::Div, static_cast<double>(len)}, o}, in, rows, len);
        case ReduceKind::NormP1: return run(SumOp<T, T, T, Abs>{{}, {}, o}, in, rows, len);
        case ReduceKind::NormP2: return run(SumOp<T, T, T, Square>{{}, {Post::Sqrt}, o}, in, rows, len);
        case ReduceKind::NormInf: return run(MinMaxOp<T, true, true>{o}, in, rows, len);
        case ReduceKind::NormNegInf: return run(MinMaxOp<T, false, true>{o}, in, rows, len);
        case ReduceKind::NormP0: return run(SumOp<T, T, T, NonZero>{{}, {}, o}, in, rows, len);
        case ReduceKind::NormP: return run(SumOp<T, T, T, PowAbs>{{param}, {Post::Root, param}, o}, in, rows, len);
        default: break;
      }
    }
    throw TypeError(str_cat("reduction not supported for dtype ", dtype_name(dtype)));
  });
}

void arg_reduce_rows(bool is_max, DType dtype, const void* in, int64_t rows, int64_t len, void* values,
                     int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if (is_max) run(ArgOp<T, true>{static_cast<T*>(values), indices}, in, rows, len);
    else run(ArgOp<T, false>{static_cast<T*>(values), indices}, in, rows, len);
  });
}

void var_rows(DType dtype, const void* in, int64_t rows, int64_t len, double correction, bool take_sqrt, void* out) {
  if (rows == 0) return;
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    // Two passes, as the CPU kernel: the row means, then the squared deviations from them.
    std::shared_ptr<void> means = allocate(static_cast<size_t>(rows) * sizeof(T), current_device());
    T* mp = static_cast<T*>(means.get());
    run(SumOp<T, T, T, Ident>{{}, {Post::Div, static_cast<double>(len)}, mp}, in, rows, len);
    const double dof = std::max(0.0, static_cast<double>(len) - correction);
    const Post post{take_sqrt ? Post::VarDivSqrt : Post::VarDiv, dof};
    run(SumOp<T, T, T, SquaredDeviation<T>>{{mp}, post, static_cast<T*>(out)}, in, rows, len);
  });
}

void logsumexp_rows(DType dtype, const void* in, int64_t rows, int64_t len, void* out) {
  if (rows == 0) return;
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    std::shared_ptr<void> maxes = allocate(static_cast<size_t>(rows) * sizeof(T), current_device());
    T* mp = static_cast<T*>(maxes.get());
    run(MinMaxOp<T, true, false>{mp}, in, rows, len);
    run(SumOp<T, T, T, ExpShifted<T>>{{mp}, {Post::LogPlusCenter, 0, mp}, static_cast<T*>(out)}, in, rows, len);
  });
}

void softmax(DType dtype, const void* in, void* out, int64_t outer, int64_t n, int64_t inner, bool log) {
  if (outer * n * inner == 0) return;
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* x = static_cast<const T*>(in);
    T* y = static_cast<T*>(out);
    if (inner == 1) {
      const int threads = threads_for(n);
      softmax_rows_kernel<T><<<grid_for(outer), threads, threads * sizeof(T), current_stream()>>>(x, y, outer, n, log);
    } else {
      softmax_columns_kernel<T><<<grid_for((outer * inner + kMaxThreads - 1) / kMaxThreads), kMaxThreads, 0,
                                  current_stream()>>>(x, y, outer, n, inner, log);
    }
    PT_CUDA_CHECK_LAUNCH();
  });
}

void cumulative(bool prod, DType dtype, const void* in, void* out, int64_t outer, int64_t n, int64_t inner) {
  if (outer * n * inner == 0) return;
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    using Acc = std::conditional_t<std::is_floating_point_v<T>, T, int64_t>;
    const T* x = static_cast<const T*>(in);
    T* y = static_cast<T*>(out);
    cudaStream_t s = current_stream();
    if (inner == 1) {
      const int threads = threads_for(n);
      const size_t shmem = threads * sizeof(Acc);
      if (prod) scan_rows_kernel<T, Acc, true><<<grid_for(outer), threads, shmem, s>>>(x, y, outer, n);
      else scan_rows_kernel<T, Acc, false><<<grid_for(outer), threads, shmem, s>>>(x, y, outer, n);
    } else {
      const unsigned grid = grid_for((outer * inner + kMaxThreads - 1) / kMaxThreads);
      if (prod) scan_columns_kernel<T, Acc, true><<<grid, kMaxThreads, 0, s>>>(x, y, outer, n, inner);
      else scan_columns_kernel<T, Acc, false><<<grid, kMaxThreads, 0, s>>>(x, y, outer, n, inner);
    }
    PT_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace pt::cuda
