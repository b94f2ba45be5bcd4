#include "core/dtype.h"

namespace pt {

namespace {
// torch.promote_types over {b1, u1, i1, i2, i4, i8, f4, f8}; rows and columns follow the enum.
constexpr DType b1 = DType::Bool, u1 = DType::UInt8, i1 = DType::Int8, i2 = DType::Int16,
                i4 = DType::Int32, i8 = DType::Int64, f4 = DType::Float32, f8 = DType::Float64;
constexpr DType kPromotion[kNumDTypes][kNumDTypes] = {
    /* b1 */ {b1, u1, i1, i2, i4, i8, f4, f8},
    /* u1 */ {u1, u1, i2, i2, i4, i8, f4, f8},
    /* i1 */ {i1, i2, i1, i2, i4, i8, f4, f8},
    /* i2 */ {i2, i2, i2, i2, i4, i8, f4, f8},
    /* i4 */ {i4, i4, i4, i4, i4, i8, f4, f8},
    /* i8 */ {i8, i8, i8, i8, i8, i8, f4, f8},
    /* f4 */ {f4, f4, f4, f4, f4, f4, f4, f8},
    /* f8 */ {f8, f8, f8, f8, f8, f8, f8, f8},
};
DType g_default_float = DType::Float32;
}  // namespace

DType promote_types(DType a, DType b) {
  return kPromotion[static_cast<int>(a)][static_cast<int>(b)];
}

DType default_float_dtype() { return g_default_float; }

void set_default_float_dtype(DType d) {
  PT_CHECK_T(TypeError, is_floating(d), "only floating-point types are supported as the default type");
  g_default_float = d;
}

}  // namespace pt
