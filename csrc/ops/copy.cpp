#include "ops/copy.h"

#include "core/errors.h"
#include "cpu/elementwise.h"
#include "cuda/elementwise.h"
#include "cuda/runtime.h"
#include "ops/elementwise.h"

namespace pt {

namespace {
Shape to_bytes(const Shape& strides, size_t itemsize) {
  Shape out(strides.size());
  for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i] * static_cast<int64_t>(itemsize);
  return out;
}

// The copy kernel of `device`'s backend; every operand lives there.
void copy_kernel_on(Device device, DType dst_dtype, DType src_dtype, const Shape& shape,
                    const cpu::StridedOperands<2>& ops) {
  if (device.is_cpu()) {
    cpu::copy_kernel(dst_dtype, src_dtype, shape, ops);
  } else {
    cuda::DeviceGuard guard(device);
    cuda::copy_kernel(dst_dtype, src_dtype, shape, ops);
  }
}

// Every element of dst = the value at `value` (dst's dtype, host memory).
void fill_bytes(const Tensor& dst, const void* value) {
  const Shape strides = to_bytes(dst->strides(), dst->itemsize());
  if (dst->device().is_cpu()) {
    cpu::fill_kernel(dst->dtype(), dst->sizes(), dst->data(), strides, value);
  } else {
    cuda::DeviceGuard guard(dst->device());
    cuda::fill_kernel(dst->dtype(), dst->sizes(), dst->data(), strides, value);
  }
}

// dst = src broadcast to `shape`, both on one device.
void copy_same_device(const Tensor& dst, const Tensor& src, const Shape& shape) {
  Tensor s = src;
  // Overlapping views of one storage are read from a snapshot, so no element is read after
  // it was written.
  if (src->storage() == dst->storage() && src.get() != dst.get() &&
      !(src->offset() == dst->offset() && src->strides() == dst->strides())) {
    s = clone(src);
  }
  Shape src_strides = broadcast_strides(s->sizes(), s->strides(), shape);
  cpu::StridedOperands<2> ops{{dst->data(), s->data()},
                              {to_bytes(dst->strides(), dst->itemsize()), to_bytes(src_strides, s->itemsize())}};
  copy_kernel_on(dst->device(), dst->dtype(), s->dtype(), shape, ops);
}

// Between devices: convert and pack on the source's device, move the bytes in one transfer,
// then lay them out (strides, broadcasting) on the destination's device.
void copy_across_devices(const Tensor& dst, const Tensor& src, const Shape& shape) {
  if (src->device().is_cpu() && src->numel() == 1) {
    // One host value (often a 0-dim tensor): a fill, with no transfer to wait for.
    int64_t slot[1];
    cpu::StridedOperands<2> one{{reinterpret_cast<char*>(slot), src->data()}, {Shape{}, Shape{}}};
    cpu::copy_kernel(dst->dtype(), src->dtype(), Shape{}, one);
    fill_bytes(dst, slot);
    return;
  }
  const Device from = src->device(), to = dst->device();
  Tensor packed = as_contiguous_dtype(src, dst->dtype());
  const bool direct = dst->is_contiguous() && dst->sizes() == src->sizes();
  Tensor landing = direct ? dst : empty(src->sizes(), dst->dtype(), to);
  const bool device_to_device = !from.is_cpu() && !to.is_cpu();
  // copy_bytes orders a device-to-device copy on the destination's stream only: the source's
  // stream must be done writing `packed` first.
  if (device_to_device) cuda::synchronize(from.index);
  cuda::copy_bytes(landing->data(), to, packed->data(), from, static_cast<size_t>(packed->numel()) * packed->itemsize());
  // ...and `packed` returns to the source device's cache, where its next owner may overwrite it
  // on the source's stream, as soon as we return. (Copies with the host side wait already.)
  if (device_to_device) cuda::synchronize(to.index);
  if (!direct) copy_same_device(dst, landing, shape);
}
}  // namespace

Device resolve_device(Device device) { return device.is_cpu() ? Device{} : cuda::resolve(device); }

Tensor copy_(const Tensor& dst, const Tensor& src) {
  Shape shape = broadcast_shapes(dst->sizes(), src->sizes());
  PT_CHECK(shape == dst->sizes(), "output with shape ", shape_str(dst->sizes()),
           " doesn't match the broadcast shape ", shape_str(shape));
  check_writable(*dst);
  if (dst->device() == src->device()) {
    copy_same_device(dst, src, shape);
  } else if (dst->numel() > 0) {
    copy_across_devices(dst, src, shape);
  }
  dst->bump_version();
  return dst;
}

Tensor fill_(const Tensor& dst, const Scalar& value) {
  // Unlike other writes, a fill may target overlapping memory (an expanded tensor), as in torch.
  PT_CHECK(dst->storage()->writable(),
           "cannot write to a tensor whose memory is a read-only numpy array or buffer");
  int64_t slot[1];
  value.write_as(dst->dtype(), slot);
  fill_bytes(dst, slot);
  dst->bump_version();
  return dst;
}

Tensor to_dtype(const Tensor& t, DType dtype, bool copy) {
  if (t->dtype() == dtype && !copy) return t;
  Tensor out = empty(t->sizes(), dtype, t->device());
  cpu::StridedOperands<2> ops{{out->data(), t->data()},
                              {to_bytes(out->strides(), out->itemsize()), to_bytes(t->strides(), t->itemsize())}};
  copy_kernel_on(t->device(), dtype, t->dtype(), t->sizes(), ops);
  return out;
}

Tensor to_device(const Tensor& t, Device device, std::optional<DType> dtype, bool copy) {
  const Device target = resolve_device(device);
  const DType dt = dtype.value_or(t->dtype());
  if (target == t->device()) return to_dtype(t, dt, copy);
  Tensor out = empty(t->sizes(), dt, target);
  if (out->numel() > 0) copy_across_devices(out, t, out->sizes());
  return out;
}

Tensor contiguous(const Tensor& t) { return t->is_contiguous() ? t : clone(t); }

Tensor clone(const Tensor& t) { return to_dtype(t, t->dtype(), /*copy=*/true); }

Tensor as_contiguous_dtype(const Tensor& t, DType dtype) {
  if (t->dtype() == dtype) return contiguous(t);
  return to_dtype(t, dtype);
}

Tensor scalar_tensor(const Scalar& s, DType dtype, Device device) {
  Tensor out = empty({}, dtype, device);
  if (device.is_cpu()) s.write_as(dtype, out->data());
  else fill_(out, s);
  return out;
}

}  // namespace pt
