// Matrix products with torch's semantics: shapes, dtype rules and error messages as torch's CPU
// kernels. Operands of one dtype only (torch refuses mixed dtypes here, except outer).
#pragma once
#include <optional>
#include <utility>

#include "core/scalar.h"
#include "core/tensor.h"

namespace pt {

Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& mat, const Tensor& vec);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor outer(const Tensor& a, const Tensor& b);  // promotes, as torch (it is a broadcast multiply)
// torch.matmul: 1-D·1-D, matrix·vector, vector·matrix, and batches with broadcast batch dims.
Tensor matmul(const Tensor& a, const Tensor& b);
// beta * input + alpha * (mat1 @ mat2); input broadcasts to the product's shape; beta == 0 ignores it.
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha);
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha);
Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
               const Scalar& alpha);
// input @ weight.T + bias (torch.nn.functional.linear).
Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias);

// LU-based (LAPACK, CPU only; ops/lu.cpp), on batches (..., n, n) of float32/float64 matrices.
Tensor linalg_inv(const Tensor& A);
Tensor linalg_det(const Tensor& A);
// (logabsdet, sign): the differentiable result first, as the multi-output autograd hook expects.
std::pair<Tensor, Tensor> linalg_slogdet(const Tensor& A);
// X with A X = B for A (..., n, n) and B (..., n, k) of the same batch shape (the Python layer
// broadcasts and handles vector right-hand sides). X is column-major, as torch's.
Tensor linalg_solve(const Tensor& A, const Tensor& B);

}  // namespace pt
