#include "ops/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/errors.h"
#include "cpu/reduce.h"
#include "cuda/reduce.h"
#include "cuda/runtime.h"
#include "ops/copy.h"
#include "ops/views.h"

namespace pt {

using cpu::ReduceKind;

namespace {

// Flags of the reduced dims. nullopt (and an empty list, unless `empty_means_all` is false)
// reduces every dim.
std::vector<bool> reduce_mask(const TensorImpl& x, const OptDims& dims, bool empty_means_all = true) {
  const int64_t nd = x.dim();
  if (!dims || (dims->empty() && empty_means_all)) return std::vector<bool>(nd, true);
  std::vector<bool> mask(nd, false);
  bool scalar_seen = false;  // a 0-d tensor: -1 and 0 both name its one implicit dim
  for (int64_t d : *dims) {
    const int64_t w = wrap_dim(d, nd);
    if (nd == 0) {
      PT_CHECK(!scalar_seen, "dim ", w, " appears multiple times in the list of dims");
      scalar_seen = true;
      continue;
    }
    PT_CHECK(!mask[w], "dim ", w, " appears multiple times in the list of dims");
    mask[w] = true;
  }
  return mask;
}

Shape reduced_shape(const TensorImpl& x, const std::vector<bool>& mask, bool keepdim) {
  Shape out;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!mask[d]) out.push_back(x.sizes()[d]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

cpu::ReduceInput input_of(const Tensor& x, std::vector<bool> mask) {
  return {x->data(), x->dtype(), x->sizes(), x->strides(), std::move(mask)};
}

// The CUDA kernels' input: x with its kept dims first and reduced dims last (each in order),
// contiguous, as rows x len; row r reduces into output element r.
struct Rows {
  Tensor t;
  int64_t rows = 1, len = 1;
};

Rows rows_of(const Tensor& x, const std::vector<bool>& mask) {
  Rows r;
  Shape order;
  for (int64_t d = 0; d < x->dim(); ++d) {
    if (!mask[d]) {
      order.push_back(d);
      r.rows *= x->sizes()[d];
    }
  }
  for (int64_t d = 0; d < x->dim(); ++d) {
    if (mask[d]) {
      order.push_back(d);
      r.len *= x->sizes()[d];
    }
  }
  r.t = contiguous(x->dim() == 0 ? x : permute(x, order));
  return r;
}

Tensor reduce(ReduceKind kind, const Tensor& x, const std::vector<bool>& mask, bool keepdim,
              DType out_dtype, double param = 0) {
  Tensor out = empty(reduced_shape(*x, mask, keepdim), out_dtype, x->device());
  if (x->device().is_cpu()) {
    cpu::reduce_kernel(kind, input_of(x, mask), out->data(), param);
  } else {
    const Rows r = rows_of(x, mask);
    cuda::DeviceGuard guard(x->device());
    cuda::reduce_rows(kind, x->dtype(), r.t->data(), r.rows, r.len, out->data(), param);
  }
  return out;
}

// max/min (values may be null) with their indices along the reduced dims.
void arg_reduce(bool is_max, const Tensor& x, const std::vector<bool>& mask, const Tensor& values,
                const Tensor& indices) {
  void* vals = values ? values->data() : nullptr;
  if (x->device().is_cpu()) {
    cpu::arg_reduce_kernel(is_max, input_of(x, mask), vals, indices->data_as<int64_t>());
  } else {
    const Rows r = rows_of(x, mask);
    cuda::DeviceGuard guard(x->device());
    cuda::arg_reduce_rows(is_max, x->dtype(), r.t->data(), r.rows, r.len, vals, indices->data_as<int64_t>());
  }
}

// sum, prod and the scans accumulate bool and integers in int64.
DType widened(DType d) { return is_integral(d, /*include_bool=*/true) ? DType::Int64 : d; }

Tensor cast_if(const Tensor& x, OptDType dtype) {
  return dtype && *dtype != x->dtype() ? to_dtype(x, *dtype) : x;
}

// Reductions without an identity (max, min) reject empty reductions, as torch does.
void check_has_elements(const char* name, const TensorImpl& x, const OptDims& dims) {
  if (!dims || dims->empty()) {
    PT_CHECK(x.numel() != 0, name, "(): Expected reduction dim to be specified for input.numel() == 0. "
             "Specify the reduction dim with the 'dim' argument.");
    return;
  }
  if (x.dim() == 0) return;
  for (int64_t d : *dims) {
    PT_CHECK_T(IndexError, x.sizes()[wrap_dim(d, x.dim())] != 0, name, "(): Expected reduction dim ", d,
               " to have non-zero size.");
  }
}

void check_dim_nonempty(const char* name, const TensorImpl& x, int64_t wrapped) {
  if (x.dim() == 0) return;
  PT_CHECK_T(IndexError, x.sizes()[wrapped] != 0, name, "(): Expected reduction dim ", wrapped,
             " to have non-zero size.");
}

void check_float(bool ok, const char* what, DType d) { PT_CHECK(ok, what, torch_type_name(d)); }

std::vector<bool> single_dim_mask(const TensorImpl& x, int64_t wrapped) {
  std::vector<bool> mask(x.dim(), false);
  if (x.dim() > 0) mask[wrapped] = true;
  return mask;
}

std::tuple<Tensor, Tensor> extreme_dim(bool is_max, const Tensor& x, int64_t dim, bool keepdim) {
  const int64_t d = wrap_dim(dim, x->dim());
  check_dim_nonempty(is_max ? "max" : "min", *x, d);
  auto mask = single_dim_mask(*x, d);
  Shape shape = reduced_shape(*x, mask, keepdim);
  Tensor values = empty(shape, x->dtype(), x->device());
  Tensor indices = empty(shape, DType::Int64, x->device());
  arg_reduce(is_max, x, mask, values, indices);
  return {values, indices};
}

Tensor arg_extreme(bool is_max, const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  const char* name = is_max ? "argmax" : "argmin";
  PT_CHECK(x->dtype() != DType::Bool, name, "(): does not support bool input");
  if (!dim) {
    PT_CHECK_T(IndexError, x->numel() != 0, name,
               "(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = reshape(x, {-1});
    Tensor out = empty(keepdim ? Shape(x->dim(), 1) : Shape{}, DType::Int64, x->device());
    arg_reduce(is_max, flat, {true}, nullptr, out);
    return out;
  }
  const int64_t d = wrap_dim(*dim, x->dim());
  check_dim_nonempty(name, *x, d);
  auto mask = single_dim_mask(*x, d);
  Tensor out = empty(reduced_shape(*x, mask, keepdim), DType::Int64, x->device());
  arg_reduce(is_max, x, mask, nullptr, out);
  return out;
}

Tensor variance(bool take_sqrt, const Tensor& x, const OptDims& dims, double correction, bool keepdim) {
  PT_CHECK(is_floating(x->dtype()), "std and var only support floating point and complex dtypes");
  auto mask = reduce_mask(*x, dims);
  Tensor out = empty(reduced_shape(*x, mask, keepdim), x->dtype(), x->device());
  if (x->device().is_cpu()) {
    cpu::var_kernel(input_of(x, mask), correction, take_sqrt, out->data());
  } else {
    const Rows r = rows_of(x, mask);
    cuda::DeviceGuard guard(x->device());
    cuda::var_rows(x->dtype(), r.t->data(), r.rows, r.len, correction, take_sqrt, out->data());
  }
  return out;
}

Tensor all_any(ReduceKind kind, const Tensor& x, const OptDims& dims, bool keepdim) {
  auto mask = reduce_mask(*x, dims, /*empty_means_all=*/false);
  return reduce(kind, x, mask, keepdim, x->dtype() == DType::UInt8 ? DType::UInt8 : DType::Bool);
}

// (outer, n, inner) of a contiguous tensor split at `dim`.
void split_at(const TensorImpl& x, int64_t d, int64_t& outer, int64_t& n, int64_t& inner) {
  outer = n = inner = 1;
  for (int64_t i = 0; i < x.dim(); ++i) {
    if (i < d) outer *= x.sizes()[i];
    else if (i == d) n = x.sizes()[i];
    else inner *= x.sizes()[i];
  }
}

Tensor softmax_impl(bool log, const Tensor& x, int64_t dim, OptDType dtype) {
  const int64_t d = wrap_dim(dim, x->dim());
  Tensor src = cast_if(x, dtype);
  if (!is_floating(src->dtype())) {
    const bool last = d == std::max<int64_t>(src->dim(), 1) - 1;  // torch names its two kernels
    throw NotImplementedError(str_cat("\"", log ? "log_softmax" : "softmax", last ? "_lastdim" : "",
                                      "_kernel_impl\" not implemented for '", torch_type_name(src->dtype()),
                                      "'"));
  }
  src = contiguous(src);
  Tensor out = empty(src->sizes(), src->dtype(), src->device());
  if (out->numel() == 0) return out;
  int64_t outer, n, inner;
  split_at(*src, d, outer, n, inner);
  if (src->device().is_cpu()) {
    cpu::softmax_kernel(src->dtype(), src->data(), out->data(), outer, n, inner, log);
  } else {
    cuda::DeviceGuard guard(src->device());
    cuda::softmax(src->dtype(), src->data(), out->data(), outer, n, inner, log);
  }
  return out;
}

Tensor cumulative(bool is_prod, const Tensor& x, int64_t dim, OptDType dtype) {
  const DType out_dtype = dtype ? *dtype : widened(x->dtype());
  if (out_dtype == DType::Bool) {
    throw NotImplementedError(str_cat("\"", is_prod ? "cumprod" : "cumsum", "_out_",
                                      x->device().is_cpu() ? "cpu" : "cuda", "\" not implemented for 'Bool'"));
  }
  const int64_t d = wrap_dim(dim, x->dim());
  Tensor out;
  const void* in;
  DType in_dtype = out_dtype;
  // Bool and narrower integers widen inside the CPU scan: a separate conversion pass made a
  // bool cumsum 1.5x an int64 one.
  const bool widen = x->device().is_cpu() && out_dtype == DType::Int64 &&
                     is_integral(x->dtype(), /*include_bool=*/true);
  if (x->is_contiguous() && (x->dtype() == out_dtype || widen)) {
    out = empty(x->sizes(), out_dtype, x->device());
    in = x->data();
    in_dtype = x->dtype();
  } else {
    out = to_dtype(x, out_dtype, /*copy=*/true);  // contiguous; scanned in place
    in = out->data();
  }
  if (out->numel() == 0) return out;
  int64_t outer, n, inner;
  split_at(*out, d, outer, n, inner);
  if (out->device().is_cpu()) {
    cpu::cumulative_kernel(is_prod, out_dtype, in, out->data(), outer, n, inner, in_dtype);
  } else {
    cuda::DeviceGuard guard(out->device());
    cuda::cumulative(is_prod, out_dtype, in, out->data(), outer, n, inner);
  }
  return out;
}

}  // namespace

const char* torch_type_name(DType d) {
  switch (d) {
    case DType::Bool: return "Bool";
    case DType::UInt8: return "Byte";
    case DType::Int8: return "Char";
    case DType::Int16: return "Short";
    case DType::Int32: return "Int";
    case DType::Int64: return "Long";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
  }
  return "?";
}

Tensor sum(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype) {
  auto mask = reduce_mask(*x, dims);
  Tensor src = cast_if(x, dtype);
  const DType acc = widened(src->dtype());
  Tensor out = reduce(ReduceKind::Sum, src, mask, keepdim, acc);
  return dtype && *dtype != acc ? to_dtype(out, *dtype) : out;
}

Tensor mean(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype) {
  if (dtype) {
    check_float(is_floating(*dtype), "mean(): could not infer output dtype. Optional dtype must be either "
                "a floating point or complex dtype. Got: ", *dtype);
  } else {
    check_float(is_floating(x->dtype()), "mean(): could not infer output dtype. Input dtype must be either "
                "a floating point or complex dtype. Got: ", x->dtype());
  }
  auto mask = reduce_mask(*x, dims);
  Tensor src = cast_if(x, dtype);
  return reduce(ReduceKind::Mean, src, mask, keepdim, src->dtype());
}

Tensor prod(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype) {
  auto mask = reduce_mask(*x, dims);
  Tensor src = cast_if(x, dtype);
  const DType acc = widened(src->dtype());
  Tensor out = reduce(ReduceKind::Prod, src, mask, keepdim, acc);
  return dtype && *dtype != acc ? to_dtype(out, *dtype) : out;
}

Tensor amax(const Tensor& x, const OptDims& dims, bool keepdim) {
  auto mask = reduce_mask(*x, dims);
  check_has_elements("amax", *x, dims);
  return reduce(ReduceKind::Max, x, mask, keepdim, x->dtype());
}

Tensor amin(const Tensor& x, const OptDims& dims, bool keepdim) {
  auto mask = reduce_mask(*x, dims);
  check_has_elements("amin", *x, dims);
  return reduce(ReduceKind::Min, x, mask, keepdim, x->dtype());
}

Tensor max(const Tensor& x) {
  check_has_elements("max", *x, std::nullopt);
  return reduce(ReduceKind::Max, x, std::vector<bool>(x->dim(), true), false, x->dtype());
}

Tensor min(const Tensor& x) {
  check_has_elements("min", *x, std::nullopt);
  return reduce(ReduceKind::Min, x, std::vector<bool>(x->dim(), true), false, x->dtype());
}

std::tuple<Tensor, Tensor> max_dim(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme_dim(true, x, dim, keepdim);
}

std::tuple<Tensor, Tensor> min_dim(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme_dim(false, x, dim, keepdim);
}

Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme(true, x, dim, keepdim);
}

Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme(false, x, dim, keepdim);
}

Tensor var(const Tensor& x, const OptDims& dims, double correction, bool keepdim) {
  return variance(false, x, dims, correction, keepdim);
}

Tensor stddev(const Tensor& x, const OptDims& dims, double correction, bool keepdim) {
  return variance(true, x, dims, correction, keepdim);
}

Tensor all(const Tensor& x, const OptDims& dims, bool keepdim) {
  return all_any(ReduceKind::All, x, dims, keepdim);
}

Tensor any(const Tensor& x, const OptDims& dims, bool keepdim) {
  return all_any(ReduceKind::Any, x, dims, keepdim);
}

Tensor count_nonzero(const Tensor& x, const OptDims& dims) {
  return reduce(ReduceKind::CountNonzero, x, reduce_mask(*x, dims), false, DType::Int64);
}

Tensor norm(const Tensor& x, double p, const OptDims& dims, bool keepdim, OptDType dtype) {
  check_float(is_floating(x->dtype()),
              "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ", x->dtype());
  if (dtype) {
    check_float(is_floating(*dtype), "linalg.vector_norm: dtype should be floating point or complex. Got ",
                *dtype);
  }
  auto mask = reduce_mask(*x, dims);
  if (std::isinf(p) && x->numel() == 0) {
    PT_CHECK(dims && !dims->empty(), "linalg.vector_norm cannot compute the ", p > 0 ? "" : "-",
             "inf norm on an empty tensor because the operation does not have an identity");
    for (int64_t d = 0; d < x->dim(); ++d) {
      PT_CHECK(!(mask[d] && x->sizes()[d] == 0), "linalg.vector_norm cannot compute the ", p > 0 ? "" : "-",
               "inf norm on the dimension ", d,
               "because this dimension is empty and the operation does not have an identity");
    }
  }
  ReduceKind kind = ReduceKind::NormP;
  if (p == 0) kind = ReduceKind::NormP0;
  else if (p == 1) kind = ReduceKind::NormP1;
  else if (p == 2) kind = ReduceKind::NormP2;
  else if (std::isinf(p)) kind = p > 0 ? ReduceKind::NormInf : ReduceKind::NormNegInf;
  Tensor src = cast_if(x, dtype);
  return reduce(kind, src, mask, keepdim, src->dtype(), p);
}

Tensor logsumexp(const Tensor& x, const OptDims& dims, bool keepdim) {
  auto mask = reduce_mask(*x, dims);
  Tensor src = is_floating(x->dtype()) ? x : to_dtype(x, default_float_dtype());
  Tensor out = empty(reduced_shape(*src, mask, keepdim), src->dtype(), src->device());
  if (src->device().is_cpu()) {
    cpu::logsumexp_kernel(input_of(src, mask), out->data());
  } else {
    const Rows r = rows_of(src, mask);
    cuda::DeviceGuard guard(src->device());
    cuda::logsumexp_rows(src->dtype(), r.t->data(), r.rows, r.len, out->data());
  }
  return out;
}

Tensor softmax(const Tensor& x, int64_t dim, OptDType dtype) { return softmax_impl(false, x, dim, dtype); }
Tensor log_softmax(const Tensor& x, int64_t dim, OptDType dtype) { return softmax_impl(true, x, dim, dtype); }
Tensor cumsum(const Tensor& x, int64_t dim, OptDType dtype) { return cumulative(false, x, dim, dtype); }
Tensor cumprod(const Tensor& x, int64_t dim, OptDType dtype) { return cumulative(true, x, dim, dtype); }

}  // namespace pt
