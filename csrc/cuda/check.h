// Turns a failed CUDA runtime call into the core's RuntimeError, naming the call.
#pragma once
#include <cuda_runtime.h>

#include "core/errors.h"

#define PT_CUDA_CHECK(expr)                                                                   \
  do {                                                                                        \
    const cudaError_t pt_cuda_status = (expr);                                                \
    if (pt_cuda_status != cudaSuccess) {                                                      \
      cudaGetLastError();                                                                     \
      throw ::pt::RuntimeError(::pt::str_cat("CUDA error: ", cudaGetErrorString(pt_cuda_status), \
                                             " (", #expr, ")"));                              \
    }                                                                                         \
  } while (0)

// After a kernel launch: reports a bad launch configuration at once (faults surface later, at
// the next synchronizing call).
#define PT_CUDA_CHECK_LAUNCH() PT_CUDA_CHECK(cudaGetLastError())
