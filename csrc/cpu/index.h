// Gather/scatter kernels: every indexing op (x[idx], index_select, gather, scatter, take,
// index_put_, index_add_) is one strided loop in which one operand is displaced by an index
// read from a third operand; and the mask walks (x[mask], masked_select, nonzero).
// Kernels assume validated indices and operands of one dtype.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

#include "core/dtype.h"
#include "core/shape.h"

namespace pt::cpu {

enum class ScatterOp : uint8_t { Copy, Add, Mul };

// A strided operand: address of element 0 and byte strides over the loop's shape.
struct Operand {
  char* data = nullptr;
  Shape strides;
};

// For every position p of `sizes`:  dst[p] (op)= src[p]; the operand chosen by `index_dst`
// is displaced by wrap(idx[p]) * idx_mult bytes, where wrap adds idx_size to negative values.
struct IndexLoop {
  Shape sizes;
  Operand dst, src, idx;  // idx holds int64
  int64_t idx_mult = 0;
  int64_t idx_size = 0;
  bool index_dst = false;
  // INVARIANT: when a dst element may be written from several positions (repeated indices),
  // `ordered` makes each element see its writes in row-major order, whatever the thread count.
  // Positions whose dst stride is 0 are the ones that may collide; the others are split across
  // threads.
  bool ordered = false;
};
void index_loop(IndexLoop loop, DType dtype, ScatterOp op);

// The first value (row-major) of an int64 operand outside [lo, hi), if any.
std::optional<int64_t> first_out_of_range(const Shape& sizes, const Operand& idx, int64_t lo, int64_t hi);

// out[p] += wrap(idx[p]) * mult over `sizes` (out contiguous int64): combines several index
// tensors into one byte offset.
void accumulate_offsets(const Shape& sizes, const Operand& out, const Operand& idx, int64_t mult,
                        int64_t size);

// ---- mask walks: `mask` (of dtype `mask_dtype`, nonzero = selected) over `sizes` -------------
// Visits the selected positions in row-major order, numbering them 0, 1, ... (two passes:
// count per chunk, then write from each chunk's prefix, so the result never depends on threads).

// `alloc(count)` runs between the passes and returns the output buffer.
using AllocFn = std::function<char*(int64_t count)>;

// Number of nonzero elements.
int64_t count_nonzero(DType mask_dtype, const Shape& sizes, const Operand& mask);
// Rows of coordinates of the nonzero elements ([count, ndim] int64, contiguous).
void nonzero_kernel(DType mask_dtype, const Shape& sizes, const Operand& mask, const AllocFn& alloc);
// For each selected position, sum over dims of coord * x_strides (a byte offset into x).
void mask_offsets_kernel(const Shape& sizes, const Operand& mask, const Shape& x_strides, const AllocFn& alloc);

// Moves slices between a tensor walked by a mask and a compact buffer:
//   select:  out[c, ...] = x[p_c, ...]        scatter:  x[p_c, ...] = src[c, ...]
// `slice_sizes` are the trailing dims; x's strides cover the mask dims then the slice dims.
// `out` is contiguous ([count] + slice_sizes); src's strides cover [count] + slice_sizes (0 where
// a value broadcasts). Masks are bool or uint8.
void masked_select_kernel(size_t itemsize, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                          const Shape& slice_sizes, const AllocFn& alloc);
void masked_scatter_kernel(size_t itemsize, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                           const Shape& slice_sizes, const Operand& src);

// x[p] = value where mask[p] (mask bool, broadcast over sizes).
void masked_fill_kernel(size_t itemsize, const Shape& sizes, const Operand& x, const Operand& mask,
                        const void* value);

}  // namespace pt::cpu
