// The strided tensor: shared storage + sizes + strides (in elements) + offset + dtype.
// A view is a new TensorImpl over the same storage; nothing is copied.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/storage.h"

namespace pt {

class TensorImpl;
using Tensor = std::shared_ptr<TensorImpl>;

class TensorImpl : public std::enable_shared_from_this<TensorImpl> {
 public:
  TensorImpl(StoragePtr storage, Shape sizes, Shape strides, int64_t offset, DType dtype);

  const StoragePtr& storage() const { return storage_; }
  const Shape& sizes() const { return sizes_; }
  const Shape& strides() const { return strides_; }
  int64_t offset() const { return offset_; }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_->device(); }
  int64_t dim() const { return static_cast<int64_t>(sizes_.size()); }
  int64_t numel() const { return numel_; }
  bool is_contiguous() const { return contiguous_; }
  size_t itemsize() const { return pt::itemsize(dtype_); }

  // Address of element 0 (storage base + offset).
  char* data() const {
    return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(itemsize());
  }
  template <typename T> T* data_as() const { return reinterpret_cast<T*>(data()); }

  // In-place metadata changes (resize_, transpose_, squeeze_, as_strided_): keep caches right.
  void set_sizes_strides(Shape sizes, Shape strides, int64_t offset);
  void set_dtype_and_storage(DType dtype, StoragePtr storage);  // for set_ / type punning

  // Autograd lives in Python; the flag is here so that every op can tell in C++, for free,
  // whether it must hand the call to autograd (see python/autograd_hook.h).
  bool requires_grad() const { return requires_grad_; }
  void set_requires_grad(bool v) { requires_grad_ = v; }

  // Marks a write through this tensor (version counter for autograd's in-place checks).
  void bump_version() const { storage_->bump_version(); }

  // The tensor this one is a view of (the root of a chain of views), or null. Kept for every
  // view, recorded by autograd or not: an in-place op that brings a gradient into a view of a
  // tensor that needs none must still rewrite that tensor's history (torch's CopySlices).
  const Tensor& view_base() const { return view_base_; }

 private:
  void refresh();
  StoragePtr storage_;
  Shape sizes_, strides_;
  int64_t offset_ = 0;
  DType dtype_;
  int64_t numel_ = 1;
  bool contiguous_ = true;
  bool requires_grad_ = false;
  Tensor view_base_;
  friend Tensor make_view(const TensorImpl& t, Shape sizes, Shape strides, int64_t offset);
};

// Allocation. `sizes` are checked (no negative dims; RuntimeError/MemoryError when too big).
Tensor empty(const Shape& sizes, DType dtype, Device device = {});
Tensor empty_strided(const Shape& sizes, const Shape& strides, DType dtype, Device device = {});
// A new view over t's storage; it records t (or t's own base) as its view_base.
Tensor make_view(const TensorImpl& t, Shape sizes, Shape strides, int64_t offset);
// A new tensor over t's storage that is not a view for autograd (detach, .data).
Tensor share_storage(const TensorImpl& t);

}  // namespace pt
