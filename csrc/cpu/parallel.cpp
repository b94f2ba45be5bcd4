#include "cpu/parallel.h"

#include "core/errors.h"

#ifdef PYTENSOR_OPENBLAS
extern "C" void scipy_openblas_set_num_threads(int);
#endif

namespace pt::cpu {

namespace {
int g_num_threads = 0;  // 0: not set yet, use OpenMP's default (the core count)
}

int get_num_threads() {
  if (g_num_threads == 0) g_num_threads = omp_get_max_threads();
  return g_num_threads;
}

void set_num_threads(int n) {
  PT_CHECK(n > 0, "set_num_threads expects a positive integer");
  g_num_threads = n;
  omp_set_num_threads(n);
#ifdef PYTENSOR_OPENBLAS
  scipy_openblas_set_num_threads(n);
#endif
}

}  // namespace pt::cpu
