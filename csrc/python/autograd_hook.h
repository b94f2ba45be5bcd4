// The one place where C++ ops meet Python autograd. A bound op first asks `needs_autograd`:
// only when grad mode is on and some tensor argument requires grad does it hand the call to
// the Python handler that pytensor.autograd registers (which records the graph and calls the
// same _C op again with grad mode off). Inference and no_grad code never leave C++.
#pragma once
#include <pybind11/pybind11.h>

#include <variant>

#include "core/tensor.h"
#include "ops/elementwise.h"
#include "python/casters.h"

namespace pt::python {

bool grad_enabled();
void set_grad_enabled(bool enabled);

inline bool arg_requires_grad(const Tensor& t) { return t && t->requires_grad(); }
inline bool arg_requires_grad(const TensorOrScalar& x) {
  auto* t = std::get_if<Tensor>(&x);
  return t && (*t)->requires_grad();
}
inline bool arg_requires_grad(const std::vector<Tensor>& ts) {
  for (const auto& t : ts) if (t->requires_grad()) return true;
  return false;
}
template <typename T> bool arg_requires_grad(const T&) { return false; }

template <typename... Args>
bool needs_autograd(const Args&... args) {
  return grad_enabled() && (arg_requires_grad(args) || ...);
}

// handler(op_name, args_tuple, kwargs_dict) -> result
pybind11::object call_autograd(const char* op, pybind11::tuple args, pybind11::dict kwargs = {});

template <typename... Args>
pybind11::object autograd_call(const char* op, const Args&... args) {
  return call_autograd(op, pybind11::make_tuple(args...));
}

// Wraps a C++ op for binding under `name`: it runs directly, or through autograd when an
// argument requires grad. Every differentiable binding goes through this.
template <typename R, typename... Args>
auto differentiable(const char* name, R (*fn)(Args...)) {
  return [name, fn](Args... args) -> pybind11::object {
    if (needs_autograd(args...)) return autograd_call(name, args...);
    return pybind11::cast(fn(args...));
  };
}

void bind_autograd_hook(pybind11::module_& m);

}  // namespace pt::python
