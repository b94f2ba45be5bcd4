#include "core/generator.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

#include "core/errors.h"

namespace pt {

namespace {

inline uint32_t mix_bits(uint32_t u, uint32_t v) {
  return ((u & 0x80000000u) | (v & 0x7FFFFFFFu)) >> 1 ^ ((v & 1u) ? 0x9908B0DFu : 0u);
}

// Little-endian byte packing (the state layout is little-endian on every host).
template <typename T> void put(uint8_t* p, T v) {
  uint8_t tmp[sizeof(T)];
  std::memcpy(tmp, &v, sizeof(T));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  std::reverse(tmp, tmp + sizeof(T));
#endif
  std::memcpy(p, tmp, sizeof(T));
}
template <typename T> T get(const uint8_t* p) {
  uint8_t tmp[sizeof(T)];
  std::memcpy(tmp, p, sizeof(T));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  std::reverse(tmp, tmp + sizeof(T));
#endif
  T v;
  std::memcpy(&v, tmp, sizeof(T));
  return v;
}

// Offsets of the state layout (spec section 8).
constexpr size_t kOffSeed = 0, kOffLeft = 8, kOffSeeded = 12, kOffNext = 16, kOffWords = 24,
                 kOffNormalY = 5024, kOffNormalValid = 5040, kOffFloatNormal = 5048,
                 kOffFloatValid = 5052;

}  // namespace

void Generator::manual_seed(uint64_t seed) {
  seed_ = seed;
  state_[0] = static_cast<uint32_t>(seed & 0xFFFFFFFFu);
  for (int j = 1; j < kN; ++j) {
    uint32_t p = state_[j - 1];
    state_[j] = 1812433253u * (p ^ (p >> 30)) + static_cast<uint32_t>(j);
  }
  left_ = 1;
  next_ = 0;
  clear_next_double_normal();
  has_float_normal_ = false;
  float_normal_ = 0.0f;
}

uint64_t Generator::seed() {
  uint64_t s = nondeterministic_seed();
  manual_seed(s);
  return s;
}

void Generator::twist() {
  uint32_t* s = state_;
  int j = 0;
  for (; j < kN - kM; ++j) s[j] = s[j + kM] ^ mix_bits(s[j], s[j + 1]);
  for (; j < kN - 1; ++j) s[j] = s[j + kM - kN] ^ mix_bits(s[j], s[j + 1]);
  s[kN - 1] = s[kM - 1] ^ mix_bits(s[kN - 1], s[0]);
  left_ = kN;
  next_ = 0;
}

void Generator::fill_u32(uint32_t* out, size_t n) {
  while (n > 0) {
    if (left_ == 1) {
      twist();
      left_ = kN + 1;  // the draw that triggered the twist is accounted below
    }
    size_t k = std::min<size_t>(static_cast<size_t>(left_ - 1), n);
    const uint32_t* src = state_ + next_;
    for (size_t i = 0; i < k; ++i) out[i] = temper(src[i]);
    out += k;
    n -= k;
    next_ += static_cast<uint32_t>(k);
    left_ -= static_cast<int>(k);
  }
}

void Generator::fill_u64(uint64_t* out, size_t n) {
  // Draw into the output buffer's second half as u32 pairs, then combine front to back.
  constexpr size_t kChunk = 512;
  uint32_t buf[2 * kChunk];
  while (n > 0) {
    size_t k = std::min(n, kChunk);
    fill_u32(buf, 2 * k);
    for (size_t i = 0; i < k; ++i)
      out[i] = (static_cast<uint64_t>(buf[2 * i]) << 32) | buf[2 * i + 1];
    out += k;
    n -= k;
  }
}

std::vector<uint8_t> Generator::get_state() const {
  std::vector<uint8_t> b(kGeneratorStateBytes, 0);
  uint8_t* p = b.data();
  put<uint64_t>(p + kOffSeed, seed_);
  put<int32_t>(p + kOffLeft, left_);
  put<int32_t>(p + kOffSeeded, 1);
  put<uint64_t>(p + kOffNext, next_);
  for (int j = 0; j < kN; ++j) put<uint64_t>(p + kOffWords + 8 * j, state_[j]);
  put<double>(p + kOffNormalY, has_normal_ ? normal_ : 0.0);
  put<int32_t>(p + kOffNormalValid, has_normal_ ? 1 : 0);
  put<float>(p + kOffFloatNormal, has_float_normal_ ? float_normal_ : 0.0f);
  p[kOffFloatValid] = has_float_normal_ ? 1 : 0;
  return b;
}

void Generator::set_state(const uint8_t* p, size_t nbytes) {
  PT_CHECK(nbytes == kGeneratorStateBytes, "Expected a CPUGeneratorImplState of size ",
           kGeneratorStateBytes, " but found the input RNG state size to be ", nbytes);
  int32_t left = get<int32_t>(p + kOffLeft);
  int32_t seeded = get<int32_t>(p + kOffSeeded);
  // torch narrows `next` to 32 bits before validating it.
  uint32_t next = static_cast<uint32_t>(get<uint64_t>(p + kOffNext));
  // torch stores the flag in a bool: any non-zero byte pattern counts as seeded.
  bool valid = seeded != 0 && left > 0 && left <= kN && next <= static_cast<uint32_t>(kN);
  PT_CHECK(valid, "Invalid mt19937 state");
  seed_ = get<uint64_t>(p + kOffSeed);
  left_ = left;
  next_ = next;
  for (int j = 0; j < kN; ++j)
    state_[j] = static_cast<uint32_t>(get<uint64_t>(p + kOffWords + 8 * j));
  if (get<int32_t>(p + kOffNormalValid) != 0) {
    set_next_double_normal(get<double>(p + kOffNormalY));
  } else {
    clear_next_double_normal();
  }
  has_float_normal_ = p[kOffFloatValid] != 0;
  float_normal_ = has_float_normal_ ? get<float>(p + kOffFloatNormal) : 0.0f;
}

uint64_t nondeterministic_seed() {
  std::random_device rd;
  uint64_t s = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  auto t = static_cast<uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count());
  s ^= t * 0x9E3779B97F4A7C15ull;
  // torch limits non-deterministic seeds to 53 bits (exactly representable as a double).
  return s & 0x1FFFFFFFFFFFFFull;
}

namespace {

struct CudaGenerators {
  std::mutex mutex;
  PhiloxState states[kMaxCudaDevices];
};

CudaGenerators& cuda_generators() {
  static CudaGenerators* g = new CudaGenerators();  // never destroyed
  return *g;
}

PhiloxState& cuda_state(CudaGenerators& g, int device) {
  PT_CHECK(device >= 0 && device < kMaxCudaDevices, "CUDA generator: invalid device index ", device);
  return g.states[device];
}

}  // namespace

PhiloxState cuda_generator_reserve(int device, uint64_t draws) {
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  PhiloxState& s = cuda_state(g, device);
  const PhiloxState before = s;
  s.offset += draws;
  return before;
}

void cuda_generator_manual_seed(int device, uint64_t seed) {
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  cuda_state(g, device) = PhiloxState{seed, 0};
}

void cuda_generator_manual_seed_all(uint64_t seed) {
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  for (PhiloxState& s : g.states) s = PhiloxState{seed, 0};
}

uint64_t cuda_generator_seed(int device) {
  const uint64_t s = nondeterministic_seed();
  cuda_generator_manual_seed(device, s);
  return s;
}

uint64_t cuda_generator_initial_seed(int device) {
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  return cuda_state(g, device).seed;
}

std::vector<uint8_t> cuda_generator_get_state(int device) {
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  const PhiloxState& s = cuda_state(g, device);
  std::vector<uint8_t> b(kCudaGeneratorStateBytes);
  put<uint64_t>(b.data(), s.seed);
  put<uint64_t>(b.data() + 8, s.offset);
  return b;
}

void cuda_generator_set_state(int device, const uint8_t* data, size_t nbytes) {
  PT_CHECK(nbytes == kCudaGeneratorStateBytes, "RNG state is wrong size");
  CudaGenerators& g = cuda_generators();
  std::lock_guard<std::mutex> lock(g.mutex);
  cuda_state(g, device) = PhiloxState{get<uint64_t>(data), get<uint64_t>(data + 8)};
}

Generator& default_generator() {
  static Generator* gen = new Generator(nondeterministic_seed());  // never destroyed
  return *gen;
}

}  // namespace pt
