// Tensors made from nothing but a shape and values: full, arange, linspace, eye. Each takes
// the device to allocate on (the CPU by default).
#pragma once
#include "core/scalar.h"
#include "core/tensor.h"

namespace pt {

Tensor full(const Shape& sizes, const Scalar& value, DType dtype, Device device = {});
// Values start + i * step for i < ceil((end - start) / step), as torch.arange.
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, DType dtype, Device device = {});
Tensor linspace(double start, double end, int64_t steps, DType dtype, Device device = {});
Tensor eye(int64_t n, int64_t m, DType dtype, Device device = {});

}  // namespace pt
