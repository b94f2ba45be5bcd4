// The random family's CUDA entry points, listed once in PT_FORALL_CUDA_RANDOM_KERNELS as
// _(return type, name, (parameters)): the CUDA build defines each in random.cu; a CPU-only build
// gets stubs from no_cuda.cpp. Work is queued on the current device's stream.
//
// Unlike the other families these take tensors and check their own arguments: they are the
// CUDA twins of the samplers in cpu/random.h (same names, checks and messages; the bindings
// pick one by the tensor's device). They draw from the device's Philox generator
// (core/generator.h, cuda/philox.h): the same distributions as the CPU, not the same bits.
// No generator object is passed: each device has one, and the bindings refuse CPU generators.
#pragma once
#include <cstdint>
#include <optional>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace pt::cuda {

// _(return type, name, (parameters))
#define PT_FORALL_CUDA_RANDOM_KERNELS(_)                                                  \
  _(void, uniform_, (const Tensor& self, double from, double to))                         \
  _(void, normal_, (const Tensor& self, double mean, double std))                         \
  _(void, random_, (const Tensor& self))                                                  \
  _(void, random_from_to_, (const Tensor& self, int64_t from, std::optional<int64_t> to)) \
  _(void, bernoulli_, (const Tensor& self, double p))                                     \
  _(void, bernoulli_tensor_, (const Tensor& self, const Tensor& p))                       \
  _(void, exponential_, (const Tensor& self, double lambd))                               \
  _(Tensor, dropout_scale, (const Tensor& x, double p))                                   \
  _(Tensor, normal_tensor_tensor, (const Tensor& mean, const Tensor& std))                \
  _(Tensor, normal_tensor_scalar, (const Tensor& mean, double std))                       \
  _(Tensor, normal_scalar_tensor, (double mean, const Tensor& std))

#define PT_DECLARE(ret, name, params) ret name params;
PT_FORALL_CUDA_RANDOM_KERNELS(PT_DECLARE)
#undef PT_DECLARE

}  // namespace pt::cuda
