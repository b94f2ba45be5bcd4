// The argmax/argmin rule, shared by the CPU and CUDA reductions: the first index of the extreme
// value, where NaN beats every number and the first NaN wins (torch's rule). Ties are decided by
// index, so the rule holds whatever order partial results are combined in.
#pragma once
#include <cstdint>
#include <type_traits>

#include "core/macros.h"

namespace pt::cpu {

template <typename T> struct ValIdx {
  T v;
  int64_t i;  // -1: nothing seen yet
};

// a strictly beats b.
template <typename T, bool kMax> PT_HOST_DEVICE inline bool arg_beats(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return kMax ? (a && !b) : (!a && b);
  else if constexpr (std::is_floating_point_v<T>) return (kMax ? a > b : a < b) || (a != a && b == b);
  else return kMax ? a > b : a < b;
}

template <typename T, bool kMax> PT_HOST_DEVICE inline ValIdx<T> arg_combine(ValIdx<T> a, ValIdx<T> b) {
  if (a.i < 0) return b;
  if (b.i < 0) return a;
  if (arg_beats<T, kMax>(b.v, a.v)) return b;
  if (arg_beats<T, kMax>(a.v, b.v)) return a;
  return a.i <= b.i ? a : b;  // equal (or both NaN): the first index
}

}  // namespace pt::cpu
