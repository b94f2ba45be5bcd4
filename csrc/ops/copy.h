// Copies and conversions between layouts, dtypes and devices.
#pragma once
#include <optional>

#include "core/scalar.h"
#include "core/tensor.h"

namespace pt {

// dst[...] = src broadcast to dst's shape, converting dtype; src and dst may be on any devices
// (CPU <-> CUDA, CUDA <-> CUDA). Returns dst.
Tensor copy_(const Tensor& dst, const Tensor& src);
Tensor fill_(const Tensor& dst, const Scalar& value);
// On t's device.
Tensor to_dtype(const Tensor& t, DType dtype, bool copy = false);
// torch's Tensor.to(device, dtype, copy=copy): t itself when neither device nor dtype changes
// and copy is false, else a new contiguous tensor. (No default arguments: a two-argument call
// would be ambiguous with the file-local helper of the same name in ops/index.cpp.)
Tensor to_device(const Tensor& t, Device device, std::optional<DType> dtype, bool copy);
Tensor contiguous(const Tensor& t);
Tensor clone(const Tensor& t);
// A contiguous tensor of `dtype` holding t's values: t itself when nothing needs to change.
Tensor as_contiguous_dtype(const Tensor& t, DType dtype);
// A 0-d tensor holding a scalar.
Tensor scalar_tensor(const Scalar& s, DType dtype, Device device = {});
// The device a tensor made "on `device`" gets: cuda -> cuda:<current>, with the index checked;
// RuntimeError when CUDA is unavailable.
Device resolve_device(Device device);

}  // namespace pt
