// Shape and view ops, and the factories.
#include "core/errors.h"
#include "ops/copy.h"
#include "ops/factory.h"
#include "ops/views.h"
#include "python/autograd_hook.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

void bind_views(py::module_& m) {
  m.def("alias", [](const Tensor& t) { return share_storage(*t); });
  m.def("_view_base", [](const Tensor& t) { return t->view_base(); });
  m.def("view", differentiable("view", &view));
  m.def("reshape", differentiable("reshape", &reshape));
  m.def("as_strided", differentiable("as_strided", &as_strided), py::arg("input"), py::arg("size"), py::arg("stride"),
        py::arg("storage_offset") = py::none());
  m.def("transpose", differentiable("transpose", &transpose));
  m.def("t", differentiable("t", &t_2d));
  m.def("permute", differentiable("permute", &permute));
  m.def("squeeze", differentiable("squeeze", &squeeze), py::arg("input"), py::arg("dim") = py::none());
  m.def("unsqueeze", differentiable("unsqueeze", &unsqueeze));
  m.def("flatten", differentiable("flatten", &flatten), py::arg("input"), py::arg("start_dim") = 0,
        py::arg("end_dim") = -1);
  m.def("expand", differentiable("expand", &expand));
  m.def("narrow", differentiable("narrow", &narrow));
  m.def("select", differentiable("select", &select));
  m.def("slice", differentiable("slice", &slice));
  m.def("movedim", differentiable("movedim", &movedim));
  m.def("unfold", differentiable("unfold", &unfold));
  m.def("diagonal", differentiable("diagonal", &diagonal), py::arg("input"), py::arg("offset") = 0,
        py::arg("dim1") = 0, py::arg("dim2") = 1);
  m.def("diag_embed", differentiable("diag_embed", &diag_embed), py::arg("input"), py::arg("offset") = 0,
        py::arg("dim1") = -2, py::arg("dim2") = -1);
  m.def("resize_", differentiable("resize_", &resize_));
  // A Tensor is a sequence too; torch refuses it where a list of tensors is expected.
  for (const char* name : {"cat", "stack"}) {
    m.def(name, [name](const Tensor&, int64_t) -> py::object {
      throw TypeError(str_cat(name, "(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"));
    }, py::arg("tensors"), py::arg("dim") = 0);
  }
  m.def("cat", differentiable("cat", &cat), py::arg("tensors"), py::arg("dim") = 0);
  m.def("stack", differentiable("stack", &stack), py::arg("tensors"), py::arg("dim") = 0);
}

// Every factory takes `device` last (None: the CPU), as a str, pytensor.device or CUDA index.
void bind_factories(py::module_& m) {
  const auto device = py::arg("device") = py::none();
  m.def("empty", [](const Shape& sizes, DType dtype, Device d) { return empty(sizes, dtype, d); },
        py::arg("size"), py::arg("dtype"), device);
  m.def("empty_strided", [](const Shape& sizes, const Shape& strides, DType dtype, Device d) {
    return empty_strided(sizes, strides, dtype, d);
  }, py::arg("size"), py::arg("stride"), py::arg("dtype"), device);
  m.def("full", &full, py::arg("size"), py::arg("fill_value"), py::arg("dtype"), device);
  m.def("arange", &arange, py::arg("start"), py::arg("end"), py::arg("step"), py::arg("dtype"), device);
  m.def("linspace", &linspace, py::arg("start"), py::arg("end"), py::arg("steps"), py::arg("dtype"), device);
  m.def("eye", &eye, py::arg("n"), py::arg("m"), py::arg("dtype"), device);
  m.def("scalar_tensor", &scalar_tensor, py::arg("s"), py::arg("dtype"), device);
}

}  // namespace pt::python
