// One reduction driver for every op: an op says how to fold one element into a fast partial
// (`step`), how to absorb partials into a wide accumulator and how to write a result; the driver
// picks the walk from the strides:
//   - one output (full reduction): fixed-size units reduced in parallel, then combined in order;
//   - reduced dims innermost and contiguous: each output folds its own contiguous runs;
//   - a kept dim is the contiguous one ("reduce over an outer dim"): whole rows are folded into a
//     block of column accumulators, so memory is read sequentially and the inner loop vectorizes;
//   - anything else: each output folds strided runs.
// Contiguous runs use kLanes independent partials (vectorizable, and short dependency chains),
// flushed into a double/int64 accumulator every kChunk elements: float32 sums stay accurate
// (blocked summation) without giving up SIMD.
//
// NOTE(determinism): every split of the work is a function of the shapes only (fixed chunk,
// unit, block and row-chunk sizes); threads only decide who computes which piece, and pieces are
// combined in a fixed order. Results are therefore bitwise independent of the thread count.
// (Not of the CPU: softmax/logsumexp take an AVX2+FMA exp where the CPU has one.)
#include "cpu/reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "cpu/arg_extreme.h"
#include "cpu/parallel.h"
#include "cpu/vec_math.h"

namespace pt::cpu {

namespace {

constexpr int kLanes = 16;
constexpr int64_t kChunk = 4096;      // elements per lane block before flushing to the accumulator
constexpr int64_t kUnit = 1 << 16;    // elements per parallel work unit of a single output
constexpr int64_t kColBlock = 1024;   // column accumulators per task (column path)
constexpr int64_t kRowFlush = 32;     // rows folded into the fast partials before absorbing
constexpr int kMaxDims = 64;

template <typename T> constexpr bool is_float_v = std::is_floating_point_v<T>;

struct NoCenter {};

using vec::mask_t;
using vec::Simd;
using vec::vec_t;
using vec::vload;
using vec::vsplat;
using vec::vstore;

// ---- element transforms (norms reuse sum/max with these) -------------------------------------
struct Ident {
  template <typename T> T operator()(T x) const { return x; }
  template <typename V> V vec(V x) const { return x; }
};
struct AbsT {
  template <typename T> T operator()(T x) const { return std::abs(x); }
  template <typename V> V vec(V x) const {
    using M = std::conditional_t<sizeof(x[0]) == 4, mask_t<float>, mask_t<double>>;
    using I = std::conditional_t<sizeof(x[0]) == 4, int32_t, int64_t>;
    return (V)((M)x & std::numeric_limits<I>::max());
  }
};
struct SquareT {
  template <typename T> T operator()(T x) const { return x * x; }
};
struct NonZeroT {
  template <typename T> int64_t operator()(T x) const { return x != T(0); }
};
struct PowAbsT {
  double p;
  template <typename T> T operator()(T x) const { return std::pow(std::abs(x), static_cast<T>(p)); }
};

// What happens to a floating accumulator before it is stored.
struct Post {
  enum Kind { None, Div, Sqrt, Root } kind = None;
  double v = 0;
  double operator()(double a) const {
    switch (kind) {
      case Div: return a / v;
      case Sqrt: return std::sqrt(a);
      case Root: return std::pow(a, 1.0 / v);
      default: return a;
    }
  }
};

// NaN-propagating max/min (torch: NaN is the result whenever one is present).
template <bool kMax, typename T> inline T pick(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return kMax ? (a || b) : (a && b);
  } else if constexpr (is_float_v<T>) {
    return ((kMax ? b > a : b < a) || std::isnan(b)) ? b : a;
  } else {
    return (kMax ? b > a : b < a) ? b : a;
  }
}

template <bool kMax, typename T> constexpr T extreme_init() {
  if constexpr (std::is_same_v<T, bool>) return !kMax;
  else if constexpr (is_float_v<T>)
    return kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
  else return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
}

template <bool kMax, typename V> inline V vpick(V a, V b) {
  return ((kMax ? b > a : b < a) | (b != b)) ? b : a;
}

// The NaN-propagating extreme of tr(q[0..m)).
template <bool kMax, typename T, typename Tr>
T extreme_of(const T* q, int64_t m, Tr tr) {
  T r = extreme_init<kMax, T>();
  int64_t i = 0;
  if constexpr (is_float_v<T>) {
    using V = vec_t<T>;
    constexpr int N = Simd<T>::N;
    V a0 = vsplat(r), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * N <= m; i += 4 * N) {
      a0 = vpick<kMax>(a0, tr.vec(vload(q + i)));
      a1 = vpick<kMax>(a1, tr.vec(vload(q + i + N)));
      a2 = vpick<kMax>(a2, tr.vec(vload(q + i + 2 * N)));
      a3 = vpick<kMax>(a3, tr.vec(vload(q + i + 3 * N)));
    }
    a0 = vpick<kMax>(vpick<kMax>(a0, a1), vpick<kMax>(a2, a3));
    for (int k = 0; k < N; ++k) r = pick<kMax>(r, a0[k]);
  } else {
    T lane[kLanes];
    for (int k = 0; k < kLanes; ++k) lane[k] = r;
    for (; i + kLanes <= m; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) lane[k] = pick<kMax>(lane[k], tr(q[i + k]));
    }
    for (int k = 0; k < kLanes; ++k) r = pick<kMax>(r, lane[k]);
  }
  for (; i < m; ++i) r = pick<kMax>(r, tr(q[i]));
  return r;
}

// part[j] = pick(part[j], tr(row[j])) for j < w.
template <bool kMax, typename T, typename Tr>
void extreme_row(T* part, const T* row, int64_t w, Tr tr) {
  int64_t j = 0;
  if constexpr (is_float_v<T>) {
    constexpr int N = Simd<T>::N;
    for (; j + N <= w; j += N) vstore(part + j, vpick<kMax>(vload(part + j), tr.vec(vload(row + j))));
  }
  for (; j < w; ++j) part[j] = pick<kMax>(part[j], tr(row[j]));
}

// Whether an op provides `block` (a whole contiguous chunk at once) and `row` (one input row
// into a block of column partials) to use instead of element-wise steps.
template <typename Op, typename = void> struct has_hooks : std::false_type {};
template <typename Op>
struct has_hooks<Op, std::void_t<decltype(Op::kHooks)>> : std::bool_constant<Op::kHooks> {};


// ---- ops ------------------------------------------------------------------------------------
// Interface: in_t, part_t (fast partial), acc_t (wide accumulator), cen_t (per-output value an
// element is measured against: the mean for var, the max for logsumexp), and
//   pinit, step(part, x, index_along_reduced_dim, center), pcombine,
//   ainit, absorb(acc, part), acombine, center(o), write(o, acc).

template <typename T, typename Out, typename Tr>
struct SumOp {
  using in_t = T;
  using cen_t = NoCenter;
  using val_t = decltype(std::declval<Tr>()(T{}));
  using part_t = std::conditional_t<is_float_v<val_t>, val_t, int64_t>;
  using acc_t = std::conditional_t<is_float_v<val_t>, double, int64_t>;
  Tr tr;
  Out* out;
  Post post;
  part_t pinit() const { return 0; }
  part_t step(part_t p, T x, int64_t, NoCenter) const { return p + static_cast<part_t>(tr(x)); }
  part_t pcombine(part_t a, part_t b) const { return a + b; }
  acc_t ainit() const { return 0; }
  acc_t absorb(acc_t a, part_t p) const { return a + static_cast<acc_t>(p); }
  acc_t acombine(acc_t a, acc_t b) const { return a + b; }
  NoCenter center(int64_t) const { return {}; }
  void write(int64_t o, acc_t a) const {
    if constexpr (is_float_v<acc_t>) out[o] = static_cast<Out>(post(a));
    else out[o] = static_cast<Out>(a);
  }
};

template <typename T>
struct ProdOp {
  using in_t = T;
  using cen_t = NoCenter;
  using part_t = std::conditional_t<is_float_v<T>, double, int64_t>;
  using acc_t = part_t;
  using out_t = std::conditional_t<is_float_v<T>, T, int64_t>;
  out_t* out;
  part_t pinit() const { return 1; }
  part_t step(part_t p, T x, int64_t, NoCenter) const { return p * static_cast<part_t>(x); }
  part_t pcombine(part_t a, part_t b) const { return a * b; }
  acc_t ainit() const { return 1; }
  acc_t absorb(acc_t a, part_t p) const { return a * p; }
  acc_t acombine(acc_t a, acc_t b) const { return a * b; }
  NoCenter center(int64_t) const { return {}; }
  void write(int64_t o, acc_t a) const { out[o] = static_cast<out_t>(a); }
};

template <typename T, bool kMax, typename Tr>
struct MinMaxOp {
  using in_t = T;
  using cen_t = NoCenter;
  using part_t = T;
  using acc_t = T;
  Tr tr;
  T* out;
  part_t pinit() const { return extreme_init<kMax, T>(); }
  part_t step(part_t p, T x, int64_t, NoCenter) const { return pick<kMax>(p, tr(x)); }
  static constexpr bool kHooks = is_float_v<T>;
  part_t block(const T* q, int64_t m, int64_t, NoCenter) const { return extreme_of<kMax>(q, m, tr); }
  void row(part_t* part, const T* r, int64_t w, int64_t, const NoCenter*) const {
    extreme_row<kMax>(part, r, w, tr);
  }
  part_t pcombine(part_t a, part_t b) const { return pick<kMax>(a, b); }
  acc_t ainit() const { return pinit(); }
  acc_t absorb(acc_t a, part_t p) const { return pick<kMax>(a, p); }
  acc_t acombine(acc_t a, acc_t b) const { return pick<kMax>(a, b); }
  NoCenter center(int64_t) const { return {}; }
  void write(int64_t o, acc_t a) const { out[o] = a; }
};

template <typename T, bool kAll>
struct AllAnyOp {
  using in_t = T;
  using cen_t = NoCenter;
  using part_t = uint8_t;
  using acc_t = uint8_t;
  uint8_t* out;
  part_t pinit() const { return kAll; }
  part_t step(part_t p, T x, int64_t, NoCenter) const {
    return kAll ? (p & uint8_t(x != T(0))) : (p | uint8_t(x != T(0)));
  }
  part_t pcombine(part_t a, part_t b) const { return kAll ? (a & b) : (a | b); }
  acc_t ainit() const { return kAll; }
  acc_t absorb(acc_t a, part_t p) const { return pcombine(a, p); }
  acc_t acombine(acc_t a, acc_t b) const { return pcombine(a, b); }
  NoCenter center(int64_t) const { return {}; }
  void write(int64_t o, acc_t a) const { out[o] = a; }
};

template <typename T, bool kMax>
struct ArgOp {
  using in_t = T;
  using cen_t = NoCenter;
  using part_t = ValIdx<T>;
  using acc_t = ValIdx<T>;
  T* values;  // may be null
  int64_t* indices;
  part_t pinit() const { return {T(), -1}; }
  // Elements of one partial arrive in increasing index order, so a strict win keeps the first.
  part_t step(part_t p, T x, int64_t i, NoCenter) const {
    return (p.i < 0 || arg_beats<T, kMax>(x, p.v)) ? part_t{x, i} : p;
  }
  // A chunk in two vectorizable passes: its extreme, then the first index holding it.
  static constexpr bool kHooks = true;
  part_t block(const T* q, int64_t m, int64_t i0, NoCenter) const {
    const T e = extreme_of<kMax>(q, m, Ident{});
    int64_t i = 0;
    if constexpr (is_float_v<T>) {
      if (std::isnan(e)) {
        while (!std::isnan(q[i])) ++i;
        return {e, i0 + i};
      }
    }
    while (!(q[i] == e)) ++i;
    return {e, i0 + i};
  }
  void row(part_t* part, const T* r, int64_t w, int64_t ri, const NoCenter*) const {
    for (int64_t j = 0; j < w; ++j) part[j] = step(part[j], r[j], ri, {});
  }
  part_t pcombine(part_t a, part_t b) const { return arg_combine<T, kMax>(a, b); }
  acc_t ainit() const { return pinit(); }
  acc_t absorb(acc_t a, part_t p) const { return pcombine(a, p); }
  acc_t acombine(acc_t a, acc_t b) const { return pcombine(a, b); }
  NoCenter center(int64_t) const { return {}; }
  void write(int64_t o, acc_t a) const {
    if (values) values[o] = a.v;
    indices[o] = a.i;
  }
};

template <typename T>
struct VarOp {
  using in_t = T;
  using cen_t = double;
  using part_t = double;
  using acc_t = double;
  const double* means;
  T* out;
  double dof;
  bool take_sqrt;
  part_t pinit() const { return 0; }
  part_t step(part_t p, T x, int64_t, double c) const {
    double d = static_cast<double>(x) - c;
    return p + d * d;
  }
  part_t pcombine(part_t a, part_t b) const { return a + b; }
  acc_t ainit() const { return 0; }
  acc_t absorb(acc_t a, part_t p) const { return a + p; }
  acc_t acombine(acc_t a, acc_t b) const { return a + b; }
  double center(int64_t o) const { return means[o]; }
  void write(int64_t o, acc_t a) const {
    double v = a / dof;
    out[o] = static_cast<T>(take_sqrt ? std::sqrt(v) : v);
  }
};

template <typename T>
struct LogSumExpOp {
  using in_t = T;
  using cen_t = T;
  using part_t = T;  // a chunk or kRowFlush rows of exp(x - max) <= 1 each: T is enough
  using acc_t = double;
  const T* maxes;
  T* out;
  part_t pinit() const { return 0; }
  part_t step(part_t p, T x, int64_t, T c) const { return p + std::exp(x - c); }
  static constexpr bool kHooks = std::is_same_v<T, float>;
  part_t block(const T* q, int64_t m, int64_t, T c) const {
    return static_cast<T>(vec::exp_sum(q, nullptr, m, c));
  }
  void row(part_t* part, const T* r, int64_t w, int64_t, const T* cen) const {
    vec::exp_row(r, nullptr, cen, w, part);
  }
  part_t pcombine(part_t a, part_t b) const { return a + b; }
  acc_t ainit() const { return 0; }
  acc_t absorb(acc_t a, part_t p) const { return a + p; }
  acc_t acombine(acc_t a, acc_t b) const { return a + b; }
  // An infinite or NaN max is not subtracted: exp then yields inf, 0 or NaN, which log turns
  // into torch's results (inf, -inf, NaN).
  T center(int64_t o) const { return std::isfinite(maxes[o]) ? maxes[o] : T(0); }
  void write(int64_t o, acc_t a) const {
    out[o] = static_cast<T>(std::log(a) + static_cast<double>(center(o)));
  }
};

// ---- geometry -----------------------------------------------------------------------------
struct Geometry {
  Shape ks, kin, kout;  // kept dims in output order: sizes, input strides, output strides
  Shape rs, rin;        // reduced dims by decreasing input stride (innermost last); never empty
  int64_t n_out = 1, n_red = 1;
};

Geometry make_geometry(const ReduceInput& in) {
  Geometry g;
  const size_t nd = in.sizes.size();
  PT_CHECK(nd <= static_cast<size_t>(kMaxDims), "reductions support at most ", kMaxDims, " dims");
  Shape ks0, kin0;
  std::vector<std::pair<int64_t, int64_t>> red;  // (stride, size)
  for (size_t d = 0; d < nd; ++d) {
    if (in.reduce[d]) {
      g.n_red *= in.sizes[d];
      if (in.sizes[d] != 1) red.emplace_back(in.strides[d], in.sizes[d]);
    } else {
      ks0.push_back(in.sizes[d]);
      kin0.push_back(in.strides[d]);
      g.n_out *= in.sizes[d];
    }
  }
  Shape kout0(ks0.size());
  int64_t acc = 1;
  for (size_t i = ks0.size(); i-- > 0;) {
    kout0[i] = acc;
    acc *= ks0[i];
  }
  // Kept dims keep their order (it is the output order); neighbours that walk both the input
  // and the output as one dim merge.
  for (size_t i = 0; i < ks0.size(); ++i) {
    if (ks0[i] == 1) continue;
    if (!g.ks.empty() && g.kin.back() == kin0[i] * ks0[i] && g.kout.back() == kout0[i] * ks0[i]) {
      g.ks.back() *= ks0[i];
      g.kin.back() = kin0[i];
      g.kout.back() = kout0[i];
    } else {
      g.ks.push_back(ks0[i]);
      g.kin.push_back(kin0[i]);
      g.kout.push_back(kout0[i]);
    }
  }
  // Reduced dims may be visited in any order: memory order, merged where contiguous. (Indexed
  // ops reduce a single dim, so their indices are unaffected.)
  std::stable_sort(red.begin(), red.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (auto [stride, size] : red) {
    if (!g.rs.empty() && g.rin.back() == stride * size) {
      g.rs.back() *= size;
      g.rin.back() = stride;
    } else {
      g.rs.push_back(size);
      g.rin.push_back(stride);
    }
  }
  if (g.rs.empty()) {
    g.rs.push_back(1);
    g.rin.push_back(0);
  }
  return g;
}

// Row-major walk over `n` dims carrying an offset for one or two sets of strides.
struct Odometer {
  int n;
  const int64_t* sizes;
  const int64_t* s0;
  const int64_t* s1;
  int64_t idx[kMaxDims];
  int64_t off0 = 0, off1 = 0;
  Odometer(int n_, const int64_t* sizes_, const int64_t* s0_, const int64_t* s1_ = nullptr)
      : n(n_), sizes(sizes_), s0(s0_), s1(s1_) {}
  void seek(int64_t linear) {
    off0 = off1 = 0;
    for (int d = n - 1; d >= 0; --d) {
      idx[d] = linear % sizes[d];
      linear /= sizes[d];
      off0 += idx[d] * s0[d];
      if (s1) off1 += idx[d] * s1[d];
    }
  }
  void next() {
    for (int d = n - 1; d >= 0; --d) {
      off0 += s0[d];
      if (s1) off1 += s1[d];
      if (++idx[d] < sizes[d]) return;
      off0 -= idx[d] * s0[d];
      if (s1) off1 -= idx[d] * s1[d];
      idx[d] = 0;
    }
  }
};

// ---- the driver ---------------------------------------------------------------------------
template <typename Op>
class Driver {
  using T = typename Op::in_t;
  using part_t = typename Op::part_t;
  using acc_t = typename Op::acc_t;
  using cen_t = typename Op::cen_t;

 public:
  Driver(const Op& op, const Geometry& g, const void* data)
      : op_(op), g_(g), data_(static_cast<const T*>(data)) {
    rn_ = g.rs.back();
    rstride_ = g.rin.back();
    n_runs_ = rn_ ? g.n_red / rn_ : 0;
    if (rn_ > kUnit) {
      segs_ = (rn_ + kUnit - 1) / kUnit;
      n_units_ = n_runs_ * segs_;
    } else {
      runs_per_unit_ = std::max<int64_t>(1, kUnit / std::max<int64_t>(rn_, 1));
      n_units_ = (n_runs_ + runs_per_unit_ - 1) / runs_per_unit_;
    }
  }

  void run() const {
    if (g_.n_out == 0) return;
    if (g_.n_red == 0) {
      for (int64_t o = 0; o < g_.n_out; ++o) op_.write(o, op_.ainit());
      return;
    }
    if (g_.ks.empty()) {
      op_.write(0, output_parallel(data_, op_.center(0)));
      return;
    }
    int col = -1;
    for (size_t d = 0; d < g_.ks.size(); ++d) {
      if (g_.kin[d] == 1) col = static_cast<int>(d);
    }
    if (col >= 0 && rstride_ != 1) {
      columns(col);
    } else {
      per_output();
    }
  }

 private:
  // kL independent partials over a contiguous chunk, combined as a tree.
  template <int kL>
  part_t lanes(const T* q, int64_t m, int64_t ib, cen_t c) const {
    part_t lane[kL];
    for (int k = 0; k < kL; ++k) lane[k] = op_.pinit();
    int64_t i = 0;
    for (; i + kL <= m; i += kL) {
      for (int k = 0; k < kL; ++k) lane[k] = op_.step(lane[k], q[i + k], ib + i + k, c);
    }
    for (; i < m; ++i) lane[0] = op_.step(lane[0], q[i], ib + i, c);
    for (int w = kL / 2; w > 0; w /= 2) {
      for (int k = 0; k < w; ++k) lane[k] = op_.pcombine(lane[k], lane[k + w]);
    }
    return lane[0];
  }

  part_t chunk(const T* q, int64_t m, int64_t ib, cen_t c) const {
    if constexpr (has_hooks<Op>::value) {
      return op_.block(q, m, ib, c);
    } else {
      if (m >= 128) return lanes<kLanes>(q, m, ib, c);
      if (m >= 8) return lanes<4>(q, m, ib, c);
      part_t s = op_.pinit();
      for (int64_t i = 0; i < m; ++i) s = op_.step(s, q[i], ib + i, c);
      return s;
    }
  }

  acc_t run_contig(const T* p, int64_t n, int64_t i0, cen_t c) const {
    acc_t acc = op_.ainit();
    for (int64_t b = 0; b < n; b += kChunk) {
      acc = op_.absorb(acc, chunk(p + b, std::min(kChunk, n - b), i0 + b, c));
    }
    return acc;
  }

  acc_t run_strided(const T* p, int64_t n, int64_t s, int64_t i0, cen_t c) const {
    acc_t acc = op_.ainit();
    for (int64_t b = 0; b < n; b += kChunk) {
      const int64_t m = std::min(kChunk, n - b);
      part_t part = op_.pinit();
      for (int64_t i = 0; i < m; ++i) part = op_.step(part, p[(b + i) * s], i0 + b + i, c);
      acc = op_.absorb(acc, part);
    }
    return acc;
  }

  acc_t fold_run(const T* p, int64_t n, int64_t i0, cen_t c) const {
    return rstride_ == 1 ? run_contig(p, n, i0, c) : run_strided(p, n, rstride_, i0, c);
  }

  // Unit u of the sub-tensor at `in`: a segment of one long run, or a group of short runs.
  acc_t unit(const T* in, int64_t u, cen_t c) const {
    const int outer_dims = static_cast<int>(g_.rs.size()) - 1;
    Odometer odo(outer_dims, g_.rs.data(), g_.rin.data());
    if (segs_ > 1) {
      const int64_t r = u / segs_, start = (u % segs_) * kUnit;
      odo.seek(r);
      return fold_run(in + odo.off0 + start * rstride_, std::min(kUnit, rn_ - start), start, c);
    }
    const int64_t r0 = u * runs_per_unit_, r1 = std::min(n_runs_, r0 + runs_per_unit_);
    odo.seek(r0);
    acc_t acc = op_.ainit();
    for (int64_t r = r0; r < r1; ++r) {
      acc = op_.acombine(acc, fold_run(in + odo.off0, rn_, 0, c));
      odo.next();
    }
    return acc;
  }

  acc_t output_serial(const T* in, cen_t c) const {
    if (n_units_ == 1) return unit(in, 0, c);
    acc_t acc = op_.ainit();
    for (int64_t u = 0; u < n_units_; ++u) acc = op_.acombine(acc, unit(in, u, c));
    return acc;
  }

  // Same arithmetic as output_serial, with the units computed concurrently.
  acc_t output_parallel(const T* in, cen_t c) const {
    if (n_units_ == 1) return unit(in, 0, c);
    // NOTE: not std::vector, which packs bools into bits that threads cannot write apart.
    std::unique_ptr<acc_t[]> parts(new acc_t[n_units_]);
    parallel_for(0, n_units_, 1, [&](int64_t b, int64_t e) {
      for (int64_t u = b; u < e; ++u) parts[u] = unit(in, u, c);
    });
    acc_t acc = op_.ainit();
    for (int64_t u = 0; u < n_units_; ++u) acc = op_.acombine(acc, parts[u]);
    return acc;
  }

  void per_output() const {
    const int nk = static_cast<int>(g_.ks.size());
    if (n_units_ > 1 && g_.n_out < 2 * get_num_threads()) {
      // Few, large outputs: parallelism inside each.
      Odometer ko(nk, g_.ks.data(), g_.kin.data());
      ko.seek(0);
      for (int64_t o = 0; o < g_.n_out; ++o) {
        op_.write(o, output_parallel(data_ + ko.off0, op_.center(o)));
        ko.next();
      }
      return;
    }
    const int64_t grain = std::max<int64_t>(1, kGrainSize / g_.n_red);
    const bool one_run = n_runs_ == 1 && segs_ == 1;
    parallel_for(0, g_.n_out, grain, [&](int64_t b, int64_t e) {
      Odometer ko(nk, g_.ks.data(), g_.kin.data());
      ko.seek(b);
      for (int64_t o = b; o < e; ++o) {
        const T* in = data_ + ko.off0;
        op_.write(o, one_run ? fold_run(in, rn_, 0, op_.center(o)) : output_serial(in, op_.center(o)));
        ko.next();
      }
    });
  }

  // Folds k (<= 4) consecutive rows, starting at row index r, into part[0, w). Four rows per
  // pass keep the partials in registers for three of the four reads.
  void fold_rows(part_t* part, const T* const* rows, int64_t k, int64_t r, const cen_t* cen,
                 int64_t w) const {
    if constexpr (has_hooks<Op>::value) {
      for (int64_t u = 0; u < k; ++u) op_.row(part, rows[u], w, r + u, cen);
    } else if (k == 4) {
      const T *a = rows[0], *b = rows[1], *c = rows[2], *d = rows[3];
      for (int64_t j = 0; j < w; ++j) {
        part_t p = op_.step(part[j], a[j], r, cen[j]);
        p = op_.step(p, b[j], r + 1, cen[j]);
        p = op_.step(p, c[j], r + 2, cen[j]);
        part[j] = op_.step(p, d[j], r + 3, cen[j]);
      }
    } else {
      for (int64_t u = 0; u < k; ++u) {
        const T* a = rows[u];
        for (int64_t j = 0; j < w; ++j) part[j] = op_.step(part[j], a[j], r + u, cen[j]);
      }
    }
  }

  // Kept dim `col` has input stride 1: fold whole rows into per-column accumulators.
  void columns(int col) const {
    Shape os, oin, oout;  // the other kept dims
    for (size_t d = 0; d < g_.ks.size(); ++d) {
      if (static_cast<int>(d) == col) continue;
      os.push_back(g_.ks[d]);
      oin.push_back(g_.kin[d]);
      oout.push_back(g_.kout[d]);
    }
    const int64_t m = g_.ks[col], ko = g_.kout[col];
    const int64_t w = std::min(m, kColBlock), n_cb = (m + w - 1) / w;
    const int64_t n_outer = numel_of(os);
    const int64_t n_rows = g_.n_red;
    const int64_t n_tasks = n_outer * n_cb;
    int64_t rows_per_chunk = n_rows;
    if (n_tasks < 8 && n_rows * w > 2 * kUnit) {
      // Few column blocks over many rows: split the rows too, so both cores get work.
      int64_t r = std::max<int64_t>(1, kUnit / w);
      rows_per_chunk = (r + kRowFlush - 1) / kRowFlush * kRowFlush;
    }
    const int64_t n_rc = (n_rows + rows_per_chunk - 1) / rows_per_chunk;

    // Folds rows [r0, r1) of task t into acc[0, width); returns the output index of column 0.
    auto fold = [&](int64_t t, int64_t r0, int64_t r1, acc_t* acc, int64_t& width) -> int64_t {
      const int64_t outer = t / n_cb, j0 = (t % n_cb) * w;
      width = std::min(w, m - j0);
      Odometer oo(static_cast<int>(os.size()), os.data(), oin.data(), oout.data());
      oo.seek(outer);
      const T* base = data_ + oo.off0 + j0;
      const int64_t obase = oo.off1 + j0 * ko;
      cen_t cen[kColBlock];
      part_t part[kColBlock];
      for (int64_t j = 0; j < width; ++j) {
        cen[j] = op_.center(obase + j * ko);
        part[j] = op_.pinit();
        acc[j] = op_.ainit();
      }
      Odometer ro(static_cast<int>(g_.rs.size()), g_.rs.data(), g_.rin.data());
      ro.seek(r0);
      int64_t pending = 0;
      const T* rows[4];
      for (int64_t r = r0; r < r1;) {
        const int64_t k = std::min<int64_t>({4, r1 - r, kRowFlush - pending});
        for (int64_t u = 0; u < k; ++u) {
          rows[u] = base + ro.off0;
          ro.next();
        }
        fold_rows(part, rows, k, r, cen, width);
        r += k;
        pending += k;
        if (pending == kRowFlush || r == r1) {
          for (int64_t j = 0; j < width; ++j) {
            acc[j] = op_.absorb(acc[j], part[j]);
            part[j] = op_.pinit();
          }
          pending = 0;
        }
      }
      return obase;
    };

    if (n_rc == 1) {
      const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, w * n_rows));
      parallel_for(0, n_tasks, grain, [&](int64_t b, int64_t e) {
        acc_t acc[kColBlock];
        for (int64_t t = b; t < e; ++t) {
          int64_t width;
          const int64_t obase = fold(t, 0, n_rows, acc, width);
          for (int64_t j = 0; j < width; ++j) op_.write(obase + j * ko, acc[j]);
        }
      });
      return;
    }
    std::unique_ptr<acc_t[]> parts(new acc_t[n_tasks * n_rc * w]);
    std::vector<int64_t> obases(n_tasks), widths(n_tasks);
    parallel_for(0, n_tasks * n_rc, 1, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        const int64_t t = k / n_rc, rc = k % n_rc;
        const int64_t r0 = rc * rows_per_chunk, r1 = std::min(n_rows, r0 + rows_per_chunk);
        int64_t width;
        const int64_t obase = fold(t, r0, r1, &parts[k * w], width);
        if (rc == 0) {
          obases[t] = obase;
          widths[t] = width;
        }
      }
    });
    for (int64_t t = 0; t < n_tasks; ++t) {
      for (int64_t j = 0; j < widths[t]; ++j) {
        acc_t acc = parts[(t * n_rc) * w + j];
        for (int64_t rc = 1; rc < n_rc; ++rc) acc = op_.acombine(acc, parts[(t * n_rc + rc) * w + j]);
        op_.write(obases[t] + j * ko, acc);
      }
    }
  }

  const Op& op_;
  const Geometry& g_;
  const T* data_;
  int64_t rn_, rstride_, n_runs_;
  int64_t segs_ = 1, runs_per_unit_ = 1, n_units_ = 1;
};

template <typename Op>
void drive(const Op& op, const Geometry& g, const void* data) {
  Driver<Op>(op, g, data).run();
}

template <typename Fn>
void dispatch_float(DType d, Fn&& fn) {
  if (d == DType::Float32) fn(float{});
  else if (d == DType::Float64) fn(double{});
  else throw TypeError(str_cat("expected a floating dtype, got ", dtype_name(d)));
}

}  // namespace

void reduce_kernel(ReduceKind kind, const ReduceInput& in, void* out, double param) {
  const Geometry g = make_geometry(in);
  dispatch_dtype(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    using SumOut = std::conditional_t<is_float_v<T>, T, int64_t>;
    switch (kind) {
      case ReduceKind::Sum:
        return drive(SumOp<T, SumOut, Ident>{{}, static_cast<SumOut*>(out), {}}, g, in.data);
      case ReduceKind::Prod:
        return drive(ProdOp<T>{static_cast<SumOut*>(out)}, g, in.data);
      case ReduceKind::Max:
        return drive(MinMaxOp<T, true, Ident>{{}, static_cast<T*>(out)}, g, in.data);
      case ReduceKind::Min:
        return drive(MinMaxOp<T, false, Ident>{{}, static_cast<T*>(out)}, g, in.data);
      case ReduceKind::All:
        return drive(AllAnyOp<T, true>{static_cast<uint8_t*>(out)}, g, in.data);
      case ReduceKind::Any:
        return drive(AllAnyOp<T, false>{static_cast<uint8_t*>(out)}, g, in.data);
      case ReduceKind::CountNonzero:
        return drive(SumOp<T, int64_t, NonZeroT>{{}, static_cast<int64_t*>(out), {}}, g, in.data);
      default:
        break;
    }
    if constexpr (is_float_v<T>) {
      T* o = static_cast<T*>(out);
      switch (kind) {
        case ReduceKind::Mean:
          return drive(SumOp<T, T, Ident>{{}, o, {Post::Div, static_cast<double>(g.n_red)}}, g, in.data);
        case ReduceKind::NormP1: return drive(SumOp<T, T, AbsT>{{}, o, {}}, g, in.data);
        case ReduceKind::NormP2: return drive(SumOp<T, T, SquareT>{{}, o, {Post::Sqrt, 0}}, g, in.data);
        case ReduceKind::NormInf: return drive(MinMaxOp<T, true, AbsT>{{}, o}, g, in.data);
        case ReduceKind::NormNegInf: return drive(MinMaxOp<T, false, AbsT>{{}, o}, g, in.data);
        case ReduceKind::NormP0: return drive(SumOp<T, T, NonZeroT>{{}, o, {}}, g, in.data);
        case ReduceKind::NormP: return drive(SumOp<T, T, PowAbsT>{{param}, o, {Post::Root, param}}, g, in.data);
        default: break;
      }
    }
    throw TypeError(str_cat("reduction not supported for dtype ", dtype_name(in.dtype)));
  });
}

void arg_reduce_kernel(bool is_max, const ReduceInput& in, void* values, int64_t* indices) {
  const Geometry g = make_geometry(in);
  dispatch_dtype(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    if (is_max) drive(ArgOp<T, true>{static_cast<T*>(values), indices}, g, in.data);
    else drive(ArgOp<T, false>{static_cast<T*>(values), indices}, g, in.data);
  });
}

void var_kernel(const ReduceInput& in, double correction, bool take_sqrt, void* out) {
  const Geometry g = make_geometry(in);
  dispatch_float(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<double> means(g.n_out);
    drive(SumOp<T, double, Ident>{{}, means.data(), {Post::Div, static_cast<double>(g.n_red)}}, g, in.data);
    const double dof = std::max(0.0, static_cast<double>(g.n_red) - correction);
    drive(VarOp<T>{means.data(), static_cast<T*>(out), dof, take_sqrt}, g, in.data);
  });
}

void logsumexp_kernel(const ReduceInput& in, void* out) {
  const Geometry g = make_geometry(in);
  dispatch_float(in.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> maxes(g.n_out);
    drive(MinMaxOp<T, true, Ident>{{}, maxes.data()}, g, in.data);
    drive(LogSumExpOp<T>{maxes.data(), static_cast<T*>(out)}, g, in.data);
  });
}

// ---- softmax ----------------------------------------------------------------------------------
namespace {

// y[i] = exp(x[i] - m); returns the sum of the y.
template <typename T>
double exp_shifted(const T* x, T* y, int64_t n, T m) {
  if constexpr (std::is_same_v<T, float>) {
    return vec::exp_sum(x, y, n, m);
  } else {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      y[i] = std::exp(x[i] - m);
      sum += y[i];
    }
    return sum;
  }
}

// y[j] = exp(x[j] - m[j]), sum[j] += y[j] for j < w.
template <typename T>
void exp_shifted_row(const T* x, T* y, int64_t w, const T* m, T* sum) {
  if constexpr (std::is_same_v<T, float>) {
    vec::exp_row(x, y, m, w, sum);
  } else {
    for (int64_t j = 0; j < w; ++j) {
      y[j] = std::exp(x[j] - m[j]);
      sum[j] += y[j];
    }
  }
}

// Softmax as torch's vectorized kernel computes it: max, exp(x - max) and its sum, then a
// multiply by 1/sum; log_softmax is x - max - log(sum).
template <typename T>
void softmax_impl(const T* in, T* out, int64_t outer, int64_t n, int64_t inner, bool log) {
  if (inner == 1) {
    const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1));
    parallel_for(0, outer, grain, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const T* x = in + r * n;
        T* y = out + r * n;
        const T mx = extreme_of<true>(x, n, Ident{});
        const double sum = exp_shifted(x, y, n, mx);  // y is scratch for log_softmax
        if (log) {
          const T shift = static_cast<T>(std::log(sum));
          for (int64_t i = 0; i < n; ++i) y[i] = x[i] - mx - shift;
        } else {
          const T inv = static_cast<T>(1.0 / sum);
          for (int64_t i = 0; i < n; ++i) y[i] *= inv;
        }
      }
    });
    return;
  }
  // The softmax dim is not innermost: blocks of columns, narrow enough that the block's three
  // passes (max, exp and sum, scale) find it in L2.
  const int64_t fit = (256 * 1024) / static_cast<int64_t>(sizeof(T) * std::max<int64_t>(n, 1));
  const int64_t w = std::min(inner, std::clamp<int64_t>(fit, 16, kColBlock)), n_cb = (inner + w - 1) / w;
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n * w));
  parallel_for(0, outer * n_cb, grain, [&](int64_t b, int64_t e) {
    T mx[kColBlock], scale[kColBlock], part[kColBlock];
    double sum[kColBlock];
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / n_cb, j0 = (t % n_cb) * w, width = std::min(w, inner - j0);
      const T* x = in + o * n * inner + j0;
      T* y = out + o * n * inner + j0;
      for (int64_t j = 0; j < width; ++j) {
        mx[j] = extreme_init<true, T>();
        sum[j] = 0;
      }
      for (int64_t k = 0; k < n; ++k) extreme_row<true>(mx, x + k * inner, width, Ident{});
      // Sums in T over kRowFlush rows at a time, then in double.
      for (int64_t k0 = 0; k0 < n; k0 += kRowFlush) {
        for (int64_t j = 0; j < width; ++j) part[j] = 0;
        for (int64_t k = k0; k < std::min(n, k0 + kRowFlush); ++k) {
          exp_shifted_row(x + k * inner, y + k * inner, width, mx, part);
        }
        for (int64_t j = 0; j < width; ++j) sum[j] += part[j];
      }
      for (int64_t j = 0; j < width; ++j) {
        scale[j] = static_cast<T>(log ? std::log(sum[j]) : 1.0 / sum[j]);
      }
      for (int64_t k = 0; k < n; ++k) {
        const T* xr = x + k * inner;
        T* yr = y + k * inner;
        if (log) {
          for (int64_t j = 0; j < width; ++j) yr[j] = xr[j] - mx[j] - scale[j];
        } else {
          for (int64_t j = 0; j < width; ++j) yr[j] *= scale[j];
        }
      }
    }
  });
}

template <typename T, typename In = T>
void cumulative_impl(bool prod, const In* in, T* out, int64_t outer, int64_t n, int64_t inner) {
  using acc_t = std::conditional_t<is_float_v<T>, double, int64_t>;
  auto combine = [prod](acc_t a, In x) { return prod ? a * static_cast<acc_t>(x) : a + static_cast<acc_t>(x); };
  const acc_t init = prod ? 1 : 0;
  if (inner == 1) {
    parallel_for(0, outer, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        acc_t acc = init;
        for (int64_t i = 0; i < n; ++i) {
          acc = combine(acc, in[r * n + i]);
          out[r * n + i] = static_cast<T>(acc);
        }
      }
    });
    return;
  }
  const int64_t w = std::min(inner, kColBlock), n_cb = (inner + w - 1) / w;
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, n * w));
  parallel_for(0, outer * n_cb, grain, [&](int64_t b, int64_t e) {
    acc_t acc[kColBlock];
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / n_cb, j0 = (t % n_cb) * w, width = std::min(w, inner - j0);
      for (int64_t j = 0; j < width; ++j) acc[j] = init;
      for (int64_t k = 0; k < n; ++k) {
        const int64_t base = (o * n + k) * inner + j0;
        for (int64_t j = 0; j < width; ++j) {
          acc[j] = combine(acc[j], in[base + j]);
          out[base + j] = static_cast<T>(acc[j]);
        }
      }
    }
  });
}

}  // namespace

void softmax_kernel(DType dtype, const void* in, void* out, int64_t outer, int64_t n, int64_t inner,
                    bool log) {
  dispatch_float(dtype, [&](auto tag) {
    using T = decltype(tag);
    softmax_impl<T>(static_cast<const T*>(in), static_cast<T*>(out), outer, n, inner, log);
  });
}

void cumulative_kernel(bool prod, DType dtype, const void* in, void* out, int64_t outer, int64_t n,
                       int64_t inner, DType in_dtype) {
  if (in_dtype != dtype) {
    PT_CHECK(dtype == DType::Int64 && is_integral(in_dtype, /*include_bool=*/true),
             "cumulative_kernel: only bool and integer inputs are widened (to int64)");
    dispatch_dtype(in_dtype, [&](auto tag) {
      using In = decltype(tag);
      if constexpr (std::is_integral_v<In>) {
        cumulative_impl<int64_t, In>(prod, static_cast<const In*>(in), static_cast<int64_t*>(out), outer, n, inner);
      }
    });
    return;
  }
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    cumulative_impl<T>(prod, static_cast<const T*>(in), static_cast<T*>(out), outer, n, inner);
  });
}

}  // namespace pt::cpu
