#include "ops/factory.h"

#include <cmath>

#include "core/errors.h"
#include "ops/copy.h"

namespace pt {

Tensor full(const Shape& sizes, const Scalar& value, DType dtype, Device device) {
  Tensor out = empty(sizes, dtype, device);
  fill_(out, value);
  return out;
}

// arange and linspace compute their values on the host (one pass, exactly as on the CPU) and
// move them to `device` in one transfer.
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, DType dtype, Device device) {
  device = resolve_device(device);  // an unusable device fails before any work
  double s = start.to<double>(), e = end.to<double>(), st = step.to<double>();
  PT_CHECK(st > 0 || st < 0, "step must be nonzero");
  PT_CHECK(std::isfinite(s) && std::isfinite(e), "unsupported range: ", s, " -> ", e);
  PT_CHECK((st > 0 && e >= s) || (st < 0 && e <= s), "upper bound and lower bound inconsistent with step sign");
  // As torch: integer outputs use the bounds and step truncated to int64 (a step that truncates to
  // 0 repeats `start`); only int64 also counts its length in integers, the rest count in double.
  const bool integral = !is_floating(dtype);
  const int64_t is = start.to<int64_t>(), ie = end.to<int64_t>(), ist = step.to<int64_t>();
  int64_t n;
  if (dtype == DType::Int64) {
    PT_CHECK_T(ValueError, ist != 0, "step must be nonzero");
    int64_t sgn = (ist > 0) - (ist < 0);
    n = (ie - is + ist - sgn) / ist;
  } else {
    n = static_cast<int64_t>(std::ceil((e - s) / st));
  }
  Tensor out = empty({n}, dtype);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = out->data_as<T>();
    if (integral) {
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(is + ist * i);
    } else {
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(s + st * static_cast<double>(i));
    }
  });
  return to_device(out, device, std::nullopt, false);
}

Tensor linspace(double start, double end, int64_t steps, DType dtype, Device device) {
  PT_CHECK(steps >= 0, "number of steps must be non-negative");
  device = resolve_device(device);
  Tensor out = empty({steps}, dtype);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = out->data_as<T>();
    if (steps == 1) {
      p[0] = static_cast<T>(start);
      return;
    }
    // As torch: step in the output's precision, the second half counted back from `end`
    // so both endpoints are exact. Integer outputs convert the endpoints to T first, as torch.
    using Acc = std::conditional_t<std::is_same_v<T, float>, float, double>;
    const Acc a = static_cast<Acc>(static_cast<T>(start)), b = static_cast<Acc>(static_cast<T>(end));
    Acc step = (b - a) / static_cast<Acc>(steps - 1);
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i) {
      Acc v = i < half ? a + step * static_cast<Acc>(i) : b - step * static_cast<Acc>(steps - i - 1);
      p[i] = static_cast<T>(v);
    }
  });
  return to_device(out, device, std::nullopt, false);
}

Tensor eye(int64_t n, int64_t m, DType dtype, Device device) {
  PT_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  PT_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  Tensor out = full({n, m}, Scalar::from_int(0), dtype, device);
  // The diagonal is a strided view (stride m + 1): one fill on either device.
  fill_(make_view(*out, {std::min(n, m)}, {m + 1}, 0), Scalar::from_int(1));
  return out;
}

}  // namespace pt
