// Random sampling kernels, bit-identical to PyTorch 2.13's CPU generator (the FMA variant of
// shared/spec/rng.md). In-place samplers write `self` in the fill order of spec section 9 and
// validate all arguments before drawing or writing anything.
#pragma once
#include <cstdint>
#include <optional>

#include "core/generator.h"
#include "core/tensor.h"

namespace pt {

// --- in-place samplers ---------------------------------------------------------------------
// Tensor.uniform_(from, to): float32/float64 only.
void uniform_(const Tensor& self, double from, double to, Generator& gen);
// Tensor.normal_(mean, std): block path for contiguous tensors with >= 16 elements, otherwise
// the per-element Box-Muller path with the generator's cached value.
void normal_(const Tensor& self, double mean, double std, Generator& gen);
// Tensor.random_(): the full non-negative range of the dtype (spec 4.1, "related forms").
void random_(const Tensor& self, Generator& gen);
// Tensor.random_(from, to) for to given ([from, to)); to == nullopt means "up to the dtype's
// maximum", and from == INT64_MIN with to == nullopt is the full 64-bit range.
void random_from_to_(const Tensor& self, int64_t from, std::optional<int64_t> to, Generator& gen);

// What random_(from, to) draws, after torch's argument checks and its float-bound adjustments:
// base + r % range, where range 0 means all 64 bits of r. Shared by the CPU and CUDA kernels;
// `full_range_kernel` names the kernel in the error for dtypes that can't take 64 random bits.
struct RandomRange {
  uint64_t range;
  int64_t base;
};
RandomRange random_range(DType dtype, int64_t from, std::optional<int64_t> to, const char* full_range_kernel);
// Tensor.bernoulli_(p) with a float p.
void bernoulli_(const Tensor& self, double p, Generator& gen);
// Tensor.bernoulli_(p_tensor): p is broadcast to self's shape.
void bernoulli_tensor_(const Tensor& self, const Tensor& p, Generator& gen);
// Tensor.exponential_(lambd).
void exponential_(const Tensor& self, double lambd, Generator& gen);

// --- out-of-place ---------------------------------------------------------------------------
// torch.bernoulli(p): a tensor like p (p's layout when dense), values 0/1 in p's dtype.
Tensor bernoulli(const Tensor& p, Generator& gen);
// torch.randperm(n, dtype=...).
Tensor randperm(int64_t n, DType dtype, Generator& gen);
// torch.multinomial(probs, k, replacement): int64 of shape (k,) or (rows, k).
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator& gen);
// torch.normal with tensor arguments (spec 3.4).
Tensor normal_tensor_tensor(const Tensor& mean, const Tensor& std, Generator& gen);
Tensor normal_tensor_scalar(const Tensor& mean, double std, Generator& gen);
Tensor normal_scalar_tensor(double mean, const Tensor& std, Generator& gen);
// The dropout scale tensor of spec 5.3 for 0 < p < 1: like x (x's strides when dense),
// values 0 or RN_T(1 / RN_T(1 - p)), drawn by bernoulli_(1 - p) in x's memory order.
Tensor dropout_scale(const Tensor& x, double p, Generator& gen);
// nn.functional.dropout(x, p, training): returns x itself when !training, p == 0 or x is
// empty; x * 0 when p == 1; x * dropout_scale(x, p) otherwise.
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen);

// --- helpers ----------------------------------------------------------------------------------
// torch.empty_like(t, dtype) with memory_format=preserve: t's strides when t is
// non-overlapping and dense, contiguous otherwise.
Tensor empty_like_preserve(const TensorImpl& t, DType dtype);

namespace rng_detail {
// The float32 block transform of spec 3.3 (FMA variant) on one block of 16 uniforms, in place.
// `use_simd` selects the AVX2 implementation when the CPU has it; both give identical bits.
void normal_fill_16_f32(float* block, float mean, float std, bool use_simd);
// Whether the AVX2+FMA kernels are in use on this machine.
bool cpu_has_avx2_fma();
float simd_logf_scalar(float x);                 // the spec's logf_simd, one lane
void simd_sincosf_scalar(float x, float* s, float* c);  // the spec's sincosf_simd, one lane
}  // namespace rng_detail

}  // namespace pt
