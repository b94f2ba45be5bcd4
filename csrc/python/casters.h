// pybind11 conversions for the core's value types: dtype objects, devices, Python numbers
// (Scalar), and "tensor or number" operands. Bindings only; no op logic here.
#pragma once
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cctype>
#include <climits>
#include <string>

#include "core/device.h"
#include "core/dtype.h"
#include "core/scalar.h"
#include "core/tensor.h"
#include "ops/elementwise.h"

namespace pt::python {

// The Python-visible dtype: one immortal instance per DType, so `t.dtype is pytensor.float32`.
struct DTypeObject {
  DType value;
};
pybind11::object dtype_object(DType d);
bool is_dtype_object(pybind11::handle h);

// A device string as torch.device reads it: "cpu", "cuda", "cuda:<n>" (no sign, no leading
// zeros); RuntimeError with torch's messages otherwise. The CPU has no index here: "cpu:0" is
// the CPU, so every CPU device compares equal.
inline Device parse_device(const std::string& s) {
  const size_t colon = s.find(':');
  const std::string type = s.substr(0, colon);
  bool ok = !type.empty();
  for (char c : type) ok = ok && (std::isalpha(static_cast<unsigned char>(c)) || c == '_');
  int index = -1;
  if (ok && colon != std::string::npos) {
    const std::string digits = s.substr(colon + 1);
    ok = !digits.empty() && digits.size() <= 9 && (digits == "0" || digits[0] != '0');
    for (char c : digits) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    if (ok) index = std::stoi(digits);
  }
  PT_CHECK(ok, "Invalid device string: '", s, "'");
  if (type == "cpu") return Device{};
  PT_CHECK(type == "cuda", "Expected one of cpu, cuda device type at start of device string: ", s);
  return Device{DeviceType::CUDA, index};
}

}  // namespace pt::python

namespace pybind11::detail {

template <> struct type_caster<pt::DType> {
  PYBIND11_TYPE_CASTER(pt::DType, const_name("dtype"));
  bool load(handle src, bool) {
    if (!pt::python::is_dtype_object(src)) return false;
    value = src.cast<pt::python::DTypeObject&>().value;
    return true;
  }
  static handle cast(pt::DType d, return_value_policy, handle) {
    return pt::python::dtype_object(d).release();
  }
};

// A device argument: a str ("cpu", "cuda", "cuda:1"), any object with `type` (str) and `index`
// (int or None) attributes such as pytensor.device, an int (a CUDA index, as torch), or None
// (the CPU). Whether the device exists is checked where memory is allocated.
template <> struct type_caster<pt::Device> {
  PYBIND11_TYPE_CASTER(pt::Device, const_name("device"));
  bool load(handle src, bool) {
    PyObject* o = src.ptr();
    if (src.is_none()) {
      value = pt::Device{};
      return true;
    }
    if (PyUnicode_Check(o)) {
      value = pt::python::parse_device(src.cast<std::string>());
      return true;
    }
    if (PyLong_Check(o) && !PyBool_Check(o)) {
      const long long index = PyLong_AsLongLong(o);
      if (index == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      PT_CHECK(index >= 0, "Device index must not be negative");
      PT_CHECK(index <= INT_MAX, "Device index too large: ", index);
      value = pt::Device{pt::DeviceType::CUDA, static_cast<int>(index)};
      return true;
    }
    if (PyObject_HasAttrString(o, "type") && PyObject_HasAttrString(o, "index")) {
      object type = src.attr("type"), index = src.attr("index");
      if (!PyUnicode_Check(type.ptr()) || !(index.is_none() || PyLong_Check(index.ptr()))) return false;
      pt::Device d = pt::python::parse_device(type.cast<std::string>());
      if (!index.is_none()) {
        const long long i = index.cast<long long>();
        PT_CHECK(i >= 0, "Device index must not be negative");
        PT_CHECK(i <= INT_MAX, "Device index too large: ", i);
        if (!d.is_cpu()) d.index = static_cast<int>(i);
      }
      value = d;
      return true;
    }
    return false;
  }
  static handle cast(const pt::Device& d, return_value_policy, handle) {
    return pybind11::str(d.str()).release();
  }
};

template <> struct type_caster<pt::Scalar> {
  PYBIND11_TYPE_CASTER(pt::Scalar, const_name("Number"));
  bool load(handle src, bool) {
    PyObject* o = src.ptr();
    if (PyBool_Check(o)) {
      value = pt::Scalar::from_bool(o == Py_True);
      return true;
    }
    if (PyFloat_Check(o)) {
      value = pt::Scalar::from_double(PyFloat_AS_DOUBLE(o));
      return true;
    }
    if (PyLong_Check(o) || (PyIndex_Check(o) && !PyObject_HasAttrString(o, "__array_interface__") &&
                            !PyObject_HasAttrString(o, "_impl_tag"))) {
      int overflow = 0;
      PyObject* idx = PyNumber_Index(o);
      if (!idx) { PyErr_Clear(); return false; }
      long long v = PyLong_AsLongLongAndOverflow(idx, &overflow);
      Py_DECREF(idx);
      if (overflow) throw pt::RuntimeError("Overflow when unpacking long");
      value = pt::Scalar::from_int(v);
      return true;
    }
    // numpy floating scalars (float32 is not a Python float subclass)
    if (PyObject_HasAttrString(o, "dtype") && PyObject_HasAttrString(o, "item") && PyNumber_Check(o)) {
      object item = reinterpret_borrow<object>(src).attr("item")();
      return load(item, false);
    }
    return false;
  }
  static handle cast(const pt::Scalar& s, return_value_policy, handle) {
    if (s.kind == pt::Scalar::Kind::Float) return PyFloat_FromDouble(s.d);
    if (s.kind == pt::Scalar::Kind::Bool) return pybind11::bool_(s.i != 0).release();
    return PyLong_FromLongLong(s.i);
  }
};

template <> struct type_caster<pt::TensorOrScalar> {
  PYBIND11_TYPE_CASTER(pt::TensorOrScalar, const_name("Tensor | Number"));
  bool load(handle src, bool convert) {
    // Python numbers first: a failed Tensor conversion costs a raised-and-cleared exception.
    PyObject* o = src.ptr();
    if (PyFloat_Check(o) || PyLong_Check(o)) {
      make_caster<pt::Scalar> number;
      if (!number.load(src, convert)) return false;
      value = cast_op<pt::Scalar>(number);
      return true;
    }
    copyable_holder_caster<pt::TensorImpl, pt::Tensor> tensor_caster;
    if (tensor_caster.load(src, false)) {
      value = static_cast<pt::Tensor>(tensor_caster);
      return true;
    }
    make_caster<pt::Scalar> scalar_caster;
    if (scalar_caster.load(src, convert)) {
      value = cast_op<pt::Scalar>(scalar_caster);
      return true;
    }
    return false;
  }
  static handle cast(const pt::TensorOrScalar& x, return_value_policy policy, handle parent) {
    if (auto* t = std::get_if<pt::Tensor>(&x)) {
      return make_caster<pt::Tensor>::cast(*t, policy, parent);
    }
    return make_caster<pt::Scalar>::cast(std::get<pt::Scalar>(x), policy, parent);
  }
};

}  // namespace pybind11::detail
