// Elementwise ops: validate -> promote -> broadcast -> allocate -> dispatch to cpu/ kernels.
#pragma once
#include <optional>
#include <variant>

#include "core/scalar.h"
#include "core/tensor.h"
#include "cpu/elementwise.h"

namespace pt {

using TensorOrScalar = std::variant<Tensor, Scalar>;

// torch.result_type over tensors and wrapped Python numbers (three priority tiers).
DType result_type(const std::vector<TensorOrScalar>& operands);
DType result_type(const TensorOrScalar* const* operands, size_t n);

Tensor binary(cpu::BinaryOp op, const TensorOrScalar& a, const TensorOrScalar& b);
// a = op(a, b); returns a. Checks shapes and castability before writing.
Tensor binary_(cpu::BinaryOp op, const Tensor& a, const TensorOrScalar& b);

Tensor unary(cpu::UnaryOp op, const Tensor& a);
Tensor unary_(cpu::UnaryOp op, const Tensor& a);

Tensor clamp(const Tensor& a, std::optional<Scalar> lo, std::optional<Scalar> hi);
Tensor clamp_(const Tensor& a, std::optional<Scalar> lo, std::optional<Scalar> hi);
// NaN -> nan, +inf -> posinf, -inf -> neginf (defaults: the dtype's largest and lowest values);
// integer and bool tensors come back as a copy.
Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf);
Tensor nan_to_num_(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf);
// log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given and >= 0.
Tensor logit(const Tensor& a, std::optional<double> eps);
Tensor logit_(const Tensor& a, std::optional<double> eps);
Tensor where(const Tensor& cond, const TensorOrScalar& a, const TensorOrScalar& b);

// Raises unless `t` may be written in place (writable storage, no self-overlapping dims).
void check_writable(const TensorImpl& t);

}  // namespace pt
