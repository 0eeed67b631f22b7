"""Boosting training time against XGBoost over a range of sizes, at 1 and 2 threads.

    /usr/bin/python3 bench/boosting_sweep.py [--rows 50000,200000,800000,1600000] [--rounds 50]
        [--repeats 2] [--lib build/release/libpml/libpml.so] [--out FILE.md]

Each size is the higgs_like generator (datasets.py) at that many training rows, 28 features;
50 rounds of depth-6 trees, 255 bins, learning rate 0.1, for pml and XGBoost's hist (max_bin 256)
alike. Every (learner, threads) pair trains `--repeats` times, interleaved, each in a fresh
process so neither learner's thread pool or allocator state reaches the other; the table shows
the best time (the sweep's figures in issue 20 are best-of-2), binning and XGBoost's sketch both
inside the timing. Ratios are pml / XGBoost: below 1 means pml is faster.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import datasets  # noqa: E402

WORKER = r"""
import json, os, sys, time
import numpy as np
args = json.loads(sys.argv[1])
os.environ["OMP_NUM_THREADS"] = str(args["threads"])
X = np.load(args["x"], mmap_mode="r")[: args["rows"]]
X = np.ascontiguousarray(X, dtype=np.float32)
y = np.load(args["y"])[: args["rows"]]
if args["learner"] == "pml":
    sys.path.insert(0, args["bench"])
    import pml_ctypes
    lib = pml_ctypes.PmlLibrary(args["lib"])
    params = {"n_rounds": args["rounds"], "max_depth": 6, "learning_rate": 0.1, "max_bins": 255,
              "n_jobs": args["threads"], "seed": 42, "task": "classification"}
    d = lib.dataset(X, y)
    t0 = time.perf_counter()
    m = lib.train("boosting", params, d)
    elapsed = time.perf_counter() - t0
else:
    import xgboost
    clf = xgboost.XGBClassifier(n_estimators=args["rounds"], max_depth=6, learning_rate=0.1,
                                tree_method="hist", max_bin=256, n_jobs=args["threads"],
                                random_state=42)
    t0 = time.perf_counter()
    clf.fit(X, y)
    elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed}))
"""


def sweep_data(n_train):
    """higgs_like with n_train training rows (the generator's first 80%), cached as .npy."""
    directory = os.path.join(datasets.CACHE_DIR, f"higgs_like-sweep-{n_train}")
    x, y = os.path.join(directory, "X_train.npy"), os.path.join(directory, "y_train.npy")
    if not os.path.exists(y):
        os.makedirs(directory, exist_ok=True)
        X_train, y_train, _, _ = datasets._gen_higgs_like(int(round(n_train / 0.8)))
        np.save(x, np.ascontiguousarray(X_train[:n_train], dtype=np.float32))
        np.save(y, y_train[:n_train].astype(np.float64))
    return {"x": x, "y": y}


def run_worker(spec):
    out = subprocess.run(["/usr/bin/python3", "-c", WORKER, json.dumps(spec)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="50000,200000,800000,1600000")
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--lib", default=os.path.join(datasets.REPO, "build/release/libpml/libpml.so"))
    ap.add_argument("--learners", default="pml,xgboost")
    ap.add_argument("--out")
    a = ap.parse_args()
    rows = [int(r) for r in a.rows.split(",")]
    threads = [int(t) for t in a.threads.split(",")]
    learners = a.learners.split(",")
    # The largest size's training rows hold every smaller one as a prefix (rows in random order).
    d = sweep_data(max(rows))
    header = ["rows"] + [f"{l} {t}t s" for l in learners for t in threads]
    if len(learners) == 2:
        header += [f"pml / XGBoost, {t} thread{'s' if t > 1 else ''}" for t in threads]
        header += ["pml speed-up", "XGBoost speed-up"]
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for n in rows:
        best = {}
        for rep in range(a.repeats):
            for learner in (learners if rep % 2 == 0 else learners[::-1]):
                for t in threads:
                    spec = {"learner": learner, "threads": t, "rows": n, "rounds": a.rounds,
                            "x": d["x"], "y": d["y"], "lib": a.lib, "bench": HERE}
                    s = run_worker(spec)
                    best[(learner, t)] = min(best.get((learner, t), float("inf")), s)
        cells = [f"{best[(l, t)]:.2f}" for l in learners for t in threads]
        if len(learners) == 2:
            cells += [f"{best[('pml', t)] / best[('xgboost', t)]:.2f}x" for t in threads]
            cells += [f"{best[(l, threads[0])] / best[(l, threads[-1])]:.2f}x" for l in learners]
        line = f"| {n:,} | " + " | ".join(cells) + " |"
        lines.append(line)
        print(line, flush=True)
    text = "\n".join(lines) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
