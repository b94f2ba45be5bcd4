#include "cpu/matmul.h"

#include <algorithm>
#include <climits>
#include <thread>
#include <type_traits>
#include <vector>

#include <omp.h>
#include <pthread.h>

#include "core/errors.h"
#include "cpu/blas.h"
#include "cpu/parallel.h"

namespace pt::cpu {

BlasOperand blas_operand(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
  // A size-1 dimension is never stepped along, so its stride is free: pick the ld BLAS accepts.
  const int64_t min_ld_plain = std::max<int64_t>(cols, 1);
  if (rows == 0 || cols == 0) return {false, min_ld_plain, false};  // nothing is read
  if (cols == 1 || col_stride == 1) {
    int64_t ld = rows == 1 ? min_ld_plain : row_stride;
    if (ld >= min_ld_plain && ld <= INT_MAX) return {false, ld, false};
  }
  const int64_t min_ld_trans = std::max<int64_t>(rows, 1);
  if (rows == 1 || row_stride == 1) {
    int64_t ld = cols == 1 ? min_ld_trans : col_stride;
    if (ld >= min_ld_trans && ld <= INT_MAX) return {true, ld, false};
  }
  return {false, min_ld_plain, true};
}

namespace {

// OpenBLAS runs gemm up to 64^3 multiply-adds and gemv up to 9216 on the calling thread (its
// GEMM_MULTITHREAD_THRESHOLD of 4 times 65536 and 2304); batches of such products are split
// across our threads instead, so OpenBLAS's own pool is never entered from two threads at once.
constexpr int64_t kBlasSingleThreadGemm = 64 * 64 * 64;
constexpr int64_t kBlasSingleThreadGemv = 2304 * 4;

// Integers accumulate in uint64: wrap-around is defined there and its low bits equal those of
// torch's same-type accumulation; floats accumulate in their own type, as BLAS does.
template <typename T>
using Acc = std::conditional_t<std::is_integral_v<T>, uint64_t, T>;

template <typename T>
Acc<T> scalar_as(const Scalar& s) {
  if constexpr (std::is_integral_v<T>) return static_cast<Acc<T>>(s.to<int64_t>());
  else return s.to<T>();
}

template <typename T>
struct Mat {
  T* p;
  int64_t rs, cs;
  T& at(int64_t i, int64_t j) const { return p[i * rs + j * cs]; }
};

// Rows [r0, r1) of out = alpha * a @ b (+ beta * out), blocked over columns so the partial sums
// stay in a stack buffer and the innermost loop runs along b's rows (vectorized when cs == 1).
template <typename T>
void loop_rows(int64_t r0, int64_t r1, int64_t n, int64_t k, Mat<const T> a, Mat<const T> b, Mat<T> c,
               Acc<T> alpha, Acc<T> beta, bool use_beta) {
  constexpr int64_t kBlock = 128;
  Acc<T> acc[kBlock];
  for (int64_t i = r0; i < r1; ++i) {
    for (int64_t j0 = 0; j0 < n; j0 += kBlock) {
      const int64_t jn = std::min(kBlock, n - j0);
      std::fill(acc, acc + jn, Acc<T>(0));
      for (int64_t p = 0; p < k; ++p) {
        const Acc<T> av = static_cast<Acc<T>>(a.at(i, p));
        const T* brow = &b.at(p, j0);
        if (b.cs == 1) {
          for (int64_t j = 0; j < jn; ++j) acc[j] += av * static_cast<Acc<T>>(brow[j]);
        } else {
          for (int64_t j = 0; j < jn; ++j) acc[j] += av * static_cast<Acc<T>>(brow[j * b.cs]);
        }
      }
      for (int64_t j = 0; j < jn; ++j) {
        T& dst = c.at(i, j0 + j);
        Acc<T> r = alpha * acc[j];
        if (use_beta) r += beta * static_cast<Acc<T>>(dst);
        dst = static_cast<T>(r);
      }
    }
  }
}

template <typename T>
const T* pack(const T* src, int64_t rows, int64_t cols, int64_t rs, int64_t cs, std::vector<T>& buf) {
  buf.resize(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) buf[i * cols + j] = src[i * rs + j * cs];
  return buf.data();
}

// One product through BLAS: gemv when out is a single row or column, else gemm.
template <typename T>
void blas_one(int64_t m, int64_t n, int64_t k, Mat<const T> a, Mat<const T> b, Mat<T> c, T alpha, T beta,
              std::vector<T>& buf_a, std::vector<T>& buf_b) {
  BlasOperand pa = blas_operand(m, k, a.rs, a.cs);
  BlasOperand pb = blas_operand(k, n, b.rs, b.cs);
  if (pa.copy) a = {pack(a.p, m, k, a.rs, a.cs, buf_a), k, 1};
  if (pb.copy) b = {pack(b.p, k, n, b.rs, b.cs, buf_b), n, 1};
  if (pa.copy) pa = blas_operand(m, k, a.rs, a.cs);
  if (pb.copy) pb = blas_operand(k, n, b.rs, b.cs);
  const int im = static_cast<int>(m), in = static_cast<int>(n), ik = static_cast<int>(k);
  if (m == 1 || n == 1) {
    // NOTE: with beta == 0 OpenBLAS's gemv still scales y by 0, which keeps a NaN from
    // uninitialized memory; zero y first so beta == 0 ignores it as documented.
    const int64_t ylen = n == 1 ? m : n, yinc = n == 1 ? (m == 1 ? 1 : c.rs) : c.cs;
    if (beta == T(0))
      for (int64_t i = 0; i < ylen; ++i) c.p[i * yinc] = T(0);
    if (n == 1) {  // y = A x, x = b's column
      const int incx = static_cast<int>(k == 1 ? 1 : b.rs);
      if (!pa.transpose)
        blas::gemv(blas::NoTrans, im, ik, alpha, a.p, int(pa.ld), b.p, incx, beta, c.p, int(yinc));
      else
        blas::gemv(blas::Trans, ik, im, alpha, a.p, int(pa.ld), b.p, incx, beta, c.p, int(yinc));
    } else {  // y = B^T x, x = a's row
      const int incx = static_cast<int>(k == 1 ? 1 : a.cs);
      if (!pb.transpose)
        blas::gemv(blas::Trans, ik, in, alpha, b.p, int(pb.ld), a.p, incx, beta, c.p, int(yinc));
      else
        blas::gemv(blas::NoTrans, in, ik, alpha, b.p, int(pb.ld), a.p, incx, beta, c.p, int(yinc));
    }
    return;
  }
  PT_CHECK(c.cs == 1 && c.rs >= n && c.rs <= INT_MAX, "gemm: unsupported output layout");
  blas::gemm(pa.transpose ? blas::Trans : blas::NoTrans, pb.transpose ? blas::Trans : blas::NoTrans, im, in, ik,
             alpha, a.p, int(pa.ld), b.p, int(pb.ld), beta, c.p, int(c.rs));
}

// While alive, OpenBLAS runs every call on the calling thread (its thread count is global; the
// GIL keeps other pytensor calls out meanwhile, and numpy's OpenBLAS is a separate library).
class BlasSingleThreaded {
 public:
  BlasSingleThreaded() {
#ifdef PYTENSOR_OPENBLAS
    restore_ = PT_OPENBLAS(get_num_threads)();
    PT_OPENBLAS(set_num_threads)(1);
#endif
  }
  ~BlasSingleThreaded() {
#ifdef PYTENSOR_OPENBLAS
    PT_OPENBLAS(set_num_threads)(restore_);
#endif
  }
  BlasSingleThreaded(const BlasSingleThreaded&) = delete;
  BlasSingleThreaded& operator=(const BlasSingleThreaded&) = delete;

 private:
  int restore_ = 1;
};

template <typename T>
void gemm_typed(int64_t batch, int64_t m, int64_t n, int64_t k, const MatrixBatch& A, const MatrixBatch& B,
                const MatrixBatch& C, const Scalar& alpha_s, const Scalar& beta_s) {
  if (batch == 0 || m == 0 || n == 0) return;
  auto mat_a = [&](int64_t i) { return Mat<const T>{reinterpret_cast<const T*>(A.data) + A.offsets[i], A.rs, A.cs}; };
  auto mat_b = [&](int64_t i) { return Mat<const T>{reinterpret_cast<const T*>(B.data) + B.offsets[i], B.rs, B.cs}; };
  auto mat_c = [&](int64_t i) { return Mat<T>{reinterpret_cast<T*>(C.data) + C.offsets[i], C.rs, C.cs}; };
  const int64_t work = m * n * k;
  if constexpr (std::is_floating_point_v<T>) {
    if (work > kSmallProduct && m <= INT_MAX && n <= INT_MAX && k <= INT_MAX) {
      const T alpha = alpha_s.to<T>(), beta = beta_s.to<T>();
      auto run = [&](int64_t b0, int64_t b1) {
        std::vector<T> buf_a, buf_b;
        for (int64_t i = b0; i < b1; ++i) blas_one<T>(m, n, k, mat_a(i), mat_b(i), mat_c(i), alpha, beta, buf_a, buf_b);
      };
      const int64_t single = (m == 1 || n == 1) ? kBlasSingleThreadGemv : kBlasSingleThreadGemm;
      const int threads = get_num_threads();
      if (batch > 1 && work <= single) {
        parallel_for(0, batch, std::max<int64_t>(1, kBlasSingleThreadGemm / work), run);
      } else if (batch >= 2 * threads && threads > 1 && !omp_in_parallel() && blas_shares_threads()) {
        // Whole products per thread: one team start for the batch and no synchronization inside
        // each product, instead of OpenBLAS splitting every product across the threads. Only when
        // BLAS runs on our team: OpenBLAS's own idle workers would spin against it otherwise.
        BlasSingleThreaded scope;
        parallel_for(0, batch, 1, run);
      } else {
        run(0, batch);  // each product is large enough for OpenBLAS to thread it
      }
      return;
    }
  }
  // Plain loop: rows of all batch items form one parallel range.
  const Acc<T> alpha = scalar_as<T>(alpha_s), beta = scalar_as<T>(beta_s);
  const bool use_beta = beta != Acc<T>(0);
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n * std::max<int64_t>(k, 1)));
  parallel_for(0, batch * m, grain, [&](int64_t r0, int64_t r1) {
    while (r0 < r1) {
      const int64_t bi = r0 / m, i0 = r0 % m, i1 = std::min(m, i0 + (r1 - r0));
      loop_rows<T>(i0, i1, n, k, mat_a(bi), mat_b(bi), mat_c(bi), alpha, beta, use_beta);
      r0 += i1 - i0;
    }
  });
}

template <typename T>
void dot_typed(int64_t n, const T* x, int64_t incx, const T* y, int64_t incy, T* out) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool blas_ok = n > kSmallProduct && n <= INT_MAX && incx >= 1 && incx <= INT_MAX && incy >= 1 &&
                         incy <= INT_MAX;
    if (blas_ok) {
      *out = blas::dot(int(n), x, int(incx), y, int(incy));
      return;
    }
  }
  Acc<T> acc = 0;
  for (int64_t i = 0; i < n; ++i) acc += static_cast<Acc<T>>(x[i * incx]) * static_cast<Acc<T>>(y[i * incy]);
  *out = static_cast<T>(acc);
}

}  // namespace

void gemm(DType dtype, int64_t batch, int64_t m, int64_t n, int64_t k, const MatrixBatch& a, const MatrixBatch& b,
          const MatrixBatch& out, const Scalar& alpha, const Scalar& beta) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) throw NotImplementedError("matrix products of bool tensors");
    else gemm_typed<T>(batch, m, n, k, a, b, out, alpha, beta);
  });
}

void dot(DType dtype, int64_t n, const char* x, int64_t incx, const char* y, int64_t incy, char* out) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) throw NotImplementedError("dot of bool tensors");
    else dot_typed<T>(n, reinterpret_cast<const T*>(x), incx, reinterpret_cast<const T*>(y), incy,
                      reinterpret_cast<T*>(out));
  });
}

void run_concurrent_jobs(void (*dojob)(int, void*, int), int numjobs, size_t elsize, void* jobdata, int data) {
  char* base = static_cast<char*>(jobdata);
  if (numjobs <= 1) {
    if (numjobs == 1) dojob(0, base, data);
    return;
  }
  if (!omp_in_parallel() && !omp_get_dynamic() && omp_get_thread_limit() >= numjobs) {
    bool ran = false;
#pragma omp parallel num_threads(numjobs)
    {
      // Every member sees the same team size, so either all jobs run here or none does.
      const int tid = omp_get_thread_num();
      if (omp_get_num_threads() == numjobs) {
        dojob(tid, base + static_cast<size_t>(tid) * elsize, data);
        if (tid == 0) ran = true;
      }
    }
    if (ran) return;
  }
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(numjobs - 1));
  for (int i = 1; i < numjobs; ++i) threads.emplace_back(dojob, i, base + static_cast<size_t>(i) * elsize, data);
  dojob(0, base, data);
  for (auto& t : threads) t.join();
}

#ifdef PYTENSOR_OPENBLAS
namespace {
void openblas_threads(int /*sync: OpenBLAS always waits for the jobs*/, pt_openblas_dojob dojob, int numjobs,
                      size_t elsize, void* jobdata, int dojob_data) {
  run_concurrent_jobs(dojob, numjobs, elsize, jobdata, dojob_data);
}
}  // namespace
#endif

namespace {
bool g_blas_shares_threads = false;
}  // namespace

bool share_threads_with_blas(bool share) {
#ifdef PYTENSOR_OPENBLAS
  PT_OPENBLAS(set_threads_callback_function)(share ? &openblas_threads : nullptr);
  g_blas_shares_threads = share;
  // NOTE: GNU OpenMP's thread pool does not survive fork(): a child that starts a parallel
  // region waits forever for threads that exist only in the parent. A forked child (e.g. a
  // DataLoader worker) therefore gives BLAS back its own pool, which OpenBLAS rebuilds after fork.
  static bool registered = false;
  if (share && !registered) {
    pthread_atfork(nullptr, nullptr, [] {
      PT_OPENBLAS(set_threads_callback_function)(nullptr);
      g_blas_shares_threads = false;
    });
    registered = true;
  }
  return true;
#else
  return !share;
#endif
}

bool blas_shares_threads() { return g_blas_shares_threads; }

const char* blas_config() {
#ifdef PYTENSOR_OPENBLAS
  return PT_OPENBLAS(get_config)();
#else
  return "unknown";
#endif
}

const char* blas_corename() {
#ifdef PYTENSOR_OPENBLAS
  return PT_OPENBLAS(get_corename)();
#else
  return "unknown";
#endif
}

int blas_num_threads() {
#ifdef PYTENSOR_OPENBLAS
  return PT_OPENBLAS(get_num_threads)();
#else
  return -1;
#endif
}

}  // namespace pt::cpu
