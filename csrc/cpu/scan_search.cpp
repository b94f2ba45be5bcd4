#include "cpu/scan_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "cpu/parallel.h"

namespace pt::cpu {

namespace {

template <typename T> bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else return false;
}

// Rows per parallel chunk so that a chunk holds about a grain of elements.
int64_t row_grain(int64_t n) { return std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)); }

// The total order used for selection: NaN largest, ties by position.
template <typename T>
struct Before {
  const T* row;
  bool operator()(int64_t i, int64_t j) const {
    const T a = row[i], b = row[j];
    const bool na = is_nan(a), nb = is_nan(b);
    if (na || nb) return na && nb ? i < j : nb;
    if (a != b) return a < b;
    return i < j;
  }
};

template <typename T>
void select_rows(const T* in, int64_t rows, int64_t n, int64_t k, SelectRule rule, T* values, int64_t* indices) {
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    std::vector<int64_t> order(n);
    for (int64_t r = begin; r < end; ++r) {
      const T* row = in + r * n;
      int64_t kk = k;
      if (rule != SelectRule::Kth) {
        int64_t nans = 0, first_nan = -1;
        for (int64_t j = 0; j < n; ++j) {
          if (is_nan(row[j])) {
            if (first_nan < 0) first_nan = j;
            ++nans;
          }
        }
        if (first_nan >= 0 && (rule == SelectRule::Median || nans == n)) {
          values[r] = row[first_nan];
          indices[r] = first_nan;
          continue;
        }
        kk = (n - nans - 1) / 2;
      }
      std::iota(order.begin(), order.end(), int64_t{0});
      // The order is total, so the selected position is deterministic.
      std::nth_element(order.begin(), order.begin() + kk, order.end(), Before<T>{row});
      values[r] = row[order[kk]];
      indices[r] = order[kk];
    }
  });
}

template <typename T>
void mode_rows(const T* in, int64_t rows, int64_t n, T* values, int64_t* indices) {
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    std::vector<int64_t> order(n);
    for (int64_t r = begin; r < end; ++r) {
      const T* row = in + r * n;
      std::iota(order.begin(), order.end(), int64_t{0});
      std::sort(order.begin(), order.end(), Before<T>{row});
      // Runs of equal values are ordered by position, so a run's last entry is its last
      // occurrence; a strictly longer run wins, so ties keep the smallest value.
      int64_t best_len = 0, best_last = 0, start = 0;
      for (int64_t j = 1; j <= n; ++j) {
        if (j == n || !(row[order[j]] == row[order[start]])) {
          if (j - start > best_len) {
            best_len = j - start;
            best_last = order[j - 1];
          }
          start = j;
        }
      }
      values[r] = row[best_last];
      indices[r] = best_last;
    }
  });
}

template <typename T>
void lexsort_rows(const T* in, int64_t rows, int64_t m, int64_t* perm) {
  std::iota(perm, perm + rows, int64_t{0});
  std::stable_sort(perm, perm + rows, [&](int64_t i, int64_t j) {
    const T* a = in + i * m;
    const T* b = in + j * m;
    for (int64_t c = 0; c < m; ++c) {
      const bool na = is_nan(a[c]), nb = is_nan(b[c]);
      if (na || nb) {
        if (na != nb) return nb;
        continue;
      }
      if (a[c] != b[c]) return a[c] < b[c];
    }
    return false;
  });
}

template <typename T>
void cum_extreme(const T* in, int64_t rows, int64_t n, bool is_max, T* values, int64_t* indices) {
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* row = in + r * n;
      T* v = values + r * n;
      int64_t* ix = indices + r * n;
      T best = row[0];
      int64_t at = 0;
      for (int64_t j = 0; j < n; ++j) {
        const T x = row[j];
        // torch's rule: a NaN always takes over (so the index is the latest NaN); after a NaN
        // nothing else does; equal values move the index forward.
        if (is_nan(x) || (!is_nan(best) && (is_max ? x >= best : x <= best))) {
          best = x;
          at = j;
        }
        v[j] = best;
        ix[j] = at;
      }
    }
  });
}

template <typename T>
T log_add_exp(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  const T lo = std::min(a, b), hi = std::max(a, b);
  // Equal infinities: inf - inf would be NaN, and the sum is that infinity.
  if (lo == hi && std::isinf(lo)) return lo;
  return hi + std::log1p(std::exp(lo - hi));
}

template <typename T>
void logcumsumexp_rows(const T* in, int64_t rows, int64_t n, T* out) {
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* row = in + r * n;
      T* o = out + r * n;
      T acc = -std::numeric_limits<T>::infinity();
      for (int64_t j = 0; j < n; ++j) o[j] = acc = log_add_exp(acc, row[j]);
    }
  });
}

template <typename T, typename Out>
void searchsorted_rows(const T* seq, const int64_t* sorter, int64_t rows, int64_t n, const T* vals,
                       int64_t per_row, bool right, Out* out) {
  const int64_t total = rows * per_row;
  parallel_for(0, total, kGrainSize / 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int64_t r = i / per_row;
      const T* s = seq + r * n;
      const int64_t* so = sorter ? sorter + r * n : nullptr;
      const T v = vals[i];
      int64_t lo = 0, hi = n;
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        const T m = so ? s[so[mid]] : s[mid];
        // torch's comparisons, written so that a NaN value lands after everything.
        const bool go_right = right ? !(m > v) : !(m >= v);
        if (go_right) lo = mid + 1;
        else hi = mid;
      }
      out[i] = static_cast<Out>(lo);
    }
  });
}

template <typename T>
void histc_rows(const T* in, int64_t len, int64_t bins, T lo, T hi, T* out) {
  std::fill(out, out + bins, T(0));
  const T width = hi - lo;
  for (int64_t i = 0; i < len; ++i) {
    const T x = in[i];
    if (!(x >= lo && x <= hi)) continue;  // outside, or NaN
    // torch's histc position formula (without edge correction), evaluated in T.
    int64_t pos = static_cast<int64_t>((x - lo) * static_cast<T>(bins) / width);
    if (pos >= bins) pos = bins - 1;
    out[pos] += T(1);
  }
}

void require_float(DType d) {
  if (d != DType::Float32 && d != DType::Float64) throw TypeError("expected a floating dtype");
}

}  // namespace

void select_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, int64_t k, SelectRule rule,
                        void* values, int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    select_rows<T>(static_cast<const T*>(in), rows, n, k, rule, static_cast<T*>(values), indices);
  });
}

void mode_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, void* values, int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    mode_rows<T>(static_cast<const T*>(in), rows, n, static_cast<T*>(values), indices);
  });
}

void lexsort_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t m, int64_t* perm) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    lexsort_rows<T>(static_cast<const T*>(in), rows, m, perm);
  });
}

void run_inverse_kernel(const bool* starts, const int64_t* order, int64_t n, int64_t* out) {
  int64_t run = -1;
  for (int64_t i = 0; i < n; ++i) {
    run += starts[i];
    out[order ? order[i] : i] = run;
  }
}

void cum_extreme_kernel(DType dtype, const void* in, int64_t rows, int64_t n, bool is_max, void* values,
                        int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    cum_extreme<T>(static_cast<const T*>(in), rows, n, is_max, static_cast<T*>(values), indices);
  });
}

void logcumsumexp_kernel(DType dtype, const void* in, int64_t rows, int64_t n, void* out) {
  require_float(dtype);
  if (dtype == DType::Float32) {
    logcumsumexp_rows(static_cast<const float*>(in), rows, n, static_cast<float*>(out));
  } else {
    logcumsumexp_rows(static_cast<const double*>(in), rows, n, static_cast<double*>(out));
  }
}

void searchsorted_kernel(DType dtype, const void* seq, const int64_t* sorter, int64_t rows, int64_t n,
                         const void* vals, int64_t per_row, bool right, bool out_int32, void* out) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* s = static_cast<const T*>(seq);
    const T* v = static_cast<const T*>(vals);
    if (out_int32) searchsorted_rows(s, sorter, rows, n, v, per_row, right, static_cast<int32_t*>(out));
    else searchsorted_rows(s, sorter, rows, n, v, per_row, right, static_cast<int64_t*>(out));
  });
}

void bincount_kernel(const int64_t* idx, int64_t len, const void* weights, DType out_dtype, int64_t bins,
                     void* out) {
  // Serial on purpose: a sum per bin in input order, so float results never depend on threads.
  auto run = [&](auto* o, const auto* w) {
    using O = std::remove_pointer_t<decltype(o)>;
    std::fill(o, o + bins, O(0));
    for (int64_t i = 0; i < len; ++i) o[idx[i]] += w ? static_cast<O>(w[i]) : O(1);
  };
  switch (out_dtype) {
    case DType::Int64: run(static_cast<int64_t*>(out), static_cast<const int64_t*>(nullptr)); break;
    case DType::Float32: run(static_cast<float*>(out), static_cast<const float*>(weights)); break;
    case DType::Float64: run(static_cast<double*>(out), static_cast<const double*>(weights)); break;
    default: throw TypeError("bincount: unsupported output dtype");
  }
}

void histc_kernel(DType dtype, const void* in, int64_t len, int64_t bins, double lo, double hi, void* out) {
  require_float(dtype);
  if (dtype == DType::Float32) {
    histc_rows(static_cast<const float*>(in), len, bins, static_cast<float>(lo), static_cast<float>(hi),
               static_cast<float*>(out));
  } else {
    histc_rows(static_cast<const double*>(in), len, bins, lo, hi, static_cast<double*>(out));
  }
}

}  // namespace pt::cpu
