#!/usr/bin/env bash
# The GPU check: builds pytensor with the CUDA backend, runs the CUDA tests and the GPU
# benchmark. Run from the repository root on a machine with an NVIDIA GPU, nvcc, and a python3
# that has torch, numpy, pytest, pybind11, scikit-build-core, cmake and ninja (nothing is
# downloaded):
#
#   tests/gpu/check.sh
#
# BLAS for the CPU side: the scipy-openblas32 wheel when importable or carried as .whl/*.whl
# (fetch it on a machine with network, see README "CUDA (optional)"), else a system BLAS
# (-DPYTENSOR_BLAS=system). The whole run stays within PYTENSOR_CHECK_BUDGET seconds (default
# 470, under 8 minutes); the log goes to $OUT/gpu_check.log when OUT is set, else to
# build/gpu-check/gpu_check.log. Exits non-zero when any step fails or runs out of time.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

PY=${PYTHON:-python3}
SITE=${PYTENSOR_SITE:-/tmp/pytensor-gpu-site}   # pip --target: works whether python3 is a venv or not
BUILD_DIR=build/gpu-check
LOG_DIR=${OUT:-$BUILD_DIR}
mkdir -p "$LOG_DIR" "$BUILD_DIR"
LOG=$LOG_DIR/gpu_check.log
DEADLINE=$((SECONDS + ${PYTENSOR_CHECK_BUDGET:-470}))
export PYTHONUNBUFFERED=1
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

FAILED=()

# step NAME CMD...: runs CMD under the time left, records a failure.
step() {
  local name=$1
  shift
  local left=$((DEADLINE - SECONDS))
  if ((left < 15)); then
    echo "== $name: SKIPPED, out of time"
    FAILED+=("$name (no time left)")
    return 1
  fi
  echo "== $name (at most ${left}s): $*"
  local t0=$SECONDS
  timeout --kill-after=10 "$left" "$@"
  local rc=$?
  echo "== $name: rc=$rc after $((SECONDS - t0))s"
  if ((rc == 124 || rc == 137)); then
    FAILED+=("$name (timed out)")
  elif ((rc != 0)); then
    FAILED+=("$name (rc=$rc)")
  fi
  return $rc
}

main() {
  echo "== machine"
  "$PY" --version
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: unavailable"
  nvcc --version 2>/dev/null | tail -n 1 || echo "nvcc: not on PATH"
  "$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.is_available())" ||
    echo "torch: unavailable (the torch comparisons will skip)"

  # ---- BLAS for the CPU kernels --------------------------------------------------------------
  local blas=()
  mkdir -p "$SITE"
  export PYTHONPATH=$SITE${PYTHONPATH:+:$PYTHONPATH}
  if "$PY" -c "import scipy_openblas32" 2>/dev/null; then
    echo "== BLAS: scipy-openblas32 (installed)"
  elif compgen -G ".whl/scipy_openblas32-*.whl" >/dev/null; then
    echo "== BLAS: scipy-openblas32 from the carried wheel"
    step "install scipy-openblas32" "$PY" -m pip install -q --no-index --no-deps --no-compile \
      --upgrade --target "$SITE" .whl/scipy_openblas32-*.whl || return 1
  elif ldconfig -p 2>/dev/null | grep -qE '/lib(open)?blas\.so$'; then
    echo "== BLAS: system ($(ldconfig -p | grep -E '/lib(open)?blas\.so$' | head -n 1 | awk '{print $NF}'))"
    blas=(-Ccmake.define.PYTENSOR_BLAS=system)
  else
    echo "FAIL: no BLAS: scipy-openblas32 is not installed, no .whl/scipy_openblas32-*.whl was"
    echo "carried, and there is no system libblas.so/libopenblas.so. Fetch the wheel where pip"
    echo "works (see README, 'CUDA (optional)') and carry .whl with the repository."
    FAILED+=("BLAS")
    return 1
  fi

  # ---- build + install -----------------------------------------------------------------------
  step "build (PYTENSOR_CUDA=ON)" "$PY" -m pip install -q --no-index --no-deps --no-build-isolation \
    --upgrade --target "$SITE" -Cbuild-dir="$BUILD_DIR/build" -Ccmake.define.PYTENSOR_CUDA=ON \
    "${blas[@]}" . || return 1

  step "import" "$PY" -c "
import os, pytensor
print('pytensor from', os.path.dirname(pytensor.__file__))
assert pytensor.cuda.is_built(), 'built without CUDA'
assert pytensor.cuda.is_available(), 'CUDA built, but no GPU visible'
print('GPU:', pytensor.cuda.get_device_name(), 'capability', pytensor.cuda.get_device_capability(),
      'devices', pytensor.cuda.device_count())
print('PYTENSOR_CUBLAS_PATH =', os.environ.get('PYTENSOR_CUBLAS_PATH', '(unset: cuBLAS by soname)'))
" || return 1

  # ---- tests, then the benchmark -------------------------------------------------------------
  # Every GPU test: test_cuda_*.py and the GPU cases of the other files (tests/conftest.py marks them).
  step "pytest -m gpu" "$PY" -m pytest tests -m gpu -q -p no:cacheprovider
  step "bench/gpu.py" "$PY" bench/gpu.py
}

# main runs in the pipeline's subshell: it reports and returns its own verdict.
run() {
  main
  if ((${#FAILED[@]})); then
    echo "== GPU check FAILED: ${FAILED[*]}"
    return 1
  fi
  echo "== GPU check passed in ${SECONDS}s"
}

run 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
