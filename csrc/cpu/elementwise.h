// Elementwise kernels. The op lists are written once here; each op is a functor in
// binary_ops.h / unary_ops.h. Kernels assume validated, promoted, broadcast operands.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "cpu/loop.h"

namespace pt::cpu {

// Binary ops whose result has the compute dtype.
#define PT_FORALL_ARITH_OPS(_) \
  _(Add) _(Sub) _(Mul) _(Div) _(FloorDiv) _(Remainder) _(Pow) _(Maximum) _(Minimum) \
  _(BitwiseAnd) _(BitwiseOr) _(BitwiseXor) _(Atan2) _(Fmod) _(Hypot) _(LogAddExp) _(LogAddExp2) \
  _(Fmax) _(Fmin) _(Xlogy) _(Heaviside) _(Copysign) _(NextAfter) _(Gcd) _(Lcm)
// Binary ops whose result is bool.
#define PT_FORALL_PREDICATE_OPS(_) \
  _(Eq) _(Ne) _(Lt) _(Le) _(Gt) _(Ge) _(LogicalAnd) _(LogicalOr) _(LogicalXor)

enum class BinaryOp {
#define PT_ENUM_ENTRY(name) name,
  PT_FORALL_ARITH_OPS(PT_ENUM_ENTRY) PT_FORALL_PREDICATE_OPS(PT_ENUM_ENTRY)
#undef PT_ENUM_ENTRY
};
bool is_predicate(BinaryOp op);
const char* binary_op_name(BinaryOp op);

// Unary ops. "float" ops promote integer inputs to the default float dtype.
#define PT_FORALL_FLOAT_UNARY_OPS(_) \
  _(Exp) _(Log) _(Log1p) _(Expm1) _(Sqrt) _(Rsqrt) _(Sin) _(Cos) _(Tan) _(Tanh) _(Sigmoid) \
  _(Reciprocal) _(Log2) _(Log10) _(Exp2) _(Asin) _(Acos) _(Atan) _(Sinh) _(Cosh) _(Erf) \
  _(Erfc) _(Erfinv) _(Lgamma) _(Digamma) _(Trigamma) _(Acosh) _(Asinh) _(Atanh) _(Deg2Rad) \
  _(Rad2Deg) _(Sinc) _(Logit)
// Frac is defined for floats only and does not promote (ints are rejected, as torch).
#define PT_FORALL_SAME_UNARY_OPS(_) \
  _(Neg) _(Abs) _(Relu) _(Sign) _(Floor) _(Ceil) _(Round) _(Trunc) _(Square) _(BitwiseNot) _(Frac)
#define PT_FORALL_PREDICATE_UNARY_OPS(_) \
  _(LogicalNot) _(IsNan) _(IsInf) _(IsFinite) _(IsPosInf) _(IsNegInf) _(SignBit)

enum class UnaryOp {
#define PT_ENUM_ENTRY(name) name,
  PT_FORALL_FLOAT_UNARY_OPS(PT_ENUM_ENTRY) PT_FORALL_SAME_UNARY_OPS(PT_ENUM_ENTRY)
      PT_FORALL_PREDICATE_UNARY_OPS(PT_ENUM_ENTRY)
#undef PT_ENUM_ENTRY
};
enum class UnaryKind { Float, Same, Predicate };
UnaryKind unary_kind(UnaryOp op);
const char* unary_op_name(UnaryOp op);

// out = op(a, b). Operands: {out, a, b}; a and b hold `compute`, out holds `compute` (arith)
// or bool (predicates).
void binary_kernel(BinaryOp op, DType compute, const Shape& sizes, const StridedOperands<3>& ops);
// out = op(a). Operands: {out, a}; both of dtype `dtype`, or out bool for predicates.
void unary_kernel(UnaryOp op, DType dtype, const Shape& sizes, const StridedOperands<2>& ops);
// out = clamp(a, lo, hi) with optional bounds, in dtype.
void clamp_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& ops, const double* lo,
                  const double* hi);
// out = nan_to_num(a) in a float dtype; null posinf/neginf: the dtype's largest/lowest value.
void nan_to_num_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& ops, double nan,
                       const double* posinf, const double* neginf);
// out = cond ? a : b. Operands {out, cond(bool), a, b}.
void where_kernel(DType dtype, const Shape& sizes, const StridedOperands<4>& ops);
// dst = src with dtype conversion. Operands {dst, src}.
void copy_kernel(DType dst_dtype, DType src_dtype, const Shape& sizes, const StridedOperands<2>& ops);
// Fills every element of a strided tensor with one value (already in dtype's bytes).
void fill_kernel(DType dtype, const Shape& sizes, char* data, const Shape& byte_strides,
                 const void* value);

}  // namespace pt::cpu
