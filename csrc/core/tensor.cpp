#include "core/tensor.h"

#include <limits>

#include "core/errors.h"

namespace pt {

TensorImpl::TensorImpl(StoragePtr storage, Shape sizes, Shape strides, int64_t offset, DType dtype)
    : storage_(std::move(storage)),
      sizes_(std::move(sizes)),
      strides_(std::move(strides)),
      offset_(offset),
      dtype_(dtype) {
  refresh();
}

void TensorImpl::refresh() {
  numel_ = numel_of(sizes_);
  contiguous_ = pt::is_contiguous(sizes_, strides_);
}

void TensorImpl::set_sizes_strides(Shape sizes, Shape strides, int64_t offset) {
  sizes_ = std::move(sizes);
  strides_ = std::move(strides);
  offset_ = offset;
  refresh();
}

void TensorImpl::set_dtype_and_storage(DType dtype, StoragePtr storage) {
  dtype_ = dtype;
  storage_ = std::move(storage);
}

namespace {
// Bytes needed for `sizes`, with overflow and negative-size checks done before allocating.
size_t checked_nbytes(const Shape& sizes, DType dtype) {
  int64_t n = 1;
  for (int64_t s : sizes) {
    PT_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", shape_str(sizes));
    if (s && n > std::numeric_limits<int64_t>::max() / s) {
      throw RuntimeError(str_cat("Trying to create tensor with too many elements: ", shape_str(sizes)));
    }
    n *= s;
  }
  size_t item = itemsize(dtype);
  if (static_cast<uint64_t>(n) > std::numeric_limits<uint64_t>::max() / 2 / item) {
    throw RuntimeError(str_cat("Trying to create tensor with too many elements: ", shape_str(sizes)));
  }
  return static_cast<size_t>(n) * item;
}
}  // namespace

Tensor empty(const Shape& sizes, DType dtype, Device device) {
  size_t nbytes = checked_nbytes(sizes, dtype);
  return std::make_shared<TensorImpl>(Storage::allocate(nbytes, device), sizes,
                                      contiguous_strides(sizes), 0, dtype);
}

Tensor empty_strided(const Shape& sizes, const Shape& strides, DType dtype, Device device) {
  PT_CHECK(sizes.size() == strides.size(), "mismatch in length of strides and shape");
  checked_nbytes(sizes, dtype);
  int64_t extent = 1;  // elements needed: 1 + sum((size-1)*stride)
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) { extent = 0; break; }
    PT_CHECK(strides[i] >= 0, "as_strided: Negative strides are not supported at the moment, got strides: ",
             shape_str(strides));
    extent += (sizes[i] - 1) * strides[i];
  }
  size_t nbytes = checked_nbytes({extent}, dtype);
  return std::make_shared<TensorImpl>(Storage::allocate(nbytes, device), sizes, strides, 0, dtype);
}

Tensor make_view(const TensorImpl& t, Shape sizes, Shape strides, int64_t offset) {
  Tensor v = std::make_shared<TensorImpl>(t.storage(), std::move(sizes), std::move(strides), offset,
                                          t.dtype());
  v->view_base_ = t.view_base_ ? t.view_base_ : std::const_pointer_cast<TensorImpl>(t.weak_from_this().lock());
  return v;
}

Tensor share_storage(const TensorImpl& t) {
  return std::make_shared<TensorImpl>(t.storage(), t.sizes(), t.strides(), t.offset(), t.dtype());
}

}  // namespace pt
