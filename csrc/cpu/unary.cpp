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
#define PT_SAME_CASE(name)                                                                    \
  case UnaryOp::name:                                                                         \
    if constexpr (!std::is_floating_point_v<T> && std::is_same_v<ops::name, ops::Frac>) {     \
      throw TypeError("Frac expects a floating point input");                                 \
    } else {                                                                                  \
      return run_unary<T, T>(sizes, operands, ops::name{});                                   \
    }
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
    for_each_run<4>(sizes, operands, [](char** p, const int64_t* s, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        bool c = *reinterpret_cast<const bool*>(p[1] + i * s[1]);
        *reinterpret_cast<T*>(p[0] + i * s[0]) =
            *reinterpret_cast<const T*>((c ? p[2] + i * s[2] : p[3] + i * s[3]));
      }
    });
  });
}

}  // namespace pt::cpu
