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

The serial fraction s is the 1-thread time of the 1-thread run over its total; Amdahl's law then
bounds the speed-up on n threads by 1 / (s + (1 - s) / n). The measured 2-thread speed-up shows
how far below that bound the parallel parts themselves stay (memory bandwidth, imbalance).
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
          "n_jobs": args["threads"], "seed": 42, "task": "classification", "verbose": 2}
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
    ap.add_argument("--out")
    a = ap.parse_args()
    data = boosting_sweep.sweep_data(max(a.rows, 1600000))
    runs = {1: [], 2: []}
    for rep in range(a.repeats):
        for threads in ((1, 2) if rep % 2 == 0 else (2, 1)):
            spec = {"threads": threads, "rows": a.rows, "rounds": a.rounds, "x": data["x"],
                    "y": data["y"], "lib": a.lib, "bench": HERE}
            runs[threads].append(run(spec))
    median = {}
    for threads, rs in runs.items():
        rs.sort(key=lambda r: r["seconds"])
        median[threads] = rs[len(rs) // 2]
    one, two = median[1], median[2]
    total1 = sum(p["wall"] for p in one["phases"].values())
    total2 = sum(p["wall"] for p in two["phases"].values())
    serial1 = sum(p["serial"] for p in one["phases"].values())
    s = serial1 / total1
    lines = [f"# Boosting, phase by phase: {a.rows:,} x 28 (higgs_like), {a.rounds} rounds of depth 6",
             "",
             f"`bench/boosting_phases.py --rows {a.rows} --rounds {a.rounds} --repeats {a.repeats}`"
             f"; the run with the median time of {a.repeats} at each thread count. Seconds; "
             "*1-thread*: outside parallel loops (one thread works, the others wait); *waiting*: "
             "thread-seconds idle during the phase.",
             "",
             "| phase | wall, 1 thread | 1-thread part | wall, 2 threads | 1-thread part | "
             "waiting (thread-s) | speed-up |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    names = list(one["phases"])
    for name in two["phases"]:
        if name not in names:
            names.append(name)
    for name in names:
        p1 = one["phases"].get(name, {"wall": 0, "serial": 0})
        p2 = two["phases"].get(name, {"wall": 0, "serial": 0, "waiting": 0})
        speedup = f"{p1['wall'] / p2['wall']:.2f}x" if p2["wall"] > 0.001 else ""
        lines.append(f"| {name} | {p1['wall']:.3f} | {p1['serial']:.3f} | {p2['wall']:.3f} | "
                     f"{p2['serial']:.3f} | {p2['waiting']:.3f} | {speedup} |")
    lines.append(f"| **total** | **{total1:.3f}** | **{serial1:.3f}** | **{total2:.3f}** | "
                 f"**{sum(p['serial'] for p in two['phases'].values()):.3f}** | "
                 f"**{sum(p['waiting'] for p in two['phases'].values()):.3f}** | "
                 f"**{total1 / total2:.2f}x** |")
    lines += ["",
              f"Serial fraction at 1 thread: s = {serial1:.3f} / {total1:.3f} = {s:.4f}. "
              "Amdahl's bound on the speed-up, 1 / (s + (1 - s) / n):",
              "",
              "| threads | 2 | 8 | 16 | 64 |",
              "|---|---:|---:|---:|---:|",
              "| bound | " + " | ".join(f"{1 / (s + (1 - s) / n):.2f}x" for n in (2, 8, 16, 64)) +
              " |",
              "",
              f"Measured at 2 threads: {total1 / total2:.2f}x (training calls: "
              f"{one['seconds']:.2f} s and {two['seconds']:.2f} s)."]
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
