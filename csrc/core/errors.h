// Exception types of the core; the bindings translate each to the Python class torch raises.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace pt {

struct RuntimeError : std::runtime_error { using std::runtime_error::runtime_error; };
struct IndexError : std::runtime_error { using std::runtime_error::runtime_error; };
struct TypeError : std::runtime_error { using std::runtime_error::runtime_error; };
struct ValueError : std::runtime_error { using std::runtime_error::runtime_error; };
struct NotImplementedError : std::runtime_error { using std::runtime_error::runtime_error; };

// Builds a message from any streamable pieces: PT_CHECK(ok, "size ", a, " vs ", b).
template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

}  // namespace pt

#define PT_CHECK_T(ErrorType, cond, ...) \
  do {                                   \
    if (!(cond)) throw ::pt::ErrorType(::pt::str_cat(__VA_ARGS__)); \
  } while (0)
#define PT_CHECK(cond, ...) PT_CHECK_T(RuntimeError, cond, __VA_ARGS__)
