// A reference-counted block of bytes on one device. It knows nothing of shape or dtype.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/device.h"

namespace pt {

class Storage {
 public:
  // Allocates `nbytes` (64-byte aligned) of uninitialized memory; throws RuntimeError when
  // the allocation cannot succeed.
  static std::shared_ptr<Storage> allocate(size_t nbytes, Device device = {});
  // Borrows external memory; `release` runs when the last user is gone (it keeps e.g. a
  // numpy array alive until then). Borrowed storage cannot be resized.
  static std::shared_ptr<Storage> borrow(void* data, size_t nbytes, std::function<void()> release,
                                         bool writable = true);

  void* data() const { return block_.get(); }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  bool resizable() const { return resizable_; }
  bool writable() const { return writable_; }
  // The block itself: whoever exports the memory (numpy, buffer protocol) holds this, so the
  // memory outlives a later resize of the storage.
  const std::shared_ptr<void>& block() const { return block_; }

  // Grows the storage to at least `nbytes`, keeping its contents (torch's resize_ semantics).
  void grow(size_t nbytes);

  // Bumped by every in-place write; autograd compares it with the value it saved.
  uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  std::shared_ptr<void> block_;
  size_t nbytes_ = 0;
  Device device_;
  bool resizable_ = true;
  bool writable_ = true;
  uint64_t version_ = 0;
};

using StoragePtr = std::shared_ptr<Storage>;

}  // namespace pt
