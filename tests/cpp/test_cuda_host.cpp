// Host-side logic of the CUDA backend, tested without a GPU: the Philox generator and its
// distributions (the same PT_HOST_DEVICE functions the kernels run), the CUDA generators'
// seed/offset bookkeeping, the cuBLAS call planning (checked by running the planned
// column-major calls through a reference GEMM), and the cuBLAS loader's error.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/generator.h"
#include "cuda/cublas.h"
#include "cuda/linalg.h"
#include "cuda/philox.h"

using namespace pt;
namespace ph = pt::cuda::philox;

namespace {

// ---- Philox -----------------------------------------------------------------------------------

// Random123's known-answer vectors for philox4x32-10 (kat_vectors): counter, key -> output.
TEST(Philox, KnownAnswers) {
  struct Kat {
    uint32_t ctr[4], key[2], out[4];
  };
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    uint32_t out[4];
    ph::philox4x32_10(k.ctr, k.key, out);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], k.out[i]) << "word " << i;
  }
}

TEST(Philox, DrawSplitsCounterAndSeedIntoWords) {
  const uint64_t seed = 0x0123456789abcdefull, counter = 0xfedcba9876543210ull;
  uint32_t got[4], want[4];
  ph::draw(seed, counter, got);
  const uint32_t ctr[4] = {0x76543210u, 0xfedcba98u, 0, 0};
  const uint32_t key[2] = {0x89abcdefu, 0x01234567u};
  ph::philox4x32_10(ctr, key, want);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[i], want[i]);
}

TEST(Philox, UnitConversionsStayInHalfOpenInterval) {
  EXPECT_EQ(ph::unit_f32(0), 0.0f);
  EXPECT_LT(ph::unit_f32(0xffffffffu), 1.0f);
  EXPECT_EQ(ph::unit_f32(0xffffffffu), 1.0f - 0x1p-24f);
  EXPECT_EQ(ph::unit_f64(0), 0.0);
  EXPECT_LT(ph::unit_f64(~uint64_t{0}), 1.0);
  EXPECT_EQ(ph::unit_f64(~uint64_t{0}), 1.0 - 0x1p-53);
}

template <typename T>
void moments(const std::vector<T>& v, double& mean, double& sd) {
  double s = 0, s2 = 0;
  for (T x : v) s += static_cast<double>(x);
  mean = s / v.size();
  for (T x : v) s2 += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  sd = std::sqrt(s2 / (v.size() - 1));
}

constexpr int64_t kN = 200000;

TEST(Philox, UniformFloatAndDouble) {
  std::vector<float> f(kN);
  ph::fill_host(f.data(), kN, 42, 0, ph::Uniform<float>{2.0f, 5.0f});
  for (float x : f) ASSERT_TRUE(x >= 2.0f && x < 5.0f) << x;
  double mean, sd;
  moments(f, mean, sd);
  EXPECT_NEAR(mean, 3.5, 0.02);              // se = 0.866 / sqrt(2e5) = 0.002
  EXPECT_NEAR(sd, std::sqrt(0.75), 0.01);
  std::vector<double> d(kN);
  ph::fill_host(d.data(), kN, 43, 0, ph::Uniform<double>{-1.0, 1.0});
  for (double x : d) ASSERT_TRUE(x >= -1.0 && x < 1.0) << x;
  moments(d, mean, sd);
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(sd, std::sqrt(1.0 / 3.0), 0.01);
}

TEST(Philox, UniformValueRoundingToUpperBoundBecomesLowerBound) {
  // With from = -2^-30, every u * span + from that rounds to 1.0f must come back as from.
  std::vector<float> f(kN);
  ph::fill_host(f.data(), kN, 7, 0, ph::Uniform<float>{-0x1p-30f, 1.0f});
  for (float x : f) ASSERT_TRUE(x < 1.0f && x >= -0x1p-30f) << x;
}

template <typename T>
void check_normal(uint64_t seed) {
  std::vector<T> v(kN);
  ph::fill_host(v.data(), kN, seed, 0, ph::Normal<T>{T(1), T(2)});
  double mean, sd;
  moments(v, mean, sd);
  EXPECT_NEAR(mean, 1.0, 0.03);  // se = 2 / sqrt(2e5) = 0.0045
  EXPECT_NEAR(sd, 2.0, 0.02);
  int64_t within = 0;
  for (T x : v) {
    ASSERT_TRUE(std::isfinite(static_cast<double>(x)));
    within += std::abs(static_cast<double>(x) - 1.0) < 2.0;
  }
  EXPECT_NEAR(static_cast<double>(within) / kN, 0.682689, 0.005);  // P(|z| < 1)
}

TEST(Philox, NormalFloatAndDouble) {
  check_normal<float>(11);
  check_normal<double>(12);
}

TEST(Philox, NormalPairsAreUncorrelated) {
  // Box-Muller's two outputs of one pair land in neighbouring elements.
  std::vector<float> v(kN);
  ph::fill_host(v.data(), kN, 5, 0, ph::Normal<float>{0.0f, 1.0f});
  double c = 0;
  for (int64_t i = 0; i + 1 < kN; i += 2) c += static_cast<double>(v[i]) * v[i + 1];
  EXPECT_NEAR(c / (kN / 2), 0.0, 0.015);
}

TEST(Philox, IntRangeIsUniformOverItsValues) {
  std::vector<int64_t> v(kN);
  ph::fill_host(v.data(), kN, 99, 0, ph::IntRange<int64_t>{10, -3});
  std::map<int64_t, int64_t> counts;
  for (int64_t x : v) {
    ASSERT_TRUE(x >= -3 && x < 7) << x;
    ++counts[x];
  }
  ASSERT_EQ(counts.size(), 10u);
  for (const auto& [value, count] : counts) EXPECT_NEAR(count, kN / 10, 600) << value;  // sd ~ 134
}

TEST(Philox, IntRangeNarrowDtypesAndFullRange) {
  std::vector<uint8_t> b(1000);
  ph::fill_host(b.data(), 1000, 1, 0, ph::IntRange<uint8_t>{256, 0});
  std::vector<bool> seen(256, false);
  for (uint8_t x : b) seen[x] = true;
  EXPECT_GT(std::count(seen.begin(), seen.end(), true), 200);  // ~250 of 256 expected
  std::vector<int64_t> full(10000);
  ph::fill_host(full.data(), 10000, 2, 0, ph::IntRange<int64_t>{0, 0});
  int64_t negative = 0;
  for (int64_t x : full) negative += x < 0;
  EXPECT_NEAR(negative, 5000, 300);  // the sign bit is a fair coin over all 2^64 values
}

TEST(Philox, BernoulliScalarAndTensor) {
  std::vector<float> v(kN);
  ph::fill_host(v.data(), kN, 3, 0, ph::Bernoulli<float>{0.3});
  double ones = 0;
  for (float x : v) {
    ASSERT_TRUE(x == 0.0f || x == 1.0f);
    ones += x;
  }
  EXPECT_NEAR(ones / kN, 0.3, 0.005);
  std::vector<double> p(kN);
  for (int64_t i = 0; i < kN; ++i) p[i] = i % 3 == 0 ? 0.0 : (i % 3 == 1 ? 1.0 : 0.5);
  std::vector<uint8_t> out(kN);
  ph::fill_host(out.data(), kN, 4, 0, ph::BernoulliTensor<uint8_t>{p.data()});
  int64_t half = 0;
  for (int64_t i = 0; i < kN; ++i) {
    if (i % 3 == 0) ASSERT_EQ(out[i], 0);
    else if (i % 3 == 1) ASSERT_EQ(out[i], 1);
    else half += out[i];
  }
  EXPECT_NEAR(static_cast<double>(half) / (kN / 3), 0.5, 0.01);
}

TEST(Philox, ExponentialAndDropoutScale) {
  std::vector<double> e(kN);
  ph::fill_host(e.data(), kN, 8, 0, ph::Exponential<double>{2.0});
  double mean, sd;
  for (double x : e) ASSERT_GE(x, 0.0);
  moments(e, mean, sd);
  EXPECT_NEAR(mean, 0.5, 0.01);
  EXPECT_NEAR(sd, 0.5, 0.01);
  std::vector<float> s(kN);
  ph::fill_host(s.data(), kN, 9, 0, ph::DropoutScale<float>{0.8});
  int64_t kept = 0;
  for (float x : s) {
    ASSERT_TRUE(x == 0.0f || x == 1.0f / 0.8f) << x;
    kept += x != 0.0f;
  }
  EXPECT_NEAR(static_cast<double>(kept) / kN, 0.8, 0.005);
}

TEST(Philox, OffsetsContinueTheStreamAndSeedsDiffer) {
  // Two launches at consecutive offsets give exactly one launch of their combined size.
  std::vector<float> whole(12), first(4), rest(8);
  ph::fill_host(whole.data(), 12, 21, 5, ph::Uniform<float>{0.0f, 1.0f});
  ph::fill_host(first.data(), 4, 21, 5, ph::Uniform<float>{0.0f, 1.0f});
  ph::fill_host(rest.data(), 8, 21, 5 + ph::draws_for<ph::Uniform<float>>(4), ph::Uniform<float>{0.0f, 1.0f});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(whole[i], first[i]);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(whole[4 + i], rest[i]);
  std::vector<float> other(12);
  ph::fill_host(other.data(), 12, 22, 5, ph::Uniform<float>{0.0f, 1.0f});
  int same = 0;
  for (int i = 0; i < 12; ++i) same += other[i] == whole[i];
  EXPECT_LT(same, 2);
  EXPECT_EQ(ph::draws_for<ph::Uniform<float>>(9), 3u);
  EXPECT_EQ(ph::draws_for<ph::Uniform<double>>(9), 5u);
  EXPECT_EQ(ph::draws_for<ph::Normal<float>>(0), 0u);
}

// ---- CUDA generator state ---------------------------------------------------------------------

TEST(CudaGenerator, SeedReserveAndState) {
  cuda_generator_manual_seed_all(1234);
  for (int d : {0, 5, kMaxCudaDevices - 1}) EXPECT_EQ(cuda_generator_initial_seed(d), 1234u);
  PhiloxState a = cuda_generator_reserve(0, 10);
  PhiloxState b = cuda_generator_reserve(0, 3);
  EXPECT_EQ(a.seed, 1234u);
  EXPECT_EQ(a.offset, 0u);
  EXPECT_EQ(b.offset, 10u);  // launches never share counters
  EXPECT_EQ(cuda_generator_reserve(1, 1).offset, 0u);  // devices are independent
  std::vector<uint8_t> st = cuda_generator_get_state(0);
  ASSERT_EQ(st.size(), kCudaGeneratorStateBytes);
  cuda_generator_manual_seed(0, 77);
  EXPECT_EQ(cuda_generator_initial_seed(0), 77u);
  EXPECT_EQ(cuda_generator_reserve(0, 1).offset, 0u);  // seeding resets the offset
  cuda_generator_set_state(0, st.data(), st.size());
  PhiloxState c = cuda_generator_reserve(0, 1);
  EXPECT_EQ(c.seed, 1234u);
  EXPECT_EQ(c.offset, 13u);
  EXPECT_THROW(cuda_generator_set_state(0, st.data(), 15), RuntimeError);
  EXPECT_THROW(cuda_generator_reserve(kMaxCudaDevices, 1), RuntimeError);
  EXPECT_THROW(cuda_generator_reserve(-1, 1), RuntimeError);
  const uint64_t s = cuda_generator_seed(2);
  EXPECT_EQ(cuda_generator_initial_seed(2), s);
}

// ---- cuBLAS planning --------------------------------------------------------------------------

// cuBLAS's column-major GEMM semantics: C = op(A) op(B), C m x n with leading dim ldc.
void colmajor_gemm(bool ta, bool tb, int m, int n, int k, const double* A, int lda, const double* B, int ldb,
                   double* C, int ldc) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int l = 0; l < k; ++l) {
        const double a = ta ? A[l + static_cast<int64_t>(i) * lda] : A[i + static_cast<int64_t>(l) * lda];
        const double b = tb ? B[j + static_cast<int64_t>(l) * ldb] : B[l + static_cast<int64_t>(j) * ldb];
        s += a * b;
      }
      C[i + static_cast<int64_t>(j) * ldc] = s;
    }
  }
}

struct Strided {
  std::vector<double> buf;
  int64_t rows, cols, rs, cs;
  double at(int64_t i, int64_t j) const { return buf[i * rs + j * cs]; }
};

// A rows x cols matrix with values 1 + i*cols + j at strides (rs, cs) in a fresh buffer.
Strided make(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  Strided s{std::vector<double>(static_cast<size_t>(std::max<int64_t>(1, (rows - 1) * rs + (cols - 1) * cs + 1)),
                                -999.0),
            rows, cols, rs, cs};
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) s.buf[i * rs + j * cs] = 1.0 + static_cast<double>(i * cols + j) * 0.5;
  return s;
}

// What linalg.cu does with a packed operand: a dense row-major copy.
Strided packed(const Strided& s) {
  Strided p{std::vector<double>(static_cast<size_t>(s.rows * s.cols)), s.rows, s.cols, s.cols, 1};
  for (int64_t i = 0; i < s.rows; ++i)
    for (int64_t j = 0; j < s.cols; ++j) p.buf[i * s.cols + j] = s.at(i, j);
  return p;
}

// Runs the planned call for out = a @ b and compares with the definition.
void check_plan(int64_t m, int64_t n, int64_t k, int64_t ars, int64_t acs, int64_t brs, int64_t bcs,
                bool expect_pack_a, bool expect_pack_b) {
  SCOPED_TRACE(testing::Message() << m << "x" << k << " (" << ars << "," << acs << ") @ " << k << "x" << n << " ("
                                  << brs << "," << bcs << ")");
  Strided a = make(m, k, ars, acs), b = make(k, n, brs, bcs);
  const cuda::GemmCall call = cuda::plan_gemm(m, n, k, ars, acs, brs, bcs, n, 1);
  EXPECT_EQ(call.pack_a, expect_pack_a);
  EXPECT_EQ(call.pack_b, expect_pack_b);
  if (call.pack_a) a = packed(a);
  if (call.pack_b) b = packed(b);
  std::vector<double> c(static_cast<size_t>(m * n), -1.0);
  colmajor_gemm(call.trans_first, call.trans_second, call.m, call.n, call.k, b.buf.data(), call.ld_first,
                a.buf.data(), call.ld_second, c.data(), call.ldc);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double want = 0;
      for (int64_t l = 0; l < k; ++l) want += a.at(i, l) * b.at(l, j);
      ASSERT_EQ(c[i * n + j], want) << i << "," << j;
    }
  }
}

TEST(CublasPlan, RowMajorOperandsNeedNoCopy) {
  check_plan(3, 4, 5, 5, 1, 4, 1, false, false);      // contiguous
  check_plan(3, 4, 5, 1, 3, 1, 5, false, false);      // both transposed views
  check_plan(3, 4, 5, 9, 1, 1, 7, false, false);      // row slice of a wider matrix; transposed with padding
  check_plan(1, 4, 5, 123, 1, 4, 1, false, false);    // one row: its stride is free
  check_plan(3, 1, 5, 5, 1, 7, 123, false, false);    // one column (a matrix-vector product)
  check_plan(1, 1, 6, 0, 3, 2, 0, false, false);      // a dot product through strided vectors
}

TEST(CublasPlan, IrregularStridesArePacked) {
  check_plan(3, 4, 5, 10, 2, 4, 1, true, false);  // a's columns 2 apart
  check_plan(3, 4, 5, 5, 1, 8, 2, false, true);   // b's columns 2 apart
  check_plan(2, 3, 4, 4, 0, 0, 1, true, true);    // expanded (stride 0) operands
}

TEST(CublasPlan, SwapsOperandsForColumnMajor) {
  const cuda::GemmCall call = cuda::plan_gemm(3, 4, 5, 5, 1, 1, 5, 4, 1);
  EXPECT_EQ(call.m, 4);  // cuBLAS's m is our n
  EXPECT_EQ(call.n, 3);
  EXPECT_EQ(call.k, 5);
  EXPECT_TRUE(call.trans_first);  // our b, stored transposed
  EXPECT_FALSE(call.trans_second);
  EXPECT_EQ(call.ld_first, 5);
  EXPECT_EQ(call.ld_second, 5);
  EXPECT_EQ(call.ldc, 4);
  EXPECT_THROW(cuda::plan_gemm(3, 4, 5, 5, 1, 4, 1, 1, 3), RuntimeError);  // a transposed output
}

TEST(CublasPlan, BatchesMergeWhereEveryOperandIsUniform) {
  // Contiguous (2, 3) batches of 4x5 @ 5x6: one call of 6 matrices.
  cuda::BatchPlan p = cuda::plan_batches({2, 3}, {60, 20}, {90, 30}, {72, 24});
  EXPECT_TRUE(p.outer.empty());
  EXPECT_EQ(p.count, 6);
  EXPECT_EQ(p.stride[0], 20);
  EXPECT_EQ(p.stride[1], 30);
  EXPECT_EQ(p.stride[2], 24);
  // a broadcast over the inner batch dim, b over the outer one: (2, 1) x (1, 3).
  p = cuda::plan_batches({2, 3}, {20, 0}, {0, 30}, {72, 24});
  ASSERT_EQ(p.outer, Shape{2});
  EXPECT_EQ(p.outer_strides[0], Shape{20});
  EXPECT_EQ(p.outer_strides[1], Shape{0});
  EXPECT_EQ(p.outer_strides[2], Shape{72});
  EXPECT_EQ(p.count, 3);
  EXPECT_EQ(p.stride[0], 0);
  EXPECT_EQ(p.stride[1], 30);
  // Size-1 dims are dropped; no batch at all is one matrix.
  p = cuda::plan_batches({1, 4, 1}, {7, 20, 7}, {7, 30, 7}, {7, 24, 7});
  EXPECT_TRUE(p.outer.empty());
  EXPECT_EQ(p.count, 4);
  p = cuda::plan_batches({}, {}, {}, {});
  EXPECT_EQ(p.count, 1);
  EXPECT_TRUE(p.outer.empty());
}

// ---- cuBLAS loader ----------------------------------------------------------------------------

TEST(CublasLoader, MissingLibraryIsAClearRuntimeError) {
  for (const char* so : {"libcublas.so.13", "libcublas.so.12"}) {
    if (void* h = dlopen(so, RTLD_NOW | RTLD_LOCAL)) {
      dlclose(h);
      GTEST_SKIP() << "this machine has " << so;
    }
  }
  setenv("PYTENSOR_CUBLAS_PATH", "/nonexistent/cublas-dir", 1);
  try {
    cuda::cublas();
    FAIL() << "cuBLAS loaded";
  } catch (const RuntimeError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cuBLAS"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/nonexistent/cublas-dir"), std::string::npos) << msg;
    EXPECT_NE(msg.find("libcublas.so.12"), std::string::npos) << msg;
  }
  unsetenv("PYTENSOR_CUBLAS_PATH");
  EXPECT_THROW(cuda::cublas(), RuntimeError);  // failures are not cached: it tries again
}

}  // namespace
