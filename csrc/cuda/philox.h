// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11) and the
// transforms that turn its output into samples. Counter-based: draw g of a launch is a pure
// function of (seed, offset + g), so every GPU thread computes its own numbers and no two
// launches overlap as long as each advances the offset past the counters it used.
// Plain host/device code (PT_HOST_DEVICE): the CUDA kernels in random.cu and the host unit
// tests (tests/cpp/test_cuda_host.cpp) run the very same functions.
#pragma once
#include <cmath>
#include <cstdint>

#include "core/macros.h"

namespace pt::cuda::philox {

// One Philox4x32-10 block: 4 output words from a 128-bit counter and a 64-bit key, with the
// constants and key schedule of Random123 (the known-answer vectors hold for this function).
PT_HOST_DEVICE inline void philox4x32_10(const uint32_t ctr_in[4], const uint32_t key_in[2], uint32_t out[4]) {
  uint32_t c0 = ctr_in[0], c1 = ctr_in[1], c2 = ctr_in[2], c3 = ctr_in[3];
  uint32_t k0 = key_in[0], k1 = key_in[1];
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
    const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// The 4 words of counter `counter` under key `seed`.
PT_HOST_DEVICE inline void draw(uint64_t seed, uint64_t counter, uint32_t out[4]) {
  const uint32_t ctr[4] = {static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32), 0u, 0u};
  const uint32_t key[2] = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  philox4x32_10(ctr, key, out);
}

PT_HOST_DEVICE inline uint64_t u64_of(uint32_t hi, uint32_t lo) {
  return (static_cast<uint64_t>(hi) << 32) | lo;
}
// [0, 1) on the float grid of 2^-24 and the double grid of 2^-53.
PT_HOST_DEVICE inline float unit_f32(uint32_t w) { return static_cast<float>(w >> 8) * 0x1p-24f; }
PT_HOST_DEVICE inline double unit_f64(uint64_t r) { return static_cast<double>(r >> 11) * 0x1p-53; }

// ---- distributions ------------------------------------------------------------------------
// Each turns one draw (4 words) into up to kPerDraw consecutive elements: out[i0 .. i0 + count)
// with count <= kPerDraw. Elements of one draw use disjoint words, so they are independent.

template <typename T>
struct Uniform {  // [from, to); float32 or float64
  static constexpr int kPerDraw = sizeof(T) == 4 ? 4 : 2;
  T from, to;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    for (int j = 0; j < count; ++j) {
      T u;
      if constexpr (sizeof(T) == 4) u = unit_f32(w[j]);
      else u = static_cast<T>(unit_f64(u64_of(w[2 * j], w[2 * j + 1])));
      const T v = u * (to - from) + from;
      // A value that rounds up to `to` would leave the half-open range: it becomes `from`.
      out[i0 + j] = v >= to ? from : v;
    }
  }
};

template <typename T>
struct Normal {  // Box-Muller: one pair of uniforms gives two independent normals
  static constexpr int kPerDraw = sizeof(T) == 4 ? 4 : 2;
  T mean, std;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    T z[4];
    if constexpr (sizeof(T) == 4) {
      for (int p = 0; p < 2; ++p) {
        const float u1 = 1.0f - unit_f32(w[2 * p]);  // (0, 1]: log(u1) is finite
        const float u2 = unit_f32(w[2 * p + 1]);
        const float r = ::sqrtf(-2.0f * ::logf(u1));
        const float a = 6.283185307179586f * u2;
        z[2 * p] = r * ::cosf(a);
        z[2 * p + 1] = r * ::sinf(a);
      }
    } else {
      const double u1 = 1.0 - unit_f64(u64_of(w[0], w[1]));
      const double u2 = unit_f64(u64_of(w[2], w[3]));
      const double r = ::sqrt(-2.0 * ::log(u1));
      const double a = 6.283185307179586 * u2;
      z[0] = r * ::cos(a);
      z[1] = r * ::sin(a);
    }
    for (int j = 0; j < count; ++j) out[i0 + j] = z[j] * std + mean;
  }
};

// Integers base + r % range from 64-bit draws (bias <= range / 2^64); range == 0 means all 2^64
// values (torch's full 64-bit range). Values go through int64 to T, as on the CPU.
template <typename T>
struct IntRange {
  static constexpr int kPerDraw = 2;
  uint64_t range;
  int64_t base;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    for (int j = 0; j < count; ++j) {
      uint64_t r = u64_of(w[2 * j], w[2 * j + 1]);
      if (range != 0) r %= range;
      out[i0 + j] = static_cast<T>(static_cast<int64_t>(r + static_cast<uint64_t>(base)));
    }
  }
};

template <typename T>
struct Bernoulli {  // 1 with probability p (a 53-bit uniform against p, as the CPU kernel)
  static constexpr int kPerDraw = 2;
  double p;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    for (int j = 0; j < count; ++j) {
      out[i0 + j] = static_cast<T>(unit_f64(u64_of(w[2 * j], w[2 * j + 1])) < p);
    }
  }
};

template <typename T>
struct BernoulliTensor {  // per-element probabilities, p[i] for out[i]
  static constexpr int kPerDraw = 2;
  const double* p;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    for (int j = 0; j < count; ++j) {
      out[i0 + j] = static_cast<T>(unit_f64(u64_of(w[2 * j], w[2 * j + 1])) < p[i0 + j]);
    }
  }
};

template <typename T>
struct Exponential {  // -log(1 - U) / lambda
  static constexpr int kPerDraw = 2;
  double lambd;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    for (int j = 0; j < count; ++j) {
      const double u = unit_f64(u64_of(w[2 * j], w[2 * j + 1]));
      out[i0 + j] = static_cast<T>(-1.0 / lambd * ::log1p(-u));
    }
  }
};

template <typename T>
struct DropoutScale {  // 1/q with probability q (the kept fraction), else 0, as the CPU's scale
  static constexpr int kPerDraw = 2;
  double q;
  PT_HOST_DEVICE void operator()(const uint32_t* w, T* out, int64_t i0, int count) const {
    const T scale = T(1) / static_cast<T>(q);
    for (int j = 0; j < count; ++j) {
      out[i0 + j] = unit_f64(u64_of(w[2 * j], w[2 * j + 1])) < q ? scale : T(0);
    }
  }
};

// Draws a launch of n elements uses: what the generator's offset must advance by.
template <typename Dist>
PT_HOST_DEVICE constexpr uint64_t draws_for(int64_t n) {
  return static_cast<uint64_t>((n + Dist::kPerDraw - 1) / Dist::kPerDraw);
}

// Fills out[0, n) on the host exactly as the CUDA kernel does on the device (for tests).
template <typename T, typename Dist>
void fill_host(T* out, int64_t n, uint64_t seed, uint64_t offset, const Dist& dist) {
  for (int64_t g = 0; g * Dist::kPerDraw < n; ++g) {
    uint32_t w[4];
    draw(seed, offset + static_cast<uint64_t>(g), w);
    const int64_t i0 = g * Dist::kPerDraw;
    const int count = static_cast<int>(n - i0 < Dist::kPerDraw ? n - i0 : Dist::kPerDraw);
    dist(w, out, i0, count);
  }
}

}  // namespace pt::cuda::philox
