"""The benchmark runner behind bench/run: prepares datasets, runs every learner and peer in its own
process, repeats, and writes the report (see bench/README.md)."""

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORKERS = os.path.join(HERE, "workers")
PYTHON = "/usr/bin/python3"  # Debian's, with numpy, scikit-learn and matplotlib

sys.path.insert(0, HERE)
import datasets  # noqa: E402
import learners  # noqa: E402
import report  # noqa: E402


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench/run",
        description="Benchmark pml against its peers; writes bench/results/<date>/report.md.")
    ap.add_argument("--quick", action="store_true",
                    help="small datasets (100k / 50k generated rows) for a smoke run")
    ap.add_argument("--datasets", default="",
                    help="comma-separated, from: " + ", ".join(datasets.DATASETS) +
                         " (default: every dataset of the chosen learners; each learner runs "
                         "only on its own: " + "; ".join(
                             f"{n}: {', '.join(x.dataset_names())}"
                             for n, x in learners.LEARNERS.items()) + ")")
    ap.add_argument("--learners", default=",".join(learners.LEARNERS),
                    help="comma-separated, from: " + ", ".join(learners.LEARNERS) +
                         " (default all)")
    ap.add_argument("--peers", default="",
                    help="comma-separated peer names to run (default: all of each learner's): " +
                         ", ".join(sorted({p.name for x in learners.LEARNERS.values()
                                           for p in x.peers})))
    ap.add_argument("--repeats", type=int, default=None,
                    help="runs of each process; medians reported (default 3, 1 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="threads for every learner")
    ap.add_argument("--seed", type=int, default=42, help="learners' seed (datasets have their own)")
    ap.add_argument("--no-subsample", action="store_true",
                    help="train every peer on the full training set (may take hours)")
    ap.add_argument("--no-single-thread", action="store_true",
                    help="skip pml's 1-thread run (no speed-up figure)")
    ap.add_argument("--no-pml", action="store_true", help="run the peers only")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing library instead of running scripts/build first")
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build", "release"))
    ap.add_argument("--api", choices=["ctypes", "python"], default="ctypes",
                    help="how pml's workers call libpml: ctypes, or the Python binding (pml "
                         "package; the build then gets -DPML_BUILD_PYTHON=ON)")
    ap.add_argument("--timeout", type=float, default=3600.0,
                    help="seconds before a worker is killed (its remaining repeats are skipped)")
    ap.add_argument("--wait-idle", type=float, default=120.0,
                    help="before each worker, wait up to this many seconds for other work on the "
                         "machine to stop (0 = do not wait); the busy level is recorded")
    ap.add_argument("--reuse-peers", metavar="RESULTS_JSON", default=None,
                    help="take the peers' measurements from an earlier run's results.json (same "
                         "dataset sizes, threads and subsample) and run only pml: peers do not "
                         "change when pml does")
    ap.add_argument("--out", default=None,
                    help="output directory (default bench/results/<date>[-quick])")
    args = ap.parse_args(argv)
    args.datasets = [d for d in args.datasets.split(",") if d]
    args.learners = [x for x in args.learners.split(",") if x]
    args.peers = [p for p in args.peers.split(",") if p]
    for x in args.learners:
        if x not in learners.LEARNERS:
            ap.error(f"unknown learner {x!r}; known: {', '.join(learners.LEARNERS)}")
    for d in args.datasets:
        if d not in datasets.DATASETS:
            ap.error(f"unknown dataset {d!r}; known: {', '.join(datasets.DATASETS)}")
    # Each learner runs on its own datasets; --datasets picks among them.
    used = [d for d in datasets.DATASETS
            if any(d in learners.LEARNERS[x].dataset_names() for x in args.learners)]
    if not args.datasets:
        args.datasets = used
    for d in args.datasets:
        if d not in used:
            ap.error(f"dataset {d!r} is not one of learners {', '.join(args.learners)}'s; theirs: "
                     f"{', '.join(used)}")
    known_peers = {p.name for x in args.learners for p in learners.LEARNERS[x].peers}
    for p in args.peers:
        if p not in known_peers:
            ap.error(f"unknown peer {p!r} for learners {', '.join(args.learners)}; known: "
                     f"{', '.join(sorted(known_peers))}")
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    if args.repeats < 1 or args.threads < 1:
        ap.error("--repeats and --threads must be >= 1")
    return args


# ---------------------------------------------------------------------------------------------
# pml: build and probe
# ---------------------------------------------------------------------------------------------


def build_pml(args):
    lib = os.path.join(args.build_dir, "libpml", "libpml.so")
    if not args.no_build:
        log(f"building pml: scripts/build {args.build_dir}")
        extra = ["-DPML_BUILD_PYTHON=ON"] if args.api == "python" else []
        r = subprocess.run([os.path.join(REPO, "scripts", "build"), args.build_dir] + extra,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            log(r.stdout[-4000:])
            raise SystemExit("bench: building pml failed (use --no-build to use an existing "
                             "library, or --no-pml to run the peers only)")
    if not os.path.exists(lib):
        raise SystemExit(f"bench: {lib} not found (build pml, or pass --build-dir)")
    return lib


def probe_pml(lib, algorithm):
    """(version, None) if pml trains `algorithm`, else (version or None, reason)."""
    r = subprocess.run([PYTHON, os.path.join(HERE, "pml_ctypes.py"), lib, algorithm],
                       capture_output=True, text=True, timeout=300)
    lines = r.stdout.strip().splitlines()
    version = lines[0] if lines else None
    if r.returncode == 0:
        return version, None
    reason = lines[1] if len(lines) > 1 else (r.stderr.strip().splitlines() or ["crashed"])[-1]
    return version, reason


# ---------------------------------------------------------------------------------------------
# The plan: which processes run for one learner on one dataset
# ---------------------------------------------------------------------------------------------


@dataclass
class RunSpec:
    id: str  # "pml", "pml-1t", "pml@200000", "sklearn", "ranger"
    label: str
    role: str  # "pml" | "pml-1t" | "pml-matched" | "peer"
    threads: int
    max_rows: int = 0  # 0 = the whole training set
    peer: Optional[learners.Peer] = None
    compare_to: str = "pml"  # for peers: the pml run with the same training rows
    peer_names: list = field(default_factory=list)  # pml-matched: the peers it stands in for
    params: dict = field(default_factory=dict)  # the learner's own parameters (threads and
    # seed are passed to the worker separately and added to pml's here by the worker)

    def describe(self):
        return {"id": self.id, "label": self.label, "role": self.role, "threads": self.threads,
                "max_rows": self.max_rows, "peer": self.peer.name if self.peer else None,
                "peer_label": self.peer.label if self.peer else None,
                "compare_to": self.compare_to, "params": self.params}


def plan(learner, meta, args, pml_ok, notes):
    runs = []
    pml_params = learner.pml_params(meta)
    if pml_ok:
        threads = f"{args.threads} thread{'s' if args.threads > 1 else ''}"
        runs.append(RunSpec("pml", f"pml ({threads})", "pml", args.threads, params=pml_params))
        if not args.no_single_thread and args.threads > 1:
            runs.append(RunSpec("pml-1t", "pml (1 thread)", "pml-1t", 1, params=pml_params))
    matched = {}
    for peer in learner.peers:
        if args.peers and peer.name not in args.peers:
            continue
        why_not = peer.requires()
        if why_not:
            notes.append(f"{peer.label} skipped: {why_not}")
            continue
        if peer.note:
            notes.append(peer.note)
        cap = 0 if args.no_subsample else peer.max_train_rows.get(meta["name"], 0)
        if cap >= meta["n_train"]:
            cap = 0
        threads = peer.threads or args.threads  # single-threaded peers: always 1
        spec = RunSpec(peer.name, peer.label, "peer", threads, cap, peer,
                       params=peer.params(meta, threads, args.seed))
        if cap:
            spec.label = f"{peer.label} ({cap // 1000}k-row subsample)"
            spec.compare_to = f"pml@{cap}"
            if pml_ok and cap not in matched:
                matched[cap] = RunSpec(f"pml@{cap}", "", "pml-matched", args.threads, cap,
                                       params=pml_params)
            if pml_ok:
                m = matched[cap]
                m.peer_names.append(peer.name)
                m.label = f"pml ({cap // 1000}k rows, as {' and '.join(m.peer_names)})"
            notes.append(f"{peer.label} trained on the first {cap:,} of the {meta['n_train']:,} "
                         f"training rows (the full set takes too long); pml was also trained on "
                         f"those rows, and the ratios compare the two.")
        runs.append(spec)
    # pml's own runs first, then pml on the peers' subsamples, then the peers.
    return [r for r in runs if r.role != "peer"] + list(matched.values()) + \
        [r for r in runs if r.role == "peer"]


def command(spec, learner, meta, args, lib, out, pred, proba):
    common = ["--data", meta["dir"], "--task", meta["task"], "--threads", str(spec.threads),
              "--seed", str(args.seed), "--max-train-rows", str(spec.max_rows),
              "--out", out, "--pred", pred]
    if proba:  # Python workers only (the R worker writes no probabilities)
        common += ["--proba", proba]
    if spec.peer is None:
        # Every pml algorithm goes through the same worker; only its name and params differ.
        api = ["--api", args.api, "--pypath", os.path.join(args.build_dir, "bindings", "python")]
        return [PYTHON, os.path.join(WORKERS, "pml_worker.py"), "--lib", lib,
                "--algorithm", learner.pml_algorithm(), "--params", json.dumps(spec.params)] + \
            api + common
    peer = spec.peer
    params = spec.params
    if peer.kind == "estimator":
        return [PYTHON, os.path.join(WORKERS, "estimator_worker.py"),
                "--estimator", peer.target[meta["task"]], "--params", json.dumps(params)] + common
    if peer.kind == "rscript":
        kv = [f"data={meta['dir']}", f"task={meta['task']}", f"threads={spec.threads}",
              f"seed={args.seed}", f"max_train_rows={spec.max_rows}", f"n_cols={meta['n_cols']}",
              f"out={out}", f"pred={pred}"]
        kv += [f"param.{k}={'TRUE' if v is True else 'FALSE' if v is False else v}"
               for k, v in params.items()]
        return ["Rscript", "--vanilla", os.path.join(WORKERS, peer.target[meta["task"]])] + kv
    if peer.kind == "libsvm":
        return [PYTHON, os.path.join(WORKERS, "libsvm_worker.py"),
                "--svm-train", peer.target[meta["task"]], "--params", json.dumps(params)] + common
    raise ValueError(f"unknown peer kind {peer.kind}")


def binary_auc(y_true, score):
    """Area under the ROC curve of score for y_true in {0, 1} (ties count one half): the
    Mann-Whitney statistic from average ranks, as sklearn.metrics.roc_auc_score computes it."""
    y_true = np.asarray(y_true, dtype=bool)
    n_pos = int(y_true.sum())
    n_neg = y_true.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    s = np.asarray(score)[order]
    ranks = np.empty(s.size, dtype=np.float64)
    # Average rank (1-based) over each run of tied scores.
    edges = np.flatnonzero(np.diff(s)) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [s.size]))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return float((ranks[y_true].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def score(meta, pred_path, proba_path=None):
    """The test scores of one run: "metric" (accuracy, or R^2 for regression: the figure the
    forest's targets and older records use) and the named scores accuracy / auc (binary, from
    the positive class's probability, if the worker wrote probabilities) or r2 / rmse."""
    y_test = np.load(os.path.join(meta["dir"], "y_test.npy"))
    pred = np.fromfile(pred_path, dtype="<f8")
    if pred.shape != y_test.shape:
        raise RuntimeError(f"worker wrote {pred.size} predictions for {y_test.size} test rows")
    if meta["task"] == "classification":
        acc = float(np.mean(pred == y_test))
        scores = {"metric": acc, "accuracy": acc}
        if proba_path and os.path.exists(proba_path) and meta["n_classes"] == 2:
            p = np.fromfile(proba_path, dtype="<f8")
            if p.size % y_test.size:
                raise RuntimeError(f"worker wrote {p.size} probabilities for {y_test.size} rows")
            p = p.reshape(y_test.size, -1)
            # Columns are the classes in ascending label order, so the last is the positive
            # (larger) label's probability; a single column is taken to be that one.
            scores["auc"] = binary_auc(y_test == np.max(y_test), p[:, -1])
        return scores
    sse = float(np.sum((y_test - pred) ** 2))
    r2 = 1.0 - sse / float(np.sum((y_test - y_test.mean()) ** 2))
    return {"metric": r2, "r2": r2, "rmse": float(np.sqrt(sse / y_test.size))}


def cpu_sample():
    """(total, busy) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(fields[:8])  # guest time is already counted in user
    idle = fields[3] + fields[4]  # idle + iowait
    return total / tick, (total - idle) / tick


def busy_cores(interval=2.0):
    """CPUs' worth of time spent on other work over `interval` seconds; the runner itself is
    asleep meanwhile, so this is what would compete with the next worker."""
    t0, b0 = cpu_sample()
    time.sleep(interval)
    t1, b1 = cpu_sample()
    return (b1 - b0) / max(1e-9, t1 - t0) * os.cpu_count()


def wait_for_idle(max_wait, threshold=0.25):
    """Waits (up to max_wait seconds) until other work uses under `threshold` of a core; returns
    the last measurement."""
    deadline = time.monotonic() + max_wait
    busy = busy_cores()
    announced = False
    while busy > threshold and time.monotonic() < deadline:
        if not announced:
            log(f"  waiting for the machine to be idle (other work uses {busy:.1f} cores)")
            announced = True
        busy = busy_cores(5.0)
    return busy


def execute(spec, learner, meta, args, lib, tmp):
    out = os.path.join(tmp, "result.json")
    pred = os.path.join(tmp, "pred.f64")
    proba = os.path.join(tmp, "proba.f64")
    for path in (out, pred, proba):
        if os.path.exists(path):
            os.remove(path)
    want_proba = learner.proba and meta["task"] == "classification" and \
        (spec.peer is None or spec.peer.kind == "estimator")
    argv = command(spec, learner, meta, args, lib, out, pred, proba if want_proba else None)
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(spec.threads)
    busy = wait_for_idle(args.wait_idle) if args.wait_idle > 0 else busy_cores()
    load = os.getloadavg()[0]
    machine0, children0 = cpu_sample()[1], os.times()
    t0 = time.perf_counter()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=args.timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout:.0f} s", "timeout": True}
    wall = time.perf_counter() - t0
    machine1, children1 = cpu_sample()[1], os.times()
    worker_cpu = (children1.children_user - children0.children_user) + \
        (children1.children_system - children0.children_system)
    # Cores used by anything but the worker while it ran: competition that slows it down.
    others_during = max(0.0, (machine1 - machine0 - worker_cpu) / wall)
    if r.returncode != 0 or not os.path.exists(out):
        tail = (r.stderr.strip() or r.stdout.strip()).splitlines()[-6:]
        return {"error": f"exit status {r.returncode}: " + " | ".join(tail),
                "command": " ".join(shlex.quote(a) for a in argv)}
    with open(out) as f:
        result = json.load(f)
    result.update(score(meta, pred, proba if want_proba else None))
    result["process_wall_s"] = wall
    result["loadavg_before"] = load  # other work on the machine makes a run noisy
    result["busy_cores_before"] = busy
    result["busy_cores_during"] = others_during
    return result


# ---------------------------------------------------------------------------------------------
# Machine and versions
# ---------------------------------------------------------------------------------------------


def machine_info():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_kb / 2**20, "os": os_name,
            "kernel": platform.release(), "loadavg_start": os.getloadavg()}


def runner_versions():
    import matplotlib
    import sklearn
    v = {"python": platform.python_version(), "numpy": np.__version__,
         "scikit-learn": sklearn.__version__, "matplotlib": matplotlib.__version__}
    try:
        r = subprocess.run(["Rscript", "-e", "cat(R.version$major, R.version$minor, sep='.');"
                            "cat(' ');cat(as.character(packageVersion('ranger')))"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode == 0:
            rv, ranger = r.stdout.split()
            v["R"], v["ranger"] = rv, ranger
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return v


# ---------------------------------------------------------------------------------------------


def reusable_peers(reuse, dname, lname, meta, runs, args):
    """{run id: (results, date)} for the peer runs an earlier record measured the same way."""
    if not reuse or reuse["config"]["threads"] != args.threads:
        return {}
    old = reuse["datasets"].get(dname)
    if not old or old["meta"]["n_train"] != meta["n_train"] or lname not in old["learners"]:
        return {}
    lrec = old["learners"][lname]
    old_runs = {r["id"]: r for r in lrec["runs"]}
    found = {}
    for spec in runs:
        o = old_runs.get(spec.id)
        reps = [r for r in lrec["results"].get(spec.id, []) if "error" not in r]
        if spec.role == "peer" and o and o["max_rows"] == spec.max_rows and reps:
            found[spec.id] = (reps, reuse["started"])
    return found


def fmt_result(res):
    if "error" in res:
        return "FAILED: " + res["error"]
    scores = ", ".join(f"{k} {res[k]:.4f}" for k in ("accuracy", "auc", "r2", "rmse")
                       if k in res) or f"metric {res['metric']:.4f}"
    if "n_support_vectors" in res:
        scores += f", {res['n_support_vectors']} SVs"
    if res.get("objective") is not None:
        scores += f", objective {res['objective']:.6g}"
    return (f"fit {res['fit_s']:.2f} s, predict {res['predict_s']:.3f} s, "
            f"{scores}, peak {res['peak_mb']:.0f} MB "
            f"(fit +{res['peak_fit_mb'] - res['rss_before_fit_mb']:.0f} MB)")


def main(argv):
    args = parse_args(argv)
    started = datetime.datetime.now()
    stamp = started.strftime("%Y-%m-%d") + ("-quick" if args.quick else "")
    out_dir = args.out or os.path.join(HERE, "results", stamp)

    lib, pml_version, pml_status = None, None, {}
    if not args.no_pml:
        lib = build_pml(args)
        for name in args.learners:
            pml_version, reason = probe_pml(lib, learners.LEARNERS[name].pml_algorithm())
            pml_status[name] = reason
            if reason:
                log(f"pml cannot train {name!r} yet: {reason} -- running its peers only")

    reuse = None
    if args.reuse_peers:
        with open(args.reuse_peers) as f:
            reuse = json.load(f)
    machine = machine_info()
    if machine["loadavg_start"][0] > 0.5 * machine["nproc"]:
        log(f"warning: load average {machine['loadavg_start'][0]:.2f} on {machine['nproc']} "
            f"CPUs: other work is running, times will be noisy")
    versions = runner_versions()
    if pml_version:
        versions = {"pml": pml_version, **versions}
    record = {
        "started": started.isoformat(timespec="seconds"),
        "command": "bench/run " + " ".join(shlex.quote(a) for a in argv),
        "config": {"quick": args.quick, "repeats": args.repeats, "threads": args.threads,
                   "seed": args.seed, "no_subsample": args.no_subsample,
                   "learners": args.learners, "library": lib},
        "machine": machine,
        "versions": versions,
        "datasets": {},
    }
    with tempfile.TemporaryDirectory(prefix="pml-bench-") as tmp:
        for dname in args.datasets:
            log(f"dataset {dname}: preparing (cached in bench/.cache)")
            meta = datasets.prepare(dname, args.quick)
            entry = {"meta": {k: v for k, v in meta.items() if k != "dir"}, "learners": {}}
            record["datasets"][dname] = entry
            for lname in args.learners:
                learner = learners.LEARNERS[lname]
                if dname not in learner.dataset_names():
                    continue
                notes = []
                pml_ok = lib is not None and not pml_status.get(lname)
                if lib is None:
                    notes.append("pml not run (--no-pml)")
                elif pml_status.get(lname):
                    notes.append(f"pml not run: {pml_status[lname]}")
                runs = plan(learner, meta, args, pml_ok, notes)
                results = {r.id: [] for r in runs}
                failed = set()
                reused = reusable_peers(reuse, dname, lname, meta, runs, args)
                for rid, (reps, when) in reused.items():
                    results[rid] = reps
                    notes.append(f"{rid}: measurements reused from the run of {when} "
                                 f"({len(reps)} repeat{'s' if len(reps) > 1 else ''}); only pml "
                                 f"was run this time.")
                for rep in range(args.repeats):
                    for spec in runs:
                        if spec.id in failed or spec.id in reused:
                            continue
                        res = execute(spec, learner, meta, args, lib, tmp)
                        results[spec.id].append(res)
                        log(f"[{dname}/{lname}] {rep + 1}/{args.repeats} {spec.label}: "
                            f"{fmt_result(res)}"
                            + (f" [other work used {res['busy_cores_during']:.1f} cores]"
                               if res.get("busy_cores_during", 0) > 0.25 else ""))
                        if "error" in res:
                            failed.add(spec.id)
                entry["learners"][lname] = {"runs": [r.describe() for r in runs],
                                            "results": results, "notes": notes}
    record["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    record["machine"]["loadavg_end"] = os.getloadavg()
    for d in record["datasets"].values():  # versions the workers reported (R, ranger, ...)
        for lrec in d["learners"].values():
            for reps in lrec["results"].values():
                for res in reps:
                    for k, v in res.get("versions", {}).items():
                        record["versions"].setdefault(k, v)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(record, f, indent=1)
    summary = report.write(record, out_dir, learners.LEARNERS)
    print(summary)
    where = os.path.join(out_dir, "report.md")
    if args.out:  # a report written elsewhere does not replace the published one
        log(f"report: {where}")
        return
    latest = os.path.join(HERE, "results", "latest-quick.md" if args.quick else "latest.md")
    report.write_latest(out_dir, latest)
    log(f"report: {os.path.relpath(where, REPO)} (also {os.path.relpath(latest, REPO)})")


if __name__ == "__main__":
    main(sys.argv[1:])
