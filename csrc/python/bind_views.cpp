// Shape and view ops, and the factories.
#include "ops/factory.h"
#include "ops/views.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

void bind_views(py::module_& m) {
  m.def("alias", [](const Tensor& t) { return make_view(*t, t->sizes(), t->strides(), t->offset()); });
  m.def("view", &view);
  m.def("reshape", &reshape);
  m.def("as_strided", &as_strided, py::arg("input"), py::arg("size"), py::arg("stride"),
        py::arg("storage_offset") = py::none());
  m.def("transpose", &transpose);
  m.def("t", &t_2d);
  m.def("permute", &permute);
  m.def("squeeze", &squeeze, py::arg("input"), py::arg("dim") = py::none());
  m.def("unsqueeze", &unsqueeze);
  m.def("flatten", &flatten);
  m.def("expand", &expand);
  m.def("narrow", &narrow);
  m.def("select", &select);
  m.def("slice", &slice);
  m.def("movedim", &movedim);
  m.def("unfold", &unfold);
  m.def("resize_", &resize_);
  m.def("cat", &cat);
  m.def("stack", &stack);
}

void bind_factories(py::module_& m) {
  m.def("empty", [](const Shape& sizes, DType dtype) { return empty(sizes, dtype); });
  m.def("empty_strided", [](const Shape& sizes, const Shape& strides, DType dtype) {
    return empty_strided(sizes, strides, dtype);
  });
  m.def("full", &full);
  m.def("arange", &arange);
  m.def("linspace", &linspace);
  m.def("eye", &eye);
}

}  // namespace pt::python
