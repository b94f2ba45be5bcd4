// A Python number crossing into C++: it keeps its category (bool, int, float), which type
// promotion needs (a float scalar makes an int tensor float32, not float64).
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/dtype.h"

namespace pt {

struct Scalar {
  enum class Kind : int8_t { Bool, Int, Float };
  Kind kind = Kind::Int;
  int64_t i = 0;
  double d = 0;

  static Scalar from_bool(bool v) { return {Kind::Bool, v ? 1 : 0, v ? 1.0 : 0.0}; }
  static Scalar from_int(int64_t v) { return {Kind::Int, v, static_cast<double>(v)}; }
  static Scalar from_double(double v) { return {Kind::Float, static_cast<int64_t>(v), v}; }

  bool is_floating() const { return kind == Kind::Float; }
  // The dtype torch gives a wrapped number before promotion.
  DType natural_dtype() const {
    return kind == Kind::Float ? DType::Float64 : kind == Kind::Int ? DType::Int64 : DType::Bool;
  }
  template <typename T> T to() const {
    if constexpr (std::is_same_v<T, bool>) return kind == Kind::Float ? d != 0 : i != 0;
    else if constexpr (std::is_floating_point_v<T>) return static_cast<T>(kind == Kind::Float ? d : static_cast<double>(i));
    else return kind == Kind::Float ? static_cast<T>(d) : static_cast<T>(i);
  }
  // Writes the value converted to `dtype` into `out` (at least 8 bytes).
  void write_as(DType dtype, void* out) const {
    dispatch_dtype(dtype, [&](auto tag) {
      using T = decltype(tag);
      T v = to<T>();
      std::memcpy(out, &v, sizeof(T));
    });
  }
};

}  // namespace pt
