// One functor per unary op. Float ops only ever see float/double (integers are promoted
// first); the others see every dtype.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <cstdint>
#include <type_traits>

namespace pt::cpu::ops {

// exp for float32 in branch-free form (Cephes expf: Cody-Waite reduction, degree-6
// polynomial, 2^n by exponent bits), within 1 ulp like torch's vectorized exp. libm's expf is a
// scalar call per element; this one the compiler vectorizes.
inline float exp_f32(float x) {
  const float hi = 88.72283935546875f, lo = -103.97207641601562f;
  float xc = std::min(std::max(x, lo), hi);
  float t = xc * 1.44269504088896341f;
  int32_t n = static_cast<int32_t>(t + (t >= 0 ? 0.5f : -0.5f));
  float fn = static_cast<float>(n);
  float r = xc - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  // 2^n as two factors so results down to the smallest subnormal stay exact.
  int32_t n1 = n >> 1, n2 = n - n1;
  float s1, s2;
  int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  std::memcpy(&s1, &b1, sizeof s1);
  std::memcpy(&s2, &b2, sizeof s2);
  float result = p * s1 * s2;
  result = x > hi ? std::numeric_limits<float>::infinity() : result;
  return x != x ? x : result;
}

#define PT_FLOAT_FUNCTOR(Name, expr)                                            \
  struct Name {                                                                 \
    template <typename T> T operator()(T x) const {                             \
      if constexpr (std::is_floating_point_v<T>) return (expr); else return x;  \
    }                                                                           \
  };
struct Exp {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_same_v<T, float>) return exp_f32(x);
    else if constexpr (std::is_floating_point_v<T>) return std::exp(x);
    else return x;
  }
};
PT_FLOAT_FUNCTOR(Log, std::log(x))
PT_FLOAT_FUNCTOR(Log1p, std::log1p(x))
PT_FLOAT_FUNCTOR(Expm1, std::expm1(x))
PT_FLOAT_FUNCTOR(Sqrt, std::sqrt(x))
PT_FLOAT_FUNCTOR(Rsqrt, T(1) / std::sqrt(x))
PT_FLOAT_FUNCTOR(Sin, std::sin(x))
PT_FLOAT_FUNCTOR(Cos, std::cos(x))
PT_FLOAT_FUNCTOR(Tan, std::tan(x))
PT_FLOAT_FUNCTOR(Tanh, std::tanh(x))
PT_FLOAT_FUNCTOR(Sigmoid, T(1) / (T(1) + Exp{}(-x)))
PT_FLOAT_FUNCTOR(Reciprocal, T(1) / x)
PT_FLOAT_FUNCTOR(Log2, std::log2(x))
PT_FLOAT_FUNCTOR(Log10, std::log10(x))
PT_FLOAT_FUNCTOR(Exp2, std::exp2(x))
PT_FLOAT_FUNCTOR(Asin, std::asin(x))
PT_FLOAT_FUNCTOR(Acos, std::acos(x))
PT_FLOAT_FUNCTOR(Atan, std::atan(x))
PT_FLOAT_FUNCTOR(Sinh, std::sinh(x))
PT_FLOAT_FUNCTOR(Cosh, std::cosh(x))
PT_FLOAT_FUNCTOR(Erf, std::erf(x))
PT_FLOAT_FUNCTOR(Floor, std::floor(x))
PT_FLOAT_FUNCTOR(Ceil, std::ceil(x))
PT_FLOAT_FUNCTOR(Round, std::nearbyint(x))  // half to even, as torch.round
PT_FLOAT_FUNCTOR(Trunc, std::trunc(x))
#undef PT_FLOAT_FUNCTOR

// Negating bool is rejected before the kernel runs.
struct Neg {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return x;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(x));
    else return -x;
  }
};
struct Abs {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::abs(x);
    else if constexpr (std::is_signed_v<T>) return x < 0 ? Neg{}(x) : x;
    else return x;
  }
};
struct Relu {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return x != x ? x : (x > 0 ? x : T(0));
    else return x > 0 ? x : T(0);
  }
};
struct Sign {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return x;
    else if constexpr (std::is_floating_point_v<T>) return T((T(0) < x) - (x < T(0)));  // NaN -> 0, as torch
    else return static_cast<T>((T(0) < x) - (x < T(0)));
  }
};
struct Square {
  template <typename T> T operator()(T x) const { return static_cast<T>(x * x); }
};
struct BitwiseNot {
  template <typename T> T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return !x;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(~x);
    else return x;
  }
};

struct LogicalNot { template <typename T> bool operator()(T x) const { return x == T(0); } };
struct IsNan { template <typename T> bool operator()(T x) const { return x != x; } };
struct IsInf {
  template <typename T> bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isinf(x); else return false;
  }
};
struct IsFinite {
  template <typename T> bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isfinite(x); else return true;
  }
};

}  // namespace pt::cpu::ops
