#include "cpu/sort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "cpu/parallel.h"

namespace pt::cpu {

namespace {

// Every value becomes an unsigned key whose integer order is the order asked for: floats by
// their bits (sign-flipped), with -0.0 read as 0.0 and every NaN as the largest key; signed
// integers with the sign bit flipped. Descending order inverts the key, so NaN comes first
// there too, as torch. Ties are then broken by position, which makes the order total: the
// stable sort, and the top k are its first k, whatever algorithm puts them there.
template <typename T> struct KeyOf {
  using U = std::conditional_t<sizeof(T) == 1, uint8_t,
            std::conditional_t<sizeof(T) == 2, uint16_t,
            std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  static U get(T v) {
    if constexpr (std::is_same_v<T, bool>) {
      return static_cast<U>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
      constexpr U kSign = U(1) << (8 * sizeof(U) - 1);
      U b;
      std::memcpy(&b, &v, sizeof b);
      if (v == T(0)) b = 0;
      b = (b & kSign) ? U(~b) : U(b | kSign);
      return v != v ? ~U(0) : b;
    } else if constexpr (std::is_signed_v<T>) {
      return static_cast<U>(static_cast<U>(v) ^ (U(1) << (8 * sizeof(U) - 1)));
    } else {
      return static_cast<U>(v);
    }
  }
};

// Rows shorter than this go to std::sort; longer ones to the radix sort, whose per-pass
// histogram work only pays off once a row is long enough.
constexpr int64_t kRadixMin = 512;

// Stable LSD radix sort by bytes of the low `bits` bits of key(e); elements start in position
// order, so equal keys stay in it. (11-bit digits, one pass fewer, measured slower: 2048
// scatter streams overflow L1.) A pass where every element has the same digit is skipped
// (small-range integers). Returns the buffer that holds the result (a or tmp).
template <typename E, typename Key>
E* radix_sort(E* a, E* tmp, int64_t n, int bits, Key key) {
  constexpr int width = 8;
  constexpr int64_t buckets = int64_t(1) << width;
  constexpr uint64_t mask = uint64_t(buckets - 1);
  const int passes = (bits + width - 1) / width;
  int64_t hist[8 * buckets] = {};
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t k = key(a[i]);
    for (int p = 0; p < passes; ++p) ++hist[p * buckets + int64_t((k >> (p * width)) & mask)];
  }
  for (int p = 0; p < passes; ++p) {
    int64_t* h = hist + p * buckets;
    const int shift = p * width;
    if (h[(key(a[0]) >> shift) & mask] == n) continue;
    int64_t sum = 0;
    for (int64_t d = 0; d < buckets; ++d) {
      const int64_t c = h[d];
      h[d] = sum;
      sum += c;
    }
    for (int64_t i = 0; i < n; ++i) tmp[h[(key(a[i]) >> shift) & mask]++] = a[i];
    std::swap(a, tmp);
  }
  return a;
}

// Long rows with wide keys: one stable pass on the top byte first, then each bucket (for
// spread keys, small enough to stay in cache) radix-sorted on the rest: 1M random int64 in
// 29 ms instead of 41 ms. Returns the buffer that holds the result (a or tmp).
template <typename E, typename Key>
E* radix_sort_top_first(E* a, E* tmp, int64_t n, int bits, Key key) {
  if (n < (int64_t(1) << 16) || bits < 32) return radix_sort(a, tmp, n, bits, key);
  const int shift = bits - 8;
  int64_t start[257] = {};
  for (int64_t i = 0; i < n; ++i) ++start[((key(a[i]) >> shift) & 255u) + 1];
  if (start[((key(a[0]) >> shift) & 255u) + 1] == n) return radix_sort(a, tmp, n, shift, key);
  for (int d = 0; d < 256; ++d) start[d + 1] += start[d];
  int64_t next[256];
  std::copy(start, start + 256, next);
  for (int64_t i = 0; i < n; ++i) tmp[next[(key(a[i]) >> shift) & 255u]++] = a[i];
  for (int d = 0; d < 256; ++d) {
    const int64_t s = start[d], m = start[d + 1] - s;
    if (m < 2) continue;
    const E* r = radix_sort(tmp + s, a + s, m, shift, key);
    if (r != tmp + s) std::copy(r, r + m, tmp + s);
  }
  return tmp;
}

// The row's first k elements in the total order `less`, in that order: element i is make(i).
// `key` gives the radix sort the order key of its low `bits` bits. Returns where they lie.
template <typename E, typename Make, typename Less, typename Key>
const E* order_row(E* buf, E* tmp, int64_t n, int64_t k, int bits, Make make, Less less, Key key) {
  if (k < n && k * 64 <= n) {
    // Few wanted: a heap of the k smallest seen so far, which most elements fail to enter,
    // so the row is read once and never copied.
    for (int64_t i = 0; i < k; ++i) buf[i] = make(i);
    std::make_heap(buf, buf + k, less);
    for (int64_t i = k; i < n; ++i) {
      const E e = make(i);
      if (less(e, buf[0])) {
        std::pop_heap(buf, buf + k, less);
        buf[k - 1] = e;
        std::push_heap(buf, buf + k, less);
      }
    }
    std::sort_heap(buf, buf + k, less);
    return buf;
  }
  for (int64_t i = 0; i < n; ++i) buf[i] = make(i);
  if (k < n && k <= n / 8) {  // select them, then order only those
    std::nth_element(buf, buf + k, buf + n, less);
    std::sort(buf, buf + k, less);
    return buf;
  }
  if (n < kRadixMin) {
    std::sort(buf, buf + n, less);
    return buf;
  }
  return radix_sort_top_first(buf, tmp, n, bits, key);
}

// Keys of up to 32 bits and a position below 2^32 share one uint64 (key high, position low):
// the pairs are all distinct, so any sort of the integers is the stable sort.
template <typename T>
void sort_row_packed(const T* row, int64_t n, int64_t k, bool largest, uint64_t* buf, uint64_t* tmp, T* values,
                     int64_t* indices) {
  using U = typename KeyOf<T>::U;
  const U flip = largest ? ~U(0) : U(0);
  const auto make = [row, flip](int64_t i) {
    return (uint64_t(U(KeyOf<T>::get(row[i]) ^ flip)) << 32) | uint64_t(i);
  };
  const uint64_t* out = order_row(buf, tmp, n, k, 8 * int(sizeof(U)), make, std::less<uint64_t>(),
                                  [](uint64_t e) { return e >> 32; });
  for (int64_t j = 0; j < k; ++j) {
    const int64_t i = int64_t(out[j] & 0xffffffffu);
    indices[j] = i;
    values[j] = row[i];
  }
}

// Wider keys, or rows too long for a 32-bit position, carry the position beside the key; a
// 32-bit one where it fits, packed, since the radix passes move whole elements.
template <typename P> struct __attribute__((packed)) Wide {
  uint64_t key;
  P pos;
};

template <typename T, typename P>
void sort_row_wide(const T* row, int64_t n, int64_t k, bool largest, Wide<P>* buf, Wide<P>* tmp, T* values,
                   int64_t* indices) {
  using U = typename KeyOf<T>::U;
  const U flip = largest ? ~U(0) : U(0);
  const auto make = [row, flip](int64_t i) { return Wide<P>{uint64_t(U(KeyOf<T>::get(row[i]) ^ flip)), P(i)}; };
  const auto less = [](const Wide<P>& a, const Wide<P>& b) {
    return a.key != b.key ? a.key < b.key : a.pos < b.pos;
  };
  const Wide<P>* out = order_row(buf, tmp, n, k, 8 * int(sizeof(U)), make, less,
                                 [](const Wide<P>& e) { return e.key; });
  for (int64_t j = 0; j < k; ++j) {
    const int64_t i = int64_t(out[j].pos);
    indices[j] = i;
    values[j] = row[i];
  }
}

// Scratch for one task's rows, left uninitialized (every slot used is written first): the
// heap's k slots when few are wanted, else the row and the radix sort's second buffer.
template <typename E> struct Scratch {
  std::unique_ptr<E[]> buf, tmp;
  Scratch(int64_t n, int64_t k) {
    const bool heap = k < n && k * 64 <= n;
    buf.reset(new E[heap ? k : n]);
    if (!heap && n >= kRadixMin) tmp.reset(new E[n]);
  }
};

template <typename T>
void sort_rows(const T* in, int64_t rows, int64_t n, int64_t k, bool largest, T* values, int64_t* indices) {
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1));
  parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    const auto run = [&](auto* tag, auto sort_row) {
      using E = std::remove_pointer_t<decltype(tag)>;
      Scratch<E> s(n, k);
      for (int64_t r = begin; r < end; ++r) {
        sort_row(in + r * n, n, k, largest, s.buf.get(), s.tmp.get(), values + r * k, indices + r * k);
      }
    };
    if (n > (int64_t(1) << 32)) return run((Wide<int64_t>*)nullptr, sort_row_wide<T, int64_t>);
    if constexpr (sizeof(T) <= 4) run((uint64_t*)nullptr, sort_row_packed<T>);
    else run((Wide<uint32_t>*)nullptr, sort_row_wide<T, uint32_t>);
  });
}

}  // namespace

void sort_rows_kernel(DType dtype, const void* in, int64_t rows, int64_t n, int64_t k, bool largest,
                      void* values, int64_t* indices) {
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    sort_rows<T>(static_cast<const T*>(in), rows, n, k, largest, static_cast<T*>(values), indices);
  });
}

}  // namespace pt::cpu
