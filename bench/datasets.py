"""The benchmark datasets: deterministic generators and a real set, cached under bench/.cache/.

Each dataset is materialised once per size into bench/.cache/<name>-<rows>/ as
    X_train.npy X_test.npy   float32, C order (what pml and scikit-learn read)
    y_train.npy y_test.npy   float64
    X_train.f32 X_test.f32   the same matrices as raw little-endian float32, column-major (R's
                             readBin + matrix(), no CSV parsing)
    y_train.f64 y_test.f64   raw float64 labels
    meta.json                task, shapes, classes, seed, description
A sparse dataset (meta "sparse": true; sparse_text) has X_train.npz X_test.npz instead of the
.npy and .f32 matrices: float32 CSR with sorted column indices (scipy.sparse.save_npz), never
densified (400k x 100k would be 160 GB dense).
Workers (one process per learner run) read these files; the runner never passes data in memory.
"""

import json
import os

import numpy as np
import scipy.sparse as sp

import glyph_images
import sparse_text

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE_DIR = os.path.join(HERE, ".cache")
REPO = os.path.dirname(HERE)

# Bumped when a generator changes, so a stale cache is rebuilt rather than silently reused.
GENERATOR_VERSION = 1


def make_classification_like(n_rows, rng, n_informative=10, n_redundant=6, n_repeated=2,
                             n_noise=10, n_clusters_per_class=3, class_sep=0.9, flip_y=0.08):
    """Binary classification in the manner of sklearn.datasets.make_classification: Gaussian
    clusters on the vertices of a hypercube in the informative subspace (each with its own random
    covariance), redundant features as random linear mixtures of the informative ones, repeated
    copies, pure noise features, and a fraction flip_y of labels replaced at random (so trees must
    grow deep, as on real physics data such as HIGGS). Features are finally shifted and scaled
    per column and the columns shuffled, so no learner gets them in a convenient order."""
    n_clusters = 2 * n_clusters_per_class
    # Distinct hypercube vertices as cluster centres, scaled by class_sep.
    vertices = rng.choice(2 ** n_informative, size=n_clusters, replace=False)
    bits = (vertices[:, None] >> np.arange(n_informative)) & 1
    centroids = (2.0 * bits - 1.0) * class_sep
    cluster = rng.integers(0, n_clusters, size=n_rows)
    y = (cluster % 2).astype(np.float64)
    informative = rng.standard_normal((n_rows, n_informative))
    for c in range(n_clusters):
        idx = np.flatnonzero(cluster == c)
        A = 2.0 * rng.random((n_informative, n_informative)) - 1.0
        informative[idx] = informative[idx] @ A + centroids[c]
    redundant = informative @ (2.0 * rng.random((n_informative, n_redundant)) - 1.0)
    base = np.hstack([informative, redundant])
    repeated = base[:, rng.integers(0, base.shape[1], size=n_repeated)]
    noise = rng.standard_normal((n_rows, n_noise))
    X = np.hstack([base, repeated, noise])
    flip = rng.random(n_rows) < flip_y
    y[flip] = rng.integers(0, 2, size=int(flip.sum())).astype(np.float64)
    shift = 2.0 * rng.random(X.shape[1]) - 1.0
    scale = 1.0 + 99.0 * rng.random(X.shape[1])
    X = (X + shift) * scale
    X = X[:, rng.permutation(X.shape[1])]
    return X.astype(np.float32), y


def make_nonlinear_regression(n_rows, rng, n_features=50, noise=1.0):
    """Regression: Friedman #1 on x0..x4 plus further nonlinear terms (interactions, a step, a
    saturating exponential, an absolute value) on x5..x14, and 35 pure-noise features; all x
    uniform on [0, 1], Gaussian noise of standard deviation `noise` added to y."""
    X = rng.random((n_rows, n_features))
    y = (10.0 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20.0 * (X[:, 2] - 0.5) ** 2
         + 10.0 * X[:, 3] + 5.0 * X[:, 4]
         + 4.0 * np.sin(2.0 * np.pi * X[:, 5]) * X[:, 6]
         + 3.0 * (X[:, 7] > 0.6) * (X[:, 8] < 0.4)
         + 5.0 * (1.0 - np.exp(-3.0 * X[:, 9]))
         + 6.0 * np.abs(X[:, 10] - 0.5) * X[:, 11]
         + 2.0 * np.cos(3.0 * X[:, 12] + X[:, 13]) - 3.0 * X[:, 14] ** 3)
    y += noise * rng.standard_normal(n_rows)
    return X.astype(np.float32), y


def _split(X, y, test_fraction=0.2):
    """Rows are already in random order: the first 80% train, the last 20% test."""
    n_train = int(round(X.shape[0] * (1.0 - test_fraction)))
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _gen_higgs_like(n_rows):
    X, y = make_classification_like(n_rows, np.random.default_rng(20240901))
    return _split(X, y)


def _gen_regression(n_rows):
    X, y = make_nonlinear_regression(n_rows, np.random.default_rng(20240902))
    return _split(X, y)


def _load_letter(_n_rows):
    path = os.path.join(REPO, "data", "letter.csv")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    X = data[:, 1:].astype(np.float32)
    y = data[:, 0]
    return X[:16000], y[:16000], X[16000:], y[16000:]


def _gen_binary_24k(n_rows):
    """The SVM's generated set: 20 features (8 informative, 4 redundant, 2 repeated, 6 noise),
    2 classes of 2 clusters each, 3% labels flipped; standardized with the training rows' mean
    and standard deviation (kernel SVMs need comparable feature scales)."""
    X, y = make_classification_like(n_rows, np.random.default_rng(20240903), n_informative=8,
                                    n_redundant=4, n_repeated=2, n_noise=6,
                                    n_clusters_per_class=2, class_sep=1.0, flip_y=0.03)
    X_train, y_train, X_test, y_test = _split(X, y)
    mean = X_train.mean(axis=0, dtype=np.float64)
    std = X_train.std(axis=0, dtype=np.float64)
    std[std == 0] = 1.0
    return (((X_train - mean) / std).astype(np.float32), y_train,
            ((X_test - mean) / std).astype(np.float32), y_test)


def _load_letter_scaled(n_rows):
    """Letter scaled to [-1, 1] per feature by the training rows' min and max (as libsvm's
    svm-scale; test values may fall slightly outside)."""
    X_train, y_train, X_test, y_test = _load_letter(n_rows)
    lo = X_train.min(axis=0).astype(np.float64)
    hi = X_train.max(axis=0).astype(np.float64)
    span = np.where(hi > lo, hi - lo, 1.0)

    def scale(X):
        return (2.0 * (X - lo) / span - 1.0).astype(np.float32)

    return scale(X_train), y_train, scale(X_test), y_test


def _gen_glyph_images(n_rows):
    X, y = glyph_images.make_glyph_images(n_rows, np.random.default_rng(20240905))
    return _split(X, y)


def _gen_sparse_text(n_rows):
    return sparse_text.make_sparse_text(n_rows, np.random.default_rng(20240904))


class DatasetSpec:
    def __init__(self, name, task, build, full_rows, quick_rows, description, sparse=False):
        self.name = name
        self.task = task  # "classification" | "regression"
        self.build = build  # -> X_train, y_train, X_test, y_test (scipy CSR when sparse)
        self.full_rows = full_rows
        self.quick_rows = quick_rows
        self.description = description
        self.sparse = sparse

    def rows(self, quick):
        return self.quick_rows if quick else self.full_rows


DATASETS = {
    "higgs_like": DatasetSpec(
        "higgs_like", "classification", _gen_higgs_like, 1_000_000, 100_000,
        "generated (make_classification-like): 28 features = 10 informative, 6 redundant, "
        "2 repeated, 10 noise; 2 classes of 3 Gaussian clusters each; 8% labels flipped; "
        "seed 20240901; rows 80/20 train/test"),
    "regression_500k": DatasetSpec(
        "regression_500k", "regression", _gen_regression, 500_000, 50_000,
        "generated: Friedman #1 plus 10 more nonlinear terms on 15 of 50 uniform features, "
        "35 noise features, N(0, 1) noise; seed 20240902; rows 80/20 train/test"),
    "letter": DatasetSpec(
        "letter", "classification", _load_letter, 20_000, 20_000,
        "real: UCI Letter Recognition (data/letter.csv), 16 features, 26 classes; "
        "train first 16,000 rows, test last 4,000"),
    # The SVM's sets (learners.SVM): kernel SVMs scale with rows squared, so the 1M-row sets above
    # are out of reach for them.
    "binary_24k": DatasetSpec(
        "binary_24k", "classification", _gen_binary_24k, 30_000, 10_000,
        "generated (make_classification-like): 20 features = 8 informative, 4 redundant, "
        "2 repeated, 6 noise; 2 classes of 2 Gaussian clusters each; 3% labels flipped; "
        "standardized with the training rows' mean and standard deviation; seed 20240903; "
        "rows 80/20 train/test"),
    "letter_scaled": DatasetSpec(
        "letter_scaled", "classification", _load_letter_scaled, 20_000, 20_000,
        "real: UCI Letter Recognition (data/letter.csv), 16 features scaled to [-1, 1] by the "
        "training rows' min and max (applied to both), 26 classes; train first 16,000 rows, "
        "test last 4,000"),
    # The forest on wide data (issue 20): MNIST's shape, 784 pixel features.
    "glyph_images": DatasetSpec(
        "glyph_images", "classification", _gen_glyph_images, 25_000, 5_000,
        "generated images (glyph_images.py): 28 x 28 grey-scale digits 0-9 rendered in 13 "
        "DejaVu fonts at random sizes, rotated up to 20 degrees, shifted, stretched, blurred, "
        "2% speckle noise; 784 pixel features, 10 classes; seed 20240905; rows 80/20 "
        "train/test"),
    # The linear SVM's set (learners.SVM_LINEAR): large and sparse, kept in CSR throughout.
    "sparse_text": DatasetSpec(
        "sparse_text", "classification", _gen_sparse_text, 400_000, 50_000,
        "generated text-like (sparse_text.py): 100,000 word features with Zipf-like "
        "frequencies, about 50 non-zeros per row, sublinear tf-idf (idf of the training rows), "
        "rows L2-normalised; label = sign of a sparse true weight vector (10% of the words) "
        "split at the median, then 5% of labels flipped; float32 CSR, never densified; "
        "seed 20240904; rows 80/20 train/test", sparse=True),
}

# What a learner runs on unless it names its own datasets (learners.Learner.datasets).
DEFAULT_DATASETS = ["higgs_like", "regression_500k", "letter"]


def _write_raw_colmajor(path, X):
    np.asfortranarray(X, dtype="<f4").T.tofile(path)  # .T of F-order is C-order: column by column


def _sparse_var(X):
    """Variance of all n_rows x n_cols values of a CSR matrix, the absent zeros included."""
    count = float(X.shape[0]) * X.shape[1]
    data = X.data.astype(np.float64)
    mean = data.sum() / count
    return float((data ** 2).sum() / count - mean ** 2)


def _save_dense(directory, part, X):
    np.save(os.path.join(directory, f"X_{part}.npy"), X)
    _write_raw_colmajor(os.path.join(directory, f"X_{part}.f32"), X)


def _save_sparse(directory, part, X):
    # Uncompressed: loading is then a read, not a decompression inside the workers' load phase.
    sp.save_npz(os.path.join(directory, f"X_{part}.npz"), X, compressed=False)


def prepare(name, quick):
    """Makes sure the dataset is cached; returns its directory and metadata."""
    spec = DATASETS[name]
    rows = spec.rows(quick)
    directory = os.path.join(CACHE_DIR, f"{name}-{rows}")
    meta_path = os.path.join(directory, "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("generator_version") == GENERATOR_VERSION:
            if "x_train_var" not in meta:  # a cache from before it was recorded (left as is)
                meta["x_train_var"] = float(
                    np.load(os.path.join(directory, "X_train.npy")).var(dtype=np.float64))
            meta["dir"] = directory
            return meta
    os.makedirs(directory, exist_ok=True)
    X_train, y_train, X_test, y_test = spec.build(rows)
    if spec.sparse:
        X_train = X_train.astype(np.float32).tocsr()
        X_test = X_test.astype(np.float32).tocsr()
        save, x_train_var = _save_sparse, _sparse_var(X_train)
    else:
        X_train = np.ascontiguousarray(X_train, dtype=np.float32)
        X_test = np.ascontiguousarray(X_test, dtype=np.float32)
        save, x_train_var = _save_dense, float(X_train.var(dtype=np.float64))
    for part, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        save(directory, part, X)
        np.save(os.path.join(directory, f"y_{part}.npy"), y.astype(np.float64))
        y.astype("<f8").tofile(os.path.join(directory, f"y_{part}.f64"))
    classes = sorted(set(np.unique(y_train).tolist())) if spec.task == "classification" else []
    meta = {
        "name": name,
        "task": spec.task,
        "description": spec.description,
        "n_train": int(X_train.shape[0]),
        "n_test": int(X_test.shape[0]),
        "n_cols": int(X_train.shape[1]),
        "n_classes": len(classes),
        "quick": quick,
        "generator_version": GENERATOR_VERSION,
        # Variance of all training values: scikit-learn's gamma="scale" is
        # 1 / (n_cols * x_train_var), which the SVM benchmark passes to every learner as a number.
        "x_train_var": x_train_var,
        "sparse": spec.sparse,
    }
    if spec.sparse:
        meta["nnz_train"] = int(X_train.nnz)
        meta["nnz_test"] = int(X_test.nnz)
    with open(meta_path + ".tmp", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(meta_path + ".tmp", meta_path)  # meta.json last: its presence means complete
    meta["dir"] = directory
    return meta
