#include "ops/scan_search.h"

#include <cmath>

#include "core/errors.h"
#include "cpu/scan_search.h"
#include "ops/copy.h"
#include "ops/factory.h"
#include "ops/reduce.h"
#include "ops/views.h"

namespace pt {

namespace {

void check_cpu(const Tensor& x, const char* op) {
  PT_CHECK_T(NotImplementedError, x->device().is_cpu(), op, " is not implemented for CUDA tensors in pytensor");
}

void check_not_bool(const Tensor& x, const char* kernel) {
  PT_CHECK_T(NotImplementedError, x->dtype() != DType::Bool, "\"", kernel, "\" not implemented for 'Bool'");
}

// x with `dim` moved last, contiguous, seen as [rows, n].
struct Rows {
  Tensor t;
  int64_t d = 0, n = 1, rows = 0;
};

Rows rows_along(const Tensor& x, int64_t dim) {
  Rows r;
  if (x->dim() == 0) {
    wrap_dim(dim, 1);  // a 0-d tensor has one implicit dim: -1 and 0 are valid
    r.t = contiguous(x);
    r.rows = 1;
    return r;
  }
  r.d = wrap_dim(dim, x->dim());
  r.t = contiguous(movedim(x, r.d, x->dim() - 1));
  r.n = x->sizes()[r.d];
  r.rows = r.n == 0 ? 0 : x->numel() / r.n;
  return r;
}

// One value (and index) per row, shaped as a reduction over d.
std::tuple<Tensor, Tensor> reduce_rows(const Tensor& x, int64_t dim, bool keepdim, const char* op,
                                       int64_t k, cpu::SelectRule rule, bool is_mode) {
  Rows r = rows_along(x, dim);
  PT_CHECK_T(IndexError, x->dim() == 0 || r.n > 0, op, "(): Expected reduction dim ", r.d,
             " to have non-zero size.");
  PT_CHECK(is_mode || rule != cpu::SelectRule::Kth || (k >= 1 && k <= r.n), op,
           "(): selected number k out of range for dimension ", r.d);
  Shape out_sizes = x->sizes();
  if (x->dim() > 0) {
    if (keepdim) out_sizes[r.d] = 1;
    else out_sizes.erase(out_sizes.begin() + r.d);
  }
  Tensor values = empty(out_sizes, x->dtype());
  Tensor indices = empty(out_sizes, DType::Int64);
  if (r.rows > 0) {
    if (is_mode) {
      cpu::mode_rows_kernel(x->dtype(), r.t->data(), r.rows, r.n, values->data(), indices->data_as<int64_t>());
    } else {
      cpu::select_rows_kernel(x->dtype(), r.t->data(), r.rows, r.n, k - 1, rule, values->data(),
                              indices->data_as<int64_t>());
    }
  }
  return {values, indices};
}

Tensor median_all(const Tensor& x, cpu::SelectRule rule) {
  check_cpu(x, rule == cpu::SelectRule::Median ? "median" : "nanmedian");
  check_not_bool(x, "median_cpu");
  if (x->numel() == 0) {
    PT_CHECK(x->dtype() == DType::Float32 || x->dtype() == DType::Float64,
             "median() input tensor cannot be empty");
    return full({}, Scalar::from_double(std::nan("")), x->dtype());
  }
  auto [values, indices] = reduce_rows(reshape(x, {-1}), 0, false, "median", 0, rule, false);
  return values;
}

std::tuple<Tensor, Tensor> cum_extreme(const Tensor& x, int64_t dim, bool is_max) {
  check_cpu(x, is_max ? "cummax" : "cummin");
  Rows r = rows_along(x, dim);
  Tensor values = empty(r.t->sizes(), x->dtype());
  Tensor indices = empty(r.t->sizes(), DType::Int64);
  if (r.rows > 0 && r.n > 0) {
    cpu::cum_extreme_kernel(x->dtype(), r.t->data(), r.rows, r.n, is_max, values->data(),
                            indices->data_as<int64_t>());
  }
  if (x->dim() == 0) return {values, indices};
  return {contiguous(movedim(values, x->dim() - 1, r.d)), contiguous(movedim(indices, x->dim() - 1, r.d))};
}

}  // namespace

std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
  check_cpu(x, "kthvalue");
  check_not_bool(x, "kthvalue_cpu");
  return reduce_rows(x, dim, keepdim, "kthvalue", k, cpu::SelectRule::Kth, false);
}

Tensor median(const Tensor& x) { return median_all(x, cpu::SelectRule::Median); }
Tensor nanmedian(const Tensor& x) { return median_all(x, cpu::SelectRule::NanMedian); }

std::tuple<Tensor, Tensor> median_dim(const Tensor& x, int64_t dim, bool keepdim) {
  check_cpu(x, "median");
  check_not_bool(x, "median_cpu");
  return reduce_rows(x, dim, keepdim, "median", 0, cpu::SelectRule::Median, false);
}

std::tuple<Tensor, Tensor> nanmedian_dim(const Tensor& x, int64_t dim, bool keepdim) {
  check_cpu(x, "nanmedian");
  check_not_bool(x, "median_cpu");
  return reduce_rows(x, dim, keepdim, "median", 0, cpu::SelectRule::NanMedian, false);  // torch says median()
}

std::tuple<Tensor, Tensor> mode(const Tensor& x, int64_t dim, bool keepdim) {
  check_cpu(x, "mode");
  return reduce_rows(x, dim, keepdim, "mode", 0, cpu::SelectRule::Kth, true);
}

Tensor lexsort_rows(const Tensor& x) {
  check_cpu(x, "unique");
  PT_CHECK(x->dim() == 2, "lexsort_rows: expected a 2-D tensor");
  const Tensor c = contiguous(x);
  Tensor perm = empty({x->sizes()[0]}, DType::Int64);
  cpu::lexsort_rows_kernel(x->dtype(), c->data(), x->sizes()[0], x->sizes()[1], perm->data_as<int64_t>());
  return perm;
}

Tensor run_inverse(const Tensor& starts, const std::optional<Tensor>& order) {
  check_cpu(starts, "unique");
  const int64_t n = starts->numel();
  PT_CHECK(starts->dtype() == DType::Bool && starts->dim() == 1, "run_inverse: expected a 1-D bool tensor");
  PT_CHECK(!order || ((*order)->dtype() == DType::Int64 && (*order)->numel() == n),
           "run_inverse: expected an int64 order of the same length");
  const Tensor s = contiguous(starts);
  Tensor o;
  if (order) {
    o = contiguous(*order);
    const int64_t* p = o->data_as<int64_t>();
    for (int64_t i = 0; i < n; ++i) PT_CHECK(p[i] >= 0 && p[i] < n, "run_inverse: order index out of range");
  }
  Tensor out = empty({n}, DType::Int64);
  cpu::run_inverse_kernel(s->data_as<bool>(), order ? o->data_as<int64_t>() : nullptr, n, out->data_as<int64_t>());
  return out;
}

std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim) { return cum_extreme(x, dim, true); }
std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim) { return cum_extreme(x, dim, false); }

Tensor logcumsumexp(const Tensor& x, int64_t dim) {
  check_cpu(x, "logcumsumexp");
  PT_CHECK_T(NotImplementedError, x->dtype() == DType::Float32 || x->dtype() == DType::Float64,
             "\"logcumsumexp_out_cpu\" not implemented for '", dtype_torch_name(x->dtype()), "'");
  Rows r = rows_along(x, dim);
  Tensor out = empty(r.t->sizes(), x->dtype());
  if (r.rows > 0 && r.n > 0) cpu::logcumsumexp_kernel(x->dtype(), r.t->data(), r.rows, r.n, out->data());
  if (x->dim() == 0) return out;
  return contiguous(movedim(out, x->dim() - 1, r.d));
}

Tensor searchsorted(const Tensor& seq, const Tensor& values, bool out_int32, bool right,
                    const std::optional<Tensor>& sorter) {
  check_cpu(seq, "searchsorted");
  check_cpu(values, "searchsorted");
  PT_CHECK(seq->dim() > 0, "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
  if (seq->dim() > 1) {
    bool ok = values->dim() == seq->dim();
    for (int64_t i = 0; ok && i + 1 < seq->dim(); ++i) ok = seq->sizes()[i] == values->sizes()[i];
    PT_CHECK(ok, "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                 "boundaries tensor and input value tensor must match, but we got boundaries tensor ",
             shape_str(seq->sizes()), " and input value tensor ", shape_str(values->sizes()));
  }
  const int64_t n = seq->sizes().back();
  Tensor sorter_c;
  if (sorter) {
    const Tensor& s = *sorter;
    check_cpu(s, "searchsorted");
    PT_CHECK(s->dtype() == DType::Int64, "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype ",
             dtype_torch_name(s->dtype()));
    PT_CHECK(s->sizes() == seq->sizes(), "torch.searchsorted(): boundary and sorter must have the same size, but got "
                                         "boundary tensor ", shape_str(seq->sizes()), "and got sorter tensor ",
             shape_str(s->sizes()));
    sorter_c = contiguous(s);
    const int64_t* p = sorter_c->data_as<int64_t>();
    for (int64_t i = 0, m = sorter_c->numel(); i < m; ++i) {
      PT_CHECK(p[i] >= 0 && p[i] < n, "torch.searchsorted(): sorter index out of range");
    }
  }
  const DType common = promote_types(seq->dtype(), values->dtype());
  const Tensor s = as_contiguous_dtype(seq, common);
  const Tensor v = as_contiguous_dtype(values, common);
  Tensor out = empty(values->sizes(), out_int32 ? DType::Int32 : DType::Int64);
  int64_t rows = 1;  // the leading dims (an empty sequence still has rows of values)
  for (int64_t i = 0; i + 1 < seq->dim(); ++i) rows *= seq->sizes()[i];
  const int64_t per_row = seq->dim() == 1 ? values->numel()
                                          : (values->dim() == 0 ? 1 : values->sizes().back());
  if (out->numel() > 0) {
    cpu::searchsorted_kernel(common, s->data(), sorter ? sorter_c->data_as<int64_t>() : nullptr, rows, n, v->data(),
                             per_row, right, out_int32, out->data());
  }
  return out;
}

Tensor bincount(const Tensor& x, const std::optional<Tensor>& weights, int64_t minlength) {
  check_cpu(x, "bincount");
  const DType dt = x->dtype();
  PT_CHECK_T(NotImplementedError, dt != DType::Float32 && dt != DType::Float64 && dt != DType::Bool,
             "\"bincount_cpu\" not implemented for '", dtype_torch_name(dt), "'");
  PT_CHECK(minlength >= 0, "minlength should be >= 0");
  PT_CHECK(x->dim() == 1, "bincount only supports 1-d non-negative integral inputs.");
  if (weights) {
    check_cpu(*weights, "bincount");
    PT_CHECK((*weights)->dim() == 1 && (*weights)->numel() == x->numel(),
             "weights should be 1-d and have the same length as input");
  }
  const Tensor idx = as_contiguous_dtype(x, DType::Int64);
  const int64_t* p = idx->data_as<int64_t>();
  int64_t hi = -1;
  for (int64_t i = 0, m = idx->numel(); i < m; ++i) {
    PT_CHECK(p[i] >= 0, "bincount only supports 1-d non-negative integral inputs.");
    hi = std::max(hi, p[i]);
  }
  const int64_t bins = std::max(hi + 1, minlength);
  DType out_dt = DType::Int64;
  Tensor w;
  if (weights) {
    out_dt = (*weights)->dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
    w = as_contiguous_dtype(*weights, out_dt);
  }
  Tensor out = empty({bins}, out_dt);
  cpu::bincount_kernel(p, idx->numel(), weights ? w->data() : nullptr, out_dt, bins, out->data());
  return out;
}

Tensor histc(const Tensor& x, int64_t bins, double min, double max) {
  check_cpu(x, "histc");
  PT_CHECK_T(NotImplementedError, x->dtype() == DType::Float32 || x->dtype() == DType::Float64,
             "\"histogram_cpu\" not implemented for '", dtype_torch_name(x->dtype()), "'");
  PT_CHECK(bins > 0, "torch.histogram(): bins must be > 0, but got ", bins, " for dimension 0");
  PT_CHECK(!(min > max), "torch.histc: max must be larger than min");
  double lo = min, hi = max;
  if (lo == hi && x->numel() > 0) {  // the data's own range
    lo = to_dtype(amin(x, std::nullopt, false), DType::Float64)->data_as<double>()[0];
    hi = to_dtype(amax(x, std::nullopt, false), DType::Float64)->data_as<double>()[0];
  }
  if (lo == hi) {
    lo -= 1;
    hi += 1;
  }
  PT_CHECK(std::isfinite(lo) && std::isfinite(hi), "torch.histc: range of [", lo, ", ", hi, "] is not finite");
  const Tensor c = contiguous(x);
  Tensor out = empty({bins}, x->dtype());
  cpu::histc_kernel(x->dtype(), c->data(), c->numel(), bins, lo, hi, out->data());
  return out;
}

}  // namespace pt
