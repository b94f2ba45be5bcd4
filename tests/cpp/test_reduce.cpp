// Unit tests of the reduction kernels through the ops layer: each walk of the driver (full,
// contiguous runs, column accumulators, strided runs), the argmax tie rule, var, softmax and scans.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/errors.h"
#include "core/tensor.h"
#include "cpu/parallel.h"
#include "ops/reduce.h"
#include "ops/views.h"

using namespace pt;

namespace {

Tensor from(const std::vector<float>& v, const Shape& shape) {
  Tensor t = empty(shape, DType::Float32);
  std::copy(v.begin(), v.end(), t->data_as<float>());
  return t;
}

std::vector<float> values(const Tensor& t) {
  EXPECT_TRUE(t->is_contiguous());
  const float* p = t->data_as<float>();
  return std::vector<float>(p, p + t->numel());
}

// Deterministic values with an exactly known float64 sum pattern.
std::vector<float> ramp(int64_t n) {
  std::vector<float> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 37) % 101) * 0.01f - 0.3f;
  return v;
}

}  // namespace

TEST(Reduce, FullSumOfLargeContiguousIsAccurate) {
  const int64_t n = 3'000'017;
  std::vector<float> v = ramp(n);
  double exact = 0;
  for (float x : v) exact += x;
  Tensor s = sum(from(v, {n}), std::nullopt, false, std::nullopt);
  ASSERT_EQ(s->dim(), 0);
  EXPECT_NEAR(s->data_as<float>()[0], exact, std::abs(exact) * 1e-6);
}

TEST(Reduce, SumOverEachDimMatchesLoops) {
  const int64_t r = 37, c = 1500;  // dim 0: column path; dim 1: contiguous runs
  std::vector<float> v = ramp(r * c);
  Tensor t = from(v, {r, c});
  std::vector<float> s0 = values(sum(t, std::vector<int64_t>{0}, false, std::nullopt));
  std::vector<float> s1 = values(sum(t, std::vector<int64_t>{-1}, true, std::nullopt));
  for (int64_t j = 0; j < c; ++j) {
    double e = 0;
    for (int64_t i = 0; i < r; ++i) e += v[i * c + j];
    EXPECT_NEAR(s0[j], e, 1e-4) << j;
  }
  for (int64_t i = 0; i < r; ++i) {
    double e = 0;
    for (int64_t j = 0; j < c; ++j) e += v[i * c + j];
    EXPECT_NEAR(s1[i], e, 1e-3) << i;
  }
  // A transposed view reduces the same numbers through the strided walks.
  Tensor tt = transpose(t, 0, 1);
  EXPECT_EQ(values(sum(tt, std::vector<int64_t>{1}, false, std::nullopt)), s0);
}

TEST(Reduce, ArgmaxKeepsFirstIndexAndNaNWins) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor t = from({1, 5, 5, 2, 5, 0, nan, 7, nan, 1}, {2, 5});
  Tensor a = argmax(t, 1, false);
  EXPECT_EQ(a->data_as<int64_t>()[0], 1);
  EXPECT_EQ(a->data_as<int64_t>()[1], 1);
  Tensor b = argmin(t, std::nullopt, false);
  EXPECT_EQ(b->data_as<int64_t>()[0], 6);
  auto [vals, idx] = max_dim(t, 0, false);
  EXPECT_EQ(idx->data_as<int64_t>()[0], 0);   // 1 vs 0
  EXPECT_EQ(idx->data_as<int64_t>()[1], 1);   // 5 vs NaN
  EXPECT_TRUE(std::isnan(vals->data_as<float>()[1]));
}

TEST(Reduce, VarCorrectionAndEmptyErrors) {
  Tensor t = from({1, 2, 3, 4}, {4});
  EXPECT_FLOAT_EQ(var(t, std::nullopt, 1.0, false)->data_as<float>()[0], 5.0f / 3.0f);
  EXPECT_FLOAT_EQ(stddev(t, std::nullopt, 0.0, false)->data_as<float>()[0], std::sqrt(1.25f));
  Tensor e = empty({0, 3}, DType::Float32);
  EXPECT_THROW(max(e), RuntimeError);
  EXPECT_THROW(amax(e, std::vector<int64_t>{0}, false), IndexError);
  EXPECT_THROW(sum(e, std::vector<int64_t>{2}, false, std::nullopt), IndexError);
  EXPECT_EQ(amax(e, std::vector<int64_t>{1}, false)->numel(), 0);
}

TEST(Reduce, SoftmaxRowsAndColumnsSumToOne) {
  std::vector<float> v = ramp(6 * 700);
  for (float& x : v) x *= 30;
  Tensor t = from(v, {6, 700});
  for (int64_t dim : {0, 1}) {
    Tensor s = softmax(t, dim, std::nullopt);
    Tensor total = sum(s, std::vector<int64_t>{dim}, false, std::nullopt);
    for (float x : values(total)) EXPECT_NEAR(x, 1.0f, 1e-5);
    Tensor ls = log_softmax(t, dim, std::nullopt);
    const float* a = s->data_as<float>();
    const float* b = ls->data_as<float>();
    for (int64_t i = 0; i < s->numel(); ++i) EXPECT_NEAR(std::log(a[i]), b[i], 2e-4 + 1e-6 * std::abs(b[i]));
  }
}

TEST(Reduce, CumsumAndCumprodAlongBothDims) {
  Tensor t = from({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(values(cumsum(t, 1, std::nullopt)), (std::vector<float>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(values(cumsum(t, 0, std::nullopt)), (std::vector<float>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(values(cumprod(t, -1, std::nullopt)), (std::vector<float>{1, 2, 6, 4, 20, 120}));
}

TEST(Reduce, ResultIndependentOfThreadCount) {
  std::vector<float> v = ramp(700 * 900);
  Tensor t = from(v, {700, 900});
  const int before = cpu::get_num_threads();
  std::vector<std::vector<float>> runs;
  for (int threads : {1, 2, 3}) {
    cpu::set_num_threads(threads);
    std::vector<float> r = values(sum(t, std::nullopt, false, std::nullopt));
    std::vector<float> c = values(sum(t, std::vector<int64_t>{0}, false, std::nullopt));
    r.insert(r.end(), c.begin(), c.end());
    runs.push_back(r);
  }
  cpu::set_num_threads(before);
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
}
