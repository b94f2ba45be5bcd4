// Unit tests of the core: shape/stride helpers, broadcasting, type promotion (the table and
// result_type's priority tiers), and a few kernels run through pt::binary / pt::unary / copy_.
// Expected promotions are torch 2.13's (torch.promote_types / torch.result_type).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/errors.h"
#include "core/scalar.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/views.h"

using pt::DType;
using pt::Scalar;
using pt::Shape;
using pt::Tensor;
using pt::TensorOrScalar;
using pt::cpu::BinaryOp;
using pt::cpu::UnaryOp;

namespace {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& values) {
  Tensor t = pt::empty(shape, pt::CTypeToDType<T>::value);
  EXPECT_EQ(static_cast<size_t>(t->numel()), values.size());
  for (size_t i = 0; i < values.size(); ++i) t->data_as<T>()[i] = values[i];
  return t;
}

// The values of any tensor in row-major order, read through its strides.
template <typename T>
std::vector<T> values(const Tensor& t) {
  std::vector<T> out;
  std::vector<int64_t> idx(t->dim(), 0);
  for (int64_t n = 0; n < t->numel(); ++n) {
    int64_t off = 0;
    for (int64_t d = 0; d < t->dim(); ++d) off += idx[d] * t->strides()[d];
    out.push_back(t->data_as<T>()[off]);
    for (int64_t d = t->dim() - 1; d >= 0 && ++idx[d] == t->sizes()[d]; --d) idx[d] = 0;
  }
  return out;
}

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

// ---- shape and stride helpers ------------------------------------------------------------------

TEST(Shape, NumelAndContiguousStrides) {
  EXPECT_EQ(pt::numel_of({2, 3, 4}), 24);
  EXPECT_EQ(pt::numel_of({}), 1);
  EXPECT_EQ(pt::numel_of({3, 0}), 0);
  EXPECT_EQ(pt::contiguous_strides({2, 3, 4}), (Shape{12, 4, 1}));
  EXPECT_EQ(pt::contiguous_strides({}), Shape{});
  EXPECT_EQ(pt::contiguous_strides({5}), Shape{1});
  // torch counts size-0 and size-1 dims as 1 when it computes strides: (3, 0, 2) -> (2, 2, 1)
  EXPECT_EQ(pt::contiguous_strides({3, 0, 2}), (Shape{2, 2, 1}));
  EXPECT_EQ(pt::contiguous_strides({1, 5}), (Shape{5, 1}));
}

TEST(Shape, IsContiguous) {
  EXPECT_TRUE(pt::is_contiguous({2, 3}, {3, 1}));
  EXPECT_FALSE(pt::is_contiguous({3, 2}, {1, 3}));  // a transpose
  EXPECT_FALSE(pt::is_contiguous({2, 3}, {0, 1}));  // an expanded dim
  EXPECT_FALSE(pt::is_contiguous({2, 2}, {6, 1}));  // a column slice of a 2x6 matrix
  EXPECT_TRUE(pt::is_contiguous({3, 1}, {1, 7}));   // size-1 dims do not count
  EXPECT_TRUE(pt::is_contiguous({1, 3}, {99, 1}));
  EXPECT_TRUE(pt::is_contiguous({0, 3}, {1, 5}));   // empty tensors are contiguous
  EXPECT_TRUE(pt::is_contiguous({}, {}));
}

TEST(Shape, WrapDim) {
  EXPECT_EQ(pt::wrap_dim(-1, 3), 2);
  EXPECT_EQ(pt::wrap_dim(-3, 3), 0);
  EXPECT_EQ(pt::wrap_dim(2, 3), 2);
  EXPECT_EQ(pt::wrap_dim(0, 0), 0);  // a 0-d tensor accepts 0 and -1, as torch
  EXPECT_EQ(pt::wrap_dim(-1, 0), 0);
  EXPECT_EQ(message_of<pt::IndexError>([] { pt::wrap_dim(3, 3); }),
            "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  EXPECT_THROW(pt::wrap_dim(-4, 3), pt::IndexError);
  EXPECT_THROW(pt::wrap_dim(1, 0), pt::IndexError);
}

TEST(Shape, BroadcastShapes) {
  EXPECT_EQ(pt::broadcast_shapes({3, 1}, {1, 4}), (Shape{3, 4}));
  EXPECT_EQ(pt::broadcast_shapes({}, {2, 3}), (Shape{2, 3}));
  EXPECT_EQ(pt::broadcast_shapes({5, 1, 3}, {4, 1}), (Shape{5, 4, 3}));
  EXPECT_EQ(pt::broadcast_shapes({2, 0}, {1}), (Shape{2, 0}));
  EXPECT_EQ(pt::broadcast_shapes({1}, {0}), Shape{0});
  std::string msg = message_of<pt::RuntimeError>([] { pt::broadcast_shapes({2, 3}, {4}); });
  EXPECT_TRUE(contains(msg, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"))
      << msg;
  EXPECT_TRUE(contains(msg, "[2, 3]") && contains(msg, "[4]")) << msg;
}

TEST(Shape, BroadcastStrides) {
  EXPECT_EQ(pt::broadcast_strides({3, 1}, {1, 1}, {2, 3, 4}), (Shape{0, 1, 0}));
  EXPECT_EQ(pt::broadcast_strides({4}, {2}, {3, 4}), (Shape{0, 2}));
  EXPECT_EQ(pt::broadcast_strides({}, {}, {2}), Shape{0});
}

TEST(Shape, InferSize) {
  EXPECT_EQ(pt::infer_size({-1, 3}, 12), (Shape{4, 3}));
  EXPECT_EQ(pt::infer_size({2, -1, 2}, 12), (Shape{2, 3, 2}));
  EXPECT_EQ(pt::infer_size({3, 4}, 12), (Shape{3, 4}));
  EXPECT_EQ(pt::infer_size({-1}, 0), Shape{0});
  EXPECT_EQ(pt::infer_size({0, 5}, 0), (Shape{0, 5}));
  EXPECT_EQ(message_of<pt::RuntimeError>([] { pt::infer_size({5, 3}, 12); }),
            "shape '[5, 3]' is invalid for input of size 12");
  EXPECT_EQ(message_of<pt::RuntimeError>([] { pt::infer_size({5, -1}, 12); }),
            "shape '[5, -1]' is invalid for input of size 12");
  EXPECT_EQ(message_of<pt::RuntimeError>([] { pt::infer_size({-1, -1}, 12); }),
            "only one dimension can be inferred");
  EXPECT_THROW(pt::infer_size({2, -2}, 12), pt::RuntimeError);
  EXPECT_TRUE(contains(message_of<pt::RuntimeError>([] { pt::infer_size({-1, 0}, 0); }),
                       "cannot reshape tensor of 0 elements into shape [-1, 0]"));
}

TEST(Shape, ComputeViewStrides) {
  Shape st;
  // contiguous: any regrouping works
  ASSERT_TRUE(pt::compute_view_strides({3, 4}, {4, 1}, {2, 6}, st));
  EXPECT_EQ(st, (Shape{6, 1}));
  ASSERT_TRUE(pt::compute_view_strides({3, 4}, {4, 1}, {12}, st));
  EXPECT_EQ(st, Shape{1});
  // transposed (4, 3) with strides (1, 4): splitting a dim or adding size-1 dims is a view ...
  ASSERT_TRUE(pt::compute_view_strides({4, 3}, {1, 4}, {2, 2, 3}, st));
  EXPECT_EQ(st, (Shape{2, 1, 4}));
  ASSERT_TRUE(pt::compute_view_strides({4, 3}, {1, 4}, {4, 1, 3}, st));
  EXPECT_EQ(st[0], 1);
  EXPECT_EQ(st[2], 4);
  // ... merging its dims is not
  EXPECT_FALSE(pt::compute_view_strides({4, 3}, {1, 4}, {12}, st));
  EXPECT_FALSE(pt::compute_view_strides({4, 3}, {1, 4}, {3, 4}, st));
  // a column slice: rows stay apart
  EXPECT_FALSE(pt::compute_view_strides({3, 2}, {4, 1}, {6}, st));
  ASSERT_TRUE(pt::compute_view_strides({3, 2}, {4, 1}, {3, 2, 1}, st));
  EXPECT_EQ(st[0], 4);
  EXPECT_EQ(st[1], 1);
  // 0-d and empty
  ASSERT_TRUE(pt::compute_view_strides({}, {}, {1, 1}, st));
  EXPECT_EQ(st, (Shape{1, 1}));
  ASSERT_TRUE(pt::compute_view_strides({0, 3}, {3, 1}, {3, 0}, st));
}

TEST(Shape, ShapeStr) {
  EXPECT_EQ(pt::shape_str({}), "[]");
  EXPECT_EQ(pt::shape_str({2, 3}), "[2, 3]");
}

// ---- dtypes and promotion ---------------------------------------------------------------------

namespace {
const DType kAll[] = {DType::Bool,  DType::UInt8, DType::Int8,    DType::Int16,
                      DType::Int32, DType::Int64, DType::Float32, DType::Float64};
DType code(const std::string& c) {
  static const char* names[] = {"b1", "u1", "i1", "i2", "i4", "i8", "f4", "f8"};
  for (int k = 0; k < 8; ++k) if (c == names[k]) return kAll[k];
  ADD_FAILURE() << "bad code " << c;
  return DType::Bool;
}
// torch.promote_types, rows and columns in enum order (from torch 2.13).
const char* kPromote[8] = {
    "b1 u1 i1 i2 i4 i8 f4 f8", "u1 u1 i2 i2 i4 i8 f4 f8", "i1 i2 i1 i2 i4 i8 f4 f8",
    "i2 i2 i2 i2 i4 i8 f4 f8", "i4 i4 i4 i4 i4 i8 f4 f8", "i8 i8 i8 i8 i8 i8 f4 f8",
    "f4 f4 f4 f4 f4 f4 f4 f8", "f8 f8 f8 f8 f8 f8 f8 f8",
};

TensorOrScalar dim_tensor(DType d) { return pt::empty({2}, d); }
TensorOrScalar zero_dim(DType d) { return pt::empty({}, d); }

// Restores the default float dtype even when an assertion fails.
struct DefaultDtypeGuard {
  DType saved = pt::default_float_dtype();
  ~DefaultDtypeGuard() { pt::set_default_float_dtype(saved); }
};
}  // namespace

TEST(DType, NamesAndSizes) {
  EXPECT_EQ(pt::itemsize(DType::Bool), 1u);
  EXPECT_EQ(pt::itemsize(DType::Int16), 2u);
  EXPECT_EQ(pt::itemsize(DType::Float64), 8u);
  EXPECT_STREQ(pt::dtype_name(DType::UInt8), "uint8");
  EXPECT_STREQ(pt::dtype_torch_name(DType::Int64), "Long");
  EXPECT_STREQ(pt::dtype_torch_name(DType::Float32), "Float");
  EXPECT_TRUE(pt::is_floating(DType::Float32));
  EXPECT_FALSE(pt::is_integral(DType::Bool, false));
  EXPECT_TRUE(pt::is_integral(DType::Bool, true));
}

TEST(DType, PromotionTableMatchesTorch) {
  for (int a = 0; a < 8; ++a) {
    std::vector<std::string> row;
    std::string line = kPromote[a];
    for (size_t p = 0; p < line.size(); p += 3) row.push_back(line.substr(p, 2));
    ASSERT_EQ(row.size(), 8u);
    for (int b = 0; b < 8; ++b) {
      EXPECT_EQ(pt::promote_types(kAll[a], kAll[b]), code(row[b]))
          << pt::dtype_name(kAll[a]) << " + " << pt::dtype_name(kAll[b]);
      EXPECT_EQ(pt::promote_types(kAll[a], kAll[b]), pt::promote_types(kAll[b], kAll[a]));
    }
  }
}

TEST(DType, DefaultFloatMustBeFloating) {
  DefaultDtypeGuard guard;
  EXPECT_THROW(pt::set_default_float_dtype(DType::Int64), pt::TypeError);
  pt::set_default_float_dtype(DType::Float64);
  EXPECT_EQ(pt::default_float_dtype(), DType::Float64);
}

TEST(ResultType, TensorsWithDimsWinOverZeroDimAndNumbers) {
  // Same category: the higher tier decides, whatever the lower tier's width.
  EXPECT_EQ(pt::result_type({dim_tensor(DType::UInt8), zero_dim(DType::Int64)}), DType::UInt8);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Int8), Scalar::from_int(1000)}), DType::Int8);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Float32), zero_dim(DType::Float64)}), DType::Float32);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Int16), dim_tensor(DType::Int32)}), DType::Int32);
  // A higher category in a lower tier joins in: int tensor + float number -> default float.
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Int64), Scalar::from_double(2.5)}), DType::Float32);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Int32), zero_dim(DType::Float64)}), DType::Float64);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Bool), Scalar::from_int(1)}), DType::Int64);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Bool), zero_dim(DType::UInt8)}), DType::UInt8);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Bool), Scalar::from_bool(true)}), DType::Bool);
  // Zero-dim tensors over numbers.
  EXPECT_EQ(pt::result_type({zero_dim(DType::UInt8), Scalar::from_int(-1)}), DType::UInt8);
  EXPECT_EQ(pt::result_type({zero_dim(DType::Int32), Scalar::from_double(1.0)}), DType::Float32);
  EXPECT_EQ(pt::result_type({zero_dim(DType::Int8), zero_dim(DType::UInt8)}), DType::Int16);
  EXPECT_EQ(pt::result_type({Scalar::from_int(1), zero_dim(DType::Float64)}), DType::Float64);
}

TEST(ResultType, PythonFloatFollowsDefaultDtype) {
  DefaultDtypeGuard guard;
  pt::set_default_float_dtype(DType::Float64);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Int64), Scalar::from_double(2.5)}), DType::Float64);
  EXPECT_EQ(pt::result_type({dim_tensor(DType::Float32), Scalar::from_double(2.5)}), DType::Float32);
}

// ---- kernels through the ops -------------------------------------------------------------------

TEST(Kernels, BinaryBroadcastsAndPromotes) {
  Tensor a = make<int64_t>({2, 1}, {1, 2});
  Tensor b = make<float>({3}, {0.5f, 1.5f, 2.5f});
  Tensor out = pt::binary(BinaryOp::Add, a, b);
  EXPECT_EQ(out->dtype(), DType::Float32);
  EXPECT_EQ(out->sizes(), (Shape{2, 3}));
  EXPECT_EQ(values<float>(out), (std::vector<float>{1.5f, 2.5f, 3.5f, 2.5f, 3.5f, 4.5f}));
  Tensor q = pt::binary(BinaryOp::Div, make<int32_t>({2}, {1, 3}), Scalar::from_int(2));
  EXPECT_EQ(q->dtype(), DType::Float32);  // int / int -> float
  EXPECT_EQ(values<float>(q), (std::vector<float>{0.5f, 1.5f}));
  Tensor cmp = pt::binary(BinaryOp::Lt, b, Scalar::from_double(2.0));
  EXPECT_EQ(cmp->dtype(), DType::Bool);
  EXPECT_EQ(values<bool>(cmp), (std::vector<bool>{true, true, false}));
}

TEST(Kernels, ScalarOnEitherSide) {
  Tensor x = make<double>({3}, {1.0, 2.0, 4.0});
  EXPECT_EQ(values<double>(pt::binary(BinaryOp::Sub, Scalar::from_int(1), x)),
            (std::vector<double>{0.0, -1.0, -3.0}));
  EXPECT_EQ(values<double>(pt::binary(BinaryOp::Div, Scalar::from_double(1.0), x)),
            (std::vector<double>{1.0, 0.5, 0.25}));
}

TEST(Kernels, FloorDivideAndRemainderFollowPython) {
  Tensor a = make<int64_t>({4}, {-7, -7, 7, 7});
  Tensor b = make<int64_t>({4}, {2, -2, 2, -2});
  EXPECT_EQ(values<int64_t>(pt::binary(BinaryOp::FloorDiv, a, b)), (std::vector<int64_t>{-4, 3, 3, -4}));
  EXPECT_EQ(values<int64_t>(pt::binary(BinaryOp::Remainder, a, b)), (std::vector<int64_t>{1, -1, 1, -1}));
  EXPECT_EQ(values<int64_t>(pt::binary(BinaryOp::Fmod, a, b)), (std::vector<int64_t>{-1, -1, 1, 1}));
  Tensor f = make<double>({2}, {-7.5, 7.5});
  EXPECT_EQ(values<double>(pt::binary(BinaryOp::FloorDiv, f, Scalar::from_double(2.0))),
            (std::vector<double>{-4.0, 3.0}));
  EXPECT_EQ(values<double>(pt::binary(BinaryOp::Remainder, f, Scalar::from_double(-2.0))),
            (std::vector<double>{-1.5, -0.5}));
}

TEST(Kernels, IntegerDivisionByZeroThrowsBeforeWriting) {
  Tensor a = make<int32_t>({3}, {1, 2, 3});
  EXPECT_EQ(message_of<pt::RuntimeError>([&] { pt::binary(BinaryOp::FloorDiv, a, Scalar::from_int(0)); }),
            "ZeroDivisionError");
  EXPECT_THROW(pt::binary_(BinaryOp::Remainder, a, make<int32_t>({3}, {1, 0, 1})), pt::RuntimeError);
  EXPECT_EQ(values<int32_t>(a), (std::vector<int32_t>{1, 2, 3}));
  // true division by zero is fine: inf
  Tensor q = pt::binary(BinaryOp::Div, a, Scalar::from_int(0));
  EXPECT_TRUE(std::isinf(values<float>(q)[0]));
}

TEST(Kernels, IntegerPow) {
  Tensor base = make<int64_t>({4}, {2, -1, 1, 3});
  EXPECT_EQ(values<int64_t>(pt::binary(BinaryOp::Pow, base, Scalar::from_int(3))),
            (std::vector<int64_t>{8, -1, 1, 27}));
  Tensor e = make<int64_t>({4}, {-1, -3, -2, 0});
  EXPECT_EQ(values<int64_t>(pt::binary(BinaryOp::Pow, base, e)), (std::vector<int64_t>{0, -1, 1, 1}));
  EXPECT_THROW(pt::binary(BinaryOp::Pow, base, Scalar::from_int(-1)), pt::RuntimeError);
}

TEST(Kernels, MaximumPropagatesNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = make<double>({3}, {nan, 1.0, 5.0});
  Tensor b = make<double>({3}, {0.0, nan, 2.0});
  std::vector<double> mx = values<double>(pt::binary(BinaryOp::Maximum, a, b));
  EXPECT_TRUE(std::isnan(mx[0]) && std::isnan(mx[1]));
  EXPECT_EQ(mx[2], 5.0);
}

TEST(Kernels, BoolRules) {
  Tensor t = make<bool>({2}, {true, false});
  EXPECT_THROW(pt::binary(BinaryOp::Sub, t, t), pt::RuntimeError);
  EXPECT_THROW(pt::unary(UnaryOp::Neg, t), pt::RuntimeError);
  EXPECT_THROW(pt::binary(BinaryOp::FloorDiv, t, t), pt::NotImplementedError);
  EXPECT_THROW(pt::unary(UnaryOp::Abs, t), pt::NotImplementedError);
  Tensor sum = pt::binary(BinaryOp::Add, t, t);
  EXPECT_EQ(sum->dtype(), DType::Bool);
  Tensor sq = pt::unary(UnaryOp::Square, t);
  EXPECT_EQ(sq->dtype(), DType::Int64);
  EXPECT_EQ(values<int64_t>(sq), (std::vector<int64_t>{1, 0}));
}

TEST(Kernels, UnaryPromotesIntegersAndRunsStrided) {
  Tensor i = make<int64_t>({2, 2}, {0, 1, 2, 3});
  Tensor e = pt::unary(UnaryOp::Exp, i);
  EXPECT_EQ(e->dtype(), DType::Float32);
  std::vector<float> ev = values<float>(e);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(ev[k], std::exp(static_cast<float>(k)), 1e-6 * std::exp(k));
  Tensor t = pt::transpose(pt::to_dtype(i, DType::Float64), 0, 1);  // strides (1, 2)
  ASSERT_FALSE(t->is_contiguous());
  Tensor n = pt::unary(UnaryOp::Neg, t);
  EXPECT_EQ(values<double>(n), (std::vector<double>{-0.0, -2.0, -1.0, -3.0}));
  EXPECT_EQ(values<bool>(pt::unary(UnaryOp::IsNan, t)), (std::vector<bool>{false, false, false, false}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(values<float>(pt::unary(UnaryOp::Sign, make<float>({3}, {nan, -2.0f, 0.0f}))),
            (std::vector<float>{0.0f, -1.0f, 0.0f}));
}

TEST(Kernels, InPlaceChecksBeforeWriting) {
  Tensor a = make<int64_t>({3}, {1, 2, 3});
  std::string msg = message_of<pt::RuntimeError>([&] { pt::binary_(BinaryOp::Add, a, Scalar::from_double(0.5)); });
  EXPECT_EQ(msg, "result type Float can't be cast to the desired output type Long");
  EXPECT_THROW(pt::binary_(BinaryOp::Add, a, make<int64_t>({2, 3}, {1, 1, 1, 1, 1, 1})), pt::RuntimeError);
  EXPECT_EQ(values<int64_t>(a), (std::vector<int64_t>{1, 2, 3}));
  Tensor r = pt::binary_(BinaryOp::Mul, a, Scalar::from_int(2));
  EXPECT_EQ(r.get(), a.get());
  EXPECT_EQ(values<int64_t>(a), (std::vector<int64_t>{2, 4, 6}));
  Tensor f = make<float>({2}, {1.0f, 4.0f});
  EXPECT_EQ(pt::unary_(UnaryOp::Sqrt, f).get(), f.get());
  EXPECT_EQ(values<float>(f), (std::vector<float>{1.0f, 2.0f}));
}

TEST(Kernels, CopyConvertsAndBroadcasts) {
  Tensor dst = pt::empty({2, 3}, DType::Int32);
  pt::copy_(dst, make<double>({3}, {1.7, -2.7, 3.0}));
  EXPECT_EQ(values<int32_t>(dst), (std::vector<int32_t>{1, -2, 3, 1, -2, 3}));
  Tensor b = pt::empty({3}, DType::Bool);
  pt::copy_(b, make<float>({3}, {0.0f, 0.5f, -1.0f}));
  EXPECT_EQ(values<bool>(b), (std::vector<bool>{false, true, true}));
  // into a transposed view
  Tensor m = make<float>({2, 2}, {0, 0, 0, 0});
  pt::copy_(pt::transpose(m, 0, 1), make<float>({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(values<float>(m), (std::vector<float>{1, 3, 2, 4}));
  EXPECT_THROW(pt::copy_(m, make<float>({3}, {1, 2, 3})), pt::RuntimeError);
}

TEST(Kernels, CopyBetweenOverlappingViewsReadsTheSource) {
  Tensor t = make<int64_t>({5}, {0, 1, 2, 3, 4});
  pt::copy_(pt::narrow(t, 0, 1, 4), pt::narrow(t, 0, 0, 4));
  EXPECT_EQ(values<int64_t>(t), (std::vector<int64_t>{0, 0, 1, 2, 3}));
}

TEST(Kernels, LargeStridedBinaryMatchesSmall) {
  // Big enough to split across threads; a transposed operand takes the strided loop.
  const int64_t n = 512;
  std::vector<float> data(n * n);
  for (int64_t k = 0; k < n * n; ++k) data[k] = static_cast<float>(k % 1000) * 0.25f;
  Tensor a = make<float>({n, n}, data);
  Tensor out = pt::binary(BinaryOp::Mul, pt::transpose(a, 0, 1), a);
  std::vector<float> got = values<float>(out);
  for (int64_t r = 0; r < n; r += 37) {
    for (int64_t c = 0; c < n; c += 41) {
      ASSERT_EQ(got[r * n + c], data[c * n + r] * data[r * n + c]) << r << "," << c;
    }
  }
}
