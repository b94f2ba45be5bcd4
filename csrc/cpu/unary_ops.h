// One functor per unary op. Float ops only ever see float/double (integers are promoted
// first); the others see every dtype. PT_HOST_DEVICE: the CUDA kernels (cuda/elementwise.cu)
// run these same functors, so both backends compute one formula per op.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <type_traits>

#include "core/macros.h"
#include "cpu/vec_math.h"

namespace pt::cpu::ops {

#define PT_FLOAT_FUNCTOR(Name, expr)                                            \
  struct Name {                                                                 \
    template <typename T> PT_HOST_DEVICE T operator()(T x) const {              \
      if constexpr (std::is_floating_point_v<T>) return (expr); else return x;  \
    }                                                                           \
  };
// exp and sigmoid have SIMD array forms for float32 (see run_unary); float64 takes libm.
struct Exp {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::exp(x); else return x;
  }
  void array(const float* x, float* y, int64_t n) const { vec::exp(x, y, n); }
};
struct Sigmoid {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return T(1) / (T(1) + std::exp(-x)); else return x;
  }
  void array(const float* x, float* y, int64_t n) const { vec::sigmoid(x, y, n); }
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
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return x;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(x));
    else return -x;
  }
};
struct Abs {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::abs(x);
    else if constexpr (std::is_signed_v<T>) return x < 0 ? Neg{}(x) : x;
    else return x;
  }
};
struct Relu {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return x != x ? x : (x > 0 ? x : T(0));
    else return x > 0 ? x : T(0);
  }
};
struct Sign {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return x;
    else if constexpr (std::is_floating_point_v<T>) return T((T(0) < x) - (x < T(0)));  // NaN -> 0, as torch
    else if constexpr (std::is_unsigned_v<T>) return static_cast<T>(x != 0);
    else return static_cast<T>((T(0) < x) - (x < T(0)));
  }
};
struct Square {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const { return static_cast<T>(x * x); }
};
struct BitwiseNot {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) return !x;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(~x);
    else return x;
  }
};

struct LogicalNot { template <typename T> PT_HOST_DEVICE bool operator()(T x) const { return x == T(0); } };
struct IsNan { template <typename T> PT_HOST_DEVICE bool operator()(T x) const { return x != x; } };
struct IsInf {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isinf(x); else return false;
  }
};
struct IsFinite {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isfinite(x); else return true;
  }
};

// clamp(x, lo, hi) with optional bounds, as torch.clamp: a NaN element stays NaN, and a NaN
// bound makes every float element NaN. Made on the host from the op's double bounds; the CPU
// and CUDA kernels both run it.
template <typename T> struct Clamp {
  T lo{}, hi{}, nan{};
  bool has_lo = false, has_hi = false, nan_bound = false;

  Clamp(const double* l, const double* h)
      : lo(l ? static_cast<T>(*l) : T(0)), hi(h ? static_cast<T>(*h) : T(0)), has_lo(l != nullptr),
        has_hi(h != nullptr), nan_bound((l && std::isnan(*l)) || (h && std::isnan(*h))) {
    if constexpr (std::is_floating_point_v<T>) nan = std::numeric_limits<T>::quiet_NaN();
  }
  PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (nan_bound) return nan;
      if (x != x) return x;
    }
    if (has_lo && x < lo) x = lo;
    if (has_hi && x > hi) x = hi;
    return x;
  }
};

}  // namespace pt::cpu::ops
