// Subscripts and the gather/scatter family. Tensor.__getitem__/__setitem__ parse the Python
// subscript here, straight from the objects, so t[0] or t[:, 1] is one C++ call and one view.
// Autograd receives the raw subscript object ("getitem"/"setitem"); _C.getitem_backward turns
// a gradient back into the input's shape.
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/errors.h"
#include "ops/index.h"
#include "python/autograd_hook.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

namespace {

PyTypeObject* g_tensor_type = nullptr;  // _C.Tensor, cached when the module is bound

bool is_tensor(PyObject* o) { return PyObject_TypeCheck(o, g_tensor_type); }
Tensor unwrap(PyObject* o) { return py::handle(o).cast<Tensor>(); }

std::string type_name(PyObject* o) { return Py_TYPE(o)->tp_name; }
// The bare class name ("Tensor", not "pytensor._C.Tensor"), as torch's argument errors print it.
std::string short_type_name(PyObject* o) { return py::str(py::type::handle_of(py::handle(o)).attr("__name__")); }

// The parsed items of one subscript; inline storage for the usual short ones.
class Items {
 public:
  explicit Items(size_t n) : n_(n) {
    if (n > kInline) heap_.resize(n);
  }
  TensorIndex* data() { return n_ > kInline ? heap_.data() : inline_; }
  size_t size() const { return n_; }
  TensorIndex& operator[](size_t i) { return data()[i]; }

 private:
  static constexpr size_t kInline = 6;
  size_t n_;
  TensorIndex inline_[kInline];
  std::vector<TensorIndex> heap_;
};

// Leaves of a nested list of Python ints/bools, with its shape; false if something else shows
// up (floats, tensors, numpy scalars), which then goes through pytensor.tensor.
bool collect_ints(PyObject* o, size_t depth, Shape& shape, std::vector<int64_t>& out, bool& all_bool) {
  if (PyList_Check(o) || PyTuple_Check(o)) {
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    if (depth == shape.size()) shape.push_back(n);
    else if (depth > shape.size() || shape[depth] != n) return false;
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < n; ++i) {
      if (!collect_ints(items[i], depth + 1, shape, out, all_bool)) return false;
    }
    return true;
  }
  if (depth != shape.size()) return false;  // a ragged list
  if (PyBool_Check(o)) {
    out.push_back(o == Py_True);
    return true;
  }
  if (!PyLong_Check(o)) return false;
  all_bool = false;
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) return false;
  out.push_back(v);
  return true;
}

// A list (or numpy array, ...) used as an index: int64 indices or a bool mask.
Tensor sequence_to_tensor(PyObject* o) {
  Shape shape;
  std::vector<int64_t> values;
  bool all_bool = true;
  if ((PyList_Check(o) || PyTuple_Check(o)) && collect_ints(o, 0, shape, values, all_bool)) {
    const bool as_bool = all_bool && !values.empty();
    Tensor t = empty(shape, as_bool ? DType::Bool : DType::Int64);
    if (as_bool) {
      bool* p = t->data_as<bool>();
      for (size_t i = 0; i < values.size(); ++i) p[i] = values[i] != 0;
    } else if (!values.empty()) {
      std::memcpy(t->data(), values.data(), values.size() * sizeof(int64_t));
    }
    return t;
  }
  py::object t = py::module_::import("pytensor").attr("tensor")(py::handle(o));
  return t.cast<Tensor>();
}

[[noreturn]] void bad_index(PyObject* o) {
  throw IndexError(str_cat("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                           "valid indices (got ", type_name(o), ")"));
}

void parse_item(PyObject* o, TensorIndex& out) {
  using Kind = TensorIndex::Kind;
  if (PyLong_CheckExact(o)) {
    out.kind = Kind::Integer;
    out.value = PyLong_AsLongLong(o);
    if (out.value == -1 && PyErr_Occurred()) throw py::error_already_set();
  } else if (o == Py_None) {
    out.kind = Kind::None;
  } else if (o == Py_Ellipsis) {
    out.kind = Kind::Ellipsis;
  } else if (PySlice_Check(o)) {
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(o, &start, &stop, &step) < 0) throw py::error_already_set();
    auto* s = reinterpret_cast<PySliceObject*>(o);
    out.kind = Kind::Slice;
    out.step = step;
    if (s->start != Py_None) out.start = start;
    if (s->stop != Py_None) out.stop = stop;
  } else if (PyBool_Check(o)) {
    out.kind = Kind::Boolean;
    out.value = o == Py_True;
  } else if (is_tensor(o)) {
    out.kind = Kind::Tensor;
    out.tensor = unwrap(o);
  } else if (PyLong_Check(o)) {
    out.kind = Kind::Integer;
    out.value = PyLong_AsLongLong(o);
    if (out.value == -1 && PyErr_Occurred()) throw py::error_already_set();
  } else if (PySequence_Check(o) && !PyUnicode_Check(o) && !PyBytes_Check(o)) {
    out.kind = Kind::Tensor;
    out.tensor = sequence_to_tensor(o);
  } else if (PyIndex_Check(o) && !PyFloat_Check(o)) {  // numpy integers
    py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(o));
    if (!i) throw py::error_already_set();
    out.kind = Kind::Integer;
    out.value = PyLong_AsLongLong(i.ptr());
    if (out.value == -1 && PyErr_Occurred()) throw py::error_already_set();
  } else {
    bad_index(o);
  }
}

// torch's treatSequenceAsTuple: a short list holding a slice, None, Ellipsis, a tensor or a
// sequence is read as a tuple of items (x[[0, slice(None)]] == x[0, :]).
bool list_is_tuple(PyObject* o) {
  const Py_ssize_t n = PyList_GET_SIZE(o);
  if (n >= 32) return false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* it = PyList_GET_ITEM(o, i);
    if (is_tensor(it) || PySlice_Check(it) || it == Py_Ellipsis || it == Py_None ||
        (PySequence_Check(it) && !PyUnicode_Check(it))) {
      return true;
    }
  }
  return false;
}

template <typename F>
decltype(auto) with_items(PyObject* index, F&& f) {
  PyObject* seq = nullptr;
  if (PyTuple_Check(index) || (PyList_Check(index) && list_is_tuple(index))) seq = index;
  if (!seq) {
    Items items(1);
    parse_item(index, items[0]);
    return f(items.data(), size_t{1});
  }
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  PyObject** objs = PySequence_Fast_ITEMS(seq);
  Items items(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) parse_item(objs[i], items[i]);
  return f(items.data(), items.size());
}

// The value of x[...] = value: a tensor or a Python/numpy number; torch's TypeError otherwise.
TensorOrScalar parse_value(const Tensor& self, py::handle value) {
  PyObject* o = value.ptr();
  if (is_tensor(o)) return unwrap(o);
  py::detail::make_caster<Scalar> scalar;
  if (!PyUnicode_Check(o) && !PySequence_Check(o) && scalar.load(value, true)) {
    return py::detail::cast_op<Scalar>(scalar);
  }
  static const char* const kTensorTypes[] = {"BoolTensor", "ByteTensor", "CharTensor",  "ShortTensor",
                                             "IntTensor",  "LongTensor", "FloatTensor", "DoubleTensor"};
  throw TypeError(str_cat("can't assign a ", type_name(o), " to a pytensor.",
                          kTensorTypes[static_cast<int>(self->dtype())]));
}

py::object getitem(const Tensor& self, py::handle index) {
  if (needs_autograd(self)) return autograd_call("getitem", self, index);
  return with_items(index.ptr(), [&](const TensorIndex* items, size_t n) { return py::cast(get_item(self, items,
                    n)); });
}

py::object setitem(const Tensor& self, py::handle index, py::handle value) {
  TensorOrScalar v = parse_value(self, value);
  if (needs_autograd(self, v)) return autograd_call("setitem", self, index, value);
  with_items(index.ptr(), [&](const TensorIndex* items, size_t n) { return set_item(self, items, n, v); });
  return py::none();
}

Tensor getitem_backward(const Tensor& grad, const Shape& sizes, py::handle index) {
  return with_items(index.ptr(), [&](const TensorIndex* items, size_t n) { return index_backward(grad, sizes, items,
                    n); });
}

ScatterReduce parse_reduce(const std::optional<std::string>& reduce) {
  if (!reduce) return ScatterReduce::None;
  if (*reduce == "add") return ScatterReduce::Add;
  if (*reduce == "multiply") return ScatterReduce::Multiply;
  throw RuntimeError("reduce argument must be either add or multiply.");
}

// scatter's fourth argument is `src` (a tensor) or `value` (a number), positionally or by name.
TensorOrScalar scatter_source(const std::optional<TensorOrScalar>& src, const std::optional<Scalar>& value) {
  PT_CHECK_T(TypeError, src.has_value() != value.has_value(),
             "scatter() expects exactly one of 'src' (a Tensor) or 'value' (a number)");
  return src ? *src : TensorOrScalar(*value);
}

py::object scatter_op(const char* name, bool in_place, const Tensor& self, int64_t dim, const Tensor& index,
                      const std::optional<TensorOrScalar>& src, const std::optional<std::string>& reduce,
                      const std::optional<Scalar>& value) {
  TensorOrScalar s = scatter_source(src, value);
  if (needs_autograd(self, s)) return autograd_call(name, self, dim, index, s, reduce);
  ScatterReduce r = parse_reduce(reduce);
  return py::cast(in_place ? scatter_(self, dim, index, s, r) : scatter(self, dim, index, s, r));
}

py::object nonzero_op(const Tensor& self, bool as_tuple) {
  if (!as_tuple) return py::cast(nonzero(self));
  return py::tuple(py::cast(nonzero_tuple(self)));
}

// index_put_'s indices: a tuple or list of tensors (torch rejects None and lists there).
std::vector<Tensor> index_list(py::handle indices) {
  PT_CHECK_T(TypeError, PyTuple_Check(indices.ptr()) || PyList_Check(indices.ptr()),
             "index_put_(): argument 'indices' (position 1) must be tuple of Tensors, not ",
             short_type_name(indices.ptr()));
  std::vector<Tensor> out;
  size_t i = 0;
  for (py::handle h : indices) {
    PT_CHECK_T(TypeError, is_tensor(h.ptr()), "expected Tensor as element ", i, " in argument 0, but got ",
               short_type_name(h.ptr()));
    out.push_back(unwrap(h.ptr()));
    ++i;
  }
  return out;
}

// One-line docstrings, shared by each function and its Tensor method.
const char* doc(const std::string& name) {
  static const std::unordered_map<std::string, const char*> docs = {
      {"__getitem__", "self[index]: a view for ints, slices, None and Ellipsis; a copy for tensors, lists, bools."},
      {"__setitem__", "self[index] = value (a number or a broadcastable tensor, converted to self's dtype)."},
      {"getitem", "getitem(input, index) -> Tensor: input[index] (the autograd op for subscripts)."},
      {"setitem", "setitem(input, index, value): input[index] = value (the autograd op for assignments)."},
      {"getitem_backward", "getitem_backward(grad, sizes, index) -> Tensor: zeros of sizes, grad added at [index]."},
      {"index_select", "index_select(input, dim, index) -> Tensor: the entries of `index` along dim."},
      {"gather", "gather(input, dim, index) -> Tensor: out[i][j] = input[index[i][j]][j] (dim 0), index's shape."},
      {"take", "take(input, index) -> Tensor: input flattened, read at index (negative indices wrap)."},
      {"take_along_dim", "take_along_dim(input, indices, dim=None) -> Tensor: gather after broadcasting."},
      {"scatter", "scatter(input, dim, index, src | value, reduce=None) -> Tensor: gather's inverse, out of place."},
      {"scatter_", "scatter_(dim, index, src | value, reduce=None) -> Tensor: self[index[i][j]][j] = src[i][j]."},
      {"scatter_add", "scatter_add(input, dim, index, src) -> Tensor: scatter that adds; repeated indices add up."},
      {"scatter_add_", "scatter_add_(dim, index, src) -> Tensor: in-place scatter_add."},
      {"index_add", "index_add(input, dim, index, source, *, alpha=1) -> Tensor: out-of-place index_add_."},
      {"index_add_", "index_add_(dim, index, source, *, alpha=1) -> Tensor: self[index[i]] += alpha * source[i]."},
      {"index_copy", "index_copy(input, dim, index, source) -> Tensor: out-of-place index_copy_."},
      {"index_copy_", "index_copy_(dim, index, source) -> Tensor: self[index[i]] = source[i] along dim."},
      {"index_fill", "index_fill(input, dim, index, value) -> Tensor: out-of-place index_fill_."},
      {"index_fill_", "index_fill_(dim, index, value) -> Tensor: self[index[i]] = value along dim."},
      {"index_put", "index_put(input, indices, values, accumulate=False) -> Tensor: out-of-place index_put_."},
      {"index_put_", "index_put_(indices, values, accumulate=False) -> Tensor: self[indices] = values (or +=)."},
      {"masked_select", "masked_select(input, mask) -> Tensor: the elements where the broadcast mask is true, 1-D."},
      {"masked_fill", "masked_fill(input, mask, value) -> Tensor: value where mask, input elsewhere (broadcast)."},
      {"masked_fill_", "masked_fill_(mask, value) -> Tensor: self[mask] = value, mask broadcast to self."},
      {"masked_scatter", "masked_scatter(input, mask, source) -> Tensor: out-of-place masked_scatter_."},
      {"masked_scatter_", "masked_scatter_(mask, source) -> Tensor: source's elements, in order, where mask is true."},
      {"nonzero", "nonzero(input, *, as_tuple=False) -> Tensor: [count, ndim] indices of nonzero elements."},
      {"argwhere", "argwhere(input) -> Tensor: nonzero(input)."},
  };
  auto it = docs.find(name);
  return it == docs.end() ? "" : it->second;
}

}  // namespace

void bind_index(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<TensorImpl, Tensor>>(m.attr("Tensor"));
  g_tensor_type = reinterpret_cast<PyTypeObject*>(cls.ptr());

  cls.def("__getitem__", &getitem, doc("__getitem__"));
  cls.def("__setitem__", &setitem, doc("__setitem__"));
  m.def("getitem", &getitem, doc("getitem"), py::arg("input"), py::arg("index"));
  m.def("setitem", &setitem, doc("setitem"), py::arg("input"), py::arg("index"), py::arg("value"));
  m.def("getitem_backward", &getitem_backward, doc("getitem_backward"), py::arg("grad"), py::arg("sizes"),
        py::arg("index"));

  // Each op once as a function of (input, ...); bound as pytensor.op and Tensor.op.
  auto index_select_fn = differentiable("index_select", &index_select);
  m.def("index_select", index_select_fn, doc("index_select"), py::arg("input"), py::arg("dim"), py::arg("index"));
  cls.def("index_select", index_select_fn, doc("index_select"), py::arg("dim"), py::arg("index"));

  auto gather_fn = [](const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad) -> py::object {
    if (needs_autograd(self)) return autograd_call("gather", self, dim, index);
    return py::cast(gather(self, dim, index));
  };
  m.def("gather", gather_fn, doc("gather"), py::arg("input"), py::arg("dim"), py::arg("index"),
        py::arg("sparse_grad") = false);
  cls.def("gather", gather_fn, doc("gather"), py::arg("dim"), py::arg("index"), py::arg("sparse_grad") = false);

  auto take_fn = differentiable("take", &take);
  m.def("take", take_fn, doc("take"), py::arg("input"), py::arg("index"));
  cls.def("take", take_fn, doc("take"), py::arg("index"));

  auto take_along_dim_fn = differentiable("take_along_dim", &take_along_dim);
  m.def("take_along_dim", take_along_dim_fn, doc("take_along_dim"), py::arg("input"), py::arg("indices"),
        py::arg("dim") = py::none());
  cls.def("take_along_dim", take_along_dim_fn, doc("take_along_dim"), py::arg("indices"), py::arg("dim") = py::none());

  for (bool in_place : {false, true}) {
    const char* name = in_place ? "scatter_" : "scatter";
    auto fn = [name, in_place](const Tensor& self, int64_t dim, const Tensor& index,
                               const std::optional<TensorOrScalar>& src, const std::optional<std::string>& reduce,
                               const std::optional<Scalar>& value) {
      return scatter_op(name, in_place, self, dim, index, src, reduce, value);
    };
    if (!in_place) {
      m.def(name, fn, doc(name), py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src") = py::none(),
            py::arg("reduce") = py::none(), py::arg("value") = py::none());
    }
    cls.def(name, fn, doc(name), py::arg("dim"), py::arg("index"), py::arg("src") = py::none(),
            py::arg("reduce") = py::none(),
            py::arg("value") = py::none());
  }
  auto scatter_add_fn = differentiable("scatter_add", &scatter_add);
  m.def("scatter_add", scatter_add_fn, doc("scatter_add"), py::arg("input"), py::arg("dim"), py::arg("index"),
        py::arg("src"));
  cls.def("scatter_add", scatter_add_fn, doc("scatter_add"), py::arg("dim"), py::arg("index"), py::arg("src"));
  cls.def("scatter_add_", differentiable("scatter_add_", &scatter_add_), doc("scatter_add_"), py::arg("dim"),
          py::arg("index"),
          py::arg("src"));

  for (bool in_place : {false, true}) {
    const char* name = in_place ? "index_add_" : "index_add";
    auto fn = [name, in_place](const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                               const Scalar& alpha) -> py::object {
      if (needs_autograd(self, source)) return autograd_call(name, self, dim, index, source, alpha);
      return py::cast(in_place ? index_add_(self, dim, index, source, alpha) : index_add(self, dim, index, source,
                      alpha));
    };
    m.def(name, fn, doc(name), py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("source"),
          py::arg("alpha") = Scalar::from_int(1));
    cls.def(name, fn, doc(name), py::arg("dim"), py::arg("index"), py::arg("source"),
            py::arg("alpha") = Scalar::from_int(1));
  }

  auto index_copy_fn = differentiable("index_copy", &index_copy);
  m.def("index_copy", index_copy_fn, doc("index_copy"), py::arg("input"), py::arg("dim"), py::arg("index"),
        py::arg("source"));
  cls.def("index_copy", index_copy_fn, doc("index_copy"), py::arg("dim"), py::arg("index"), py::arg("source"));
  cls.def("index_copy_", differentiable("index_copy_", &index_copy_), doc("index_copy_"), py::arg("dim"),
          py::arg("index"),
          py::arg("source"));
  auto index_fill_fn = differentiable("index_fill", &index_fill);
  m.def("index_fill", index_fill_fn, doc("index_fill"), py::arg("input"), py::arg("dim"), py::arg("index"),
        py::arg("value"));
  cls.def("index_fill", index_fill_fn, doc("index_fill"), py::arg("dim"), py::arg("index"), py::arg("value"));
  cls.def("index_fill_", differentiable("index_fill_", &index_fill_), doc("index_fill_"), py::arg("dim"),
          py::arg("index"),
          py::arg("value"));

  for (bool in_place : {false, true}) {
    const char* name = in_place ? "index_put_" : "index_put";
    auto fn = [name, in_place](const Tensor& self, py::handle indices, const Tensor& values,
                               bool accumulate) -> py::object {
      std::vector<Tensor> idx = index_list(indices);
      if (needs_autograd(self, values)) {
        return autograd_call(name, self, py::tuple(py::cast(idx)), values, accumulate);
      }
      return py::cast(in_place ? index_put_(self, idx, values, accumulate) : index_put(self, idx, values, accumulate));
    };
    m.def(name, fn, doc(name), py::arg("input"), py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);
    cls.def(name, fn, doc(name), py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);
  }

  auto masked_select_fn = differentiable("masked_select", &masked_select);
  m.def("masked_select", masked_select_fn, doc("masked_select"), py::arg("input"), py::arg("mask"));
  cls.def("masked_select", masked_select_fn, doc("masked_select"), py::arg("mask"));
  auto masked_fill_fn = differentiable("masked_fill", &masked_fill);
  m.def("masked_fill", masked_fill_fn, doc("masked_fill"), py::arg("input"), py::arg("mask"), py::arg("value"));
  cls.def("masked_fill", masked_fill_fn, doc("masked_fill"), py::arg("mask"), py::arg("value"));
  auto masked_fill_inplace_fn = differentiable("masked_fill_", &masked_fill_);
  m.def("masked_fill_", masked_fill_inplace_fn, doc("masked_fill_"), py::arg("input"), py::arg("mask"),
        py::arg("value"));
  cls.def("masked_fill_", masked_fill_inplace_fn, doc("masked_fill_"), py::arg("mask"), py::arg("value"));

  auto masked_scatter_fn = differentiable("masked_scatter", &masked_scatter);
  m.def("masked_scatter", masked_scatter_fn, doc("masked_scatter"), py::arg("input"), py::arg("mask"),
        py::arg("source"));
  cls.def("masked_scatter", masked_scatter_fn, doc("masked_scatter"), py::arg("mask"), py::arg("source"));
  cls.def("masked_scatter_", differentiable("masked_scatter_", &masked_scatter_), doc("masked_scatter_"),
          py::arg("mask"), py::arg("source"));

  m.def("nonzero", &nonzero_op, doc("nonzero"), py::arg("input"), py::kw_only(), py::arg("as_tuple") = false);
  cls.def("nonzero", &nonzero_op, doc("nonzero"), py::kw_only(), py::arg("as_tuple") = false);
  m.def("argwhere", &nonzero, doc("argwhere"), py::arg("input"));
  cls.def("argwhere", &nonzero, doc("argwhere"));
}

}  // namespace pt::python
