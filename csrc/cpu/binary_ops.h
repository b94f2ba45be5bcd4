// One functor per binary op; T is the compute dtype's C++ type. PT_HOST_DEVICE: the CUDA
// kernels (cuda/elementwise.cu) run these same functors.
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "core/macros.h"

namespace pt::cpu::ops {

template <typename T> constexpr bool kFloat = std::is_floating_point_v<T>;

// x < 0, spelled so that unsigned types compile without nvcc's "pointless comparison" warning.
template <typename T> PT_HOST_DEVICE constexpr bool negative(T x) {
  if constexpr (std::is_signed_v<T>) return x < T(0); else return false;
}

struct Add { template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const { return a + b; } };
struct Sub { template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const { return a - b; } };
struct Mul {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) return a && b; else return a * b;
  }
};
struct Div { template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const { return a / b; } };

// Python's floor division. Integer divisors are checked non-zero before CPU kernels run (a GPU
// does not trap, and torch does not check there).
struct FloorDiv {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      if (b == 0) return a / b;
      T mod = std::fmod(a, b);
      T div = (a - mod) / b;
      if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
      if (div == 0) return std::copysign(T(0), a / b);
      T floordiv = std::floor(div);
      if (div - floordiv > T(0.5)) floordiv += 1;
      return floordiv;
    } else if constexpr (std::is_same_v<T, bool>) {
      return a;
    } else {
      if (std::is_signed_v<T> && b == T(-1)) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a));
      T q = a / b;
      if ((a % b != 0) && (negative(a) != negative(b))) q -= 1;
      return q;
    }
  }
};

// Python's modulo: the result takes the divisor's sign.
struct Remainder {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      T mod = std::fmod(a, b);
      if (mod != 0 && (b < 0) != (mod < 0)) mod += b;
      return mod;
    } else if constexpr (std::is_same_v<T, bool>) {
      return false;
    } else {
      if (std::is_signed_v<T> && b == T(-1)) return 0;
      T mod = a % b;
      if (mod != 0 && negative(b) != negative(mod)) mod += b;
      return mod;
    }
  }
};

// C's fmod: the result takes the dividend's sign.
struct Fmod {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::fmod(a, b);
    else if constexpr (std::is_same_v<T, bool>) return false;
    else return (std::is_signed_v<T> && b == T(-1)) ? T(0) : T(a % b);
  }
};

struct Pow {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      return std::pow(a, b);
    } else if constexpr (std::is_same_v<T, bool>) {
      return a || !b;
    } else {
      // As torch's powi: a negative exponent truncates 1/a**|b| (a Python-number exponent was
      // rejected before the kernel runs).
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) return a == 1 ? T(1) : a == -1 ? T((b & 1) ? -1 : 1) : T(0);
      }
      T result = 1;
      T base = a;
      auto e = b;
      while (e > 0) {
        if (e & 1) result = static_cast<T>(result * base);
        base = static_cast<T>(base * base);
        e = static_cast<T>(e >> 1);
      }
      return result;
    }
  }
};

// NaN-propagating, as torch.maximum / torch.minimum.
struct Maximum {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return a > b ? a : b;
  }
};
struct Minimum {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return a < b ? a : b;
  }
};

// Bitwise ops are rejected for floats before the kernel runs.
struct BitwiseAnd {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return 0; else return static_cast<T>(a & b);
  }
};
struct BitwiseOr {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return 0; else return static_cast<T>(a | b);
  }
};
struct BitwiseXor {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return 0; else return static_cast<T>(a ^ b);
  }
};
struct Atan2 {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::atan2(a, b); else return 0;
  }
};

// The ops below declare the compute dtypes they are defined for (`supports<T>`); the ops layer
// rejects the others with torch's errors, and the kernels instantiate nothing for them.
template <typename T> constexpr bool kInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <typename Op, typename T, typename = void> struct op_supports : std::true_type {};
template <typename Op, typename T>
struct op_supports<Op, T, std::void_t<decltype(Op::template supports<T>)>>
    : std::bool_constant<Op::template supports<T>> {};

struct Hypot {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::hypot(a, b); else return 0;
  }
};
// As torch: equal infinities give themselves (inf - inf would be NaN).
struct LogAddExp {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      if (std::isinf(a) && a == b) return a;
      const T m = a < b ? b : a;
      return m + std::log1p(std::exp(-std::abs(a - b)));
    } else {
      return 0;
    }
  }
};
struct LogAddExp2 {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) {
      if (std::isinf(a) && a == b) return a;
      const T m = a < b ? b : a;
      return m + std::log1p(std::exp2(-std::abs(a - b))) * T(1.44269504088896340735992468100189214);
    } else {
      return 0;
    }
  }
};
// NaN-ignoring maximum / minimum: a NaN loses to a number.
struct Fmax {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::fmax(a, b); else return a > b ? a : b;
  }
};
struct Fmin {
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::fmin(a, b); else return a < b ? a : b;
  }
};
// x * log(y), 0 where x == 0 unless y is NaN.
struct Xlogy {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T x, T y) const {
    if constexpr (kFloat<T>) {
      if (y != y) return y;
      if (x == T(0)) return T(0);
      return x * std::log(y);
    } else {
      return 0;
    }
  }
};
// 0 for x < 0 (and NaN), `values` at 0, 1 above: torch's formula.
struct Heaviside {
  template <typename T> PT_HOST_DEVICE T operator()(T x, T values) const {
    return x == T(0) ? values : static_cast<T>(x > T(0));
  }
};
struct Copysign {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::copysign(a, b); else return 0;
  }
};
struct NextAfter {
  template <typename T> static constexpr bool supports = kFloat<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kFloat<T>) return std::nextafter(a, b); else return 0;
  }
};
// torch's calc_gcd: Euclid on absolute values (the most negative value stays itself, as there).
struct Gcd {
  template <typename T> static constexpr bool supports = kInteger<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kInteger<T>) {
      a = negative(a) ? static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a)) : a;
      b = negative(b) ? static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(b)) : b;
      while (a != 0) {
        const T c = a;
        a = static_cast<T>(b % a);
        b = c;
      }
      return b;
    } else {
      return 0;
    }
  }
};
struct Lcm {
  template <typename T> static constexpr bool supports = kInteger<T>;
  template <typename T> PT_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kInteger<T>) {
      const T g = Gcd{}(a, b);
      if (g == 0) return 0;
      const T r = static_cast<T>(a / g * b);
      return negative(r) ? static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(r)) : r;
    } else {
      return 0;
    }
  }
};

struct Eq { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a == b; } };
struct Ne { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a != b; } };
struct Lt { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a < b; } };
struct Le { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a <= b; } };
struct Gt { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a > b; } };
struct Ge { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a >= b; } };
struct LogicalAnd { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a != T(0) && b != T(0); } };
struct LogicalOr { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return a != T(0) || b != T(0); } };
struct LogicalXor { template <typename T> PT_HOST_DEVICE bool operator()(T a, T b) const { return (a != T(0)) != (b != T(0)); } };

}  // namespace pt::cpu::ops
