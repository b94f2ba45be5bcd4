// LU-based dense linear algebra (inverse, determinant, solve) on LAPACK's getrf/getri/getrs.
// The scipy-openblas32 wheel ships LAPACK with the same prefix as its CBLAS (scipy_sgetrf_);
// a system-BLAS build may have no LAPACK, so there these kernels raise instead of linking it.
// NOTE: LAPACK is column-major. A row-major n x n buffer is the transpose to LAPACK, which the
// kernels use rather than copy: inv(A^T) = inv(A)^T, det(A^T) = det(A), and solving with
// trans='T' on the LU of A^T solves A X = B.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace pt::cpu {

// True when this build links LAPACK.
bool have_lapack();

// Each kernel works on `count` contiguous n x n row-major matrices at `a` (overwritten with
// their LU factors) and reports, per matrix, LAPACK's info (> 0: U(info, info) is exactly
// zero) in `info[count]`. lu_inverse writes each inverse, column-major (the transpose,
// row-major), to `out`.
void lu_inverse(DType dtype, void* a, void* out, int64_t count, int64_t n, int* info);
// det (or, with `log`, sign and log|det|): writes `count` values to `out` (and `sign`).
void lu_det(DType dtype, void* a, int64_t count, int64_t n, void* out, void* sign, bool log);
// Solves A_i X_i = B_i; `b` holds count blocks of k column-major n-vectors (each X_i^T
// row-major), overwritten by X. info as lu_inverse (no solve is attempted for info > 0).
void lu_solve(DType dtype, void* a, void* b, int64_t count, int64_t n, int64_t k, int* info);

}  // namespace pt::cpu
