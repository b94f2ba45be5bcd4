// Matrix products: module functions (_C.mm ...), Tensor methods and the @ operators, each
// bound straight to its C++ op so a call crosses into C++ once.
#include <pybind11/stl.h>

#include "cpu/matmul.h"
#include "cuda/cublas.h"
#include "ops/linalg.h"
#include "python/autograd_hook.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

void bind_linalg(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<TensorImpl, Tensor>>(m.attr("Tensor"));

  struct Binary {
    const char* name;
    Tensor (*fn)(const Tensor&, const Tensor&);
    const char* other;  // the second argument's keyword in torch's signature
  };
  const Binary binaries[] = {
      {"mm", &mm, "mat2"}, {"bmm", &bmm, "mat2"},   {"mv", &mv, "vec"},
      {"dot", &dot, "tensor"}, {"outer", &outer, "vec2"}, {"matmul", &matmul, "other"},
  };
  for (const auto& e : binaries) {
    auto f = differentiable(e.name, e.fn);
    m.def(e.name, f, py::arg("input"), py::arg(e.other));
    cls.def(e.name, f, py::arg(e.other));
  }
  m.attr("ger") = m.attr("outer");
  cls.attr("ger") = cls.attr("outer");

  // `@`: a non-tensor operand fails conversion, so pybind returns NotImplemented and Python
  // raises torch's TypeError. NOTE: torch has no in-place matmul; `a @= b` rebinds `a` to a
  // new tensor (its shape may change), so __imatmul__ does exactly that.
  auto matmul_op = differentiable("matmul", &matmul);
  cls.def("__matmul__", matmul_op, py::is_operator());
  cls.def("__imatmul__", matmul_op, py::is_operator());
  cls.def(
      "__rmatmul__",
      [](const Tensor& self, const Tensor& other) -> py::object {
        if (needs_autograd(other, self)) return autograd_call("matmul", other, self);
        return py::cast(matmul(other, self));
      },
      py::is_operator());

  struct Ternary {
    const char* name;
    Tensor (*fn)(const Tensor&, const Tensor&, const Tensor&, const Scalar&, const Scalar&);
    const char* a;
    const char* b;
  };
  const Ternary ternaries[] = {
      {"addmm", &addmm, "mat1", "mat2"},
      {"addmv", &addmv, "mat", "vec"},
      {"baddbmm", &baddbmm, "batch1", "batch2"},
  };
  for (const auto& e : ternaries) {
    auto f = differentiable(e.name, e.fn);
    m.def(e.name, f, py::arg("input"), py::arg(e.a), py::arg(e.b), py::kw_only(), py::arg("beta") = 1,
          py::arg("alpha") = 1);
    cls.def(e.name, f, py::arg(e.a), py::arg(e.b), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1);
  }
  // Not through differentiable(): an optional bias that requires grad must count too.
  m.def(
      "linear",
      [](const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias) -> py::object {
        if (needs_autograd(input, weight) || (bias && needs_autograd(*bias)))
          return autograd_call("linear", input, weight, bias);
        return py::cast(linear(input, weight, bias));
      },
      py::arg("input"), py::arg("weight"), py::arg("bias") = py::none(), "input @ weight.T + bias");

  // LAPACK-backed; the Python layer (pytensor.linalg) adds broadcasting and named results.
  m.def("linalg_inv", differentiable("linalg_inv", &linalg_inv), py::arg("A"));
  m.def("linalg_det", differentiable("linalg_det", &linalg_det), py::arg("A"));
  m.def("_linalg_slogdet", differentiable("_linalg_slogdet", &linalg_slogdet), py::arg("A"),
        "(logabsdet, sign) of each square matrix");
  m.def("linalg_solve", differentiable("linalg_solve", &linalg_solve), py::arg("A"), py::arg("B"));

  m.def("_set_blas_shares_threads", &cpu::share_threads_with_blas, py::arg("share"));
  // Loads cuBLAS if it is not loaded yet and returns the path it came from (RuntimeError naming
  // every place tried when it cannot be loaded): for pytensor.cuda's diagnostics and tests.
  m.def("_cublas_library", [] { return cuda::cublas().path; });
  m.def("_blas_info", [] {
    py::dict d;
    d["config"] = std::string(cpu::blas_config());
    d["corename"] = std::string(cpu::blas_corename());
    d["num_threads"] = cpu::blas_num_threads();
    d["shares_threads"] = cpu::blas_shares_threads();
    return d;
  });
}

}  // namespace pt::python
