#include "core/storage.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/errors.h"

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
  PT_CHECK_T(NotImplementedError, device.is_cpu(),
             "pytensor was built without CUDA support; device '", device.str(), "' is unavailable");
  auto s = std::make_shared<Storage>();
  s->block_ = allocate_block(nbytes);
  s->nbytes_ = nbytes;
  s->device_ = device;
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
  auto block = allocate_block(nbytes);
  if (nbytes_) std::memcpy(block.get(), block_.get(), nbytes_);
  block_ = std::move(block);
  nbytes_ = nbytes;
}

}  // namespace pt
