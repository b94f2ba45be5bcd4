// The elementwise family's CUDA entry points (see no_cuda.cpp for the pattern every family
// header follows). Each is listed once: the CUDA build defines it in the .cu file of
// its family (elementwise.cu; copy_kernel and fill_kernel in copy.cu); a CPU-only build gets
// stubs from no_cuda.cpp. Entry points take the same validated, promoted, broadcast operands
// as their cpu:: twins (data pointers are device memory), queue their work on the current
// device's stream and return without waiting.
//
// `host_scalars` (binary, where): bit k set means operand k is one value in host memory (a
// Python number or a 0-dim CPU tensor, all strides 0), read before the launch and passed to
// the kernel by value, as torch lets a CPU scalar join a CUDA op.
#pragma once
#include "core/dtype.h"
#include "core/shape.h"
#include "cpu/elementwise.h"

namespace pt::cuda {

using cpu::BinaryOp;
using cpu::StridedOperands;
using cpu::UnaryOp;

// _(return type, name, (parameters))
#define PT_FORALL_CUDA_ELEMENTWISE_KERNELS(_)                                                                \
  _(void, binary_kernel, (BinaryOp op, DType compute, const Shape& sizes,                        \
                          const StridedOperands<3>& ops, unsigned host_scalars))                  \
  _(void, unary_kernel, (UnaryOp op, DType dtype, const Shape& sizes, const StridedOperands<2>& ops)) \
  _(void, clamp_kernel, (DType dtype, const Shape& sizes, const StridedOperands<2>& ops,          \
                         const double* lo, const double* hi))                                     \
  _(void, nan_to_num_kernel, (DType dtype, const Shape& sizes, const StridedOperands<2>& ops,     \
                              double nan, const double* posinf, const double* neginf))            \
  _(void, where_kernel, (DType dtype, const Shape& sizes, const StridedOperands<4>& ops,          \
                         unsigned host_scalars))                                                  \
  _(void, copy_kernel, (DType dst_dtype, DType src_dtype, const Shape& sizes,                    \
                        const StridedOperands<2>& ops))                                           \
  _(void, fill_kernel, (DType dtype, const Shape& sizes, char* data, const Shape& byte_strides,   \
                        const void* value))

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_ELEMENTWISE_KERNELS(PT_DECLARE)
#undef PT_DECLARE

}  // namespace pt::cuda
