// Reductions, scans and softmax. A `dim` argument arrives as None, an int (or anything with
// __index__) or a sequence of ints and is normalized here, so the op (and autograd, which sees
// the normalized arguments) gets one form: None or a list.
#include "ops/reduce.h"
#include "ops/scan_search.h"
#include "ops/sort.h"
#include "python/autograd_hook.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {
namespace {
struct DimsArg {
  OptDims v;
};
}  // namespace
}  // namespace pt::python

namespace pybind11::detail {

template <> struct type_caster<pt::python::DimsArg> {
  PYBIND11_TYPE_CASTER(pt::python::DimsArg, const_name("int | Sequence[int] | None"));

  static bool as_int(PyObject* o, int64_t& out) {
    // bool is an int subclass but never a dim; floats have no __index__.
    if (PyBool_Check(o) || !PyIndex_Check(o)) return false;
    PyObject* idx = PyNumber_Index(o);
    if (!idx) {
      PyErr_Clear();
      return false;
    }
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(idx, &overflow);
    Py_DECREF(idx);
    if (overflow) return false;
    out = v;
    return true;
  }

  bool load(handle src, bool) {
    PyObject* o = src.ptr();
    if (o == Py_None) {
      value.v = std::nullopt;
      return true;
    }
    int64_t d;
    if (as_int(o, d)) {
      value.v = std::vector<int64_t>{d};
      return true;
    }
    if (!PyTuple_Check(o) && !PyList_Check(o)) return false;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    std::vector<int64_t> dims(n);
    for (Py_ssize_t i = 0; i < n; ++i) {
      if (!as_int(items[i], dims[i])) return false;
    }
    value.v = std::move(dims);
    return true;
  }
};

}  // namespace pybind11::detail

namespace pt::python {

namespace {

// The autograd-hook pattern for ops whose first argument is the only tensor.
template <typename R, typename... Args>
auto hooked(const char* name, R (*fn)(const Tensor&, Args...)) {
  return [name, fn](const Tensor& x, Args... args) -> py::object {
    if (needs_autograd(x)) return autograd_call(name, x, args...);
    return py::cast(fn(x, args...));
  };
}

// Same, for ops that take a dim list: normalizes it first.
template <typename R, typename... Rest>
auto hooked_dims(const char* name, R (*fn)(const Tensor&, const OptDims&, Rest...)) {
  return [name, fn](const Tensor& x, const DimsArg& dims, Rest... rest) -> py::object {
    if (needs_autograd(x)) return autograd_call(name, x, dims.v, rest...);
    return py::cast(fn(x, dims.v, rest...));
  };
}

template <typename R, typename... Rest>
auto plain_dims(R (*fn)(const Tensor&, const OptDims&, Rest...)) {
  return [fn](const Tensor& x, const DimsArg& dims, Rest... rest) { return fn(x, dims.v, rest...); };
}

}  // namespace

void bind_reduce(py::module_& m) {
  using py::arg;
  const auto none = py::none();

  m.def("sum", hooked_dims("sum", &sum), arg("input"), arg("dim") = none, arg("keepdim") = false,
        arg("dtype") = none);
  m.def("mean", hooked_dims("mean", &mean), arg("input"), arg("dim") = none, arg("keepdim") = false,
        arg("dtype") = none);
  m.def("prod", hooked_dims("prod", &prod), arg("input"), arg("dim") = none, arg("keepdim") = false,
        arg("dtype") = none);
  m.def("amax", hooked_dims("amax", &amax), arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("amin", hooked_dims("amin", &amin), arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("max", hooked("max", &max), arg("input"));
  m.def("min", hooked("min", &min), arg("input"));
  m.def("max_dim", hooked("max_dim", &max_dim), arg("input"), arg("dim"), arg("keepdim") = false);
  m.def("sort", hooked("sort", &sort), arg("input"), arg("dim") = -1, arg("descending") = false);
  m.def("topk", hooked("topk", &topk), arg("input"), arg("k"), arg("dim") = -1, arg("largest") = true);
  m.def("min_dim", hooked("min_dim", &min_dim), arg("input"), arg("dim"), arg("keepdim") = false);
  m.def("var", hooked_dims("var", &var), arg("input"), arg("dim") = none, arg("correction") = 1.0,
        arg("keepdim") = false);
  m.def("std", hooked_dims("std", &stddev), arg("input"), arg("dim") = none, arg("correction") = 1.0,
        arg("keepdim") = false);
  m.def("norm", hooked_dims("norm", +[](const Tensor& x, const OptDims& dims, double p, bool keepdim,
                                         OptDType dtype) { return norm(x, p, dims, keepdim, dtype); }),
        arg("input"), arg("dim") = none, arg("p") = 2.0, arg("keepdim") = false, arg("dtype") = none);
  m.def("logsumexp", hooked_dims("logsumexp", &logsumexp), arg("input"), arg("dim"),
        arg("keepdim") = false);
  m.def("softmax", hooked("softmax", &softmax), arg("input"), arg("dim"), arg("dtype") = none);
  m.def("log_softmax", hooked("log_softmax", &log_softmax), arg("input"), arg("dim"), arg("dtype") = none);
  m.def("cumsum", hooked("cumsum", &cumsum), arg("input"), arg("dim"), arg("dtype") = none);
  m.def("cumprod", hooked("cumprod", &cumprod), arg("input"), arg("dim"), arg("dtype") = none);

  // Order statistics and scans (ops/scan_search): the values are differentiable.
  m.def("kthvalue", hooked("kthvalue", &kthvalue), arg("input"), arg("k"), arg("dim") = -1, arg("keepdim") = false);
  m.def("median", hooked("median", &median), arg("input"));
  m.def("nanmedian", hooked("nanmedian", &nanmedian), arg("input"));
  m.def("median_dim", hooked("median_dim", &median_dim), arg("input"), arg("dim"), arg("keepdim") = false);
  m.def("nanmedian_dim", hooked("nanmedian_dim", &nanmedian_dim), arg("input"), arg("dim"),
        arg("keepdim") = false);
  m.def("mode", hooked("mode", &mode), arg("input"), arg("dim") = -1, arg("keepdim") = false);
  m.def("cummax", hooked("cummax", &cummax), arg("input"), arg("dim"));
  m.def("cummin", hooked("cummin", &cummin), arg("input"), arg("dim"));
  m.def("logcumsumexp", hooked("logcumsumexp", &logcumsumexp), arg("input"), arg("dim"));

  // Not differentiable.
  m.def("searchsorted", &searchsorted, arg("sorted_sequence"), arg("values"), arg("out_int32") = false,
        arg("right") = false, arg("sorter") = none);
  m.def("lexsort_rows", &lexsort_rows, arg("input"));
  m.def("_run_inverse", &run_inverse, arg("starts"), arg("order") = none);
  m.def("bincount", &bincount, arg("input"), arg("weights") = none, arg("minlength") = 0);
  m.def("histc", &histc, arg("input"), arg("bins") = 100, arg("min") = 0.0, arg("max") = 0.0);
  m.def("argmax", &argmax, arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("argmin", &argmin, arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("all", plain_dims(&all), arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("any", plain_dims(&any), arg("input"), arg("dim") = none, arg("keepdim") = false);
  m.def("count_nonzero", plain_dims(&count_nonzero), arg("input"), arg("dim") = none);
}

}  // namespace pt::python
