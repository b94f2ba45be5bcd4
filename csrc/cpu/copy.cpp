#include <cstring>

#include "cpu/elementwise.h"
#include "cpu/kernel_loops.h"

namespace pt::cpu {

namespace {
template <typename To, typename From> To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) return v != From(0);
  else return static_cast<To>(v);
}
}  // namespace

void copy_kernel(DType dst_dtype, DType src_dtype, const Shape& sizes, const StridedOperands<2>& operands) {
  dispatch_dtype(dst_dtype, [&](auto dst_tag) {
    using To = decltype(dst_tag);
    dispatch_dtype(src_dtype, [&](auto src_tag) {
      using From = decltype(src_tag);
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
