// sort / topk: validation and layout (the sorted dim is moved last and made contiguous); the
// kernels are in cpu/sort.
#pragma once
#include <cstdint>
#include <tuple>

#include "core/tensor.h"

namespace pt {

// (values, indices) along `dim`, ascending unless `descending`; equal values keep their order.
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending);
// The k largest (or smallest) along `dim`, in sorted order, with their indices.
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest);

}  // namespace pt
