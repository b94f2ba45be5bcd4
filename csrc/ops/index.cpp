#include "ops/index.h"

#include <algorithm>
#include <cstring>

#include "core/errors.h"
#include "cpu/index.h"
#include "cuda/index.h"
#include "cuda/runtime.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/factory.h"
#include "ops/views.h"

namespace pt {

using cpu::IndexLoop;
using cpu::Operand;
using cpu::ScatterOp;

namespace {

Shape bytes(const Shape& strides, size_t item) {
  Shape out(strides.size());
  for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i] * static_cast<int64_t>(item);
  return out;
}

Operand operand(const Tensor& t) { return {t->data(), bytes(t->strides(), t->itemsize())}; }
// t read as if expanded to `shape`.
Operand operand(const Tensor& t, const Shape& shape) {
  return {t->data(), bytes(broadcast_strides(t->sizes(), t->strides(), shape), t->itemsize())};
}

bool is_mask_dtype(DType d) { return d == DType::Bool || d == DType::UInt8; }
bool is_index_dtype(DType d) { return d == DType::Int64 || d == DType::Int32; }

Tensor as_long(const Tensor& t) { return t->dtype() == DType::Int64 ? t : to_dtype(t, DType::Int64); }

// A 0-d tensor seen as [1] (the dim-wise ops treat them so, as torch does).
Tensor as_1d(const Tensor& t) { return t->dim() ? t : make_view(*t, {1}, {1}, t->offset()); }

// The copy an in-place op reads from when `t` shares memory with the tensor it writes.
Tensor unaliased(const Tensor& t, const Tensor& written) {
  return t && t->storage() == written->storage() ? clone(t) : t;
}

// ---- devices -------------------------------------------------------------------------------
// Every kernel runs where the indexed tensor lives: the ops check that index, mask and value
// tensors are there too (index tensors and masks of subscripts may also be on the CPU, as
// torch allows: they are checked on the host and then uploaded).

// Runs kernel `fn` of cpu:: or of cuda:: (on the device's stream), by where `dev` is.
#define PT_INDEX_KERNEL(dev, fn, ...) \
  ((dev).is_cpu() ? cpu::fn(__VA_ARGS__) : (cuda::DeviceGuard(dev), cuda::fn(__VA_ARGS__)))

// The one kernel whose CPU and CUDA forms differ: a number for src travels by value to the GPU.
void run_index_loop(Device dev, IndexLoop L, DType dtype, ScatterOp op, const void* value = nullptr) {
  if (dev.is_cpu()) {
    if (value) L.src = {static_cast<char*>(const_cast<void*>(value)), Shape(L.sizes.size(), 0)};
    cpu::index_loop(std::move(L), dtype, op);
  } else {
    cuda::DeviceGuard guard(dev);
    cuda::index_loop(L, dtype, op, value);
  }
}

std::optional<int64_t> first_out_of_range(const Tensor& idx, int64_t lo, int64_t hi) {
  return PT_INDEX_KERNEL(idx->device(), first_out_of_range, idx->sizes(), operand(idx), lo, hi);
}

void check_same_device(const Tensor& self, const Tensor& t, const char* arg, const char* op) {
  if (t->device() == self->device()) return;
  throw RuntimeError(str_cat("Expected all tensors to be on the same device, but got ", arg, " is on ",
                             t->device().str(), ", different from other tensors on ", self->device().str(),
                             " (when checking argument in method ", op, ")"));
}

// A value tensor for index_put_ (and advanced assignments): on self's device, where a 0-d one
// is moved as torch does.
void check_value_device(const Tensor& self, const Tensor& v) {
  PT_CHECK(v->device() == self->device() || v->dim() == 0, "expected device ", self->device().str(),
           " but got device ", v->device().str(), " for value tensor");
}

// t on `device`: itself when already there, else a contiguous copy.
Tensor to_device(const Tensor& t, Device device) {
  if (!t || t->device() == device) return t;
  const Tensor src = contiguous(t);
  Tensor out = empty(src->sizes(), src->dtype(), device);
  cuda::copy_bytes(out->data(), device, src->data(), src->device(),
                   static_cast<size_t>(src->numel()) * src->itemsize());
  return out;
}

// The bytes of a one-element tensor, wherever it lives (8 at most).
void read_element(const Tensor& t, void* out) {
  if (t->device().is_cpu()) std::memcpy(out, t->data(), t->itemsize());
  else cuda::copy_bytes(out, Device{}, t->data(), t->device(), t->itemsize());
}

Scalar item_scalar(const Tensor& t) {
  int64_t slot[1] = {0};
  read_element(t, slot);
  return dispatch_dtype(t->dtype(), [&](auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, slot, sizeof(T));
    if constexpr (std::is_same_v<T, bool>) return Scalar::from_bool(v);
    else if constexpr (std::is_floating_point_v<T>) return Scalar::from_double(v);
    else return Scalar::from_int(static_cast<int64_t>(v));
  });
}

Tensor zeros(const Shape& sizes, DType dtype, Device device = {}) {
  return full(sizes, Scalar::from_int(0), dtype, device);
}

// Drops leading size-1 dims (torch's setitem accepts a [1, 3] value for a [3] target).
Tensor strip_leading_ones(const Tensor& v) {
  size_t k = 0;
  while (k < v->sizes().size() && v->sizes()[k] == 1) ++k;
  if (k == 0) return v;
  return make_view(*v, Shape(v->sizes().begin() + k, v->sizes().end()),
                   Shape(v->strides().begin() + k, v->strides().end()), v->offset());
}

bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    if (from[i] != 1 && from[i] != to[lead + i]) return false;
  }
  return true;
}

// Raises the RuntimeError of a dim-wise op whose indices leave [lo, hi).
void check_range(const Tensor& idx, int64_t lo, int64_t hi, int64_t dim) {
  if (auto bad = first_out_of_range(idx, lo, hi)) {
    throw RuntimeError(str_cat("index ", *bad, " is out of bounds for dimension ", dim, " with size ", hi));
  }
}

int64_t read_int(const Tensor& t) { return item_scalar(t).i; }

// ---- subscripts ---------------------------------------------------------------------------

// An advanced item after the basic ones are applied: which view dims it indexes and with what.
struct Advanced {
  int64_t pos = 0;    // first view dim it covers
  int64_t ndims = 1;  // dims covered (a mask's rank)
  Tensor idx;         // integer indices (null for a mask)
  Tensor mask;        // bool/uint8 mask over dims [pos, pos + ndims)
  int64_t size = 0;   // the indexed dim's size
  bool unique = false;  // positions never repeat (masks, Python bools)
};

// self[items] as a view (sizes, strides, offset) plus the advanced items still to apply to it.
struct Subscript {
  Shape sizes, strides;
  int64_t offset = 0;
  std::vector<Advanced> adv;
};

Subscript apply_items(const Tensor& self, const TensorIndex* items, size_t n) {
  using Kind = TensorIndex::Kind;
  const int64_t ndim = self->dim();
  int64_t specified = 0;
  bool ellipsis = false;
  for (size_t i = 0; i < n; ++i) {
    const TensorIndex& it = items[i];
    switch (it.kind) {
      case Kind::Integer:
      case Kind::Slice:
        ++specified;
        break;
      case Kind::Ellipsis:
        PT_CHECK_T(IndexError, !ellipsis, "an index can only have a single ellipsis ('...')");
        ellipsis = true;
        break;
      case Kind::Tensor:
        PT_CHECK_T(IndexError, it.tensor, "indexing with an undefined tensor");
        PT_CHECK_T(IndexError, it.tensor->device().is_cpu() || it.tensor->device() == self->device(),
                   "indices should be either on cpu or on the same device as the indexed tensor (",
                   self->device().str(), ")");
        specified += is_mask_dtype(it.tensor->dtype()) ? it.tensor->dim() : 1;
        break;
      default:
        break;
    }
  }
  if (specified > ndim) {
    if (ndim == 0 && items[0].kind == Kind::Integer) {
      throw IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                       "C++ to convert a 0-dim tensor to a number");
    }
    if (ndim == 0 && items[0].kind == Kind::Slice) throw IndexError("slice() cannot be applied to a 0-dim tensor.");
    throw IndexError(str_cat("too many indices for tensor of dimension ", ndim));
  }

  Subscript sub;
  sub.sizes.reserve(ndim + n);
  sub.strides.reserve(ndim + n);
  sub.offset = self->offset();
  const Shape& sizes = self->sizes();
  const Shape& strides = self->strides();
  int64_t d = 0;  // the next dim of self
  auto keep_dim = [&] {
    sub.sizes.push_back(sizes[d]);
    sub.strides.push_back(strides[d]);
    ++d;
  };
  auto new_unit_dim = [&] {
    sub.sizes.push_back(1);
    sub.strides.push_back(d < ndim ? sizes[d] * strides[d] : 1);
  };
  auto select_at = [&](int64_t v) {
    const int64_t size = sizes[d];
    PT_CHECK_T(IndexError, v >= -size && v < size, "index ", v, " is out of bounds for dimension ", d,
               " with size ", size);
    sub.offset += (v < 0 ? v + size : v) * strides[d];
    ++d;
  };
  // A Python bool is a new unit dim indexed by [0] (True) or [] (False), as torch does.
  auto boolean = [&](bool v) {
    new_unit_dim();
    Advanced a;
    a.pos = static_cast<int64_t>(sub.sizes.size()) - 1;
    a.idx = v ? zeros({1}, DType::Int64) : empty({0}, DType::Int64);
    a.size = 1;
    a.unique = true;
    sub.adv.push_back(std::move(a));
  };

  for (size_t i = 0; i < n; ++i) {
    const TensorIndex& it = items[i];
    switch (it.kind) {
      case Kind::None:
        new_unit_dim();
        break;
      case Kind::Ellipsis:
        for (int64_t k = ndim - specified; k > 0; --k) keep_dim();
        break;
      case Kind::Integer:
        select_at(it.value);
        break;
      case Kind::Boolean:
        boolean(it.value != 0);
        break;
      case Kind::Slice: {
        PT_CHECK_T(ValueError, it.step > 0, "step must be greater than zero");
        const int64_t size = sizes[d];
        auto clampi = [size](int64_t v) {
          if (v < 0) v += size;
          return std::min(std::max<int64_t>(v, 0), size);
        };
        const int64_t start = it.start ? clampi(*it.start) : 0;
        const int64_t stop = it.stop ? clampi(*it.stop) : size;
        sub.sizes.push_back(stop > start ? (stop - start + it.step - 1) / it.step : 0);
        sub.strides.push_back(strides[d] * it.step);
        sub.offset += start * strides[d];
        ++d;
        break;
      }
      case Kind::Tensor: {
        const Tensor& t = it.tensor;
        const DType dt = t->dtype();
        // 0-d integer tensors of any width act as numbers; index tensors must be long or int.
        PT_CHECK_T(IndexError, is_mask_dtype(dt) || is_index_dtype(dt) || (t->dim() == 0 && !is_floating(dt)),
                   "tensors used as indices must be long, int, byte or bool tensors");
        if (t->dim() == 0) {
          if (is_mask_dtype(dt)) boolean(read_int(t) != 0);
          else select_at(read_int(t));
          break;
        }
        Advanced a;
        a.pos = static_cast<int64_t>(sub.sizes.size());
        if (is_mask_dtype(dt)) {
          a.mask = t;
          a.ndims = t->dim();
          a.unique = true;
          for (int64_t k = 0; k < a.ndims; ++k) keep_dim();
        } else {
          a.idx = t;
          a.size = sizes[d];
          keep_dim();
        }
        sub.adv.push_back(std::move(a));
        break;
      }
    }
  }
  while (d < ndim) keep_dim();
  for (const Advanced& a : sub.adv) {
    if (!a.mask) continue;
    for (int64_t j = 0; j < a.ndims; ++j) {
      PT_CHECK_T(IndexError, a.mask->sizes()[j] == sub.sizes[a.pos + j], "The shape of the mask ",
                 shape_str(a.mask->sizes()), " at index ", j, " does not match the shape of the indexed tensor ",
                 shape_str(sub.sizes), " at index ", a.pos + j);
    }
  }
  return sub;
}

// How to run the advanced part of a subscript: one loop over the result shape in which the
// view is displaced by one (combined) index.
struct Plan {
  Shape result;
  Shape view_strides;  // bytes, over `result` (0 on the index dims)
  Tensor idx;          // int64
  Shape idx_strides;   // bytes, over `result`
  int64_t mult = 0, size = 0;
  bool unique = false;
};

// Index tensors are checked and combined where they live, then moved to `dev` (a CPU list index
// for a CUDA tensor is checked on the host: no device round trip).
Plan plan_advanced(const Subscript& sub, size_t item, Device dev) {
  struct Entry {
    Tensor idx;
    int64_t mult, size, ndims;
    bool offsets;  // already byte offsets (from a mask): valid by construction
  };
  std::vector<Entry> entries;
  entries.reserve(sub.adv.size());
  for (const Advanced& a : sub.adv) {
    if (a.mask) {
      // A mask becomes the byte offsets of its selected positions: one index, already valid.
      Shape view_bytes = bytes(Shape(sub.strides.begin() + a.pos, sub.strides.begin() + a.pos + a.ndims), item);
      Tensor off;
      const Device mask_dev = a.mask->device();
      PT_INDEX_KERNEL(mask_dev, mask_offsets_kernel, a.mask->sizes(), operand(a.mask), view_bytes,
                      [&](int64_t count) {
                        off = empty({count}, DType::Int64, mask_dev);
                        return off->data();
                      });
      entries.push_back({off, 1, 0, a.ndims, true});
    } else {
      entries.push_back({as_long(a.idx), sub.strides[a.pos] * static_cast<int64_t>(item), a.size, 1, false});
    }
  }
  Shape B;
  bool ok = true;
  try {
    for (const Entry& e : entries) B = broadcast_shapes(B, e.idx->sizes());
  } catch (const RuntimeError&) {
    ok = false;
  }
  if (!ok) {
    std::string shapes;
    for (const Entry& e : entries) {
      for (int64_t k = 0; k < e.ndims; ++k) shapes += (shapes.empty() ? "" : ", ") + shape_str(e.idx->sizes());
    }
    throw IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " + shapes);
  }
  int64_t ordinal = 0;  // torch names the failing index by its place among the index tensors
  for (const Entry& e : entries) {
    if (!e.offsets) {
      if (auto bad = first_out_of_range(e.idx, -e.size, e.size)) {
        throw IndexError(str_cat("index ", *bad, " is out of bounds for dimension ", ordinal, " with size ", e.size));
      }
    }
    ordinal += e.ndims;
  }
  for (Entry& e : entries) e.idx = to_device(e.idx, dev);

  Plan p;
  p.result.reserve(sub.sizes.size() + B.size());
  p.view_strides.reserve(sub.sizes.size() + B.size());
  bool adjacent = true;
  for (size_t i = 1; i < sub.adv.size(); ++i) {
    adjacent &= sub.adv[i].pos == sub.adv[i - 1].pos + sub.adv[i - 1].ndims;
  }
  std::vector<bool> covered(sub.sizes.size(), false);
  for (const Advanced& a : sub.adv) {
    for (int64_t k = 0; k < a.ndims; ++k) covered[a.pos + k] = true;
  }
  // numpy's rule: adjacent advanced indices put their dims where they stand, separated ones
  // put them first.
  const int64_t block = adjacent ? sub.adv.front().pos : 0;
  auto keep = [&](int64_t d) {
    p.result.push_back(sub.sizes[d]);
    p.view_strides.push_back(sub.strides[d] * static_cast<int64_t>(item));
  };
  for (int64_t d = 0; d < block; ++d) keep(d);
  for (int64_t s : B) {
    p.result.push_back(s);
    p.view_strides.push_back(0);
  }
  for (int64_t d = block; d < static_cast<int64_t>(sub.sizes.size()); ++d) {
    if (!covered[d]) keep(d);
  }

  Shape idx_block_strides;
  if (entries.size() == 1) {
    p.idx = entries[0].idx;
    p.mult = entries[0].mult;
    p.size = entries[0].size;
    idx_block_strides = bytes(broadcast_strides(p.idx->sizes(), p.idx->strides(), B), 8);
    p.unique = sub.adv[0].unique;
  } else {
    p.idx = zeros(B, DType::Int64, dev);
    Operand out = operand(p.idx);
    for (const Entry& e : entries) PT_INDEX_KERNEL(dev, accumulate_offsets, B, out, operand(e.idx, B), e.mult, e.size);
    p.mult = 1;
    p.size = 0;
    idx_block_strides = out.strides;
  }
  p.idx_strides.assign(p.result.size(), 0);
  std::copy(idx_block_strides.begin(), idx_block_strides.end(), p.idx_strides.begin() + block);
  return p;
}

char* view_base(const Tensor& self, const Subscript& sub) {
  return static_cast<char*>(self->storage()->data()) + sub.offset * static_cast<int64_t>(self->itemsize());
}

bool single_leading_mask(const Subscript& sub) {
  return sub.adv.size() == 1 && sub.adv[0].mask && sub.adv[0].pos == 0;
}

Tensor set_item_impl(const Tensor& self, const TensorIndex* items, size_t n, const TensorOrScalar& value,
                     bool accumulate, bool strip) {
  Subscript sub = apply_items(self, items, n);
  Tensor view = make_view(*self, sub.sizes, sub.strides, sub.offset);
  const Tensor* vt = std::get_if<Tensor>(&value);
  Tensor v = vt ? (strip ? strip_leading_ones(*vt) : *vt) : Tensor();
  if (sub.adv.empty()) {
    if (!v) {
      const Scalar& s = std::get<Scalar>(value);
      if (accumulate) binary_(cpu::BinaryOp::Add, view, s);
      else fill_(view, s);
      return self;
    }
    Tensor e = expand(v, view->sizes());  // torch's message when the value does not fit
    if (accumulate) binary_(cpu::BinaryOp::Add, view, e);
    else copy_(view, e);
    return self;
  }
  check_writable(*view);
  const DType dt = self->dtype();
  const size_t item = self->itemsize();
  const Device dev = self->device();
  if (v) {
    check_value_device(self, v);
    v = to_device(v, dev);
  }
  for (Advanced& a : sub.adv) {  // indices that alias the written memory are read from copies
    a.idx = unaliased(a.idx, self);
    a.mask = unaliased(a.mask, self);
  }
  int64_t slot[1] = {0};
  if (v) {
    v = unaliased(v->dtype() == dt ? v : to_dtype(v, dt), self);
  } else {
    std::get<Scalar>(value).write_as(dt, slot);
  }
  auto check_value = [&](const Shape& result) {
    PT_CHECK(!v || broadcasts_to(v->sizes(), result), "shape mismatch: value tensor of shape ", shape_str(v->sizes()),
             " cannot be broadcast to indexing result of shape ", shape_str(result));
  };

  if (!accumulate && single_leading_mask(sub)) {
    const Tensor mask = to_device(sub.adv[0].mask, dev);
    Shape slice(sub.sizes.begin() + mask->dim(), sub.sizes.end());
    Operand x{view_base(self, sub), bytes(sub.strides, item)};
    if (!v) {  // x[mask] = number: one pass over x, no compaction
      Operand m = operand(mask);
      m.strides.resize(sub.sizes.size(), 0);
      PT_INDEX_KERNEL(dev, masked_fill_kernel, item, sub.sizes, x, m, slot);
    } else {
      const int64_t count = PT_INDEX_KERNEL(dev, count_nonzero, DType::UInt8, mask->sizes(), operand(mask));
      Shape result{count};
      result.insert(result.end(), slice.begin(), slice.end());
      check_value(result);
      PT_INDEX_KERNEL(dev, masked_scatter_kernel, item, mask->sizes(), operand(mask), x, slice, operand(v, result));
    }
    self->bump_version();
    return self;
  }

  Plan p = plan_advanced(sub, item, dev);
  check_value(p.result);
  IndexLoop L;
  L.sizes = p.result;
  L.dst = {view_base(self, sub), p.view_strides};
  if (v) L.src = operand(v, p.result);
  L.idx = {p.idx->data(), std::move(p.idx_strides)};
  L.idx_mult = p.mult;
  L.idx_size = p.size;
  L.index_dst = true;
  L.ordered = !p.unique;
  run_index_loop(dev, std::move(L), dt, accumulate ? ScatterOp::Add : ScatterOp::Copy, v ? nullptr : slot);
  self->bump_version();
  return self;
}

// The shared body of the dim-wise scatters: self[... index[p] along dim ...] (op)= src[p] over
// `shape`, with the index's strides given over `shape`.
// `value`, when not null, is a host scalar that every position reads instead of src.
void scatter_along(const Tensor& self, int64_t dim, const Shape& shape, const Operand& idx, const Operand& src,
                   ScatterOp op, const void* value = nullptr) {
  IndexLoop L;
  L.sizes = shape;
  L.dst = operand(self);
  L.dst.strides[dim] = 0;
  L.src = src;
  L.idx = idx;
  L.idx_mult = self->strides()[dim] * static_cast<int64_t>(self->itemsize());
  L.idx_size = self->sizes()[dim];
  L.index_dst = true;
  L.ordered = true;
  run_index_loop(self->device(), std::move(L), self->dtype(), op, value);
  self->bump_version();
}

}  // namespace

// ---- x[...] -------------------------------------------------------------------------------

Tensor get_item(const Tensor& self, const TensorIndex* items, size_t n) {
  Subscript sub = apply_items(self, items, n);
  if (sub.adv.empty()) return make_view(*self, std::move(sub.sizes), std::move(sub.strides), sub.offset);
  const size_t item = self->itemsize();
  const Device dev = self->device();
  if (single_leading_mask(sub)) {  // x[mask]: compact directly, no index tensor
    const Tensor mask = to_device(sub.adv[0].mask, dev);
    Shape slice(sub.sizes.begin() + mask->dim(), sub.sizes.end());
    Tensor out;
    PT_INDEX_KERNEL(dev, masked_select_kernel, item, mask->sizes(), operand(mask),
                    Operand{view_base(self, sub), bytes(sub.strides, item)}, slice, [&](int64_t count) {
                      Shape shape{count};
                      shape.insert(shape.end(), slice.begin(), slice.end());
                      out = empty(shape, self->dtype(), dev);
                      return out->data();
                    });
    return out;
  }
  Plan p = plan_advanced(sub, item, dev);
  Tensor out = empty(p.result, self->dtype(), dev);
  IndexLoop L;
  L.sizes = std::move(p.result);
  L.dst = operand(out);
  L.src = {view_base(self, sub), std::move(p.view_strides)};
  L.idx = {p.idx->data(), std::move(p.idx_strides)};
  L.idx_mult = p.mult;
  L.idx_size = p.size;
  run_index_loop(dev, std::move(L), self->dtype(), ScatterOp::Copy);
  return out;
}

Tensor set_item(const Tensor& self, const TensorIndex* items, size_t n, const TensorOrScalar& value, bool accumulate) {
  return set_item_impl(self, items, n, value, accumulate, /*strip=*/true);
}

Tensor index_backward(const Tensor& grad, const Shape& sizes, const TensorIndex* items, size_t n) {
  Tensor out = zeros(sizes, grad->dtype(), grad->device());
  set_item_impl(out, items, n, grad, /*accumulate=*/true, /*strip=*/true);
  return out;
}

Tensor index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  PT_CHECK(values->dtype() == self->dtype(), "Index put requires the source and destination dtypes match, got ",
           dtype_torch_name(self->dtype()), " for the destination and ", dtype_torch_name(values->dtype()),
           " for the source.");
  PT_CHECK_T(IndexError, static_cast<int64_t>(indices.size()) <= self->dim(),
             "too many indices for tensor of dimension ",
             self->dim(), " (got ", indices.size(), ")");
  std::vector<TensorIndex> items;
  items.reserve(indices.size());
  for (const Tensor& t : indices) items.push_back(t ? TensorIndex::of(t) : TensorIndex::slice());
  return set_item_impl(self, items.data(), items.size(), values, accumulate, /*strip=*/false);
}

Tensor index_put(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  return index_put_(clone(self), indices, values, accumulate);
}

// ---- dim-wise gathers ---------------------------------------------------------------------

Tensor index_select(const Tensor& self_in, int64_t dim, const Tensor& index) {
  check_same_device(self_in, index, "index", "index_select");
  PT_CHECK_T(IndexError, index->dim() <= 1, "index_select(): Index is supposed to be a vector");
  PT_CHECK(is_index_dtype(index->dtype()), "index_select(): Expected dtype int32 or int64 for index");
  const int64_t d = wrap_dim(dim, self_in->dim());
  PT_CHECK_T(IndexError, self_in->dim() > 0 || index->numel() == 1,
             "index_select(): Index to scalar can have only 1 value, got ", index->numel(), " value(s)");
  const Tensor self = as_1d(self_in);
  const Tensor idx = as_long(index);
  const int64_t size = self->sizes()[d];
  PT_CHECK_T(IndexError, !first_out_of_range(idx, 0, size), "index out of range in self");
  Shape result = self->sizes();
  result[d] = idx->numel();
  Tensor out = empty(result, self->dtype(), self->device());
  IndexLoop L;
  L.sizes = result;
  L.dst = operand(out);
  L.src = operand(self);
  L.src.strides[d] = 0;
  L.idx = {idx->data(), Shape(result.size(), 0)};
  if (idx->dim()) L.idx.strides[d] = idx->strides()[0] * 8;
  L.idx_mult = self->strides()[d] * static_cast<int64_t>(self->itemsize());
  L.idx_size = size;
  run_index_loop(self->device(), std::move(L), self->dtype(), ScatterOp::Copy);
  return self_in->dim() ? out : make_view(*out, {}, {}, 0);
}

namespace {

// out[p] = self[p with dim replaced by index[p]]; indices in [lo, size) (lo = -size wraps).
Tensor gather_impl(const Tensor& self_in, int64_t d, const Tensor& index_in, bool wrap) {
  const Tensor self = as_1d(self_in);
  const Tensor index = as_1d(index_in);
  const int64_t size = self->sizes()[d];
  check_range(index, wrap ? -size : 0, size, d);
  Tensor out = empty(index_in->sizes(), self->dtype(), self->device());
  IndexLoop L;
  L.sizes = index->sizes();
  L.dst = {out->data(), bytes(contiguous_strides(index->sizes()), out->itemsize())};
  L.src = operand(self);
  L.src.strides[d] = 0;
  L.idx = operand(index);
  L.idx_mult = self->strides()[d] * static_cast<int64_t>(self->itemsize());
  L.idx_size = size;
  run_index_loop(self->device(), std::move(L), self->dtype(), ScatterOp::Copy);
  return out;
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index_in) {
  check_same_device(self, index_in, "index", "gather");
  PT_CHECK(is_index_dtype(index_in->dtype()), "gather(): Expected dtype int32/int64 for index");
  const int64_t d = wrap_dim(dim, self->dim());
  PT_CHECK(std::max<int64_t>(index_in->dim(), 1) == std::max<int64_t>(self->dim(), 1),
           "Index tensor must have the same number of dimensions as input tensor");
  const Tensor index = as_long(index_in);
  for (int64_t k = 0; k < self->dim(); ++k) {
    PT_CHECK(k == d || index->sizes()[k] <= self->sizes()[k], "Size does not match at dimension ", k,
             " expected index ", shape_str(index->sizes()), " to be no larger than self ", shape_str(self->sizes()),
             " apart from dimension ", d);
  }
  return gather_impl(self, d, index, /*wrap=*/false);
}

Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  check_same_device(self, indices, "indices", "take_along_dim");
  PT_CHECK(indices->dtype() == DType::Int64, "torch.take_along_dim(): dtype of indices should be Long but got ",
           dtype_torch_name(indices->dtype()));
  if (!dim) {
    const Tensor flat = reshape(self, {-1});
    return gather_impl(flat, 0, reshape(indices, {-1}), /*wrap=*/false);  // torch: no wrapping here
  }
  PT_CHECK(self->dim() == indices->dim(), "torch.take_along_dim(): input and indices should have the same number of "
           "dimensions, but got ", self->dim(), " dimensions for input, and ", indices->dim(),
                                             " dimensions for indices");
  const int64_t d = wrap_dim(*dim, self->dim());
  if (self->dim() == 0) return gather_impl(self, 0, indices, /*wrap=*/true);
  Shape self_sizes = self->sizes();
  self_sizes[d] = indices->sizes()[d];
  const Shape shape = broadcast_shapes(self_sizes, indices->sizes());
  self_sizes = shape;
  self_sizes[d] = self->sizes()[d];
  return gather_impl(expand(self, self_sizes), d, expand(indices, shape), /*wrap=*/true);
}

Tensor take(const Tensor& self, const Tensor& index) {
  check_same_device(self, index, "index", "take");
  PT_CHECK(index->dtype() == DType::Int64, "take(): Expected a long tensor for index, but got ",
           dtype_torch_name(index->dtype()));
  const Tensor src = contiguous(self);
  const int64_t n = src->numel();
  if (auto bad = first_out_of_range(index, -n, n)) {
    throw IndexError(str_cat("out of range: tried to access index ", *bad, " on a tensor of ", n, " elements."));
  }
  Tensor out = empty(index->sizes(), self->dtype(), self->device());
  IndexLoop L;
  L.sizes = index->sizes();
  L.dst = operand(out);
  L.src = {src->data(), Shape(index->dim(), 0)};
  L.idx = operand(index);
  L.idx_mult = static_cast<int64_t>(src->itemsize());
  L.idx_size = n;
  run_index_loop(self->device(), std::move(L), self->dtype(), ScatterOp::Copy);
  return out;
}

// ---- dim-wise scatters --------------------------------------------------------------------

Tensor scatter_(const Tensor& self_in, int64_t dim, const Tensor& index_in, const TensorOrScalar& src_in,
                ScatterReduce reduce) {
  const Tensor* src_t = std::get_if<Tensor>(&src_in);
  check_same_device(self_in, index_in, "index", "scatter_");
  if (src_t) check_same_device(self_in, *src_t, "src", "scatter_");
  PT_CHECK(is_index_dtype(index_in->dtype()), "scatter(): Expected dtype int32/int64 for index");
  PT_CHECK(!src_t || (*src_t)->dtype() == self_in->dtype(), "scatter(): Expected self.dtype to be equal to src.dtype");
  const int64_t d = wrap_dim(dim, self_in->dim());
  PT_CHECK(std::max<int64_t>(index_in->dim(), 1) == std::max<int64_t>(self_in->dim(), 1),
           "Index tensor must have the same number of dimensions as self tensor");
  PT_CHECK(!src_t || std::max<int64_t>((*src_t)->dim(), 1) == std::max<int64_t>(self_in->dim(), 1),
           "Index tensor must have the same number of dimensions as src tensor");
  const Tensor self = as_1d(self_in);
  const Tensor index = as_1d(as_long(index_in));
  const Tensor src = src_t ? as_1d(*src_t) : Tensor();
  bool fits = true;
  for (int64_t k = 0; k < self->dim(); ++k) {
    if (k != d && index->sizes()[k] > self->sizes()[k]) fits = false;
    if (src && index->sizes()[k] > src->sizes()[k]) fits = false;
  }
  PT_CHECK(fits, "Expected index ", shape_str(index_in->sizes()), " to be no larger than self ",
           shape_str(self_in->sizes()), " apart from dimension ", d,
           src ? str_cat(" and to be no larger size than src ", shape_str(src->sizes())) : std::string());
  check_writable(*self);
  check_range(index, 0, self->sizes()[d], d);
  int64_t slot[1] = {0};
  Operand src_op;
  Tensor src_read;
  if (src) {
    src_read = unaliased(src, self);
    src_op = operand(src_read);
  } else {
    std::get<Scalar>(src_in).write_as(self->dtype(), slot);
  }
  const Tensor idx = unaliased(index, self);
  const ScatterOp op = reduce == ScatterReduce::Add ? ScatterOp::Add
                       : reduce == ScatterReduce::Multiply ? ScatterOp::Mul
                                                           : ScatterOp::Copy;
  scatter_along(self, d, index->sizes(), operand(idx), src_op, op, src ? nullptr : slot);
  return self_in;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& src, ScatterReduce reduce) {
  return scatter_(clone(self), dim, index, src, reduce);
}

Tensor scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_(self, dim, index, src, ScatterReduce::Add);
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_(clone(self), dim, index, src, ScatterReduce::Add);
}

Tensor index_add_(const Tensor& self_in, int64_t dim, const Tensor& index_in, const Tensor& source_in,
                  const Scalar& alpha) {
  check_same_device(self_in, index_in, "index", "index_add_");
  check_same_device(self_in, source_in, "source", "index_add_");
  const int64_t d = wrap_dim(dim, self_in->dim());
  PT_CHECK_T(IndexError, index_in->dim() <= 1, "index_add_(): Index is supposed to be a vector, but got dim: ",
             index_in->dim(), " with type: ", dtype_torch_name(index_in->dtype()), " and size: ",
             shape_str(index_in->sizes()));
  PT_CHECK(is_index_dtype(index_in->dtype()), "index_add_(): Expected dtype int32/int64 for index but got: ",
           dtype_torch_name(index_in->dtype()));
  PT_CHECK(self_in->dtype() == source_in->dtype(), "index_add_(): self (", dtype_torch_name(self_in->dtype()),
           ") and source (", dtype_torch_name(source_in->dtype()), ") must have the same scalar type");
  const Tensor self = as_1d(self_in);
  const Tensor source = as_1d(source_in);
  const int64_t n_src = source->sizes()[std::min<int64_t>(d, source->dim() - 1)];
  PT_CHECK(index_in->numel() == n_src, "index_add_(): Number of indices (", index_in->numel(),
           ") should be equal to source.size(dim): (", n_src, "), for dim: ", d);
  bool same = source->dim() == self->dim();
  for (int64_t k = 0; same && k < self->dim(); ++k) same = k == d || source->sizes()[k] == self->sizes()[k];
  PT_CHECK(same, "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
           "self.shape = ", shape_str(self_in->sizes()), " source.shape = ", shape_str(source_in->sizes()));
  PT_CHECK(!(alpha.is_floating() && !is_floating(self->dtype())),
           "For integral input tensors, argument alpha must not be a floating point number.");
  check_writable(*self);
  const Tensor idx = unaliased(as_long(index_in), self);
  check_range(idx, 0, self->sizes()[d], d);
  Tensor src = alpha.to<double>() == 1.0 ? unaliased(source, self) : binary(cpu::BinaryOp::Mul, source, alpha);
  Operand idx_op{idx->data(), Shape(source->dim(), 0)};
  if (idx->dim()) idx_op.strides[d] = idx->strides()[0] * 8;
  scatter_along(self, d, source->sizes(), idx_op, operand(src), ScatterOp::Add);
  return self_in;
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  return index_add_(clone(self), dim, index, source, alpha);
}

Tensor index_copy_(const Tensor& self_in, int64_t dim, const Tensor& index, const Tensor& source_in) {
  check_same_device(self_in, index, "index", "index_copy_");
  check_same_device(self_in, source_in, "source", "index_copy_");
  const int64_t d = wrap_dim(dim, self_in->dim());
  PT_CHECK_T(IndexError, index->dim() <= 1, "index_copy_(): Index should have dimension 1 or 0 (got ", index->dim(),
             ")");
  PT_CHECK(index->dtype() == DType::Int64, "index_copy_(): Expected a long tensor for index, but got ",
           dtype_torch_name(index->dtype()));
  PT_CHECK(self_in->dtype() == source_in->dtype(), "index_copy_(): self and source expected to have the same dtype, "
           "but got (self) ", dtype_torch_name(self_in->dtype()), " and (source) ", dtype_torch_name(source_in->dtype()));
  const Tensor self = as_1d(self_in);
  const Tensor source = as_1d(source_in);
  PT_CHECK(source->dim() == self->dim(), "index_copy_(): When source and destination are not scalars, their "
           "dimensionality must match. Source dimensionality (", source_in->dim(), "), destination dimensionality (",
           self_in->dim(), ")");
  PT_CHECK_T(IndexError, index->numel() == source->sizes()[d], "index_copy_(): Number of indices (", index->numel(),
             ") should be equal to source.size(dim) (", source->sizes()[d], ")");
  for (int64_t k = 0; k < self->dim(); ++k) {
    PT_CHECK(k == d || source->sizes()[k] == self->sizes()[k], "index_copy_(): Source/destination tensor must have "
             "same slice shapes. Destination slice shape: ", self->sizes()[k], " at dimension ", k,
             " and source slice shape: ", source->sizes()[k], " at dimension ", k, ".");
  }
  check_writable(*self);
  const Tensor idx = unaliased(index, self);
  if (auto bad = first_out_of_range(idx, 0, self->sizes()[d])) {
    throw IndexError(str_cat("index_copy_(): index ", *bad, " is out of bounds for dimension ", d, " with size ",
                             self->sizes()[d]));
  }
  const Tensor src = unaliased(source, self);
  Operand idx_op{idx->data(), Shape(source->dim(), 0)};
  if (idx->dim()) idx_op.strides[d] = idx->strides()[0] * 8;
  scatter_along(self, d, source->sizes(), idx_op, operand(src), ScatterOp::Copy);
  return self_in;
}

Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  return index_copy_(clone(self), dim, index, source);
}

Tensor index_fill_(const Tensor& self_in, int64_t dim, const Tensor& index, const TensorOrScalar& value) {
  check_same_device(self_in, index, "index", "index_fill_");
  PT_CHECK_T(IndexError, index->dtype() == DType::Int64, "index_fill_(): Expected dtype int64 for index.");
  const int64_t d = wrap_dim(dim, self_in->dim());
  PT_CHECK(index->dim() <= 1, "Index has to be a vector/scalar");
  Scalar v;
  if (auto* t = std::get_if<Tensor>(&value)) {
    PT_CHECK((*t)->dim() == 0, "index_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
             (*t)->dim(), " dimension(s).");
    v = item_scalar(*t);
  } else {
    v = std::get<Scalar>(value);
  }
  const Tensor self = as_1d(self_in);
  const int64_t size = self->sizes()[d];
  check_writable(*self);
  const Tensor idx = unaliased(index, self);
  if (auto bad = first_out_of_range(idx, -size, size)) {
    throw IndexError(str_cat("index ", *bad, " is out of bounds for dimension ", d, " with size ", size));
  }
  Shape shape = self->sizes();
  shape[d] = idx->numel();
  int64_t slot[1] = {0};
  v.write_as(self->dtype(), slot);
  Operand idx_op{idx->data(), Shape(shape.size(), 0)};
  if (idx->dim()) idx_op.strides[d] = idx->strides()[0] * 8;
  scatter_along(self, d, shape, idx_op, {}, ScatterOp::Copy, slot);
  return self_in;
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& value) {
  return index_fill_(clone(self), dim, index, value);
}

// ---- masks --------------------------------------------------------------------------------

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  check_same_device(self, mask, "mask", "masked_select");
  PT_CHECK(mask->dtype() == DType::Bool, "masked_select: expected BoolTensor for mask");
  const Shape shape = broadcast_shapes(self->sizes(), mask->sizes());
  const Device dev = self->device();
  Tensor out;
  PT_INDEX_KERNEL(dev, masked_select_kernel, self->itemsize(), shape, operand(mask, shape), operand(self, shape),
                  Shape{}, [&](int64_t count) {
                    out = empty({count}, self->dtype(), dev);
                    return out->data();
                  });
  return out;
}

Tensor masked_fill_(const Tensor& self, const Tensor& mask_in, const TensorOrScalar& value) {
  PT_CHECK(mask_in->device() == self->device(), "expected self and mask to be on the same device, but got mask on ",
           mask_in->device().str(), " and self on ", self->device().str());
  PT_CHECK(mask_in->dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
           cpp_type_name(mask_in->dtype()));
  Scalar v;
  if (auto* t = std::get_if<Tensor>(&value)) {
    PT_CHECK((*t)->dim() == 0, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
             (*t)->dim(), " dimension(s).");
    v = item_scalar(*t);
  } else {
    v = std::get<Scalar>(value);
  }
  const Shape shape = broadcast_shapes(self->sizes(), mask_in->sizes());
  PT_CHECK(shape == self->sizes(), "output with shape ", shape_str(self->sizes()),
           " doesn't match the broadcast shape ",
           shape_str(shape));
  check_writable(*self);
  const Tensor mask = unaliased(mask_in, self);
  int64_t slot[1] = {0};
  v.write_as(self->dtype(), slot);
  PT_INDEX_KERNEL(self->device(), masked_fill_kernel, self->itemsize(), shape, operand(self), operand(mask, shape),
                  slot);
  self->bump_version();
  return self;
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const TensorOrScalar& value) {
  PT_CHECK(mask->dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
           cpp_type_name(mask->dtype()));
  Tensor out = empty(broadcast_shapes(self->sizes(), mask->sizes()), self->dtype(), self->device());
  copy_(out, self);
  return masked_fill_(out, mask, value);
}

Tensor masked_scatter_(const Tensor& self, const Tensor& mask_in, const Tensor& source) {
  check_same_device(self, mask_in, "mask", "masked_scatter_");
  check_same_device(self, source, "source", "masked_scatter_");
  PT_CHECK(mask_in->dtype() == DType::Bool, "masked_scatter_ only supports boolean masks, but got mask with dtype ",
           dtype_torch_name(mask_in->dtype()));
  PT_CHECK(self->dtype() == source->dtype(), "masked_scatter: expected self and source to have same dtypes but got ",
           dtype_torch_name(self->dtype()), " and ", dtype_torch_name(source->dtype()));
  const Shape shape = broadcast_shapes(self->sizes(), mask_in->sizes());
  PT_CHECK(shape == self->sizes(), "output with shape ", shape_str(self->sizes()),
           " doesn't match the broadcast shape ",
           shape_str(shape));
  check_writable(*self);
  const Tensor mask = unaliased(mask_in, self);
  const Operand m = operand(mask, shape);
  const Device dev = self->device();
  const int64_t count = PT_INDEX_KERNEL(dev, count_nonzero, DType::Bool, shape, m);
  PT_CHECK(source->numel() >= count, "Number of elements of source < number of ones in mask");
  // Source elements are taken in row-major order, whatever its shape.
  const Tensor src = unaliased(contiguous(source), self);
  PT_INDEX_KERNEL(dev, masked_scatter_kernel, self->itemsize(), shape, m, operand(self), Shape{},
                  Operand{src->data(), {static_cast<int64_t>(src->itemsize())}});
  self->bump_version();
  return self;
}

Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source) {
  Tensor out = empty(broadcast_shapes(self->sizes(), mask->sizes()), self->dtype(), self->device());
  copy_(out, self);
  return masked_scatter_(out, mask, source);
}

Tensor nonzero(const Tensor& self) {
  Tensor out;
  const int64_t ndim = self->dim();
  const Device dev = self->device();
  PT_INDEX_KERNEL(dev, nonzero_kernel, self->dtype(), self->sizes(), operand(self), [&](int64_t count) {
    out = empty({count, ndim}, DType::Int64, dev);
    return out->data();
  });
  return out;
}

std::vector<Tensor> nonzero_tuple(const Tensor& self) {
  Tensor nz = nonzero(as_1d(self));
  std::vector<Tensor> out;
  for (int64_t d = 0; d < nz->sizes()[1]; ++d) out.push_back(select(nz, 1, d));
  return out;
}

}  // namespace pt
