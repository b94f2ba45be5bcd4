// linalg.inv / det / slogdet / solve: validation, a contiguous working copy (LAPACK overwrites
// its input with the LU factors), the LAPACK kernels of cpu/lapack.cpp, and torch's messages
// for singular input.
#include <vector>

#include "core/errors.h"
#include "cpu/lapack.h"
#include "ops/copy.h"
#include "ops/linalg.h"
#include "ops/views.h"

namespace pt {

namespace {

void check_square_float(const TensorImpl& A, const char* who, const char* name = "A") {
  PT_CHECK(A.dim() >= 2, who, ": The input tensor ", name, " must have at least 2 dimensions.");
  PT_CHECK(is_floating(A.dtype()), who, ": Expected a floating point or complex tensor as input. Got ",
           dtype_torch_name(A.dtype()));
  const int64_t r = A.sizes()[A.dim() - 2], c = A.sizes()[A.dim() - 1];
  PT_CHECK(r == c, who, ": A must be batches of square matrices, but they are ", r, " by ", c, " matrices");
  // Checked here, before the kernels' OpenMP regions (an exception must not leave one).
  PT_CHECK_T(NotImplementedError, cpu::have_lapack(), who,
             ": this pytensor build links a system BLAS without LAPACK; use the scipy-openblas32 build");
  PT_CHECK_T(NotImplementedError, A.device().is_cpu(), who,
             ": not implemented for CUDA tensors (pytensor has no cuSOLVER backend); compute it on the CPU "
             "with .cpu() and move the result back");
}

Shape batch_of(const TensorImpl& A) { return Shape(A.sizes().begin(), A.sizes().end() - 2); }

// A contiguous copy of t that LAPACK may overwrite.
Tensor working_copy(const Tensor& t) {
  Tensor w = empty(t->sizes(), t->dtype(), t->device());
  if (t->numel() > 0) copy_(w, t);
  return w;
}

// torch's LinAlgError text for the first singular matrix of the batch (prefixed with its index
// when the input is batched).
void raise_singular(const std::vector<int>& info, bool batched, const char* who, bool solver) {
  for (size_t i = 0; i < info.size(); ++i) {
    if (info[i] <= 0) continue;
    std::string msg = who;
    msg += ": ";
    if (batched) msg += str_cat("(Batch element ", i, "): ");
    if (solver) {
      msg += "The solver failed because the input matrix is singular.";
    } else {
      msg += str_cat("The diagonal element ", info[i],
                     " is zero, the inversion could not be completed because the input matrix is singular.");
    }
    throw RuntimeError(msg);
  }
}

}  // namespace

Tensor linalg_inv(const Tensor& A) {
  check_square_float(*A, "linalg.inv");
  Tensor lu = working_copy(A);
  Tensor xt = empty(A->sizes(), A->dtype(), A->device());
  const int64_t n = A->sizes().back();
  const int64_t count = numel_of(batch_of(*A));
  std::vector<int> info(static_cast<size_t>(count), 0);
  cpu::lu_inverse(A->dtype(), lu->data(), xt->data(), count, n, info.data());
  raise_singular(info, A->dim() > 2, "linalg.inv", false);
  return transpose(xt, -1, -2);  // column-major, as torch's
}

Tensor linalg_det(const Tensor& A) {
  check_square_float(*A, "linalg.det");
  Tensor lu = working_copy(A);
  const Shape batch = batch_of(*A);
  Tensor out = empty(batch, A->dtype(), A->device());
  cpu::lu_det(A->dtype(), lu->data(), numel_of(batch), A->sizes().back(), out->data(), nullptr, false);
  return out;
}

std::pair<Tensor, Tensor> linalg_slogdet(const Tensor& A) {
  check_square_float(*A, "linalg.slogdet");
  Tensor lu = working_copy(A);
  const Shape batch = batch_of(*A);
  Tensor logabs = empty(batch, A->dtype(), A->device());
  Tensor sign = empty(batch, A->dtype(), A->device());
  cpu::lu_det(A->dtype(), lu->data(), numel_of(batch), A->sizes().back(), logabs->data(), sign->data(), true);
  return {logabs, sign};
}

Tensor linalg_solve(const Tensor& A, const Tensor& B) {
  check_square_float(*A, "linalg.solve");
  PT_CHECK(B->dim() >= 2, "linalg.solve: The input tensor B must have at least 2 dimensions.");
  PT_CHECK(A->dtype() == B->dtype(), "linalg.solve: Expected A and B to have the same dtype, but found A of type ",
           dtype_torch_name(A->dtype()), " and B of type ", dtype_torch_name(B->dtype()), " instead");
  PT_CHECK(A->device() == B->device(), "Expected all tensors to be on the same device, but found at least two "
           "devices, ", A->device().str(), " and ", B->device().str(), "!");
  const int64_t n = A->sizes().back();
  const int64_t r = B->sizes()[B->dim() - 2], k = B->sizes().back();
  PT_CHECK(r == n, "linalg.solve: Incompatible shapes of A and B for the equation AX = B (", n, "x", n, " and ", r,
           "x", k, ")");
  const Shape batch = batch_of(*A);
  PT_CHECK(batch_of(*B) == batch, "linalg.solve: A and B must have the same batch shape (the Python layer "
           "broadcasts them), got ", shape_str(A->sizes()), " and ", shape_str(B->sizes()));
  Tensor lu = working_copy(A);
  // X^T row-major is X column-major: LAPACK's layout for the right-hand sides.
  Tensor xt = working_copy(transpose(B, -1, -2));
  const int64_t count = numel_of(batch);
  std::vector<int> info(static_cast<size_t>(count), 0);
  cpu::lu_solve(A->dtype(), lu->data(), xt->data(), count, n, k, info.data());
  raise_singular(info, A->dim() > 2, "torch.linalg.solve", true);
  return transpose(xt, -1, -2);
}

}  // namespace pt
