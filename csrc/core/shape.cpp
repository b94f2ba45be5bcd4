#include "core/shape.h"

#include "core/errors.h"

namespace pt {

int64_t numel_of(const Shape& sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return n;
}

Shape contiguous_strides(const Shape& sizes) {
  Shape strides(sizes.size());
  int64_t acc = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = acc;
    acc *= sizes[i] > 1 ? sizes[i] : 1;
  }
  return strides;
}

bool is_contiguous(const Shape& sizes, const Shape& strides) {
  for (int64_t s : sizes) {
    if (s == 0) return true;  // whatever the strides, as torch
  }
  int64_t expected = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

int64_t wrap_dim(int64_t dim, int64_t ndim) {
  int64_t n = ndim > 0 ? ndim : 1;  // a 0-d tensor accepts dims -1 and 0, as torch
  if (dim < -n || dim >= n) {
    throw IndexError(str_cat("Dimension out of range (expected to be in range of [", -n, ", ",
                             n - 1, "], but got ", dim, ")"));
  }
  return dim < 0 ? dim + n : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw RuntimeError(str_cat("The size of tensor a (", da, ") must match the size of tensor b (",
                                 db, ") at non-singleton dimension ", i, "; shapes ",
                                 shape_str(a), " and ", shape_str(b)));
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& target) {
  Shape out(target.size(), 0);
  size_t lead = target.size() - sizes.size();
  for (size_t i = 0; i < sizes.size(); ++i) {
    out[lead + i] = sizes[i] == 1 ? 0 : strides[i];
  }
  return out;
}

Shape infer_size(const Shape& requested, int64_t numel) {
  Shape out = requested;
  int64_t known = 1;
  int infer_at = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      PT_CHECK(infer_at < 0, "only one dimension can be inferred");
      infer_at = static_cast<int>(i);
    } else {
      PT_CHECK(out[i] >= 0, "invalid shape dimension ", out[i]);
      known *= out[i];
    }
  }
  if (infer_at >= 0) {
    PT_CHECK(known != 0 || numel != 0, "cannot reshape tensor of 0 elements into shape ", shape_str(requested),
             " because the unspecified dimension size -1 can be any value and is ambiguous");
    PT_CHECK(known != 0 && numel % known == 0, "shape '", shape_str(requested),
             "' is invalid for input of size ", numel);
    out[infer_at] = numel / known;
  } else {
    PT_CHECK(known == numel, "shape '", shape_str(requested), "' is invalid for input of size ",
             numel);
  }
  return out;
}

// Follows torch's computeStride: groups of old dims that are contiguous among themselves may
// be split or merged freely; anything else needs a copy.
bool compute_view_strides(const Shape& sizes, const Shape& strides, const Shape& new_sizes,
                          Shape& new_strides) {
  new_strides.assign(new_sizes.size(), 0);
  if (sizes.empty()) {
    for (size_t i = new_sizes.size(); i-- > 0;) new_strides[i] = 1;
    return true;
  }
  int64_t numel = numel_of(sizes);
  if (numel == 0) {
    if (sizes == new_sizes) {
      new_strides = strides;
    } else {
      new_strides = contiguous_strides(new_sizes);
    }
    return true;
  }
  int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= sizes[d];
    if (d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
        new_strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (d > 0) {
        chunk_base_stride = strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

}  // namespace pt
