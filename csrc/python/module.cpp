#include <new>

#include "core/errors.h"
#include "cpu/parallel.h"
#include "python/bindings.h"

namespace py = pybind11;

PYBIND11_MODULE(_C, m) {
  m.doc() = "pytensor's C++ core";
  // C++ errors become the Python exceptions torch raises for the same mistakes.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const pt::IndexError& e) {
      PyErr_SetString(PyExc_IndexError, e.what());
    } catch (const pt::TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const pt::ValueError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const pt::NotImplementedError& e) {
      PyErr_SetString(PyExc_NotImplementedError, e.what());
    } catch (const pt::RuntimeError& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, "pytensor: cannot allocate memory");
    }
  });
  pt::python::bind_autograd_hook(m);
  pt::python::bind_dtype(m);
  pt::python::bind_tensor(m);
  pt::python::bind_elementwise(m);
  pt::python::bind_views(m);
  pt::python::bind_factories(m);
  pt::python::bind_random(m);
  pt::python::bind_index(m);
  pt::python::bind_linalg(m);
  pt::python::bind_reduce(m);
  pt::python::bind_cuda(m);
  pt::python::bind_device(m);
  m.def("set_num_threads", &pt::cpu::set_num_threads);
  m.def("get_num_threads", &pt::cpu::get_num_threads);
}
