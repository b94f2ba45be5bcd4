#include "core/storage.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/errors.h"
#include "cuda/runtime.h"

namespace pt {

namespace {
constexpr size_t kAlignment = 64;

// Below this size malloc's own 16-byte alignment is enough and much cheaper than memalign,
// which matters for small tensors (per-op overhead).
constexpr size_t kSmallBlock = 4096;

std::shared_ptr<void> allocate_block(size_t nbytes) {
  size_t rounded = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded < nbytes) throw std::bad_alloc();
  void* p = nullptr;
  if (rounded) p = rounded < kSmallBlock ? std::malloc(rounded) : std::aligned_alloc(kAlignment, rounded);
  if (rounded && !p) {
    throw std::bad_alloc();
  }
  return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}
}  // namespace

StoragePtr Storage::allocate(size_t nbytes, Device device) {
  auto s = std::make_shared<Storage>();
  if (device.is_cpu()) {
    s->block_ = allocate_block(nbytes);
    s->device_ = device;
  } else {
    s->device_ = cuda::resolve(device);
    s->block_ = cuda::allocate(nbytes, s->device_.index);
  }
  s->nbytes_ = nbytes;
  return s;
}

StoragePtr Storage::borrow(void* data, size_t nbytes, std::function<void()> release, bool writable) {
  auto s = std::make_shared<Storage>();
  s->block_ = std::shared_ptr<void>(data, [release = std::move(release)](void*) {
    if (release) release();
  });
  s->nbytes_ = nbytes;
  s->resizable_ = false;
  s->writable_ = writable;
  return s;
}

void Storage::grow(size_t nbytes) {
  if (nbytes <= nbytes_) return;
  PT_CHECK(resizable_, "Trying to resize storage that is not resizable");
  auto block = device_.is_cpu() ? allocate_block(nbytes) : cuda::allocate(nbytes, device_.index);
  if (nbytes_) {
    if (device_.is_cpu()) std::memcpy(block.get(), block_.get(), nbytes_);
    else cuda::copy_bytes(block.get(), device_, block_.get(), device_, nbytes_);
  }
  block_ = std::move(block);
  nbytes_ = nbytes;
}

}  // namespace pt
