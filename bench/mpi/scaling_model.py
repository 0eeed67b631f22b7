"""The scaling model of cluster-mode boosting (bench/mpi/SCALING.md explains it).

Time of one tree on p ranks of k cores each, n rows in all:

    T(p) = c1 * n_ref_scale / (p * k)                       compute: histograms over n/p rows
         + K * ceil(log2 p) * alpha                           latency of K collectives
         + 2 (p - 1) / p * H / B                              bandwidth of the histogram sums

c1 is one tree's time on one core for the benchmark's rows (measured), H the bytes a rank puts
on the wire per tree and K the collectives per tree (both counted by pml, and H predicted from
the histogram size), alpha and B the network's latency and bandwidth. The allreduce cost is the
textbook one (recursive doubling for latency, reduce-scatter + allgather for bandwidth).
"""

import math

# Networks the predictions are made for: (name, latency s, bandwidth bytes/s).
NETWORKS = [("10 Gb Ethernet", 30e-6, 1.1e9), ("100 Gb InfiniBand", 2e-6, 11e9)]
NODES = [8, 64, 512]
CORES_PER_NODE = 2  # as this VM; compute scales with p * k either way


def predicted_histogram_bytes(n_cols, max_bins, max_depth):
    """Bytes per tree of the level-wise histogram allreduces: at each level below the root only
    the smaller child of each split is built (the larger is parent minus smaller), so a full
    depth-d tree builds 1 + 1 + 2 + ... + 2^(d-2) = 2^(d-1) histograms; a histogram has a bin per
    value bin plus the missing bin per feature, 16 bytes each (int64 gradient and hessian)."""
    built = 2 ** (max_depth - 1)
    return built * n_cols * (max_bins + 1) * 16


def allreduce_time(p, bytes_, alpha, bandwidth, collectives):
    if p <= 1:
        return 0.0
    return collectives * math.ceil(math.log2(p)) * alpha + 2 * (p - 1) / p * bytes_ / bandwidth


def fit(summary, meta, rounds, probe):
    """Fits c1, alpha and B on this machine and predicts every measured configuration and the
    clusters of NODES nodes."""
    one = summary["1 process x 1 thread"]
    c1 = one["train_seconds_median"] / rounds
    alpha = probe["allreduce_8_bytes_s"]
    mb = 1048576 * 8
    bandwidth = mb / max(1e-12, probe[f"allreduce_{mb}_bytes_s"] - alpha)
    measured = [v for v in summary.values() if not v["single"] and v["ranks"] > 1]
    k = measured[0]["collectives_per_tree"] if measured else 0.0
    h = measured[0]["bytes_per_tree_max_rank"] if measured else 0.0
    h_pred = predicted_histogram_bytes(meta["n_cols"], 255, 6)
    checks = []
    for v in summary.values():
        if v["single"]:
            continue
        p = v["ranks"]
        cores = min(p, 2)  # this machine: ranks beyond 2 share its 2 cores
        t = rounds * (c1 / cores + allreduce_time(p, v["bytes_per_tree_max_rank"], alpha,
                                                  bandwidth, v["collectives_per_tree"]))
        checks.append({"ranks": p, "predicted_s": t, "measured_s": v["train_seconds_median"]})
    clusters = []
    for name, lat, bw in NETWORKS:
        for nodes in NODES:
            comm = rounds * allreduce_time(nodes, h_pred, lat, bw, k)
            strong = rounds * c1 / (nodes * CORES_PER_NODE) + comm
            weak = rounds * c1 / CORES_PER_NODE + comm  # every node keeps this set's row count
            clusters.append({"network": name, "nodes": nodes, "communication_s": comm,
                             "strong_s": strong, "weak_s": weak})
    return {"c1_s_per_tree": c1, "alpha_s": alpha, "bandwidth_Bps": bandwidth,
            "collectives_per_tree": k, "bytes_per_tree_measured": h,
            "bytes_per_tree_predicted": h_pred, "checks": checks, "clusters": clusters,
            "rows": meta["n_train"], "rounds": rounds}


def report_lines(m):
    lines = ["## Scaling model (bench/mpi/SCALING.md)", "",
             f"Fitted here: one tree on one core c1 = {m['c1_s_per_tree'] * 1e3:.1f} ms; MPI "
             f"latency alpha = {m['alpha_s'] * 1e6:.2f} us and bandwidth B = "
             f"{m['bandwidth_Bps'] / 1e9:.2f} GB/s (shared memory, from `bench_mpi_train "
             f"--probe`); {m['collectives_per_tree']:.1f} collectives per tree.", "",
             f"Bytes per tree per rank: measured {m['bytes_per_tree_measured']:,.0f}, "
             f"predicted from the histogram size {m['bytes_per_tree_predicted']:,.0f} "
             f"({m['bytes_per_tree_measured'] / max(1, m['bytes_per_tree_predicted']):.3f}x).",
             "", "| ranks | predicted s | measured s | measured / predicted |", "|---|---|---|---|"]
    for c in m["checks"]:
        lines.append(f"| {c['ranks']} | {c['predicted_s']:.2f} | {c['measured_s']:.2f} | "
                     f"{c['measured_s'] / c['predicted_s']:.2f} |")
    lines += ["", f"Predicted training time of {m['rounds']} trees on clusters of "
              f"{CORES_PER_NODE}-core nodes: strong scaling = these {m['rows']:,} rows split "
              "over the nodes; weak scaling = that many rows on every node.", "",
              "| network | nodes | communication s | strong scaling s | weak scaling s |",
              "|---|---|---|---|---|"]
    for c in m["clusters"]:
        lines.append(f"| {c['network']} | {c['nodes']} | {c['communication_s']:.2f} | "
                     f"{c['strong_s']:.2f} | {c['weak_s']:.2f} |")
    return lines
