// Samplers of CUDA tensors: argument checks as the CPU samplers (cpu/random.cpp), then one
// Philox kernel template per distribution (cuda/philox.h) writing a dense block of memory.
// A tensor whose elements are not one dense block is filled through a contiguous temporary.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>

#include "core/errors.h"
#include "core/generator.h"
#include "cpu/random.h"
#include "cuda/check.h"
#include "cuda/philox.h"
#include "cuda/random.h"
#include "cuda/runtime.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "ops/views.h"

namespace pt::cuda {

namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = int64_t{1} << 16;  // grid-stride beyond this

cudaStream_t current_stream() { return static_cast<cudaStream_t>(stream(current_device())); }

template <typename T, typename Dist>
__global__ void philox_fill_kernel(T* out, int64_t n, uint64_t seed, uint64_t offset, Dist dist) {
  const int64_t draws = (n + Dist::kPerDraw - 1) / Dist::kPerDraw;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t g = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; g < draws; g += step) {
    uint32_t w[4];
    philox::draw(seed, offset + static_cast<uint64_t>(g), w);
    const int64_t i0 = g * Dist::kPerDraw;
    const int count = n - i0 < Dist::kPerDraw ? static_cast<int>(n - i0) : Dist::kPerDraw;
    dist(w, out, i0, count);
  }
}

// out[0, n) on the current device, from counters reserved on that device's generator.
template <typename T, typename Dist>
void launch_fill(T* out, int64_t n, const Dist& dist) {
  if (n == 0) return;
  const uint64_t draws = philox::draws_for<Dist>(n);
  const PhiloxState st = cuda_generator_reserve(current_device(), draws);
  const int64_t blocks = std::min<int64_t>((static_cast<int64_t>(draws) + kThreads - 1) / kThreads, kMaxBlocks);
  philox_fill_kernel<T, Dist><<<static_cast<unsigned>(blocks), kThreads, 0, current_stream()>>>(out, n, st.seed,
                                                                                               st.offset, dist);
  PT_CUDA_CHECK_LAUNCH();
}

// Whether t's elements fill exactly numel consecutive slots from data() (any order).
bool dense(const TensorImpl& t) {
  if (t.is_contiguous()) return true;
  std::vector<size_t> order(t.sizes().size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return t.strides()[a] < t.strides()[b]; });
  int64_t expected = 1;
  for (size_t d : order) {
    if (t.sizes()[d] == 1) continue;
    if (t.strides()[d] != expected) return false;
    expected *= t.sizes()[d];
  }
  return true;
}

// The CPU samplers' output checks (cpu/random.cpp's prepare_output), for a CUDA tensor.
void prepare_output(const TensorImpl& t) {
  PT_CHECK(!t.device().is_cpu(), "CUDA sampler called with a tensor on ", t.device().str());
  const Shape& sz = t.sizes();
  const Shape& st = t.strides();
  for (size_t i = 0; i < sz.size(); ++i) {
    PT_CHECK(!(sz[i] > 1 && st[i] == 0),
             "unsupported operation: more than one element of the written-to tensor refers to a "
             "single memory location. Please clone() the tensor before performing the operation.");
  }
}

// Fills every element of self with dist's values (self's dtype is T).
template <typename T, typename Dist>
void fill(const Tensor& self, const Dist& dist) {
  DeviceGuard guard(self->device());
  if (dense(*self)) {
    launch_fill(self->data_as<T>(), self->numel(), dist);
  } else {
    Tensor tmp = empty(self->sizes(), self->dtype(), self->device());
    launch_fill(tmp->data_as<T>(), tmp->numel(), dist);
    copy_(self, tmp);
  }
  self->bump_version();
}

[[noreturn]] void not_implemented(const char* kernel, DType d) {
  throw NotImplementedError(str_cat("\"", kernel, "\" not implemented for '", dtype_torch_name(d), "'"));
}

template <typename Fn>
void dispatch_float(DType d, Fn&& fn) {
  if (d == DType::Float32) fn(float{});
  else fn(double{});
}

// base + r % range (range 0: the full 64-bit range) in self's dtype.
void fill_range(const Tensor& self, uint64_t range, int64_t base) {
  prepare_output(*self);
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    fill<T>(self, philox::IntRange<T>{range, base});
  });
}

__global__ void count_outside_unit_kernel(const double* p, int64_t n, unsigned int* bad) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) atomicAdd(bad, 1u);  // NaN counts as outside
  }
}

// Whether every p[0, n) (device memory) lies in [0, 1]; waits for the device.
bool all_in_unit_interval(const double* p, int64_t n, Device device) {
  if (n == 0) return true;
  std::shared_ptr<void> flag = allocate(sizeof(unsigned int), device.index);
  cudaStream_t s = current_stream();
  PT_CUDA_CHECK(cudaMemsetAsync(flag.get(), 0, sizeof(unsigned int), s));
  const int64_t blocks = std::min<int64_t>((n + kThreads - 1) / kThreads, kMaxBlocks);
  count_outside_unit_kernel<<<static_cast<unsigned>(blocks), kThreads, 0, s>>>(
      p, n, static_cast<unsigned int*>(flag.get()));
  PT_CUDA_CHECK_LAUNCH();
  unsigned int bad = 0;
  copy_bytes(&bad, Device{}, flag.get(), device, sizeof(bad));
  return bad == 0;
}

// torch.normal's std tensor: every element >= 0 (NaN fails), read back as its minimum.
void check_std_tensor(const Tensor& std) {
  if (std->numel() == 0) return;
  const Tensor lo = to_dtype(pt::min(std), DType::Float64);
  double v = 0;
  copy_bytes(&v, Device{}, lo->data(), lo->device(), sizeof(v));
  PT_CHECK(v >= 0, "normal expects all elements of std >= 0.0");
}

// out = op(out, other) computed in their promoted dtype and rounded back to out's, as the
// CPU kernel does.
void combine_into(const Tensor& out, cpu::BinaryOp op, const TensorOrScalar& other) {
  copy_(out, binary(op, out, other));
}

void check_same_device(const Tensor& a, const Tensor& b, const char* b_name) {
  PT_CHECK(a->device() == b->device(), "Expected all tensors to be on the same device, but got ", b_name, " is on ",
           b->device().str(), ", different from other tensors on ", a->device().str());
}

}  // namespace

void uniform_(const Tensor& self, double from, double to) {
  const DType d = self->dtype();
  if (!is_floating(d)) not_implemented("check_uniform_bounds", d);
  const char* name = cpp_type_name(d);
  const double mx = d == DType::Float32 ? static_cast<double>(std::numeric_limits<float>::max())
                                        : std::numeric_limits<double>::max();
  PT_CHECK(from >= -mx && from <= mx, "from is out of bounds for ", name);
  PT_CHECK(to >= -mx && to <= mx, "to is out of bounds for ", name);
  PT_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from=", from, " > to=", to);
  PT_CHECK((to - from) <= mx, "uniform_ expects to-from <= std::numeric_limits<", dtype_torch_name(d),
           ">::max(), but found to=", to, " and from=", from, " which result in to-from to exceed the limit");
  prepare_output(*self);
  dispatch_float(d, [&](auto tag) {
    using T = decltype(tag);
    fill<T>(self, philox::Uniform<T>{static_cast<T>(from), static_cast<T>(to)});
  });
}

void normal_(const Tensor& self, double mean, double std) {
  PT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  const DType d = self->dtype();
  if (!is_floating(d)) not_implemented("normal_kernel_cuda", d);
  prepare_output(*self);
  dispatch_float(d, [&](auto tag) {
    using T = decltype(tag);
    fill<T>(self, philox::Normal<T>{static_cast<T>(mean), static_cast<T>(std)});
  });
}

void random_(const Tensor& self) {
  // The dtype's non-negative range, as the CPU's random_(): [0, max] for integers, [0, 2^digits]
  // for floats, {0, 1} for bool.
  uint64_t range = 0;
  switch (self->dtype()) {
    case DType::Bool: range = 2; break;
    case DType::Float32: range = (uint64_t{1} << 24) + 1; break;
    case DType::Float64: range = (uint64_t{1} << 53) + 1; break;
    default:
      dispatch_dtype(self->dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_integral_v<T>) range = static_cast<uint64_t>(std::numeric_limits<T>::max()) + 1;
      });
  }
  fill_range(self, range, 0);
}

void random_from_to_(const Tensor& self, int64_t from, std::optional<int64_t> to_opt) {
  const RandomRange r =
      random_range(self->dtype(), from, to_opt, "random_full_64_bits_range_kernel_cuda");
  fill_range(self, r.range, r.base);
}

void bernoulli_(const Tensor& self, double p) {
  PT_CHECK(0 <= p && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  prepare_output(*self);
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    fill<T>(self, philox::Bernoulli<T>{p});
  });
}

void bernoulli_tensor_(const Tensor& self, const Tensor& p) {
  if (!is_floating(p->dtype())) not_implemented("bernoulli_tensor_cuda_p_", p->dtype());
  // p broadcast to self's shape, as float64 in one dense block on self's device.
  Tensor probs = as_contiguous_dtype(expand(p, self->sizes()), DType::Float64);
  DeviceGuard guard(self->device());
  if (probs->device().is_cpu()) {
    const double* v = probs->data_as<double>();
    PT_CHECK(std::all_of(v, v + probs->numel(), [](double x) { return x >= 0 && x <= 1; }),
             "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  "
             "If so, please report an enhancement request to PyTorch.)");
    Tensor on_device = empty(probs->sizes(), DType::Float64, self->device());
    copy_bytes(on_device->data(), on_device->device(), probs->data(), probs->device(),
               static_cast<size_t>(probs->numel()) * sizeof(double));
    probs = on_device;
  } else {
    PT_CHECK(probs->device() == self->device(), "Expected all tensors to be on the same device, but got p is on ",
             probs->device().str(), ", different from other tensors on ", self->device().str());
    PT_CHECK(all_in_unit_interval(probs->data_as<double>(), probs->numel(), probs->device()),
             "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  "
             "If so, please report an enhancement request to PyTorch.)");
  }
  prepare_output(*self);
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (self->is_contiguous()) {
      launch_fill(self->data_as<T>(), self->numel(), philox::BernoulliTensor<T>{probs->data_as<double>()});
    } else {
      // probs is in logical order: draw in logical order too, then scatter into self.
      Tensor tmp = empty(self->sizes(), self->dtype(), self->device());
      launch_fill(tmp->data_as<T>(), tmp->numel(), philox::BernoulliTensor<T>{probs->data_as<double>()});
      copy_(self, tmp);
    }
  });
  self->bump_version();
}

void exponential_(const Tensor& self, double lambd) {
  PT_CHECK(lambd > 0.0, "exponential_ expects lambda > 0.0, but found lambda=", lambd);
  const DType d = self->dtype();
  PT_CHECK(is_floating(d), "Exponential distribution is a continuous probability distribution. "
           "dtype must be a floating point but you specified ", dtype_torch_name(d));
  prepare_output(*self);
  dispatch_float(d, [&](auto tag) {
    using T = decltype(tag);
    fill<T>(self, philox::Exponential<T>{lambd});
  });
}

Tensor dropout_scale(const Tensor& x, double p) {
  const DType d = x->dtype();
  PT_CHECK(is_floating(d), "result type Float can't be cast to the desired output type ", dtype_torch_name(d));
  // Like x when x is dense (as empty_like's preserve format), contiguous otherwise.
  Tensor noise =
      dense(*x) ? empty_strided(x->sizes(), x->strides(), d, x->device()) : empty(x->sizes(), d, x->device());
  dispatch_float(d, [&](auto tag) {
    using T = decltype(tag);
    fill<T>(noise, philox::DropoutScale<T>{1.0 - p});
  });
  return noise;
}

// torch.normal with tensor arguments: standard normals, then scaled and shifted in the
// arguments' promoted dtype with the result rounded to the output dtype after each step.
Tensor normal_tensor_tensor(const Tensor& mean, const Tensor& std) {
  check_same_device(mean, std, "std");
  check_std_tensor(std);
  const Shape shape = broadcast_shapes(mean->sizes(), std->sizes());
  if (!is_floating(mean->dtype())) not_implemented("normal_kernel_cuda", mean->dtype());
  Tensor out = empty(shape, mean->dtype(), mean->device());
  cuda::normal_(out, 0.0, 1.0);
  combine_into(out, cpu::BinaryOp::Mul, std);
  combine_into(out, cpu::BinaryOp::Add, mean);
  return out;
}

Tensor normal_tensor_scalar(const Tensor& mean, double std) {
  PT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  if (!is_floating(mean->dtype())) not_implemented("normal_kernel_cuda", mean->dtype());
  Tensor out = empty(mean->sizes(), mean->dtype(), mean->device());
  cuda::normal_(out, 0.0, std);
  combine_into(out, cpu::BinaryOp::Add, mean);
  return out;
}

Tensor normal_scalar_tensor(double mean, const Tensor& std) {
  check_std_tensor(std);
  if (!is_floating(std->dtype())) not_implemented("normal_kernel_cuda", std->dtype());
  Tensor out = empty(std->sizes(), std->dtype(), std->device());
  cuda::normal_(out, 0.0, 1.0);
  combine_into(out, cpu::BinaryOp::Mul, std);
  combine_into(out, cpu::BinaryOp::Add, Scalar::from_double(mean));
  return out;
}

}  // namespace pt::cuda
