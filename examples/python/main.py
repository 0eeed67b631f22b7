"""A complete pml program in Python: the same steps as examples/c/main.c (load a CSV file, train,
evaluate, save and load back), first with the thin layer over the C ABI, then with a
scikit-learn estimator in a cross-validation.

Run:  python3 main.py train.csv [forest|boosting|svm]     (the label is the first CSV column)
"""

import sys
import tempfile

import numpy as np

import pml


def main():
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} data.csv [forest|boosting|svm]")
    path = sys.argv[1]
    algorithm = sys.argv[2] if len(sys.argv) > 2 else "forest"
    print("pml", pml.version())

    # The thin layer: what pml.h does, with handles freed at the end of each `with`.
    with pml.Dataset.load(path) as data:
        n_rows, n_cols = data.shape
        print(f"{path}: {n_rows} rows x {n_cols} features")
        X, y = data.to_numpy(), data.get_label()
    split = n_rows * 4 // 5
    try:
        with pml.Dataset(X[:split], label=y[:split]) as train, \
                pml.train(algorithm, {"seed": 1}, train) as model:
            accuracy = model.evaluate(X[split:], "accuracy", label=y[split:])
            print(f"{algorithm}: accuracy {accuracy:.4f} on the last {n_rows - split} rows")
            with tempfile.NamedTemporaryFile(suffix=".pml") as f:
                model.save(f.name)
                with pml.Model.load(f.name) as again:
                    same = np.array_equal(again.predict(X[split:]), model.predict(X[split:]))
                    print("saved and loaded back: same predictions" if same else "MISMATCH")
    except pml.PmlError as e:  # every pml failure, with pml's own message
        sys.exit(f"pml failed: {e}")

    # The scikit-learn estimators: in any scikit-learn tool.
    from sklearn.model_selection import cross_val_score

    clf = pml.GradientBoostingClassifier(n_estimators=50, random_state=1)
    scores = cross_val_score(clf, X, y.astype(int), cv=3)
    print(f"GradientBoostingClassifier, 3-fold accuracy: {scores.mean():.4f}")


if __name__ == "__main__":
    main()
