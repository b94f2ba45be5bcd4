// The CUDA entry points of a build without the CUDA backend (MLX's backend/no_gpu does the
// same): queries answer "no GPU", everything else raises one clear error.
#include "core/errors.h"
#include "cuda/elementwise.h"
#include "cuda/index.h"
#include "cuda/linalg.h"
#include "cuda/random.h"
#include "cuda/reduce.h"
#include "cuda/runtime.h"

namespace pt::cuda {

namespace {
[[noreturn]] void unavailable() {
  throw RuntimeError("pytensor was built without CUDA support; rebuild with -DPYTENSOR_CUDA=ON "
                     "where a CUDA toolkit is installed");
}
}  // namespace

bool is_built() { return false; }
int device_count() { return 0; }
int current_device() { unavailable(); }
void set_device(int) { unavailable(); }
Device resolve(Device) { unavailable(); }
void synchronize(int) { unavailable(); }
std::shared_ptr<void> allocate(size_t, int) { unavailable(); }
size_t memory_allocated(int) { return 0; }
size_t memory_reserved(int) { return 0; }
void empty_cache() {}
void copy_bytes(void*, Device, const void*, Device, size_t) { unavailable(); }
void* stream(int) { unavailable(); }
DeviceGuard::DeviceGuard(Device device) {
  if (!device.is_cpu()) unavailable();
}
DeviceGuard::~DeviceGuard() = default;

#define PT_UNAVAILABLE(ret, name, params) \
  ret name params { unavailable(); }
PT_FORALL_CUDA_ELEMENTWISE_KERNELS(PT_UNAVAILABLE)
PT_FORALL_CUDA_INDEX_KERNELS(PT_UNAVAILABLE)
PT_FORALL_CUDA_REDUCE_KERNELS(PT_UNAVAILABLE)
PT_FORALL_CUDA_LINALG_KERNELS(PT_UNAVAILABLE)
PT_FORALL_CUDA_RANDOM_KERNELS(PT_UNAVAILABLE)
#undef PT_UNAVAILABLE

}  // namespace pt::cuda
