// pybind11 conversions for the core's value types: dtype objects, Python numbers (Scalar),
// and "tensor or number" operands. Bindings only; no op logic here.
#pragma once
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

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
