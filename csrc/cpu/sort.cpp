#include "cpu/sort.h"

#include <algorithm>
#include <cmath>
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

// a before b in the order asked for; NaN is the largest value, ties go by position.
template <typename T, bool kLargest>
struct RowOrder {
  const T* row;
  bool operator()(int64_t i, int64_t j) const {
    const T a = row[i], b = row[j];
    const bool na = is_nan(a), nb = is_nan(b);
    if (na || nb) {
      if (na && nb) return i < j;
      return kLargest ? na : nb;
    }
    if (a != b) return kLargest ? b < a : a < b;
    return i < j;
  }
};

template <typename T, bool kLargest>
void sort_rows(const T* in, int64_t rows, int64_t n, int64_t k, T* values, int64_t* indices) {
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1));
  parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    std::vector<int64_t> order(n);
    for (int64_t r = begin; r < end; ++r) {
      const T* row = in + r * n;
      std::iota(order.begin(), order.end(), int64_t{0});
      const RowOrder<T, kLargest> before{row};
      // The order is total (ties broken by position), so partial_sort is deterministic too.
      if (k == n) std::sort(order.begin(), order.end(), before);
      else std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      for (int64_t j = 0; j < k; ++j) {
        values[r * k + j] = row[order[j]];
        indices[r * k + j] = order[j];
      }
    }
  });
}

}  // namespace

void sort_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, int64_t k, bool largest,
                      void* values, int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if (largest) sort_rows<T, true>(static_cast<const T*>(in), rows, n, k, static_cast<T*>(values), indices);
    else sort_rows<T, false>(static_cast<const T*>(in), rows, n, k, static_cast<T*>(values), indices);
  });
}

}  // namespace pt::cpu
