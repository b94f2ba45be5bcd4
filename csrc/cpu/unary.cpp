#include <cmath>
#include <limits>

#include "core/errors.h"
#include "cpu/elementwise.h"
#include "cpu/kernel_loops.h"
#include "cpu/unary_ops.h"

namespace pt::cpu {

UnaryKind unary_kind(UnaryOp op) {
  switch (op) {
#define PT_CASE(name) case UnaryOp::name:
    PT_FORALL_FLOAT_UNARY_OPS(PT_CASE) return UnaryKind::Float;
    PT_FORALL_SAME_UNARY_OPS(PT_CASE) return UnaryKind::Same;
    PT_FORALL_PREDICATE_UNARY_OPS(PT_CASE) return UnaryKind::Predicate;
#undef PT_CASE
  }
  return UnaryKind::Same;
}

const char* unary_op_name(UnaryOp op) {
  switch (op) {
#define PT_CASE(name) case UnaryOp::name: return #name;
    PT_FORALL_FLOAT_UNARY_OPS(PT_CASE) PT_FORALL_SAME_UNARY_OPS(PT_CASE)
        PT_FORALL_PREDICATE_UNARY_OPS(PT_CASE)
#undef PT_CASE
  }
  return "?";
}

void unary_kernel(UnaryOp op, DType dtype, const Shape& sizes, const StridedOperands<2>& operands) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
#define PT_FLOAT_CASE(name)                                                   \
  case UnaryOp::name:                                                         \
    if constexpr (std::is_floating_point_v<T>) {                              \
      return run_unary<T, T>(sizes, operands, ops::name{});                   \
    } else {                                                                  \
      throw TypeError(str_cat(#name, " expects a floating point input"));     \
    }
      PT_FORALL_FLOAT_UNARY_OPS(PT_FLOAT_CASE)
#undef PT_FLOAT_CASE
#define PT_SAME_CASE(name) \
  case UnaryOp::name: return run_unary<T, T>(sizes, operands, ops::name{});
      PT_FORALL_SAME_UNARY_OPS(PT_SAME_CASE)
#undef PT_SAME_CASE
#define PT_PRED_CASE(name) \
  case UnaryOp::name: return run_unary<bool, T>(sizes, operands, ops::name{});
      PT_FORALL_PREDICATE_UNARY_OPS(PT_PRED_CASE)
#undef PT_PRED_CASE
    }
  });
}

void clamp_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& operands, const double* lo,
                  const double* hi) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    run_unary<T, T>(sizes, operands, ops::Clamp<T>(lo, hi));
  });
}

void nan_to_num_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& operands, double nan,
                       const double* posinf, const double* neginf) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      run_unary<T, T>(sizes, operands, ops::NanToNum<T>(nan, posinf, neginf));
    } else {
      throw TypeError("nan_to_num_kernel expects a floating point input");
    }
  });
}

void where_kernel(DType dtype, const Shape& sizes, const StridedOperands<4>& operands) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    // Both inputs are read and the result selected without a branch: a branch on a random
    // condition mispredicts half the time; a select vectorizes on contiguous runs.
    for_each_run<4>(sizes, operands, [](char** p, const int64_t* s, int64_t n) {
      if (s[0] == sizeof(T) && s[1] == sizeof(bool) && s[2] == sizeof(T) && s[3] == sizeof(T)) {
        T* out = reinterpret_cast<T*>(p[0]);
        const unsigned char* c = reinterpret_cast<const unsigned char*>(p[1]);  // gcc vectorizes no bool loads
        const T* a = reinterpret_cast<const T*>(p[2]);
        const T* b = reinterpret_cast<const T*>(p[3]);
        for (int64_t i = 0; i < n; ++i) {
          const T av = a[i], bv = b[i];
          out[i] = c[i] ? av : bv;
        }
        return;
      }
      for (int64_t i = 0; i < n; ++i) {
        const bool c = *reinterpret_cast<const bool*>(p[1] + i * s[1]);
        const T av = *reinterpret_cast<const T*>(p[2] + i * s[2]);
        const T bv = *reinterpret_cast<const T*>(p[3] + i * s[3]);
        *reinterpret_cast<T*>(p[0] + i * s[0]) = c ? av : bv;
      }
    });
  });
}

}  // namespace pt::cpu
