// Inner loops shared by the elementwise kernels: a contiguous fast path the compiler
// vectorizes, scalar-broadcast fast paths, and the general strided loop.
#pragma once
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "cpu/loop.h"

namespace pt::cpu {

// An op with an array form, f.array(in, out, n) (the SIMD exp), takes whole contiguous runs;
// strided runs go through a small buffer, so that an element's result never depends on the
// layout it was read from.
template <typename F, typename Out, typename In, typename = void>
struct has_array_form : std::false_type {};
template <typename F, typename Out, typename In>
struct has_array_form<F, Out, In,
                      std::void_t<decltype(std::declval<const F&>().array(
                          std::declval<const In*>(), std::declval<Out*>(), int64_t{}))>>
    : std::true_type {};

template <typename Out, typename In, typename F>
void run_unary(const Shape& sizes, const StridedOperands<2>& ops, F f) {
  for_each_run<2>(sizes, ops, [f](char** p, const int64_t* s, int64_t n) {
    Out* out = reinterpret_cast<Out*>(p[0]);
    const In* in = reinterpret_cast<const In*>(p[1]);
    const bool contiguous = s[0] == sizeof(Out) && s[1] == sizeof(In);
    if constexpr (has_array_form<F, Out, In>::value) {
      if (contiguous) return f.array(in, out, n);
      constexpr int64_t kBlock = 256;
      In src[kBlock];
      Out dst[kBlock];
      for (int64_t b = 0; b < n; b += kBlock) {
        const int64_t m = std::min(kBlock, n - b);
        for (int64_t i = 0; i < m; ++i) src[i] = *reinterpret_cast<const In*>(p[1] + (b + i) * s[1]);
        f.array(src, dst, m);
        for (int64_t i = 0; i < m; ++i) *reinterpret_cast<Out*>(p[0] + (b + i) * s[0]) = dst[i];
      }
    } else if (contiguous) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        *reinterpret_cast<Out*>(p[0] + i * s[0]) = f(*reinterpret_cast<const In*>(p[1] + i * s[1]));
      }
    }
  });
}

template <typename Out, typename In, typename F>
void run_binary(const Shape& sizes, const StridedOperands<3>& ops, F f) {
  for_each_run<3>(sizes, ops, [f](char** p, const int64_t* s, int64_t n) {
    Out* out = reinterpret_cast<Out*>(p[0]);
    const In* a = reinterpret_cast<const In*>(p[1]);
    const In* b = reinterpret_cast<const In*>(p[2]);
    const bool out_c = s[0] == sizeof(Out);
    if (out_c && s[1] == sizeof(In) && s[2] == sizeof(In)) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
    } else if (out_c && s[1] == sizeof(In) && s[2] == 0) {
      const In bv = *b;
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
    } else if (out_c && s[1] == 0 && s[2] == sizeof(In)) {
      const In av = *a;
      for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        *reinterpret_cast<Out*>(p[0] + i * s[0]) = f(*reinterpret_cast<const In*>(p[1] + i * s[1]),
                                                     *reinterpret_cast<const In*>(p[2] + i * s[2]));
      }
    }
  });
}

}  // namespace pt::cpu
