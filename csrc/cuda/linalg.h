// The linalg family's CUDA entry points, listed once in PT_FORALL_CUDA_LINALG_KERNELS as
// _(return type, name, (parameters)): the CUDA build defines each in linalg.cu; a CPU-only build
// gets stubs from no_cuda.cpp. Operands are validated by the ops layer; work is queued on the
// current device's stream.
//
// Matrix products go to cuBLAS (loaded at run time, cuda/cublas.h) as strided-batched GEMMs on
// row-major data read column-major: C^T = B^T A^T, so a row-major operand is a column-major one
// with the same leading dimension and no copy. The planning below is plain host code, unit
// tested without a GPU (tests/cpp/test_cuda_host.cpp).
#pragma once
#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/errors.h"
#include "core/shape.h"
#include "cpu/matmul.h"

namespace pt::cuda {

// A batch of row-major matrices: element (b..., i, j) lives at
// data + (sum_d b_d * batch_strides[d] + i * rs + j * cs) * itemsize, with one batch stride per
// batch dim of the product (0 where the operand is broadcast).
struct GemmOperand {
  char* data;
  Shape batch_strides;
  int64_t rs, cs;
};

// _(return type, name, (parameters))
// gemm: c = alpha * a @ b + beta * c over the batch, a: m x k, b: k x n, c: m x n; float32 or
// float64. beta == 0 ignores c's prior content (NaN included). INVARIANT: c's matrices are
// distinct, do not overlap a or b, and are row-major with unit column stride (or n == 1).
#define PT_FORALL_CUDA_LINALG_KERNELS(_)                                                              \
  _(void, gemm, (DType dtype, const Shape& batch, int64_t m, int64_t n, int64_t k, const GemmOperand& a, \
                 const GemmOperand& b, const GemmOperand& c, double alpha, double beta))

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_LINALG_KERNELS(PT_DECLARE)
#undef PT_DECLARE

// ---- planning (host) ----------------------------------------------------------------------

// One cuBLAS gemm in cuBLAS's own (column-major) terms, for row-major out(m x n) = a(m x k) @
// b(k x n): cuBLAS's first operand is our b, its second our a, and its m, n are our n, m.
// pack_a / pack_b: that operand's strides fit no leading dimension; it must be copied to a
// dense row-major buffer first (then lda / ldb are those of the copy).
struct GemmCall {
  bool trans_first = false, trans_second = false;  // op() of cuBLAS's A (our b) and B (our a)
  int m = 0, n = 0, k = 0;
  int ld_first = 1, ld_second = 1, ldc = 1;
  bool pack_a = false, pack_b = false;
};

inline GemmCall plan_gemm(int64_t m, int64_t n, int64_t k, int64_t a_rs, int64_t a_cs, int64_t b_rs, int64_t b_cs,
                          int64_t c_rs, int64_t c_cs) {
  PT_CHECK(m <= INT_MAX && n <= INT_MAX && k <= INT_MAX, "CUDA matrix product too large for cuBLAS: ", m, "x", k,
           " @ ", k, "x", n);
  cpu::BlasOperand pa = cpu::blas_operand(m, k, a_rs, a_cs);
  cpu::BlasOperand pb = cpu::blas_operand(k, n, b_rs, b_cs);
  const cpu::BlasOperand pc = cpu::blas_operand(m, n, c_rs, c_cs);
  PT_CHECK(!pc.transpose && !pc.copy, "CUDA gemm: unsupported output layout (strides ", c_rs, ", ", c_cs, ")");
  GemmCall call;
  call.pack_a = pa.copy;
  call.pack_b = pb.copy;
  if (pa.copy) pa = cpu::blas_operand(m, k, k, 1);
  if (pb.copy) pb = cpu::blas_operand(k, n, n, 1);
  call.trans_first = pb.transpose;
  call.trans_second = pa.transpose;
  call.m = static_cast<int>(n);
  call.n = static_cast<int>(m);
  call.k = static_cast<int>(k);
  call.ld_first = static_cast<int>(pb.ld);
  call.ld_second = static_cast<int>(pa.ld);
  call.ldc = static_cast<int>(pc.ld);
  return call;
}

// The batch loop: batch dims merge where every operand steps through them uniformly; the
// innermost merged run is one strided-batched call (count, one stride per operand), the
// remaining dims are looped on the host. Size-1 dims are dropped.
struct BatchPlan {
  Shape outer;             // sizes of the host-looped dims, outermost first
  Shape outer_strides[3];  // per operand (a, b, c), per looped dim
  int64_t count = 1;       // matrices per call
  int64_t stride[3] = {0, 0, 0};
};

inline BatchPlan plan_batches(const Shape& batch, const Shape& sa, const Shape& sb, const Shape& sc) {
  const Shape* st[3] = {&sa, &sb, &sc};
  BatchPlan plan;
  std::vector<size_t> dims;  // the dims that matter, outermost first
  for (size_t d = 0; d < batch.size(); ++d) {
    if (batch[d] != 1) dims.push_back(d);
  }
  if (dims.empty()) return plan;  // one matrix
  // Grow the innermost run outwards while each operand's stride of the next dim equals its
  // stride of the run times the run's size.
  size_t first = dims.size() - 1;
  plan.count = batch[dims[first]];
  for (int o = 0; o < 3; ++o) plan.stride[o] = (*st[o])[dims[first]];
  while (first > 0) {
    const size_t d = dims[first - 1];
    bool merge = true;
    for (int o = 0; o < 3; ++o) merge = merge && (*st[o])[d] == plan.stride[o] * plan.count;
    if (!merge) break;
    plan.count *= batch[d];
    --first;
  }
  for (size_t i = 0; i < first; ++i) {
    plan.outer.push_back(batch[dims[i]]);
    for (int o = 0; o < 3; ++o) plan.outer_strides[o].push_back((*st[o])[dims[i]]);
  }
  return plan;
}

}  // namespace pt::cuda
