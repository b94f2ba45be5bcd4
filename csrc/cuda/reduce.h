// The reduce family's CUDA entry points, listed once in PT_FORALL_CUDA_REDUCE_KERNELS as
// _(return type, name, (parameters)): the CUDA build defines each in reduce.cu; a CPU-only build
// gets stubs from no_cuda.cpp. Operands are validated by the ops layer; work is queued on the
// current device's stream.
//
// Reductions take their input as `rows` contiguous rows of `len` elements (the ops layer moves
// the reduced dims last and makes the tensor contiguous) and write one result per row, in row
// order. Kinds and output dtypes are those of the CPU kernels (cpu/reduce.h). Softmax and the
// scans take a contiguous (outer, n, inner) tensor and work along the middle dim.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/shape.h"
#include "cpu/reduce.h"

namespace pt::cuda {

using cpu::ReduceKind;

// _(return type, name, (parameters))
#define PT_FORALL_CUDA_REDUCE_KERNELS(_)                                                                  \
  _(void, reduce_rows, (ReduceKind kind, DType dtype, const void* in, int64_t rows, int64_t len, void* out, \
                        double param))                                                                    \
  _(void, arg_reduce_rows, (bool is_max, DType dtype, const void* in, int64_t rows, int64_t len,          \
                            void* values, int64_t* indices))                                              \
  _(void, var_rows, (DType dtype, const void* in, int64_t rows, int64_t len, double correction,           \
                     bool take_sqrt, void* out))                                                          \
  _(void, logsumexp_rows, (DType dtype, const void* in, int64_t rows, int64_t len, void* out))            \
  _(void, softmax, (DType dtype, const void* in, void* out, int64_t outer, int64_t n, int64_t inner,      \
                    bool log))                                                                            \
  _(void, cumulative, (bool prod, DType dtype, const void* in, void* out, int64_t outer, int64_t n,       \
                       int64_t inner))

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_REDUCE_KERNELS(PT_DECLARE)
#undef PT_DECLARE

}  // namespace pt::cuda
