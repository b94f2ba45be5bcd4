// Matrix-product kernels: BLAS (sgemm/dgemm, gemv, dot) for float32/float64, a plain loop for
// integer dtypes and for products too small to repay a BLAS call. Operands arrive checked and of
// one dtype; strided layouts BLAS can read are passed with transpose flags and leading
// dimensions, and only irregular ones are packed into a contiguous buffer.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/dtype.h"
#include "core/scalar.h"

namespace pt::cpu {

// How one row-major BLAS operand reads a rows x cols matrix with element strides (rs, cs):
// transpose=false reads (i, j) at i*ld + j; transpose=true reads it at j*ld + i; copy=true means
// neither fits (or ld overflows BLAS's int) and the matrix must be packed first, after which
// it is read untransposed with ld = max(1, cols).
struct BlasOperand {
  bool transpose = false;
  int64_t ld = 1;
  bool copy = false;
  bool operator==(const BlasOperand& o) const {
    return transpose == o.transpose && ld == o.ld && copy == o.copy;
  }
};
BlasOperand blas_operand(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride);

// Products with at most this many multiply-adds (m*n*k) run the plain loop even for floats:
// below it, the BLAS call's fixed cost exceeds the arithmetic.
constexpr int64_t kSmallProduct = 64;

// A batch of equally shaped matrices: element (b, i, j) lives at
// data + (offsets[b] + i * rs + j * cs) * itemsize. `offsets` has one entry per batch item.
struct MatrixBatch {
  char* data;
  const int64_t* offsets;
  int64_t rs, cs;
};

// out[b] = alpha * (a[b] @ b[b]) + beta * out[b] for b < batch, with a[b] m x k, b[b] k x n,
// out[b] m x n. beta == 0 ignores out's prior content (NaN included), as BLAS and torch do.
// INVARIANT: out's matrices do not overlap each other or the inputs, and out.cs == 1 unless n == 1.
void gemm(DType dtype, int64_t batch, int64_t m, int64_t n, int64_t k, const MatrixBatch& a,
          const MatrixBatch& b, const MatrixBatch& out, const Scalar& alpha, const Scalar& beta);

// *out = sum_i x[i * incx] * y[i * incy] (element strides), in the dtype's own arithmetic.
void dot(DType dtype, int64_t n, const char* x, int64_t incx, const char* y, int64_t incy, char* out);

// Whether OpenBLAS runs its parallel work on pytensor's OpenMP threads (true) or on its own
// pthread pool (false: the default). One pool cannot spin against the other, but every BLAS call
// then pays the OpenMP team's wake-up, which under OMP_WAIT_POLICY=PASSIVE on a 2-vCPU VM cost
// more than the contention it saves (quiet machine, normal priority: sgemm 256 0.20 -> 0.38 ms,
// MLP step 2.3 -> 5.4 ms). Kept switchable (_C._set_blas_shares_threads) for other machines.
// Call only while no BLAS call is running; a no-op for a BLAS other than OpenBLAS. Returns
// whether the setting took effect.
bool share_threads_with_blas(bool share);
bool blas_shares_threads();

// Runs dojob(i, jobdata + i * elsize, data) for i < numjobs, all at the same time: OpenBLAS's
// jobs wait for each other, so each needs its own thread (an OpenMP team of exactly numjobs,
// or plain threads where OpenMP cannot promise that, e.g. inside a parallel region).
void run_concurrent_jobs(void (*dojob)(int, void*, int), int numjobs, size_t elsize, void* jobdata, int data);

// The BLAS library in use, for benchmarks and bug reports: OpenBLAS's build configuration and
// the kernel it selected for this CPU, or "unknown" for a system BLAS without those calls.
const char* blas_config();
const char* blas_corename();
int blas_num_threads();  // OpenBLAS's current thread count, or -1 when it cannot be queried

}  // namespace pt::cpu
