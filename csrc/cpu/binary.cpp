#include "core/errors.h"
#include "cpu/binary_ops.h"
#include "cpu/elementwise.h"
#include "cpu/kernel_loops.h"

namespace pt::cpu {

bool is_predicate(BinaryOp op) {
  switch (op) {
#define PT_PRED_CASE(name) case BinaryOp::name:
    PT_FORALL_PREDICATE_OPS(PT_PRED_CASE)
#undef PT_PRED_CASE
    return true;
    default: return false;
  }
}

const char* binary_op_name(BinaryOp op) {
  switch (op) {
#define PT_NAME_CASE(name) case BinaryOp::name: return #name;
    PT_FORALL_ARITH_OPS(PT_NAME_CASE) PT_FORALL_PREDICATE_OPS(PT_NAME_CASE)
#undef PT_NAME_CASE
  }
  return "?";
}

void binary_kernel(BinaryOp op, DType compute, const Shape& sizes, const StridedOperands<3>& operands) {
  dispatch_dtype(compute, [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
#define PT_ARITH_CASE(name)                                                                       \
  case BinaryOp::name:                                                                            \
    if constexpr (ops::op_supports<ops::name, T>::value) {                                       \
      return run_binary<T, T>(sizes, operands, ops::name{});                                      \
    } else {                                                                                      \
      throw TypeError(str_cat(#name, " is not defined for ", dtype_torch_name(compute)));         \
    }
      PT_FORALL_ARITH_OPS(PT_ARITH_CASE)
#undef PT_ARITH_CASE
#define PT_PRED_CASE(name) \
  case BinaryOp::name: return run_binary<bool, T>(sizes, operands, ops::name{});
      PT_FORALL_PREDICATE_OPS(PT_PRED_CASE)
#undef PT_PRED_CASE
    }
  });
}

}  // namespace pt::cpu
