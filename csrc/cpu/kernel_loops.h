// Inner loops shared by the elementwise kernels: a contiguous fast path the compiler
// vectorizes, scalar-broadcast fast paths, and the general strided loop.
#pragma once
#include <cstdint>

#include "cpu/loop.h"

namespace pt::cpu {

template <typename Out, typename In, typename F>
void run_unary(const Shape& sizes, const StridedOperands<2>& ops, F f) {
  for_each_run<2>(sizes, ops, [f](char** p, const int64_t* s, int64_t n) {
    Out* out = reinterpret_cast<Out*>(p[0]);
    const In* in = reinterpret_cast<const In*>(p[1]);
    if (s[0] == sizeof(Out) && s[1] == sizeof(In)) {
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
