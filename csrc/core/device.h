// Where a tensor's memory lives. CPU-only builds still know the CUDA enum value so that
// errors can name it.
#pragma once
#include <cstdint>
#include <string>

namespace pt {

enum class DeviceType : int8_t { CPU, CUDA };

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = -1;  // -1: the current device of that type

  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  bool is_cpu() const { return type == DeviceType::CPU; }
  std::string str() const {
    if (type == DeviceType::CPU) return "cpu";
    return index < 0 ? "cuda" : "cuda:" + std::to_string(index);
  }
};

}  // namespace pt
