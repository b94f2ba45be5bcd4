#include "cpu/parallel.h"

#include <pthread.h>

#include "core/errors.h"

#ifdef PYTENSOR_OPENBLAS
extern "C" void scipy_openblas_set_num_threads(int);
#endif

namespace pt::cpu {

namespace {
int g_num_threads = 0;  // 0: not set yet, use OpenMP's default (the core count)

// GNU OpenMP's thread pool does not survive fork(): a child that opened a parallel region would
// wait forever for threads that exist only in the parent. A forked child (e.g. a data-loading
// worker) therefore runs every loop on its calling thread.
bool g_forked_child = false;
const bool g_fork_handler = [] {
  pthread_atfork(nullptr, nullptr, [] { g_forked_child = true; });
  return true;
}();
}

int get_num_threads() {
  if (g_forked_child) return 1;
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
