// The index arithmetic of the CUDA indexing kernels (cuda/index_math.h), checked on the host:
// the same header is compiled for the device, so what passes here is what the kernels compute.
// (Their position -> offset map is cuda/strided_index.h, tested in test_strided_index.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "cuda/index_math.h"

using namespace pt;
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
