"""Handles shared between threads (pml.h's concurrency contract, rules 1 and 3).

train() trains with a private copy of the caller's Params, so a training never changes a Params
another thread may be training with; a call that changes a handle (Dataset.set_weight,
Params.set, Params.set_progress) is refused with RuntimeError while another call uses it.

The tests are synchronised with Events set from a progress callback, never with sleeps: a
training is paused inside pml_train (its callback waits) while the main thread acts.
"""

import threading

import numpy as np
import pytest

import pml
from conftest import make_classification

# Only a guard against a hang if the code under test is wrong; no assertion depends on time.
HANG_GUARD_SECONDS = 120


class PausedProgress:
    """A progress callback that, on its first call, says the training has started and waits
    until released. Records the threads it was called from."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()
        self.threads = set()

    def __call__(self, stage, done, total):
        self.threads.add(threading.get_ident())
        if not self.started.is_set():
            self.started.set()
            self.release.wait(HANG_GUARD_SECONDS)
        return False


class TrainingThread(threading.Thread):
    """pml.train(...) on a thread of its own, keeping its model or its exception."""

    def __init__(self, *args, **kwargs):
        super().__init__(daemon=True)
        self.args, self.kwargs = args, kwargs
        self.model = self.error = None

    def run(self):
        try:
            self.model = pml.train(*self.args, **self.kwargs)
        except BaseException as e:  # noqa: BLE001 -- handed to the test's thread
            self.error = e

    def finish(self):
        self.join(HANG_GUARD_SECONDS)
        assert not self.is_alive(), "the training thread did not finish"
        if self.error is not None:
            raise self.error
        return self.model


@pytest.fixture
def data():
    X, y = make_classification(n=600, d=8)
    with pml.Dataset(X, label=y) as d:
        yield X, y, d


def start_paused_training(params, d):
    progress = PausedProgress()
    thread = TrainingThread("forest", params, d, progress=progress)
    thread.start()
    assert progress.started.wait(HANG_GUARD_SECONDS), "the training never reported progress"
    return thread, progress


def test_train_does_not_lend_its_progress_callback_to_another_threads_training(data):
    # Two threads train with one Params; only the first passes a progress callback. The second
    # must not receive the first's progress (it would if train() set the callback on the shared
    # Params, which is also a data race with the first's pml_train).
    _, _, d = data
    with pml.Params({"n_trees": 20, "n_jobs": 1, "seed": 1}) as shared:
        thread, progress = start_paused_training(shared, d)
        try:
            with pml.train("forest", shared, d) as other:
                assert other.info()["params"]["n_trees"] == "20"
        finally:
            progress.release.set()
        thread.finish().free()
        assert progress.threads == {thread.ident}
        # Nor is the callback left behind on the caller's Params for a later training.
        with pml.train("forest", shared, d):
            pass
        assert progress.threads == {thread.ident}


def test_params_changed_during_a_training_do_not_reach_it(data):
    # The training works on a copy made when train() was called, so changing the caller's
    # Params meanwhile is allowed and does not reach a training already running.
    _, _, d = data
    with pml.Params({"n_trees": 3, "n_jobs": 1, "seed": 1}) as shared:
        thread, progress = start_paused_training(shared, d)
        try:
            shared.set("n_trees", 5)
            shared.set_progress(lambda *a: False)
        finally:
            progress.release.set()
        with thread.finish() as model:
            assert model.info()["params"]["n_trees"] == "3"
        assert shared.get("n_trees") == "5"


def test_set_weight_is_refused_while_another_thread_trains_with_the_dataset(data):
    X, _, d = data
    thread, progress = start_paused_training({"n_trees": 5, "n_jobs": 1}, d)
    try:
        with pytest.raises(RuntimeError, match="Dataset.set_weight: the Dataset is in use"):
            d.set_weight(np.full(X.shape[0], 2.0))
    finally:
        progress.release.set()
    thread.finish().free()
    d.set_weight(np.full(X.shape[0], 2.0))  # the training is over: allowed again
    d.set_weight(None)


def test_set_weight_from_the_trainings_own_progress_callback_is_refused(data):
    X, _, d = data
    weights = np.full(X.shape[0], 2.0)

    def progress(stage, done, total):
        d.set_weight(weights)  # would change the weights under the running training

    with pytest.raises(RuntimeError, match="Dataset.set_weight: the Dataset is in use"):
        pml.train("forest", {"n_trees": 5, "n_jobs": 1}, d, progress=progress)
    d.set_weight(weights)
