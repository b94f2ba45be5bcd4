// Exception types of the core; the bindings translate each to the Python class torch raises.
#pragma once
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace pt {

struct RuntimeError : std::runtime_error { using std::runtime_error::runtime_error; };
struct IndexError : std::runtime_error { using std::runtime_error::runtime_error; };
struct TypeError : std::runtime_error { using std::runtime_error::runtime_error; };
struct ValueError : std::runtime_error { using std::runtime_error::runtime_error; };
struct NotImplementedError : std::runtime_error { using std::runtime_error::runtime_error; };

// Appends one message piece. Numbers are formatted with the C library, never with iostreams:
// an extension built with one libstdc++ can be loaded beside another (torch's), and formatting
// through a foreign locale's num_put facet crashed there. Floats print as ostream's default
// (%g, 6 significant digits), bools as 0/1, enums as their numbers, as `os << x` did.
inline void append_piece(std::string& out, const std::string& s) { out += s; }
inline void append_piece(std::string& out, std::string_view s) { out += s; }
inline void append_piece(std::string& out, const char* s) { out += s; }
inline void append_piece(std::string& out, char c) { out += c; }
template <typename T>
void append_piece(std::string& out, const T& x) {
  if constexpr (std::is_enum_v<T>) {
    append_piece(out, static_cast<std::underlying_type_t<T>>(x));
  } else if constexpr (std::is_integral_v<T>) {
    out += std::to_string(x);
  } else {
    static_assert(std::is_floating_point_v<T>, "str_cat: unsupported message piece");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(x));
    out += buf;
  }
}

// Builds a message from pieces: PT_CHECK(ok, "size ", a, " vs ", b).
template <typename... Args>
std::string str_cat(const Args&... args) {
  std::string out;
  (append_piece(out, args), ...);
  return out;
}

}  // namespace pt

#define PT_CHECK_T(ErrorType, cond, ...) \
  do {                                   \
    if (!(cond)) throw ::pt::ErrorType(::pt::str_cat(__VA_ARGS__)); \
  } while (0)
#define PT_CHECK(cond, ...) PT_CHECK_T(RuntimeError, cond, __VA_ARGS__)
