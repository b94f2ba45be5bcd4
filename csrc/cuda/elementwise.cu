// CUDA binary, unary, clamp and where kernels. Each runs the CPU backend's functor for its op
// (cpu/binary_ops.h, cpu/unary_ops.h) inside the one strided grid-stride kernel of
// strided_index.h: one instantiation per (op, dtype) that the ops layer can ask for, none per
// layout. Combinations the ops layer rejects beforehand are not compiled at all.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/errors.h"
#include "cpu/binary_ops.h"
#include "cpu/unary_ops.h"
#include "cuda/elementwise.h"
#include "cuda/strided_index.h"

namespace pt::cuda {

namespace {

namespace ops = cpu::ops;

template <typename T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;
template <typename T>
constexpr bool kIsBool = std::is_same_v<T, bool>;
template <typename A, typename... B>
constexpr bool kOneOf = (std::is_same_v<A, B> || ...);

// An input as a kernel reads it: from memory, or a host scalar's value carried in the kernel's
// arguments (its address is never dereferenced then).
template <typename T>
struct Input {
  T value{};
  bool by_value = false;
  __device__ T load(const char* p) const { return by_value ? value : *reinterpret_cast<const T*>(p); }
};

// Operand k as an Input: a host scalar (bit k of host_scalars) is read here, on the host, and
// its address dropped from `data`.
template <typename T, size_t N>
Input<T> input(const StridedOperands<N>& operands, size_t k, unsigned host_scalars, std::array<char*, N>& data) {
  Input<T> in;
  if ((host_scalars >> k) & 1u) {
    std::memcpy(&in.value, operands.data[k], sizeof(T));
    in.by_value = true;
    data[k] = nullptr;
  }
  return in;
}

[[noreturn]] void not_implemented(const char* op, DType dtype) {
  throw NotImplementedError(str_cat("\"", op, "_cuda\" not implemented for '", dtype_torch_name(dtype), "'"));
}

// ---- binary ----------------------------------------------------------------------------------

// The (op, dtype) pairs that ops/elementwise.cpp can send: it promotes div/atan2 to a float
// type and rejects bitwise ops on floats, and sub/floor_divide/remainder/fmod/pow on bool.
template <typename Op, typename T>
constexpr bool binary_supported() {
  if constexpr (kOneOf<Op, ops::Div, ops::Atan2>) return kIsFloat<T>;
  else if constexpr (kOneOf<Op, ops::BitwiseAnd, ops::BitwiseOr, ops::BitwiseXor>) return !kIsFloat<T>;
  else if constexpr (kOneOf<Op, ops::Sub, ops::FloorDiv, ops::Remainder, ops::Fmod, ops::Pow>) return !kIsBool<T>;
  else return ops::op_supports<Op, T>::value;
}

template <typename Out, typename In, typename Op>
struct BinaryFn {
  Input<In> a, b;
  __device__ void operator()(char* const* p) const {
    *reinterpret_cast<Out*>(p[0]) = Op{}(a.load(p[1]), b.load(p[2]));
  }
};

template <typename Out, typename In, typename Op>
void run_binary(BinaryOp op, const Shape& sizes, const StridedOperands<3>& operands, unsigned host_scalars) {
  if constexpr (binary_supported<Op, In>()) {
    std::array<char*, 3> data = operands.data;
    BinaryFn<Out, In, Op> f{input<In>(operands, 1, host_scalars, data), input<In>(operands, 2, host_scalars, data)};
    launch_elementwise<3>(sizes, data, operands.byte_strides, f);
  } else {
    not_implemented(cpu::binary_op_name(op), CTypeToDType<In>::value);
  }
}

// ---- unary -----------------------------------------------------------------------------------

// Same-dtype ops the ops layer can send: it rejects bool for neg/abs/relu/floor/ceil/round/
// trunc (and computes bool square in int64), and floats for bitwise_not.
template <typename Op, typename T>
constexpr bool unary_supported() {
  if constexpr (std::is_same_v<Op, ops::BitwiseNot>) return !kIsFloat<T>;
  else if constexpr (std::is_same_v<Op, ops::Frac>) return kIsFloat<T>;
  else if constexpr (kOneOf<Op, ops::Neg, ops::Abs, ops::Relu, ops::Floor, ops::Ceil, ops::Round, ops::Trunc,
                            ops::Square>) return !kIsBool<T>;
  else return true;
}

template <typename Out, typename In, typename Op>
struct UnaryFn {
  Op op{};
  __device__ void operator()(char* const* p) const {
    *reinterpret_cast<Out*>(p[0]) = op(*reinterpret_cast<const In*>(p[1]));
  }
};

template <typename Out, typename In, typename Op>
void run_unary(UnaryOp op, const Shape& sizes, const StridedOperands<2>& operands) {
  if constexpr (unary_supported<Op, In>()) {
    launch_elementwise<2>(sizes, operands.data, operands.byte_strides, UnaryFn<Out, In, Op>{});
  } else {
    not_implemented(cpu::unary_op_name(op), CTypeToDType<In>::value);
  }
}

// ---- clamp, where ----------------------------------------------------------------------------

template <typename T>
struct WhereFn {
  Input<bool> cond;
  Input<T> a, b;
  __device__ void operator()(char* const* p) const {
    *reinterpret_cast<T*>(p[0]) = cond.load(p[1]) ? a.load(p[2]) : b.load(p[3]);
  }
};

}  // namespace

void binary_kernel(BinaryOp op, DType compute, const Shape& sizes, const StridedOperands<3>& operands,
                   unsigned host_scalars) {
  dispatch_dtype(compute, [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
#define PT_ARITH_CASE(name) \
  case BinaryOp::name: return run_binary<T, T, ops::name>(op, sizes, operands, host_scalars);
      PT_FORALL_ARITH_OPS(PT_ARITH_CASE)
#undef PT_ARITH_CASE
#define PT_PRED_CASE(name) \
  case BinaryOp::name: return run_binary<bool, T, ops::name>(op, sizes, operands, host_scalars);
      PT_FORALL_PREDICATE_OPS(PT_PRED_CASE)
#undef PT_PRED_CASE
    }
  });
}

void unary_kernel(UnaryOp op, DType dtype, const Shape& sizes, const StridedOperands<2>& operands) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    switch (op) {
#define PT_FLOAT_CASE(name)                                               \
  case UnaryOp::name:                                                     \
    if constexpr (kIsFloat<T>) {                                          \
      return run_unary<T, T, ops::name>(op, sizes, operands);             \
    } else {                                                              \
      throw TypeError(str_cat(#name, " expects a floating point input")); \
    }
      PT_FORALL_FLOAT_UNARY_OPS(PT_FLOAT_CASE)
#undef PT_FLOAT_CASE
#define PT_SAME_CASE(name) \
  case UnaryOp::name: return run_unary<T, T, ops::name>(op, sizes, operands);
      PT_FORALL_SAME_UNARY_OPS(PT_SAME_CASE)
#undef PT_SAME_CASE
#define PT_PRED_CASE(name) \
  case UnaryOp::name: return run_unary<bool, T, ops::name>(op, sizes, operands);
      PT_FORALL_PREDICATE_UNARY_OPS(PT_PRED_CASE)
#undef PT_PRED_CASE
    }
  });
}

void clamp_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& operands, const double* lo,
                  const double* hi) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    launch_elementwise<2>(sizes, operands.data, operands.byte_strides,
                          UnaryFn<T, T, ops::Clamp<T>>{ops::Clamp<T>(lo, hi)});
  });
}

void nan_to_num_kernel(DType dtype, const Shape& sizes, const StridedOperands<2>& operands, double nan,
                       const double* posinf, const double* neginf) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kIsFloat<T>) {
      launch_elementwise<2>(sizes, operands.data, operands.byte_strides,
                            UnaryFn<T, T, ops::NanToNum<T>>{ops::NanToNum<T>(nan, posinf, neginf)});
    } else {
      not_implemented("nan_to_num", dtype);
    }
  });
}

void where_kernel(DType dtype, const Shape& sizes, const StridedOperands<4>& operands, unsigned host_scalars) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    std::array<char*, 4> data = operands.data;
    WhereFn<T> f{input<bool>(operands, 1, host_scalars, data), input<T>(operands, 2, host_scalars, data),
                 input<T>(operands, 3, host_scalars, data)};
    launch_elementwise<4>(sizes, data, operands.byte_strides, f);
  });
}

}  // namespace pt::cuda
