// Shapes, strides and broadcasting: pure index arithmetic, no memory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pt {

using Shape = std::vector<int64_t>;

int64_t numel_of(const Shape& sizes);
Shape contiguous_strides(const Shape& sizes);
// torch's definition: size-1 dimensions are ignored, empty tensors are contiguous.
bool is_contiguous(const Shape& sizes, const Shape& strides);

// Wraps a possibly negative dim into [0, ndim); IndexError names the valid range as torch does.
int64_t wrap_dim(int64_t dim, int64_t ndim);

// The broadcast shape of a and b; RuntimeError naming both shapes when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// Strides that read `sizes`/`strides` as if expanded to `target` (0 on broadcast dims).
Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& target);

// Resolves one -1 in a requested shape against numel; RuntimeError when impossible.
Shape infer_size(const Shape& requested, int64_t numel);
// Strides for viewing (sizes, strides) as `new_sizes` without copying, or empty when the
// layout does not allow it (torch's computeStride).
bool compute_view_strides(const Shape& sizes, const Shape& strides, const Shape& new_sizes,
                          Shape& new_strides);

// "[2, 3]" as torch prints shapes in messages.
std::string shape_str(const Shape& s);

}  // namespace pt
