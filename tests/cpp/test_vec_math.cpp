// Unit tests of the SIMD float32 exp family (cpu/vec_math): accuracy against double-precision
// std::exp, the special values, and that ragged tails and the fused sums agree with the plain map.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "cpu/vec_math.h"

using namespace pt::cpu;

namespace {

double ulps(float got, double want) {
  const float w = static_cast<float>(want);
  const float spacing = std::nextafter(std::fabs(w), std::numeric_limits<float>::infinity()) - std::fabs(w);
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

}  // namespace

TEST(VecExp, WithinTwoUlpOverTheFloatRange) {
  std::vector<float> x;
  for (float v = -103.f; v < 88.7f; v += 0.0137f) x.push_back(v);
  std::vector<float> y(x.size());
  vec::exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double want = std::exp(static_cast<double>(x[i]));
    if (want < std::numeric_limits<float>::min()) continue;  // subnormal: absolute check below
    worst = std::max(worst, ulps(y[i], want));
  }
  EXPECT_LE(worst, 2.0);
}

TEST(VecExp, SpecialValuesAsStdExp) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {0.f, -0.f, inf, -inf, 89.f, 1000.f, -104.f, -1000.f, -100.f};
  std::vector<float> y(x.size());
  vec::exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], std::exp(x[i])) << "x=" << x[i];
  const float nan = std::numeric_limits<float>::quiet_NaN();
  float out;
  vec::exp(&nan, &out, 1);
  EXPECT_TRUE(std::isnan(out));
}

TEST(VecExp, TailsMatchTheVectorBody) {
  std::vector<float> x(37);
  for (size_t i = 0; i < x.size(); ++i) x[i] = -3.f + 0.41f * static_cast<float>(i);
  std::vector<float> whole(x.size());
  vec::exp(x.data(), whole.data(), static_cast<int64_t>(x.size()));
  for (int64_t n = 1; n < static_cast<int64_t>(x.size()); ++n) {
    std::vector<float> part(n);
    vec::exp(x.data(), part.data(), n);
    EXPECT_EQ(0, std::memcmp(part.data(), whole.data(), n * sizeof(float))) << "n=" << n;
  }
}

TEST(VecExp, ExpSumAndRowAgreeWithTheMap) {
  std::vector<float> x(10007);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i)) * 5.f;
  const float m = 5.f;
  std::vector<float> shifted(x.size()), want(x.size()), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) shifted[i] = x[i] - m;
  vec::exp(shifted.data(), want.data(), static_cast<int64_t>(x.size()));
  const double sum = vec::exp_sum(x.data(), y.data(), static_cast<int64_t>(x.size()), m);
  double want_sum = 0;
  for (float v : want) want_sum += v;
  EXPECT_EQ(0, std::memcmp(y.data(), want.data(), y.size() * sizeof(float)));
  EXPECT_NEAR(sum, want_sum, 1e-7 * want_sum);  // float lanes, flushed to double per chunk
  for (int64_t n = 1; n < 20; ++n) {  // every ragged tail of 4 and 8 lanes is summed, once
    double part = 0;
    for (int64_t i = 0; i < n; ++i) part += want[i];
    EXPECT_NEAR(vec::exp_sum(x.data(), nullptr, n, m), part, 1e-6 * part) << "n=" << n;
  }
  EXPECT_EQ(vec::exp_sum(x.data(), nullptr, static_cast<int64_t>(x.size()), m), sum);

  const int64_t w = 13;  // one row of column accumulators, ragged against every vector width
  std::vector<float> ms(w, m), acc(w, 1.f), row(w);
  vec::exp_row(x.data(), row.data(), ms.data(), w, acc.data());
  for (int64_t j = 0; j < w; ++j) {
    EXPECT_EQ(row[j], want[j]);
    EXPECT_EQ(acc[j], 1.f + want[j]);
  }
}

TEST(VecSigmoid, IsOneOverOnePlusExpOfMinusX) {
  std::vector<float> x = {-200.f, -88.f, -20.f, -1.f, 0.f, 0.5f, 3.f, 20.f, 200.f};
  std::vector<float> y(x.size()), neg(x.size()), e(x.size());
  vec::sigmoid(x.data(), y.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) neg[i] = -x[i];
  vec::exp(neg.data(), e.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(y[i], 1.f / (1.f + e[i])) << "x=" << x[i];
    EXPECT_LE(ulps(y[i], 1.0 / (1.0 + std::exp(-static_cast<double>(x[i])))), 3.0) << "x=" << x[i];
  }
}
