// Unit tests of the indexing core (ops/index.h) and its kernels: views for basic subscripts,
// advanced gathers and scatters against hand-computed values, ordering of repeated writes,
// thread-count independence, and that failed checks leave the target untouched.
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <vector>

#include "core/errors.h"
#include "core/tensor.h"
#include "cpu/parallel.h"
#include "ops/index.h"

using namespace pt;

namespace {

template <typename T>
Tensor from(const std::vector<T>& values, const Shape& shape) {
  Tensor t = empty(shape, CTypeToDType<T>::value);
  EXPECT_EQ(static_cast<size_t>(t->numel()), values.size());
  std::memcpy(t->data(), values.data(), values.size() * sizeof(T));
  return t;
}

Tensor arange_f(const Shape& shape) {
  std::vector<float> v(numel_of(shape));
  std::iota(v.begin(), v.end(), 0.0f);
  return from(v, shape);
}

Tensor longs(const std::vector<int64_t>& v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return from(v, shape);
}

// Values in row-major order, whatever the strides.
template <typename T>
std::vector<T> values(const Tensor& t) {
  std::vector<T> out;
  const int64_t n = t->numel();
  std::vector<int64_t> idx(t->dim(), 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t off = 0;
    for (int64_t d = 0; d < t->dim(); ++d) off += idx[d] * t->strides()[d];
    out.push_back(t->data_as<T>()[off]);
    for (int64_t d = t->dim() - 1; d >= 0; --d) {
      if (++idx[d] < t->sizes()[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

}  // namespace

TEST(Index, BasicSubscriptIsOneView) {
  Tensor t = arange_f({3, 4, 5});
  // t[1, ::2, None, -1]
  Tensor r = get_item(t, {TensorIndex::integer(1), TensorIndex::slice({}, {}, 2), TensorIndex::none(),
                          TensorIndex::integer(-1)});
  EXPECT_EQ(r->sizes(), (Shape{2, 1}));
  EXPECT_EQ(r->storage(), t->storage());
  EXPECT_EQ(values<float>(r), (std::vector<float>{24, 34}));
  // t[..., 1:3]
  Tensor e = get_item(t, {TensorIndex::ellipsis(), TensorIndex::slice(1, 3)});
  EXPECT_EQ(e->sizes(), (Shape{3, 4, 2}));
  EXPECT_EQ(e->offset(), 1);
}

TEST(Index, AdvancedFollowsNumpyPlacement) {
  Tensor t = arange_f({3, 4, 5});
  // Adjacent: t[:, [3, 0]] keeps the dims in place.
  Tensor a = get_item(t, {TensorIndex::slice(), TensorIndex::of(longs({3, 0}))});
  EXPECT_EQ(a->sizes(), (Shape{3, 2, 5}));
  EXPECT_EQ(values<float>(a)[5], 0.0f);  // a[0, 1, 0] = t[0, 0, 0]
  // Separated by a slice: t[[1, 2], :, [4, 0]] puts the index dims first.
  Tensor s = get_item(t, {TensorIndex::of(longs({1, 2})), TensorIndex::slice(), TensorIndex::of(longs({4, 0}))});
  EXPECT_EQ(s->sizes(), (Shape{2, 4}));
  EXPECT_EQ(values<float>(s)[0], 24.0f);   // t[1, 0, 4]
  EXPECT_EQ(values<float>(s)[5], 45.0f);   // t[2, 1, 0]
  EXPECT_NE(s->storage(), t->storage());
}

TEST(Index, MaskSelectsRowMajor) {
  Tensor t = arange_f({2, 3});
  Tensor mb = empty({2, 3}, DType::Bool);
  const bool mask[] = {true, false, true, false, true, true};
  std::memcpy(mb->data(), mask, sizeof(mask));
  Tensor r = get_item(t, {TensorIndex::of(mb)});
  EXPECT_EQ(values<float>(r), (std::vector<float>{0, 2, 4, 5}));
  Tensor nz = nonzero(mb);
  EXPECT_EQ(values<int64_t>(nz), (std::vector<int64_t>{0, 0, 0, 2, 1, 1, 1, 2}));
}

TEST(Index, RepeatedWritesKeepRowMajorOrder) {
  Tensor t = from(std::vector<float>(4, 0.0f), {4});
  set_item(t, {TensorIndex::of(longs({1, 3, 1}))}, from(std::vector<float>{5, 6, 7}, {3}));
  EXPECT_EQ(values<float>(t), (std::vector<float>{0, 7, 0, 6}));
  set_item(t, {TensorIndex::of(longs({2, 2, 2}))}, TensorOrScalar(Scalar::from_double(1.5)), /*accumulate=*/true);
  EXPECT_EQ(values<float>(t), (std::vector<float>{0, 7, 4.5, 6}));
}

TEST(Index, ChecksComeBeforeWrites) {
  Tensor t = arange_f({4});
  EXPECT_THROW(set_item(t, {TensorIndex::of(longs({0, 9}))}, TensorOrScalar(Scalar::from_int(1))), IndexError);
  EXPECT_THROW(get_item(t, {TensorIndex::integer(0), TensorIndex::integer(0)}), IndexError);
  EXPECT_THROW(get_item(t, {TensorIndex::slice(0, 2, -1)}), ValueError);
  EXPECT_THROW(scatter_(t, 0, longs({1, 4}), Scalar::from_int(3)), RuntimeError);
  EXPECT_EQ(values<float>(t), (std::vector<float>{0, 1, 2, 3}));
}

TEST(Index, DimWiseOps) {
  Tensor t = arange_f({3, 2});
  EXPECT_EQ(values<float>(index_select(t, 0, longs({2, 0}))), (std::vector<float>{4, 5, 0, 1}));
  EXPECT_EQ(values<float>(gather(t, 1, longs({1, 0, 0}, {3, 1}))), (std::vector<float>{1, 2, 4}));
  EXPECT_EQ(values<float>(take(t, longs({-1, 0}))), (std::vector<float>{5, 0}));
  Tensor acc = from(std::vector<float>(2, 0.0f), {2});
  scatter_add_(acc, 0, longs({1, 1, 0}), from(std::vector<float>{1, 2, 3}, {3}));
  EXPECT_EQ(values<float>(acc), (std::vector<float>{3, 3}));
  Tensor dst = from(std::vector<float>(6, 0.0f), {3, 2});
  index_add_(dst, 0, longs({2, 2}), from(std::vector<float>{1, 2, 3, 4}, {2, 2}), Scalar::from_int(1));
  EXPECT_EQ(values<float>(dst), (std::vector<float>{0, 0, 0, 0, 4, 6}));
}

TEST(Index, ScatterAddIsThreadCountIndependent) {
  const int64_t n = 200000;
  std::vector<int64_t> idx(n);
  std::vector<float> src(n);
  for (int64_t i = 0; i < n; ++i) {
    idx[i] = (i * 7919) % 13;
    src[i] = 1.0f / static_cast<float>(i + 1);
  }
  auto run = [&](int threads) {
    cpu::set_num_threads(threads);
    Tensor out = from(std::vector<float>(13, 0.0f), {13});
    scatter_add_(out, 0, longs(idx), from(src, {n}));
    return values<float>(out);
  };
  const int before = cpu::get_num_threads();
  std::vector<float> one = run(1), many = run(4);
  cpu::set_num_threads(before);
  EXPECT_EQ(one, many);
}
