#include "ops/sort.h"

#include "core/errors.h"
#include "cpu/sort.h"
#include "ops/copy.h"
#include "ops/views.h"

namespace pt {

namespace {

// The first k of each row along dim after ordering; k == size sorts.
std::tuple<Tensor, Tensor> select_sorted(const Tensor& x, int64_t dim, int64_t k, bool largest, const char* op) {
  PT_CHECK_T(NotImplementedError, x->device().is_cpu(), op, " is not implemented for ", x->device().str(),
             " tensors yet");
  if (x->dim() == 0) {  // one element: itself at index 0, as torch (for k 0 too)
    wrap_dim(dim, 1);
    Tensor indices = empty({}, DType::Int64);
    indices->data_as<int64_t>()[0] = 0;
    return {clone(x), indices};
  }
  const int64_t d = wrap_dim(dim, x->dim());
  const Tensor rows = contiguous(movedim(x, d, x->dim() - 1));
  const int64_t n = x->sizes()[d];
  const int64_t count = n == 0 ? 0 : rows->numel() / n;
  Shape out_sizes = rows->sizes();
  out_sizes.back() = k;
  Tensor values = empty(out_sizes, x->dtype());
  Tensor indices = empty(out_sizes, DType::Int64);
  if (k > 0 && count > 0) {
    cpu::sort_rows_kernel(x->dtype(), rows->data(), count, n, k, largest, values->data(), indices->data_as<int64_t>());
  }
  // Back to the input's dim order, laid out contiguously as torch returns them.
  return {contiguous(movedim(values, x->dim() - 1, d)), contiguous(movedim(indices, x->dim() - 1, d))};
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending) {
  const int64_t n = x->dim() == 0 ? 1 : x->sizes()[wrap_dim(dim, x->dim())];
  return select_sorted(x, dim, n, descending, "sort");
}

std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest) {
  const int64_t n = x->dim() == 0 ? 1 : x->sizes()[wrap_dim(dim, x->dim())];
  PT_CHECK(k >= 0 && k <= n, "selected index k out of range");
  PT_CHECK(x->dtype() != DType::Bool, "topk does not support bool dtypes on CPU");
  return select_sorted(x, dim, k, largest, "topk");
}

}  // namespace pt
