// The CUDA kernels' index math (cuda/strided_index.h), compiled for the host: every operand
// offset of every element must match a plain row-major walk of the uncoalesced layout.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/shape.h"
#include "cuda/strided_index.h"

using namespace pt;
using pt::cuda::make_indexer;
using pt::cuda::StridedIndexer;

namespace {

// Byte offsets of element i by counting the multi-index up in row-major order.
template <size_t N>
std::vector<std::array<int64_t, N>> reference(const Shape& sizes, const std::array<Shape, N>& strides) {
  std::vector<std::array<int64_t, N>> out;
  const int64_t n = numel_of(sizes);
  Shape idx(sizes.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    std::array<int64_t, N> off{};
    for (size_t k = 0; k < N; ++k)
      for (size_t d = 0; d < sizes.size(); ++d) off[k] += idx[d] * strides[k][d];
    out.push_back(off);
    for (size_t d = sizes.size(); d-- > 0;) {
      if (++idx[d] < sizes[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

// Checks every element; returns the indexer for further checks of its form.
template <size_t N>
StridedIndexer<N> expect_matches(const Shape& sizes, const std::array<Shape, N>& strides) {
  const StridedIndexer<N> ix = make_indexer<N>(sizes, strides);
  const auto want = reference<N>(sizes, strides);
  EXPECT_EQ(static_cast<int64_t>(want.size()), numel_of(sizes));
  for (size_t i = 0; i < want.size(); ++i) {
    int64_t got[N];
    ix.offsets(static_cast<int64_t>(i), got);
    for (size_t k = 0; k < N; ++k) {
      EXPECT_EQ(got[k], want[i][k]) << "element " << i << " operand " << k << " sizes " << shape_str(sizes);
      if (got[k] != want[i][k]) return ix;
    }
  }
  return ix;
}

Shape bytes(const Shape& strides, int64_t item) {
  Shape out = strides;
  for (auto& s : out) s *= item;
  return out;
}

}  // namespace

TEST(StridedIndex, ContiguousIsFlat) {
  Shape sizes{2, 3, 4};
  auto ix = expect_matches<2>(sizes, {bytes(contiguous_strides(sizes), 4), bytes(contiguous_strides(sizes), 8)});
  EXPECT_EQ(ix.ndim, 0);
  EXPECT_EQ(ix.step[0], 4);
  EXPECT_EQ(ix.step[1], 8);
}

TEST(StridedIndex, BroadcastNumberIsFlat) {
  Shape sizes{5, 7};
  auto ix = expect_matches<3>(sizes, {bytes(contiguous_strides(sizes), 4), bytes(contiguous_strides(sizes), 4),
                                      Shape{0, 0}});
  EXPECT_EQ(ix.ndim, 0);
  EXPECT_EQ(ix.step[2], 0);
}

TEST(StridedIndex, ZeroDim) {
  auto ix = expect_matches<2>({}, {Shape{}, Shape{}});
  EXPECT_EQ(ix.ndim, 0);
  int64_t off[2] = {-1, -1};
  ix.offsets(0, off);
  EXPECT_EQ(off[0], 0);
  EXPECT_EQ(off[1], 0);
}

TEST(StridedIndex, SizeOneDimsWithOddStridesStayFlat) {
  // torch calls [3, 1, 4] with stride 999 on the size-1 dim contiguous; so must the indexer.
  auto ix = expect_matches<2>({3, 1, 4}, {Shape{16, 999 * 4, 4}, Shape{32, 8, 8}});
  EXPECT_EQ(ix.ndim, 0);
}

TEST(StridedIndex, Transposed) {
  // out contiguous [4, 3], input the transpose of a contiguous [3, 4].
  auto ix = expect_matches<2>({4, 3}, {Shape{12, 4}, Shape{4, 16}});
  EXPECT_EQ(ix.ndim, 2);
}

TEST(StridedIndex, BroadcastRowAndColumn) {
  // out [3, 4] = a [3, 1] + b [1, 4] (float64).
  auto ix = expect_matches<3>({3, 4}, {Shape{32, 8}, Shape{8, 0}, Shape{0, 8}});
  EXPECT_EQ(ix.ndim, 2);
}

TEST(StridedIndex, ExpandedInnerDim) {
  // An expanded [2, 3, 5] view of a [2, 3, 1] tensor next to a contiguous output.
  expect_matches<2>({2, 3, 5}, {bytes(contiguous_strides({2, 3, 5}), 4), Shape{12, 4, 0}});
}

TEST(StridedIndex, SlicedWithStepAndOffsetDims) {
  // A [3, 4] view of every other column of a [3, 8] int16 tensor, copied into a transposed output.
  expect_matches<2>({3, 4}, {Shape{2, 6}, Shape{16, 4}});
}

TEST(StridedIndex, CoalescesMergeableDims) {
  // [2, 3, 4] where every operand walks dims 1 and 2 contiguously, but dim 0 is padded.
  auto ix = expect_matches<2>({2, 3, 4}, {Shape{100, 16, 4}, Shape{96, 32, 8}});
  EXPECT_EQ(ix.ndim, 2);
  EXPECT_EQ(ix.sizes[0], 12);  // innermost first
  EXPECT_EQ(ix.sizes[1], 2);
}

TEST(StridedIndex, ManyDims) {
  // 12 dims of size 2, each operand's strides permuted so nothing merges.
  Shape sizes(12, 2);
  Shape a = contiguous_strides(sizes), b = a;
  std::reverse(b.begin(), b.end());
  auto ix = expect_matches<3>(sizes, {bytes(a, 4), bytes(b, 4), Shape(12, 0)});
  EXPECT_EQ(ix.ndim, 12);
}

TEST(StridedIndex, TooManyDimsAfterCoalescingRaise) {
  Shape sizes(26, 2);
  Shape a = contiguous_strides(sizes), b = a;
  std::reverse(b.begin(), b.end());
  EXPECT_THROW((make_indexer<2>(sizes, {a, b})), RuntimeError);
  // The same rank collapses to one dim when contiguous, which is fine.
  EXPECT_NO_THROW((make_indexer<2>(sizes, {a, a})));
}

TEST(StridedIndex, EmptyTensorBuildsAnIndexer) {
  EXPECT_NO_THROW((make_indexer<2>({3, 0, 2}, {Shape{0, 2, 1}, Shape{1, 3, 7}})));
}

TEST(StridedIndex, LargeOffsetsUse64Bits) {
  // Offsets beyond 2^31 bytes (no memory is touched).
  const int64_t big = int64_t{1} << 33;
  auto ix = make_indexer<2>({3, 2}, {Shape{big, 8}, Shape{8, big}});
  int64_t off[2];
  ix.offsets(5, off);
  EXPECT_EQ(off[0], 2 * big + 8);
  EXPECT_EQ(off[1], 2 * 8 + big);
}

TEST(StridedIndex, RandomViews) {
  // Random shapes, each operand a random permutation of a (possibly padded) contiguous
  // layout, with random dims broadcast; checked against the reference walk.
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    const int nd = std::uniform_int_distribution<int>(0, 6)(rng);
    Shape sizes(nd);
    for (auto& s : sizes) s = std::uniform_int_distribution<int>(1, 4)(rng);
    std::array<Shape, 3> strides;
    for (size_t k = 0; k < 3; ++k) {
      std::vector<int> perm(nd);
      std::iota(perm.begin(), perm.end(), 0);
      std::shuffle(perm.begin(), perm.end(), rng);
      Shape st(nd, 0);
      int64_t step = std::uniform_int_distribution<int>(1, 2)(rng);  // 2: every other element
      for (int j = nd - 1; j >= 0; --j) {
        st[perm[j]] = step;
        step *= sizes[perm[j]] + std::uniform_int_distribution<int>(0, 1)(rng);  // maybe padded
      }
      for (int d = 0; d < nd; ++d) {
        if (k > 0 && std::uniform_int_distribution<int>(0, 3)(rng) == 0) st[d] = 0;  // broadcast
      }
      strides[k] = bytes(st, 4);
    }
    expect_matches<3>(sizes, strides);
    if (::testing::Test::HasFailure()) return;
  }
}
