#!/usr/bin/env python3
"""Side-by-side benchmarks: the same cases on pytensor, numpy and torch (when installed), in one
process, interleaved, several repetitions each; prints a table of medians and the ratio
pytensor time / peer time (below 1: pytensor is faster).

    python bench/run.py                       # everything
    python bench/run.py --filter matmul       # cases whose name contains "matmul"
    python bench/run.py --json out.json       # also write every measurement as JSON
    python bench/run.py --reps 15 --threads 1 # more repetitions, one thread everywhere

Cases live in ``bench/cases_*.py`` (see ``registry.py`` to add one). The header records what the
numbers depend on: CPU, thread counts, the BLAS each library loaded and the kernel it picked,
and OPENBLAS_* variables (reported, never changed).

NOTE: each library keeps its own thread pools (two OpenBLAS copies, OpenMP, MKL), and idle
OpenBLAS workers spin for ~0.1 s after a call; on a machine with few cores they steal the next
library's CPU time. Hence ``--pause`` before every measurement. Multi-threaded BLAS timings are
also meaningless while other processes load the cores (a 256x256 product then takes tens of ms
in every library); compare with ``--threads 1``, or run the harness at a raised priority.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from registry import CASES, Case, Lib, Skip  # noqa: E402

ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT",
            "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "MKL_NUM_THREADS", "OPENBLAS_VERBOSE")
LIB_ORDER = ("pytensor", "numpy", "torch")


def load_libs(names: List[str]) -> List[Lib]:
    libs = []
    for name in names:
        try:
            libs.append(Lib(name, importlib.import_module(name)))
        except ImportError as e:
            print(f"# {name}: not installed ({e}); skipped", file=sys.stderr)
    return libs


def load_cases() -> None:
    for path in sorted(HERE.glob("cases_*.py")):
        importlib.import_module(path.stem)


# ---- the header ---------------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version_of(name: str, mod: Any) -> str:
    v = getattr(mod, "__version__", None)
    if v is None:
        try:
            from importlib.metadata import version

            v = version(name)
        except Exception:
            v = "?"
    return str(v)


def header(libs: List[Lib]) -> Dict[str, Any]:
    mods = {lib.name: lib.mod for lib in libs}
    info: Dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "env": {v: os.environ.get(v) for v in ENV_VARS},
        "versions": {name: version_of(name, m) for name, m in mods.items()},
    }
    if "pytensor" in mods:
        pt = mods["pytensor"]
        info["pytensor_threads"] = pt.get_num_threads()
        blas = getattr(pt._C, "_blas_info", None)
        if blas is not None:
            info["pytensor_blas"] = blas()
    if "torch" in mods:
        info["torch_threads"] = mods["torch"].get_num_threads()
        info["torch_blas"] = "mkl" if mods["torch"].backends.mkl.is_available() else "other"
    try:
        import threadpoolctl

        info["threadpools"] = [
            {k: p.get(k) for k in ("prefix", "user_api", "internal_api", "version", "architecture",
                                   "num_threads", "threading_layer")}
            | {"file": os.path.basename(p.get("filepath", ""))}
            for p in threadpoolctl.threadpool_info()
        ]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    return info


def print_header(info: Dict[str, Any]) -> None:
    print(f"# cpu: {info['cpu']} ({info['cpu_count']} logical cores); {info['platform']}")
    print("# versions: python " + info["python"] + ", "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    env = ", ".join(f"{k}={v}" for k, v in info["env"].items() if v is not None) or "none set"
    print(f"# OPENBLAS/OMP/MKL environment: {env}")
    if "pytensor_blas" in info:
        b = info["pytensor_blas"]
        pool = "pytensor's OpenMP team" if b.get("shares_threads") else "its own pool"
        print(f"# pytensor: {info['pytensor_threads']} threads; BLAS {b['config']} "
              f"(core {b['corename']}, {b['num_threads']} threads, on {pool})")
    if "torch_threads" in info:
        print(f"# torch: {info['torch_threads']} threads; BLAS {info['torch_blas']}")
    pools = info["threadpools"]
    if isinstance(pools, str):
        print(f"# thread pools: {pools}")
    else:
        for p in pools:
            arch = f", core {p['architecture']}" if p.get("architecture") else ""
            print(f"# thread pool: {p['file']} ({p['internal_api']} {p['version'] or ''}{arch}, "
                  f"{p['num_threads']} threads)")
    print("# ratio = pytensor time / peer time: below 1 means pytensor is faster")


# ---- timing -------------------------------------------------------------------------------------

def calibrate(fn: Callable[[], Any], min_time: float) -> int:
    """Calls per measurement so that one measurement lasts about min_time seconds.

    The per-call time is the fastest of three short runs: a single stall (the first wake-up of a
    thread pool, a page fault) must not shrink every later measurement to one cold call."""
    deadline = time.perf_counter() + min_time / 2
    while time.perf_counter() < deadline:  # warm: thread pools awake, caches and allocator primed
        fn()
    number = 1
    while True:
        best = min(measure(fn, number) for _ in range(3))
        if best * number >= min_time / 10 or number >= 1 << 20:
            return max(1, round(min_time / max(best, 1e-9)))
        number *= 4


def measure(fn: Callable[[], Any], number: int) -> float:
    gc_was = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - t0) / number
    finally:
        if gc_was:
            gc.enable()


def run_case(c: Case, libs: List[Lib], reps: int, min_time: float, pause: float) -> Dict[str, Any]:
    fns: Dict[str, Callable[[], Any]] = {}
    status: Dict[str, str] = {}
    for lib in libs:
        try:
            fn = c.build(lib)
            fn()  # the first call: lazily loaded kernels, allocator warm-up, errors
            fns[lib.name] = fn
        except Skip as e:
            status[lib.name] = f"skip: {e}"
        except Exception as e:  # one library failing must not end the run
            status[lib.name] = f"error: {type(e).__name__}: {e}"
    numbers = {name: calibrate(fn, min_time) for name, fn in fns.items()}
    times: Dict[str, List[float]] = {name: [] for name in fns}
    order = [n for n in LIB_ORDER if n in fns]
    for rep in range(reps):
        # Interleaved, with the starting library rotating, so drift hits every library alike.
        for i in range(len(order)):
            name = order[(rep + i) % len(order)]
            if pause:
                time.sleep(pause)  # lets the previous library's BLAS threads stop spinning
                fns[name]()  # untimed: wakes this library's own threads after the pause
            times[name].append(measure(fns[name], numbers[name]))
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    result: Dict[str, Any] = {
        "case": c.name, "group": c.group, "flops": c.flops, "median_s": medians, "times_s": times,
        "calls_per_measurement": numbers, "status": status,
    }
    if c.flops:
        result["gflops"] = {name: c.flops / t / 1e9 for name, t in medians.items()}
    if "pytensor" in medians:
        result["ratio"] = {name: medians["pytensor"] / t for name, t in medians.items() if name != "pytensor"}
    return result


# ---- the table ----------------------------------------------------------------------------------

def fmt_time(t: float) -> str:
    if t < 1e-6:
        return f"{t * 1e9:.0f} ns"
    if t < 1e-3:
        return f"{t * 1e6:.2f} us"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def cell(r: Dict[str, Any], name: str) -> str:
    if name in r["median_s"]:
        s = fmt_time(r["median_s"][name])
        if "gflops" in r:
            s += f" ({r['gflops'][name]:.1f} GF/s)"
        return s
    st = r["status"].get(name, "")
    return "skip" if st.startswith("skip") else ("ERROR" if st else "-")


def print_table(results: List[Dict[str, Any]], lib_names: List[str]) -> None:
    peers = [n for n in lib_names if n != "pytensor"]
    cols = ["case"] + lib_names + [f"pt/{p}" for p in peers]
    rows = []
    for r in results:
        row = [r["case"]] + [cell(r, n) for n in lib_names]
        for p in peers:
            ratio = r.get("ratio", {}).get(p)
            row.append(f"{ratio:.2f}" if ratio is not None else "")
        rows.append(row)
    widths = [max(len(c), *(len(row[i]) for row in rows)) if rows else len(c) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths)))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
    notes = [(r["case"], n, s) for r in results for n, s in r["status"].items() if not s.startswith("skip")]
    for case_name, lib, msg in notes:
        print(f"# {case_name} / {lib}: {msg}")


def set_threads(libs: List[Lib], n: int) -> None:
    try:
        import threadpoolctl

        threadpoolctl.threadpool_limits(n)  # numpy's BLAS and every other pool it knows
    except ImportError:
        print("# --threads: threadpoolctl missing, numpy's BLAS keeps its own count", file=sys.stderr)
    for lib in libs:
        if lib.name in ("pytensor", "torch"):
            lib.mod.set_num_threads(n)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filter", default="", help="run only cases whose name contains this substring")
    ap.add_argument("--json", metavar="PATH", help="write header and all measurements as JSON")
    ap.add_argument("--reps", type=int, default=7, help="measurements per case and library (median)")
    ap.add_argument("--min-time", type=float, default=0.05, help="seconds per measurement (calls are batched)")
    ap.add_argument("--pause", type=float, default=0.2,
                    help="seconds to sleep before each measurement, so the previous library's idle "
                         "BLAS/OpenMP threads stop spinning (default 0.2; 0 to disable)")
    ap.add_argument("--libs", default=",".join(LIB_ORDER), help="comma-separated libraries to compare")
    ap.add_argument("--threads", type=int, help="set every library's thread count (default: leave as is)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args(argv)

    libs = load_libs([n.strip() for n in args.libs.split(",") if n.strip()])
    load_cases()
    cases = [c for c in CASES if args.filter in c.name]
    if args.list:
        for c in cases:
            print(f"{c.group:12s} {c.name}")
        return 0
    if args.threads:
        set_threads(libs, args.threads)
    info = header(libs)
    print_header(info)
    lib_names = [lib.name for lib in libs]
    results = []
    for c in cases:
        r = run_case(c, libs, args.reps, args.min_time, args.pause)
        results.append(r)
        print(f"# done: {c.name}", file=sys.stderr, flush=True)
    print_table(results, lib_names)
    if args.json:
        Path(args.json).write_text(json.dumps({"header": info, "results": results}, indent=1))
        print(f"# wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
