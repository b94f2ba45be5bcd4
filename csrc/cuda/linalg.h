// The linalg family's CUDA entry points, listed once in PT_FORALL_CUDA_LINALG_KERNELS as
// _(return type, name, (parameters)): the CUDA build defines each in linalg.cu; a CPU-only build
// gets stubs from no_cuda.cpp. Operands are validated by the ops layer; work is queued on the
// current device's stream.
#pragma once
#include "core/dtype.h"
#include "core/shape.h"

namespace pt::cuda {

#define PT_FORALL_CUDA_LINALG_KERNELS(_)

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_LINALG_KERNELS(PT_DECLARE)
#undef PT_DECLARE

}  // namespace pt::cuda
