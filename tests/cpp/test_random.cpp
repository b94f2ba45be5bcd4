// Unit tests of the MT19937 generator and the samplers against values recorded from
// PyTorch 2.13 (shared/spec/rng_golden.json, FMA variant).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/generator.h"
#include "core/tensor.h"
#include "cpu/random.h"

using namespace pt;

namespace {

uint32_t untemper(uint32_t y) {
  y ^= y >> 18;
  y ^= (y << 15) & 0xEFC60000u;
  uint32_t t = y;
  for (int i = 0; i < 5; ++i) t = y ^ ((t << 7) & 0x9D2C5680u);
  y = t;
  t = y;
  for (int i = 0; i < 3; ++i) t = y ^ (t >> 11);
  return t;
}

// A generator whose next outputs (<= 623) are exactly `outs`.
void set_outputs(Generator& g, const std::vector<uint32_t>& outs) {
  std::vector<uint8_t> st = g.get_state();
  int32_t left = 624;
  uint64_t next = 0;
  std::memcpy(st.data() + 8, &left, 4);
  std::memcpy(st.data() + 16, &next, 8);
  for (int j = 0; j < 624; ++j) {
    uint64_t w = j < static_cast<int>(outs.size()) ? untemper(outs[j]) : 0;
    std::memcpy(st.data() + 24 + 8 * j, &w, 8);
  }
  g.set_state(st.data(), st.size());
}

float hexf(const char* s) { return std::strtof(s, nullptr); }
double hexd(const char* s) { return std::strtod(s, nullptr); }

template <typename T>
std::vector<T> values(const Tensor& t) {
  std::vector<T> v(static_cast<size_t>(t->numel()));
  std::memcpy(v.data(), t->data(), v.size() * sizeof(T));
  return v;
}

uint32_t bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
uint64_t bits(double f) { uint64_t u; std::memcpy(&u, &f, 8); return u; }

}  // namespace

TEST(Generator, MatchesStdMt19937) {
  Generator g(5489);
  EXPECT_EQ(g.u32(), 3499211612u);
  Generator g0(0);
  const uint32_t expect0[] = {2357136044u, 2546248239u, 3071714933u, 3626093760u};
  for (uint32_t e : expect0) EXPECT_EQ(g0.u32(), e);
  // Long streams (several block regenerations) agree with std::mt19937, bulk or not.
  for (uint64_t seed : {0ull, 1ull, 42ull, 0xFFFFFFFFull}) {
    std::mt19937 ref(static_cast<uint32_t>(seed));
    Generator a(seed), b(seed);
    std::vector<uint32_t> bulk(3000);
    b.fill_u32(bulk.data(), 7);
    b.fill_u32(bulk.data() + 7, 1500);
    b.fill_u32(bulk.data() + 1507, 1493);
    for (int i = 0; i < 3000; ++i) {
      uint32_t r = ref();
      ASSERT_EQ(a.u32(), r) << i;
      ASSERT_EQ(bulk[i], r) << i;
    }
  }
}

TEST(Generator, SeedUsesLow32BitsAndKeeps64) {
  Generator a(5), b((uint64_t{1} << 32) + 5);
  EXPECT_EQ(a.u64(), b.u64());
  EXPECT_EQ(b.initial_seed(), (uint64_t{1} << 32) + 5);
  EXPECT_EQ(Generator().initial_seed(), 67280421310721ull);
}

TEST(Generator, U64HighWordFirstGolden) {
  // golden case generator_seeded
  Generator g(1099511627793ull);
  const int64_t expect[] = {5435609932269944049LL, -8659146032138963578LL,
                            3532934917758166329LL, 1252540491364030381LL};
  for (int64_t e : expect) EXPECT_EQ(static_cast<int64_t>(g.u64()), e);
  // golden case seed_0_u64 (first three)
  Generator g0(0);
  EXPECT_EQ(static_cast<int64_t>(g0.u64()), -8322921849960486353LL);
  EXPECT_EQ(static_cast<int64_t>(g0.u64()), -5253828890213626688LL);
  EXPECT_EQ(static_cast<int64_t>(g0.u64()), -7327722439656189189LL);
  std::vector<uint64_t> bulk(2);
  Generator g1(0);
  g1.fill_u64(bulk.data(), 2);
  EXPECT_EQ(static_cast<int64_t>(bulk[1]), -5253828890213626688LL);
}

TEST(Generator, StateLayoutAndRoundTrip) {
  Generator g(5);
  std::vector<uint8_t> s0 = g.get_state();
  ASSERT_EQ(s0.size(), 5056u);
  // seed 5, left 1, seeded 1, next 0, first word 5 (golden state_bytes prefix)
  const uint8_t prefix[] = {5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
                            0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(0, std::memcmp(s0.data(), prefix, sizeof(prefix)));
  Tensor t = empty({3}, DType::Float32);
  normal_(t, 0, 1, g);  // leaves a cached normal
  ASSERT_TRUE(g.has_next_double_normal());
  std::vector<uint8_t> s1 = g.get_state();
  int32_t valid;
  std::memcpy(&valid, s1.data() + 5040, 4);
  EXPECT_EQ(valid, 1);
  std::vector<uint64_t> a(700), b(700);
  Tensor x = empty({5}, DType::Float64), y = empty({5}, DType::Float64);
  normal_(x, 0, 1, g);
  g.fill_u64(a.data(), a.size());
  Generator h(123);
  h.set_state(s1.data(), s1.size());
  normal_(y, 0, 1, h);
  h.fill_u64(b.data(), b.size());
  EXPECT_EQ(values<double>(x), values<double>(y));
  EXPECT_EQ(a, b);
  EXPECT_EQ(g.get_state(), h.get_state());
}

TEST(Generator, SetStateValidation) {
  Generator g;
  std::vector<uint8_t> st = g.get_state();
  EXPECT_THROW(g.set_state(st.data(), 10), RuntimeError);
  try {
    g.set_state(st.data(), 5048);
    FAIL();
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "Expected a CPUGeneratorImplState of size 5056 but found the input "
                           "RNG state size to be 5048");
  }
  std::vector<uint8_t> zero(5056, 0);
  try {
    g.set_state(zero.data(), zero.size());
    FAIL();
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "Invalid mt19937 state");
  }
  std::vector<uint8_t> bad = st;
  int32_t left = 625;
  std::memcpy(bad.data() + 8, &left, 4);
  EXPECT_THROW(g.set_state(bad.data(), bad.size()), RuntimeError);
  bad = st;
  uint64_t next = 625;
  std::memcpy(bad.data() + 16, &next, 8);
  EXPECT_THROW(g.set_state(bad.data(), bad.size()), RuntimeError);
  EXPECT_EQ(g.get_state(), st);  // failed set_state changes nothing
}

TEST(Random, TutorialRandnSeed7) {
  Generator g(7);
  Tensor a = empty({1, 5}, DType::Float32);
  normal_(a, 0, 1, g);
  const char* ea[] = {"-0x1.2ca2e8p-3", "0x1.92811cp-1", "0x1.e4c5cep-1", "-0x1.1d45a6p+0",
                      "0x1.b0d7ap+0"};
  auto va = values<float>(a);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(bits(va[i]), bits(hexf(ea[i]))) << i;
  Tensor b = empty_like_preserve(*a, DType::Float32);
  normal_(b, 0, 1, g);
  const char* eb[] = {"-0x1.ca26e2p-1", "-0x1.6c28f8p-2", "0x1.3b7da2p+0", "0x1.1afa44p-3",
                      "-0x1.aea49p+0"};
  auto vb = values<float>(b);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(bits(vb[i]), bits(hexf(eb[i]))) << i;
  Tensor c = empty({1, 1}, DType::Float32);
  normal_(c, 0, 1, g);
  EXPECT_EQ(bits(values<float>(c)[0]), bits(hexf("0x1.454d76p-2")));
}

TEST(Random, RandnBlockPathGolden) {
  Generator g(0);
  Tensor a = empty({17}, DType::Float32);
  normal_(a, 0, 1, g);
  const char* e32[] = {"-0x1.20370ap+0", "-0x1.b2288cp+0", "0x1.222008p-1", "0x1.9646bap-1",
                       "0x1.329b16p-1", "-0x1.8e1ab6p+0", "-0x1.5d8d94p-2", "0x1.da5e9cp+0",
                       "0x1.df54aap-2", "-0x1.2bc656p-1", "-0x1.631dd6p-3", "0x1.77c348p-3",
                       "0x1.63ad8p+0", "0x1.961ap+0", "0x1.e48138p-1", "-0x1.aff666p-1",
                       "0x1.dd186p-1"};
  auto v = values<float>(a);
  for (int i = 0; i < 17; ++i) EXPECT_EQ(bits(v[i]), bits(hexf(e32[i]))) << i;

  Generator h(0);
  Tensor d = empty({17}, DType::Float64);
  normal_(d, 0, 1, h);
  const char* e64[] = {"-0x1.27bb92e9262dcp+1", "-0x1.443c91ccf2402p-1", "-0x1.42cbf54f08f8ep+0",
                       "-0x1.7432edfaba107p-1", "-0x1.471a3c0e2f22ap-6", "0x1.aeb1b572b6a04p-3",
                       "0x1.6ae2402b7b62bp-3",  "-0x1.a9389d082941dp-1", "0x1.e8e503666016dp-3",
                       "-0x1.f101e358981adp-3", "-0x1.8bc82256d975bp-1", "-0x1.985dd0627b1fp+0",
                       "-0x1.5fbef2bc4be3bp-1", "0x1.7cf270386ca66p+0", "-0x1.cb2d8340fb171p-2",
                       "-0x1.c8318cc163de5p-1", "0x1.5986ed8e63e98p-1"};
  auto w = values<double>(d);
  for (int i = 0; i < 17; ++i) EXPECT_EQ(bits(w[i]), bits(hexd(e64[i]))) << i;
}

TEST(Random, SimdAndScalarBlockTransformAgree) {
  if (!rng_detail::cpu_has_avx2_fma()) GTEST_SKIP() << "no AVX2/FMA on this CPU";
  std::mt19937 r(1234);
  for (int it = 0; it < 200000; ++it) {
    float a[16], b[16];
    for (int j = 0; j < 16; ++j) a[j] = b[j] = static_cast<float>(r() & 0xFFFFFF) * 0x1p-24f;
    if (it == 0) { a[0] = b[0] = 0.0f; a[8] = b[8] = 1.0f - 0x1p-24f; }
    float mean = it % 3 ? 0.0f : 0.25f, std = it % 3 ? 1.0f : 3.5f;
    rng_detail::normal_fill_16_f32(a, mean, std, true);
    rng_detail::normal_fill_16_f32(b, mean, std, false);
    for (int j = 0; j < 16; ++j) ASSERT_EQ(bits(a[j]), bits(b[j])) << it << " " << j;
  }
}

TEST(Random, SimdLogfSincosfSanity) {
  for (float x : {1.0f, 0.5f, 0.75f, 1e-7f, 0.999f}) {
    EXPECT_NEAR(rng_detail::simd_logf_scalar(x), std::log(x), 2e-7 * std::fabs(std::log(x)) + 1e-7);
  }
  EXPECT_TRUE(std::isnan(rng_detail::simd_logf_scalar(0.0f)));
  for (float x : {0.0f, 0.5f, 1.0f, 3.0f, 6.2f}) {
    float s, c;
    rng_detail::simd_sincosf_scalar(x, &s, &c);
    EXPECT_NEAR(s, std::sin(x), 1e-6);
    EXPECT_NEAR(c, std::cos(x), 1e-6);
  }
}

TEST(Random, UniformClampsToFrom) {
  // float32: x = 1 - 2^-24 gives fma(x, 1, 1) == 2 -> replaced by 1.
  Generator g;
  set_outputs(g, {0xFFFFFFFFu, 0x00FFFFFFu, 0x00345678u});
  Tensor t = empty({3}, DType::Float32);
  uniform_(t, 1.0, 2.0, g);
  auto v = values<float>(t);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], 1.0f);
  EXPECT_EQ(bits(v[2]), bits(hexf("0x1.345678p+0")));
  // float64: the largest U53 gives 2 -> 1.
  set_outputs(g, {0x001FFFFFu, 0xFFFFFFFFu, 0x0u, 0x0u});
  Tensor d = empty({2}, DType::Float64);
  uniform_(d, 1.0, 2.0, g);
  auto w = values<double>(d);
  EXPECT_EQ(w[0], 1.0);
  EXPECT_EQ(w[1], 1.0);
}

TEST(Random, UniformFmaGolden) {
  // uniform_float32_-3.7_11.3: first values after manual_seed(9).
  Generator g(9);
  Tensor t = empty({300}, DType::Float32);
  uniform_(t, -3.7, 11.3, g);
  auto v = values<float>(t);
  const char* e[] = {"0x1.88c0ccp+2", "0x1.a9226p-1", "0x1.bfcd18p+1", "0x1.fd7a8ap+2",
                     "0x1.42390ep+3", "0x1.487f02p+3", "0x1.a4ac08p-3", "0x1.533e52p+3"};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(bits(v[i]), bits(hexf(e[i]))) << i;
}

TEST(Random, IntegersAndPermutations) {
  Generator g(17);
  Tensor t = empty({50}, DType::Int64);
  random_from_to_(t, -5, 5, g);
  auto v = values<int64_t>(t);
  const int64_t e[] = {4, 0, -4, -3, -5, 4, 3, -2, -3, 0};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(v[i], e[i]);

  Generator h(31);
  Tensor p = randperm(10, DType::Int64, h);
  EXPECT_EQ(values<int64_t>(p), (std::vector<int64_t>{6, 0, 2, 7, 1, 4, 8, 9, 5, 3}));
  EXPECT_EQ(static_cast<int64_t>(h.u64()), 6362692220785327846LL);

  try {
    random_from_to_(t, 5, 5, g);
    FAIL();
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  }
  EXPECT_THROW(randperm(-1, DType::Int64, g), RuntimeError);
  EXPECT_THROW(randperm(300, DType::UInt8, g), RuntimeError);
}

TEST(Random, ValidationBeforeDraws) {
  Generator g(3);
  auto before = g.get_state();
  Tensor t = empty({4}, DType::Float32);
  EXPECT_THROW(uniform_(t, 5, 3, g), RuntimeError);
  EXPECT_THROW(normal_(t, 0, -1, g), RuntimeError);
  EXPECT_THROW(bernoulli_(t, 1.5, g), RuntimeError);
  EXPECT_THROW(exponential_(t, 0, g), RuntimeError);
  Tensor l = empty({4}, DType::Int64);
  EXPECT_THROW(uniform_(l, 0, 1, g), NotImplementedError);
  Tensor probs = empty({3}, DType::Float32);
  float* pp = probs->data_as<float>();
  pp[0] = 1; pp[1] = 0; pp[2] = 0;
  EXPECT_THROW(multinomial(probs, 4, false, g), RuntimeError);
  pp[1] = -1;
  EXPECT_THROW(multinomial(probs, 2, true, g), RuntimeError);
  EXPECT_EQ(g.get_state(), before);
}

TEST(Random, StridedFillOrderIsMemoryOrder) {
  // A transposed (2, 3) view is filled in memory order: same values as a flat fill.
  Generator g(4), h(4);
  Tensor base = empty({3, 2}, DType::Float32);
  Tensor view = make_view(*base, {2, 3}, {1, 2}, 0);
  uniform_(view, -1.0, 1.0, g);
  Tensor flat = empty({6}, DType::Float32);
  uniform_(flat, -1.0, 1.0, h);
  EXPECT_EQ(values<float>(base), values<float>(flat));
}
