// Moving a tensor object to other memory in place: what torch's `t.data = other` does (its
// _set_data), and what Module.to relies on to move parameters without replacing the Parameter
// objects that optimizers already hold.
#include <pybind11/pybind11.h>

#include "core/tensor.h"
#include "python/bindings.h"

namespace py = pybind11;

namespace pt::python {

void bind_device(py::module_& m) {
  // Afterwards `self` views src's storage with src's geometry and dtype (device, dtype and shape
  // may all change); autograd state (requires_grad, grad_fn) stays with `self`.
  m.def(
      "_set_data",
      [](const Tensor& self, const Tensor& src) {
        if (self == src) return;
        self->set_dtype_and_storage(src->dtype(), src->storage());
        self->set_sizes_strides(src->sizes(), src->strides(), src->offset());
      },
      py::arg("self"), py::arg("src"));
}

}  // namespace pt::python
