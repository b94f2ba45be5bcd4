// The indexing family's CUDA entry points (see no_cuda.cpp for the pattern every family header
// follows): the CUDA twins of cpu/index.h, taking the same operand descriptions with device
// pointers. Two kernels do the moving: index_loop (gather: out[p] = in[p + idx*stride]; scatter:
// out[p + idx*stride] (op)= in[p], with atomics) and the mask compaction behind nonzero,
// mask_offsets, masked_select and masked_scatter; the rest are small elementwise helpers.
//
// Differences from the CPU kernels: reductions into one element use atomics, so float sums
// are not in row-major order, and copies onto a repeated index keep an arbitrary one of the
// writes (torch's CUDA behaves the same). Output sizes that depend on data (nonzero, masks)
// are counted on the device and the count is copied to the host before the output is
// allocated: one synchronisation, as in torch.
#pragma once
#include <cstdint>
#include <optional>

#include "core/dtype.h"
#include "core/shape.h"
#include "cpu/index.h"

namespace pt::cuda {

using cpu::AllocFn;
using cpu::IndexLoop;
using cpu::Operand;
using cpu::ScatterOp;

// _(return type, name, (parameters))
//  index_loop: `value`, when not null, is a host scalar of `dtype` that replaces loop.src.
//  first_out_of_range: waits for the device (the answer is needed on the host).
#define PT_FORALL_CUDA_INDEX_KERNELS(_)                                                                            \
  _(void, index_loop, (const IndexLoop& loop, DType dtype, ScatterOp op, const void* value))                       \
  _(std::optional<int64_t>, first_out_of_range, (const Shape& sizes, const Operand& idx, int64_t lo, int64_t hi))  \
  _(void, accumulate_offsets, (const Shape& sizes, const Operand& out, const Operand& idx, int64_t mult,            \
                               int64_t size))                                                                      \
  _(int64_t, count_nonzero, (DType mask_dtype, const Shape& sizes, const Operand& mask))                            \
  _(void, nonzero_kernel, (DType mask_dtype, const Shape& sizes, const Operand& mask, const AllocFn& alloc))        \
  _(void, mask_offsets_kernel, (const Shape& sizes, const Operand& mask, const Shape& x_strides,                    \
                                const AllocFn& alloc))                                                             \
  _(void, masked_select_kernel, (size_t itemsize, const Shape& mask_sizes, const Operand& mask, const Operand& x,   \
                                 const Shape& slice_sizes, const AllocFn& alloc))                                  \
  _(void, masked_scatter_kernel, (size_t itemsize, const Shape& mask_sizes, const Operand& mask, const Operand& x,  \
                                  const Shape& slice_sizes, const Operand& src))                                   \
  _(void, masked_fill_kernel, (size_t itemsize, const Shape& sizes, const Operand& x, const Operand& mask,          \
                               const void* value))

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_INDEX_KERNELS(PT_DECLARE)
#undef PT_DECLARE

}  // namespace pt::cuda
