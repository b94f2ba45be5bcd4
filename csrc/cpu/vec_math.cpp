#include "cpu/vec_math.h"

#include <algorithm>

namespace pt::cpu::vec {

namespace {

// The loops below are compiled for the baseline (4-float vectors) and, on x86-64, also for
// AVX2+FMA (8-float vectors), chosen at run time from the CPU's features.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PT_X86_DISPATCH 1
typedef float F8 __attribute__((vector_size(32)));
typedef int32_t I8 __attribute__((vector_size(32)));
#endif

constexpr int64_t kSumChunk = 4096;  // float lanes are flushed into the double sum this often

// Out-parameter, not a return value: see vexp.
template <typename V> inline __attribute__((always_inline)) void load(V& v, const float* p) {
  std::memcpy(&v, p, sizeof v);
}

// The last n < N elements through the vector code: x is padded with `pad`, and only n results
// are stored to y (when not null); v keeps all lanes, for callers that fold them.
template <typename V, typename F>
inline __attribute__((always_inline)) void tail(V& v, const float* x, float* y, int64_t n, float pad,
                                                F f) {
  constexpr int N = sizeof(V) / sizeof(float);
  float buf[N];
  std::fill(buf, buf + N, pad);
  std::memcpy(buf, x, n * sizeof(float));
  load(v, buf);
  f(v);
  if (y) std::memcpy(y, &v, n * sizeof(float));
}

template <typename M> struct ExpF {
  template <typename V> inline __attribute__((always_inline)) void operator()(V& v) const {
    vexp<V, M>(v);
  }
};
template <typename M> struct SigmoidF {
  template <typename V> inline __attribute__((always_inline)) void operator()(V& v) const {
    v = -v;
    vexp<V, M>(v);
    v = 1.0f / (1.0f + v);
  }
};

template <typename V, typename F>
inline __attribute__((always_inline)) void map_impl(const float* x, float* y, int64_t n, F f) {
  constexpr int N = sizeof(V) / sizeof(float);
  int64_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    V a, b;
    load(a, x + i);
    load(b, x + i + N);
    f(a);
    f(b);
    std::memcpy(y + i, &a, sizeof a);
    std::memcpy(y + i + N, &b, sizeof b);
  }
  for (; i + N <= n; i += N) {
    V a;
    load(a, x + i);
    f(a);
    std::memcpy(y + i, &a, sizeof a);
  }
  if (i < n) {
    V t;
    tail(t, x + i, y + i, n - i, 0.f, f);
  }
}

template <typename V, typename M>
inline __attribute__((always_inline)) double exp_sum_impl(const float* x, float* y, int64_t n, float m) {
  constexpr int N = sizeof(V) / sizeof(float);
  const V mv = V{} + m;
  const auto shifted_exp = [mv](V& v) __attribute__((always_inline)) {
    v -= mv;
    vexp<V, M>(v);
  };
  double sum = 0;
  int64_t i = 0;
  for (int64_t b = 0; b + N <= n; b += kSumChunk) {
    const int64_t e = std::min(n, b + kSumChunk);
    V s0 = {}, s1 = {};
    for (i = b; i + 2 * N <= e; i += 2 * N) {
      V e0, e1;
      load(e0, x + i);
      load(e1, x + i + N);
      shifted_exp(e0);
      shifted_exp(e1);
      if (y) {
        std::memcpy(y + i, &e0, sizeof e0);
        std::memcpy(y + i + N, &e1, sizeof e1);
      }
      s0 += e0;
      s1 += e1;
    }
    for (; i + N <= e; i += N) {
      V e0;
      load(e0, x + i);
      shifted_exp(e0);
      if (y) std::memcpy(y + i, &e0, sizeof e0);
      s0 += e0;
    }
    s0 += s1;
    double part = 0;
    for (int k = 0; k < N; ++k) part += s0[k];
    sum += part;
  }
  if (i < n) {
    V t;
    tail(t, x + i, y ? y + i : nullptr, n - i, m, shifted_exp);
    for (int64_t k = 0; k < n - i; ++k) sum += t[k];
  }
  return sum;
}

template <typename V, typename M>
inline __attribute__((always_inline)) void exp_row_impl(const float* x, float* y, const float* m,
                                                        int64_t w, float* sum) {
  constexpr int N = sizeof(V) / sizeof(float);
  int64_t j = 0;
  for (; j + N <= w; j += N) {
    V e, mv, sv;
    load(e, x + j);
    load(mv, m + j);
    load(sv, sum + j);
    e -= mv;
    vexp<V, M>(e);
    if (y) std::memcpy(y + j, &e, sizeof e);
    sv += e;
    std::memcpy(sum + j, &sv, sizeof sv);
  }
  if (j < w) {
    float shifted[N];
    for (int64_t k = 0; k < w - j; ++k) shifted[k] = x[j + k] - m[j + k];
    V t;
    tail(t, shifted, y ? y + j : nullptr, w - j, 0.f, ExpF<M>{});
    for (int64_t k = 0; k < w - j; ++k) sum[j + k] += t[k];
  }
}

#ifdef PT_X86_DISPATCH
__attribute__((target("avx2,fma"))) void exp_avx2(const float* x, float* y, int64_t n) {
  map_impl<F8>(x, y, n, ExpF<I8>{});
}
__attribute__((target("avx2,fma"))) void sigmoid_avx2(const float* x, float* y, int64_t n) {
  map_impl<F8>(x, y, n, SigmoidF<I8>{});
}
__attribute__((target("avx2,fma"))) double exp_sum_avx2(const float* x, float* y, int64_t n, float m) {
  return exp_sum_impl<F8, I8>(x, y, n, m);
}
__attribute__((target("avx2,fma"))) void exp_row_avx2(const float* x, float* y, const float* m,
                                                      int64_t w, float* sum) {
  exp_row_impl<F8, I8>(x, y, m, w, sum);
}
bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
}
#endif

using V4 = vec_t<float>;
using M4 = mask_t<float>;

}  // namespace

void exp(const float* x, float* y, int64_t n) {
#ifdef PT_X86_DISPATCH
  if (has_avx2()) return exp_avx2(x, y, n);
#endif
  map_impl<V4>(x, y, n, ExpF<M4>{});
}

void sigmoid(const float* x, float* y, int64_t n) {
#ifdef PT_X86_DISPATCH
  if (has_avx2()) return sigmoid_avx2(x, y, n);
#endif
  map_impl<V4>(x, y, n, SigmoidF<M4>{});
}

double exp_sum(const float* x, float* y, int64_t n, float m) {
#ifdef PT_X86_DISPATCH
  if (has_avx2()) return exp_sum_avx2(x, y, n, m);
#endif
  return exp_sum_impl<V4, M4>(x, y, n, m);
}

void exp_row(const float* x, float* y, const float* m, int64_t w, float* sum) {
#ifdef PT_X86_DISPATCH
  if (has_avx2()) return exp_row_avx2(x, y, m, w, sum);
#endif
  exp_row_impl<V4, M4>(x, y, m, w, sum);
}

}  // namespace pt::cpu::vec
