// The CPU random number generator: MT19937 with PyTorch 2.13's seeding, draw widths, cached
// Box-Muller value and 5056-byte state layout (spec: shared/spec/rng.md, sections 1 and 8).
#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace pt {

constexpr uint64_t kDefaultGeneratorSeed = 67280421310721ULL;  // torch.Generator().initial_seed()
constexpr size_t kGeneratorStateBytes = 5056;                   // sizeof(CPUGeneratorImplState)

class Generator {
 public:
  static constexpr int kN = 624;
  static constexpr int kM = 397;

  explicit Generator(uint64_t seed = kDefaultGeneratorSeed) { manual_seed(seed); }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Seeds from the low 32 bits; remembers the full 64-bit seed; clears the cached normal.
  void manual_seed(uint64_t seed);
  uint64_t initial_seed() const { return seed_; }
  // Reseeds non-deterministically (torch.Generator.seed()) and returns the new seed.
  uint64_t seed();

  // One engine output.
  inline uint32_t u32() {
    if (--left_ == 0) twist();
    return temper(state_[next_++]);
  }
  // Two engine outputs, the first one is the high word.
  inline uint64_t u64() {
    uint64_t hi = u32();
    uint64_t lo = u32();
    return (hi << 32) | lo;
  }
  // n consecutive engine outputs (same stream as n calls of u32()), fast.
  void fill_u32(uint32_t* out, size_t n);
  // n consecutive u64() values.
  void fill_u64(uint64_t* out, size_t n);

  // The cached second value of the per-element Box-Muller transform.
  bool has_next_double_normal() const { return has_normal_; }
  double next_double_normal() const { return normal_; }
  void set_next_double_normal(double v) { normal_ = v; has_normal_ = true; }
  void clear_next_double_normal() { has_normal_ = false; normal_ = 0.0; }

  // The 5056-byte little-endian state (spec section 8).
  std::vector<uint8_t> get_state() const;
  // Validates (size, seeded flag, left, next) and restores everything; RuntimeError otherwise.
  // Nothing changes when validation fails.
  void set_state(const uint8_t* data, size_t nbytes);

  // Samplers hold this while they draw.
  std::mutex& mutex() const { return mutex_; }

  static inline uint32_t temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680u;
    y ^= (y << 15) & 0xEFC60000u;
    y ^= y >> 18;
    return y;
  }

 private:
  void twist();  // regenerates the 624-word block; left = 624, next = 0

  uint64_t seed_ = 0;
  int left_ = 1;
  uint32_t next_ = 0;
  uint32_t state_[kN];
  bool has_normal_ = false;
  double normal_ = 0.0;
  // Never set by CPU kernels; kept so that set_state/get_state round-trip bytes.
  bool has_float_normal_ = false;
  float float_normal_ = 0.0f;
  mutable std::mutex mutex_;
};

// The process-wide default generator (torch.default_generator), seeded non-deterministically
// at first use.
Generator& default_generator();

// ---- CUDA generators ----------------------------------------------------------------------
// One per device, as torch's CUDAGeneratorImpl: the key (seed) and counter offset of the
// Philox4x32-10 stream that csrc/cuda/random.cu draws from. Host state only, present in every
// build (seeding all devices must work without CUDA too); the CPU Generator above is separate.
constexpr int kMaxCudaDevices = 64;
constexpr size_t kCudaGeneratorStateBytes = 16;  // seed then offset, little-endian u64s

struct PhiloxState {
  uint64_t seed = kDefaultGeneratorSeed;
  uint64_t offset = 0;
};

// Returns the device's state and advances its offset by `draws`, atomically, so that launches
// never share counters. RuntimeError for a device index outside [0, kMaxCudaDevices).
PhiloxState cuda_generator_reserve(int device, uint64_t draws);
// Seeds one device (offset back to 0), or every device.
void cuda_generator_manual_seed(int device, uint64_t seed);
void cuda_generator_manual_seed_all(uint64_t seed);
// Reseeds one device non-deterministically and returns the seed.
uint64_t cuda_generator_seed(int device);
uint64_t cuda_generator_initial_seed(int device);
std::vector<uint8_t> cuda_generator_get_state(int device);
void cuda_generator_set_state(int device, const uint8_t* data, size_t nbytes);

// A non-deterministic 64-bit seed (std::random_device mixed with the clock), as
// torch's getNonDeterministicRandom.
uint64_t nondeterministic_seed();

}  // namespace pt
