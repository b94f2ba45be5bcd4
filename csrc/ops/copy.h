// Copies and conversions between layouts and dtypes.
#pragma once
#include "core/scalar.h"
#include "core/tensor.h"

namespace pt {

// dst[...] = src broadcast to dst's shape, converting dtype. Returns dst.
Tensor copy_(const Tensor& dst, const Tensor& src);
Tensor fill_(const Tensor& dst, const Scalar& value);
Tensor to_dtype(const Tensor& t, DType dtype, bool copy = false);
Tensor contiguous(const Tensor& t);
Tensor clone(const Tensor& t);
// A contiguous tensor of `dtype` holding t's values: t itself when nothing needs to change.
Tensor as_contiguous_dtype(const Tensor& t, DType dtype);
// A 0-d tensor holding a scalar.
Tensor scalar_tensor(const Scalar& s, DType dtype);

}  // namespace pt
