// Matrix products on the GPU through cuBLAS's strided-batched GEMMs (planning in linalg.h, the
// run-time loader in cublas.cpp). Operands whose strides fit no leading dimension are packed by
// a small gather kernel first; broadcast batch dims stay broadcast (stride 0) in the copy.
#include <cuda_runtime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <type_traits>

#include "core/errors.h"
#include "core/generator.h"
#include "cuda/check.h"
#include "cuda/cublas.h"
#include "cuda/linalg.h"
#include "cuda/runtime.h"

namespace pt::cuda {

namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = int64_t{1} << 16;
// Matrices per cuBLAS call: older cuBLAS releases put the batch in a 16-bit grid dimension.
constexpr int64_t kMaxBatchPerCall = 65535;
constexpr int kMaxLayoutDims = 16;

// A strided walk over up to kMaxLayoutDims dims, passed to kernels by value.
struct Layout {
  int nd = 0;
  int64_t sizes[kMaxLayoutDims];
  int64_t strides[kMaxLayoutDims];

  void push(int64_t size, int64_t stride) {
    if (size == 1) return;  // never stepped along
    PT_CHECK(nd < kMaxLayoutDims, "CUDA matrix products support at most ", kMaxLayoutDims - 2, " batch dims");
    sizes[nd] = size;
    strides[nd] = stride;
    ++nd;
  }
  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < nd; ++d) n *= sizes[d];
    return n;
  }
};

// Element offset of the i-th element (row-major over the layout's sizes).
__device__ inline int64_t offset_of(int64_t i, const Layout& L) {
  int64_t off = 0;
  for (int d = L.nd - 1; d >= 0; --d) {
    off += (i % L.sizes[d]) * L.strides[d];
    i /= L.sizes[d];
  }
  return off;
}

template <typename T>
__global__ void gather_kernel(const T* src, T* dst, int64_t n, Layout L) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    dst[i] = src[offset_of(i, L)];
  }
}

// c = beta * c, where beta == 0 writes zeros (NaN in c does not survive, as in BLAS).
template <typename T>
__global__ void scale_kernel(T* c, int64_t n, Layout L, T beta) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    T* p = c + offset_of(i, L);
    *p = beta == T(0) ? T(0) : beta * *p;
  }
}

unsigned blocks_for(int64_t n) {
  return static_cast<unsigned>(std::min<int64_t>((n + kThreads - 1) / kThreads, kMaxBlocks));
}

cudaStream_t current_stream() { return static_cast<cudaStream_t>(stream(current_device())); }

void check_cublas(cublasStatus_t status, const char* call) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw RuntimeError(str_cat("CUDA error: ", cublas_status_text(status), " when calling `", call, "`"));
}

// One cuBLAS handle per device, bound to that device's stream, never destroyed (it may be in
// use until the process ends).
cublasHandle_t handle_for(int device) {
  static std::mutex mutex;
  static cublasHandle_t handles[kMaxCudaDevices] = {};
  PT_CHECK(device >= 0 && device < kMaxCudaDevices, "CUDA error: invalid device ordinal ", device);
  const CublasApi& api = cublas();
  std::lock_guard<std::mutex> lock(mutex);
  if (handles[device] == nullptr) {
    DeviceGuard guard(Device{DeviceType::CUDA, device});
    cublasHandle_t h = nullptr;
    check_cublas(api.create(&h), "cublasCreate(handle)");
    check_cublas(api.set_math_mode(h, CUBLAS_DEFAULT_MATH), "cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH)");
    check_cublas(api.set_stream(h, stream(device)), "cublasSetStream(handle, stream)");
    handles[device] = h;
  }
  return handles[device];
}

// A dense row-major copy of `op` (rows x cols per batch item) in `holder`'s memory; batch dims
// where op is broadcast keep stride 0 and are copied once.
template <typename T>
GemmOperand pack(const GemmOperand& op, const Shape& batch, int64_t rows, int64_t cols,
                 std::shared_ptr<void>& holder) {
  Layout L;
  Shape packed_sizes(batch.size());
  for (size_t d = 0; d < batch.size(); ++d) {
    packed_sizes[d] = op.batch_strides[d] == 0 ? 1 : batch[d];
    L.push(packed_sizes[d], op.batch_strides[d]);
  }
  L.push(rows, op.rs);
  L.push(cols, op.cs);
  const int64_t n = L.numel();
  holder = allocate(static_cast<size_t>(n) * sizeof(T), current_device());
  T* dst = static_cast<T*>(holder.get());
  gather_kernel<T><<<blocks_for(n), kThreads, 0, current_stream()>>>(reinterpret_cast<const T*>(op.data), dst, n, L);
  PT_CUDA_CHECK_LAUNCH();
  GemmOperand out{reinterpret_cast<char*>(dst), Shape(batch.size(), 0), cols, 1};
  int64_t stride = rows * cols;
  for (size_t d = batch.size(); d-- > 0;) {
    if (packed_sizes[d] == 1) continue;  // broadcast (or size 1): stays 0
    out.batch_strides[d] = stride;
    stride *= packed_sizes[d];
  }
  return out;
}

template <typename T>
void gemm_typed(const Shape& batch, int64_t m, int64_t n, int64_t k, const GemmOperand& a, const GemmOperand& b,
                const GemmOperand& c, double alpha_d, double beta_d) {
  cudaStream_t s = current_stream();
  const T alpha = static_cast<T>(alpha_d), beta = static_cast<T>(beta_d);
  if (k == 0) {  // an empty sum: c = beta * c
    Layout L;
    for (size_t d = 0; d < batch.size(); ++d) L.push(batch[d], c.batch_strides[d]);
    L.push(m, c.rs);
    L.push(n, c.cs);
    scale_kernel<T><<<blocks_for(L.numel()), kThreads, 0, s>>>(reinterpret_cast<T*>(c.data), L.numel(), L, beta);
    PT_CUDA_CHECK_LAUNCH();
    return;
  }
  const GemmCall call = plan_gemm(m, n, k, a.rs, a.cs, b.rs, b.cs, c.rs, c.cs);
  std::shared_ptr<void> hold_a, hold_b;  // packed copies live until the calls are queued
  const GemmOperand pa = call.pack_a ? pack<T>(a, batch, m, k, hold_a) : a;
  const GemmOperand pb = call.pack_b ? pack<T>(b, batch, k, n, hold_b) : b;
  const BatchPlan plan = plan_batches(batch, pa.batch_strides, pb.batch_strides, c.batch_strides);
  const CublasApi& api = cublas();
  cublasHandle_t h = handle_for(current_device());
  const int op_first = call.trans_first ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int op_second = call.trans_second ? CUBLAS_OP_T : CUBLAS_OP_N;

  const T* base_a = reinterpret_cast<const T*>(pa.data);
  const T* base_b = reinterpret_cast<const T*>(pb.data);
  T* base_c = reinterpret_cast<T*>(c.data);
  const int64_t n_outer = numel_of(plan.outer);
  Shape idx(plan.outer.size(), 0);
  for (int64_t o = 0; o < n_outer; ++o) {
    int64_t oa = 0, ob = 0, oc = 0;
    for (size_t d = 0; d < idx.size(); ++d) {
      oa += idx[d] * plan.outer_strides[0][d];
      ob += idx[d] * plan.outer_strides[1][d];
      oc += idx[d] * plan.outer_strides[2][d];
    }
    for (int64_t start = 0; start < plan.count; start += kMaxBatchPerCall) {
      const int count = static_cast<int>(std::min(kMaxBatchPerCall, plan.count - start));
      const T* pa_ptr = base_a + oa + start * plan.stride[0];
      const T* pb_ptr = base_b + ob + start * plan.stride[1];
      T* pc_ptr = base_c + oc + start * plan.stride[2];
      // cuBLAS's first operand is our b, its second our a (C^T = B^T A^T).
      if constexpr (std::is_same_v<T, float>) {
        check_cublas(api.sgemm_strided_batched(h, op_first, op_second, call.m, call.n, call.k, &alpha, pb_ptr,
                                               call.ld_first, plan.stride[1], pa_ptr, call.ld_second, plan.stride[0],
                                               &beta, pc_ptr, call.ldc, plan.stride[2], count),
                     "cublasSgemmStridedBatched");
      } else {
        check_cublas(api.dgemm_strided_batched(h, op_first, op_second, call.m, call.n, call.k, &alpha, pb_ptr,
                                               call.ld_first, plan.stride[1], pa_ptr, call.ld_second, plan.stride[0],
                                               &beta, pc_ptr, call.ldc, plan.stride[2], count),
                     "cublasDgemmStridedBatched");
      }
    }
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < plan.outer[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace

void gemm(DType dtype, const Shape& batch, int64_t m, int64_t n, int64_t k, const GemmOperand& a,
          const GemmOperand& b, const GemmOperand& c, double alpha, double beta) {
  PT_CHECK(is_floating(dtype), "CUDA gemm: float32 or float64 expected, got ", dtype_name(dtype));
  if (m == 0 || n == 0 || numel_of(batch) == 0) return;
  if (dtype == DType::Float32) gemm_typed<float>(batch, m, n, k, a, b, c, alpha, beta);
  else gemm_typed<double>(batch, m, n, k, a, b, c, alpha, beta);
}

}  // namespace pt::cuda
