#include "ops/views.h"

#include <algorithm>

#include "core/errors.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/factory.h"

namespace pt {

Tensor view(const Tensor& t, const Shape& sizes) {
  Shape new_sizes = infer_size(sizes, t->numel());
  Shape new_strides;
  PT_CHECK(compute_view_strides(t->sizes(), t->strides(), new_sizes, new_strides),
           "view size is not compatible with input tensor's size and stride (at least one dimension spans "
           "across two contiguous subspaces). Use .reshape(...) instead.");
  return make_view(*t, new_sizes, new_strides, t->offset());
}

Tensor reshape(const Tensor& t, const Shape& sizes) {
  Shape new_sizes = infer_size(sizes, t->numel());
  Shape new_strides;
  if (compute_view_strides(t->sizes(), t->strides(), new_sizes, new_strides)) {
    return make_view(*t, new_sizes, new_strides, t->offset());
  }
  Tensor c = clone(t);  // a copy, not a view: reshape it in place
  c->set_sizes_strides(new_sizes, contiguous_strides(new_sizes), 0);
  return c;
}

Tensor as_strided(const Tensor& t, const Shape& sizes, const Shape& strides, std::optional<int64_t> offset) {
  PT_CHECK(sizes.size() == strides.size(), "mismatch in length of strides and shape");
  int64_t off = offset.value_or(t->offset());
  PT_CHECK(off >= 0, "Tensor: invalid storage offset ", off);
  int64_t last = off;
  bool empty = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    PT_CHECK(sizes[i] >= 0, "Trying to create tensor with negative dimension ", sizes[i], ": ", shape_str(sizes));
    PT_CHECK(strides[i] >= 0, "as_strided: Negative strides are not supported at the moment, got strides: ",
             shape_str(strides));
    if (sizes[i] == 0) empty = true;
    else last += (sizes[i] - 1) * strides[i];
  }
  if (!empty) {
    int64_t storage_elems = static_cast<int64_t>(t->storage()->nbytes() / t->itemsize());
    PT_CHECK(last < storage_elems, "setStorage: sizes ", shape_str(sizes), ", strides ", shape_str(strides),
             ", storage offset ", off, ", and itemsize ", t->itemsize(), " requiring a storage size of ",
             (last + 1) * static_cast<int64_t>(t->itemsize()), " are out of bounds for storage of size ",
             t->storage()->nbytes());
  }
  return make_view(*t, sizes, strides, off);
}

Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1) {
  int64_t n = t->dim();
  int64_t d0 = wrap_dim(dim0, n), d1 = wrap_dim(dim1, n);
  if (n == 0) return make_view(*t, t->sizes(), t->strides(), t->offset());
  Shape sizes = t->sizes(), strides = t->strides();
  std::swap(sizes[d0], sizes[d1]);
  std::swap(strides[d0], strides[d1]);
  return make_view(*t, sizes, strides, t->offset());
}

Tensor t_2d(const Tensor& t) {
  PT_CHECK(t->dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", t->dim(), "D");
  return t->dim() < 2 ? make_view(*t, t->sizes(), t->strides(), t->offset()) : transpose(t, 0, 1);
}

Tensor permute(const Tensor& t, const Shape& dims) {
  int64_t n = t->dim();
  PT_CHECK(static_cast<int64_t>(dims.size()) == n, "permute(sparse_coo): number of dimensions in the tensor input "
           "does not match the length of the desired ordering of dimensions i.e. input.dim() = ", n,
           " is not equal to len(dims) = ", dims.size());
  Shape sizes(n), strides(n);
  std::vector<bool> seen(n, false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t d = wrap_dim(dims[i], n);
    PT_CHECK(!seen[d], "permute(): duplicate dims are not allowed.");
    seen[d] = true;
    sizes[i] = t->sizes()[d];
    strides[i] = t->strides()[d];
  }
  return make_view(*t, sizes, strides, t->offset());
}

Tensor squeeze(const Tensor& t, const std::optional<std::vector<int64_t>>& dims) {
  int64_t n = t->dim();
  std::vector<bool> drop(n, false);
  if (dims) {
    for (int64_t d : *dims) {
      int64_t w = wrap_dim(d, n);
      if (n > 0 && t->sizes()[w] == 1) drop[w] = true;
    }
  } else {
    for (int64_t d = 0; d < n; ++d) drop[d] = t->sizes()[d] == 1;
  }
  Shape sizes, strides;
  for (int64_t d = 0; d < n; ++d) {
    if (!drop[d]) {
      sizes.push_back(t->sizes()[d]);
      strides.push_back(t->strides()[d]);
    }
  }
  return make_view(*t, sizes, strides, t->offset());
}

Tensor unsqueeze(const Tensor& t, int64_t dim) {
  int64_t d = wrap_dim(dim, t->dim() + 1);
  Shape sizes = t->sizes(), strides = t->strides();
  int64_t stride = d < t->dim() ? sizes[d] * strides[d] : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, stride);
  return make_view(*t, sizes, strides, t->offset());
}

Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim) {
  int64_t n = t->dim();
  if (n == 0) return reshape(t, {1});
  int64_t s = wrap_dim(start_dim, n), e = wrap_dim(end_dim, n);
  PT_CHECK(s <= e, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (s == e) return make_view(*t, t->sizes(), t->strides(), t->offset());
  Shape sizes(t->sizes().begin(), t->sizes().begin() + s);
  int64_t merged = 1;
  for (int64_t d = s; d <= e; ++d) merged *= t->sizes()[d];
  sizes.push_back(merged);
  sizes.insert(sizes.end(), t->sizes().begin() + e + 1, t->sizes().end());
  return reshape(t, sizes);
}

Tensor expand(const Tensor& t, const Shape& sizes) {
  int64_t n = static_cast<int64_t>(sizes.size());
  PT_CHECK(n >= t->dim(), "expand(torch.FloatTensor{", shape_str(t->sizes()), "}, size=", shape_str(sizes),
           "): the number of sizes provided (", n, ") must be greater or equal to the number of dimensions "
           "in the tensor (", t->dim(), ")");
  Shape out_sizes(n), out_strides(n);
  int64_t lead = n - t->dim();
  for (int64_t i = n - 1; i >= 0; --i) {
    int64_t target = sizes[i];
    if (i < lead) {
      PT_CHECK(target >= 0, "The expanded size of the tensor (", target,
               ") isn't allowed in a leading, non-existing dimension ", i);
      out_sizes[i] = target;
      out_strides[i] = 0;
      continue;
    }
    int64_t cur = t->sizes()[i - lead];
    if (target == -1) target = cur;
    PT_CHECK(cur == target || cur == 1, "The expanded size of the tensor (", target,
             ") must match the existing size (", cur, ") at non-singleton dimension ", i,
             ".  Target sizes: ", shape_str(sizes), ".  Tensor sizes: ", shape_str(t->sizes()));
    out_sizes[i] = target;
    out_strides[i] = cur == target ? t->strides()[i - lead] : 0;
  }
  return make_view(*t, out_sizes, out_strides, t->offset());
}

Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length) {
  PT_CHECK(t->dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  PT_CHECK(length >= 0, "narrow(): length must be non-negative.");
  int64_t d = wrap_dim(dim, t->dim());
  int64_t size = t->sizes()[d];
  PT_CHECK_T(IndexError, start >= -size && start <= size, "start out of range (expected to be in range of [",
             -size, ", ", size, "], but got ", start, ")");
  if (start < 0) start += size;
  PT_CHECK(start + length <= size, "start (", start, ") + length (", length, ") exceeds dimension size (",
           size, ").");
  Shape sizes = t->sizes();
  sizes[d] = length;
  return make_view(*t, sizes, t->strides(), t->offset() + start * t->strides()[d]);
}

Tensor select(const Tensor& t, int64_t dim, int64_t index) {
  PT_CHECK_T(IndexError, t->dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, t->dim());
  int64_t size = t->sizes()[d];
  PT_CHECK_T(IndexError, index >= -size && index < size, "index ", index, " is out of bounds for dimension ", d,
             " with size ", size);
  if (index < 0) index += size;
  Shape sizes = t->sizes(), strides = t->strides();
  int64_t offset = t->offset() + index * strides[d];
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  return make_view(*t, sizes, strides, offset);
}

Tensor slice(const Tensor& t, int64_t dim, std::optional<int64_t> start_in, std::optional<int64_t> stop_in,
             int64_t step) {
  PT_CHECK_T(IndexError, t->dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  PT_CHECK_T(ValueError, step > 0, "step must be greater than zero");
  int64_t d = wrap_dim(dim, t->dim());
  int64_t size = t->sizes()[d];
  auto clampi = [size](int64_t v) {
    if (v < 0) v += size;
    return std::min(std::max<int64_t>(v, 0), size);
  };
  int64_t start = start_in ? clampi(*start_in) : 0;
  int64_t stop = stop_in ? clampi(*stop_in) : size;
  int64_t len = stop > start ? (stop - start + step - 1) / step : 0;
  Shape sizes = t->sizes(), strides = t->strides();
  sizes[d] = len;
  strides[d] *= step;
  return make_view(*t, sizes, strides, t->offset() + start * t->strides()[d]);
}

Tensor movedim(const Tensor& t, int64_t src, int64_t dst) {
  int64_t n = t->dim();
  int64_t s = wrap_dim(src, n), d = wrap_dim(dst, n);
  Shape order;
  for (int64_t i = 0; i < n; ++i) if (i != s) order.push_back(i);
  order.insert(order.begin() + d, s);
  return permute(t, order);
}

Tensor unfold(const Tensor& t, int64_t dim, int64_t size, int64_t step) {
  int64_t d = wrap_dim(dim, t->dim());
  int64_t len = t->dim() ? t->sizes()[d] : 1;
  PT_CHECK(size <= len, "maximum size for tensor at dimension ", d, " is ", len, " but size is ", size);
  PT_CHECK(step > 0, "step is ", step, " but must be > 0");
  Shape sizes = t->sizes(), strides = t->strides();
  int64_t st = t->dim() ? strides[d] : 1;
  if (t->dim()) {
    sizes[d] = (len - size) / step + 1;
    strides[d] = st * step;
  }
  sizes.push_back(size);
  strides.push_back(st);
  return make_view(*t, sizes, strides, t->offset());
}

Tensor diagonal(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t n = t->dim();
  int64_t d1 = wrap_dim(dim1, n), d2 = wrap_dim(dim2, n);
  PT_CHECK(d1 != d2, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  const Shape& in_sizes = t->sizes();
  const Shape& in_strides = t->strides();
  int64_t len = offset >= 0 ? std::min(in_sizes[d1], in_sizes[d2] - offset)
                            : std::min(in_sizes[d1] + offset, in_sizes[d2]);
  len = std::max<int64_t>(len, 0);
  int64_t start = t->offset();
  // An empty diagonal keeps the input's offset, as torch: a far offset must not point past the storage.
  if (len > 0) start += offset >= 0 ? offset * in_strides[d2] : -offset * in_strides[d1];
  Shape sizes, strides;
  for (int64_t d = 0; d < n; ++d) {
    if (d == d1 || d == d2) continue;
    sizes.push_back(in_sizes[d]);
    strides.push_back(in_strides[d]);
  }
  sizes.push_back(len);
  strides.push_back(in_strides[d1] + in_strides[d2]);
  return make_view(*t, sizes, strides, start);
}

Tensor diag_embed(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t n = t->dim() + 1;
  int64_t d1 = wrap_dim(dim1, n), d2 = wrap_dim(dim2, n);
  PT_CHECK(d1 != d2, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  // A 0-d input never gets here: its output has one dim, so dim1 and dim2 wrap to the same dim.
  Shape sizes = t->sizes();
  int64_t len = (offset < 0 ? -offset : offset) + sizes.back();
  sizes.pop_back();
  sizes.insert(sizes.begin() + std::min(d1, d2), len);
  sizes.insert(sizes.begin() + std::max(d1, d2), len);
  Tensor out = full(sizes, Scalar::from_int(0), t->dtype(), t->device());
  copy_(diagonal(out, offset, d1, d2), t);
  return out;
}

Tensor resize_(const Tensor& t, const Shape& sizes) {
  for (int64_t s : sizes) {
    PT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", shape_str(sizes));
  }
  if (sizes == t->sizes()) return t;  // torch keeps the strides of a same-size resize_
  int64_t needed = (t->offset() + numel_of(sizes)) * static_cast<int64_t>(t->itemsize());
  if (static_cast<size_t>(needed) > t->storage()->nbytes()) t->storage()->grow(needed);
  t->set_sizes_strides(sizes, contiguous_strides(sizes), t->offset());
  return t;
}

namespace {
// cat/stack inputs: same rank and sizes except along `dim` (legacy 1-D empty tensors are skipped).
void check_cat_shapes(const std::vector<Tensor>& ts, int64_t dim, const Tensor& ref) {
  for (size_t i = 0; i < ts.size(); ++i) {
    const Tensor& x = ts[i];
    if (x->dim() == 1 && x->numel() == 0) continue;
    PT_CHECK(x->dim() == ref->dim(), "Tensors must have same number of dimensions: got ", ref->dim(), " and ",
             x->dim());
    for (int64_t d = 0; d < x->dim(); ++d) {
      PT_CHECK(d == dim || x->sizes()[d] == ref->sizes()[d], "Sizes of tensors must match except in dimension ",
               dim, ". Expected size ", ref->sizes()[d], " but got size ", x->sizes()[d], " for tensor number ", i,
               " in the list.");
    }
  }
}
}  // namespace

Tensor cat(const std::vector<Tensor>& ts, int64_t dim) {
  PT_CHECK_T(ValueError, !ts.empty(), "torch.cat(): expected a non-empty list of Tensors");
  const Tensor* ref = nullptr;
  for (const auto& x : ts) {
    if (!(x->dim() == 1 && x->numel() == 0)) { ref = &x; break; }
  }
  std::vector<TensorOrScalar> operands(ts.begin(), ts.end());
  DType dt = ts[0]->dtype();
  for (const auto& x : ts) dt = promote_types(dt, x->dtype());
  if (!ref) return empty({0}, dt);
  PT_CHECK((*ref)->dim() > 0, "zero-dimensional tensor (at position 0) cannot be concatenated");
  int64_t d = wrap_dim(dim, (*ref)->dim());
  check_cat_shapes(ts, d, *ref);
  Shape sizes = (*ref)->sizes();
  sizes[d] = 0;
  for (const auto& x : ts) if (!(x->dim() == 1 && x->numel() == 0)) sizes[d] += x->sizes()[d];
  Tensor out = empty(sizes, dt);
  int64_t pos = 0;
  for (const auto& x : ts) {
    if (x->dim() == 1 && x->numel() == 0) continue;
    copy_(narrow(out, d, pos, x->sizes()[d]), x);
    pos += x->sizes()[d];
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& ts, int64_t dim) {
  PT_CHECK(!ts.empty(), "stack expects a non-empty TensorList");
  int64_t d = wrap_dim(dim, ts[0]->dim() + 1);
  for (size_t i = 1; i < ts.size(); ++i) {
    PT_CHECK(ts[i]->sizes() == ts[0]->sizes(), "stack expects each tensor to be equal size, but got ",
             shape_str(ts[0]->sizes()), " at entry 0 and ", shape_str(ts[i]->sizes()), " at entry ", i);
  }
  std::vector<Tensor> expanded;
  expanded.reserve(ts.size());
  for (const auto& x : ts) expanded.push_back(unsqueeze(x, d));
  return cat(expanded, d);
}

}  // namespace pt
