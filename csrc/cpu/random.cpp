// Random sampling kernels, bit-identical to PyTorch 2.13's CPU generator (spec:
// shared/spec/rng.md, FMA variant).
//
// This file must be compiled with -ffp-contract=off: every fused multiply-add the spec asks
// for is written as std::fma (or an FMA intrinsic), and no other operation may be fused.
// The hot float loops exist twice: a portable scalar version and an AVX2+FMA version chosen at
// run time; both compute exactly the same bits (tests/cpp/test_random.cpp checks this).
#include "cpu/random.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <utility>
#include <vector>

#include "core/errors.h"

#if defined(__x86_64__) || defined(_M_X64)
#define PT_RNG_X86 1
#include <immintrin.h>
#define PT_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define PT_RNG_X86 0
#endif

namespace pt {

namespace {

// ============================================================================================
// Small helpers
// ============================================================================================

constexpr int64_t kChunk = 1024;  // raw draws produced per batch

inline uint32_t f2u(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
inline float u2f(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

inline float unit_f32(uint32_t r) { return static_cast<float>(r & 0xFFFFFFu) * 0x1p-24f; }
inline double unit_f64(uint64_t r) {
  return static_cast<double>(r & ((uint64_t{1} << 53) - 1)) * 0x1p-53;
}

[[noreturn]] void not_implemented(const char* kernel, DType d) {
  throw NotImplementedError(str_cat("\"", kernel, "\" not implemented for '", dtype_torch_name(d), "'"));
}

void check_cpu(const TensorImpl& t) {
  PT_CHECK(t.device().is_cpu(), "random sampling is only implemented for CPU tensors, got ",
           t.device().str());
}

// torch's assert_no_internal_overlap: a written tensor may not have a zero stride on a
// dimension of size > 1.
void check_no_internal_overlap(const TensorImpl& t) {
  const Shape& sz = t.sizes();
  const Shape& st = t.strides();
  for (size_t i = 0; i < sz.size(); ++i) {
    if (sz[i] > 1 && st[i] == 0) {
      throw RuntimeError(
          "unsupported operation: more than one element of the written-to tensor refers to a "
          "single memory location. Please clone() the tensor before performing the operation.");
    }
  }
}

void prepare_output(const TensorImpl& t) {
  check_cpu(t);
  check_no_internal_overlap(t);
}

// Reads element `off` (in elements) of a tensor of dtype d as a double.
inline double load_double(const char* base, int64_t off, DType d) {
  return dispatch_dtype(d, [&](auto tag) -> double {
    using T = decltype(tag);
    return static_cast<double>(reinterpret_cast<const T*>(base)[off]);
  });
}

// ============================================================================================
// Fill order (spec section 9): dimensions ordered by stride, largest outermost; size-1
// dimensions dropped; adjacent dimensions coalesced when they form one arithmetic run.
// ============================================================================================

class FillOrder {
 public:
  // strides[0] decides the order; further operands (read in step) are carried along.
  FillOrder(const Shape& sizes, std::vector<Shape> strides) : nops_(strides.size()) {
    std::vector<int> dims;
    numel_ = 1;
    for (size_t d = 0; d < sizes.size(); ++d) {
      numel_ *= sizes[d];
      if (sizes[d] != 1) dims.push_back(static_cast<int>(d));
    }
    const Shape& key = strides[0];
    std::stable_sort(dims.begin(), dims.end(), [&](int a, int b) { return key[a] > key[b]; });
    for (int d : dims) {
      sizes_.push_back(sizes[d]);
      for (size_t k = 0; k < nops_; ++k) strides_.push_back(strides[k][d]);
    }
    // Coalesce from the inside out: a dimension joins the group inside it when, for every
    // operand, its stride equals the group's stride times the group's size.
    const size_t nd = sizes_.size();
    std::vector<int64_t> gsz, gst;  // groups, innermost first
    for (size_t i = nd; i-- > 0;) {
      if (!gsz.empty()) {
        const size_t g = gsz.size() - 1;
        bool can = true;
        for (size_t k = 0; k < nops_; ++k)
          can = can && strides_[i * nops_ + k] == gst[g * nops_ + k] * gsz[g];
        if (can) {
          gsz[g] *= sizes_[i];
          continue;
        }
      }
      gsz.push_back(sizes_[i]);
      for (size_t k = 0; k < nops_; ++k) gst.push_back(strides_[i * nops_ + k]);
    }
    const size_t ng = gsz.size();
    sizes_.assign(gsz.rbegin(), gsz.rend());
    strides_.assign(ng * nops_, 0);
    for (size_t g = 0; g < ng; ++g)
      for (size_t k = 0; k < nops_; ++k) strides_[g * nops_ + k] = gst[(ng - 1 - g) * nops_ + k];
  }

  int64_t numel() const { return numel_; }

  // f(const int64_t* offsets, int64_t count, const int64_t* inner_strides): one run of `count`
  // elements; offsets/strides per operand, in elements.
  template <typename F>
  void for_each_run(F&& f) const {
    if (numel_ == 0) return;
    std::vector<int64_t> off(nops_, 0);
    size_t nd = sizes_.size();
    if (nd == 0) {
      std::vector<int64_t> one(nops_, 1);
      f(off.data(), int64_t{1}, one.data());
      return;
    }
    const int64_t* inner = strides_.data() + (nd - 1) * nops_;
    int64_t count = sizes_[nd - 1];
    std::vector<int64_t> idx(nd, 0);
    while (true) {
      f(off.data(), count, inner);
      // advance outer dims
      size_t d = nd - 1;
      while (true) {
        if (d == 0) return;
        --d;
        ++idx[d];
        for (size_t k = 0; k < nops_; ++k) off[k] += strides_[d * nops_ + k];
        if (idx[d] < sizes_[d]) break;
        for (size_t k = 0; k < nops_; ++k) off[k] -= strides_[d * nops_ + k] * sizes_[d];
        idx[d] = 0;
      }
    }
  }

 private:
  size_t nops_;
  int64_t numel_ = 1;
  std::vector<int64_t> sizes_;
  std::vector<int64_t> strides_;  // [dim][operand]
};

// Writes self's elements in fill order. produce(T* dst, int64_t n) writes the next n values
// of the stream contiguously.
template <typename T, typename Produce>
void fill_in_order(const TensorImpl& self, Produce&& produce) {
  T* base = self.data_as<T>();
  FillOrder order(self.sizes(), {self.strides()});
  order.for_each_run([&](const int64_t* off, int64_t count, const int64_t* stride) {
    T* p = base + off[0];
    if (stride[0] == 1) {
      produce(p, count);
      return;
    }
    T buf[256];
    const int64_t s = stride[0];
    while (count > 0) {
      int64_t k = std::min<int64_t>(count, 256);
      produce(buf, k);
      for (int64_t i = 0; i < k; ++i) p[i * s] = buf[i];
      p += k * s;
      count -= k;
    }
  });
  self.bump_version();
}

// ============================================================================================
// CPU feature dispatch
// ============================================================================================

bool detect_avx2_fma() {
#if PT_RNG_X86 && (defined(__GNUC__) || defined(__clang__))
  // PYTENSOR_RNG_NO_SIMD=1 forces the portable kernels (same bits; for testing).
  const char* off = std::getenv("PYTENSOR_RNG_NO_SIMD");
  if (off != nullptr && off[0] != '\0' && off[0] != '0') return false;
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

const bool g_avx2 = detect_avx2_fma();

// ============================================================================================
// Uniform transforms (spec section 2)
// ============================================================================================

// v = fma(x, span, from); v == to -> from.
void uniform_f32_scalar(const uint32_t* raw, float* dst, int64_t n, float from, float to,
                        float span) {
  for (int64_t i = 0; i < n; ++i) {
    float v = std::fma(unit_f32(raw[i]), span, from);
    dst[i] = (v == to) ? from : v;
  }
}

void uniform_f64_scalar(const uint64_t* raw, double* dst, int64_t n, double from, double to,
                        double span) {
  for (int64_t i = 0; i < n; ++i) {
    double v = std::fma(unit_f64(raw[i]), span, from);
    dst[i] = (v == to) ? from : v;
  }
}

#if PT_RNG_X86
PT_TARGET_AVX2 void uniform_f32_avx2(const uint32_t* raw, float* dst, int64_t n, float from,
                                     float to, float span) {
  const __m256i mask = _mm256_set1_epi32(0xFFFFFF);
  const __m256 scale = _mm256_set1_ps(0x1p-24f);
  const __m256 vspan = _mm256_set1_ps(span), vfrom = _mm256_set1_ps(from),
               vto = _mm256_set1_ps(to);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i r = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(raw + i));
    __m256 x = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_and_si256(r, mask)), scale);
    __m256 v = _mm256_fmadd_ps(x, vspan, vfrom);
    v = _mm256_blendv_ps(v, vfrom, _mm256_cmp_ps(v, vto, _CMP_EQ_OQ));
    _mm256_storeu_ps(dst + i, v);
  }
  for (; i < n; ++i) {
    float v = _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(unit_f32(raw[i])), _mm_set_ss(span),
                                         _mm_set_ss(from)));
    dst[i] = (v == to) ? from : v;
  }
}

PT_TARGET_AVX2 void uniform_f64_avx2(const uint64_t* raw, double* dst, int64_t n, double from,
                                     double to, double span) {
  for (int64_t i = 0; i < n; ++i) {
    double x = unit_f64(raw[i]);
    double v = _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(x), _mm_set_sd(span), _mm_set_sd(from)));
    dst[i] = (v == to) ? from : v;
  }
}
#endif

void uniform_f32(const uint32_t* raw, float* dst, int64_t n, float from, float to, float span) {
#if PT_RNG_X86
  if (g_avx2) return uniform_f32_avx2(raw, dst, n, from, to, span);
#endif
  uniform_f32_scalar(raw, dst, n, from, to, span);
}

void uniform_f64(const uint64_t* raw, double* dst, int64_t n, double from, double to,
                 double span) {
#if PT_RNG_X86
  if (g_avx2) return uniform_f64_avx2(raw, dst, n, from, to, span);
#endif
  uniform_f64_scalar(raw, dst, n, from, to, span);
}

// Fills dst with n uniforms of T's own precision (U24 / U53): the first phase of the block
// normal path and of torch.rand.
void unit_fill_f32(Generator& gen, float* dst, int64_t n) {
  uint32_t raw[kChunk];
  while (n > 0) {
    int64_t k = std::min(n, kChunk);
    gen.fill_u32(raw, static_cast<size_t>(k));
    for (int64_t i = 0; i < k; ++i) dst[i] = unit_f32(raw[i]);
    dst += k;
    n -= k;
  }
}

void unit_fill_f64(Generator& gen, double* dst, int64_t n) {
  uint64_t raw[kChunk];
  while (n > 0) {
    int64_t k = std::min(n, kChunk);
    gen.fill_u64(raw, static_cast<size_t>(k));
    for (int64_t i = 0; i < k; ++i) dst[i] = unit_f64(raw[i]);
    dst += k;
    n -= k;
  }
}

// ============================================================================================
// Normal: float32 block transform, FMA variant (spec 3.3)
// ============================================================================================

constexpr uint32_t kLogP[9] = {0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                               0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA};
constexpr uint32_t kLogQ1 = 0xB95E8083, kLogQ2 = 0x3F318000, kSqrtHF = 0x3F3504F3;
constexpr uint32_t kDP1 = 0xBF490000, kDP2 = 0xB97DA000, kDP3 = 0xB3222169;
constexpr uint32_t kS0 = 0xB94CA1F9, kS1 = 0x3C08839E, kS2 = 0xBE2AAAA3;
constexpr uint32_t kC0 = 0x37CCF5CE, kC1 = 0xBAB6061A, kC2 = 0x3D2AAAA5;
constexpr uint32_t kFOPI = 0x3FA2F983, kTwoPiF = 0x40C90FDB;

float logf_spec(float xin) {
  const bool invalid = xin <= 0.0f;
  float x = xin;
  // max(x, smallest normal) as _mm256_max_ps(x, min_norm): the second operand wins on NaN.
  float mn = u2f(0x00800000u);
  x = (x > mn) ? x : mn;
  uint32_t bits = f2u(x);
  float e = static_cast<float>(static_cast<int32_t>(bits >> 23) - 127);
  e = e + 1.0f;
  float m = u2f((bits & 0x807FFFFFu) | 0x3F000000u);
  bool small = m < u2f(kSqrtHF);
  float t = small ? m : 0.0f;
  x = m - 1.0f;
  e = e - (small ? 1.0f : 0.0f);
  x = x + t;
  float z = x * x;
  float y = u2f(kLogP[0]);
  for (int i = 1; i < 9; ++i) y = std::fma(y, x, u2f(kLogP[i]));
  y = y * x;
  y = std::fma(y, z, e * u2f(kLogQ1));
  y = std::fma(-z, 0.5f, y);
  x = std::fma(e, u2f(kLogQ2), x + y);
  if (invalid) x = u2f(0xFFFFFFFFu);  // all-ones NaN, as the SIMD or-with-mask gives
  return x;
}

void sincosf_spec(float xin, float* s_out, float* c_out) {
  uint32_t sign_sin = f2u(xin) & 0x80000000u;
  float x = u2f(f2u(xin) & 0x7FFFFFFFu);
  float yf = x * u2f(kFOPI);
  // cvttps2dq: truncation; out-of-range gives INT32_MIN.
  int32_t j = (yf < 2147483648.0f && yf >= -2147483648.0f) ? static_cast<int32_t>(yf)
                                                            : std::numeric_limits<int32_t>::min();
  j = static_cast<int32_t>((static_cast<uint32_t>(j) + 1u) & ~1u);
  float y = static_cast<float>(j);
  uint32_t uj = static_cast<uint32_t>(j);
  sign_sin ^= (uj & 4u) << 29;
  uint32_t sign_cos = (~(uj - 2u) & 4u) << 29;
  bool poly_sel = (uj & 2u) != 0;
  x = std::fma(y, u2f(kDP1), x);
  x = std::fma(y, u2f(kDP2), x);
  x = std::fma(y, u2f(kDP3), x);
  float z = x * x;
  float pc = std::fma(u2f(kC0), z, u2f(kC1));
  pc = std::fma(pc, z, u2f(kC2));
  pc = pc * z;
  pc = std::fma(pc, z, -(z * 0.5f));
  pc = pc + 1.0f;
  float ps = std::fma(u2f(kS0), z, u2f(kS1));
  ps = std::fma(ps, z, u2f(kS2));
  ps = ps * z;
  ps = std::fma(ps, x, x);
  float s = poly_sel ? pc : ps;
  float c = poly_sel ? ps : pc;
  *s_out = u2f(f2u(s) ^ sign_sin);
  *c_out = u2f(f2u(c) ^ sign_cos);
}

void normal_fill_16_f32_scalar(float* b, float mean, float std) {
  for (int j = 0; j < 8; ++j) {
    float u1 = 1.0f - b[j];
    float u2 = b[j + 8];
    float L = logf_spec(u1);
    float r = std::sqrt(-2.0f * L);
    float th = u2f(kTwoPiF) * u2;
    float s, c;
    sincosf_spec(th, &s, &c);
    b[j] = std::fma(r * c, std, mean);
    b[j + 8] = std::fma(r * s, std, mean);
  }
}

#if PT_RNG_X86
PT_TARGET_AVX2 inline __m256 c8(uint32_t bits) {
  return _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(bits)));
}

PT_TARGET_AVX2 inline __m256 logf_avx2(__m256 x) {
  const __m256 zero = _mm256_setzero_ps();
  __m256 invalid = _mm256_cmp_ps(x, zero, _CMP_LE_OS);
  x = _mm256_max_ps(x, c8(0x00800000u));
  __m256i imm0 = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
  x = _mm256_and_ps(x, c8(0x807FFFFFu));
  x = _mm256_or_ps(x, c8(0x3F000000u));
  imm0 = _mm256_sub_epi32(imm0, _mm256_set1_epi32(0x7f));
  __m256 e = _mm256_cvtepi32_ps(imm0);
  const __m256 one = _mm256_set1_ps(1.0f);
  e = _mm256_add_ps(e, one);
  __m256 mask = _mm256_cmp_ps(x, c8(kSqrtHF), _CMP_LT_OS);
  __m256 tmp = _mm256_and_ps(x, mask);
  x = _mm256_sub_ps(x, one);
  e = _mm256_sub_ps(e, _mm256_and_ps(one, mask));
  x = _mm256_add_ps(x, tmp);
  __m256 z = _mm256_mul_ps(x, x);
  __m256 y = c8(kLogP[0]);
  for (int i = 1; i < 9; ++i) y = _mm256_fmadd_ps(y, x, c8(kLogP[i]));
  y = _mm256_mul_ps(y, x);
  y = _mm256_fmadd_ps(y, z, _mm256_mul_ps(e, c8(kLogQ1)));
  y = _mm256_fnmadd_ps(z, _mm256_set1_ps(0.5f), y);  // -(z*0.5) + y, one rounding
  x = _mm256_fmadd_ps(e, c8(kLogQ2), _mm256_add_ps(x, y));
  return _mm256_or_ps(x, invalid);
}

PT_TARGET_AVX2 inline void sincosf_avx2(__m256 x, __m256* s, __m256* c) {
  const __m256i sign_mask = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  __m256i sign_sin = _mm256_and_si256(_mm256_castps_si256(x), sign_mask);
  x = _mm256_castsi256_ps(_mm256_andnot_si256(sign_mask, _mm256_castps_si256(x)));
  __m256 yv = _mm256_mul_ps(x, c8(kFOPI));
  __m256i j = _mm256_cvttps_epi32(yv);
  j = _mm256_add_epi32(j, _mm256_set1_epi32(1));
  j = _mm256_and_si256(j, _mm256_set1_epi32(~1));
  __m256 y = _mm256_cvtepi32_ps(j);
  const __m256i four = _mm256_set1_epi32(4), two = _mm256_set1_epi32(2);
  sign_sin = _mm256_xor_si256(sign_sin, _mm256_slli_epi32(_mm256_and_si256(j, four), 29));
  __m256i sign_cos =
      _mm256_slli_epi32(_mm256_andnot_si256(_mm256_sub_epi32(j, two), four), 29);
  __m256 poly = _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(j, two), two));
  x = _mm256_fmadd_ps(y, c8(kDP1), x);
  x = _mm256_fmadd_ps(y, c8(kDP2), x);
  x = _mm256_fmadd_ps(y, c8(kDP3), x);
  __m256 z = _mm256_mul_ps(x, x);
  __m256 pc = _mm256_fmadd_ps(c8(kC0), z, c8(kC1));
  pc = _mm256_fmadd_ps(pc, z, c8(kC2));
  pc = _mm256_mul_ps(pc, z);
  pc = _mm256_fmsub_ps(pc, z, _mm256_mul_ps(z, _mm256_set1_ps(0.5f)));
  pc = _mm256_add_ps(pc, _mm256_set1_ps(1.0f));
  __m256 ps = _mm256_fmadd_ps(c8(kS0), z, c8(kS1));
  ps = _mm256_fmadd_ps(ps, z, c8(kS2));
  ps = _mm256_mul_ps(ps, z);
  ps = _mm256_fmadd_ps(ps, x, x);
  __m256 sv = _mm256_blendv_ps(ps, pc, poly);
  __m256 cv = _mm256_blendv_ps(pc, ps, poly);
  *s = _mm256_xor_ps(sv, _mm256_castsi256_ps(sign_sin));
  *c = _mm256_xor_ps(cv, _mm256_castsi256_ps(sign_cos));
}

PT_TARGET_AVX2 inline void normal_16_avx2(float* b, __m256 mean, __m256 std) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 u1 = _mm256_sub_ps(one, _mm256_loadu_ps(b));
  __m256 u2 = _mm256_loadu_ps(b + 8);
  __m256 r = _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), logf_avx2(u1)));
  __m256 th = _mm256_mul_ps(c8(kTwoPiF), u2);
  __m256 s, c;
  sincosf_avx2(th, &s, &c);
  _mm256_storeu_ps(b, _mm256_fmadd_ps(_mm256_mul_ps(r, c), std, mean));
  _mm256_storeu_ps(b + 8, _mm256_fmadd_ps(_mm256_mul_ps(r, s), std, mean));
}

PT_TARGET_AVX2 void normal_blocks_f32_avx2(float* data, int64_t nblocks, float mean, float std) {
  __m256 vm = _mm256_set1_ps(mean), vs = _mm256_set1_ps(std);
  for (int64_t k = 0; k < nblocks; ++k) normal_16_avx2(data + 16 * k, vm, vs);
}
#endif

void normal_blocks_f32(float* data, int64_t nblocks, float mean, float std) {
#if PT_RNG_X86
  if (g_avx2) return normal_blocks_f32_avx2(data, nblocks, mean, std);
#endif
  for (int64_t k = 0; k < nblocks; ++k) normal_fill_16_f32_scalar(data + 16 * k, mean, std);
}

// float64 block transform (all builds): libm log/cos/sin, explicit fma.
void normal_fill_16_f64(double* b, double mean, double std) {
  for (int j = 0; j < 8; ++j) {
    double u1 = 1.0 - b[j];
    double u2 = b[j + 8];
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 6.283185307179586 * u2;
    double c = std::cos(theta);
    double s = std::sin(theta);
    b[j] = std::fma(r * c, std, mean);
    b[j + 8] = std::fma(r * s, std, mean);
  }
}

// The block path: n >= 16, contiguous data.
template <typename T>
void normal_fill(T* data, int64_t n, double mean_d, double std_d, Generator& gen) {
  if constexpr (std::is_same_v<T, float>) {
    float mean = static_cast<float>(mean_d), std = static_cast<float>(std_d);
    unit_fill_f32(gen, data, n);
    normal_blocks_f32(data, n / 16, mean, std);
    if (n % 16 != 0) {
      float* tail = data + n - 16;
      unit_fill_f32(gen, tail, 16);
      normal_blocks_f32(tail, 1, mean, std);
    }
  } else {
    unit_fill_f64(gen, data, n);
    for (int64_t k = 0; k + 16 <= n; k += 16) normal_fill_16_f64(data + k, mean_d, std_d);
    if (n % 16 != 0) {
      double* tail = data + n - 16;
      unit_fill_f64(gen, tail, 16);
      normal_fill_16_f64(tail, mean_d, std_d);
    }
  }
}

// One value of the per-element path (spec 3.2).
inline double normal_one(Generator& gen, double mean, double std) {
  double z;
  if (gen.has_next_double_normal()) {
    z = gen.next_double_normal();
    gen.clear_next_double_normal();
  } else {
    double u1 = unit_f64(gen.u64());
    double u2 = unit_f64(gen.u64());
    double r = std::sqrt(-2.0 * std::log1p(-u2));
    double theta = 6.283185307179586 * u1;
    gen.set_next_double_normal(r * std::sin(theta));
    z = r * std::cos(theta);
  }
  return std::fma(z, std, mean);
}

// Allocation helper: non-overlapping and dense (some permutation of the dims is contiguous).
bool non_overlapping_and_dense(const TensorImpl& t) {
  const Shape& sz = t.sizes();
  const Shape& st = t.strides();
  if (t.is_contiguous()) return true;
  std::vector<int> dims;
  for (size_t d = 0; d < sz.size(); ++d) {
    if (sz[d] == 0) return true;
    if (sz[d] != 1) dims.push_back(static_cast<int>(d));
  }
  std::stable_sort(dims.begin(), dims.end(), [&](int a, int b) { return st[a] < st[b]; });
  int64_t expected = 1;
  for (int d : dims) {
    if (st[d] != expected) return false;
    expected *= sz[d];
  }
  return true;
}

// Iterates a broadcast shape in row-major order with up to 3 operands given as
// (sizes, strides). f(int64_t i, const int64_t* offsets).
template <typename F>
void for_each_broadcast(const Shape& shape, const std::vector<std::pair<Shape, Shape>>& ops,
                        F&& f) {
  size_t nd = shape.size();
  size_t nops = ops.size();
  std::vector<Shape> bst;
  for (auto& o : ops) bst.push_back(broadcast_strides(o.first, o.second, shape));
  int64_t n = numel_of(shape);
  std::vector<int64_t> idx(nd, 0), off(nops, 0);
  for (int64_t i = 0; i < n; ++i) {
    f(i, off.data());
    for (size_t d = nd; d-- > 0;) {
      ++idx[d];
      for (size_t k = 0; k < nops; ++k) off[k] += bst[k][d];
      if (idx[d] < shape[d]) break;
      for (size_t k = 0; k < nops; ++k) off[k] -= bst[k][d] * shape[d];
      idx[d] = 0;
    }
  }
}

// torch's infer_size message (no shapes appended).
Shape broadcast_pair(const Shape& a, const Shape& b) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    size_t ia = n - 1 - i;  // dim counted from the end
    int64_t da = (ia < n - a.size()) ? 1 : a[ia - (n - a.size())];
    int64_t db = (ia < n - b.size()) ? 1 : b[ia - (n - b.size())];
    PT_CHECK(da == db || da == 1 || db == 1, "The size of tensor a (", da,
             ") must match the size of tensor b (", db, ") at non-singleton dimension ", ia);
    out[ia] = da == 1 ? db : da;
  }
  return out;
}


// Values of a float tensor: true if all elements satisfy pred.
template <typename Pred>
bool all_elements(const TensorImpl& t, Pred&& pred) {
  bool ok = true;
  const char* base = t.data();
  FillOrder order(t.sizes(), {t.strides()});
  DType d = t.dtype();
  order.for_each_run([&](const int64_t* off, int64_t count, const int64_t* st) {
    for (int64_t i = 0; i < count && ok; ++i)
      if (!pred(load_double(base, off[0] + i * st[0], d))) ok = false;
  });
  return ok;
}

// --- random_ helpers ------------------------------------------------------------------------

// float -> int64 as x86's cvttsd2si does it: out-of-range and NaN give INT64_MIN.
inline int64_t to_i64_x86(double v) {
  if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

template <typename F>
int64_t update_from(int64_t from) {
  const int64_t from_plus_1 = to_i64_x86(static_cast<double>(static_cast<F>(from + 1)));
  if (from_plus_1 < from) {
    int64_t f = std::abs(from + 1);
    int n = 0;
    while (f >>= 1) ++n;
    from = from_plus_1 + (int64_t{1} << (n - std::numeric_limits<F>::digits + 1));
  }
  return from;
}

template <typename F>
int64_t update_to(int64_t to) {
  const int64_t to_minus_1 = to_i64_x86(static_cast<double>(static_cast<F>(to - 1)));
  if (to_minus_1 >= to) {
    int64_t t = std::abs(to - 1);
    int n = 0;
    while (t >>= 1) ++n;
    to = to_minus_1 - (int64_t{1} << (n - std::numeric_limits<F>::digits + 1));
  }
  return to;
}

void check_from_to_in_range(int64_t from, int64_t to_inc, DType d) {
  const char* name = cpp_type_name(d);
  if (is_floating(d)) {
    double mn = d == DType::Float32 ? static_cast<double>(std::numeric_limits<float>::lowest())
                                    : std::numeric_limits<double>::lowest();
    double mx = d == DType::Float32 ? static_cast<double>(std::numeric_limits<float>::max())
                                    : std::numeric_limits<double>::max();
    double f = static_cast<double>(from), t = static_cast<double>(to_inc);
    PT_CHECK(f >= mn && f <= mx, "from is out of bounds for ", name);
    PT_CHECK(t >= mn && t <= mx, "to - 1 is out of bounds for ", name);
    return;
  }
  int64_t mn = 0, mx = 0;
  dispatch_dtype(d, [&](auto tag) {
    using T = decltype(tag);
    mn = static_cast<int64_t>(std::numeric_limits<T>::lowest());
    mx = static_cast<int64_t>(std::numeric_limits<T>::max());
  });
  PT_CHECK(from >= mn && from <= mx, "from is out of bounds for ", name);
  PT_CHECK(to_inc >= mn && to_inc <= mx, "to - 1 is out of bounds for ", name);
}

// value = T(int64(r % range + base)) with r = u64() when range >= 2^28, else u32().
void random_from_range(const Tensor& self, uint64_t range, int64_t base, Generator& gen) {
  std::lock_guard<std::mutex> lock(gen.mutex());
  const bool wide = range >= (uint64_t{1} << 28);
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    fill_in_order<T>(*self, [&](T* dst, int64_t n) {
      if (wide) {
        uint64_t raw[256];
        while (n > 0) {
          int64_t k = std::min<int64_t>(n, 256);
          gen.fill_u64(raw, static_cast<size_t>(k));
          for (int64_t i = 0; i < k; ++i)
            dst[i] = static_cast<T>(static_cast<int64_t>(raw[i] % range + static_cast<uint64_t>(base)));
          dst += k;
          n -= k;
        }
      } else {
        uint32_t raw[256];
        while (n > 0) {
          int64_t k = std::min<int64_t>(n, 256);
          gen.fill_u32(raw, static_cast<size_t>(k));
          for (int64_t i = 0; i < k; ++i)
            dst[i] = static_cast<T>(static_cast<int64_t>(static_cast<uint64_t>(raw[i]) % range +
                                                         static_cast<uint64_t>(base)));
          dst += k;
          n -= k;
        }
      }
    });
  });
}

// --- topk exactly as ATen's topk_impl_loop (largest, sorted) --------------------------------
void topk_largest_indices(const std::vector<double>& vals, int64_t k, int64_t* out) {
  using elem_t = std::pair<double, int64_t>;
  const int64_t n = static_cast<int64_t>(vals.size());
  std::vector<elem_t> queue(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) queue[j] = {vals[j], j};
  auto cmp = [](const elem_t& x, const elem_t& y) -> bool {
    return ((std::isnan(x.first) && !std::isnan(y.first)) || (x.first > y.first));
  };
  if (k * 64 <= n) {
    std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), cmp);
  } else {
    std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(), cmp);
    std::sort(queue.begin(), queue.begin() + k - 1, cmp);
  }
  for (int64_t j = 0; j < k; ++j) out[j] = queue[j].second;
}

}  // namespace

// ============================================================================================
// Public API
// ============================================================================================

namespace rng_detail {
bool cpu_has_avx2_fma() { return g_avx2; }
float simd_logf_scalar(float x) { return logf_spec(x); }
void simd_sincosf_scalar(float x, float* s, float* c) { sincosf_spec(x, s, c); }
void normal_fill_16_f32(float* block, float mean, float std, bool use_simd) {
#if PT_RNG_X86
  if (use_simd && g_avx2) return normal_blocks_f32_avx2(block, 1, mean, std);
#endif
  (void)use_simd;
  normal_fill_16_f32_scalar(block, mean, std);
}
}  // namespace rng_detail

Tensor empty_like_preserve(const TensorImpl& t, DType dtype) {
  if (t.is_contiguous()) return empty(t.sizes(), dtype, t.device());
  if (non_overlapping_and_dense(t)) return empty_strided(t.sizes(), t.strides(), dtype, t.device());
  return empty(t.sizes(), dtype, t.device());
}

void uniform_(const Tensor& self, double from, double to, Generator& gen) {
  DType d = self->dtype();
  if (!is_floating(d)) not_implemented("check_uniform_bounds", d);
  const char* name = cpp_type_name(d);
  double mn = d == DType::Float32 ? static_cast<double>(std::numeric_limits<float>::lowest())
                                  : std::numeric_limits<double>::lowest();
  double mx = d == DType::Float32 ? static_cast<double>(std::numeric_limits<float>::max())
                                  : std::numeric_limits<double>::max();
  PT_CHECK(from >= mn && from <= mx, "from is out of bounds for ", name);
  PT_CHECK(to >= mn && to <= mx, "to is out of bounds for ", name);
  PT_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from=", from,
           " > to=", to);
  PT_CHECK((to - from) <= mx, "uniform_ expects to-from <= std::numeric_limits<",
           dtype_torch_name(d), ">::max(), but found to=", to, " and from=", from,
           " which result in to-from to exceed the limit");
  prepare_output(*self);
  if (self->numel() == 0) return;
  std::lock_guard<std::mutex> lock(gen.mutex());
  if (d == DType::Float32) {
    const float f = static_cast<float>(from), t = static_cast<float>(to);
    const float span = t - f;
    const bool unit = (f == 0.0f && t == 1.0f && !std::signbit(f));
    fill_in_order<float>(*self, [&](float* dst, int64_t n) {
      uint32_t raw[kChunk];
      while (n > 0) {
        int64_t k = std::min(n, kChunk);
        gen.fill_u32(raw, static_cast<size_t>(k));
        if (unit) {
          for (int64_t i = 0; i < k; ++i) dst[i] = unit_f32(raw[i]);  // fma(x, 1, 0) == x
        } else {
          uniform_f32(raw, dst, k, f, t, span);
        }
        dst += k;
        n -= k;
      }
    });
  } else {
    const double span = to - from;
    fill_in_order<double>(*self, [&](double* dst, int64_t n) {
      uint64_t raw[kChunk];
      while (n > 0) {
        int64_t k = std::min(n, kChunk);
        gen.fill_u64(raw, static_cast<size_t>(k));
        uniform_f64(raw, dst, k, from, to, span);
        dst += k;
        n -= k;
      }
    });
  }
}

void normal_(const Tensor& self, double mean, double std, Generator& gen) {
  PT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  DType d = self->dtype();
  if (!is_floating(d)) not_implemented("normal_kernel_cpu", d);
  prepare_output(*self);
  const int64_t n = self->numel();
  if (n == 0) return;
  std::lock_guard<std::mutex> lock(gen.mutex());
  if (n >= 16 && self->is_contiguous()) {
    if (d == DType::Float32) {
      normal_fill<float>(self->data_as<float>(), n, mean, std, gen);
    } else {
      normal_fill<double>(self->data_as<double>(), n, mean, std, gen);
    }
    self->bump_version();
    return;
  }
  dispatch_dtype(d, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      fill_in_order<T>(*self, [&](T* dst, int64_t k) {
        for (int64_t i = 0; i < k; ++i) dst[i] = static_cast<T>(normal_one(gen, mean, std));
      });
    }
  });
}

void random_(const Tensor& self, Generator& gen) {
  prepare_output(*self);
  if (self->numel() == 0) return;
  std::lock_guard<std::mutex> lock(gen.mutex());
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    fill_in_order<T>(*self, [&](T* dst, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, bool>) {
          dst[i] = static_cast<bool>(gen.u32() & 1u);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          dst[i] = static_cast<int64_t>(gen.u64() % (uint64_t{1} << 63));
        } else if constexpr (std::is_same_v<T, double>) {
          dst[i] = static_cast<double>(gen.u64() % ((uint64_t{1} << 53) + 1));
        } else if constexpr (std::is_same_v<T, float>) {
          dst[i] = static_cast<float>(static_cast<uint64_t>(gen.u32()) % ((uint64_t{1} << 24) + 1));
        } else {
          const uint64_t m = static_cast<uint64_t>(std::numeric_limits<T>::max()) + 1;
          dst[i] = static_cast<T>(static_cast<uint64_t>(gen.u32()) % m);
        }
      }
    });
  });
}

RandomRange random_range(DType d, int64_t from, std::optional<int64_t> to_opt, const char* full_range_kernel) {
  if (to_opt.has_value()) {
    int64_t to = *to_opt;
    PT_CHECK(from < to, "random_ expects 'from' to be less than 'to', but got from=", from,
             " >= to=", to);
    if (is_floating(d)) {
      if (d == DType::Float32) {
        from = update_from<float>(from);
        to = update_to<float>(to);
      } else {
        from = update_from<double>(from);
        to = update_to<double>(to);
      }
      PT_CHECK(from < to, "random_ expects 'from' casted to dtype to be less than 'to' casted to "
               "dtype, but got from=", from, " >= to=", to);
    }
    check_from_to_in_range(from, to - 1, d);
    return {static_cast<uint64_t>(to) - static_cast<uint64_t>(from), from};
  }
  if (from != std::numeric_limits<int64_t>::min()) {
    int64_t to_inc = 0;
    if (is_floating(d)) {
      const int digits = d == DType::Float32 ? 24 : 53;
      to_inc = int64_t{1} << digits;
      from = d == DType::Float32 ? update_from<float>(from) : update_from<double>(from);
      PT_CHECK(from < to_inc, "random_ expects 'from' casted to dtype to be less than or equal to "
               "'to_inc' casted to dtype, but got from=", from, " > to_inc=", to_inc);
    } else {
      dispatch_dtype(d, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, bool>) {
          to_inc = 1;
        } else {
          to_inc = static_cast<int64_t>(std::numeric_limits<T>::max());
        }
      });
    }
    check_from_to_in_range(from, to_inc, d);
    return {static_cast<uint64_t>(to_inc) - static_cast<uint64_t>(from) + 1, from};
  }
  PT_CHECK(d == DType::Int64 || d == DType::Float64 || d == DType::Float32, full_range_kernel,
           " handles only int64, double, float and bfloat16");
  return {0, 0};
}

void random_from_to_(const Tensor& self, int64_t from, std::optional<int64_t> to_opt,
                     Generator& gen) {
  const RandomRange r = random_range(self->dtype(), from, to_opt, "random_full_64_bits_range_kernel_cpu");
  prepare_output(*self);
  if (self->numel() == 0) return;
  if (r.range != 0) {
    random_from_range(self, r.range, r.base, gen);
  } else {
    std::lock_guard<std::mutex> lock(gen.mutex());
    dispatch_dtype(self->dtype(), [&](auto tag) {
      using T = decltype(tag);
      fill_in_order<T>(*self, [&](T* dst, int64_t n) {
        for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(static_cast<int64_t>(gen.u64()));
      });
    });
  }
}

void bernoulli_(const Tensor& self, double p, Generator& gen) {
  PT_CHECK(0 <= p && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  prepare_output(*self);
  if (self->numel() == 0) return;
  std::lock_guard<std::mutex> lock(gen.mutex());
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    fill_in_order<T>(*self, [&](T* dst, int64_t n) {
      uint64_t raw[256];
      while (n > 0) {
        int64_t k = std::min<int64_t>(n, 256);
        gen.fill_u64(raw, static_cast<size_t>(k));
        for (int64_t i = 0; i < k; ++i) dst[i] = static_cast<T>(unit_f64(raw[i]) < p);
        dst += k;
        n -= k;
      }
    });
  });
}

void bernoulli_tensor_(const Tensor& self, const Tensor& p, Generator& gen) {
  check_cpu(*p);
  const DType pd = p->dtype();
  if (!is_floating(pd)) not_implemented("bernoulli_tensor_cpu_p_", pd);
  // expand_inplace(self, p): p must broadcast to self's shape exactly.
  const Shape& ts = self->sizes();
  const Shape& ps = p->sizes();
  {
    bool ok = ps.size() <= ts.size();
    size_t lead = ts.size() - std::min(ts.size(), ps.size());
    int64_t bad_dim = -1;
    for (size_t i = 0; ok && i < ps.size(); ++i) {
      if (ps[i] != 1 && ps[i] != ts[lead + i]) {
        ok = false;
        bad_dim = static_cast<int64_t>(lead + i);
      }
    }
    if (!ok) {
      if (bad_dim >= 0) {
        throw RuntimeError(str_cat("The expanded size of the tensor (", ts[bad_dim],
                                   ") must match the existing size (", ps[bad_dim - lead],
                                   ") at non-singleton dimension ", bad_dim, ".  Target sizes: ",
                                   shape_str(ts), ".  Tensor sizes: ", shape_str(ps)));
      }
      throw RuntimeError(str_cat("expand(", shape_str(ps), ", size=", ts.size(),
                                 "): the number of sizes provided (", ts.size(),
                                 ") must be greater or equal to the number of dimensions in the "
                                 "tensor (", ps.size(), ")"));
    }
  }
  PT_CHECK(all_elements(*p, [](double v) { return v >= 0 && v <= 1; }),
           "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
           "message be improved?  If so, please report an enhancement request to PyTorch.)");
  prepare_output(*self);
  if (self->numel() == 0) return;
  Shape pst = broadcast_strides(ps, p->strides(), ts);
  std::lock_guard<std::mutex> lock(gen.mutex());
  FillOrder order(ts, {self->strides(), pst});
  const char* pbase = p->data();
  dispatch_dtype(self->dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* out = self->data_as<T>();
    order.for_each_run([&](const int64_t* off, int64_t count, const int64_t* st) {
      for (int64_t i = 0; i < count; ++i) {
        bool v;
        if (pd == DType::Float64) {
          double pv = reinterpret_cast<const double*>(pbase)[off[1] + i * st[1]];
          v = unit_f64(gen.u64()) < pv;
        } else {
          float pv = reinterpret_cast<const float*>(pbase)[off[1] + i * st[1]];
          v = unit_f32(gen.u32()) < pv;
        }
        out[off[0] + i * st[0]] = static_cast<T>(v);
      }
    });
  });
  self->bump_version();
}

Tensor bernoulli(const Tensor& p, Generator& gen) {
  check_cpu(*p);
  if (!is_floating(p->dtype())) not_implemented("bernoulli_tensor_cpu_p_", p->dtype());
  Tensor out = empty_like_preserve(*p, p->dtype());
  bernoulli_tensor_(out, p, gen);
  return out;
}

void exponential_(const Tensor& self, double lambd, Generator& gen) {
  PT_CHECK(lambd > 0.0, "exponential_ expects lambda > 0.0, but found lambda=", lambd);
  DType d = self->dtype();
  PT_CHECK(is_floating(d), "Exponential distribution is a continuous probability distribution. "
           "dtype must be a floating point but you specified ", dtype_torch_name(d));
  prepare_output(*self);
  if (self->numel() == 0) return;
  std::lock_guard<std::mutex> lock(gen.mutex());
  const double scale = -1.0 / lambd;
  dispatch_dtype(d, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      fill_in_order<T>(*self, [&](T* dst, int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
          double u = unit_f64(gen.u64());
          dst[i] = static_cast<T>(scale * std::log1p(-u));
        }
      });
    }
  });
}

Tensor randperm(int64_t n, DType dtype, Generator& gen) {
  PT_CHECK(n >= 0, "Trying to create tensor with negative dimension ", n, ": [", n, "]");
  if (dtype == DType::Bool) not_implemented("randperm", dtype);
  const int64_t top = n > 0 ? n - 1 : n;
  switch (dtype) {
    case DType::UInt8:
      PT_CHECK(top <= 255, "value cannot be converted to type uint8_t without overflow");
      break;
    case DType::Int8:
      PT_CHECK(top <= 127, "value cannot be converted to type int8_t without overflow");
      break;
    case DType::Int16:
      PT_CHECK(top <= 32767, "value cannot be converted to type int16_t without overflow");
      break;
    case DType::Int32:
      PT_CHECK(top <= 2147483647, "value cannot be converted to type int without overflow");
      break;
    case DType::Float32:
      PT_CHECK(n <= (int64_t{1} << 24) + 1, "n cannot be greater than 2^24+1 for Float type.");
      break;
    case DType::Float64:
      PT_CHECK(n <= (int64_t{1} << 53) + 1, "n cannot be greater than 2^53+1 for Double type.");
      break;
    default:
      break;
  }
  Tensor out = empty({n}, dtype);
  std::lock_guard<std::mutex> lock(gen.mutex());
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* r = out->data_as<T>();
    if (n < static_cast<int64_t>(std::numeric_limits<uint32_t>::max() / 20)) {
      for (int64_t i = 0; i < n; ++i) r[i] = static_cast<T>(i);
      for (int64_t i = 0; i < n - 1; ++i) {
        int64_t z = static_cast<int64_t>(gen.u32() % static_cast<uint64_t>(n - i));
        std::swap(r[i], r[z + i]);
      }
    } else {
      for (int64_t i = 0; i < n; ++i) {
        int64_t z = static_cast<int64_t>(gen.u64() % static_cast<uint64_t>(i + 1));
        r[i] = r[z];
        r[z] = static_cast<T>(i);
      }
    }
  });
  return out;
}

Tensor multinomial(const Tensor& probs, int64_t k, bool replacement, Generator& gen) {
  check_cpu(*probs);
  const int64_t dim = probs->dim();
  PT_CHECK(dim > 0 && dim <= 2, "prob_dist must be 1 or 2 dim");
  const DType d = probs->dtype();
  PT_CHECK(is_floating(d), "multinomial only supports floating-point dtypes for input, got: ",
           dtype_torch_name(d));
  PT_CHECK(k > 0, "cannot sample n_sample <= 0 samples");
  const int64_t ncat = probs->sizes().back();
  PT_CHECK(replacement || k <= ncat,
           "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  PT_CHECK(ncat <= (int64_t{1} << 24), "number of categories cannot exceed 2^24");
  const int64_t rows = dim == 2 ? probs->sizes()[0] : 1;
  Tensor result = dim == 1 ? empty({k}, DType::Int64) : empty({rows, k}, DType::Int64);
  if (result->numel() == 0) return result;
  int64_t* res = result->data_as<int64_t>();
  const int64_t s0 = dim == 2 ? probs->strides()[0] : 0;
  const int64_t s1 = probs->strides().back();
  const char* pb = probs->data();

  if (!replacement || k == 1) {
    PT_CHECK(ncat > 0, "aminmax(): cannot compute aminmax over an empty dimension as the "
             "operation has no identity.");
    PT_CHECK(all_elements(*probs, [](double v) { return v < INFINITY && v >= 0; }),
             "probability tensor contains either `inf`, `nan` or element < 0");
    for (int64_t r = 0; r < rows; ++r) {
      bool any = false;
      for (int64_t j = 0; j < ncat && !any; ++j) any = load_double(pb, r * s0 + j * s1, d) != 0;
      PT_CHECK(any, "invalid multinomial distribution (sum of probabilities <= 0)");
    }
    // q = empty_like(probs).exponential_(1); score = probs / q (rounded to the dtype).
    Tensor q = empty_like_preserve(*probs, d);
    exponential_(q, 1.0, gen);
    const Shape& qst = q->strides();
    const int64_t q0 = dim == 2 ? qst[0] : 0, q1 = qst.back();
    std::vector<double> score(static_cast<size_t>(ncat));
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < ncat; ++j) {
        if (d == DType::Float32) {
          float pv = reinterpret_cast<const float*>(pb)[r * s0 + j * s1];
          float qv = q->data_as<float>()[r * q0 + j * q1];
          score[j] = static_cast<double>(pv / qv);
        } else {
          double pv = reinterpret_cast<const double*>(pb)[r * s0 + j * s1];
          double qv = q->data_as<double>()[r * q0 + j * q1];
          score[j] = pv / qv;
        }
      }
      if (k == 1) {
        // argmax: first maximum (NaN counts as maximum, as torch)
        int64_t best = 0;
        for (int64_t j = 1; j < ncat; ++j) {
          double a = score[j], b = score[best];
          if (std::isnan(b)) break;
          if (std::isnan(a) || a > b) best = j;
        }
        res[r * k] = best;
      } else {
        topk_largest_indices(score, k, res + r * k);
      }
    }
    return result;
  }

  // With replacement, k > 1: validate every row first, then sample row by row.
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < ncat; ++j) {
      double v = load_double(pb, r * s0 + j * s1, d);
      PT_CHECK(v >= 0, "invalid multinomial distribution (encountering probability entry < 0)");
      PT_CHECK(std::isfinite(v),
               "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
    }
  }
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(pb);
    std::vector<T> cum(static_cast<size_t>(ncat));
    for (int64_t r = 0; r < rows; ++r) {
      T sum = 0;
      for (int64_t j = 0; j < ncat; ++j) {
        sum += p[r * s0 + j * s1];
        cum[j] = sum;
      }
      PT_CHECK(sum > 0, "invalid multinomial distribution (sum of probabilities <= 0)");
    }
    std::lock_guard<std::mutex> lock(gen.mutex());
    for (int64_t r = 0; r < rows; ++r) {
      T sum = 0;
      for (int64_t j = 0; j < ncat; ++j) {
        sum += p[r * s0 + j * s1];
        cum[j] = sum;
      }
      for (int64_t j = 0; j < ncat; ++j) cum[j] /= sum;
      cum[ncat - 1] = 1;
      for (int64_t s = 0; s < k; ++s) {
        double u = unit_f64(gen.u64());
        int64_t lo = 0, hi = ncat;
        while (hi - lo > 0) {
          int64_t mid = lo + (hi - lo) / 2;
          if (static_cast<double>(cum[mid]) < u) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        res[r * k + s] = lo;
      }
    }
  };
  if (d == DType::Float32) {
    run(float{});
  } else {
    run(double{});
  }
  return result;
}

namespace {

void check_std_tensor(const TensorImpl& std) {
  PT_CHECK(std.numel() == 0 || all_elements(std, [](double v) { return v >= 0; }),
           "normal expects all elements of std >= 0.0");
}

// out (contiguous, dtype T) = RN_T(out * std) with the multiplication done in
// promote(T, std dtype), broadcasting std.
void mul_by_tensor(const Tensor& out, const TensorImpl& other, bool add) {
  const DType od = out->dtype();
  const DType sd = other.dtype();
  const bool in_double = od == DType::Float64 || sd == DType::Float64;
  const char* ob = other.data();
  dispatch_dtype(od, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* o = out->data_as<T>();
      for_each_broadcast(out->sizes(), {{other.sizes(), other.strides()}},
                         [&](int64_t i, const int64_t* off) {
        double v = load_double(ob, off[0], sd);
        if (in_double) {
          double a = static_cast<double>(o[i]);
          o[i] = static_cast<T>(add ? a + v : a * v);
        } else {
          float a = static_cast<float>(o[i]);
          float b = static_cast<float>(v);
          o[i] = static_cast<T>(add ? a + b : a * b);
        }
      });
    }
  });
}

void add_scalar(const Tensor& out, double s) {
  dispatch_dtype(out->dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* o = out->data_as<T>();
      const T v = static_cast<T>(s);
      const int64_t n = out->numel();
      for (int64_t i = 0; i < n; ++i) o[i] = o[i] + v;
    }
  });
}

}  // namespace

Tensor normal_tensor_tensor(const Tensor& mean, const Tensor& std, Generator& gen) {
  check_cpu(*mean);
  check_cpu(*std);
  check_std_tensor(*std);
  Shape shape = broadcast_pair(mean->sizes(), std->sizes());
  if (!is_floating(mean->dtype())) not_implemented("normal_kernel_cpu", mean->dtype());
  Tensor out = empty(shape, mean->dtype());
  normal_(out, 0.0, 1.0, gen);
  mul_by_tensor(out, *std, false);
  mul_by_tensor(out, *mean, true);
  return out;
}

Tensor normal_tensor_scalar(const Tensor& mean, double std, Generator& gen) {
  check_cpu(*mean);
  PT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  if (!is_floating(mean->dtype())) not_implemented("normal_kernel_cpu", mean->dtype());
  Tensor out = empty(mean->sizes(), mean->dtype());
  normal_(out, 0.0, std, gen);
  mul_by_tensor(out, *mean, true);
  return out;
}

Tensor normal_scalar_tensor(double mean, const Tensor& std, Generator& gen) {
  check_cpu(*std);
  check_std_tensor(*std);
  if (!is_floating(std->dtype())) not_implemented("normal_kernel_cpu", std->dtype());
  Tensor out = empty(std->sizes(), std->dtype());
  normal_(out, 0.0, 1.0, gen);
  mul_by_tensor(out, *std, false);
  add_scalar(out, mean);
  return out;
}

Tensor dropout_scale(const Tensor& x, double p, Generator& gen) {
  check_cpu(*x);
  const DType d = x->dtype();
  PT_CHECK(is_floating(d), "result type Float can't be cast to the desired output type ",
           dtype_torch_name(d));
  Tensor noise = empty_like_preserve(*x, d);
  const double q = 1.0 - p;
  bernoulli_(noise, q, gen);
  dispatch_dtype(d, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* o = noise->data_as<T>();
      const T qt = static_cast<T>(q);
      // noise is dense: its memory holds exactly its elements.
      const int64_t n = noise->numel();
      for (int64_t i = 0; i < n; ++i) o[i] = o[i] / qt;
    }
  });
  return noise;
}

Tensor dropout(const Tensor& x, double p, bool training, Generator& gen) {
  PT_CHECK_T(ValueError, p >= 0 && p <= 1,
             "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !training || x->numel() == 0) return x;
  const DType d = x->dtype();
  Tensor scale;
  if (p != 1) scale = dropout_scale(x, p, gen);
  Tensor out = empty_like_preserve(*x, d);
  // out[i] = x[i] * scale[i] (or x[i] * 0), visiting logical indices.
  std::vector<std::pair<Shape, Shape>> ops{{x->sizes(), x->strides()},
                                           {out->sizes(), out->strides()}};
  if (scale) ops.push_back({scale->sizes(), scale->strides()});
  dispatch_dtype(d, [&](auto tag) {
    using T = decltype(tag);
    const T* xb = x->data_as<T>();
    T* ob = out->data_as<T>();
    const T* sb = scale ? scale->data_as<T>() : nullptr;
    for_each_broadcast(x->sizes(), ops, [&](int64_t, const int64_t* off) {
      if constexpr (std::is_same_v<T, bool>) {
        ob[off[1]] = sb ? (xb[off[0]] && sb[off[2]]) : false;
      } else {
        ob[off[1]] = sb ? static_cast<T>(xb[off[0]] * sb[off[2]]) : static_cast<T>(xb[off[0]] * T(0));
      }
    });
  });
  return out;
}

}  // namespace pt
