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
PT_FLOAT_FUNCTOR(Erfc, std::erfc(x))
PT_FLOAT_FUNCTOR(Lgamma, std::lgamma(x))
PT_FLOAT_FUNCTOR(Acosh, std::acosh(x))
PT_FLOAT_FUNCTOR(Asinh, std::asinh(x))
PT_FLOAT_FUNCTOR(Atanh, std::atanh(x))
PT_FLOAT_FUNCTOR(Frac, x - std::trunc(x))
// torch multiplies by the constant rounded to T (self * M_PI_180 with a wrapped number).
PT_FLOAT_FUNCTOR(Deg2Rad, x * T(0.017453292519943295769236907684886127134428718885417))
PT_FLOAT_FUNCTOR(Rad2Deg, x * T(57.295779513082320876798154814105170332405472466564))
// logit without eps; logit(x, eps) clamps to [eps, 1 - eps] first (ops/elementwise.cpp).
PT_FLOAT_FUNCTOR(Logit, std::log(x / (T(1) - x)))
#undef PT_FLOAT_FUNCTOR

template <typename T> constexpr T kPi = T(3.14159265358979323846264338327950288);
// numeric_limits is host-only in CUDA code; the C macros work in both.
template <typename T> constexpr T kInf = static_cast<T>(INFINITY);
template <typename T> constexpr T kNaN = static_cast<T>(NAN);

struct Sinc {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (x == T(0)) return T(1);
      const T product = kPi<T> * x;
      return std::sin(product) / product;
    } else {
      return x;
    }
  }
};

// torch's calc_erfinv: a rational first guess refined by two Newton steps.
struct Erfinv {
  template <typename T> PT_HOST_DEVICE T operator()(T y) const {
    if constexpr (std::is_floating_point_v<T>) {
      const T a[4] = {T(0.886226899), T(-1.645349621), T(0.914624893), T(-0.140543331)};
      const T b[4] = {T(-2.118377725), T(1.442710462), T(-0.329097515), T(0.012229801)};
      const T c[4] = {T(-1.970840454), T(-1.624906493), T(3.429567803), T(1.641345311)};
      const T d[2] = {T(3.543889200), T(1.637067800)};
      const T y_abs = std::abs(y);
      if (y_abs > T(1)) return kNaN<T>;
      if (y_abs == T(1)) return std::copysign(kInf<T>, y);
      T x;
      if (y_abs <= T(0.7)) {
        const T z = y * y;
        const T num = ((a[3] * z + a[2]) * z + a[1]) * z + a[0];
        const T dem = (((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + T(1);
        x = y * num / dem;
      } else {
        const T z = std::sqrt(-std::log((T(1) - y_abs) / T(2)));
        const T num = ((c[3] * z + c[2]) * z + c[1]) * z + c[0];
        const T dem = (d[1] * z + d[0]) * z + T(1);
        x = std::copysign(num, y) / dem;
      }
      const T two_over_sqrt_pi = T(1.12837916709551257389615890312154517);
      x = x - (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
      x = x - (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
      return x;
    } else {
      return y;
    }
  }
};

// torch's calc_digamma: reflection for x < 0, recurrence up to x >= 10, then the asymptotic
// series. Written as a loop (no recursion) so the CUDA kernel runs it unchanged.
struct Digamma {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (x == T(0)) return std::copysign(kInf<T>, -x);  // as torch
      T reflection = 0;  // digamma(x) = digamma(1 - x) - pi / tan(pi x) for x < 0
      if (x < T(0)) {
        if (x == std::trunc(x)) return kNaN<T>;  // poles, and -inf
        reflection = kPi<T> / std::tan(kPi<T> * (x - std::trunc(x)));
        x = T(1) - x;
      }
      T result = 0;
      while (x < T(10)) {
        result -= T(1) / x;
        x += T(1);
      }
      if (x == T(10)) return result + T(2.25175258906672110764) - reflection;
      const T A[] = {T(8.33333333333333333333E-2),  T(-2.10927960927960927961E-2), T(7.57575757575757575758E-3),
                     T(-4.16666666666666666667E-3), T(3.96825396825396825397E-3),  T(-8.33333333333333333333E-3),
                     T(8.33333333333333333333E-2)};
      T y = 0;
      if (x < T(1.0e17)) {
        const T z = T(1) / (x * x);
        T poly = A[0];
        for (int i = 1; i < 7; ++i) poly = poly * z + A[i];
        y = z * poly;
      }
      return result + std::log(x) - (T(0.5) / x) - y - reflection;
    } else {
      return x;
    }
  }
};

// polygamma(1, x), torch's calc_trigamma: the gradient of digamma.
struct Trigamma {
  template <typename T> PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      T sign = 1, result = 0;
      if (x < T(0.5)) {
        sign = -1;
        const T s = std::sin(kPi<T> * x);
        result -= (kPi<T> * kPi<T>) / (s * s);
        x = T(1) - x;
      }
      for (int i = 0; i < 6; ++i) {
        result += T(1) / (x * x);
        x += T(1);
      }
      const T ixx = T(1) / (x * x);
      result += (T(1) + T(1) / (T(2) * x) + ixx * (T(1) / T(6) - ixx * (T(1) / T(30) - ixx * (T(1) / T(42))))) / x;
      return sign * result;
    } else {
      return x;
    }
  }
};

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
struct IsPosInf {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return x == kInf<T>; else return false;
  }
};
struct IsNegInf {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return x == -kInf<T>; else return false;
  }
};
// The sign bit itself: true for -0.0 and for a NaN with its sign bit set, as torch.
struct SignBit {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::signbit(x);
    else if constexpr (std::is_signed_v<T>) return x < T(0);
    else return false;
  }
};
struct IsFinite {
  template <typename T> PT_HOST_DEVICE bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isfinite(x); else return true;
  }
};

// clamp(x, lo, hi) with optional bounds, as torch.clamp: a NaN element stays NaN, and a NaN
// bound makes every float element NaN. Made on the host from the op's double bounds; the CPU
// and CUDA kernels both run it. Selects, not branches, so that the CPU loop vectorizes: an
// absent bound is T's extreme, which no comparison passes, and `x < lo ? lo : x` keeps a NaN x
// (the comparison is false), as does `> hi`.
template <typename T> struct Clamp {
  T lo{}, hi{}, nan{};
  bool nan_bound = false;

  Clamp(const double* l, const double* h)
      : lo(l ? static_cast<T>(*l) : std::numeric_limits<T>::lowest()),
        hi(h ? static_cast<T>(*h) : std::numeric_limits<T>::max()),
        nan_bound((l && std::isnan(*l)) || (h && std::isnan(*h))) {
    if constexpr (std::is_floating_point_v<T>) {
      nan = std::numeric_limits<T>::quiet_NaN();
      if (!l) lo = -std::numeric_limits<T>::infinity();
      if (!h) hi = std::numeric_limits<T>::infinity();
    }
  }
  PT_HOST_DEVICE T operator()(T x) const {
    x = x < lo ? lo : x;
    x = x > hi ? hi : x;
    if constexpr (std::is_floating_point_v<T>) return nan_bound ? nan : x;
    else return x;
  }
};

// nan_to_num: NaN, +inf and -inf replaced by the given values (defaults: 0 and T's largest and
// lowest finite values). Made on the host from the op's doubles, as Clamp.
template <typename T> struct NanToNum {
  T nan{}, posinf{}, neginf{};

  NanToNum(double n, const double* p, const double* ng)
      : nan(static_cast<T>(n)), posinf(p ? static_cast<T>(*p) : std::numeric_limits<T>::max()),
        neginf(ng ? static_cast<T>(*ng) : std::numeric_limits<T>::lowest()) {}
  PT_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (x != x) return nan;
      if (x == kInf<T>) return posinf;
      if (x == -kInf<T>) return neginf;
    }
    return x;
  }
};

}  // namespace pt::cpu::ops
