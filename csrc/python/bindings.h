// Each family of bindings registers itself into the module; module.cpp calls them in order.
#pragma once
#include <pybind11/pybind11.h>

namespace pt::python {

void bind_dtype(pybind11::module_& m);
void bind_tensor(pybind11::module_& m);
void bind_elementwise(pybind11::module_& m);
void bind_views(pybind11::module_& m);
void bind_factories(pybind11::module_& m);
void bind_random(pybind11::module_& m);
void bind_linalg(pybind11::module_& m);
void bind_reduce(pybind11::module_& m);
void bind_index(pybind11::module_& m);
void bind_autograd_hook(pybind11::module_& m);
void bind_cuda(pybind11::module_& m);
void bind_device(pybind11::module_& m);

}  // namespace pt::python
