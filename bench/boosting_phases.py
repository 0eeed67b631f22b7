"""Where a boosting round's time goes, phase by phase, at 1 and 2 threads, and what that predicts
for more cores (Amdahl's law).

    /usr/bin/python3 bench/boosting_phases.py [--rows 800000] [--rounds 50] [--repeats 3]
        [--lib build/release/libpml/libpml.so] [--out DIR]

Trains pml's boosting (higgs_like, 28 features, depth 6, 255 bins: the sweep's settings) with
verbose=2, which makes libpml time every phase and every parallel loop (core/phase_profile.hpp)
and log the table at the end; each run is a fresh process, and the run with the median total
time of each thread count is reported. Per phase:

- *wall*: the time the calling thread spent in it;
- *1-thread*: the part outside parallel loops, when one thread works and the others wait;
- *waiting*: thread-seconds the threads spent idle in the phase (1-thread work and imbalance or
  waking inside loops).

Two serial fractions, each projected to n threads by Amdahl's law, 1 / (s + (1 - s) / n):

- s, measured: the 2-thread run's 1-thread time (work outside parallel loops) over the 1-thread
  run's total. It leaves out what the loops lose (imbalance, waking, memory bandwidth), so its
  projection is an upper bound.
- e, the Karp-Flatt metric: the serial fraction that explains the measured 2-thread speed-up psi
  exactly, e = 2 / psi - 1. It counts every loss, so its projection is the pessimistic one (losses
  that grow with the thread count, such as bandwidth, are not in either).
"""

import argparse
import ctypes
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import boosting_sweep  # noqa: E402
import datasets  # noqa: E402

WORKER = r"""
import ctypes, json, sys, time
import numpy as np
args = json.loads(sys.argv[1])
sys.path.insert(0, args["bench"])
import pml_ctypes
lib = pml_ctypes.PmlLibrary(args["lib"])
messages = []
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)
handler = LOG_FN(lambda user, level, message: messages.append(message.decode()))
lib._lib.pml_set_log_handler.argtypes = [LOG_FN, ctypes.c_void_p]
lib._lib.pml_set_log_handler(handler, None)
X = np.ascontiguousarray(np.load(args["x"], mmap_mode="r")[: args["rows"]], dtype=np.float32)
y = np.load(args["y"])[: args["rows"]]
d = lib.dataset(X, y)
params = {"n_rounds": args["rounds"], "max_depth": 6, "learning_rate": 0.1, "max_bins": 255,
          "n_jobs": args["threads"], "seed": 42, "task": args["task"], "verbose": 2}
t0 = time.perf_counter()
lib.train("boosting", params, d)
elapsed = time.perf_counter() - t0
profile = "\n".join(m.split("): ", 1)[1] for m in messages if ": profile at " in m)
print(json.dumps({"seconds": elapsed, "profile": profile}))
"""


def parse_profile(text):
    """{phase: {wall, in_loops, busy, serial, waiting, loops}} from the logged table."""
    lines = text.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("phase"))
    phases = {}
    for line in lines[header + 1:]:
        *name, wall, in_loops, busy, serial, waiting, loops = line.split()
        phases[" ".join(name)] = {"wall": float(wall), "in_loops": float(in_loops),
                                  "busy": float(busy), "serial": float(serial),
                                  "waiting": float(waiting), "loops": int(loops)}
    return phases


def run(spec):
    out = subprocess.run(["/usr/bin/python3", "-c", WORKER, json.dumps(spec)], check=True,
                         capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["phases"] = parse_profile(result["profile"])
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=800000)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--lib", default=os.path.join(datasets.REPO, "build/release/libpml/libpml.so"))
    ap.add_argument("--dataset", default="higgs_like",
                    help="higgs_like (the sweep's rows) or regression_500k (bench/run's set)")
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.dataset == "regression_500k":
        meta = datasets.prepare("regression_500k", False)
        data = {"x": os.path.join(meta["dir"], "X_train.npy"),
                "y": os.path.join(meta["dir"], "y_train.npy"), "task": "regression"}
    else:
        data = boosting_sweep.sweep_data(max(a.rows, 1600000))
        data["task"] = "classification"
    runs = {1: [], 2: []}
    for rep in range(a.repeats):
        for threads in ((1, 2) if rep % 2 == 0 else (2, 1)):
            spec = {"threads": threads, "rows": a.rows, "rounds": a.rounds, "x": data["x"],
                    "y": data["y"], "task": data["task"], "lib": a.lib, "bench": HERE}
            runs[threads].append(run(spec))
    median = {}
    for threads, rs in runs.items():
        rs.sort(key=lambda r: r["seconds"])
        median[threads] = rs[len(rs) // 2]
    one, two = median[1], median[2]
    total1 = sum(p["wall"] for p in one["phases"].values())
    total2 = sum(p["wall"] for p in two["phases"].values())
    serial2 = sum(p["serial"] for p in two["phases"].values())
    s = serial2 / total1
    e = 2 * total2 / total1 - 1
    lines = [f"# Boosting, phase by phase: {a.rows:,} rows of {a.dataset}, {a.rounds} rounds of depth 6",
             "",
             f"`bench/boosting_phases.py --dataset {a.dataset} --rows {a.rows} --rounds {a.rounds} "
             f"--repeats {a.repeats}`"
             f"; the run with the median time of {a.repeats} at each thread count. Seconds; "
             "*1-thread part*: outside parallel loops (one thread works, the others wait); "
             "*waiting*: thread-seconds idle during the phase.",
             "",
             "| phase | wall, 1 thread | wall, 2 threads | 1-thread part | waiting (thread-s) | "
             "speed-up |",
             "|---|---:|---:|---:|---:|---:|"]
    names = list(one["phases"])
    for name in two["phases"]:
        if name not in names:
            names.append(name)
    for name in names:
        p1 = one["phases"].get(name, {"wall": 0})
        p2 = two["phases"].get(name, {"wall": 0, "serial": 0, "waiting": 0})
        if p1["wall"] < 0.0005 and p2["wall"] < 0.0005:
            continue
        speedup = f"{p1['wall'] / p2['wall']:.2f}x" if p2["wall"] > 0.001 else ""
        lines.append(f"| {name} | {p1['wall']:.3f} | {p2['wall']:.3f} | {p2['serial']:.3f} | "
                     f"{p2['waiting']:.3f} | {speedup} |")
    lines.append(f"| **total** | **{total1:.3f}** | **{total2:.3f}** | **{serial2:.3f}** | "
                 f"**{sum(p['waiting'] for p in two['phases'].values()):.3f}** | "
                 f"**{total1 / total2:.2f}x** |")
    lines += ["",
              f"Serial fractions: measured s = {serial2:.3f} / {total1:.3f} = {s:.4f}; "
              f"Karp-Flatt e = 2 / {total1 / total2:.3f} - 1 = {e:.4f}. Amdahl's projection of "
              "the speed-up, 1 / (f + (1 - f) / n):",
              "",
              "| serial fraction | 2 threads | 8 | 16 | 64 |",
              "|---|---:|---:|---:|---:|"]
    for label, f in ((f"s = {s:.4f} (upper bound)", s), (f"e = {e:.4f} (from the measured speed-up)", e)):
        lines.append(f"| {label} | " + " | ".join(f"{1 / (f + (1 - f) / n):.2f}x"
                                                 for n in (2, 8, 16, 64)) + " |")
    lines += ["", f"Training calls: {one['seconds']:.2f} s at 1 thread, {two['seconds']:.2f} s at 2."]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "README.md"), "w") as f:
            f.write(text)
        with open(os.path.join(a.out, "runs.json"), "w") as f:
            json.dump(runs, f, indent=1)


if __name__ == "__main__":
    main()
