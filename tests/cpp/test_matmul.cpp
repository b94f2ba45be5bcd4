// Unit tests of the BLAS call setup (transpose flags, leading dimensions, the copy decision)
// and of the matmul kernel on strided, packed, gemv-shaped and batched operands.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <vector>

#include <omp.h>

#include "cpu/matmul.h"

using pt::cpu::blas_operand;
using pt::cpu::BlasOperand;

namespace {

BlasOperand plain(int64_t ld) { return {false, ld, false}; }
BlasOperand trans(int64_t ld) { return {true, ld, false}; }
BlasOperand copied(int64_t cols) { return {false, cols < 1 ? 1 : cols, true}; }

}  // namespace

TEST(BlasOperand, ContiguousIsPlainWithLdCols) {
  EXPECT_EQ(blas_operand(3, 4, 4, 1), plain(4));
}

TEST(BlasOperand, TransposedViewIsTransWithLdRows) {
  // The transpose of a contiguous 4x3 matrix: rows step by 1, columns by 3.
  EXPECT_EQ(blas_operand(3, 4, 1, 3), trans(3));
}

TEST(BlasOperand, PaddedRowsKeepTheirLeadingDimension) {
  EXPECT_EQ(blas_operand(3, 4, 10, 1), plain(10));  // a column slice of a 3x10 matrix
  EXPECT_EQ(blas_operand(3, 4, 1, 7), trans(7));    // a transposed slice
  EXPECT_EQ(blas_operand(3, 4, 8, 1), plain(8));    // every other row of a 6x4 matrix
}

TEST(BlasOperand, IrregularStridesAreCopied) {
  EXPECT_EQ(blas_operand(3, 4, 8, 2), copied(4));   // every other column
  EXPECT_EQ(blas_operand(3, 4, 0, 1), copied(4));   // expanded rows (stride 0)
  EXPECT_EQ(blas_operand(3, 4, 2, 1), copied(4));   // overlapping rows: ld < cols
  EXPECT_EQ(blas_operand(3, 4, 1, 2), copied(4));   // overlapping columns: ld < rows
  EXPECT_EQ(blas_operand(3, 4, 1, 1), copied(4));
}

TEST(BlasOperand, SizeOneDimsIgnoreTheirStride) {
  // A single row: its row stride is never used, any value (even 0 or huge) is fine.
  EXPECT_EQ(blas_operand(1, 5, 0, 1), plain(5));
  EXPECT_EQ(blas_operand(1, 5, int64_t(1) << 40, 1), plain(5));
  // A single row with a column stride: read as the transpose of a column, ld = stride.
  EXPECT_EQ(blas_operand(1, 5, 0, 3), trans(3));
  // A single column: contiguous down the rows.
  EXPECT_EQ(blas_operand(5, 1, 1, 0), plain(1));
  EXPECT_EQ(blas_operand(5, 1, 4, 0), plain(4));
  // 1x1 with arbitrary strides.
  EXPECT_EQ(blas_operand(1, 1, 0, 0), plain(1));
}

TEST(BlasOperand, ExpandedColumnIsCopied) {
  EXPECT_EQ(blas_operand(5, 1, 0, 1), copied(1));
}

TEST(BlasOperand, LeadingDimensionBeyondIntIsCopied) {
  const int64_t huge = int64_t(INT_MAX) + 1;
  EXPECT_EQ(blas_operand(3, 4, huge, 1), copied(4));
  EXPECT_EQ(blas_operand(3, 4, 1, huge), copied(4));
  EXPECT_EQ(blas_operand(3, 4, INT_MAX, 1), plain(INT_MAX));
}

TEST(BlasOperand, EmptyDimsStillGiveAValidLd) {
  EXPECT_EQ(blas_operand(3, 0, 0, 1), plain(1));
  EXPECT_EQ(blas_operand(0, 3, 3, 1), plain(3));
}

// ---- the kernel: every path against a naive triple loop --------------------------------------

namespace {

template <typename T>
struct Strided {
  std::vector<T> buf;
  int64_t rows, cols, rs, cs;
  T at(int64_t i, int64_t j) const { return buf[i * rs + j * cs]; }
};

// A rows x cols matrix with the given strides inside a buffer large enough for them.
template <typename T>
Strided<T> make(int64_t rows, int64_t cols, int64_t rs, int64_t cs, int seed) {
  int64_t extent = 1 + (rows - 1) * rs + (cols - 1) * cs;
  Strided<T> s{std::vector<T>(static_cast<size_t>(extent)), rows, cols, rs, cs};
  for (int64_t i = 0; i < extent; ++i) s.buf[i] = static_cast<T>((i * 7 + seed * 13) % 11 - 5);
  return s;
}

template <typename T>
void expect_product(int64_t m, int64_t n, int64_t k, std::pair<int64_t, int64_t> sa, std::pair<int64_t, int64_t> sb,
                    double alpha, double beta) {
  auto a = make<T>(m, k, sa.first, sa.second, 1);
  auto b = make<T>(k, n, sb.first, sb.second, 2);
  std::vector<T> c(static_cast<size_t>(m * n), T(3));
  std::vector<T> want(c.size());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) s += double(a.at(i, p)) * double(b.at(p, j));
      want[i * n + j] = static_cast<T>(alpha * s + beta * 3);
    }
  const int64_t zero = 0;
  pt::cpu::MatrixBatch A{reinterpret_cast<char*>(a.buf.data()), &zero, a.rs, a.cs};
  pt::cpu::MatrixBatch B{reinterpret_cast<char*>(b.buf.data()), &zero, b.rs, b.cs};
  pt::cpu::MatrixBatch C{reinterpret_cast<char*>(c.data()), &zero, n, 1};
  pt::cpu::gemm(pt::CTypeToDType<T>::value, 1, m, n, k, A, B, C, pt::Scalar::from_double(alpha),
                pt::Scalar::from_double(beta));
  for (size_t i = 0; i < c.size(); ++i) EXPECT_NEAR(double(c[i]), double(want[i]), 1e-3) << "at " << i;
}

}  // namespace

TEST(MatmulKernel, BlasPlainTransposedAndPacked) {
  // m, n, k large enough for BLAS; operands plain, transposed, padded and irregular (packed).
  expect_product<float>(9, 7, 11, {11, 1}, {7, 1}, 1, 0);
  expect_product<float>(9, 7, 11, {1, 9}, {1, 11}, 1, 0);
  expect_product<double>(9, 7, 11, {20, 1}, {1, 13}, 2, 0.5);
  expect_product<double>(9, 7, 11, {30, 2}, {7, 1}, 1, 1);      // a packed
  expect_product<float>(9, 7, 11, {11, 1}, {0, 1}, 1, 0);       // b's rows expanded: packed
}

TEST(MatmulKernel, GemvShapes) {
  expect_product<float>(1, 40, 30, {30, 1}, {40, 1}, 1, 0);     // one output row
  expect_product<float>(1, 40, 30, {0, 2}, {1, 30}, 1, 2);      // strided row, transposed b
  expect_product<double>(40, 1, 30, {30, 1}, {1, 0}, 1, 0);     // one output column
  expect_product<double>(40, 1, 30, {1, 40}, {3, 0}, -1, 1);    // transposed a, strided column
}

TEST(MatmulKernel, PlainLoopForIntegersAndTinyProducts) {
  expect_product<int64_t>(5, 6, 7, {1, 5}, {6, 1}, 1, 0);
  expect_product<int32_t>(5, 6, 7, {14, 2}, {0, 1}, 2, 3);
  expect_product<float>(1, 1, 5, {5, 1}, {1, 1}, 1, 0);         // the tutorial's 1x5 by 5x1
  expect_product<double>(3, 200, 2, {2, 1}, {200, 1}, 1, 0);    // n above the loop's column block
}

TEST(MatmulKernel, EmptyInnerDimScalesByBeta) {
  expect_product<float>(4, 5, 0, {1, 1}, {5, 1}, 1, 2);
  expect_product<float>(4, 5, 0, {1, 1}, {5, 1}, 1, 0);
}

TEST(MatmulKernel, BatchOffsetsIncludingBroadcast) {
  // Two batch items sharing one b (offset 0 twice, as a broadcast batch dim gives).
  const int64_t m = 8, n = 9, k = 10;
  std::vector<float> a(2 * m * k), b(k * n), c(2 * m * n, -1.f);
  for (size_t i = 0; i < a.size(); ++i) a[i] = float(i % 5) - 2;
  for (size_t i = 0; i < b.size(); ++i) b[i] = float(i % 3) - 1;
  const int64_t oa[] = {0, m * k}, ob[] = {0, 0}, oc[] = {0, m * n};
  pt::cpu::gemm(pt::DType::Float32, 2, m, n, k, {reinterpret_cast<char*>(a.data()), oa, k, 1},
                {reinterpret_cast<char*>(b.data()), ob, n, 1}, {reinterpret_cast<char*>(c.data()), oc, n, 1},
                pt::Scalar::from_int(1), pt::Scalar::from_int(0));
  for (int64_t t = 0; t < 2; ++t)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float s = 0;
        for (int64_t p = 0; p < k; ++p) s += a[t * m * k + i * k + p] * b[p * n + j];
        EXPECT_FLOAT_EQ(c[t * m * n + i * n + j], s);
      }
}

TEST(MatmulKernel, DotStridesAndIntegers) {
  std::vector<double> x{1, 2, 3, 4, 5, 6}, y{1, 1, 1};
  double out = 0;
  pt::cpu::dot(pt::DType::Float64, 3, reinterpret_cast<char*>(x.data()), 2, reinterpret_cast<char*>(y.data()), 1,
               reinterpret_cast<char*>(&out));
  EXPECT_EQ(out, 1 + 3 + 5);
  std::vector<int8_t> xi(4, 100), yi(4, 3);
  int8_t outi = 0;
  pt::cpu::dot(pt::DType::Int8, 4, reinterpret_cast<char*>(xi.data()), 1, reinterpret_cast<char*>(yi.data()), 1,
               reinterpret_cast<char*>(&outi));
  EXPECT_EQ(outi, int8_t(1200 - 5 * 256));  // wraps like torch's int8 arithmetic
}

// ---- caller-managed BLAS threading: every job must run concurrently ---------------------------

namespace {

struct Job {
  std::atomic<int>* arrived;
  int numjobs;
  std::atomic<int>* ran;
  bool timed_out;
};

// Each job waits (bounded) until all jobs have started, as OpenBLAS's level-3 jobs do.
void barrier_job(int /*thread_num*/, void* p, int /*data*/) {
  Job& job = *static_cast<Job*>(p);
  job.arrived->fetch_add(1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (job.arrived->load() < job.numjobs) {
    if (std::chrono::steady_clock::now() > deadline) {
      job.timed_out = true;
      return;
    }
  }
  job.ran->fetch_add(1);
}

void expect_all_concurrent(int numjobs) {
  std::atomic<int> arrived{0}, ran{0};
  std::vector<Job> jobs(static_cast<size_t>(numjobs), Job{&arrived, numjobs, &ran, false});
  pt::cpu::run_concurrent_jobs(&barrier_job, numjobs, sizeof(Job), jobs.data(), 0);
  EXPECT_EQ(ran.load(), numjobs);
  for (const auto& j : jobs) EXPECT_FALSE(j.timed_out);
}

}  // namespace

TEST(BlasThreads, EveryJobRunsOnceAndConcurrently) {
  for (int n = 0; n <= 8; ++n) expect_all_concurrent(n);
}

TEST(BlasThreads, InsideAParallelRegionFallsBackToThreads) {
  // A nested OpenMP region would get a team of one; the jobs must still all run at once.
  int failures = 0;
#pragma omp parallel num_threads(2) reduction(+ : failures)
  {
    std::atomic<int> arrived{0}, ran{0};
    std::vector<Job> jobs(3, Job{&arrived, 3, &ran, false});
    pt::cpu::run_concurrent_jobs(&barrier_job, 3, sizeof(Job), jobs.data(), 0);
    failures += ran.load() != 3;
  }
  EXPECT_EQ(failures, 0);
}
