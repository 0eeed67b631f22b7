"""Turns the runner's record (results.json) into report.md, PNG figures and the target check.

Usable on its own to re-render a saved run:  /usr/bin/python3 bench/report.py bench/results/<dir>
"""

import json
import os
import re
import statistics
import sys

MB = 2**20
BUSY = 0.5  # cores of other work during a run above which its times are flagged (‡)


# ---------------------------------------------------------------------------------------------
# Medians
# ---------------------------------------------------------------------------------------------


def summarize(reps):
    """Median of each measure over the successful repeats; None if none succeeded."""
    ok = [r for r in reps if "error" not in r]
    if not ok:
        return None
    s = {"n": len(ok), "n_failed": len(reps) - len(ok)}
    for key in ("fit_s", "predict_s", "peak_mb", "metric", "model_mb",
                "accuracy", "auc", "r2", "rmse", "n_support_vectors", "objective", "passes"):
        values = [r[key] for r in ok if r.get(key) is not None]
        if values:
            s[key] = statistics.median(values)
    cores = [r["fit_cpu_s"] / r["fit_s"] for r in ok if "fit_cpu_s" in r and r["fit_s"] > 0]
    s["fit_cores"] = statistics.median(cores) if cores else None
    s["fit_extra_mb"] = statistics.median(r["peak_fit_mb"] - r["rss_before_fit_mb"] for r in ok)
    s["fit_min"] = min(r["fit_s"] for r in ok)
    s["fit_max"] = max(r["fit_s"] for r in ok)
    busy = [r["busy_cores_during"] for r in ok if "busy_cores_during" in r]
    s["others_cores"] = statistics.median(busy) if busy else None
    s["n_train"] = ok[0]["n_train"]
    s["hwm_reset"] = all(r.get("hwm_reset", False) for r in ok)
    return s


def _summaries(lrec):
    return {rid: summarize(reps) for rid, reps in lrec["results"].items()}


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def check_targets(record, learner_registry):
    """One row per (target, dataset): dict(learner, target, dataset, measured, limit, result)."""
    rows = []
    for dname, drec in record["datasets"].items():
        meta = drec["meta"]
        for lname, lrec in drec["learners"].items():
            learner = learner_registry.get(lname)
            if learner is None:
                continue
            runs = {r["id"]: r for r in lrec["runs"]}
            summ = _summaries(lrec)
            for t in learner.targets:
                if t.datasets and dname not in t.datasets:
                    continue
                row = {"learner": lname, "target": t.text, "dataset": dname}
                rows.append(row)
                pml_id = runs[t.peer]["compare_to"] if t.peer in runs else "pml"
                if t.pml_run != "pml" and pml_id == "pml":
                    # e.g. pml-1t; at --threads 1 there is no separate 1-thread run: "pml" is it.
                    if t.pml_run in summ or record["config"]["threads"] != 1:
                        pml_id = t.pml_run
                pml, peer = summ.get(pml_id), summ.get(t.peer) if t.peer else None
                if pml is None or (t.peer and peer is None):
                    missing = "pml" if pml is None else t.peer
                    row.update(measured=f"not measured ({missing} did not run)", limit="",
                               result="n/a")
                    continue
                subsample = f" (both on {pml['n_train']:,} rows)" if runs.get(
                    t.peer, {}).get("max_rows") else ""
                if t.kind == "accuracy":
                    regression = meta["task"] == "regression"
                    tol = t.limit_regression if regression and t.limit_regression else t.limit
                    diff = pml["metric"] - peer["metric"]
                    if regression:
                        row["measured"] = (f"R^2 {pml['metric']:.4f} vs {peer['metric']:.4f} "
                                           f"({diff:+.4f}){subsample}")
                        row["limit"] = f">= -{tol:.2f}"
                    else:
                        row["measured"] = (f"{100 * pml['metric']:.2f}% vs "
                                           f"{100 * peer['metric']:.2f}% "
                                           f"({100 * diff:+.2f} points){subsample}")
                        row["limit"] = f">= -{100 * tol:.1f} points"
                    row["ok"] = diff >= -tol - 1e-12
                    row["miss_by"] = "" if row["ok"] else (
                        f"{-diff - tol:.4f} R^2" if regression else
                        f"{100 * (-diff - tol):.2f} points")
                elif t.kind == "score":
                    if not _score_target(row, t, pml, peer, subsample):
                        continue
                elif t.kind == "match":
                    if not _match_target(row, t, pml, peer, subsample):
                        continue
                elif t.kind == "train":
                    ratio = pml["fit_s"] / peer["fit_s"]
                    at = " at 1 thread" if pml_id == "pml-1t" else ""
                    row["measured"] = (f"{ratio:.3f}x ({pml['fit_s']:.2f} s{at} vs "
                                       f"{peer['fit_s']:.2f} s){subsample}")
                    row["limit"] = f"<= {t.limit}x"
                    row["ok"] = ratio <= t.limit
                    row["miss_by"] = "" if row["ok"] else f"{ratio / t.limit:.2f}x over"
                elif t.kind == "predict":
                    ratio = peer["predict_s"] / pml["predict_s"]
                    row["measured"] = (f"{ratio:.2f}x ({peer['predict_s']:.3f} s vs "
                                       f"{pml['predict_s']:.3f} s for {meta['n_test']:,} rows)"
                                       f"{subsample}")
                    row["limit"] = f">= {t.limit}x"
                    row["ok"] = ratio >= t.limit
                    row["miss_by"] = "" if row["ok"] else f"{t.limit / ratio:.2f}x short"
                elif t.kind == "speedup":
                    one = summ.get("pml-1t")
                    if one is None:
                        row.update(measured="not measured (no 1-thread run)", limit="",
                                   result="n/a")
                        continue
                    ratio = one["fit_s"] / pml["fit_s"]
                    threads = record["config"]["threads"]
                    row["measured"] = (f"{ratio:.2f}x ({one['fit_s']:.2f} s at 1 thread, "
                                       f"{pml['fit_s']:.2f} s at {threads})")
                    row["limit"] = f">= {t.limit}x"
                    row["ok"] = ratio >= t.limit
                    row["miss_by"] = "" if row["ok"] else f"{t.limit / ratio:.2f}x short"
                elif t.kind == "memory":
                    matrix_mb = meta["n_train"] * meta["n_cols"] * 4 / MB
                    ratio = pml["fit_extra_mb"] / matrix_mb
                    row["measured"] = (f"{ratio:.2f}x ({pml['fit_extra_mb']:.0f} MB above the "
                                       f"caller's data, matrix {matrix_mb:.0f} MB)")
                    if "model_mb" in pml:
                        ex = (pml["fit_extra_mb"] - pml["model_mb"]) / matrix_mb
                        row["measured"] += (f"; without the {pml['model_mb']:.0f} MB model "
                                            f"itself: {ex:.2f}x")
                    row["limit"] = f"<= {t.limit}x"
                    row["ok"] = ratio <= t.limit
                    row["miss_by"] = "" if row["ok"] else f"{ratio / t.limit:.2f}x over"
                else:
                    raise ValueError(f"unknown target kind {t.kind}")
                row["result"] = "PASS" if row["ok"] else "MISS"
    return rows


SCORE_NAMES = {"auc": "AUC", "accuracy": "accuracy", "r2": "R^2", "rmse": "RMSE"}
LOWER_IS_BETTER = {"rmse"}


def _fmt_score(key, v):
    return f"{100 * v:.2f}%" if key == "accuracy" else f"{v:.4f}"


def _score_target(row, t, pml, peer, subsample):
    """Fills row for a "score" target; False if a score is missing (row marked n/a)."""
    key, name = t.metric, SCORE_NAMES[t.metric]
    if key not in pml or key not in peer:
        who = "pml" if key not in pml else t.peer
        row.update(measured=f"not measured (no {name} for {who})", limit="", result="n/a")
        return False
    a, b = pml[key], peer[key]
    lower = key in LOWER_IS_BETTER
    worse = (a - b) if lower else (b - a)  # > 0: pml is worse than the peer
    allowed = t.limit * abs(b) if t.relative else t.limit
    diff = f"{100 * (a - b):+.2f} points" if key == "accuracy" else f"{a - b:+.4f}"
    if t.relative:
        diff += f", {100 * (a - b) / b:+.2f}%"
    row["measured"] = f"{name} {_fmt_score(key, a)} vs {_fmt_score(key, b)} ({diff}){subsample}"
    bound = f"{100 * t.limit:g}%" if t.relative else (
        f"{100 * t.limit:g} points" if key == "accuracy" else f"{t.limit:g}")
    row["limit"] = f"<= +{bound}" if lower else f">= -{bound}"
    row["ok"] = worse <= allowed + 1e-12
    if not row["ok"]:
        over = worse - allowed
        row["miss_by"] = (f"{100 * over / abs(b):.2f}% beyond" if t.relative else
                          f"{100 * over:.2f} points" if key == "accuracy" else
                          f"{over:.4f} {name}")
    else:
        row["miss_by"] = ""
    return True


MEASURE_NAMES = {"n_support_vectors": "support vectors", "objective": "dual objective"}


def _fmt_measure(key, v):
    if key == "n_support_vectors":
        return f"{v:,.0f}"
    if key == "objective":
        return f"{v:.9g}"
    if key == "passes":
        return f"{v:.0f}"
    return _fmt_score(key, v)


def _match_target(row, t, pml, peer, subsample):
    """Fills row for a "match" target (pml's measure equals the peer's within the limit, either
    way); False if a measure is missing (row marked n/a)."""
    key = t.metric
    name = MEASURE_NAMES.get(key) or SCORE_NAMES.get(key, key)
    if pml.get(key) is None or peer.get(key) is None:
        who = "pml" if pml.get(key) is None else t.peer
        row.update(measured=f"not measured (no {name} for {who})", limit="", result="n/a")
        return False
    a, b = pml[key], peer[key]
    diff = abs(a - b)
    allowed = t.limit * abs(b) if t.relative else t.limit
    rel = f", {(a - b) / b:+.2e} relative" if t.relative and b else ""
    row["measured"] = (f"{name} {_fmt_measure(key, a)} vs {_fmt_measure(key, b)} "
                       f"({a - b:+.6g}{rel}){subsample}")
    # (No "|" here: the row goes into a Markdown table.)
    row["limit"] = (f"within ±{100 * t.limit:g}% of the peer's" if t.relative else
                    f"within ±{t.limit:g}")
    row["ok"] = diff <= allowed * (1 + 1e-12)
    row["miss_by"] = "" if row["ok"] else (
        f"{diff / allowed:.1f}x the allowed difference" if allowed else "differs")
    return True


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

FIGURES = [
    ("fit_s", "Training time (s, median)", "train_time.png"),
    ("predict_s", "Prediction time (s, median, whole test set)", "predict_time.png"),
    ("peak_mb", "Peak resident memory of the process (MB, median)", "peak_memory.png"),
    ("metric", "Test accuracy (classification) / R^2 (regression)", "accuracy.png"),
    # Only panels with probabilities (learners with proba=True, binary classification):
    ("auc", "Test AUC (binary classification, from predicted probabilities)", "auc.png"),
]
OPTIONAL_FIGURES = {"auc"}  # drawn only for the panels that have the measure


def _colour(run):
    return {"pml": "#1f77b4", "pml-1t": "#aec7e8", "pml-matched": "#6baed6"}.get(
        run["role"], {"sklearn": "#ff7f0e", "ranger": "#2ca02c", "xgboost": "#d62728",
                      "sklearn-hgb": "#8c564b", "libsvm": "#2ca02c",
                      "sklearn-svc": "#ff7f0e",
                      "sklearn-linearsvc": "#ff7f0e"}.get(run["peer"], "#9467bd"))


def _fmt_value(key, v):
    if v != v:
        return "failed"
    if key in ("metric", "auc"):
        return f"{v:.4f}"
    return f"{v:.0f}" if v >= 100 else f"{v:.3g}"


def plot(record, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = []
    for dname, drec in record["datasets"].items():
        for lname, lrec in drec["learners"].items():
            summ = _summaries(lrec)
            runs = [r for r in lrec["runs"] if summ.get(r["id"])]
            if runs:
                panels.append((f"{dname} ({lname})", runs, summ))
    files = []
    if not panels:
        return files
    all_panels = panels
    for key, title, name in FIGURES:
        panels = all_panels
        if key in OPTIONAL_FIGURES:
            panels = [(t, [r for r in runs if key in summ[r["id"]]], summ)
                      for t, runs, summ in all_panels]
            panels = [p for p in panels if p[1]]
            if not panels:
                continue
        height = sum(0.42 * len(runs) + 0.9 for _, runs, _ in panels)
        fig, axes = plt.subplots(len(panels), 1, figsize=(9.0, height), squeeze=False,
                                 gridspec_kw={"height_ratios": [len(r) for _, r, _ in panels]})
        for ax, (ptitle, runs, summ) in zip(axes[:, 0], panels):
            labels = [r["label"] for r in runs]
            values = [summ[r["id"]].get(key, float("nan")) for r in runs]
            finite = [v for v in values if v == v and v > 0]
            y = range(len(runs))
            ax.barh(y, values, color=[_colour(r) for r in runs])
            ax.set_yticks(list(y))
            ax.set_yticklabels(labels, fontsize=8)
            ax.invert_yaxis()
            ax.set_title(ptitle, fontsize=9, loc="left")
            for yi, v in zip(y, values):
                ax.text(v, yi, " " + _fmt_value(key, v), va="center", fontsize=7)
            if key in ("metric", "auc"):
                lo = min(finite) if finite else 0.0
                ax.set_xlim(max(0.0, lo - 0.05), 1.0 + 0.02)
            elif finite and max(finite) / min(finite) > 30:
                # Times spanning orders of magnitude: a log axis keeps the short bars visible.
                ax.set_xscale("log")
                ax.set_xlim(min(finite) / 2, max(finite) * 4)
            else:
                ax.set_xlim(0, (max(finite) if finite else 1.0) * 1.25)
            ax.tick_params(axis="x", labelsize=8)
        fig.suptitle(title, fontsize=11)
        fig.tight_layout()
        path = os.path.join(out_dir, name)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append((title, name))
    return files


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def _ratio(x):
    return f"{x:.2f}x" if x is not None else ""


def _score_columns(meta, summ):
    """(key, heading) of the score columns: accuracy (+ AUC when any run has probabilities) for
    classification, R^2 and RMSE for regression. "metric" is accuracy or R^2 in every record."""
    def has(key):
        return any(s and key in s for s in summ.values())
    if meta["task"] == "regression":
        return [("metric", "R^2")] + ([("rmse", "RMSE")] if has("rmse") else [])
    return [("metric", "accuracy")] + ([("auc", "AUC")] if has("auc") else [])


def _model_columns(summ):
    """(key, heading) of the model-size columns some learners have (kernel SVMs: the support
    vectors and the dual objective; linear SVMs: the solver's passes over the data); a run
    without the measure shows n/a."""
    def has(key):
        return any(s and s.get(key) is not None for s in summ.values())
    return [(k, h) for k, h in (("n_support_vectors", "SVs"), ("objective", "dual objective"),
                                ("passes", "passes"))
            if has(k)]


def dataset_table(drec, lname, lrec, threads):
    meta = drec["meta"]
    summ = _summaries(lrec)
    columns = _score_columns(meta, summ)
    extra = _model_columns(summ)
    columns_all = columns + extra
    lines = [
        "| learner | train rows | train s | cores used | predict s | peak MB | train +MB | "
        + " | ".join(h for _, h in columns_all) +
        " | train speed: peer/pml | predict speed: peer/pml | peak memory: peer/pml |",
        "|---|" + "---:|" * (9 + len(columns_all)),
    ]
    for run in lrec["runs"]:
        s = summ.get(run["id"])
        if s is None:
            err = next((r["error"] for r in lrec["results"][run["id"]] if "error" in r), "")
            lines.append(f"| {run['label']} | | failed: {err[:120]} |" +
                         " |" * (7 + len(columns_all)))
            continue
        spread = f" ({s['fit_min']:.2f}–{s['fit_max']:.2f})" if s["n"] > 1 else ""
        if s["others_cores"] is not None and s["others_cores"] > BUSY:
            spread += " ‡"
        scores = []
        for key, heading in columns:
            v = s.get(key)
            scores.append("" if v is None else
                          f"{100 * v:.2f}%" if heading == "accuracy" else f"{v:.4f}")
        for key, heading in extra:
            v = s.get(key)
            scores.append("n/a" if v is None else _fmt_measure(key, v))
        tr = pr = mr = ""
        if run["role"] == "peer":
            p = summ.get(run["compare_to"])
            if p:
                tr = _ratio(s["fit_s"] / p["fit_s"])
                pr = _ratio(s["predict_s"] / p["predict_s"])
                mr = _ratio(s["peak_mb"] / p["peak_mb"])
                if run["compare_to"] != "pml":
                    tr, pr, mr = (f"{x} †" for x in (tr, pr, mr))
        elif run["role"] == "pml-1t":
            p = summ.get("pml")
            if p:
                tr = f"speed-up at {threads} threads: {s['fit_s'] / p['fit_s']:.2f}x"
        failed = f" ({s['n_failed']} of {s['n'] + s['n_failed']} runs failed)" \
            if s["n_failed"] else ""
        lines.append(
            f"| {run['label']}{failed} | {s['n_train']:,} | {s['fit_s']:.2f}{spread} | "
            f"{'' if s['fit_cores'] is None else format(s['fit_cores'], '.2f')} | "
            f"{s['predict_s']:.3f} | {s['peak_mb']:.0f} | {s['fit_extra_mb']:.0f} | "
            + " | ".join(scores) + f" | {tr} | {pr} | {mr} |")
    return lines


def _fmt_param(v):
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def parameter_lines(lrec, cfg):
    """One line per distinct learner of the table: the parameters it was given."""
    out, seen = [], set()
    for run in lrec["runs"]:
        if "params" not in run:  # records from before parameters were kept
            return []
        who = run["peer_label"] or "pml"
        if who in seen:
            continue
        seen.add(who)
        params = dict(run["params"])
        if run["peer"] is None:  # the pml worker adds these
            params.update({"n_jobs": cfg["threads"], "seed": cfg["seed"]})
        # Command-line options ("-c": 10, libsvm's) read as they are typed: "-c 10".
        text = " ".join(f"{k} {_fmt_param(v)}" if str(k).startswith("-") else
                        f"{k}={_fmt_param(v)}" for k, v in params.items())
        out.append(f"{who}: `{text}`")
    return ["Parameters — " + "; ".join(out) + "."] if out else []


def markdown(record, figures, targets):
    cfg, mach, ver = record["config"], record["machine"], record["versions"]
    quick = " (quick smoke run: small datasets, not the published numbers)" if cfg["quick"] else ""
    out = [
        f"# pml benchmark, {record['started'][:10]}{quick}",
        "",
        f"Command: `{record['command']}` — started {record['started']}, finished "
        f"{record['finished']}.",
        "",
        "## Machine and versions",
        "",
        f"- Machine: {mach['nproc']} logical CPUs ({mach['cpu']}), "
        f"{mach['ram_gb']:.1f} GiB RAM, {mach['os']}, Linux {mach['kernel']}",
        f"- Load average (1/5/15 min) at start {_load(mach['loadavg_start'])}, at end "
        f"{_load(mach.get('loadavg_end'))}"
        + (" — the machine was busy with other work, so times are noisy"
           if max(mach["loadavg_start"][0], (mach.get("loadavg_end") or [0])[0])
           > 0.5 * mach["nproc"] else ""),
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in ver.items()),
        f"- Settings: {cfg['threads']} threads for every learner, {cfg['repeats']} "
        f"repeat{'s' if cfg['repeats'] > 1 else ''} of each run"
        f"{' (medians shown; train s also shows min–max)' if cfg['repeats'] > 1 else ''}, "
        f"seed {cfg['seed']}; the parameters of every learner are listed under its table",
        "",
        "How to read the tables: *train s* and *predict s* are wall-clock seconds measured inside "
        "each worker process around fit and predict only (no data loading, no process start); "
        "*cores used* is training's CPU time over its wall time (how many cores the learner kept "
        "busy). Scores are on the test set: accuracy (and, where the learner's probabilities "
        "were kept, the AUC of the positive class's probability) for classification, R^2 and "
        "RMSE for regression. "
        "*peak MB* is the peak resident memory of the worker process (Linux VmHWM: interpreter, "
        "data, model), *train +MB* the peak during training above the memory in use just before "
        "it (the caller's data is already loaded, so this is what the learner itself needed, "
        "model included). Ratio columns are peer / pml, so above 1 means pml is faster or "
        "smaller; † marks a peer trained on a subsample, compared with pml on the same rows."
        + (" For SVMs, *SVs* is the number of distinct training rows that are support vectors "
           "(of any one-vs-one machine) and *dual objective* the sum over the machines of the "
           "dual objective reached (libsvm's \"obj =\"); n/a where a library does not report "
           "it." if any(s and s.get("n_support_vectors") is not None
                        for d in record["datasets"].values()
                        for lrec in d["learners"].values()
                        for s in _summaries(lrec).values()) else ""),
        "",
    ]
    for dname, drec in record["datasets"].items():
        meta = drec["meta"]
        out += [
            f"## {dname}",
            "",
            f"{meta['description']}.  ",
            f"{meta['task']}, {meta['n_train']:,} training rows x {meta['n_cols']:,} features "
            f"({_matrix_text(meta)}), {meta['n_test']:,} test rows"
            + (f", {meta['n_classes']} classes" if meta["n_classes"] else "") + ".",
            "",
        ]
        for lname, lrec in drec["learners"].items():
            if len(drec["learners"]) > 1:
                peers = sorted({r["peer_label"] for r in lrec["runs"] if r["peer_label"]})
                out += [f"### {dname}: {lname}" + (f" (vs {', '.join(peers)})" if peers else ""),
                        ""]
            out += dataset_table(drec, lname, lrec, cfg["threads"])
            notes = parameter_lines(lrec, cfg) + list(lrec["notes"])
            for run in lrec["runs"]:
                errs = {r["proba_error"] for r in lrec["results"][run["id"]] if "proba_error" in r}
                if errs:
                    notes.append(f"{run['label']}: no probabilities, so no AUC "
                                 f"({'; '.join(sorted(errs))[:200]}).")
            busy = [r["busy_cores_during"] for reps in lrec["results"].values() for r in reps
                    if "busy_cores_during" in r]
            if busy:
                noisy = max(busy) > BUSY
                notes.append(f"Other work on the machine while these workers ran: median "
                             f"{statistics.median(busy):.2f}, max {max(busy):.2f} cores of "
                             f"{mach['nproc']}" + (f"; ‡ marks runs during which it used more "
                                                   f"than {BUSY} cores (their times are "
                                                   f"inflated)." if noisy else " (quiet)."))
            if notes:
                out += [""] + [f"- {n}" for n in notes]
            out.append("")
    if figures:
        out += ["## Figures", ""]
        out += [f"![{title}]({name})" for title, name in figures]
        out.append("")
    out += ["## Targets", ""]
    if targets:
        out += ["| learner | target | dataset | measured | limit | result |",
                "|---|---|---|---|---|---|"]
        for t in targets:
            res = t["result"] + (f" ({t['miss_by']})" if t.get("miss_by") else "")
            out.append(f"| {t['learner']} | {t['target']} | {t['dataset']} | {t['measured']} | "
                       f"{t['limit']} | **{res}** |")
    else:
        out.append("No targets checked (pml did not run).")
    out.append("")
    return "\n".join(out)


def _matrix_text(meta):
    """The training matrix's size as the learners get it: dense float32, or CSR (float32 values,
    int32 indices, int64 indptr)."""
    if meta.get("sparse"):
        nnz = meta["nnz_train"]
        csr_mb = (nnz * 8 + (meta["n_train"] + 1) * 8) / MB
        return (f"sparse: {nnz:,} non-zeros, {nnz / meta['n_train']:.1f} per row; "
                f"float32 CSR {csr_mb:.0f} MB")
    return f"float32 matrix {meta['n_train'] * meta['n_cols'] * 4 / MB:.0f} MB"


def _load(la):
    return "/".join(f"{x:.2f}" for x in la) if la else "?"


def target_summary(targets):
    if not targets:
        return "targets: none checked (pml did not run)"
    lines = ["targets:"]
    for t in targets:
        res = t["result"] + (f" ({t['miss_by']})" if t.get("miss_by") else "")
        lines.append(f"  {res:<18} {t['learner']}/{t['dataset']}: {t['target']}: "
                     f"{t['measured']}")
    return "\n".join(lines)


def write(record, out_dir, learner_registry):
    """Writes report.md and the figures into out_dir; returns the target summary text."""
    figures = plot(record, out_dir)
    targets = check_targets(record, learner_registry)
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(markdown(record, figures, targets))
    return target_summary(targets)


def write_latest(out_dir, latest_path):
    """Copies report.md to latest_path with the figure links made relative to it."""
    with open(os.path.join(out_dir, "report.md")) as f:
        text = f.read()
    rel = os.path.relpath(out_dir, os.path.dirname(os.path.abspath(latest_path)))
    text = re.sub(r"\]\(([^)/:]+\.png)\)", lambda m: f"]({rel}/{m.group(1)})", text)
    with open(latest_path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import learners

    directory = sys.argv[1]
    with open(os.path.join(directory, "results.json")) as f:
        rec = json.load(f)
    print(write(rec, directory, learners.LEARNERS))
