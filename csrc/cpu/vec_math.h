// Portable SIMD through GCC/Clang vector extensions, and the vectorized float32 exp that
// elementwise exp/sigmoid and softmax/logsumexp share. The auto-vectorizer refuses the
// compare-and-select loops these need (and libm's expf is a scalar call per element); vector
// extensions lower to plain scalar code on targets without 16-byte SIMD.
#pragma once
#include <cstdint>
#include <cstring>

namespace pt::cpu::vec {

template <typename T> struct Simd;
template <> struct Simd<float> {
  typedef float V __attribute__((vector_size(16)));
  typedef int32_t M __attribute__((vector_size(16)));
  static constexpr int N = 4;
};
template <> struct Simd<double> {
  typedef double V __attribute__((vector_size(16)));
  typedef int64_t M __attribute__((vector_size(16)));
  static constexpr int N = 2;
};
template <typename T> using vec_t = typename Simd<T>::V;
template <typename T> using mask_t = typename Simd<T>::M;

template <typename T> inline vec_t<T> vload(const T* p) {
  vec_t<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T> inline void vstore(T* p, vec_t<T> v) { std::memcpy(p, &v, sizeof v); }
template <typename T> inline vec_t<T> vsplat(T x) { return vec_t<T>{} + x; }

// exp of a float vector: Cephes' polynomial after a Cody-Waite reduction (measured max relative
// error 8e-8 against std::exp, like torch's vectorized exp); inf, -inf, NaN, overflow and gradual
// underflow as std::exp. V is a float vector, M the int32 vector of the same width. (By
// reference: a 32-byte vector passed by value would change the ABI without AVX.)
template <typename V, typename M>
inline __attribute__((always_inline)) void vexp(V& x) {
  const V lo = V{} - 104.f, hi = V{} + 89.f, zero = V{};
  V xc = x < lo ? lo : x;
  xc = xc > hi ? hi : xc;
  xc = xc != xc ? zero : xc;
  const V n = (xc * 1.44269504088896341f + 12582912.f) - 12582912.f;  // round to nearest
  V r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  V p = V{} + 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r * r + r + 1.0f;
  // 2^n as two factors, so that n in [-150, 128] never leaves the exponent range.
  const M ni = __builtin_convertvector(n, M);
  const M h = ni >> 1;
  const V y = p * (V)((h + 127) << 23) * (V)((ni - h + 127) << 23);
  x = x != x ? x : y;
}

// Array forms, compiled for the baseline and (x86-64) for AVX2+FMA, picked at run time. Every
// element, tails included, goes through the same vector code, so a value's result does not
// depend on where it sits in the array. y may alias x.

// y[i] = exp(x[i]).
void exp(const float* x, float* y, int64_t n);
// y[i] = 1 / (1 + exp(-x[i])).
void sigmoid(const float* x, float* y, int64_t n);
// y[i] = exp(x[i] - m) (y may be null); returns the sum, float lanes flushed to double per chunk.
double exp_sum(const float* x, float* y, int64_t n, float m);
// e = exp(x[j] - m[j]); y[j] = e (y may be null); sum[j] += e, for j < w.
void exp_row(const float* x, float* y, const float* m, int64_t w, float* sum);

}  // namespace pt::cpu::vec
