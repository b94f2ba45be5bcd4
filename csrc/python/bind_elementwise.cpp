// Elementwise ops, bound both as module functions (_C.add) and as Tensor methods/operators,
// straight from the C++ op so a call crosses into C++ once.
#include "core/errors.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "python/autograd_hook.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

using cpu::BinaryOp;
using cpu::UnaryOp;

namespace {

struct BinaryEntry {
  const char* name;     // function and method name, e.g. "add"; "add_" is the in-place method
  BinaryOp op;
  const char* dunder;   // "__add__" (its reflected "__radd__" and in-place "__iadd__" follow)
  bool in_place = true;  // torch has Tensor.name_ (not for fmax/fmin/logaddexp/logaddexp2)
  // Which arguments may be Python numbers (bit 0: input, bit 1: other); torch's other ops take
  // tensors only and raise TypeError for a number.
  unsigned numbers = 3;
};

constexpr unsigned kTensorsOnly = 0, kNumberOther = 2;

// Python operator names are derived from `dunder`: __x__ -> __rx__, __ix__.
const BinaryEntry kBinary[] = {
    {"add", BinaryOp::Add, "__add__"},
    {"sub", BinaryOp::Sub, "__sub__"},
    {"mul", BinaryOp::Mul, "__mul__"},
    {"div", BinaryOp::Div, "__truediv__"},
    {"floor_divide", BinaryOp::FloorDiv, "__floordiv__"},
    {"remainder", BinaryOp::Remainder, "__mod__"},
    {"pow", BinaryOp::Pow, "__pow__"},
    {"bitwise_and", BinaryOp::BitwiseAnd, "__and__"},
    {"bitwise_or", BinaryOp::BitwiseOr, "__or__"},
    {"bitwise_xor", BinaryOp::BitwiseXor, "__xor__"},
    {"maximum", BinaryOp::Maximum, nullptr},
    {"minimum", BinaryOp::Minimum, nullptr},
    {"atan2", BinaryOp::Atan2, nullptr},
    {"fmod", BinaryOp::Fmod, nullptr},
    {"hypot", BinaryOp::Hypot, nullptr, true, kTensorsOnly},
    {"logaddexp", BinaryOp::LogAddExp, nullptr, false, kTensorsOnly},
    {"logaddexp2", BinaryOp::LogAddExp2, nullptr, false, kTensorsOnly},
    {"fmax", BinaryOp::Fmax, nullptr, false, kTensorsOnly},
    {"fmin", BinaryOp::Fmin, nullptr, false, kTensorsOnly},
    {"xlogy", BinaryOp::Xlogy, nullptr},
    {"heaviside", BinaryOp::Heaviside, nullptr, true, kTensorsOnly},
    {"copysign", BinaryOp::Copysign, nullptr, true, kNumberOther},
    {"nextafter", BinaryOp::NextAfter, nullptr, true, kTensorsOnly},
    {"gcd", BinaryOp::Gcd, nullptr, true, kTensorsOnly},
    {"lcm", BinaryOp::Lcm, nullptr, true, kTensorsOnly},
    {"logical_and", BinaryOp::LogicalAnd, nullptr},
    {"logical_or", BinaryOp::LogicalOr, nullptr},
    {"logical_xor", BinaryOp::LogicalXor, nullptr},
    {"eq", BinaryOp::Eq, "__eq__"},
    {"ne", BinaryOp::Ne, "__ne__"},
    {"lt", BinaryOp::Lt, "__lt__"},
    {"le", BinaryOp::Le, "__le__"},
    {"gt", BinaryOp::Gt, "__gt__"},
    {"ge", BinaryOp::Ge, "__ge__"},
};

struct UnaryEntry {
  const char* name;
  UnaryOp op;
};
const UnaryEntry kUnary[] = {
    {"exp", UnaryOp::Exp},        {"log", UnaryOp::Log},         {"log1p", UnaryOp::Log1p},
    {"expm1", UnaryOp::Expm1},    {"sqrt", UnaryOp::Sqrt},       {"rsqrt", UnaryOp::Rsqrt},
    {"sin", UnaryOp::Sin},        {"cos", UnaryOp::Cos},         {"tan", UnaryOp::Tan},
    {"tanh", UnaryOp::Tanh},      {"sigmoid", UnaryOp::Sigmoid}, {"reciprocal", UnaryOp::Reciprocal},
    {"log2", UnaryOp::Log2},      {"log10", UnaryOp::Log10},     {"exp2", UnaryOp::Exp2},
    {"asin", UnaryOp::Asin},      {"acos", UnaryOp::Acos},       {"atan", UnaryOp::Atan},
    {"sinh", UnaryOp::Sinh},      {"cosh", UnaryOp::Cosh},       {"erf", UnaryOp::Erf},
    {"neg", UnaryOp::Neg},        {"abs", UnaryOp::Abs},         {"relu", UnaryOp::Relu},
    {"sign", UnaryOp::Sign},      {"floor", UnaryOp::Floor},     {"ceil", UnaryOp::Ceil},
    {"round", UnaryOp::Round},    {"trunc", UnaryOp::Trunc},     {"square", UnaryOp::Square},
    {"bitwise_not", UnaryOp::BitwiseNot}, {"logical_not", UnaryOp::LogicalNot},
    {"isnan", UnaryOp::IsNan},    {"isinf", UnaryOp::IsInf},     {"isfinite", UnaryOp::IsFinite},
    {"erfc", UnaryOp::Erfc},      {"erfinv", UnaryOp::Erfinv},   {"lgamma", UnaryOp::Lgamma},
    {"digamma", UnaryOp::Digamma}, {"_trigamma", UnaryOp::Trigamma}, {"acosh", UnaryOp::Acosh},
    {"asinh", UnaryOp::Asinh},    {"atanh", UnaryOp::Atanh},     {"deg2rad", UnaryOp::Deg2Rad},
    {"rad2deg", UnaryOp::Rad2Deg}, {"sinc", UnaryOp::Sinc},      {"frac", UnaryOp::Frac},
    {"sgn", UnaryOp::Sign},       {"isposinf", UnaryOp::IsPosInf}, {"isneginf", UnaryOp::IsNegInf},
    {"signbit", UnaryOp::SignBit},
};

// torch's TypeError for a number where only a tensor is accepted.
void require_tensor(const TensorOrScalar& x, const char* op, const char* arg, int position) {
  auto* s = std::get_if<Scalar>(&x);
  if (!s) return;
  const char* type = s->kind == Scalar::Kind::Bool ? "bool" : s->kind == Scalar::Kind::Int ? "int" : "float";
  throw TypeError(str_cat(op, "(): argument '", arg, "' (position ", position, ") must be Tensor, not ", type));
}

void check_numbers(unsigned numbers, const char* op, const TensorOrScalar& a, const TensorOrScalar& b) {
  if (numbers == 3) return;
  if (!(numbers & 1u)) require_tensor(a, op, "input", 1);
  if (!(numbers & 2u)) require_tensor(b, op, "other", 2);
}

bool has_inplace(UnaryOp op) { return cpu::unary_kind(op) != cpu::UnaryKind::Predicate; }

}  // namespace

void bind_elementwise(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<TensorImpl, Tensor>>(m.attr("Tensor"));
  for (const auto& e : kBinary) {
    BinaryOp op = e.op;
    const char* name = e.name;
    const unsigned numbers = e.numbers;
    auto forward = [op, name, numbers](const TensorOrScalar& a, const TensorOrScalar& b) -> py::object {
      check_numbers(numbers, name, a, b);
      if (needs_autograd(a, b)) return autograd_call(name, a, b);
      return py::cast(binary(op, a, b));
    };
    // `number OP tensor`, as torch's Tensor.__rOP__: add and mul take the tensor first (same
    // value; torch's graph lists the tensor's edge first), and `b / a` is a.reciprocal() * b,
    // which rounds differently from a division, so results match torch's bit for bit.
    auto reflected = [op, name](const Tensor& a, const TensorOrScalar& b) -> py::object {
      if (op == BinaryOp::Div) {
        if (needs_autograd(a, b)) return autograd_call("mul", autograd_call("reciprocal", a).cast<Tensor>(), b);
        return py::cast(binary(BinaryOp::Mul, unary(UnaryOp::Reciprocal, a), b));
      }
      const bool tensor_first = op == BinaryOp::Add || op == BinaryOp::Mul;
      if (needs_autograd(a, b)) return tensor_first ? autograd_call(name, a, b) : autograd_call(name, b, a);
      return py::cast(tensor_first ? binary(op, a, b) : binary(op, b, a));
    };
    std::string in_place_name = std::string(name) + "_";
    auto in_place = [op, in_place_name, numbers](const Tensor& a, const TensorOrScalar& b) -> py::object {
      if (!(numbers & 2u)) require_tensor(b, in_place_name.c_str(), "other", 1);
      if (needs_autograd(a, b)) return autograd_call(in_place_name.c_str(), a, b);
      return py::cast(binary_(op, a, b));
    };
    m.def(name, forward, py::arg("input"), py::arg("other"));
    cls.def(name, forward, py::arg("other"));
    if (!cpu::is_predicate(op) && e.in_place) cls.def(in_place_name.c_str(), in_place, py::arg("other"));
    if (!e.dunder) continue;
    std::string d = e.dunder, core = d.substr(2, d.size() - 4);
    cls.def(d.c_str(), forward, py::is_operator());
    if (cpu::is_predicate(op)) continue;
    cls.def(("__r" + core + "__").c_str(), reflected, py::is_operator());
    cls.def(("__i" + core + "__").c_str(), in_place, py::is_operator());
  }
  for (const auto& e : kUnary) {
    UnaryOp op = e.op;
    const char* name = e.name;
    auto forward = [op, name](const Tensor& a) -> py::object {
      if (needs_autograd(a)) return autograd_call(name, a);
      return py::cast(unary(op, a));
    };
    m.def(name, forward, py::arg("input"));
    cls.def(name, forward);
    if (has_inplace(op)) {
      std::string in_place_name = std::string(name) + "_";
      auto in_place = [op, in_place_name](const Tensor& a) -> py::object {
        if (needs_autograd(a)) return autograd_call(in_place_name.c_str(), a);
        return py::cast(unary_(op, a));
      };
      m.def(in_place_name.c_str(), in_place, py::arg("input"));
      cls.def(in_place_name.c_str(), in_place);
    }
  }
  cls.attr("__neg__") = cls.attr("neg");
  cls.attr("__abs__") = cls.attr("abs");
  cls.attr("__invert__") = cls.attr("bitwise_not");
  cls.def("__pos__", [](const Tensor& a) { return a; });

  m.def("clamp", differentiable("clamp", &clamp), py::arg("input"), py::arg("min") = py::none(),
        py::arg("max") = py::none());
  m.def("clamp_", differentiable("clamp_", &clamp_), py::arg("input"), py::arg("min") = py::none(),
        py::arg("max") = py::none());
  m.def("nan_to_num", differentiable("nan_to_num", &nan_to_num), py::arg("input"), py::arg("nan") = 0.0,
        py::arg("posinf") = py::none(), py::arg("neginf") = py::none());
  m.def("nan_to_num_", differentiable("nan_to_num_", &nan_to_num_), py::arg("input"), py::arg("nan") = 0.0,
        py::arg("posinf") = py::none(), py::arg("neginf") = py::none());
  m.def("logit", differentiable("logit", &logit), py::arg("input"), py::arg("eps") = py::none());
  m.def("logit_", differentiable("logit_", &logit_), py::arg("input"), py::arg("eps") = py::none());
  m.def("where", differentiable("where", &where), py::arg("condition"), py::arg("input"), py::arg("other"));
  m.def("result_type", [](const TensorOrScalar& a, const TensorOrScalar& b) { return result_type({a, b}); });

  m.def("copy_", differentiable("copy_", &copy_), py::arg("self"), py::arg("src"));
  m.def("fill_", differentiable("fill_", &fill_), py::arg("self"), py::arg("value"));
  m.def("to_dtype", differentiable("to_dtype", &to_dtype), py::arg("self"), py::arg("dtype"),
        py::arg("copy") = false);
  m.def("to_device", differentiable("to_device", &to_device), py::arg("self"), py::arg("device"),
        py::arg("dtype") = py::none(), py::arg("copy") = false);
  m.def("contiguous", differentiable("contiguous", &contiguous));
  m.def("clone", differentiable("clone", &clone));
}

}  // namespace pt::python
