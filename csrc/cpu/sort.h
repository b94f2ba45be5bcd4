// Sorting kernels: rows of a contiguous [rows, n] tensor, sorted (or their top k selected) with
// the indices of where each value came from. NaN counts as larger than every number (torch's
// order); equal values keep their original order, so results are deterministic.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace pt::cpu {

// values/indices: contiguous [rows, k] outputs (indices int64); k == n sorts whole rows.
// `largest`: descending order (and the k largest); else ascending (and the k smallest).
void sort_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, int64_t k, bool largest,
                      void* values, int64_t* indices);

}  // namespace pt::cpu
