#include "ops/linalg.h"

#include <vector>

#include "core/errors.h"
#include "cpu/matmul.h"
#include "cuda/linalg.h"
#include "cuda/runtime.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/views.h"

namespace pt {

namespace {

// The dtypes a product's kernel takes: all but bool on the CPU, float32/float64 on CUDA (cuBLAS),
// refused as torch's dispatch does, naming the kernel of the tensor's device.
void check_kernel_dtype(const TensorImpl& t, const char* cpu_kernel, const char* cuda_kernel) {
  const DType d = t.dtype();
  const bool cpu = t.device().is_cpu();
  PT_CHECK_T(NotImplementedError, cpu ? d != DType::Bool : is_floating(d), "\"", cpu ? cpu_kernel : cuda_kernel,
             "\" not implemented for '", dtype_torch_name(d), "'");
}

// torch's dispatcher check: every tensor argument on the first one's device.
void check_product_devices(const char* method, std::initializer_list<std::pair<const char*, const TensorImpl*>> args) {
  const Device common = args.begin()->second->device();
  for (const auto& [name, t] : args) {
    if (t->device() == common) continue;
    throw RuntimeError(str_cat("Expected all tensors to be on the same device, but got ", name, " is on ",
                               t->device().str(), ", different from other tensors on ", common.str(),
                               " (when checking argument in method wrapper_CUDA_", method, ")"));
  }
}

bool is_zero(const Scalar& s) { return s.to<double>() == 0.0; }

const Scalar kOne = Scalar::from_int(1);
const Scalar kZero = Scalar::from_int(0);

// Element offsets of each batch item of `t` (its dims before the last two, broadcast to `batch`),
// in row-major order of `batch`.
void batch_offsets(const TensorImpl& t, const Shape& batch, std::vector<int64_t>& out) {
  const size_t nb = static_cast<size_t>(t.dim()) - 2;
  Shape sizes(t.sizes().begin(), t.sizes().begin() + nb);
  Shape strides(t.strides().begin(), t.strides().begin() + nb);
  const Shape st = broadcast_strides(sizes, strides, batch);
  const int64_t count = numel_of(batch);
  out.assign(static_cast<size_t>(count), 0);
  std::vector<int64_t> idx(batch.size(), 0);
  int64_t off = 0;
  for (int64_t i = 0; i < count; ++i) {
    out[i] = off;
    for (size_t d = batch.size(); d-- > 0;) {
      off += st[d];
      if (++idx[d] < batch[d]) break;
      off -= st[d] * batch[d];
      idx[d] = 0;
    }
  }
}

// out[..., m, n] = alpha * a[..., m, k] @ b[..., k, n] + beta * out; the batch dims of a and b
// broadcast to out's (stride 0 where broadcast: nothing is expanded or copied here).
void run_gemm(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha, const Scalar& beta) {
  const int64_t nd = out->dim();
  const int64_t m = out->sizes()[nd - 2], n = out->sizes()[nd - 1], k = a->sizes()[a->dim() - 1];
  if (!out->device().is_cpu()) {
    // cuBLAS takes one stride per batch dim (0 where broadcast) instead of an offset list.
    const Shape batch(out->sizes().begin(), out->sizes().end() - 2);
    auto operand = [&batch](const Tensor& t) {
      const int64_t d = t->dim();
      const Shape sizes(t->sizes().begin(), t->sizes().end() - 2);
      const Shape strides(t->strides().begin(), t->strides().end() - 2);
      return cuda::GemmOperand{t->data(), broadcast_strides(sizes, strides, batch), t->strides()[d - 2],
                               t->strides()[d - 1]};
    };
    cuda::DeviceGuard guard(out->device());
    cuda::gemm(out->dtype(), batch, m, n, k, operand(a), operand(b), operand(out), alpha.to<double>(),
               beta.to<double>());
    return;
  }
  static const int64_t kNoOffset = 0;
  const int64_t* pa = &kNoOffset;
  const int64_t* pb = &kNoOffset;
  const int64_t* pc = &kNoOffset;
  int64_t count = 1;
  std::vector<int64_t> oa, ob, oc;
  if (nd > 2) {
    Shape batch(out->sizes().begin(), out->sizes().end() - 2);
    count = numel_of(batch);
    batch_offsets(*a, batch, oa);
    batch_offsets(*b, batch, ob);
    batch_offsets(*out, batch, oc);
    pa = oa.data(), pb = ob.data(), pc = oc.data();
  }
  auto mat = [](const Tensor& t, const int64_t* offsets) {
    const int64_t d = t->dim();
    return cpu::MatrixBatch{t->data(), offsets, t->strides()[d - 2], t->strides()[d - 1]};
  };
  cpu::gemm(out->dtype(), count, m, n, k, mat(a, pa), mat(b, pb), mat(out, pc), alpha, beta);
}

// A fresh tensor of `shape` holding alpha * a @ b + beta * input (input already expanded to shape).
Tensor product_plus(const Tensor& input, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha,
                    const Shape& shape) {
  Tensor out = empty(shape, a->dtype(), a->device());
  const bool use_input = !is_zero(beta);
  if (use_input) copy_(out, input);
  run_gemm(out, a, b, alpha, use_input ? beta : kZero);
  return out;
}

Tensor as_matrix_view(const Tensor& t, const Shape& sizes, const Shape& strides) {
  return make_view(*t, sizes, strides, t->offset());
}

void check_mm_shapes(const Shape& a, const Shape& b) {
  PT_CHECK(a[1] == b[0], "mat1 and mat2 shapes cannot be multiplied (", a[0], "x", a[1], " and ", b[0], "x", b[1],
           ")");
}

void check_mm_dtypes(DType a, DType b) {
  PT_CHECK(a == b, "expected m1 and m2 to have the same dtype, but got: ", cpp_type_name(a), " != ",
           cpp_type_name(b));
}

// addmv's checks, in torch's order; `input` is the result's shape and dtype for mv.
void check_mv(int64_t in_dim, int64_t in_numel, int64_t in_size0, DType in_dtype, const TensorImpl& mat_t,
              const Shape& mat, DType mat_dtype, const Shape& vec, DType vec_dtype) {
  PT_CHECK(mat.size() == 2 && vec.size() == 1 && in_dim <= 1, "vector + matrix @ vector expected, got ", in_dim,
           ", ", mat.size(), ", ", vec.size());
  PT_CHECK(mat[1] == vec[0] && (mat[0] == in_numel || in_numel == 1), "size mismatch, got input (", in_size0,
           "), mat (", mat[0], "x", mat[1], "), vec (", vec[0], ")");
  PT_CHECK(in_dtype == mat_dtype && mat_dtype == vec_dtype, "addmv input tensors must have the same dtype, but got ",
           dtype_torch_name(in_dtype), ", ", dtype_torch_name(mat_dtype), ", and ", dtype_torch_name(vec_dtype));
  check_kernel_dtype(mat_t, "addmv_impl_cpu", "addmv_impl_cuda");
}

// mat (m x k) @ vec (k): vec read as a k x 1 matrix through its own stride.
Tensor mv_unchecked(const Tensor& out, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
  const int64_t m = mat->sizes()[0], k = mat->sizes()[1];
  Tensor col = make_view(*vec, {k, 1}, {vec->strides()[0], 1}, vec->offset());
  Tensor out_col = make_view(*out, {m, 1}, {out->strides()[0], 1}, out->offset());
  run_gemm(out_col, mat, col, alpha, beta);
  return out;
}

void check_bmm_shapes(const TensorImpl& b1, const TensorImpl& b2) {
  const int64_t bs = b1.sizes()[0], k = b1.sizes()[2];
  PT_CHECK(b2.sizes()[0] == bs && b2.sizes()[1] == k, "Expected size for first two dimensions of batch2 tensor to be: [",
           bs, ", ", k, "] but got: [", b2.sizes()[0], ", ", b2.sizes()[1], "].");
}

Shape with_last(Shape s, std::initializer_list<int64_t> tail, size_t drop) {
  s.resize(s.size() - drop);
  s.insert(s.end(), tail);
  return s;
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  check_product_devices("mm", {{"self", a.get()}, {"mat2", b.get()}});
  PT_CHECK(a->dim() == 2, "self must be a matrix");
  PT_CHECK(b->dim() == 2, "mat2 must be a matrix");
  check_mm_shapes(a->sizes(), b->sizes());
  check_mm_dtypes(a->dtype(), b->dtype());
  check_kernel_dtype(*a, "addmm_impl_cpu_", "addmm_cuda");
  Tensor out = empty({a->sizes()[0], b->sizes()[1]}, a->dtype(), a->device());
  run_gemm(out, a, b, kOne, kZero);
  return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  check_product_devices("bmm", {{"self", a.get()}, {"mat2", b.get()}});
  PT_CHECK(a->dim() == 3, "batch1 must be a 3D tensor");
  PT_CHECK(b->dim() == 3, "batch2 must be a 3D tensor");
  check_bmm_shapes(*a, *b);
  PT_CHECK(a->dtype() == b->dtype(), "expected scalar type ", dtype_torch_name(a->dtype()), " but found ",
           dtype_torch_name(b->dtype()));
  check_kernel_dtype(*a, "bmm", "baddbmm_cuda");
  Tensor out = empty({a->sizes()[0], a->sizes()[1], b->sizes()[2]}, a->dtype(), a->device());
  run_gemm(out, a, b, kOne, kZero);
  return out;
}

Tensor mv(const Tensor& mat, const Tensor& vec) {
  check_product_devices("mv", {{"self", mat.get()}, {"vec", vec.get()}});
  const int64_t m = mat->dim() >= 1 ? mat->sizes()[0] : 1;
  check_mv(1, m, m, vec->dtype(), *mat, mat->sizes(), mat->dtype(), vec->sizes(), vec->dtype());
  return mv_unchecked(empty({m}, mat->dtype(), mat->device()), mat, vec, kZero, kOne);
}

Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
  check_product_devices("addmv", {{"self", input.get()}, {"mat", mat.get()}, {"vec", vec.get()}});
  check_mv(input->dim(), input->numel(), input->dim() == 1 ? input->sizes()[0] : 1, input->dtype(), *mat,
           mat->sizes(), mat->dtype(), vec->sizes(), vec->dtype());
  const int64_t m = mat->sizes()[0];
  Tensor out = empty({m}, mat->dtype(), mat->device());
  const bool use_input = !is_zero(beta);
  if (use_input) copy_(out, input);
  return mv_unchecked(out, mat, vec, use_input ? beta : kZero, alpha);
}

Tensor dot(const Tensor& a, const Tensor& b) {
  check_product_devices("dot", {{"self", a.get()}, {"tensor", b.get()}});
  PT_CHECK(a->dim() == 1 && b->dim() == 1, "1D tensors expected, but got ", a->dim(), "D and ", b->dim(),
           "D tensors");
  PT_CHECK(a->dtype() == b->dtype(), "dot : expected both vectors to have same dtype, but found ",
           dtype_torch_name(a->dtype()), " and ", dtype_torch_name(b->dtype()));
  const int64_t n = a->numel(), nb = b->numel();
  PT_CHECK(n == nb, "inconsistent tensor size, expected tensor [", n, "] and src [", nb,
           "] to have the same number of elements, but got ", n, " and ", nb, " elements respectively");
  check_kernel_dtype(*a, "dot", "dot");
  Tensor out = empty({}, a->dtype(), a->device());
  if (!a->device().is_cpu()) {
    // A 1 x n by n x 1 product: cuBLAS reads both vectors through their strides.
    run_gemm(make_view(*out, {1, 1}, {1, 1}, out->offset()), make_view(*a, {1, n}, {1, a->strides()[0]}, a->offset()),
             make_view(*b, {n, 1}, {b->strides()[0], 1}, b->offset()), kOne, kZero);
    return out;
  }
  cpu::dot(a->dtype(), n, a->data(), a->strides()[0], b->data(), b->strides()[0], out->data());
  return out;
}

Tensor outer(const Tensor& a, const Tensor& b) {
  PT_CHECK(a->dim() == 1, "outer: Expected 1-D argument self, but got ", a->dim(), "-D");
  PT_CHECK(b->dim() == 1, "outer: Expected 1-D argument vec2, but got ", b->dim(), "-D");
  return binary(cpu::BinaryOp::Mul, unsqueeze(a, 1), b);
}

Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) {
  check_product_devices("addmm", {{"self", input.get()}, {"mat1", m1.get()}, {"mat2", m2.get()}});
  PT_CHECK(m1->dim() == 2, "mat1 must be a matrix, got ", m1->dim(), "-D tensor");
  PT_CHECK(m2->dim() == 2, "mat2 must be a matrix, got ", m2->dim(), "-D tensor");
  PT_CHECK(input->dtype() == m2->dtype(), "self and mat2 must have the same dtype, but got ",
           dtype_torch_name(input->dtype()), " and ", dtype_torch_name(m2->dtype()));
  PT_CHECK(m1->dtype() == m2->dtype(), "mat1 and mat2 must have the same dtype, but got ",
           dtype_torch_name(m1->dtype()), " and ", dtype_torch_name(m2->dtype()));
  check_mm_shapes(m1->sizes(), m2->sizes());
  Shape shape{m1->sizes()[0], m2->sizes()[1]};
  Tensor in = expand(input, shape);
  check_kernel_dtype(*m1, "addmm_impl_cpu_", "addmm_cuda");
  return product_plus(in, m1, m2, beta, alpha, shape);
}

Tensor baddbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
  check_product_devices("baddbmm", {{"self", input.get()}, {"batch1", b1.get()}, {"batch2", b2.get()}});
  PT_CHECK(b1->dim() == 3, "batch1 must be a 3D tensor");
  PT_CHECK(b2->dim() == 3, "batch2 must be a 3D tensor");
  check_bmm_shapes(*b1, *b2);
  Shape shape{b1->sizes()[0], b1->sizes()[1], b2->sizes()[2]};
  Tensor in = expand(input, shape);
  PT_CHECK(input->dtype() == b1->dtype(), "Input dtypes must be the same, got: input ", cpp_type_name(input->dtype()),
           ", batch1: ", cpp_type_name(b1->dtype()), ", batch2: ", cpp_type_name(b2->dtype()));
  PT_CHECK(b1->dtype() == b2->dtype(), "expected scalar type ", dtype_torch_name(b1->dtype()), " but found ",
           dtype_torch_name(b2->dtype()));
  check_kernel_dtype(*b1, "baddbmm", "baddbmm_cuda");
  return product_plus(in, b1, b2, beta, alpha, shape);
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_product_devices("matmul", {{"self", a.get()}, {"other", b.get()}});
  const int64_t da = a->dim(), db = b->dim();
  PT_CHECK(da >= 1 && db >= 1, "both arguments to matmul need to be at least 1D, but they are ", da, "D and ", db,
           "D");
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 2 && db == 2) return mm(a, b);
  if (da == 1 && db == 2) {
    Tensor out = mm(unsqueeze(a, 0), b);
    return as_matrix_view(out, {out->sizes()[1]}, {1});
  }
  if (da >= 3 && db <= 2) {
    // (batch..., m, k) @ matrix-or-vector is one (batch*m, k) product: checks and messages are
    // those of that product, as torch folds too; the fold is a view when a's layout allows it.
    const int64_t k = a->sizes().back();
    const int64_t rows = numel_of(with_last(a->sizes(), {}, 1));
    const Shape folded{rows, k};
    if (db == 1) check_mv(1, rows, rows, b->dtype(), *a, folded, a->dtype(), b->sizes(), b->dtype());
    else {
      check_mm_shapes(folded, b->sizes());
      check_mm_dtypes(a->dtype(), b->dtype());
      check_kernel_dtype(*a, "addmm_impl_cpu_", "addmm_cuda");
    }
    const Shape out_shape = db == 1 ? with_last(a->sizes(), {}, 1) : with_last(a->sizes(), {b->sizes()[1]}, 1);
    Shape fold_strides;
    if (compute_view_strides(a->sizes(), a->strides(), folded, fold_strides)) {
      Tensor a2 = as_matrix_view(a, folded, fold_strides);
      Tensor out = db == 1 ? mv(a2, b) : mm(a2, b);
      return as_matrix_view(out, out_shape, contiguous_strides(out_shape));
    }
    Tensor b2 = db == 1 ? make_view(*b, {k, 1}, {b->strides()[0], 1}, b->offset()) : b;
    Tensor out = empty(with_last(a->sizes(), {b2->sizes()[1]}, 1), a->dtype(), a->device());
    run_gemm(out, a, b2, kOne, kZero);
    return as_matrix_view(out, out_shape, contiguous_strides(out_shape));
  }
  // General batched product: a vector operand becomes a 1-row / 1-column matrix, then batch
  // dims broadcast (by stride, never by copying).
  Tensor a2 = da == 1 ? unsqueeze(a, 0) : a;
  Tensor b2 = db == 1 ? unsqueeze(b, 1) : b;
  const Shape batch = broadcast_shapes(Shape(a2->sizes().begin(), a2->sizes().end() - 2),
                                       Shape(b2->sizes().begin(), b2->sizes().end() - 2));
  const int64_t m = a2->sizes()[a2->dim() - 2], k = a2->sizes().back();
  const int64_t kb = b2->sizes()[b2->dim() - 2], n = b2->sizes().back();
  const int64_t count = numel_of(batch);
  PT_CHECK(k == kb, "Expected size for first two dimensions of batch2 tensor to be: [", count, ", ", k,
           "] but got: [", count, ", ", kb, "].");
  PT_CHECK(a->dtype() == b->dtype(), "expected scalar type ", dtype_torch_name(a->dtype()), " but found ",
           dtype_torch_name(b->dtype()));
  check_kernel_dtype(*a, "bmm", "baddbmm_cuda");
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out = empty(out_shape, a->dtype(), a->device());
  run_gemm(out, a2, b2, kOne, kZero);
  Shape result_shape = batch;
  if (da > 1) result_shape.push_back(m);
  if (db > 1) result_shape.push_back(n);
  if (result_shape.size() == out_shape.size()) return out;
  return as_matrix_view(out, result_shape, contiguous_strides(result_shape));
}

Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias) {
  PT_CHECK(input->dim() >= 1 && weight->dim() >= 1, "both arguments to linear need to be at least 1D, but they are ",
           input->dim(), "D and ", weight->dim(), "D");
  Tensor wt = t_2d(weight);
  if (bias && input->dim() >= 2 && weight->dim() == 2) {
    // Bias and product in one pass (addmm), over the batch folded into rows when that is a view.
    if (input->dim() == 2) return addmm(*bias, input, wt, kOne, kOne);
    const int64_t k = input->sizes().back();
    const Shape lead = with_last(input->sizes(), {}, 1);
    const Shape folded{numel_of(lead), k};
    Shape fold_strides;
    if (compute_view_strides(input->sizes(), input->strides(), folded, fold_strides)) {
      Tensor out = addmm(*bias, as_matrix_view(input, folded, fold_strides), wt, kOne, kOne);
      const Shape out_shape = with_last(input->sizes(), {wt->sizes()[1]}, 1);
      return as_matrix_view(out, out_shape, contiguous_strides(out_shape));
    }
  }
  Tensor out = matmul(input, wt);
  if (bias) binary_(cpu::BinaryOp::Add, out, *bias);
  return out;
}

}  // namespace pt
