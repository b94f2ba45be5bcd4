"""GPU benchmark: pytensor's CUDA backend against torch on the same GPU.

  float32 matmul 4096 x 4096 x 4096, in TFLOP/s (TF32 off in torch too: pytensor computes in
  full float32, so torch must as well for a fair ratio); target >= 0.8x torch.
  elementwise add of 2**26 float32, in GB/s counting the 3 arrays moved (2 read, 1 written);
  target >= 80% of torch's bandwidth.

Each number is the median of --repeats timed runs; a run queues --inner ops and ends with a
device synchronize, so launch overhead is amortized the same way for both libraries. The torch
columns are left out when torch (with CUDA) is missing. Run: python bench/gpu.py [--quick].
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Callable, Optional

import numpy as np

MATMUL_N = 4096
ADD_N = 1 << 26
TARGET_MATMUL = 0.8  # pytensor / torch TFLOP/s
TARGET_ADD = 0.8     # pytensor / torch GB/s


def _time(fn: Callable[[], object], sync: Callable[[], None], repeats: int, inner: int) -> float:
    """Median seconds per call of ``fn``."""
    fn()  # warm-up: allocator, cuBLAS handle and kernel selection
    sync()
    times = []
    for _ in range(repeats):
        sync()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        sync()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def _torch() -> Optional[object]:
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    return torch


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    repeats = 3 if args.quick else args.repeats

    import pytensor

    if not pytensor.cuda.is_available():
        print("pytensor.cuda.is_available() is False: no GPU, or pytensor built without CUDA")
        return 1
    torch = _torch()
    print(f"GPU: {pytensor.cuda.get_device_name()}  (torch: "
          f"{torch.__version__ if torch else 'not available, torch columns skipped'})")

    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((MATMUL_N, MATMUL_N), dtype=np.float32)
    b_np = rng.standard_normal((MATMUL_N, MATMUL_N), dtype=np.float32)
    x_np = rng.standard_normal(ADD_N, dtype=np.float32)
    y_np = rng.standard_normal(ADD_N, dtype=np.float32)

    rows = []  # (name, unit, pytensor value, torch value or None, target ratio)
    failures = []

    # ---- matmul ------------------------------------------------------------------------------
    flops = 2.0 * MATMUL_N ** 3
    pa, pb = pytensor.from_numpy(a_np).cuda(), pytensor.from_numpy(b_np).cuda()
    psync = pytensor.cuda.synchronize
    t_pt = _time(lambda: pa @ pb, psync, repeats, 5)
    t_th = None
    if torch is not None:
        ta, tb = torch.from_numpy(a_np).cuda(), torch.from_numpy(b_np).cuda()
        t_th = _time(lambda: ta @ tb, torch.cuda.synchronize, repeats, 5)
        # Same inputs, so the products must agree to float32 accumulation error.
        ref = (ta @ tb).cpu().numpy()
        got = (pa @ pb).cpu().numpy()
        err = float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))
        print(f"matmul max relative difference vs torch: {err:.2e}")
        if not err < 1e-4:
            failures.append(f"matmul result differs from torch (max rel diff {err:.2e})")
    rows.append(("matmul f32 4096^3", "TFLOP/s", flops / t_pt / 1e12,
                 None if t_th is None else flops / t_th / 1e12, TARGET_MATMUL))

    # ---- elementwise add ----------------------------------------------------------------------
    nbytes = 3.0 * 4 * ADD_N
    px, py = pytensor.from_numpy(x_np).cuda(), pytensor.from_numpy(y_np).cuda()
    t_pt = _time(lambda: px + py, psync, repeats, 20)
    got = (px + py).cpu().numpy()
    if not np.array_equal(got, x_np + y_np):
        failures.append("add result differs from numpy")
    t_th = None
    if torch is not None:
        tx, ty = torch.from_numpy(x_np).cuda(), torch.from_numpy(y_np).cuda()
        t_th = _time(lambda: tx + ty, torch.cuda.synchronize, repeats, 20)
    rows.append(("add f32 2^26", "GB/s", nbytes / t_pt / 1e9,
                 None if t_th is None else nbytes / t_th / 1e9, TARGET_ADD))

    # ---- report -------------------------------------------------------------------------------
    print(f"\n{'case':<20} {'unit':<8} {'pytensor':>10} {'torch':>10} {'ratio':>7}  target")
    for name, unit, mine, theirs, target in rows:
        if theirs is None:
            print(f"{name:<20} {unit:<8} {mine:>10.1f} {'-':>10} {'-':>7}  >= {target:.2f}x torch")
            continue
        ratio = mine / theirs
        verdict = "ok" if ratio >= target else "MISSED"
        print(f"{name:<20} {unit:<8} {mine:>10.1f} {theirs:>10.1f} {ratio:>6.2f}x  "
              f">= {target:.2f}x torch: {verdict}")
        if ratio < target and args.strict:
            failures.append(f"{name}: {ratio:.2f}x torch, target {target:.2f}x")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
