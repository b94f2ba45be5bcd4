// Reduction, scan and softmax kernels. Kernels assume validated arguments (dims in range,
// dtypes allowed for the op); csrc/ops/reduce.cpp does the checking, dtype rules and allocation.
#pragma once
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"

namespace pt::cpu {

// A strided input and the dims it reduces. Every output element reduces the sub-tensor over
// the `reduce` dims; outputs are written contiguously in the order of the kept dims
// (row-major), which is the layout of the result with or without keepdim.
struct ReduceInput {
  const char* data;            // element 0
  DType dtype;
  Shape sizes, strides;        // strides in elements, all >= 0
  std::vector<bool> reduce;    // one flag per dim
};

// Value reductions. Output dtype per kind:
//   Sum, Prod: int64 for bool/integer inputs, else the input dtype.   Mean: the input (float) dtype.
//   Max, Min: the input dtype.   All, Any: one byte 0/1 (bool, or uint8 for uint8 input).
//   CountNonzero: int64.   Norm*: the input (float) dtype; NormP takes p in `param`.
enum class ReduceKind {
  Sum, Mean, Prod, Max, Min, All, Any, CountNonzero,
  NormP1, NormP2, NormInf, NormNegInf, NormP0, NormP,
};
void reduce_kernel(ReduceKind kind, const ReduceInput& in, void* out, double param = 0);

// Max or min with its index along the one reduced dim (torch's rule: the first index of the
// extreme value; NaN is greater and smaller than everything, and the first NaN wins).
// `values` (input dtype) may be null.
void arg_reduce_kernel(bool is_max, const ReduceInput& in, void* values, int64_t* indices);

// var (or std) with sum((x - mean)^2) / max(0, N - correction); floating inputs only. Two passes
// (mean in double, then squared deviations), which is as accurate as Welford and vectorizes.
void var_kernel(const ReduceInput& in, double correction, bool take_sqrt, void* out);

// log(sum(exp(x - m))) + m with m the max of each reduced sub-tensor; floating inputs only.
void logsumexp_kernel(const ReduceInput& in, void* out);

// Softmax or log-softmax of a contiguous (outer, n, inner) float tensor along the middle dim.
void softmax_kernel(DType dtype, const void* in, void* out, int64_t outer, int64_t n, int64_t inner,
                    bool log);

// Inclusive cumulative sum or product along the middle dim of a contiguous (outer, n, inner)
// tensor; `out` has dtype `dtype`, `in` has `in_dtype`: the same (then they may be one buffer),
// or bool/an integer type read straight into an int64 scan (no separate widening pass).
void cumulative_kernel(bool prod, DType dtype, const void* in, void* out, int64_t outer, int64_t n,
                       int64_t inner, DType in_dtype);

}  // namespace pt::cpu
