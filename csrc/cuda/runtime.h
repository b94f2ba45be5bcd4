// The CUDA runtime as the rest of the core sees it: devices, the caching allocator, the one
// stream per device, and byte copies in any direction. Always declared; a CPU-only build links
// no_cuda.cpp instead, whose entry points say that CUDA is unavailable (tensors never reach
// them there: no CUDA storage can be made).
#pragma once
#include <cstddef>
#include <memory>

#include "core/device.h"

namespace pt::cuda {

// Built with the CUDA backend.
bool is_built();
// Usable GPUs; 0 without a driver or a GPU (never throws).
int device_count();
int current_device();
void set_device(int index);
// cuda -> cuda:<current>; RuntimeError when CUDA is unavailable or the index is out of range.
Device resolve(Device device);
// Waits for all work queued on the device (-1: the current one).
void synchronize(int index = -1);

// Device memory from the caching allocator: freed blocks are kept for reuse instead of being
// returned to the driver, so steady-state training does no cudaMalloc per op. Blocks are
// reused only in stream order (one stream per device), which makes reuse safe.
std::shared_ptr<void> allocate(size_t nbytes, int device);
size_t memory_allocated(int device);  // bytes in live blocks
size_t memory_reserved(int device);   // bytes held from the driver (live + cached)
void empty_cache();                   // returns cached blocks to the driver

// Copies n bytes; either side may be host or device memory. Returns once dst holds the data
// when dst is host memory, and orders the copy on the device's stream otherwise.
void copy_bytes(void* dst, Device dst_device, const void* src, Device src_device, size_t nbytes);

// The device's stream (a cudaStream_t), where every kernel of that device is queued.
void* stream(int device);

// Makes a tensor's device current for a scope, as torch's DeviceGuard: kernels launch on the
// current device's stream. A no-op for CPU devices.
class DeviceGuard {
 public:
  explicit DeviceGuard(Device device);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;

 private:
  int previous_ = -1;
};

}  // namespace pt::cuda
