"""Cluster-mode benchmark: pml boosting on the 1M-row set under mpirun, one process against ranks.

Runs bench_mpi_train (this folder) in every configuration, repeats interleaved so a noisy moment
hits every configuration alike, and writes report.md + results.json:

- the issue's target: 2 ranks x 1 thread within 1.3x the time of 1 rank x 2 threads;
- bytes every rank sent per tree, against the histogram bytes the scaling model predicts;
- the model's bytes hashed: identical for the one-process run and every rank count;
- the scaling model (SCALING.md) fitted to this machine and checked against 1..4 ranks.

Usage: bench/mpi/run [--quick] [--repeats 3] [--ranks 1,2,3,4] [--out DIR] [--wait-idle 120]
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import datasets  # noqa: E402  (bench/datasets.py: the same cached data as bench/run)
from runner import wait_for_idle  # noqa: E402

import scaling_model  # noqa: E402  (this folder)

PARAMS = "n_rounds={rounds} max_depth=6 learning_rate=0.1 max_bins=255 growth=depthwise " \
         "seed=42 task=classification"


def mpirun_prefix(ranks):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return ["mpirun", "-np", str(ranks), "--oversubscribe", "--bind-to", "none"], env


def run_one(binary, meta, rounds, ranks, threads, single, wait_idle):
    cmd, env = mpirun_prefix(ranks)
    cmd += [binary, meta["dir"], str(meta["n_train"]), str(meta["n_cols"]), "boosting",
            PARAMS.format(rounds=rounds) + f" n_jobs={threads}"]
    if single:
        cmd.append("--single")
    busy = wait_for_idle(wait_idle) if wait_idle > 0 else None
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    result = json.loads(r.stdout.strip().splitlines()[-1])
    result.update(threads=threads, busy_cores_before=busy)
    return result


def probe(binary):
    """This machine's MPI latency and bandwidth (allreduce of 8 bytes / of a histogram)."""
    cmd, env = mpirun_prefix(2)
    r = subprocess.run(cmd + [binary, "--probe"], capture_output=True, text=True, env=env,
                       timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"probe failed:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100k rows, 20 rounds, 1 repeat")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--ranks", default="1,2,3,4")
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build", "mpi"))
    ap.add_argument("--wait-idle", type=float, default=120.0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    rounds = args.rounds or (20 if args.quick else 200)
    ranks = [int(r) for r in args.ranks.split(",")]
    binary = os.path.join(args.build_dir, "bench", "mpi", "bench_mpi_train")
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} missing: scripts/build {args.build_dir} -DPML_WITH_MPI=ON "
                         "-DPML_BUILD_TESTS=ON")
    meta = datasets.prepare("higgs_like", args.quick)
    date = datetime.date.today().isoformat()
    out = args.out or os.path.join(BENCH, "results", f"{date}-mpi" + ("-quick" if args.quick else ""))
    os.makedirs(out, exist_ok=True)

    # (label, ranks, threads per rank, one-process reference without distributed=mpi)
    configs = [("1 process x 2 threads", 1, 2, True), ("1 process x 1 thread", 1, 1, True)]
    configs += [(f"{p} ranks x 1 thread", p, 1, False) for p in ranks]
    runs = {label: [] for label, *_ in configs}
    for rep in range(repeats):
        for label, p, threads, single in configs:
            print(f"[{rep + 1}/{repeats}] {label}", flush=True)
            runs[label].append(run_one(binary, meta, rounds, p, threads, single, args.wait_idle))
    machine = probe(binary)

    summary = {}
    for label, p, threads, single in configs:
        rs = runs[label]
        summary[label] = {
            "ranks": p, "threads": threads, "single": single,
            "train_seconds_median": statistics.median(r["train_seconds"] for r in rs),
            "bytes_per_tree_max_rank": rs[0]["bytes_max_rank"] / rounds,
            "collectives_per_tree": rs[0]["collectives"] / rounds,
            "peak_rss_mb_max_rank": max(r["peak_rss_mb_max_rank"] for r in rs),
            "model_hashes": sorted({r["model_hash"] for r in rs}),
        }
    hashes = {h for s in summary.values() for h in s["model_hashes"]}
    model = scaling_model.fit(summary, meta, rounds, machine)
    results = {"date": date, "dataset": meta["name"], "n_train": meta["n_train"],
               "n_cols": meta["n_cols"], "rounds": rounds, "repeats": repeats,
               "params": PARAMS.format(rounds=rounds), "machine_probe": machine,
               "summary": summary, "runs": runs, "identical_models": len(hashes) == 1,
               "scaling_model": model}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(report(results))
    print(open(os.path.join(out, "report.md")).read())


def report(res):
    s = res["summary"]
    ref = s["1 process x 2 threads"]["train_seconds_median"]
    lines = [f"# Cluster mode: boosting on {res['dataset']} ({res['n_train']:,} x {res['n_cols']}), "
             f"{res['rounds']} rounds of depth-6 trees, {res['date']}", "",
             f"Medians of {res['repeats']} interleaved repeats on this 2-core machine "
             "(`mpirun --oversubscribe`: 3 and 4 ranks share 2 cores). Parameters: "
             f"`{res['params']}`.", "",
             "| configuration | train s (median) | vs 1 process x 2 threads | bytes sent per tree "
             "(busiest rank) | collectives per tree | peak RSS per rank (MB) |",
             "|---|---|---|---|---|---|"]
    for label, v in s.items():
        lines.append(f"| {label} | {v['train_seconds_median']:.2f} | "
                     f"{v['train_seconds_median'] / ref:.2f}x | "
                     f"{v['bytes_per_tree_max_rank']:,.0f} | {v['collectives_per_tree']:.1f} | "
                     f"{v['peak_rss_mb_max_rank']:.0f} |")
    two = s.get("2 ranks x 1 thread")
    lines += [""]
    if two:
        ratio = two["train_seconds_median"] / ref
        lines.append(f"**Target: 2 ranks x 1 thread within 1.3x of 1 process x 2 threads: "
                     f"{ratio:.2f}x — {'met' if ratio <= 1.3 else 'NOT met'}.**")
    lines.append(f"**Model bytes identical in every configuration: "
                 f"{'yes' if res['identical_models'] else 'NO'}.**")
    lines += [""] + scaling_model.report_lines(res["scaling_model"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
