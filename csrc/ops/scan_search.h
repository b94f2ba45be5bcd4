// Order statistics along a dim (kthvalue, median, nanmedian, mode), running extremes and
// logcumsumexp, and searchsorted / bincount / histc: validation and layout (the dim is moved
// last and made contiguous); the kernels are in cpu/scan_search. CPU only: CUDA tensors raise
// NotImplementedError.
#pragma once
#include <cstdint>
#include <optional>
#include <tuple>

#include "core/tensor.h"

namespace pt {

// (values, indices); k is 1-based as in torch.
std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim);
// The lower median of all elements (NaN if there is one); a 0-d tensor.
Tensor median(const Tensor& x);
Tensor nanmedian(const Tensor& x);
std::tuple<Tensor, Tensor> median_dim(const Tensor& x, int64_t dim, bool keepdim);
std::tuple<Tensor, Tensor> nanmedian_dim(const Tensor& x, int64_t dim, bool keepdim);
std::tuple<Tensor, Tensor> mode(const Tensor& x, int64_t dim, bool keepdim);
// The stable lexicographic order of the rows of a 2-D tensor (int64 permutation).
Tensor lexsort_rows(const Tensor& x);
// unique's inverse from the run starts of the sorted values (bool [n]) and the sort order
// (int64 [n], a permutation; none: already in input order).
Tensor run_inverse(const Tensor& starts, const std::optional<Tensor>& order);
std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim);
std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim);
Tensor logcumsumexp(const Tensor& x, int64_t dim);
// Insertion points of `values` into the last dim of `seq` (1-D, or with leading dims equal to
// those of `values`); both are compared in their promoted dtype.
Tensor searchsorted(const Tensor& seq, const Tensor& values, bool out_int32, bool right,
                    const std::optional<Tensor>& sorter);
Tensor bincount(const Tensor& x, const std::optional<Tensor>& weights, int64_t minlength);
Tensor histc(const Tensor& x, int64_t bins, double min, double max);

}  // namespace pt
