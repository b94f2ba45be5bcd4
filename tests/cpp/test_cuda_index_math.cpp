// The index arithmetic of the CUDA indexing kernels (cuda/index_math.h), checked on the host:
// the same header is compiled for the device, so what passes here is what the kernels compute.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "cuda/index_math.h"

using namespace pt;
using pt::cuda::OffsetCalc;

namespace {

// Byte offsets of position `pos` (row-major over sizes), by the definition.
std::vector<int64_t> naive_offsets(const Shape& sizes, const std::vector<Shape>& strides, int64_t pos) {
  std::vector<int64_t> off(strides.size(), 0);
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    const int64_t c = pos % sizes[d];
    pos /= sizes[d];
    for (size_t k = 0; k < strides.size(); ++k) off[k] += c * strides[k][d];
  }
  return off;
}

template <int N>
void expect_matches_definition(const Shape& sizes, const std::array<Shape, N>& strides, bool coalesce) {
  const OffsetCalc<N> calc = cuda::make_offset_calc<N>(sizes, strides, coalesce);
  const std::vector<Shape> st(strides.begin(), strides.end());
  for (int64_t p = 0; p < numel_of(sizes); ++p) {
    int64_t off[N];
    calc.get(p, off);
    const std::vector<int64_t> want = naive_offsets(sizes, st, p);
    for (int k = 0; k < N; ++k) ASSERT_EQ(off[k], want[k]) << "position " << p << " operand " << k;
  }
}

}  // namespace

TEST(CudaIndexMath, OffsetCalcMatchesRowMajorDefinition) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const int ndim = static_cast<int>(rng() % 6);
    Shape sizes(ndim);
    for (auto& s : sizes) s = 1 + static_cast<int64_t>(rng() % 4);
    std::array<Shape, 3> strides;
    for (auto& st : strides) {
      // Contiguous, transposed, broadcast (0) and arbitrary strides, mixed per operand.
      st = contiguous_strides(sizes);
      const int kind = static_cast<int>(rng() % 4);
      for (int d = 0; d < ndim; ++d) {
        if (kind == 1) st[d] = contiguous_strides(sizes)[ndim - 1 - d];
        if (kind == 2 && rng() % 2) st[d] = 0;
        if (kind == 3) st[d] = static_cast<int64_t>(rng() % 50);
        st[d] *= 4;
      }
    }
    expect_matches_definition<3>(sizes, strides, true);
    expect_matches_definition<3>(sizes, strides, false);
  }
}

TEST(CudaIndexMath, CoalescingMergesContiguousDimsOnly) {
  Shape sizes{2, 3, 1, 4};
  std::array<Shape, 2> strides{Shape{48, 16, 99, 4}, Shape{0, 0, 7, 0}};
  cuda::coalesce_dims<2>(sizes, strides);
  EXPECT_EQ(sizes, (Shape{24}));
  EXPECT_EQ(strides[0], (Shape{4}));
  EXPECT_EQ(strides[1], (Shape{0}));

  // A broadcast operand over the outer dim keeps that dim apart.
  Shape sizes2{3, 5};
  std::array<Shape, 2> strides2{Shape{20, 4}, Shape{0, 8}};
  cuda::coalesce_dims<2>(sizes2, strides2);
  EXPECT_EQ(sizes2, (Shape{3, 5}));

  // Only size-1 dims: nothing to walk but the one position.
  Shape ones{1, 1};
  std::array<Shape, 1> st1{Shape{5, 5}};
  const OffsetCalc<1> calc = cuda::make_offset_calc<1>(ones, st1);
  EXPECT_EQ(calc.ndim, 0);
  int64_t off[1] = {-1};
  calc.get(0, off);
  EXPECT_EQ(off[0], 0);
}

TEST(CudaIndexMath, TooManyDimsAfterMergingIsAClearError) {
  const int n = cuda::kMaxDims + 1;
  Shape sizes(n, 2), strides(n);
  for (int d = 0; d < n; ++d) strides[d] = int64_t{1} << d;  // growing inwards: nothing merges
  try {
    cuda::make_offset_calc<1>(sizes, {strides});
    FAIL() << "expected a RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 25 dims"), std::string::npos) << e.what();
  }
  // The same rank, contiguous, merges into one dim and is fine.
  const OffsetCalc<1> calc = cuda::make_offset_calc<1>(sizes, {contiguous_strides(sizes)});
  EXPECT_EQ(calc.ndim, 1);
  EXPECT_EQ(calc.sizes[0], int64_t{1} << n);
}

TEST(CudaIndexMath, WrapIndex) {
  EXPECT_EQ(cuda::wrap_index(-1, 5), 4);
  EXPECT_EQ(cuda::wrap_index(-5, 5), 0);
  EXPECT_EQ(cuda::wrap_index(0, 5), 0);
  EXPECT_EQ(cuda::wrap_index(4, 5), 4);
  EXPECT_EQ(cuda::wrap_index(3, 0), 3);  // size 0: offsets that are already valid pass through
}

namespace {

template <typename T>
bool nonzero_on_device_rule(T v) {
  char buf[8] = {};
  std::memcpy(buf, &v, sizeof(T));
  return cuda::is_nonzero(buf, sizeof(T), cuda::nonzero_bits(sizeof(T), std::is_floating_point_v<T>));
}

}  // namespace

TEST(CudaIndexMath, NonzeroTestAgreesWithValueComparison) {
  for (float v : {0.0f, -0.0f, 1.0f, -2.5f, std::numeric_limits<float>::denorm_min(),
                  -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::quiet_NaN(),
                  -std::numeric_limits<float>::infinity()}) {
    EXPECT_EQ(nonzero_on_device_rule(v), v != 0.0f || std::isnan(v)) << v;
  }
  for (double v : {0.0, -0.0, 5e-324, -5e-324, 1e300, std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(nonzero_on_device_rule(v), v != 0.0 || std::isnan(v)) << v;
  }
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, std::numeric_limits<int64_t>::min()}) {
    EXPECT_EQ(nonzero_on_device_rule(v), v != 0) << v;
  }
  for (int32_t v : {0, 1, -1, std::numeric_limits<int32_t>::min()}) EXPECT_EQ(nonzero_on_device_rule(v), v != 0);
  for (int16_t v : {int16_t{0}, int16_t{-32768}, int16_t{256}}) EXPECT_EQ(nonzero_on_device_rule(v), v != 0);
  for (int8_t v : {int8_t{0}, int8_t{-128}, int8_t{1}}) EXPECT_EQ(nonzero_on_device_rule(v), v != 0);
  for (uint8_t v : {uint8_t{0}, uint8_t{255}}) EXPECT_EQ(nonzero_on_device_rule(v), v != 0);
  EXPECT_TRUE(nonzero_on_device_rule(true));
  EXPECT_FALSE(nonzero_on_device_rule(false));
}
