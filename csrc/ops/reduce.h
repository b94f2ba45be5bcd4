// Reductions, scans and softmax: validate dims -> result dtype -> allocate -> cpu/reduce kernels.
// `dims`: nullopt or an empty list reduces every dim (torch's sum/mean convention); negative dims
// wrap; a repeated dim is a RuntimeError, an out-of-range one an IndexError.
#pragma once
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/tensor.h"

namespace pt {

using OptDims = std::optional<std::vector<int64_t>>;
using OptDType = std::optional<DType>;

Tensor sum(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype);
Tensor mean(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype);
Tensor prod(const Tensor& x, const OptDims& dims, bool keepdim, OptDType dtype);
Tensor amax(const Tensor& x, const OptDims& dims, bool keepdim);
Tensor amin(const Tensor& x, const OptDims& dims, bool keepdim);
// torch.max(x) / torch.min(x): a 0-d value; RuntimeError on an empty tensor.
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
// torch.max(x, dim) / torch.min(x, dim): (values, indices).
std::tuple<Tensor, Tensor> max_dim(const Tensor& x, int64_t dim, bool keepdim);
std::tuple<Tensor, Tensor> min_dim(const Tensor& x, int64_t dim, bool keepdim);
// dim = nullopt: index into the flattened tensor.
Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim);
// Divides by max(0, N - correction).
Tensor var(const Tensor& x, const OptDims& dims, double correction, bool keepdim);
// Bound as torch.std (the name `std` is kept free in C++).
Tensor stddev(const Tensor& x, const OptDims& dims, double correction, bool keepdim);
// all/any: an empty dims list reduces nothing (torch's behaviour for these two).
Tensor all(const Tensor& x, const OptDims& dims, bool keepdim);
Tensor any(const Tensor& x, const OptDims& dims, bool keepdim);
Tensor count_nonzero(const Tensor& x, const OptDims& dims);
// The vector p-norm (p = inf / -inf allowed) over dims.
Tensor norm(const Tensor& x, double p, const OptDims& dims, bool keepdim, OptDType dtype);
Tensor logsumexp(const Tensor& x, const OptDims& dims, bool keepdim);
Tensor softmax(const Tensor& x, int64_t dim, OptDType dtype);
Tensor log_softmax(const Tensor& x, int64_t dim, OptDType dtype);
Tensor cumsum(const Tensor& x, int64_t dim, OptDType dtype);
Tensor cumprod(const Tensor& x, int64_t dim, OptDType dtype);

// torch's name for a dtype in messages ("Long", "Float", ...).
const char* torch_type_name(DType d);

}  // namespace pt
