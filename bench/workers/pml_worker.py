"""Worker: pml through ctypes on libpml.so (one train + predict), for any algorithm
(--algorithm forest, boosting, ...)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker_common  # noqa: E402
from pml_ctypes import PML_PREDICT_PROBA, PmlLibrary  # noqa: E402


def main():
    args = worker_common.parse_args(lambda ap: (ap.add_argument("--lib", required=True),
                                                ap.add_argument("--algorithm", required=True)))
    lib = PmlLibrary(args.lib)
    params = dict(args.params)
    params.update({"task": args.task, "n_jobs": args.threads, "seed": args.seed})

    def fit(X, y):
        with lib.dataset(X, y) as train:  # dense, or CSR as it is (never densified)
            return lib.train(args.algorithm, params, train)

    def predict(model, X):
        return model.predict(X)

    def describe(model):
        # The serialised size tells the learner's working memory from the model it built.
        facts = {"model_mb": len(model.save_buffer()) / 2**20}
        summary = model.info_json().get("summary") or {}
        if params.get("solver") == "dual_cd":
            # The linear SVM stores each weight vector as one "support vector" and reports no
            # objective, so neither means anything here. What compares with LIBLINEAR's n_iter_
            # is its passes over the data (the most of any machine, as scikit-learn's).
            facts["passes"] = max(int(m["iterations"]) for m in summary["machines"])
        elif "n_support_vectors" in summary:  # svm: compared with libsvm's total_sv and "obj ="
            facts["n_support_vectors"] = int(summary["n_support_vectors"])
            machines = summary.get("machines") or []
            if machines and all("objective" in m for m in machines):
                facts["objective"] = float(sum(m["objective"] for m in machines))
                facts["n_machines"] = len(machines)
        return facts

    def proba(model, X):
        # n_rows x n_classes, classes in ascending label order (pml.h).
        return model.predict(X, kind=PML_PREDICT_PROBA)

    worker_common.run(args, fit, predict, lambda: {"pml": lib.version()}, describe, proba)


if __name__ == "__main__":
    main()
