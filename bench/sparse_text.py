"""The linear SVM's dataset: a generated bag-of-words corpus as tf-idf rows in CSR, the shape of
text classification (RCV1, news20) that LIBLINEAR is built for. There is no such real set on the
benchmark machine and no network, so it is generated, deterministically from its seed.

Each row is a "document" of 16..90 tokens drawn from a vocabulary of 100,000 words with Zipf-like
frequencies (word of rank k has probability ~ 1 / (k + 10)^1.05, so a few words are in most
documents and most words in a few); repeated words give term counts, so a row has about 50
distinct non-zeros. Values are sublinear tf-idf, (1 + log tf) x idf with scikit-learn's smoothed
idf from the training rows' document frequencies, and every row is scaled to unit L2 norm (as
TfidfVectorizer's defaults). The label is the sign of a sparse "true" weight vector (10% of the
words, N(0, 1) weights) times the row, thresholded at the median so the classes are balanced, and
then 5% of the labels are flipped: a linear rule explains the rest, so about 95% is the best
accuracy any learner can reach.

Everything stays sparse: the CSR arrays are built from the sorted (row, word) pairs directly.
"""

import numpy as np
import scipy.sparse as sp

N_FEATURES = 100_000
MIN_TOKENS, MAX_TOKENS = 16, 90  # per document, uniform; about 50 distinct words after repeats
ZIPF_OFFSET, ZIPF_EXPONENT = 10.0, 1.05
RELEVANT_FRACTION = 0.10  # words with a non-zero true weight
FLIP = 0.05  # labels flipped after the linear rule


def _documents(n_rows, rng):
    """CSR (float64 term counts, sorted indices) of n_rows documents over N_FEATURES words."""
    rank = np.arange(1, N_FEATURES + 1, dtype=np.float64)
    p = (rank + ZIPF_OFFSET) ** -ZIPF_EXPONENT
    cdf = np.cumsum(p / p.sum())
    lengths = rng.integers(MIN_TOKENS, MAX_TOKENS + 1, size=n_rows)
    token_rank = np.minimum(np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right"),
                            N_FEATURES - 1)
    # Words get random column ids, so frequent words are not the first columns.
    word = rng.permutation(N_FEATURES)[token_rank]
    doc = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    # Sorting (document, word) keys groups each document's repeats: unique gives the counts.
    key, tf = np.unique(doc * N_FEATURES + word, return_counts=True)
    rows = key // N_FEATURES
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    indices = (key % N_FEATURES).astype(np.int32)
    return sp.csr_matrix((tf.astype(np.float64), indices, indptr),
                         shape=(n_rows, N_FEATURES))


def _tfidf(counts, idf):
    """Sublinear tf times idf, rows scaled to unit L2 norm; float64 CSR."""
    X = counts.copy()
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(X.indptr))
    return X


def make_sparse_text(n_rows, rng, train_fraction=0.8):
    """(X_train, y_train, X_test, y_test): float32 CSR matrices with sorted indices, labels 0/1
    (float64). The idf is the training rows' (as a vectorizer fitted on them), applied to both."""
    counts = _documents(n_rows, rng)
    n_train = int(round(n_rows * train_fraction))
    df = np.bincount(counts[:n_train].indices, minlength=N_FEATURES)
    idf = np.log((1.0 + n_train) / (1.0 + df)) + 1.0
    X = _tfidf(counts, idf)
    relevant = rng.random(N_FEATURES) < RELEVANT_FRACTION
    w_true = np.where(relevant, rng.standard_normal(N_FEATURES), 0.0)
    score = X @ w_true
    y = (score > np.median(score)).astype(np.float64)
    flip = rng.random(n_rows) < FLIP
    y[flip] = 1.0 - y[flip]
    X = X.astype(np.float32)
    X.sort_indices()
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]
