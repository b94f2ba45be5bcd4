#include "ops/copy.h"

#include "core/errors.h"
#include "cpu/elementwise.h"
#include "ops/elementwise.h"

namespace pt {

namespace {
Shape to_bytes(const Shape& strides, size_t itemsize) {
  Shape out(strides.size());
  for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i] * static_cast<int64_t>(itemsize);
  return out;
}
}  // namespace

Tensor copy_(const Tensor& dst, const Tensor& src) {
  Shape shape = broadcast_shapes(dst->sizes(), src->sizes());
  PT_CHECK(shape == dst->sizes(), "output with shape ", shape_str(dst->sizes()),
           " doesn't match the broadcast shape ", shape_str(shape));
  check_writable(*dst);
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
  cpu::copy_kernel(dst->dtype(), s->dtype(), shape, ops);
  dst->bump_version();
  return dst;
}

Tensor fill_(const Tensor& dst, const Scalar& value) {
  // Unlike other writes, a fill may target overlapping memory (an expanded tensor), as in torch.
  PT_CHECK(dst->storage()->writable(),
           "cannot write to a tensor whose memory is a read-only numpy array or buffer");
  int64_t slot[1];
  value.write_as(dst->dtype(), slot);
  cpu::fill_kernel(dst->dtype(), dst->sizes(), dst->data(), to_bytes(dst->strides(), dst->itemsize()), slot);
  dst->bump_version();
  return dst;
}

Tensor to_dtype(const Tensor& t, DType dtype, bool copy) {
  if (t->dtype() == dtype && !copy) return t;
  Tensor out = empty(t->sizes(), dtype);
  Shape shape = t->sizes();
  cpu::StridedOperands<2> ops{{out->data(), t->data()},
                              {to_bytes(out->strides(), out->itemsize()), to_bytes(t->strides(), t->itemsize())}};
  cpu::copy_kernel(dtype, t->dtype(), shape, ops);
  return out;
}

Tensor contiguous(const Tensor& t) { return t->is_contiguous() ? t : clone(t); }

Tensor clone(const Tensor& t) { return to_dtype(t, t->dtype(), /*copy=*/true); }

Tensor as_contiguous_dtype(const Tensor& t, DType dtype) {
  if (t->dtype() == dtype) return contiguous(t);
  return to_dtype(t, dtype);
}

Tensor scalar_tensor(const Scalar& s, DType dtype) {
  Tensor out = empty({}, dtype);
  s.write_as(dtype, out->data());
  return out;
}

}  // namespace pt
