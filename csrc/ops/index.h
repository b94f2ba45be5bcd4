// Indexing: x[...] and x[...] = v with torch's semantics, and the gather/scatter family
// (index_select, gather, scatter, take, index_put_, index_add_, masked_*, nonzero).
// Basic subscripts (ints, slices, None, Ellipsis) make views; advanced ones (tensors, lists,
// bools) copy. Every check runs before the first write.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/scalar.h"
#include "core/tensor.h"
#include "ops/elementwise.h"

namespace pt {

// One item of a subscript x[a, b, ...] as Python spells it (torch's at::indexing::TensorIndex).
struct TensorIndex {
  enum class Kind : uint8_t { None, Ellipsis, Integer, Boolean, Slice, Tensor };
  Kind kind = Kind::None;
  int64_t value = 0;                    // Integer; Boolean (0 or 1)
  std::optional<int64_t> start, stop;   // Slice, Python's meaning (clamped, negatives wrap)
  int64_t step = 1;                     // Slice; must be > 0 (ValueError otherwise)
  Tensor tensor;                        // Tensor: integer indices or a bool/uint8 mask

  static TensorIndex none() { return {}; }
  static TensorIndex ellipsis() { return make(Kind::Ellipsis); }
  static TensorIndex integer(int64_t v) {
    TensorIndex t = make(Kind::Integer);
    t.value = v;
    return t;
  }
  static TensorIndex boolean(bool v) {
    TensorIndex t = make(Kind::Boolean);
    t.value = v;
    return t;
  }
  static TensorIndex slice(std::optional<int64_t> start = {}, std::optional<int64_t> stop = {}, int64_t step = 1) {
    TensorIndex t = make(Kind::Slice);
    t.start = start;
    t.stop = stop;
    t.step = step;
    return t;
  }
  static TensorIndex of(Tensor tensor) {
    TensorIndex t = make(Kind::Tensor);
    t.tensor = std::move(tensor);
    return t;
  }

 private:
  static TensorIndex make(Kind k) {
    TensorIndex t;
    t.kind = k;
    return t;
  }
};

// self[items]: a view when every item is basic, else a new tensor.
Tensor get_item(const Tensor& self, const TensorIndex* items, size_t n);
inline Tensor get_item(const Tensor& self, const std::vector<TensorIndex>& items) {
  return get_item(self, items.data(), items.size());
}
// self[items] = value, value converted to self's dtype and broadcast (leading size-1 dims of a
// value tensor are dropped, as torch's setitem does). With `accumulate`, adds instead (repeated
// indices add up). Returns self.
Tensor set_item(const Tensor& self, const TensorIndex* items, size_t n, const TensorOrScalar& value,
                bool accumulate = false);
inline Tensor set_item(const Tensor& self, const std::vector<TensorIndex>& items, const TensorOrScalar& value,
                       bool accumulate = false) {
  return set_item(self, items.data(), items.size(), value, accumulate);
}
// The gradient of self[items] for self of shape `sizes`: zeros with `grad` added where
// self[items] read from.
Tensor index_backward(const Tensor& grad, const Shape& sizes, const TensorIndex* items, size_t n);

// torch.index_put_: indices[d] indexes dim d (a null tensor takes the whole dim); values must
// have self's dtype.
Tensor index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate);
Tensor index_put(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate);

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
Tensor take(const Tensor& self, const Tensor& index);
// gather after broadcasting self and indices (except along dim); flattened when dim is absent.
Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim);

enum class ScatterReduce : uint8_t { None, Add, Multiply };
// torch.Tensor.scatter_(dim, index, src | value, reduce=None); src a tensor of self's dtype or a
// number.
Tensor scatter_(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& src,
                ScatterReduce reduce = ScatterReduce::None);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& src,
               ScatterReduce reduce = ScatterReduce::None);
Tensor scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
// self[..., index[i], ...] += alpha * source[..., i, ...] along dim.
Tensor index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha);
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha);
// self[..., index[i], ...] = source[..., i, ...] along dim.
Tensor index_copy_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
// self[..., index[i], ...] = value along dim (value a number or a 0-d tensor).
Tensor index_fill_(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& value);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const TensorOrScalar& value);

// Elements of self where the (broadcast) bool mask is true, as a 1-D tensor.
Tensor masked_select(const Tensor& self, const Tensor& mask);
// self[mask] = value with mask broadcast to self's shape. `value` is a number or a 0-d tensor.
Tensor masked_fill_(const Tensor& self, const Tensor& mask, const TensorOrScalar& value);
// Out of place: the result has the broadcast shape of self and mask.
Tensor masked_fill(const Tensor& self, const Tensor& mask, const TensorOrScalar& value);

// Writes source's elements, in order, where the (broadcast) mask is true.
Tensor masked_scatter_(const Tensor& self, const Tensor& mask, const Tensor& source);
Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source);

// [count, ndim] int64 coordinates of the nonzero elements, row-major.
Tensor nonzero(const Tensor& self);
// One 1-D tensor per dim (one for a 0-d input, as torch).
std::vector<Tensor> nonzero_tuple(const Tensor& self);

}  // namespace pt
