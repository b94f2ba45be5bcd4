#include "cuda/cublas.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "core/errors.h"

namespace pt::cuda {

namespace {

const char* const kSonames[] = {"libcublas.so.13", "libcublas.so.12"};

bool is_directory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Where to look, in order.
std::vector<std::string> candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("PYTENSOR_CUBLAS_PATH"); env != nullptr && env[0] != '\0') {
    const std::string p(env);
    if (is_directory(p)) {
      for (const char* so : kSonames) out.push_back(p + "/" + so);
    } else {
      out.push_back(p);
    }
  }
  for (const char* so : kSonames) out.emplace_back(so);
  return out;
}

template <typename Fn>
void resolve(void* lib, const std::string& path, const char* name, Fn& fn, bool required = true) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  PT_CHECK(fn != nullptr || !required, "cuBLAS library ", path, " has no symbol ", name);
}

}  // namespace

const CublasApi& cublas() {
  static std::mutex mutex;
  static CublasApi* api = nullptr;  // never freed, and the library is never closed
  std::lock_guard<std::mutex> lock(mutex);
  if (api != nullptr) return *api;
  std::string tried;
  for (const std::string& path : candidates()) {
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* why = dlerror();
      tried += str_cat("\n  ", path, ": ", why != nullptr ? why : "not loadable");
      continue;
    }
    auto* a = new CublasApi();
    a->path = path;
    try {
      resolve(lib, path, "cublasCreate_v2", a->create);
      resolve(lib, path, "cublasSetStream_v2", a->set_stream);
      resolve(lib, path, "cublasSetMathMode", a->set_math_mode);
      resolve(lib, path, "cublasSgemmStridedBatched", a->sgemm_strided_batched);
      resolve(lib, path, "cublasDgemmStridedBatched", a->dgemm_strided_batched);
      resolve(lib, path, "cublasGetStatusString", a->get_status_string, /*required=*/false);
    } catch (...) {
      delete a;
      dlclose(lib);
      throw;
    }
    api = a;
    return *api;
  }
  throw RuntimeError(str_cat(
      "CUDA matrix products need cuBLAS (libcublas.so.13 or libcublas.so.12), which could not be loaded. "
      "Install it (pip install nvidia-cublas) or set PYTENSOR_CUBLAS_PATH to the library or its directory. "
      "Tried:", tried));
}

std::string cublas_status_text(cublasStatus_t status) {
  const char* s = nullptr;
  try {
    const CublasApi& api = cublas();
    if (api.get_status_string != nullptr) s = api.get_status_string(status);
  } catch (const RuntimeError&) {
  }
  return str_cat(s != nullptr ? s : "cuBLAS error", " (", status, ")");
}

}  // namespace pt::cuda
