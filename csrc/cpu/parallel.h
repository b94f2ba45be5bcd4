// Intra-op parallelism: large loops split across the OpenMP team; small ones never pay for it.
#pragma once
#include <algorithm>
#include <cstdint>

#include <omp.h>

namespace pt::cpu {

// Elements below which a loop runs on the calling thread (torch uses the same grain).
constexpr int64_t kGrainSize = 32768;

int get_num_threads();
void set_num_threads(int n);

template <typename F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
  int64_t n = end - begin;
  if (n <= 0) return;
  int threads = get_num_threads();
  if (n <= grain || threads <= 1 || omp_in_parallel()) {
    f(begin, end);
    return;
  }
  int64_t max_chunks = (n + grain - 1) / grain;
  int nthreads = static_cast<int>(std::min<int64_t>(threads, max_chunks));
#pragma omp parallel num_threads(nthreads)
  {
    int tid = omp_get_thread_num();
    int nt = omp_get_num_threads();
    int64_t chunk = (n + nt - 1) / nt;
    int64_t b = begin + tid * chunk;
    int64_t e = std::min(end, b + chunk);
    if (b < e) f(b, e);
  }
}

}  // namespace pt::cpu
