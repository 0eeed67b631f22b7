"""Worker: libsvm's command-line tools (svm-train, svm-predict; Debian's libsvm-tools), one train
+ predict, for the svm learner.

Before anything is timed, the training rows (the first --max-train-rows, as every worker) and the
test rows are written as LIBSVM text files into a temporary directory, each value as the shortest
decimal that reads back as exactly the float32 every other learner gets (zeros left out, as the
format's sparse rows have them). Then svm-train and svm-predict are each run as a whole process
and timed by their wall clock (so process start, parsing the text and writing the model file are
included: libsvm has no other interface from outside C). The process's own CPU time and peak
resident memory come from wait4's rusage (ru_maxrss: the process alone, without this Python).

--params are svm-train's options as a JSON object, {"-s": 0, "-t": 2, "-c": 10, "-g": 0.5, ...};
the svm-train program is --svm-train (svm-predict is found next to it or on PATH).

Besides the common fields (worker_common), the result has n_support_vectors (the model file's
total_sv: each training row that is a support vector of any one-vs-one machine, once), objective
(the sum over the machines of the dual objective values svm-train prints as "obj = ..."),
n_machines and iterations (summed "#iter")."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker_common  # noqa: E402


def write_libsvm(path, X, y):
    """LIBSVM text: `label index:value ...` with 1-based indices, zeros omitted. repr of the
    float64 that equals the float32 value reads back (strtod) as exactly that value."""
    X64 = np.asarray(X, dtype=np.float64)
    with open(path, "w") as f:
        for label, row in zip(np.asarray(y, dtype=np.float64).tolist(), X64.tolist()):
            feats = " ".join(f"{j}:{v!r}" for j, v in enumerate(row, 1) if v != 0.0)
            f.write(f"{label!r} {feats}\n" if feats else f"{label!r}\n")


def run_timed(argv, stdout_path):
    """Runs argv to completion with stdout to a file; returns (wall s, cpu s, peak MB, status)."""
    with open(stdout_path, "w") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux); stderr is small (usage
        # or error messages) and read after the process ended.
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    if p.returncode != 0:
        raise RuntimeError(f"{os.path.basename(argv[0])} exited with {p.returncode}: "
                           f"{err.strip()[-500:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def parse_train_output(text):
    """(sum of "obj = " values, number of machines, sum of #iter, warnings) from svm-train."""
    objs = [float(m) for m in re.findall(r"^obj = (\S+?),", text, re.M)]
    iters = [int(m) for m in re.findall(r"#iter = (\d+)", text)]
    warnings = sorted(set(re.findall(r"^WARNING: .*$", text, re.M)))
    return (sum(objs) if objs else None), len(objs), sum(iters), warnings


def model_total_sv(path):
    with open(path) as f:
        for line in f:
            if line.startswith("total_sv "):
                return int(line.split()[1])
            if line.startswith("SV"):
                break
    raise RuntimeError(f"no total_sv in {path}")


def libsvm_version():
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libsvm-tools"],
                           capture_output=True, text=True, timeout=30)
        if r.returncode == 0 and r.stdout.strip():
            return r.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


def main():
    args = worker_common.parse_args(lambda ap: ap.add_argument("--svm-train", required=True))
    train_bin = shutil.which(args.svm_train) or args.svm_train
    predict_bin = os.path.join(os.path.dirname(train_bin), "svm-predict")
    if not os.access(predict_bin, os.X_OK):
        predict_bin = shutil.which("svm-predict") or "svm-predict"
    options = [str(a) for k, v in args.params.items() for a in (k, v)]
    X_train, y_train, X_test = worker_common.load(args)
    y_test = np.load(os.path.join(args.data, "y_test.npy"))  # svm-predict wants labels; unused

    with tempfile.TemporaryDirectory(prefix="pml-bench-libsvm-") as tmp:
        train_path, test_path = os.path.join(tmp, "train.libsvm"), os.path.join(tmp, "test.libsvm")
        model_path, pred_path = os.path.join(tmp, "model"), os.path.join(tmp, "pred")
        t0 = time.perf_counter()
        write_libsvm(train_path, X_train, y_train)
        write_libsvm(test_path, X_test, y_test)
        write_s = time.perf_counter() - t0

        fit_s, fit_cpu, fit_peak = run_timed(
            [train_bin] + options + [train_path, model_path], os.path.join(tmp, "train.out"))
        predict_s, predict_cpu, predict_peak = run_timed(
            [predict_bin, test_path, model_path, pred_path], os.path.join(tmp, "predict.out"))

        with open(os.path.join(tmp, "train.out")) as f:
            objective, n_machines, iterations, warnings = parse_train_output(f.read())
        n_sv = model_total_sv(model_path)
        pred = np.loadtxt(pred_path, dtype=np.float64, ndmin=1)
        model_mb = os.path.getsize(model_path) / 2**20

    if pred.shape[0] != X_test.shape[0]:
        raise RuntimeError(f"svm-predict wrote {pred.shape[0]} predictions for "
                           f"{X_test.shape[0]} rows")
    result = {
        "fit_s": fit_s, "fit_cpu_s": fit_cpu, "predict_s": predict_s,
        "predict_cpu_s": predict_cpu,
        # The svm-train process's own peak; nothing of it existed before (so train +MB = peak).
        "rss_before_fit_mb": 0.0, "peak_fit_mb": fit_peak,
        "rss_before_predict_mb": 0.0, "peak_predict_mb": predict_peak,
        "peak_mb": max(fit_peak, predict_peak), "hwm_reset": True,
        "write_libsvm_s": write_s, "model_mb": model_mb,
        "n_train": int(X_train.shape[0]), "n_support_vectors": n_sv, "objective": objective,
        "n_machines": n_machines, "iterations": iterations,
        "versions": {"libsvm": libsvm_version()},
    }
    if warnings:
        result["warnings"] = warnings
    np.asarray(pred, dtype="<f8").tofile(args.pred)
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
