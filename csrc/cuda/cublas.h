// cuBLAS, loaded at run time: the build needs no cuBLAS headers or libraries, and a module
// built with CUDA imports (and runs everything but matrix products) where cuBLAS is missing.
// The few entry points used are declared here by hand, with the values of NVIDIA's
// cublas_api.h for the enums; cublas.cpp dlopens the library on first use:
//   1. $PYTENSOR_CUBLAS_PATH: the library file, or a directory holding libcublas.so.13 / .12
//      (pytensor sets it to the nvidia-cublas wheel's lib directory when that is installed);
//   2. the plain sonames libcublas.so.13, then libcublas.so.12 (the system's loader path).
// Plain host code, compiled in every build (nothing here needs a GPU or a CUDA header).
#pragma once
#include <string>

namespace pt::cuda {

// Opaque handle and the documented enum values (cublas_api.h).
struct CublasContext;
using cublasHandle_t = CublasContext*;
using cublasStatus_t = int;
constexpr cublasStatus_t CUBLAS_STATUS_SUCCESS = 0;
using cublasOperation_t = int;
constexpr cublasOperation_t CUBLAS_OP_N = 0;
constexpr cublasOperation_t CUBLAS_OP_T = 1;
using cublasMath_t = int;
// No TF32: float32 products are exact float32 products, as torch's default
// (torch.backends.cuda.matmul.allow_tf32 = False sets CUBLAS_DEFAULT_MATH).
constexpr cublasMath_t CUBLAS_DEFAULT_MATH = 0;

struct CublasApi {
  std::string path;  // what was loaded
  cublasStatus_t (*create)(cublasHandle_t* handle);
  cublasStatus_t (*set_stream)(cublasHandle_t handle, void* stream);  // stream: a cudaStream_t
  cublasStatus_t (*set_math_mode)(cublasHandle_t handle, cublasMath_t mode);
  cublasStatus_t (*sgemm_strided_batched)(cublasHandle_t handle, cublasOperation_t transa,
                                          cublasOperation_t transb, int m, int n, int k, const float* alpha,
                                          const float* A, int lda, long long strideA, const float* B, int ldb,
                                          long long strideB, const float* beta, float* C, int ldc,
                                          long long strideC, int batchCount);
  cublasStatus_t (*dgemm_strided_batched)(cublasHandle_t handle, cublasOperation_t transa,
                                          cublasOperation_t transb, int m, int n, int k, const double* alpha,
                                          const double* A, int lda, long long strideA, const double* B, int ldb,
                                          long long strideB, const double* beta, double* C, int ldc,
                                          long long strideC, int batchCount);
  const char* (*get_status_string)(cublasStatus_t status);  // null in cuBLAS versions without it
};

// The loaded library; RuntimeError naming every path tried when none loads (a failed load is
// retried on the next call, so installing cuBLAS or setting the variable later still works).
const CublasApi& cublas();

// "CUBLAS_STATUS_... (n)" for messages.
std::string cublas_status_text(cublasStatus_t status);

}  // namespace pt::cuda
