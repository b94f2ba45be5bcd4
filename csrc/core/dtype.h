// The dtype list is written once here and expanded everywhere else (enum, names, sizes,
// kernel switches), as c10's ScalarType.h does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.h"

namespace pt {

// _(C++ type, enum name, python name)
#define PT_FORALL_DTYPES(_)      \
  _(bool, Bool, "bool")          \
  _(uint8_t, UInt8, "uint8")     \
  _(int8_t, Int8, "int8")        \
  _(int16_t, Int16, "int16")     \
  _(int32_t, Int32, "int32")     \
  _(int64_t, Int64, "int64")     \
  _(float, Float32, "float32")   \
  _(double, Float64, "float64")

enum class DType : int8_t {
#define PT_DTYPE_ENUM(ctype, name, pyname) name,
  PT_FORALL_DTYPES(PT_DTYPE_ENUM)
#undef PT_DTYPE_ENUM
};
constexpr int kNumDTypes = 8;

template <typename T> struct CTypeToDType;
#define PT_CTYPE_TO_DTYPE(ctype, name, pyname) \
  template <> struct CTypeToDType<ctype> { static constexpr DType value = DType::name; };
PT_FORALL_DTYPES(PT_CTYPE_TO_DTYPE)
#undef PT_CTYPE_TO_DTYPE

inline size_t itemsize(DType d) {
  switch (d) {
#define PT_DTYPE_SIZE(ctype, name, pyname) \
  case DType::name: return sizeof(ctype);
    PT_FORALL_DTYPES(PT_DTYPE_SIZE)
#undef PT_DTYPE_SIZE
  }
  return 0;
}

inline const char* dtype_name(DType d) {
  switch (d) {
#define PT_DTYPE_NAME(ctype, name, pyname) \
  case DType::name: return pyname;
    PT_FORALL_DTYPES(PT_DTYPE_NAME)
#undef PT_DTYPE_NAME
  }
  return "?";
}

// torch's ScalarType names ("Float", "Long"), which its error messages use.
inline const char* dtype_torch_name(DType d) {
  switch (d) {
    case DType::Bool: return "Bool";
    case DType::UInt8: return "Byte";
    case DType::Int8: return "Char";
    case DType::Int16: return "Short";
    case DType::Int32: return "Int";
    case DType::Int64: return "Long";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
  }
  return "?";
}

// The C++ type names torch prints for a caffe2::TypeMeta ("long int"), in a few messages.
inline const char* cpp_type_name(DType d) {
  switch (d) {
    case DType::Bool: return "bool";
    case DType::UInt8: return "unsigned char";
    case DType::Int8: return "signed char";
    case DType::Int16: return "short int";
    case DType::Int32: return "int";
    case DType::Int64: return "long int";
    case DType::Float32: return "float";
    case DType::Float64: return "double";
  }
  return "?";
}

inline bool is_floating(DType d) { return d == DType::Float32 || d == DType::Float64; }
inline bool is_integral(DType d, bool include_bool) {
  return !is_floating(d) && (include_bool || d != DType::Bool);
}

// torch.promote_types for the supported dtypes, as a lookup table.
DType promote_types(DType a, DType b);

// The process-wide default floating dtype (torch.get_default_dtype()).
DType default_float_dtype();
void set_default_float_dtype(DType d);

// Calls fn(T{}) with T the C++ type of `d`: the one switch kernels dispatch through.
template <typename Fn>
decltype(auto) dispatch_dtype(DType d, Fn&& fn) {
  switch (d) {
#define PT_DTYPE_CASE(ctype, name, pyname) \
  case DType::name: return fn(ctype{});
    PT_FORALL_DTYPES(PT_DTYPE_CASE)
#undef PT_DTYPE_CASE
  }
  throw TypeError("unsupported dtype");
}

}  // namespace pt
