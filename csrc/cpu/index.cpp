#include "cpu/index.h"

#include <array>
#include <atomic>
#include <cstring>
#include <type_traits>
#include <vector>

#include "core/errors.h"
#include "cpu/loop.h"

namespace pt::cpu {

namespace {

// A multi-index that lives on the stack for the usual ranks.
class Coords {
 public:
  explicit Coords(size_t n) : n_(n) {
    if (n > kInline) heap_.resize(n);
  }
  int64_t* data() { return n_ > kInline ? heap_.data() : inline_; }

 private:
  static constexpr size_t kInline = 12;
  size_t n_;
  int64_t inline_[kInline] = {};
  std::vector<int64_t> heap_;
};

// Visits positions [begin, end) of `sizes` in row-major order as runs along the last dim:
// f(ptrs, inner_strides, n, coords), coords being the run's first multi-index.
template <size_t N, typename F>
void walk_runs(const Shape& sizes, const std::array<char*, N>& base, const std::array<Shape, N>& strides,
               int64_t begin, int64_t end, F&& f) {
  if (begin >= end) return;
  const int64_t ndim = static_cast<int64_t>(sizes.size());
  if (ndim == 0) {
    std::array<char*, N> p = base;
    std::array<int64_t, N> zero{};
    f(p.data(), zero.data(), int64_t{1}, static_cast<const int64_t*>(nullptr));
    return;
  }
  Coords coords(ndim);
  int64_t* idx = coords.data();
  int64_t rem = begin;
  for (int64_t d = ndim - 1; d >= 0; --d) {
    idx[d] = rem % sizes[d];
    rem /= sizes[d];
  }
  std::array<char*, N> ptrs;
  std::array<int64_t, N> inner;
  for (size_t k = 0; k < N; ++k) {
    char* p = base[k];
    for (int64_t d = 0; d < ndim; ++d) p += idx[d] * strides[k][d];
    ptrs[k] = p;
    inner[k] = strides[k][ndim - 1];
  }
  const int64_t inner_size = sizes[ndim - 1];
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = std::min(inner_size - idx[ndim - 1], end - pos);
    f(ptrs.data(), inner.data(), n, static_cast<const int64_t*>(idx));
    pos += n;
    idx[ndim - 1] += n;
    for (size_t k = 0; k < N; ++k) ptrs[k] += n * inner[k];
    for (int64_t d = ndim - 1; d > 0 && idx[d] == sizes[d]; --d) {
      idx[d] = 0;
      ++idx[d - 1];
      for (size_t k = 0; k < N; ++k) ptrs[k] += strides[k][d - 1] - sizes[d] * strides[k][d];
    }
  }
}

inline int64_t wrap(int64_t v, int64_t size) { return v < 0 ? v + size : v; }

template <size_t Bytes> struct UIntOf;
template <> struct UIntOf<1> { using type = uint8_t; };
template <> struct UIntOf<2> { using type = uint16_t; };
template <> struct UIntOf<4> { using type = uint32_t; };
template <> struct UIntOf<8> { using type = uint64_t; };

// Calls fn(T{}) with T an unsigned type of `itemsize` bytes: moving bytes needs no dtype.
template <typename Fn>
void dispatch_itemsize(size_t itemsize, Fn&& fn) {
  switch (itemsize) {
    case 1: fn(uint8_t{}); return;
    case 2: fn(uint16_t{}); return;
    case 4: fn(uint32_t{}); return;
    case 8: fn(uint64_t{}); return;
  }
  throw RuntimeError(str_cat("indexing: unsupported element size ", itemsize));
}

template <typename T, ScatterOp OP>
inline void apply(char* d, const char* s) {
  T& x = *reinterpret_cast<T*>(d);
  const T v = *reinterpret_cast<const T*>(s);
  if constexpr (OP == ScatterOp::Copy) {
    x = v;
  } else if constexpr (std::is_same_v<T, bool>) {
    x = OP == ScatterOp::Add ? (x || v) : (x && v);
  } else if constexpr (OP == ScatterOp::Add) {
    x = static_cast<T>(x + v);
  } else {
    x = static_cast<T>(x * v);
  }
}

// One run of the index loop; p = {dst, src, idx}.
template <typename T, ScatterOp OP, bool IndexDst>
void index_run(char** p, const int64_t* s, int64_t n, int64_t mult, int64_t size) {
  char* dst = p[0];
  const char* src = p[1];
  const char* ip = p[2];
  constexpr int64_t kT = sizeof(T);
  if (s[2] == 0) {  // one index for the whole run: a plain strided copy/update
    const int64_t off = wrap(*reinterpret_cast<const int64_t*>(ip), size) * mult;
    if constexpr (IndexDst) dst += off; else src += off;
    if (s[0] == kT && s[1] == kT) {
      if constexpr (OP == ScatterOp::Copy) {
        std::memcpy(dst, src, static_cast<size_t>(n) * kT);
      } else {
        for (int64_t i = 0; i < n; ++i) apply<T, OP>(dst + i * kT, src + i * kT);
      }
    } else {
      for (int64_t i = 0; i < n; ++i) apply<T, OP>(dst + i * s[0], src + i * s[1]);
    }
    return;
  }
  if constexpr (!IndexDst && OP == ScatterOp::Copy) {
    if (s[0] == kT && s[1] == 0 && s[2] == 8) {  // the plain gather: out[i] = src[idx[i]]
      T* out = reinterpret_cast<T*>(dst);
      const int64_t* ix = reinterpret_cast<const int64_t*>(ip);
      auto read = [&](int64_t k) { return *reinterpret_cast<const T*>(src + wrap(ix[k], size) * mult); };
      // Random reads are latency-bound: ask for them early, unless the indexed span fits in L1
      // (index_select along a short last dim), where the prefetches only cost.
      constexpr int64_t kAhead = 16;
      const bool in_l1 = size > 0 && size * (mult < 0 ? -mult : mult) <= (int64_t{1} << 15);
      int64_t i = 0;
      if (!in_l1) {
        for (; i + kAhead < n; ++i) {
          __builtin_prefetch(src + wrap(ix[i + kAhead], size) * mult);
          out[i] = read(i);
        }
      }
      for (; i < n; ++i) out[i] = read(i);
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    const int64_t off = wrap(*reinterpret_cast<const int64_t*>(ip + i * s[2]), size) * mult;
    if constexpr (IndexDst) {
      apply<T, OP>(dst + i * s[0] + off, src + i * s[1]);
    } else {
      apply<T, OP>(dst + i * s[0], src + i * s[1] + off);
    }
  }
}

using IndexRunFn = void (*)(char**, const int64_t*, int64_t, int64_t, int64_t);

// The most common layout: rows that are contiguous on both sides and read one index each
// (x[idx], index_select and index_add_ on dim 0, embedding lookups). A tight loop that prefetches
// the indexed rows a few iterations ahead: random rows are latency-bound, and the general walk's
// per-run bookkeeping left most memory parallelism unused (measured 2x slower).
// step = row steps in bytes of {dst, src, idx}.
template <typename T, ScatterOp OP, bool IndexDst>
void index_rows(char* dst, const char* src, const char* ip, const int64_t* step, int64_t rows, int64_t len,
                int64_t mult, int64_t size) {
  constexpr int64_t kAhead = 8;
  constexpr int64_t kT = sizeof(T);
  const int64_t bytes = len * kT;
  const int64_t lines = std::min<int64_t>((bytes + 63) / 64, 8);
  auto offset = [&](int64_t r) { return wrap(*reinterpret_cast<const int64_t*>(ip + r * step[2]), size) * mult; };
  for (int64_t r = 0; r < rows; ++r) {
    if (r + kAhead < rows) {
      const char* p = (IndexDst ? dst + (r + kAhead) * step[0] : src + (r + kAhead) * step[1]) + offset(r + kAhead);
      for (int64_t l = 0; l < lines; ++l) __builtin_prefetch(p + 64 * l, IndexDst ? 1 : 0);
    }
    char* d = dst + r * step[0];
    const char* s = src + r * step[1];
    if constexpr (IndexDst) d += offset(r); else s += offset(r);
    if constexpr (OP == ScatterOp::Copy) {
      std::memcpy(d, s, static_cast<size_t>(bytes));
    } else {
      for (int64_t i = 0; i < len; ++i) apply<T, OP>(d + i * kT, s + i * kT);
    }
  }
}

using IndexRowsFn = void (*)(char*, const char*, const char*, const int64_t*, int64_t, int64_t, int64_t, int64_t);

// A coalesced [rows, len] loop whose rows are contiguous and read one index each.
bool is_rows(const Shape& sizes, const std::array<Shape, 3>& st, int64_t item) {
  return sizes.size() == 2 && st[2][1] == 0 && st[0][1] == item && st[1][1] == item;
}

}  // namespace

void index_loop(IndexLoop L, DType dtype, ScatterOp op) {
  if (numel_of(L.sizes) == 0) return;
  // Copies move bytes (one instantiation per element size); reductions need the dtype and only
  // ever scatter.
  IndexRunFn fn = nullptr;
  IndexRowsFn rows_fn = nullptr;
  if (op == ScatterOp::Copy) {
    dispatch_itemsize(itemsize(dtype), [&](auto tag) {
      using T = decltype(tag);
      fn = L.index_dst ? &index_run<T, ScatterOp::Copy, true> : &index_run<T, ScatterOp::Copy, false>;
      rows_fn = L.index_dst ? &index_rows<T, ScatterOp::Copy, true> : &index_rows<T, ScatterOp::Copy, false>;
    });
  } else {
    PT_CHECK(L.index_dst, "index_loop: reductions only scatter");
    dispatch_dtype(dtype, [&](auto tag) {
      using T = decltype(tag);
      fn = op == ScatterOp::Add ? &index_run<T, ScatterOp::Add, true> : &index_run<T, ScatterOp::Mul, true>;
      rows_fn = op == ScatterOp::Add ? &index_rows<T, ScatterOp::Add, true> : &index_rows<T, ScatterOp::Mul, true>;
    });
  }
  const int64_t item = static_cast<int64_t>(itemsize(dtype));
  const int64_t mult = L.idx_mult, size = L.idx_size;
  auto body = [fn, mult, size](char** p, const int64_t* s, int64_t n, const int64_t*) { fn(p, s, n, mult, size); };
  const std::array<char*, 3> base{L.dst.data, L.src.data, L.idx.data};

  if (!L.ordered) {
    Shape sizes = std::move(L.sizes);
    std::array<Shape, 3> strides{std::move(L.dst.strides), std::move(L.src.strides), std::move(L.idx.strides)};
    coalesce<3>(sizes, strides);
    // Few long rows split better as one flat range.
    if (is_rows(sizes, strides, item) && (sizes[0] >= 64 || sizes[0] * sizes[1] <= kGrainSize)) {
      const int64_t step[3] = {strides[0][0], strides[1][0], strides[2][0]};
      const int64_t len = sizes[1];
      parallel_for(0, sizes[0], std::max<int64_t>(1, kGrainSize / len), [&](int64_t b, int64_t e) {
        rows_fn(base[0] + b * step[0], base[1] + b * step[1], base[2] + b * step[2], step, e - b, len, mult, size);
      });
      return;
    }
    parallel_for(0, numel_of(sizes), kGrainSize,
                 [&](int64_t b, int64_t e) { walk_runs<3>(sizes, base, strides, b, e, body); });
    return;
  }
  // Dims where dst does not move are the ones whose positions may hit one element: they are
  // walked serially (outer); threads split the other dims (inner), so each dst element is
  // owned by one thread and updated in row-major order.
  Shape outer_sizes, inner_sizes;
  std::array<Shape, 3> outer_strides, inner_strides;
  for (size_t d = 0; d < L.sizes.size(); ++d) {
    bool outer = L.dst.strides[d] == 0 && L.sizes[d] > 1;
    (outer ? outer_sizes : inner_sizes).push_back(L.sizes[d]);
    auto& st = outer ? outer_strides : inner_strides;
    st[0].push_back(L.dst.strides[d]);
    st[1].push_back(L.src.strides[d]);
    st[2].push_back(L.idx.strides[d]);
  }
  coalesce<3>(outer_sizes, outer_strides);
  coalesce<3>(inner_sizes, inner_strides);
  const int64_t n_outer = numel_of(outer_sizes), n_inner = numel_of(inner_sizes);
  const int64_t grain = std::max<int64_t>(1, (kGrainSize + n_outer - 1) / n_outer);
  if (outer_sizes.size() == 1 && inner_sizes.size() == 1 && inner_strides[2][0] == 0 && inner_strides[0][0] == item &&
      inner_strides[1][0] == item) {  // rows again: each thread takes a band of columns of every row
    const int64_t step[3] = {outer_strides[0][0], outer_strides[1][0], outer_strides[2][0]};
    parallel_for(0, n_inner, grain, [&](int64_t ib, int64_t ie) {
      rows_fn(base[0] + ib * item, base[1] + ib * item, base[2], step, n_outer, ie - ib, mult, size);
    });
    return;
  }
  if (inner_sizes.size() == 1) {
    // A 1-d inner part needs no multi-index per outer position: walking the inner band afresh
    // for every outer position cost two divisions and a call per element (1M-element 1-d
    // scatter: 26 ms, numpy 3 ms).
    if (n_inner == 1) {  // every position may collide (1-d scatter, x[idx] = v): one serial walk
      walk_runs<3>(outer_sizes, base, outer_strides, 0, n_outer, body);
      return;
    }
    const int64_t in_st[3] = {inner_strides[0][0], inner_strides[1][0], inner_strides[2][0]};
    parallel_for(0, n_inner, grain, [&](int64_t ib, int64_t ie) {
      const std::array<char*, 3> band{base[0] + ib * in_st[0], base[1] + ib * in_st[1], base[2] + ib * in_st[2]};
      walk_runs<3>(outer_sizes, band, outer_strides, 0, n_outer,
                   [&](char** p, const int64_t* s, int64_t n, const int64_t*) {
                     for (int64_t j = 0; j < n; ++j) {
                       char* at[3] = {p[0] + j * s[0], p[1] + j * s[1], p[2] + j * s[2]};
                       fn(at, in_st, ie - ib, mult, size);
                     }
                   });
    });
    return;
  }
  parallel_for(0, n_inner, grain, [&](int64_t ib, int64_t ie) {
    walk_runs<3>(outer_sizes, base, outer_strides, 0, n_outer,
                 [&](char** p, const int64_t* s, int64_t n, const int64_t*) {
                   for (int64_t j = 0; j < n; ++j) {
                     std::array<char*, 3> at{p[0] + j * s[0], p[1] + j * s[1], p[2] + j * s[2]};
                     walk_runs<3>(inner_sizes, at, inner_strides, ib, ie, body);
                   }
                 });
  });
}

std::optional<int64_t> first_out_of_range(const Shape& sizes_in, const Operand& idx, int64_t lo, int64_t hi) {
  Shape sizes = sizes_in;
  std::array<Shape, 1> strides{idx.strides};
  coalesce<1>(sizes, strides);
  const std::array<char*, 1> base{idx.data};
  const uint64_t span = static_cast<uint64_t>(hi - lo);
  std::atomic<bool> bad{false};
  // A branch-free test over everything first (the common, valid case), in parallel.
  parallel_for(0, numel_of(sizes), kGrainSize, [&](int64_t b, int64_t e) {
    bool any = false;
    walk_runs<1>(sizes, base, strides, b, e, [&](char** p, const int64_t* s, int64_t n, const int64_t*) {
      const char* q = p[0];
      for (int64_t i = 0; i < n; ++i) {
        any |= static_cast<uint64_t>(*reinterpret_cast<const int64_t*>(q + i * s[0]) - lo) >= span;
      }
    });
    if (any) bad.store(true, std::memory_order_relaxed);
  });
  if (!bad.load()) return std::nullopt;
  // Only on error: the first offending value, so the message never depends on threads.
  std::optional<int64_t> first;
  walk_runs<1>(sizes, base, strides, 0, numel_of(sizes), [&](char** p, const int64_t* s, int64_t n, const int64_t*) {
    for (int64_t i = 0; i < n && !first; ++i) {
      int64_t v = *reinterpret_cast<const int64_t*>(p[0] + i * s[0]);
      if (v < lo || v >= hi) first = v;
    }
  });
  return first;
}

void accumulate_offsets(const Shape& sizes, const Operand& out, const Operand& idx, int64_t mult, int64_t size) {
  StridedOperands<2> ops{{out.data, idx.data}, {out.strides, idx.strides}};
  for_each_run<2>(sizes, ops, [mult, size](char** p, const int64_t* s, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      *reinterpret_cast<int64_t*>(p[0] + i * s[0]) += wrap(*reinterpret_cast<const int64_t*>(p[1] + i * s[1]),
                                  size) * mult;
    }
  });
}

// ---- mask walks ---------------------------------------------------------------------------

namespace {

// Chunks of the row-major positions; both passes of a walk use the same chunks.
struct Chunks {
  int64_t total, n, size;
  explicit Chunks(int64_t total_) : total(total_) {
    int64_t by_grain = (total + kGrainSize - 1) / kGrainSize;
    n = std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), by_grain));
    size = (total + n - 1) / n;
    if (size == 0) size = 1;
  }
  int64_t begin(int64_t c) const { return std::min(total, c * size); }
  int64_t end(int64_t c) const { return std::min(total, (c + 1) * size); }
};

template <typename F>
void for_chunks(const Chunks& ch, F&& f) {
  if (ch.n == 1) {
    f(int64_t{0});
    return;
  }
#pragma omp parallel for num_threads(static_cast<int>(ch.n)) schedule(static, 1)
  for (int64_t c = 0; c < ch.n; ++c) f(c);
}

template <typename M>
int64_t count_run(const char* p, int64_t s, int64_t n) {
  int64_t c = 0;
  if (s == static_cast<int64_t>(sizeof(M))) {
    const M* m = reinterpret_cast<const M*>(p);
    for (int64_t i = 0; i < n; ++i) c += m[i] != M(0);
  } else {
    for (int64_t i = 0; i < n; ++i) c += *reinterpret_cast<const M*>(p + i * s) != M(0);
  }
  return c;
}

// No run-level fast path: walk_selected's default.
struct NoFastRun {
  bool operator()(char**, const int64_t*, int64_t, const int64_t*, int64_t&, int64_t) const { return false; }
};

// Calls f(ptrs, strides, coords, i, c) for every selected position (mask = operand 0, nonzero
// elements selected), with ptrs/coords those of the run start, i the offset within the run and
// c the position's number among the selected ones; on_count(total) runs between the passes.
// fast(ptrs, strides, n, coords, c, limit) may take a whole run instead (returning true), e.g.
// a branch-free compaction: it may write scratch values at numbers in [c, limit), which belong
// to this chunk and are overwritten by the chunk's later selected positions.
template <typename M, size_t N, typename OnCount, typename F, typename Fast = NoFastRun>
int64_t walk_selected(const Shape& sizes, const std::array<char*, N>& base, const std::array<Shape, N>& strides,
                      OnCount&& on_count, F&& f, Fast&& fast = Fast{}) {
  const int64_t total = numel_of(sizes);
  if (total == 0) {
    on_count(int64_t{0});
    return 0;
  }
  Chunks ch(total);
  std::vector<int64_t> counts(ch.n + 1, 0);
  auto count_chunk = [&](int64_t c) {
    int64_t k = 0;
    walk_runs<N>(sizes, base, strides, ch.begin(c), ch.end(c),
                 [&](char** p, const int64_t* s, int64_t n, const int64_t*) { k += count_run<M>(p[0], s[0], n); });
    counts[c + 1] = k;
  };
  for_chunks(ch, count_chunk);
  for (int64_t c = 0; c < ch.n; ++c) counts[c + 1] += counts[c];
  on_count(counts[ch.n]);
  auto visit_chunk = [&](int64_t c) {
    int64_t k = counts[c];
    const int64_t limit = counts[c + 1];
    walk_runs<N>(sizes, base, strides, ch.begin(c), ch.end(c),
                 [&](char** p, const int64_t* s, int64_t n, const int64_t* coords) {
                   if (k == limit || fast(p, s, n, coords, k, limit)) return;
                   for (int64_t i = 0; i < n; ++i) {
                     if (*reinterpret_cast<const M*>(p[0] + i * s[0]) != M(0)) f(p, s, coords, i, k++);
                   }
                 });
  };
  if (counts[ch.n] > 0) for_chunks(ch, visit_chunk);
  return counts[ch.n];
}

// Copies one slice (same sizes on both sides) of T elements.
template <typename T>
struct SliceCopy {
  Shape sizes;                // coalesced
  std::array<Shape, 2> strides;  // {dst, src}
  int64_t numel;
  bool flat;                  // one contiguous run on both sides

  SliceCopy(const Shape& sizes_in, const Shape& dst_strides, const Shape& src_strides)
      : sizes(sizes_in), strides{dst_strides, src_strides} {
    coalesce<2>(sizes, strides);
    numel = numel_of(sizes);
    flat = sizes.size() == 1 && strides[0][0] == sizeof(T) && strides[1][0] == sizeof(T);
  }
  void operator()(char* dst, const char* src) const {
    if (numel == 1) {
      *reinterpret_cast<T*>(dst) = *reinterpret_cast<const T*>(src);
    } else if (flat) {
      std::memcpy(dst, src, static_cast<size_t>(numel) * sizeof(T));
    } else {
      walk_runs<2>(sizes, {dst, const_cast<char*>(src)}, strides, 0, numel,
                   [](char** p, const int64_t* s, int64_t n, const int64_t*) {
                     for (int64_t i = 0; i < n; ++i) {
                       *reinterpret_cast<T*>(p[0] + i * s[0]) = *reinterpret_cast<const T*>(p[1] + i * s[1]);
                     }
                   });
    }
  }
};

Shape prefix(const Shape& s, size_t k) { return Shape(s.begin(), s.begin() + k); }
Shape suffix(const Shape& s, size_t k) { return Shape(s.begin() + k, s.end()); }

}  // namespace

int64_t count_nonzero(DType mask_dtype, const Shape& sizes_in, const Operand& mask) {
  Shape sizes = sizes_in;
  std::array<Shape, 1> strides{mask.strides};
  coalesce<1>(sizes, strides);
  const std::array<char*, 1> base{mask.data};
  int64_t total = 0;
  dispatch_dtype(mask_dtype, [&](auto tag) {
    using M = decltype(tag);
    Chunks ch(numel_of(sizes));
    std::vector<int64_t> counts(ch.n, 0);
    for_chunks(ch, [&](int64_t c) {
      int64_t k = 0;
      walk_runs<1>(sizes, base, strides, ch.begin(c), ch.end(c),
                   [&](char** p, const int64_t* s, int64_t n, const int64_t*) { k += count_run<M>(p[0], s[0], n); });
      counts[c] = k;
    });
    for (int64_t k : counts) total += k;
  });
  return total;
}

void nonzero_kernel(DType mask_dtype, const Shape& sizes, const Operand& mask, const AllocFn& alloc) {
  const size_t ndim = sizes.size();
  const std::array<char*, 1> base{mask.data};
  const std::array<Shape, 1> strides{mask.strides};
  int64_t* out = nullptr;
  auto on_count = [&](int64_t count) { out = reinterpret_cast<int64_t*>(alloc(count)); };
  dispatch_dtype(mask_dtype, [&](auto tag) {
    using M = decltype(tag);
    // Branch-free rows: a random mask would mispredict every other element.
    auto fast = [&](char** p, const int64_t* s, int64_t n, const int64_t* coords, int64_t& k, int64_t limit) {
      if (ndim == 0 || s[0] != static_cast<int64_t>(sizeof(M))) return false;
      const M* m = reinterpret_cast<const M*>(p[0]);
      int64_t kk = k;
      for (int64_t i = 0; i < n && kk < limit; ++i) {
        int64_t* row = out + kk * static_cast<int64_t>(ndim);
        for (size_t d = 0; d + 1 < ndim; ++d) row[d] = coords[d];
        row[ndim - 1] = coords[ndim - 1] + i;
        kk += m[i] != M(0);
      }
      k = kk;
      return true;
    };
    walk_selected<M, 1>(
        sizes, base, strides, on_count,
        [&](char**, const int64_t*, const int64_t* coords, int64_t i, int64_t c) {
          int64_t* row = out + c * static_cast<int64_t>(ndim);
          for (size_t d = 0; d < ndim; ++d) row[d] = coords[d];
          if (ndim) row[ndim - 1] += i;
        },
        fast);
  });
}

void mask_offsets_kernel(const Shape& sizes, const Operand& mask, const Shape& x_strides, const AllocFn& alloc) {
  const std::array<char*, 1> base{mask.data};
  const std::array<Shape, 1> strides{mask.strides};
  const size_t ndim = sizes.size();
  int64_t* out = nullptr;
  auto on_count = [&](int64_t count) { out = reinterpret_cast<int64_t*>(alloc(count)); };
  walk_selected<uint8_t, 1>(sizes, base, strides, on_count,
                            [&](char**, const int64_t*, const int64_t* coords, int64_t i, int64_t c) {
                              int64_t off = 0;
                              for (size_t d = 0; d < ndim; ++d) off += coords[d] * x_strides[d];
                              if (ndim) off += i * x_strides[ndim - 1];
                              out[c] = off;
                            });
}

void masked_select_kernel(size_t item, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                          const Shape& slice_sizes, const AllocFn& alloc) {
  const size_t k = mask_sizes.size();
  const std::array<char*, 2> base{mask.data, x.data};
  const std::array<Shape, 2> strides{mask.strides, prefix(x.strides, k)};
  char* out = nullptr;
  auto on_count = [&](int64_t count) { out = alloc(count); };
  dispatch_itemsize(item, [&](auto tag) {
    using T = decltype(tag);
    Shape out_strides = contiguous_strides(slice_sizes);
    for (auto& st : out_strides) st *= static_cast<int64_t>(sizeof(T));
    const SliceCopy<T> copy(slice_sizes, out_strides, suffix(x.strides, k));
    const int64_t slice_bytes = numel_of(slice_sizes) * static_cast<int64_t>(sizeof(T));
    // One element per selected position: a branch-free compaction.
    auto fast = [&](char** p, const int64_t* s, int64_t n, const int64_t*, int64_t& k, int64_t limit) {
      if (copy.numel != 1 || s[0] != 1 || s[1] != static_cast<int64_t>(sizeof(T))) return false;
      const uint8_t* m = reinterpret_cast<const uint8_t*>(p[0]);
      const T* x = reinterpret_cast<const T*>(p[1]);
      T* o = reinterpret_cast<T*>(out);
      int64_t kk = k;
      for (int64_t i = 0; i < n && kk < limit; ++i) {
        o[kk] = x[i];
        kk += m[i] != 0;
      }
      k = kk;
      return true;
    };
    walk_selected<uint8_t, 2>(
        mask_sizes, base, strides, on_count,
        [&](char** p, const int64_t* s, const int64_t*, int64_t i, int64_t c) {
          copy(out + c * slice_bytes, p[1] + i * s[1]);
        },
        fast);
  });
}

void masked_scatter_kernel(size_t item, const Shape& mask_sizes, const Operand& mask, const Operand& x,
                           const Shape& slice_sizes, const Operand& src) {
  const size_t k = mask_sizes.size();
  const std::array<char*, 2> base{mask.data, x.data};
  const std::array<Shape, 2> strides{mask.strides, prefix(x.strides, k)};
  const int64_t src_step = src.strides[0];
  dispatch_itemsize(item, [&](auto tag) {
    using T = decltype(tag);
    const SliceCopy<T> copy(slice_sizes, suffix(x.strides, k), suffix(src.strides, 1));
    walk_selected<uint8_t, 2>(mask_sizes, base, strides, [](int64_t) {},
                              [&](char** p, const int64_t* s, const int64_t*, int64_t i, int64_t c) {
                                copy(p[1] + i * s[1], src.data + c * src_step);
                              });
  });
}

void masked_fill_kernel(size_t item, const Shape& sizes, const Operand& x, const Operand& mask, const void* value) {
  dispatch_itemsize(item, [&](auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, value, sizeof(T));
    StridedOperands<2> ops{{x.data, mask.data}, {x.strides, mask.strides}};
    for_each_run<2>(sizes, ops, [v](char** p, const int64_t* s, int64_t n) {
      if (s[0] == sizeof(T) && s[1] == 1) {
        T* out = reinterpret_cast<T*>(p[0]);
        const uint8_t* m = reinterpret_cast<const uint8_t*>(p[1]);
        // A bitwise blend, which vectorizes (a conditional store would be a branch per element).
        for (int64_t i = 0; i < n; ++i) {
          const T keep = static_cast<T>(T(0) - static_cast<T>(m[i] == 0));
          out[i] = static_cast<T>((out[i] & keep) | (v & static_cast<T>(~keep)));
        }
      } else {
        for (int64_t i = 0; i < n; ++i) {
          if (*reinterpret_cast<const uint8_t*>(p[1] + i * s[1])) *reinterpret_cast<T*>(p[0] + i * s[0]) = v;
        }
      }
    });
  });
}

}  // namespace pt::cpu
