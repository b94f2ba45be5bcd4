#include "cuda/runtime.h"

#include <cuda_runtime.h>

#include <map>
#include <utility>
#include <mutex>
#include <vector>

#include "core/errors.h"
#include "cuda/check.h"

namespace pt::cuda {

bool is_built() { return true; }

int device_count() {
  static const int count = [] {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
      cudaGetLastError();  // no driver or no GPU: clear the sticky error, report none
      return 0;
    }
    return n;
  }();
  return count;
}

namespace {
void require_device() {
  PT_CHECK(device_count() > 0, "Found no NVIDIA driver or GPU on this machine: CUDA tensors are "
                               "unavailable (pytensor.cuda.is_available() is False)");
}
}  // namespace

int current_device() {
  require_device();
  int d = 0;
  PT_CUDA_CHECK(cudaGetDevice(&d));
  return d;
}

void set_device(int index) {
  require_device();
  PT_CHECK(index >= 0 && index < device_count(), "CUDA error: invalid device ordinal ", index,
           " (this machine has ", device_count(), " CUDA device(s))");
  PT_CUDA_CHECK(cudaSetDevice(index));
}

Device resolve(Device device) {
  require_device();
  if (device.index < 0) return Device{DeviceType::CUDA, current_device()};
  PT_CHECK(device.index < device_count(), "CUDA error: invalid device ordinal ", device.index,
           " (this machine has ", device_count(), " CUDA device(s))");
  return device;
}

void synchronize(int index) {
  DeviceGuard guard(Device{DeviceType::CUDA, index < 0 ? current_device() : index});
  PT_CUDA_CHECK(cudaStreamSynchronize(static_cast<cudaStream_t>(stream(current_device()))));
}

void* stream(int device) {
  static std::mutex mutex;
  static std::vector<cudaStream_t> streams(device_count(), nullptr);
  std::lock_guard<std::mutex> lock(mutex);
  PT_CHECK(device >= 0 && device < static_cast<int>(streams.size()), "CUDA error: invalid device ordinal ",
           device);
  if (!streams[device]) {
    int previous = 0;
    PT_CUDA_CHECK(cudaGetDevice(&previous));
    PT_CUDA_CHECK(cudaSetDevice(device));
    PT_CUDA_CHECK(cudaStreamCreateWithFlags(&streams[device], cudaStreamNonBlocking));
    PT_CUDA_CHECK(cudaSetDevice(previous));
  }
  return streams[device];
}

DeviceGuard::DeviceGuard(Device device) {
  if (device.is_cpu()) return;
  const int target = resolve(device).index;
  PT_CUDA_CHECK(cudaGetDevice(&previous_));
  if (previous_ == target) {
    previous_ = -1;
  } else {
    PT_CUDA_CHECK(cudaSetDevice(target));
  }
}

DeviceGuard::~DeviceGuard() {
  if (previous_ >= 0) cudaSetDevice(previous_);
}

// ---- caching allocator ------------------------------------------------------------------------
namespace {

// Sizes are rounded so that blocks are reusable across nearby requests: 512 B steps below
// 1 MiB, 2 MiB steps above.
size_t round_size(size_t nbytes) {
  constexpr size_t kSmallStep = 512, kLargeStep = 2 << 20, kLarge = 1 << 20;
  const size_t step = nbytes < kLarge ? kSmallStep : kLargeStep;
  return nbytes == 0 ? kSmallStep : (nbytes + step - 1) / step * step;
}

struct DeviceCache {
  std::multimap<size_t, void*> free_blocks;  // size -> block, for best fit
  size_t allocated = 0, reserved = 0;
};

class CachingAllocator {
 public:
  std::shared_ptr<void> allocate(size_t nbytes, int device) {
    const size_t size = round_size(nbytes);
    PT_CHECK(size >= nbytes, "CUDA out of memory: cannot allocate ", nbytes, " bytes");
    auto [block, block_size] = take(size, device);
    return std::shared_ptr<void>(block, [this, block_size = block_size, device](void* p) {
      give_back(p, block_size, device);
    });
  }

  size_t allocated(int device) {
    std::lock_guard<std::mutex> lock(mutex_);
    return caches_[device].allocated;
  }
  size_t reserved(int device) {
    std::lock_guard<std::mutex> lock(mutex_);
    return caches_[device].reserved;
  }

  void release_cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    release_cached_locked();
  }

 private:
  // A block of at least `size` bytes, and its real size.
  std::pair<void*, size_t> take(size_t size, int device) {
    std::lock_guard<std::mutex> lock(mutex_);
    DeviceCache& cache = caches_[device];
    // Best fit, but never a block more than twice the request (it would waste the rest).
    auto it = cache.free_blocks.lower_bound(size);
    if (it != cache.free_blocks.end() && it->first <= 2 * size) {
      const auto [block_size, p] = *it;
      cache.free_blocks.erase(it);
      cache.allocated += block_size;
      return {p, block_size};
    }
    void* p = nullptr;
    DeviceGuard guard(Device{DeviceType::CUDA, device});
    if (cudaMalloc(&p, size) != cudaSuccess) {
      cudaGetLastError();
      release_cached_locked();  // give the cache back to the driver, then try once more
      if (cudaMalloc(&p, size) != cudaSuccess) {
        cudaGetLastError();
        throw RuntimeError(str_cat("CUDA out of memory. Tried to allocate ", size, " bytes on cuda:", device,
                                   " (", cache.allocated, " bytes already allocated by pytensor)"));
      }
    }
    cache.allocated += size;
    cache.reserved += size;
    return {p, size};
  }

  void give_back(void* p, size_t size, int device) {
    std::lock_guard<std::mutex> lock(mutex_);
    DeviceCache& cache = caches_[device];
    cache.allocated -= size;
    cache.free_blocks.emplace(size, p);
  }

  void release_cached_locked() {
    for (auto& [device, cache] : caches_) {
      if (cache.free_blocks.empty()) continue;
      int previous = 0;
      cudaGetDevice(&previous);
      cudaSetDevice(device);
      cudaDeviceSynchronize();  // a cached block may still be read by queued work
      for (auto& [size, p] : cache.free_blocks) {
        cudaFree(p);
        cache.reserved -= size;
      }
      cache.free_blocks.clear();
      cudaSetDevice(previous);
    }
  }

  std::mutex mutex_;
  std::map<int, DeviceCache> caches_;
};

// Never destroyed: storages freed during interpreter shutdown still return their blocks here.
CachingAllocator& allocator() {
  static CachingAllocator* instance = new CachingAllocator();
  return *instance;
}

}  // namespace

std::shared_ptr<void> allocate(size_t nbytes, int device) { return allocator().allocate(nbytes, device); }
size_t memory_allocated(int device) { return allocator().allocated(device); }
size_t memory_reserved(int device) { return allocator().reserved(device); }
void empty_cache() {
  if (device_count() > 0) allocator().release_cached();
}

void copy_bytes(void* dst, Device dst_device, const void* src, Device src_device, size_t nbytes) {
  if (nbytes == 0) return;
  const bool dst_host = dst_device.is_cpu(), src_host = src_device.is_cpu();
  const Device on = dst_host ? src_device : dst_device;
  DeviceGuard guard(on);
  auto s = static_cast<cudaStream_t>(stream(current_device()));
  const cudaMemcpyKind kind = dst_host ? (src_host ? cudaMemcpyHostToHost : cudaMemcpyDeviceToHost)
                                       : (src_host ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToDevice);
  PT_CUDA_CHECK(cudaMemcpyAsync(dst, src, nbytes, kind, s));
  // The host side may be freed or read right after we return: wait when it is involved.
  if (dst_host || src_host) PT_CUDA_CHECK(cudaStreamSynchronize(s));
}

}  // namespace pt::cuda
