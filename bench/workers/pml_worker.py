"""Worker: pml (one train + predict), for any algorithm (--algorithm forest, boosting, ...),
through ctypes on libpml.so (--api ctypes, the default) or through the Python binding's pml
package (--api python, with --pypath the directory holding it, e.g. build/release/bindings/python).
Both hand pml the same arrays with the same parameters, so they train the same model."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker_common  # noqa: E402


def ctypes_api(args):
    from pml_ctypes import PML_PREDICT_PROBA, PmlLibrary

    lib = PmlLibrary(args.lib)

    def fit(X, y, params):
        with lib.dataset(X, y) as train:  # dense, or CSR as it is (never densified)
            return lib.train(args.algorithm, params, train)

    return (fit, lambda model, X: model.predict(X),
            lambda model, X: model.predict(X, kind=PML_PREDICT_PROBA),
            lambda model: model.save_buffer(), lambda model: model.info_json(), lib.version())


def python_api(args):
    if args.pypath:
        sys.path.insert(0, os.path.abspath(args.pypath))
    import pml

    def fit(X, y, params):
        with pml.Dataset(X, label=y) as train:
            return pml.train(args.algorithm, params, train)

    return (fit, lambda model, X: model.predict(X), lambda model, X: model.predict(X, "proba"),
            lambda model: model.to_bytes(), lambda model: model.info(), pml.version())


def main():
    def extra(ap):
        ap.add_argument("--lib", required=True)
        ap.add_argument("--algorithm", required=True)
        ap.add_argument("--api", choices=["ctypes", "python"], default="ctypes")
        ap.add_argument("--pypath", default="", help="--api python: where the pml package is")

    args = worker_common.parse_args(extra)
    train, predict, proba, model_bytes, info, version = (
        python_api(args) if args.api == "python" else ctypes_api(args))
    params = dict(args.params)
    params.update({"task": args.task, "n_jobs": args.threads, "seed": args.seed})

    def describe(model):
        # The serialised size tells the learner's working memory from the model it built.
        facts = {"model_mb": len(model_bytes(model)) / 2**20, "api": args.api}
        summary = info(model).get("summary") or {}
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

    # proba: n_rows x n_classes, classes in ascending label order (pml.h).
    worker_common.run(args, lambda X, y: train(X, y, params), predict, {"pml": version},
                      describe, proba)


if __name__ == "__main__":
    main()
