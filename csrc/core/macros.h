// Portability macros shared by host and CUDA code.
#pragma once

// Functions and functors that CPU and GPU kernels share: compiled for both under nvcc, plain
// host code under a C++ compiler.
#if defined(__CUDACC__)
#define PT_HOST_DEVICE __host__ __device__
#else
#define PT_HOST_DEVICE
#endif
