"""What the Python binding adds to pml's own time and memory (issue 6's targets: under 5% more
time for fit and predict on a 1M x 28 float32 array, and no copy of it).

Every measurement is one fresh process (so each has its own memory high-water mark) that makes
the data, then fits and predicts once through one of three paths, with identical parameters:

  c        libpml's C functions called directly through ctypes (bench/pml_ctypes.py): one foreign
           call per dataset, train and predict: the C time;
  python   the binding's thin layer: pml.Dataset, pml.train, Model.predict;
  sklearn  the binding's scikit-learn estimator (RandomForestClassifier or
           GradientBoostingClassifier): scikit-learn's input validation, label encoding, then
           the same training.

All three train byte-identical models (checked: the model's SHA-256). Reported per path: fit
and predict wall seconds (medians over the repeats, the paths interleaved), and the peak
resident memory above what was in use before fit / predict (Linux VmHWM, reset per phase), next
to the float32 matrix's own size. A separate untraced-time run per path counts the bytes numpy
allocated during fit and predict (tracemalloc): a copy of the matrix would show there as 112 MB
or more.

    /usr/bin/python3 bench/python_overhead.py --build-dir build/release --out DIR
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "workers"))

ALGORITHMS = {
    # estimator class, its settings; the c and python paths get the estimator's pml parameters.
    "forest": ("RandomForestClassifier", {"n_estimators": 20}),
    "boosting": ("GradientBoostingClassifier", {"n_estimators": 100, "max_depth": 6}),
}
PATHS = ["c", "python", "sklearn"]


def make_data(rows, cols, seed=20261125):
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, cols), dtype=np.float32)
    score = X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + 0.5 * X[:, 3] - 0.3 * np.abs(X[:, 4])
    score += 0.5 * rng.standard_normal(rows).astype(np.float32)
    y = (score > np.median(score)).astype(np.float64)
    return X, y


def estimator(args, algorithm):
    import pml

    name, settings = ALGORITHMS[algorithm]
    return getattr(pml, name)(n_jobs=args.threads, random_state=args.seed, **settings)


def child(args):
    """One measurement; prints a JSON line."""
    sys.path.insert(0, os.path.join(args.build_dir, "bindings", "python"))
    from memory_probe import PhaseMeter

    import numpy as np

    X, y = make_data(args.rows, args.cols)
    path, algorithm = args.child
    est = estimator(args, algorithm)
    params = est._pml_params(len(X))
    trace = args.trace
    if trace:
        import tracemalloc

    if path == "c":
        import pml_ctypes

        lib = pml_ctypes.PmlLibrary(os.path.join(args.build_dir, "libpml", "libpml.so"))

        def fit():
            with lib.dataset_from_dense(X, y) as d:
                return lib.train(est._algorithm, params, d)

        def predict(model):
            return model.predict(X)

        def model_bytes(model):
            return model.save_buffer()
    elif path == "python":
        import pml

        def fit():
            with pml.Dataset(X, label=y) as d:
                return pml.train(est._algorithm, params, d)

        def predict(model):
            return model.predict(X)

        def model_bytes(model):
            return model.to_bytes()
    else:
        import pml
        import sklearn  # noqa: F401 -- imported before timing, as a user's program would

        def fit():
            return est.fit(X, y)

        def predict(fitted):
            return fitted.predict(X)

        def model_bytes(fitted):
            return fitted.pml_model_.to_bytes()

    # The time spent inside pml_train / pml_model_predict themselves, measured around the
    # calls in this same process: fit_s - train_call_s is exactly what the path adds to the C
    # work, free of the run-to-run noise of the training itself.
    inner = {"pml_train": 0.0, "pml_model_predict": 0.0}

    def timed(name, fn):
        def wrapper(*a):
            t0 = time.perf_counter()
            try:
                return fn(*a)
            finally:
                inner[name] += time.perf_counter() - t0
        return wrapper

    if path == "c":
        call = lib.call
        lib.call = lambda name, *a: (timed(name, call)(name, *a) if name in inner
                                     else call(name, *a))
    else:
        for name in inner:
            setattr(pml.capi, name, timed(name, getattr(pml.capi, name)))

    meter = PhaseMeter()
    result = {"path": path, "algorithm": algorithm, "matrix_mb": X.nbytes / 2**20}
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    model = meter.run("fit", fit)
    if trace:
        result["numpy_fit_mb"] = (tracemalloc.get_traced_memory()[1] - base) / 2**20
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    pred = meter.run("predict", lambda: predict(model))
    if trace:
        result["numpy_predict_mb"] = (tracemalloc.get_traced_memory()[1] - base) / 2**20
        tracemalloc.stop()
    m = meter.finish()
    result.update({
        "fit_s": m["fit_s"], "predict_s": m["predict_s"],
        "train_call_s": inner["pml_train"], "predict_call_s": inner["pml_model_predict"],
        "fit_added_s": m["fit_s"] - inner["pml_train"],
        "predict_added_s": m["predict_s"] - inner["pml_model_predict"],
        "fit_plus_mb": m["peak_fit_mb"] - m["rss_before_fit_mb"],
        "predict_plus_mb": m["peak_predict_mb"] - m["rss_before_predict_mb"],
        "hwm_reset": m["hwm_reset"],
        "model_sha256": hashlib.sha256(model_bytes(model)).hexdigest(),
        "accuracy": float(np.mean(np.asarray(pred, dtype=np.float64) == y)),
        "params": {k: str(v) for k, v in params.items()},
    })
    print(json.dumps(result))


def run_child(args, path, algorithm, trace=False):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", path, algorithm,
           "--build-dir", args.build_dir, "--rows", str(args.rows), "--cols", str(args.cols),
           "--threads", str(args.threads), "--seed", str(args.seed)]
    if trace:
        cmd.append("--trace")
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(runs, traced, args):
    lines = [
        f"# Python binding overhead ({args.rows:,} x {args.cols} float32, {args.threads} "
        f"threads, {args.repeats} repeats, medians)", "",
        "| algorithm | path | fit s | predict s | fit vs C | predict vs C | added to fit | "
        "added to predict | fit +MB | predict +MB | numpy MB in fit | numpy MB in predict | "
        "model = C's |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    summary = {}
    for algorithm in ALGORITHMS:
        med = {}
        for path in PATHS:
            rs = [r for r in runs if r["algorithm"] == algorithm and r["path"] == path]
            med[path] = {k: statistics.median(r[k] for r in rs)
                         for k in ("fit_s", "predict_s", "fit_plus_mb", "predict_plus_mb",
                                   "train_call_s", "predict_call_s", "fit_added_s",
                                   "predict_added_s")}
            # What the path adds, as a share of the C call it wraps (each repeat on its own).
            med[path]["fit_added"] = statistics.median(r["fit_added_s"] / r["train_call_s"]
                                                       for r in rs)
            med[path]["predict_added"] = statistics.median(
                r["predict_added_s"] / r["predict_call_s"] for r in rs)
            med[path]["sha"] = {r["model_sha256"] for r in rs}
        c_sha = med["c"]["sha"]
        for path in PATHS:
            m = med[path]
            t = next(r for r in traced if r["algorithm"] == algorithm and r["path"] == path)
            fit_ratio = m["fit_s"] / med["c"]["fit_s"] - 1
            pred_ratio = m["predict_s"] / med["c"]["predict_s"] - 1
            summary[f"{algorithm}/{path}"] = {**{k: v for k, v in m.items() if k != "sha"},
                                              "fit_vs_c": fit_ratio, "predict_vs_c": pred_ratio}
            same = "yes" if m["sha"] == c_sha and len(c_sha) == 1 else "NO"
            lines.append(
                f"| {algorithm} | {path} | {m['fit_s']:.3f} | {m['predict_s']:.3f} | "
                f"{'' if path == 'c' else f'{fit_ratio:+.1%}'} | "
                f"{'' if path == 'c' else f'{pred_ratio:+.1%}'} | "
                f"{m['fit_added_s'] * 1000:.1f} ms ({m['fit_added']:.2%}) | "
                f"{m['predict_added_s'] * 1000:.1f} ms ({m['predict_added']:.2%}) | "
                f"{m['fit_plus_mb']:.0f} | "
                f"{m['predict_plus_mb']:.0f} | "
                f"{t.get('numpy_fit_mb', float('nan')):.1f} | "
                f"{t.get('numpy_predict_mb', float('nan')):.1f} | {same} |")
    lines += ["", "*fit/predict vs C*: median time of the path over the C path's, across "
              "processes (includes the machine's run-to-run noise). *added to fit/predict*: "
              "the path's wall time minus the time inside the pml_train / pml_model_predict call "
              "it makes, in the same process (median; in brackets as a share of that call).",
              "", f"The float32 matrix is {runs[0]['matrix_mb']:.0f} MB; a copy of it in fit or "
              "predict would add that much (twice that as float64)."]
    return "\n".join(lines), summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build", "release"),
                    help="a build with -DPML_BUILD_PYTHON=ON")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--cols", type=int, default=28)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=None, help="directory for results.json and report.md")
    ap.add_argument("--child", nargs=2, metavar=("PATH", "ALGORITHM"), help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)
    if args.child:
        return child(args)

    runs, traced = [], []
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    for repeat in range(args.repeats):
        for algorithm in ALGORITHMS:
            for path in PATHS:
                r = run_child(args, path, algorithm)
                runs.append(r)
                print(f"[{repeat + 1}/{args.repeats}] {algorithm:8} {path:7} fit {r['fit_s']:.3f} s "
                      f"(+{r['fit_added_s'] * 1000:.0f} ms) predict {r['predict_s']:.3f} s "
                      f"(+{r['predict_added_s'] * 1000:.0f} ms)  fit +{r['fit_plus_mb']:.0f} MB  "
                      f"accuracy {r['accuracy']:.4f}", flush=True)
    for algorithm in ALGORITHMS:
        for path in PATHS:
            if path != "c":
                traced.append(run_child(args, path, algorithm, trace=True))
        traced.append({"algorithm": algorithm, "path": "c"})
    text, summary = report(runs, traced, args)
    print()
    print(text)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump({"started": started, "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
                       "command": " ".join(sys.argv), "load_avg": os.getloadavg(),
                       "runs": runs, "traced": traced, "summary": summary}, f, indent=1)
        with open(os.path.join(args.out, "table.md"), "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
