#include "ops/elementwise.h"

#include <algorithm>
#include <atomic>
#include <optional>

#include "core/errors.h"
#include "cuda/elementwise.h"
#include "cuda/runtime.h"
#include "ops/copy.h"

namespace pt {

using cpu::BinaryOp;
using cpu::StridedOperands;
using cpu::UnaryKind;
using cpu::UnaryOp;

namespace {

// torch's combine_categories: a higher tier wins unless a lower tier brings a higher category
// (float over int over bool), in which case the lower tier's type joins in.
std::optional<DType> combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  if (is_floating(*higher)) return higher;
  if (*higher == DType::Bool || is_floating(*lower)) return promote_types(*higher, *lower);
  return higher;
}

std::optional<DType> promote(std::optional<DType> acc, DType d) {
  return acc ? promote_types(*acc, d) : d;
}

Shape byte_strides(const Shape& strides, size_t itemsize) {
  Shape out(strides.size());
  for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i] * static_cast<int64_t>(itemsize);
  return out;
}

const TensorImpl* tensor_of(const TensorOrScalar& x) {
  auto* t = std::get_if<Tensor>(&x);
  return t ? t->get() : nullptr;
}

[[noreturn]] void device_mismatch(Device a, Device b) {
  throw RuntimeError(str_cat("Expected all tensors to be on the same device, but found at least two devices, ",
                             a.str(), " and ", b.str(), "!"));
}

// The device an op runs on, as torch's TensorIterator picks it: the first non-CPU device among
// the output (if given) and the inputs (null: a number), else the CPU. Every tensor must be on
// it, except that a 0-dim CPU input joins a CUDA op as a number. Raises before any write.
Device op_device(const TensorImpl* out, std::initializer_list<const TensorImpl*> inputs) {
  Device common;
  if (out && !out->device().is_cpu()) common = out->device();
  for (const TensorImpl* t : inputs) {
    if (common.is_cpu() && t && !t->device().is_cpu()) common = t->device();
  }
  if (common.is_cpu()) return common;  // all on the CPU: the common case costs these compares
  if (out && out->device() != common) device_mismatch(common, out->device());
  for (const TensorImpl* t : inputs) {
    if (t && t->device() != common && !(t->device().is_cpu() && t->dim() == 0)) device_mismatch(common, t->device());
  }
  return common;
}

// An operand ready for a kernel: data of the compute dtype and strides broadcast to `shape`.
struct Prepared {
  Tensor keep;  // keeps converted data alive
  char* data;
  Shape byte_strides;
  bool host_scalar = false;  // data is one host value in `scalar_slot` (for a CUDA kernel: by value)
};

// `device` is the op's device; an operand on another one is a 0-dim CPU tensor (op_device checked).
Prepared prepare(const TensorOrScalar& x, DType dtype, const Shape& shape, int64_t scalar_slot[1], Device device) {
  if (auto* s = std::get_if<Scalar>(&x)) {
    s->write_as(dtype, scalar_slot);
    return {nullptr, reinterpret_cast<char*>(scalar_slot), Shape(shape.size(), 0), !device.is_cpu()};
  }
  const Tensor& t = std::get<Tensor>(x);
  if (t->device() != device) {
    // A 0-dim CPU tensor in a CUDA op: its value, converted on the host, travels by value.
    cpu::StridedOperands<2> one{{reinterpret_cast<char*>(scalar_slot), t->data()}, {Shape{}, Shape{}}};
    cpu::copy_kernel(dtype, t->dtype(), Shape{}, one);
    return {nullptr, reinterpret_cast<char*>(scalar_slot), Shape(shape.size(), 0), true};
  }
  Tensor c = t->dtype() == dtype ? t : to_dtype(t, dtype);
  // Broadcast strides, in bytes, in one pass (this runs on every op, so no temporaries).
  Shape strides(shape.size(), 0);
  const Shape& sizes = c->sizes();
  size_t lead = shape.size() - sizes.size();
  int64_t item = static_cast<int64_t>(itemsize(dtype));
  for (size_t i = 0; i < sizes.size(); ++i) strides[lead + i] = sizes[i] == 1 ? 0 : c->strides()[i] * item;
  char* data = c->data();
  return {std::move(c), data, std::move(strides), false};
}

unsigned host_bits(std::initializer_list<std::pair<unsigned, const Prepared*>> operands) {
  unsigned bits = 0;
  for (auto [k, p] : operands) bits |= p->host_scalar ? 1u << k : 0u;
  return bits;
}

const Shape& shape_of(const TensorOrScalar& x) {
  static const Shape kScalarShape;
  if (auto* t = std::get_if<Tensor>(&x)) return (*t)->sizes();
  return kScalarShape;
}

bool is_bool(const TensorOrScalar& x) {
  if (auto* t = std::get_if<Tensor>(&x)) return (*t)->dtype() == DType::Bool;
  return std::get<Scalar>(x).kind == Scalar::Kind::Bool;
}

// torch's kernel names, which its "not implemented for 'Bool'" errors quote.
std::string torch_kernel_name(BinaryOp op, Device device) {
  const char* suffix = device.is_cpu() ? "_cpu" : "_cuda";
  switch (op) {
    case BinaryOp::BitwiseAnd: return str_cat("bitwise_and", suffix);
    case BinaryOp::BitwiseOr: return str_cat("bitwise_or", suffix);
    case BinaryOp::BitwiseXor: return str_cat("bitwise_xor", suffix);
    case BinaryOp::FloorDiv: return str_cat("div_floor", suffix);
    case BinaryOp::Remainder: return str_cat("remainder", suffix);
    case BinaryOp::Fmod: return str_cat("fmod", suffix);
    case BinaryOp::Pow: return device.is_cpu() ? "pow" : "pow_cuda";
    case BinaryOp::Hypot: return str_cat("hypot", suffix);
    case BinaryOp::LogAddExp: return str_cat("logaddexp", suffix);
    case BinaryOp::LogAddExp2: return str_cat("logaddexp2", suffix);
    case BinaryOp::NextAfter: return str_cat("nextafter", suffix);
    case BinaryOp::Gcd: return str_cat("gcd", suffix);
    case BinaryOp::Lcm: return str_cat("lcm", suffix);
    default: return cpu::binary_op_name(op);
  }
}

bool can_cast(DType from, DType to);

// The dtype the kernel computes in, after each op's own rules on top of result_type. `out` is the
// tensor an in-place op writes: torch checks that the promoted type fits it before it checks
// whether the kernel supports that type.
DType compute_dtype(BinaryOp op, const TensorOrScalar& a, const TensorOrScalar& b, Device device,
                    const TensorImpl* out = nullptr) {
  const TensorOrScalar* operands[2] = {&a, &b};
  DType dt = result_type(operands, 2);
  if (op == BinaryOp::Heaviside) {  // torch checks this first, in-place too
    const TensorImpl* ta = tensor_of(a);
    const TensorImpl* tb = tensor_of(b);
    PT_CHECK(!(ta && tb && ta->dtype() != tb->dtype()),
             "heaviside is not yet implemented for tensors with different dtypes.");
  }
  PT_CHECK(!out || op == BinaryOp::Sub || can_cast(dt, out->dtype()), "result type ", dtype_torch_name(dt),
           " can't be cast to the desired output type ", dtype_torch_name(out->dtype()));
  switch (op) {
    case BinaryOp::Div:
    case BinaryOp::Atan2:
    case BinaryOp::Xlogy:
    case BinaryOp::Copysign:
      return is_floating(dt) ? dt : default_float_dtype();
    case BinaryOp::Hypot:
    case BinaryOp::LogAddExp:
    case BinaryOp::LogAddExp2:
    case BinaryOp::NextAfter:
      PT_CHECK_T(NotImplementedError, is_floating(dt), "\"", torch_kernel_name(op, device), "\" not implemented for '",
                 dtype_torch_name(dt), "'");
      return dt;
    case BinaryOp::Gcd:
    case BinaryOp::Lcm:
      PT_CHECK_T(NotImplementedError, is_integral(dt, /*include_bool=*/false), "\"", torch_kernel_name(op, device),
                 "\" not implemented for '", dtype_torch_name(dt), "'");
      return dt;
    case BinaryOp::Sub:
      PT_CHECK(!(is_bool(a) && is_bool(b)),
               "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
               "`logical_xor()` operator instead.");
      PT_CHECK(!(is_bool(a) || is_bool(b)),
               "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
               "invert a mask, use the `~` or `logical_not()` operator instead.");
      return dt;
    case BinaryOp::FloorDiv:
    case BinaryOp::Remainder:
    case BinaryOp::Fmod:
    case BinaryOp::Pow:
      PT_CHECK_T(NotImplementedError, dt != DType::Bool, "\"", torch_kernel_name(op, device),
                 "\" not implemented for 'Bool'");
      if (op == BinaryOp::Pow) {
        // Checked on the number itself: converted to an unsigned type it would no longer be negative.
        auto* e = std::get_if<Scalar>(&b);
        PT_CHECK(!(e && !is_floating(dt) && e->kind == Scalar::Kind::Int && e->i < 0),
                 "Integers to negative integer powers are not allowed.");
      }
      return dt;
    case BinaryOp::BitwiseAnd:
    case BinaryOp::BitwiseOr:
    case BinaryOp::BitwiseXor:
      PT_CHECK_T(NotImplementedError, !is_floating(dt), "\"", torch_kernel_name(op, device),
                 "\" not implemented for '", dtype_torch_name(dt), "'");
      return dt;
    default:
      return dt;
  }
}

// True if pred(x) holds for some element of the operand.
template <typename Pred>
bool any_element(const Prepared& p, DType dtype, const Shape& shape, Pred pred) {
  std::atomic<bool> found{false};
  StridedOperands<1> ops{{p.data}, {p.byte_strides}};
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    cpu::for_each_run<1>(shape, ops, [&](char** ptr, const int64_t* s, int64_t n) {
      bool hit = false;
      for (int64_t i = 0; i < n; ++i) hit |= pred(*reinterpret_cast<const T*>(ptr[0] + i * s[0]));
      if (hit) found = true;
    });
  });
  return found;
}

// Integer division by zero would trap the CPU; torch raises instead. Checked before any write.
void check_operands(BinaryOp op, DType compute, const Prepared& b, const Shape& shape) {
  if (!is_integral(compute, /*include_bool=*/false)) return;
  if (op == BinaryOp::FloorDiv || op == BinaryOp::Remainder || op == BinaryOp::Fmod) {
    PT_CHECK(!any_element(b, compute, shape, [](auto x) { return x == decltype(x)(0); }), "ZeroDivisionError");
  } else if (op == BinaryOp::Pow && !b.keep) {
    // Only a Python-number exponent is rejected; tensor exponents follow torch's powi (2**-1 == 0).
    PT_CHECK(!any_element(b, compute, shape, [](auto x) { return x < decltype(x)(0); }),
             "Integers to negative integer powers are not allowed.");
  }
}

// Runs the kernel writing into `out` (dtype = compute, or bool for predicates) on out's device.
void run_binary(BinaryOp op, DType compute, const Tensor& out, const TensorOrScalar& a,
                const TensorOrScalar& b) {
  const Shape& shape = out->sizes();
  const Device device = out->device();
  int64_t slot_a[1], slot_b[1];
  Prepared pa = prepare(a, compute, shape, slot_a, device);
  Prepared pb = prepare(b, compute, shape, slot_b, device);
  if (device.is_cpu()) check_operands(op, compute, pb, shape);
  const unsigned host = host_bits({{1, &pa}, {2, &pb}});
  StridedOperands<3> ops{{out->data(), pa.data, pb.data},
                         {byte_strides(out->strides(), out->itemsize()), std::move(pa.byte_strides),
                          std::move(pb.byte_strides)}};
  if (device.is_cpu()) {
    cpu::binary_kernel(op, compute, shape, ops);
  } else {
    // NOTE: no integer division-by-zero check here: it would read the divisor back from device
    // memory (a synchronization per op), and torch does not check on CUDA either (a GPU does
    // not trap; the quotient is garbage).
    cuda::DeviceGuard guard(device);
    cuda::binary_kernel(op, compute, shape, ops, host);
  }
}

bool can_cast(DType from, DType to) {
  if (is_floating(from) && !is_floating(to)) return false;
  if (from != DType::Bool && to == DType::Bool) return false;
  return true;
}

// In-place ops must not read what they already overwrote: a differently laid-out view of
// the written tensor is copied first.
TensorOrScalar unalias(const Tensor& out, const TensorOrScalar& x) {
  auto* t = std::get_if<Tensor>(&x);
  if (!t || (*t)->storage() != out->storage()) return x;
  const TensorImpl& in = **t;
  if (in.offset() == out->offset() && in.sizes() == out->sizes() && in.strides() == out->strides()) return x;
  return clone(*t);
}

}  // namespace

DType result_type(const std::vector<TensorOrScalar>& operands) {
  std::vector<const TensorOrScalar*> ptrs;
  for (const auto& x : operands) ptrs.push_back(&x);
  return result_type(ptrs.data(), ptrs.size());
}

DType result_type(const TensorOrScalar* const* operands, size_t n) {
  std::optional<DType> dim, zero, wrapped;
  for (size_t i = 0; i < n; ++i) {
    const TensorOrScalar& x = *operands[i];
    if (auto* t = std::get_if<Tensor>(&x)) {
      if ((*t)->dim() == 0) zero = promote(zero, (*t)->dtype());
      else dim = promote(dim, (*t)->dtype());
    } else {
      const Scalar& s = std::get<Scalar>(x);
      wrapped = promote(wrapped, s.is_floating() ? default_float_dtype() : s.natural_dtype());
    }
  }
  return *combine(dim, combine(zero, wrapped));
}

void check_writable(const TensorImpl& t) {
  PT_CHECK(t.storage()->writable(),
           "cannot write to a tensor whose memory is a read-only numpy array or buffer");
  if (t.numel() == 0) return;  // nothing is written, so nothing can overlap (as torch)
  for (int64_t d = 0; d < t.dim(); ++d) {
    PT_CHECK(!(t.strides()[d] == 0 && t.sizes()[d] > 1),
             "unsupported operation: more than one element of the written-to tensor refers to a single "
             "memory location. Please clone() the tensor before performing the operation.");
  }
}

namespace {
// torch's pow(tensor, number) takes these shortcuts, so its results round as they do here:
// 2 -> x*x, 3 -> x*x*x, -2 -> 1/(x*x), 0.5 -> sqrt, -0.5 -> rsqrt, -1 -> reciprocal (floating
// results only). Nothing for other exponents.
std::optional<Tensor> pow_shortcut(const TensorOrScalar& base, const TensorOrScalar& exponent, DType compute) {
  const Tensor* t = std::get_if<Tensor>(&base);
  const Scalar* e = std::get_if<Scalar>(&exponent);
  if (!t || !e || e->kind == Scalar::Kind::Bool || !is_floating(compute)) return std::nullopt;
  const double v = e->is_floating() ? e->d : static_cast<double>(e->i);
  if (v != 2 && v != 3 && v != -2 && v != 0.5 && v != -0.5 && v != -1) return std::nullopt;
  const Tensor x = (*t)->dtype() == compute ? *t : to_dtype(*t, compute);
  if (v == 0.5) return unary(UnaryOp::Sqrt, x);
  if (v == -0.5) return unary(UnaryOp::Rsqrt, x);
  if (v == -1) return unary(UnaryOp::Reciprocal, x);
  const Tensor square = binary(BinaryOp::Mul, x, x);
  if (v == 2) return square;
  if (v == 3) return binary(BinaryOp::Mul, square, x);
  return binary(BinaryOp::Div, Scalar::from_double(1.0), square);
}
}  // namespace

Tensor binary(BinaryOp op, const TensorOrScalar& a, const TensorOrScalar& b) {
  const Device device = op_device(nullptr, {tensor_of(a), tensor_of(b)});
  DType compute = compute_dtype(op, a, b, device);
  if (op == BinaryOp::Pow) {
    if (auto r = pow_shortcut(a, b, compute)) return *r;
  }
  Shape shape = broadcast_shapes(shape_of(a), shape_of(b));
  Tensor out = empty(shape, cpu::is_predicate(op) ? DType::Bool : compute, device);
  run_binary(op, compute, out, a, b);
  return out;
}

Tensor binary_(BinaryOp op, const Tensor& a, const TensorOrScalar& b_in) {
  const Device device = op_device(a.get(), {tensor_of(b_in)});
  DType compute = compute_dtype(op, a, b_in, device, a.get());
  DType result = cpu::is_predicate(op) ? DType::Bool : compute;
  Shape shape = broadcast_shapes(a->sizes(), shape_of(b_in));
  PT_CHECK(shape == a->sizes(), "output with shape ", shape_str(a->sizes()),
           " doesn't match the broadcast shape ", shape_str(shape));
  PT_CHECK(can_cast(result, a->dtype()), "result type ", dtype_torch_name(result),
           " can't be cast to the desired output type ", dtype_torch_name(a->dtype()));
  check_writable(*a);
  if (op == BinaryOp::Pow) {
    if (auto r = pow_shortcut(a, b_in, compute)) {
      copy_(a, *r);
      return a;  // copy_ bumped the version
    }
  }
  TensorOrScalar b = unalias(a, b_in);
  if (result == a->dtype()) {
    run_binary(op, compute, a, a, b);
  } else {
    Tensor tmp = empty(shape, result, device);
    run_binary(op, compute, tmp, a, b);
    copy_(a, tmp);
  }
  a->bump_version();
  return a;
}

namespace {
DType unary_dtype(UnaryOp op, DType in) {
  switch (cpu::unary_kind(op)) {
    case UnaryKind::Float: return is_floating(in) ? in : default_float_dtype();
    case UnaryKind::Predicate: return DType::Bool;
    case UnaryKind::Same: break;
  }
  PT_CHECK(!(op == UnaryOp::Neg && in == DType::Bool),
           "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
           "mask, use the `~` or `logical_not()` operator instead.");
  PT_CHECK_T(NotImplementedError, !(op == UnaryOp::BitwiseNot && is_floating(in)),
             "\"bitwise_not_cpu\" not implemented for '", dtype_torch_name(in), "'");
  PT_CHECK_T(NotImplementedError, !(op == UnaryOp::Frac && !is_floating(in)), "\"frac_cpu\" not implemented for '",
             dtype_torch_name(in), "'");
  if (in == DType::Bool) {
    PT_CHECK(op != UnaryOp::Relu, "Boolean inputs not supported for relu");
    if (op == UnaryOp::Square) return DType::Int64;  // torch's square is pow(x, 2)
    const char* kernel = op == UnaryOp::Abs     ? "abs_cpu"
                         : op == UnaryOp::Floor ? "floor_vml_cpu"
                         : op == UnaryOp::Ceil  ? "ceil_vml_cpu"
                         : op == UnaryOp::Round ? "round_vml_cpu"
                         : op == UnaryOp::Trunc ? "trunc_vml_cpu"
                                                : nullptr;
    PT_CHECK_T(NotImplementedError, !kernel, "\"", kernel, "\" not implemented for 'Bool'");
  }
  return in;
}

// out and in share a device (unary ops have one input and allocate on its device).
void run_unary(UnaryOp op, const Tensor& out, const Tensor& in, DType compute) {
  Tensor src = in->dtype() == compute ? in : to_dtype(in, compute);
  StridedOperands<2> ops{{out->data(), src->data()},
                         {byte_strides(out->strides(), out->itemsize()),
                          byte_strides(src->strides(), src->itemsize())}};
  if (out->device().is_cpu()) {
    cpu::unary_kernel(op, compute, out->sizes(), ops);
  } else {
    cuda::DeviceGuard guard(out->device());
    cuda::unary_kernel(op, compute, out->sizes(), ops);
  }
}
}  // namespace

Tensor unary(UnaryOp op, const Tensor& a) {
  DType out_dtype = unary_dtype(op, a->dtype());
  DType compute = cpu::unary_kind(op) == UnaryKind::Predicate ? a->dtype() : out_dtype;
  Tensor out = empty(a->sizes(), out_dtype, a->device());
  run_unary(op, out, a, compute);
  return out;
}

Tensor unary_(UnaryOp op, const Tensor& a) {
  DType result = unary_dtype(op, a->dtype());
  PT_CHECK(can_cast(result, a->dtype()), "result type ", dtype_torch_name(result),
           " can't be cast to the desired output type ", dtype_torch_name(a->dtype()));
  check_writable(*a);
  if (result == a->dtype()) {
    run_unary(op, a, a, result);
  } else {
    copy_(a, unary(op, a));
  }
  a->bump_version();
  return a;
}

namespace {
DType clamp_dtype(const Tensor& a, const std::optional<Scalar>& lo, const std::optional<Scalar>& hi) {
  PT_CHECK(lo || hi, "torch.clamp: At least one of 'min' or 'max' must not be None");
  std::vector<TensorOrScalar> operands{a};
  if (lo) operands.push_back(*lo);
  if (hi) operands.push_back(*hi);
  return result_type(operands);
}
void run_clamp(const Tensor& out, const Tensor& a, const std::optional<Scalar>& lo,
               const std::optional<Scalar>& hi) {
  double l = lo ? lo->to<double>() : 0, h = hi ? hi->to<double>() : 0;
  Tensor src = a->dtype() == out->dtype() ? a : to_dtype(a, out->dtype());
  StridedOperands<2> ops{{out->data(), src->data()},
                         {byte_strides(out->strides(), out->itemsize()),
                          byte_strides(src->strides(), src->itemsize())}};
  if (out->device().is_cpu()) {
    cpu::clamp_kernel(out->dtype(), out->sizes(), ops, lo ? &l : nullptr, hi ? &h : nullptr);
  } else {
    cuda::DeviceGuard guard(out->device());
    cuda::clamp_kernel(out->dtype(), out->sizes(), ops, lo ? &l : nullptr, hi ? &h : nullptr);
  }
}
}  // namespace

Tensor clamp(const Tensor& a, std::optional<Scalar> lo, std::optional<Scalar> hi) {
  Tensor out = empty(a->sizes(), clamp_dtype(a, lo, hi), a->device());
  run_clamp(out, a, lo, hi);
  return out;
}

Tensor clamp_(const Tensor& a, std::optional<Scalar> lo, std::optional<Scalar> hi) {
  DType result = clamp_dtype(a, lo, hi);
  PT_CHECK(can_cast(result, a->dtype()), "result type ", dtype_torch_name(result),
           " can't be cast to the desired output type ", dtype_torch_name(a->dtype()));
  check_writable(*a);
  if (result == a->dtype()) run_clamp(a, a, lo, hi);
  else copy_(a, clamp(a, lo, hi));
  a->bump_version();
  return a;
}

namespace {
void check_in_place(const Tensor& a, DType result) {
  PT_CHECK(can_cast(result, a->dtype()), "result type ", dtype_torch_name(result),
           " can't be cast to the desired output type ", dtype_torch_name(a->dtype()));
  check_writable(*a);
}

// out = nan_to_num(a): out has a's float dtype (a may be out itself).
void run_nan_to_num(const Tensor& out, const Tensor& a, double nan, std::optional<double> posinf,
                    std::optional<double> neginf) {
  StridedOperands<2> ops{{out->data(), a->data()},
                         {byte_strides(out->strides(), out->itemsize()), byte_strides(a->strides(), a->itemsize())}};
  const double* p = posinf ? &*posinf : nullptr;
  const double* n = neginf ? &*neginf : nullptr;
  if (out->device().is_cpu()) {
    cpu::nan_to_num_kernel(out->dtype(), out->sizes(), ops, nan, p, n);
  } else {
    cuda::DeviceGuard guard(out->device());
    cuda::nan_to_num_kernel(out->dtype(), out->sizes(), ops, nan, p, n);
  }
}

// logit(x, eps) = logit(clamp(x, eps, 1 - eps)), with both bounds rounded to x's dtype as torch
// computes them (T lo = eps; T hi = 1 - lo). `out` is float; `src` already holds out's dtype.
void run_logit(const Tensor& out, const Tensor& src, std::optional<double> eps) {
  if (eps && *eps >= 0) {
    double lo = *eps, hi = 1.0 - *eps;
    if (out->dtype() == DType::Float32) {
      const float l = static_cast<float>(*eps);
      lo = l;
      hi = 1.0f - l;
    }
    StridedOperands<2> ops{{out->data(), src->data()},
                           {byte_strides(out->strides(), out->itemsize()),
                            byte_strides(src->strides(), src->itemsize())}};
    if (out->device().is_cpu()) {
      cpu::clamp_kernel(out->dtype(), out->sizes(), ops, &lo, &hi);
    } else {
      cuda::DeviceGuard guard(out->device());
      cuda::clamp_kernel(out->dtype(), out->sizes(), ops, &lo, &hi);
    }
    run_unary(UnaryOp::Logit, out, out, out->dtype());
  } else {
    run_unary(UnaryOp::Logit, out, src, out->dtype());
  }
}
}  // namespace

Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  if (!is_floating(a->dtype())) return clone(a);  // integers hold no NaN or inf: a copy, as torch
  Tensor out = empty(a->sizes(), a->dtype(), a->device());
  run_nan_to_num(out, a, nan, posinf, neginf);
  return out;
}

Tensor nan_to_num_(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
  check_writable(*a);
  if (is_floating(a->dtype())) run_nan_to_num(a, a, nan, posinf, neginf);
  a->bump_version();
  return a;
}

Tensor logit(const Tensor& a, std::optional<double> eps) {
  const DType dt = unary_dtype(UnaryOp::Logit, a->dtype());
  Tensor out = empty(a->sizes(), dt, a->device());
  run_logit(out, a->dtype() == dt ? a : to_dtype(a, dt), eps);
  return out;
}

Tensor logit_(const Tensor& a, std::optional<double> eps) {
  const DType dt = unary_dtype(UnaryOp::Logit, a->dtype());
  check_in_place(a, dt);
  run_logit(a, a, eps);
  a->bump_version();
  return a;
}

Tensor where(const Tensor& cond, const TensorOrScalar& a, const TensorOrScalar& b) {
  PT_CHECK(cond->dtype() == DType::Bool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
           dtype_torch_name(cond->dtype()));
  DType dt = result_type({a, b});
  Shape shape = broadcast_shapes(cond->sizes(), broadcast_shapes(shape_of(a), shape_of(b)));
  const Device device = op_device(nullptr, {cond.get(), tensor_of(a), tensor_of(b)});
  Tensor out = empty(shape, dt, device);
  int64_t slot_c[1], slot_a[1], slot_b[1];
  Prepared pc = prepare(cond, DType::Bool, shape, slot_c, device);
  Prepared pa = prepare(a, dt, shape, slot_a, device);
  Prepared pb = prepare(b, dt, shape, slot_b, device);
  const unsigned host = host_bits({{1, &pc}, {2, &pa}, {3, &pb}});
  StridedOperands<4> ops{{out->data(), pc.data, pa.data, pb.data},
                         {byte_strides(out->strides(), out->itemsize()), std::move(pc.byte_strides),
                          std::move(pa.byte_strides), std::move(pb.byte_strides)}};
  if (device.is_cpu()) {
    cpu::where_kernel(dt, shape, ops);
  } else {
    cuda::DeviceGuard guard(device);
    cuda::where_kernel(dt, shape, ops, host);
  }
  return out;
}

}  // namespace pt
