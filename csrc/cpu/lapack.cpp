#include "cpu/lapack.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/errors.h"
#include "cpu/blas.h"
#include "cpu/parallel.h"

#ifdef PYTENSOR_BLAS_PREFIX
#define PT_LAPACK(name) PT_BLAS_CAT(PYTENSOR_BLAS_PREFIX, PT_BLAS_CAT(name, _))

// Fortran LAPACK: every argument by pointer; character arguments carry a hidden length
// (gfortran's ABI appends it; OpenBLAS's C versions of getrs ignore it).
extern "C" {
void PT_LAPACK(sgetrf)(const int* m, const int* n, float* a, const int* lda, int* ipiv, int* info);
void PT_LAPACK(dgetrf)(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void PT_LAPACK(sgetrs)(const char* trans, const int* n, const int* nrhs, const float* a, const int* lda,
                       const int* ipiv, float* b, const int* ldb, int* info, size_t trans_len);
void PT_LAPACK(dgetrs)(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda,
                       const int* ipiv, double* b, const int* ldb, int* info, size_t trans_len);
}
#endif

namespace pt::cpu {

namespace {

#ifdef PYTENSOR_BLAS_PREFIX
void getrf(int n, float* a, int* ipiv, int* info) { PT_LAPACK(sgetrf)(&n, &n, a, &n, ipiv, info); }
void getrf(int n, double* a, int* ipiv, int* info) { PT_LAPACK(dgetrf)(&n, &n, a, &n, ipiv, info); }
void getrs_t(int n, int k, const float* a, const int* ipiv, float* b, int* info) {
  const char t = 'T';
  PT_LAPACK(sgetrs)(&t, &n, &k, a, &n, ipiv, b, &n, info, 1);
}
void getrs_t(int n, int k, const double* a, const int* ipiv, double* b, int* info) {
  const char t = 'T';
  PT_LAPACK(dgetrs)(&t, &n, &k, a, &n, ipiv, b, &n, info, 1);
}
#else
[[noreturn]] void no_lapack() {
  throw NotImplementedError("this pytensor build links a system BLAS without LAPACK; inv, det, slogdet and "
                            "solve need the scipy-openblas32 build");
}
template <typename T> void getrf(int, T*, int*, int*) { no_lapack(); }
template <typename T> void getrs_t(int, int, const T*, const int*, T*, int*) { no_lapack(); }
#endif

int as_int(int64_t n) {
  PT_CHECK(n <= std::numeric_limits<int>::max(), "linalg: matrix size ", n, " is too large for LAPACK");
  return static_cast<int>(n);
}

// Float kernels only: the ops layer refuses other dtypes before calling.
template <typename Fn>
void dispatch_float(DType d, Fn&& fn) {
  if (d == DType::Float32) return fn(float{});
  if (d == DType::Float64) return fn(double{});
  throw TypeError("linalg: float32 or float64 expected");
}

// Runs f(begin, end) over the batch, split across threads when the matrices are small enough
// that OpenBLAS runs each call on one thread (its getrf/getrs go single-threaded below 10000
// elements) -- never nesting its thread pool inside ours -- and the batch holds enough work.
template <typename F>
void over_batch(int64_t count, int64_t n, int64_t k, const F& f) {
  // A LAPACK call costs about a microsecond even for a 2x2 matrix: count that as work too.
  const int64_t cost = std::max<int64_t>(2048, n * n * (n + k));
  if (n * n >= 10000 || n * k >= 10000) {
    f(0, count);
    return;
  }
  parallel_for(0, count, std::max<int64_t>(1, kGrainSize * 8 / cost), f);
}

}  // namespace

bool have_lapack() {
#ifdef PYTENSOR_BLAS_PREFIX
  return true;
#else
  return false;
#endif
}

void lu_inverse(DType dtype, void* a, void* out, int64_t count, int64_t n64, int* info) {
  // torch's route: solve A X = I (getrs), not getri, so results match its bits (getri leaves
  // -0.0 where the solve gives +0.0).
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* x = static_cast<T*>(out);
    std::fill(x, x + count * n64 * n64, T(0));
    for (int64_t i = 0; i < count; ++i)
      for (int64_t j = 0; j < n64; ++j) x[i * n64 * n64 + j * (n64 + 1)] = T(1);
  });
  lu_solve(dtype, a, out, count, n64, n64, info);
}

void lu_det(DType dtype, void* a, int64_t count, int64_t n64, void* out, void* sign, bool log) {
  const int n = as_int(n64);
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    over_batch(count, n64, 0, [&](int64_t begin, int64_t end) {
      std::vector<int> ipiv(static_cast<size_t>(n));
      for (int64_t i = begin; i < end; ++i) {
        T* m = static_cast<T*>(a) + i * n64 * n64;
        int info = 0;
        if (n > 0) getrf(n, m, ipiv.data(), &info);
        // det = (-1)^(row swaps) * prod(diag(U)); info > 0 leaves a zero on the diagonal.
        bool negative = false;
        T prod = 1, logabs = 0;
        for (int j = 0; j < n; ++j) {
          const T u = m[static_cast<int64_t>(j) * (n64 + 1)];
          if (ipiv[j] != j + 1) negative = !negative;
          if (log) {
            if (u < 0) negative = !negative;
            logabs += std::log(std::abs(u));
          } else {
            prod *= u;
          }
        }
        if (log) {
          const bool singular = std::isinf(logabs) && logabs < 0;
          static_cast<T*>(sign)[i] = singular ? T(0) : (negative ? T(-1) : T(1));
          static_cast<T*>(out)[i] = logabs;
        } else {
          static_cast<T*>(out)[i] = negative ? -prod : prod;
        }
      }
    });
  });
}

void lu_solve(DType dtype, void* a, void* b, int64_t count, int64_t n64, int64_t k64, int* info) {
  const int n = as_int(n64);
  const int k = as_int(k64);
  if (n == 0 || k == 0) {
    for (int64_t i = 0; i < count; ++i) info[i] = 0;
    return;
  }
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    over_batch(count, n64, k64, [&](int64_t begin, int64_t end) {
      std::vector<int> ipiv(static_cast<size_t>(n));
      for (int64_t i = begin; i < end; ++i) {
        T* m = static_cast<T*>(a) + i * n64 * n64;
        T* x = static_cast<T*>(b) + i * n64 * k64;
        getrf(n, m, ipiv.data(), &info[i]);
        if (info[i] != 0) continue;
        getrs_t(n, k, m, ipiv.data(), x, &info[i]);
      }
    });
  });
}

}  // namespace pt::cpu
