#include <algorithm>
#include <cstring>

#include "cpu/elementwise.h"
#include "cpu/kernel_loops.h"

namespace pt::cpu {

namespace {
template <typename To, typename From> To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) return v != From(0);
  else return static_cast<To>(v);
}

// A copy whose innermost dims are transposed between dst and src (dst walks dim -1
// contiguously, src walks dim -2): in element order every src read would be a cache miss. It
// goes in strips of kTile dst columns (= kTile src rows, read as a stream) cut into square
// tiles that stay in L1; threads take whole strips. Returns false when the layout is not that.
template <typename To, typename From>
bool copy_transposed(const Shape& sizes_in, const StridedOperands<2>& ops_in) {
  constexpr int64_t kTile = 16;
  Shape sizes = sizes_in;
  std::array<Shape, 2> st = ops_in.byte_strides;
  coalesce<2>(sizes, st);
  const int64_t nd = static_cast<int64_t>(sizes.size());
  if (nd < 2) return false;
  const int64_t rows = sizes[nd - 2], cols = sizes[nd - 1];
  const int64_t d_row = st[0][nd - 2], d_col = st[0][nd - 1];
  const int64_t s_row = st[1][nd - 2], s_col = st[1][nd - 1];
  if (d_col != sizeof(To) || s_row != sizeof(From) || s_col == sizeof(From) || rows < kTile || cols < kTile) {
    return false;
  }
  const int64_t outer = numel_of(sizes) / (rows * cols);
  const int64_t strips = (cols + kTile - 1) / kTile;
  parallel_for(0, outer * strips, kGrainSize / (kTile * rows) + 1, [&](int64_t begin, int64_t end) {
    for (int64_t task = begin; task < end; ++task) {
      // Base pointers of this task's outer index (dims before the last two).
      char* dst = ops_in.data[0];
      char* src = ops_in.data[1];
      for (int64_t d = nd - 3, rem = task / strips; d >= 0; --d) {
        const int64_t i = rem % sizes[d];
        rem /= sizes[d];
        dst += i * st[0][d];
        src += i * st[1][d];
      }
      const int64_t c0 = task % strips * kTile, c1 = std::min(cols, c0 + kTile);
      for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
        const int64_t r1 = std::min(rows, r0 + kTile);
        for (int64_t r = r0; r < r1; ++r) {
          To* out = reinterpret_cast<To*>(dst + r * d_row);
          const char* in = src + r * s_row;
          for (int64_t c = c0; c < c1; ++c) out[c] = convert<To, From>(*reinterpret_cast<const From*>(in + c * s_col));
        }
      }
    }
  });
  return true;
}
}  // namespace

void copy_kernel(DType dst_dtype, DType src_dtype, const Shape& sizes, const StridedOperands<2>& operands) {
  dispatch_dtype(dst_dtype, [&](auto dst_tag) {
    using To = decltype(dst_tag);
    dispatch_dtype(src_dtype, [&](auto src_tag) {
      using From = decltype(src_tag);
      if (copy_transposed<To, From>(sizes, operands)) return;
      if constexpr (std::is_same_v<To, From>) {
        for_each_run<2>(sizes, operands, [](char** p, const int64_t* s, int64_t n) {
          if (s[0] == sizeof(To) && s[1] == sizeof(To)) {
            std::memmove(p[0], p[1], n * sizeof(To));
          } else {
            for (int64_t i = 0; i < n; ++i) {
              *reinterpret_cast<To*>(p[0] + i * s[0]) = *reinterpret_cast<const To*>(p[1] + i * s[1]);
            }
          }
        });
      } else {
        run_unary<To, From>(sizes, operands, [](From v) { return convert<To, From>(v); });
      }
    });
  });
}

void fill_kernel(DType dtype, const Shape& sizes, char* data, const Shape& byte_strides, const void* value) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, value, sizeof(T));
    StridedOperands<1> ops{{data}, {byte_strides}};
    for_each_run<1>(sizes, ops, [v](char** p, const int64_t* s, int64_t n) {
      if (s[0] == sizeof(T)) {
        T* out = reinterpret_cast<T*>(p[0]);
        for (int64_t i = 0; i < n; ++i) out[i] = v;
      } else {
        for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(p[0] + i * s[0]) = v;
      }
    });
  });
}

}  // namespace pt::cpu
