// Shape and view ops. Views share storage; reshape copies only when a view is impossible.
#pragma once
#include <optional>
#include <vector>

#include "core/tensor.h"

namespace pt {

Tensor view(const Tensor& t, const Shape& sizes);
Tensor reshape(const Tensor& t, const Shape& sizes);
Tensor as_strided(const Tensor& t, const Shape& sizes, const Shape& strides, std::optional<int64_t> offset);
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1);
Tensor t_2d(const Tensor& t);  // torch.t: <= 2-D only
Tensor permute(const Tensor& t, const Shape& dims);
Tensor squeeze(const Tensor& t, const std::optional<std::vector<int64_t>>& dims);
Tensor unsqueeze(const Tensor& t, int64_t dim);
Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim);
Tensor expand(const Tensor& t, const Shape& sizes);
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& t, int64_t dim, int64_t index);
// Python slice semantics (start/stop clamped, step > 0).
Tensor slice(const Tensor& t, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop,
             int64_t step);
Tensor movedim(const Tensor& t, int64_t src, int64_t dst);
Tensor unfold(const Tensor& t, int64_t dim, int64_t size, int64_t step);
// The (offset) diagonal of dims dim1, dim2 as a view: both dims removed, the diagonal appended last.
Tensor diagonal(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2);
// The inverse of diagonal: zeros with `t`'s last dim written onto the diagonal of new dims dim1, dim2.
Tensor diag_embed(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2);

// In place: resize_ keeps the storage (growing it when needed), as the tutorial shows.
Tensor resize_(const Tensor& t, const Shape& sizes);

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim);

}  // namespace pt
