// CUDA copies with dtype conversion and fills, on the strided kernel of strided_index.h.
// Dense same-dtype copies and zero fills go to the copy engine (cudaMemcpyAsync/MemsetAsync).
#include <cstring>
#include <type_traits>

#include "cuda/elementwise.h"
#include "cuda/strided_index.h"

namespace pt::cuda {

namespace {

// As cpu::copy_kernel's conversion: to bool means "non-zero", everything else a C++ cast.
template <typename To, typename From>
struct ConvertFn {
  __device__ void operator()(char* const* p) const {
    const From v = *reinterpret_cast<const From*>(p[1]);
    if constexpr (std::is_same_v<To, bool>) *reinterpret_cast<To*>(p[0]) = v != From(0);
    else *reinterpret_cast<To*>(p[0]) = static_cast<To>(v);
  }
};

template <typename T>
struct FillFn {
  T value;
  __device__ void operator()(char* const* p) const { *reinterpret_cast<T*>(p[0]) = value; }
};

cudaStream_t current_stream() { return static_cast<cudaStream_t>(stream(current_device())); }

}  // namespace

void copy_kernel(DType dst_dtype, DType src_dtype, const Shape& sizes, const StridedOperands<2>& operands) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return;
  const int64_t item = static_cast<int64_t>(itemsize(dst_dtype));
  if (dst_dtype == src_dtype && cpu::flat_step(sizes, operands.byte_strides[0]) == item &&
      cpu::flat_step(sizes, operands.byte_strides[1]) == item) {
    PT_CUDA_CHECK(cudaMemcpyAsync(operands.data[0], operands.data[1], static_cast<size_t>(n * item),
                                  cudaMemcpyDeviceToDevice, current_stream()));
    return;
  }
  dispatch_dtype(dst_dtype, [&](auto dst_tag) {
    using To = decltype(dst_tag);
    dispatch_dtype(src_dtype, [&](auto src_tag) {
      using From = decltype(src_tag);
      launch_elementwise<2>(sizes, operands.data, operands.byte_strides, ConvertFn<To, From>{});
    });
  });
}

void fill_kernel(DType dtype, const Shape& sizes, char* data, const Shape& byte_strides, const void* value) {
  const int64_t n = numel_of(sizes);
  if (n == 0) return;
  const size_t item = itemsize(dtype);
  const auto* bytes = static_cast<const unsigned char*>(value);
  bool zero = true;
  for (size_t i = 0; i < item; ++i) zero = zero && bytes[i] == 0;
  if (zero && cpu::flat_step(sizes, byte_strides) == static_cast<int64_t>(item)) {
    PT_CUDA_CHECK(cudaMemsetAsync(data, 0, static_cast<size_t>(n) * item, current_stream()));
    return;
  }
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    FillFn<T> f;
    std::memcpy(&f.value, value, sizeof(T));
    launch_elementwise<1>(sizes, std::array<char*, 1>{data}, std::array<Shape, 1>{byte_strides}, f);
  });
}

}  // namespace pt::cuda
