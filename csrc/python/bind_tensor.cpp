// The Tensor class: metadata, the buffer protocol and zero-copy numpy conversion.
#include <pybind11/numpy.h>

#include "core/errors.h"
#include "cuda/runtime.h"
#include "ops/copy.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

namespace {
// Handles, not objects: they are never released, so no Py_DECREF runs after interpreter exit.
py::handle g_dtype_objects[kNumDTypes];

const char* buffer_format(DType d) {
  switch (d) {
    case DType::Bool: return "?";
    case DType::UInt8: return "B";
    case DType::Int8: return "b";
    case DType::Int16: return "h";
    case DType::Int32: return "i";
    case DType::Int64: return "q";
    case DType::Float32: return "f";
    case DType::Float64: return "d";
  }
  return "B";
}

DType dtype_from_numpy(const py::dtype& dt) {
  char kind = dt.kind();
  size_t size = dt.itemsize();
  if (kind == 'b') return DType::Bool;
  if (kind == 'u' && size == 1) return DType::UInt8;
  if (kind == 'i') {
    if (size == 1) return DType::Int8;
    if (size == 2) return DType::Int16;
    if (size == 4) return DType::Int32;
    if (size == 8) return DType::Int64;
  }
  if (kind == 'f') {
    if (size == 4) return DType::Float32;
    if (size == 8) return DType::Float64;
  }
  throw TypeError(str_cat("can't convert np.ndarray of type numpy.",
                          py::str(dt.attr("type").attr("__name__")).cast<std::string>(),
                          ". The only supported types are: float64, float32, int64, int32, int16, int8, "
                          "uint8, and bool."));
}

py::dtype numpy_dtype(DType d) { return py::dtype(std::string(dtype_name(d))); }

// Shares the array's memory; the storage's release hook holds a reference to the array.
Tensor from_numpy(py::array arr) {
  DType dtype = dtype_from_numpy(arr.dtype());
  // A byte-swapped array would be read as garbage: refuse it, as torch does.
  PT_CHECK_T(ValueError, arr.dtype().attr("isnative").cast<bool>(),
             "given numpy array has byte order different from the native byte order. Conversion between "
             "byte orders is currently not supported.");
  int64_t item = static_cast<int64_t>(arr.itemsize());
  Shape sizes(arr.ndim()), strides(arr.ndim());
  int64_t extent = 1;
  bool empty = false;
  for (py::ssize_t i = 0; i < arr.ndim(); ++i) {
    sizes[i] = arr.shape(i);
    int64_t sb = arr.strides(i);
    PT_CHECK_T(ValueError, sb >= 0,
               "At least one stride in the given numpy array is negative, and tensors with negative strides "
               "are not currently supported. (You can probably work around this by making a copy of your "
               "array  with array.copy().) ");
    PT_CHECK_T(ValueError, sb % item == 0, "given numpy array strides not a multiple of the element byte size. "
               "Copy the numpy array to reallocate the memory.");
    strides[i] = sizes[i] <= 1 ? std::max<int64_t>(sb / item, 0) : sb / item;
    if (sizes[i] == 0) empty = true;
    else extent += (sizes[i] - 1) * strides[i];
  }
  if (empty) extent = 0;
  bool writable = arr.writeable();
  PyObject* owner = arr.ptr();
  Py_INCREF(owner);
  auto storage = Storage::borrow(const_cast<void*>(arr.data()), static_cast<size_t>(extent * item),
                                 [owner] {
                                   py::gil_scoped_acquire gil;
                                   Py_DECREF(owner);
                                 },
                                 writable);
  return std::make_shared<TensorImpl>(storage, sizes, strides, 0, dtype);
}

py::array to_numpy(const Tensor& t) {
  PT_CHECK_T(TypeError, t->device().is_cpu(), "can't convert ", t->device().str(),
             " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
  std::vector<py::ssize_t> shape(t->sizes().begin(), t->sizes().end());
  std::vector<py::ssize_t> strides(t->dim());
  for (int64_t i = 0; i < t->dim(); ++i) strides[i] = t->strides()[i] * static_cast<int64_t>(t->itemsize());
  // The capsule owns the memory block, not the tensor: the array stays valid even if the
  // tensor is later resized onto a new block.
  auto* keep = new std::shared_ptr<void>(t->storage()->block());
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<void>*>(p); });
  py::array arr(numpy_dtype(t->dtype()), shape, strides, t->data(), base);
  if (!t->storage()->writable()) {
    py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  }
  return arr;
}

py::tuple to_tuple(const Shape& s) {
  py::tuple out(s.size());
  for (size_t i = 0; i < s.size(); ++i) out[i] = py::int_(s[i]);
  return out;
}
}  // namespace

py::object dtype_object(DType d) { return py::reinterpret_borrow<py::object>(g_dtype_objects[static_cast<int>(d)]); }

bool is_dtype_object(py::handle h) { return py::isinstance<DTypeObject>(h); }

void bind_dtype(py::module_& m) {
  py::class_<DTypeObject>(m, "dtype")
      .def_property_readonly("is_floating_point", [](const DTypeObject& d) { return is_floating(d.value); })
      .def_property_readonly("is_signed", [](const DTypeObject& d) {
        return d.value != DType::Bool && d.value != DType::UInt8;
      })
      .def_property_readonly("itemsize", [](const DTypeObject& d) { return itemsize(d.value); })
      .def_property_readonly("_name", [](const DTypeObject& d) { return dtype_name(d.value); })
      .def("__repr__", [](const DTypeObject& d) { return std::string("pytensor.") + dtype_name(d.value); })
      .def("__reduce__", [](const DTypeObject& d) { return std::string(dtype_name(d.value)); });
  for (int i = 0; i < kNumDTypes; ++i) {
    DType d = static_cast<DType>(i);
    g_dtype_objects[i] = py::cast(DTypeObject{d}).release();
    m.attr(dtype_name(d)) = g_dtype_objects[i];
  }
  m.def("promote_types", &promote_types);
  m.def("get_default_dtype", &default_float_dtype);
  m.def("set_default_dtype", &set_default_float_dtype);
  m.def("_numpy_dtype_to_dtype", [](py::dtype dt) { return dtype_from_numpy(dt); });
}

void bind_tensor(py::module_& m) {
  py::class_<TensorImpl, Tensor>(m, "Tensor", py::dynamic_attr(), py::buffer_protocol())
      .def_buffer([](TensorImpl& t) {
        PT_CHECK_T(TypeError, t.device().is_cpu(), "only CPU tensors support the buffer protocol");
        std::vector<py::ssize_t> shape(t.sizes().begin(), t.sizes().end());
        std::vector<py::ssize_t> strides(t.dim());
        for (int64_t i = 0; i < t.dim(); ++i) strides[i] = t.strides()[i] * static_cast<int64_t>(t.itemsize());
        return py::buffer_info(t.data(), static_cast<py::ssize_t>(t.itemsize()), buffer_format(t.dtype()),
                               t.dim(), shape, strides, !t.storage()->writable());
      })
      .def_property_readonly("_sizes", [](const TensorImpl& t) { return to_tuple(t.sizes()); })
      .def_property_readonly("_device_str", [](const TensorImpl& t) { return t.device().str(); })
      .def_property_readonly("dtype", &TensorImpl::dtype)
      .def_property("_requires_grad", &TensorImpl::requires_grad, &TensorImpl::set_requires_grad)
      .def_property_readonly("ndim", &TensorImpl::dim)
      .def("dim", &TensorImpl::dim)
      .def("numel", &TensorImpl::numel)
      .def("nelement", &TensorImpl::numel)
      .def("element_size", &TensorImpl::itemsize)
      .def("is_contiguous", [](const TensorImpl& t) { return t.is_contiguous(); })
      .def("storage_offset", &TensorImpl::offset)
      .def("data_ptr", [](const TensorImpl& t) { return reinterpret_cast<uintptr_t>(t.data()); })
      .def("_storage_ptr", [](const TensorImpl& t) { return reinterpret_cast<uintptr_t>(t.storage()->data()); })
      .def("_storage_nbytes", [](const TensorImpl& t) { return t.storage()->nbytes(); })
      .def("_version", [](const TensorImpl& t) { return t.storage()->version(); })
      .def("_stride_tuple", [](const TensorImpl& t) { return to_tuple(t.strides()); })
      .def("_numpy", &to_numpy)
      .def("_item", [](const Tensor& t) -> py::object {
        PT_CHECK(t->numel() == 1, "a Tensor with ", t->numel(), " elements cannot be converted to Scalar");
        return dispatch_dtype(t->dtype(), [&](auto tag) -> py::object {
          using T = decltype(tag);
          if (t->device().is_cpu()) return py::cast(*t->data_as<T>());
          T value;  // device memory is never read on the host: copy the one element over
          cuda::copy_bytes(&value, Device{}, t->data(), t->device(), sizeof(T));
          return py::cast(value);
        });
      })
      // Nested lists of Python numbers (a number for a 0-d tensor), from any device.
      .def("_tolist", [](const Tensor& t) -> py::object {
        return to_numpy(to_device(t, Device{}, std::nullopt, false)).attr("tolist")();
      });
  m.def("from_numpy", &from_numpy, py::arg("ndarray"));
}

}  // namespace pt::python
