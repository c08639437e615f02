"""Backward passes in several threads at once, into shared leaves (as PyTorch allows: a lock per accumulation).

Each thread builds and runs its own graph; only the leaves (their AccumulateGrad nodes) and the event bus are
shared. Grad mode stays per thread.
"""
import gc
import threading

import numpy as np

import minigrad as torch
from minigrad import events


def _in_threads(count, work):
    """Run ``work(i)`` in ``count`` threads started together; re-raise the first error one of them met."""
    start = threading.Barrier(count)
    errors = []

    def run(i):
        start.wait()
        try:
            work(i)
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_concurrent_backward_into_one_leaf_loses_no_contribution():
    x = torch.zeros(1_000_000, requires_grad=True)

    def work(_):
        for _ in range(25):
            (x * 1.0).sum().backward()

    _in_threads(4, work)
    assert np.all(x.grad.numpy() == 100.0)


def test_the_first_accumulation_into_a_fresh_leaf_is_not_lost():
    """While .grad is None the first gradient is stored, not added: two threads must not both store theirs."""
    for _ in range(100):
        x = torch.zeros(10_000, requires_grad=True)
        _in_threads(3, lambda _: (x * 1.0).sum().backward())
        assert np.all(x.grad.numpy() == 3.0)


def test_retained_gradients_of_a_shared_non_leaf_add_up_too():
    x = torch.zeros(100_000, requires_grad=True)
    shared = x * 1.0
    shared.retain_grad()

    def work(_):
        for _ in range(10):
            (shared * 2.0).sum().backward(retain_graph=True)

    _in_threads(4, work)
    assert np.all(shared.grad.numpy() == 80.0) and np.all(x.grad.numpy() == 80.0)


def test_grad_mode_is_per_thread():
    seen = []
    with torch.no_grad():
        _in_threads(2, lambda _: seen.append(torch.is_grad_enabled()))
    assert seen == [True, True] and torch.is_grad_enabled()


def test_events_from_several_threads_while_subscribers_are_collected():
    """The subscriber list changes (dead ones removed, new ones added) while other threads iterate over it."""
    received = []

    def work(i):
        for n in range(300):
            callback = (lambda kind, subject: received.append(kind)) if n % 2 else (lambda kind, subject: None)
            events.subscribe(callback)
            events.emit("grad_changed", None)
            del callback  # collected: the next emit (in any thread) drops its reference
            if n % 50 == 0:
                gc.collect()

    _in_threads(4, work)
    events.emit("grad_changed", None)
    assert not any(ref() is not None and ref().__name__ == "<lambda>" for ref in events.listeners)
    assert received
