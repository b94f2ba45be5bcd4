// Row kernels for order statistics (kthvalue, median, mode), running extremes and logcumsumexp,
// and the search/count kernels (searchsorted, bincount, histc). Inputs are contiguous; a "row"
// is the last dim of a contiguous [rows, n] tensor (the ops layer moves the reduced dim last).
// NaN orders as larger than every number and equal values go by position, so every result
// (indices included) is deterministic and independent of the thread count.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace pt::cpu {

enum class SelectRule : int8_t {
  Kth,        // the k-th smallest (0-based) in the order above
  Median,     // the lower median; a row with a NaN gives its first NaN
  NanMedian,  // the lower median of the non-NaN values; an all-NaN row gives its first NaN
};

// values: [rows] of `dtype`, indices: [rows] int64. `k` is read for Kth only.
void select_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, int64_t k, SelectRule rule,
                        void* values, int64_t* indices);
// The most frequent value of each row (the smallest among equally frequent ones) and the last
// position where it occurs. NaNs never compare equal, so each counts once.
void mode_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, void* values, int64_t* indices);
// The stable order of the rows of a contiguous [rows, m] tensor, compared lexicographically
// (NaN largest): unique(dim=...)'s sort.
void lexsort_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t m, int64_t* perm);
// unique's inverse: out[order[i]] = (number of starts[0..i]) - 1, i.e. each sorted element's run
// number written back to the element's original position.
void run_inverse_kernel(const bool* starts, const int64_t* order, int64_t n, int64_t* out);
// Running max (`is_max`) or min along rows, with the position of the latest extreme (ties move
// the index forward) and NaN sticking once seen, as torch's cummax/cummin.
void cum_extreme_kernel(DType dtype, const void* in, int64_t rows, int64_t n, bool is_max, void* values,
                        int64_t* indices);
// Running log(sum(exp)) along rows; floating dtypes only.
void logcumsumexp_kernel(DType dtype, const void* in, int64_t rows, int64_t n, void* out);
// For each of `per_row` values of row r (vals: [rows, per_row]; rows == 1 with a shared
// sequence), the insertion point into seq row r ([rows, n], sorted ascending, read through
// `sorter` when non-null). left: first i with !(seq[i] < v); right: first i with v < seq[i].
void searchsorted_kernel(DType dtype, const void* seq, const int64_t* sorter, int64_t rows, int64_t n,
                         const void* vals, int64_t per_row, bool right, bool out_int32, void* out);
// out[idx[i]] += weights[i] (1 without weights); out_dtype Int64 (no weights), Float32 or
// Float64 (weights already converted to it). `out` is zero-filled here.
void bincount_kernel(const int64_t* idx, int64_t len, const void* weights, DType out_dtype, int64_t bins,
                     void* out);
// Counts of the values in [lo, hi] (NaN and values outside skipped) in `bins` equal bins, the
// last bin closed; out (of `dtype`, floating) is zero-filled here.
void histc_kernel(DType dtype, const void* in, int64_t len, int64_t bins, double lo, double hi, void* out);

}  // namespace pt::cpu
