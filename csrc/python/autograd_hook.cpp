#include "python/autograd_hook.h"

#include "core/errors.h"

namespace py = pybind11;

namespace pt::python {

namespace {
thread_local bool t_grad_enabled = true;
py::handle g_handler;  // owned reference, deliberately never released (see bind_tensor.cpp)
}  // namespace

bool grad_enabled() { return t_grad_enabled; }
void set_grad_enabled(bool enabled) { t_grad_enabled = enabled; }

py::object call_autograd(const char* op, py::tuple args, py::dict kwargs) {
  PT_CHECK(g_handler, "an input requires grad but pytensor.autograd is not loaded");
  return py::reinterpret_borrow<py::object>(g_handler)(op, args, kwargs);
}

void bind_autograd_hook(py::module_& m) {
  m.def("is_grad_enabled", &grad_enabled);
  m.def("_set_grad_enabled", &set_grad_enabled);
  m.def("_set_autograd_handler", [](py::object handler) {
    if (g_handler) g_handler.dec_ref();
    g_handler = handler.release();
  });
}

}  // namespace pt::python
