// The few CBLAS entry points pytensor calls, declared here rather than through a cblas.h so that
// one header serves both BLAS choices: the scipy-openblas32 wheel, whose symbols carry a prefix
// (the build defines PYTENSOR_BLAS_PREFIX=scipy_, giving scipy_cblas_sgemm), and a system BLAS
// (-DPYTENSOR_BLAS=system) with the plain cblas_ names.
// NOTE: integer arguments are `int` (LP64 BLAS, as scipy-openblas32); enums are passed as their
// standard CBLAS values, which is ABI-identical to the enum types of cblas.h.
#pragma once
#include <cstddef>

#ifdef PYTENSOR_BLAS_PREFIX
#define PT_BLAS_CAT2(a, b) a##b
#define PT_BLAS_CAT(a, b) PT_BLAS_CAT2(a, b)
#define PT_CBLAS(name) PT_BLAS_CAT(PYTENSOR_BLAS_PREFIX, PT_BLAS_CAT(cblas_, name))
#define PT_OPENBLAS(name) PT_BLAS_CAT(PYTENSOR_BLAS_PREFIX, PT_BLAS_CAT(openblas_, name))
#else
#define PT_CBLAS(name) cblas_##name
#define PT_OPENBLAS(name) openblas_##name
#endif

namespace pt::blas {
enum Order : int { RowMajor = 101, ColMajor = 102 };
enum Transpose : int { NoTrans = 111, Trans = 112 };
}  // namespace pt::blas

extern "C" {
void PT_CBLAS(sgemm)(int order, int transa, int transb, int m, int n, int k, float alpha, const float* a,
                     int lda, const float* b, int ldb, float beta, float* c, int ldc);
void PT_CBLAS(dgemm)(int order, int transa, int transb, int m, int n, int k, double alpha, const double* a,
                     int lda, const double* b, int ldb, double beta, double* c, int ldc);
void PT_CBLAS(sgemv)(int order, int trans, int m, int n, float alpha, const float* a, int lda, const float* x,
                     int incx, float beta, float* y, int incy);
void PT_CBLAS(dgemv)(int order, int trans, int m, int n, double alpha, const double* a, int lda,
                     const double* x, int incx, double beta, double* y, int incy);
float PT_CBLAS(sdot)(int n, const float* x, int incx, const float* y, int incy);
double PT_CBLAS(ddot)(int n, const double* x, int incx, const double* y, int incy);

#ifdef PYTENSOR_OPENBLAS
// OpenBLAS extensions: thread count (set from cpu/parallel.cpp), the kernel it picked at load,
// and caller-managed threading (OpenBLAS >= 0.3.27): it hands each parallel call's jobs to us.
int PT_OPENBLAS(get_num_threads)(void);
void PT_OPENBLAS(set_num_threads)(int num_threads);
char* PT_OPENBLAS(get_config)(void);
char* PT_OPENBLAS(get_corename)(void);
typedef void (*pt_openblas_dojob)(int thread_num, void* jobdata, int dojob_data);
typedef void (*pt_openblas_threads)(int sync, pt_openblas_dojob dojob, int numjobs, size_t jobdata_elsize,
                                    void* jobdata, int dojob_data);
void PT_OPENBLAS(set_threads_callback_function)(pt_openblas_threads callback);
#endif
}

namespace pt::blas {

// Overloads so kernels templated on float/double reach the right BLAS routine.
inline void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                 int ldb, float beta, float* c, int ldc) {
  PT_CBLAS(sgemm)(RowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(int ta, int tb, int m, int n, int k, double alpha, const double* a, int lda,
                 const double* b, int ldb, double beta, double* c, int ldc) {
  PT_CBLAS(dgemm)(RowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemv(int trans, int m, int n, float alpha, const float* a, int lda, const float* x, int incx,
                 float beta, float* y, int incy) {
  PT_CBLAS(sgemv)(RowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
inline void gemv(int trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx,
                 double beta, double* y, int incy) {
  PT_CBLAS(dgemv)(RowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
inline float dot(int n, const float* x, int incx, const float* y, int incy) {
  return PT_CBLAS(sdot)(n, x, incx, y, incy);
}
inline double dot(int n, const double* x, int incx, const double* y, int incy) {
  return PT_CBLAS(ddot)(n, x, incx, y, incy);
}

}  // namespace pt::blas
