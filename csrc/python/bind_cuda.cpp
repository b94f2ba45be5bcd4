// pytensor._C's CUDA queries and controls; pytensor.cuda wraps them.
#include "cuda/runtime.h"
#include "python/bindings.h"

namespace pt::python {

void bind_cuda(pybind11::module_& m) {
  m.def("_cuda_is_built", &cuda::is_built);
  m.def("_cuda_device_count", &cuda::device_count);
  m.def("_cuda_current_device", &cuda::current_device);
  m.def("_cuda_set_device", &cuda::set_device);
  m.def("_cuda_synchronize", &cuda::synchronize, pybind11::arg("device") = -1);
  m.def("_cuda_memory_allocated", &cuda::memory_allocated);
  m.def("_cuda_memory_reserved", &cuda::memory_reserved);
  m.def("_cuda_empty_cache", &cuda::empty_cache);
}

}  // namespace pt::python
