// Python bindings of the random number generator and the samplers (spec: shared/spec/rng.md).
// The Python API with torch's signatures lives in src/pytensor/random.py; these are its
// building blocks. Every sampler takes `generator` (a _C.Generator or None for the default
// generator) and releases the GIL while it draws.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "core/errors.h"
#include "core/generator.h"
#include "core/tensor.h"
#include "cpu/random.h"
#include "cuda/random.h"
#include "cuda/runtime.h"
#include "python/bindings.h"
#include "python/casters.h"

namespace py = pybind11;

namespace pt::python {

namespace {

using GenPtr = std::shared_ptr<Generator>;

GenPtr default_generator_ptr() {
  static GenPtr ptr(&default_generator(), [](Generator*) {});  // never freed
  return ptr;
}

Generator& gen_of(const py::handle& h) {
  if (h.is_none()) return default_generator();
  if (!py::isinstance<Generator>(h)) {
    throw TypeError(str_cat("expected a Generator or None as generator, but got ",
                            std::string(py::str(py::type::handle_of(h).attr("__name__")))));
  }
  return h.cast<Generator&>();
}

std::string type_name(const py::handle& h) {
  return py::str(py::type::handle_of(h).attr("__name__"));
}

// torch's THPGenerator_manualSeed: ints only (not bool/float), [-2^63, 2^64 - 1], negative
// values taken as two's complement.
uint64_t seed_from_py(const py::handle& h) {
  PyObject* o = h.ptr();
  bool is_int = PyLong_Check(o) && !PyBool_Check(o);
  if (!is_int && !PyBool_Check(o) && !PyFloat_Check(o) && PyIndex_Check(o)) is_int = true;  // numpy ints
  if (!is_int) {
    throw RuntimeError(str_cat("manual_seed expected a long, but got ", type_name(h)));
  }
  py::object idx = py::reinterpret_steal<py::object>(PyNumber_Index(o));
  if (!idx) throw py::error_already_set();
  unsigned long long u = PyLong_AsUnsignedLongLong(idx.ptr());
  if (!PyErr_Occurred()) return static_cast<uint64_t>(u);
  PyErr_Clear();
  int overflow = 0;
  long long s = PyLong_AsLongLongAndOverflow(idx.ptr(), &overflow);
  if (overflow != 0 || (s == -1 && PyErr_Occurred())) {
    PyErr_Clear();
    throw ValueError("Overflow when unpacking long long");
  }
  return static_cast<uint64_t>(s);
}

Tensor state_tensor(const Generator& g) {
  std::vector<uint8_t> bytes = g.get_state();
  Tensor t = empty({static_cast<int64_t>(bytes.size())}, DType::UInt8);
  std::memcpy(t->data(), bytes.data(), bytes.size());
  return t;
}

// Reads a uint8 tensor's elements in logical (row-major) order.
std::vector<uint8_t> tensor_bytes(const TensorImpl& t) {
  std::vector<uint8_t> out(static_cast<size_t>(t.numel()));
  const Shape& sz = t.sizes();
  const Shape& st = t.strides();
  const uint8_t* base = reinterpret_cast<const uint8_t*>(t.data());
  std::vector<int64_t> idx(sz.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < sz.size(); ++d) off += idx[d] * st[d];
    out[i] = base[off];
    for (size_t d = sz.size(); d-- > 0;) {
      if (++idx[d] < sz[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

void set_state_from_py(Generator& g, const py::handle& state, bool default_message) {
  if (!py::isinstance<TensorImpl>(state)) {
    if (default_message) throw TypeError("RNG state must be a torch.ByteTensor");
    throw TypeError(str_cat("expected a torch.ByteTensor, but got ", type_name(state)));
  }
  Tensor t = state.cast<Tensor>();
  PT_CHECK_T(TypeError, t->dtype() == DType::UInt8 && t->device().is_cpu(),
             "RNG state must be a torch.ByteTensor");
  std::vector<uint8_t> bytes = tensor_bytes(*t);
  g.set_state(bytes.data(), bytes.size());
}

// A CUDA tensor draws from its device's generator: only None is accepted as `generator`.
bool on_cuda(const TensorImpl& t, const py::handle& gen) {
  if (t.device().is_cpu()) return false;
  if (!gen.is_none()) {
    PT_CHECK(!py::isinstance<Generator>(gen), "Expected a 'cuda' device type for generator but found 'cpu'");
    gen_of(gen);  // the TypeError for a non-generator
  }
  return true;
}

// -1: the current device (which needs a GPU); else the index itself.
int cuda_index(int device) { return device < 0 ? cuda::current_device() : device; }

void check_device_arg(const py::handle& device) {
  if (device.is_none()) return;
  std::string s = py::str(device);
  PT_CHECK(s == "cpu" || s == "cpu:0" || s == "-1",
           "pytensor's Generator supports device='cpu' only, got ", s);
}

}  // namespace

void bind_random(py::module_& m) {
  py::class_<Generator, GenPtr>(m, "Generator", R"doc(
A pseudo-random number generator (MT19937), bit-identical to torch.Generator on CPU.
A new Generator has seed 67280421310721.)doc")
      .def(py::init([](const py::object& device) {
             check_device_arg(device);
             return std::make_shared<Generator>();
           }),
           py::arg("device") = "cpu")
      .def(
          "manual_seed",
          [](const GenPtr& g, const py::object& seed) {
            uint64_t s = seed_from_py(seed);
            std::lock_guard<std::mutex> lock(g->mutex());
            g->manual_seed(s);
            return g;
          },
          py::arg("seed"), "Seeds the generator and returns it.")
      .def("initial_seed", &Generator::initial_seed)
      .def(
          "seed",
          [](Generator& g) {
            std::lock_guard<std::mutex> lock(g.mutex());
            return g.seed();
          },
          "Reseeds from a non-deterministic source and returns the seed.")
      .def("get_state",
           [](const Generator& g) {
             std::lock_guard<std::mutex> lock(g.mutex());
             return state_tensor(g);
           })
      .def(
          "set_state",
          [](const GenPtr& g, const py::object& state) {
            std::lock_guard<std::mutex> lock(g->mutex());
            set_state_from_py(*g, state, false);
            return g;
          },
          py::arg("new_state"))
      .def("_u32", [](Generator& g) {
        std::lock_guard<std::mutex> lock(g.mutex());
        return g.u32();
      })
      .def("_u64", [](Generator& g) {
        std::lock_guard<std::mutex> lock(g.mutex());
        return g.u64();
      })
      .def(py::pickle(
          [](const Generator& g) {
            std::vector<uint8_t> b = g.get_state();
            return py::make_tuple(py::bytes(reinterpret_cast<const char*>(b.data()), b.size()));
          },
          [](const py::tuple& t) {
            std::string b = t[0].cast<std::string>();
            auto g = std::make_shared<Generator>();
            g->set_state(reinterpret_cast<const uint8_t*>(b.data()), b.size());
            return g;
          }));

  m.attr("default_generator") = py::cast(default_generator_ptr());
  m.def("_set_rng_state", [](const py::object& state) {
    Generator& g = default_generator();
    std::lock_guard<std::mutex> lock(g.mutex());
    set_state_from_py(g, state, true);
  });
  m.def("_rng_has_avx2_fma", &rng_detail::cpu_has_avx2_fma);

  // The CUDA generators (one Philox stream per device); `device` -1 is the current device.
  // Seeding all devices works in every build, so torch.manual_seed can always call it.
  m.def(
      "_cuda_manual_seed", [](const py::object& seed, int device) {
        cuda_generator_manual_seed(cuda_index(device), seed_from_py(seed));
      },
      py::arg("seed"), py::arg("device") = -1);
  m.def(
      "_cuda_manual_seed_all", [](const py::object& seed) { cuda_generator_manual_seed_all(seed_from_py(seed)); },
      py::arg("seed"));
  m.def(
      "_cuda_seed", [](int device) { return cuda_generator_seed(cuda_index(device)); }, py::arg("device") = -1);
  m.def(
      "_cuda_seed_all",
      [] {
        const uint64_t s = nondeterministic_seed();
        cuda_generator_manual_seed_all(s);
        return s;
      });
  m.def(
      "_cuda_initial_seed", [](int device) { return cuda_generator_initial_seed(cuda_index(device)); },
      py::arg("device") = -1);
  m.def(
      "_cuda_get_rng_state",
      [](int device) {
        std::vector<uint8_t> bytes = cuda_generator_get_state(cuda_index(device));
        Tensor t = empty({static_cast<int64_t>(bytes.size())}, DType::UInt8);
        std::memcpy(t->data(), bytes.data(), bytes.size());
        return t;
      },
      py::arg("device") = -1);
  m.def(
      "_cuda_set_rng_state",
      [](const py::object& state, int device) {
        const int d = cuda_index(device);
        if (!py::isinstance<TensorImpl>(state)) throw TypeError("RNG state must be a torch.ByteTensor");
        Tensor t = state.cast<Tensor>();
        PT_CHECK_T(TypeError, t->dtype() == DType::UInt8 && t->device().is_cpu(),
                   "RNG state must be a torch.ByteTensor");
        std::vector<uint8_t> bytes = tensor_bytes(*t);
        cuda_generator_set_state(d, bytes.data(), bytes.size());
      },
      py::arg("new_state"), py::arg("device") = -1);
  m.def("_nondeterministic_seed", &nondeterministic_seed);

  // --- in-place samplers: return self ------------------------------------------------------
  m.def(
      "_uniform_",
      [](const Tensor& self, double from, double to, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::uniform_(self, from, to);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        uniform_(self, from, to, g);
        return self;
      },
      py::arg("self"), py::arg("from"), py::arg("to"), py::arg("generator") = py::none());
  m.def(
      "_normal_",
      [](const Tensor& self, double mean, double std, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::normal_(self, mean, std);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        normal_(self, mean, std, g);
        return self;
      },
      py::arg("self"), py::arg("mean"), py::arg("std"), py::arg("generator") = py::none());
  m.def(
      "_random_",
      [](const Tensor& self, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::random_(self);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        random_(self, g);
        return self;
      },
      py::arg("self"), py::arg("generator") = py::none());
  m.def(
      "_random_from_to_",
      [](const Tensor& self, int64_t from, std::optional<int64_t> to, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::random_from_to_(self, from, to);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        random_from_to_(self, from, to, g);
        return self;
      },
      py::arg("self"), py::arg("from"), py::arg("to"), py::arg("generator") = py::none());
  m.def(
      "_bernoulli_",
      [](const Tensor& self, double p, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::bernoulli_(self, p);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        bernoulli_(self, p, g);
        return self;
      },
      py::arg("self"), py::arg("p"), py::arg("generator") = py::none());
  m.def(
      "_bernoulli_tensor_",
      [](const Tensor& self, const Tensor& p, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::bernoulli_tensor_(self, p);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        bernoulli_tensor_(self, p, g);
        return self;
      },
      py::arg("self"), py::arg("p"), py::arg("generator") = py::none());
  m.def(
      "_exponential_",
      [](const Tensor& self, double lambd, const py::object& gen) {
        if (on_cuda(*self, gen)) {
          cuda::exponential_(self, lambd);
          return self;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        exponential_(self, lambd, g);
        return self;
      },
      py::arg("self"), py::arg("lambd"), py::arg("generator") = py::none());

  // --- out-of-place ----------------------------------------------------------------------------
  m.def(
      "_bernoulli",
      [](const Tensor& p, const py::object& gen) {
        if (on_cuda(*p, gen)) {
          if (!is_floating(p->dtype())) {
            throw NotImplementedError(str_cat("\"bernoulli_tensor_cuda_p_\" not implemented for '",
                                              dtype_torch_name(p->dtype()), "'"));
          }
          Tensor out = empty_like_preserve(*p, p->dtype());
          cuda::bernoulli_tensor_(out, p);
          return out;
        }
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return bernoulli(p, g);
      },
      py::arg("p"), py::arg("generator") = py::none());
  m.def(
      "_randperm",
      [](int64_t n, DType dtype, const py::object& gen) {
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return randperm(n, dtype, g);
      },
      py::arg("n"), py::arg("dtype"), py::arg("generator") = py::none());
  m.def(
      "_multinomial",
      [](const Tensor& probs, int64_t k, bool replacement, const py::object& gen) {
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return multinomial(probs, k, replacement, g);
      },
      py::arg("input"), py::arg("num_samples"), py::arg("replacement") = false,
      py::arg("generator") = py::none());
  m.def(
      "_normal_tensor_tensor",
      [](const Tensor& mean, const Tensor& std, const py::object& gen) {
        if (on_cuda(*mean, gen) || on_cuda(*std, gen)) return cuda::normal_tensor_tensor(mean, std);
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return normal_tensor_tensor(mean, std, g);
      },
      py::arg("mean"), py::arg("std"), py::arg("generator") = py::none());
  m.def(
      "_normal_tensor_scalar",
      [](const Tensor& mean, double std, const py::object& gen) {
        if (on_cuda(*mean, gen)) return cuda::normal_tensor_scalar(mean, std);
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return normal_tensor_scalar(mean, std, g);
      },
      py::arg("mean"), py::arg("std"), py::arg("generator") = py::none());
  m.def(
      "_normal_scalar_tensor",
      [](double mean, const Tensor& std, const py::object& gen) {
        if (on_cuda(*std, gen)) return cuda::normal_scalar_tensor(mean, std);
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return normal_scalar_tensor(mean, std, g);
      },
      py::arg("mean"), py::arg("std"), py::arg("generator") = py::none());
  m.def(
      "_dropout_scale",
      [](const Tensor& x, double p, const py::object& gen) {
        if (on_cuda(*x, gen)) return cuda::dropout_scale(x, p);
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return dropout_scale(x, p, g);
      },
      py::arg("input"), py::arg("p"), py::arg("generator") = py::none());
  m.def(
      "_dropout",
      [](const Tensor& x, double p, bool training, const py::object& gen) {
        Generator& g = gen_of(gen);
        py::gil_scoped_release nogil;
        return dropout(x, p, training, g);
      },
      py::arg("input"), py::arg("p"), py::arg("training"), py::arg("generator") = py::none());
  m.def(
      "_empty_like_preserve",
      [](const Tensor& t, DType dtype) { return empty_like_preserve(*t, dtype); },
      py::arg("input"), py::arg("dtype"));
}

}  // namespace pt::python
