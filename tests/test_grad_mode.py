"""Grad mode as in PyTorch 2.13: ``no_grad``, ``enable_grad`` and ``set_grad_enabled`` as context managers and as
decorators (also on generators), nesting, restoring after an exception, and one mode per thread."""
import threading

import pytest

import minigrad as torch


@pytest.fixture(autouse=True)
def grad_mode_back_on():
    yield
    torch.set_grad_enabled(True)  # whatever a failing test left behind


def leaf():
    return torch.tensor([1., 2.], requires_grad=True)


def test_no_grad_block_records_nothing_and_restores_the_mode():
    x = leaf()
    with torch.no_grad():
        assert torch.is_grad_enabled() is False
        y = x * 2
    assert y.requires_grad is False and y.grad_fn is None and y.is_leaf
    assert torch.is_grad_enabled() is True and (x * 2).requires_grad


def test_the_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError):
        with torch.no_grad():
            raise ValueError("boom")
    assert torch.is_grad_enabled() is True


def test_enable_grad_inside_no_grad_and_nesting():
    x = leaf()
    with torch.no_grad():
        with torch.enable_grad():
            assert (x * 2).requires_grad
            with torch.no_grad():
                assert not (x * 2).requires_grad
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
    assert torch.is_grad_enabled()


def test_set_grad_enabled_as_a_call_and_as_a_block():
    x = leaf()
    torch.set_grad_enabled(False)  # takes effect at once
    assert torch.is_grad_enabled() is False and not (x * 2).requires_grad
    torch.set_grad_enabled(True)
    with torch.set_grad_enabled(False):
        with torch.set_grad_enabled(True):
            assert torch.is_grad_enabled()
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_set_grad_enabled_wants_a_bool():
    for value, name in [(0, "int"), ("yes", "str"), (None, "NoneType")]:
        with pytest.raises(TypeError) as info:
            torch.set_grad_enabled(value)
        assert str(info.value) == f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not {name}"
    assert torch.is_grad_enabled()


def test_decorators_with_and_without_parentheses():
    x = leaf()

    @torch.no_grad()
    def double(t):
        return t * 2

    @torch.no_grad
    def triple(t):
        return t * 3

    @torch.enable_grad()
    def quadruple(t):
        return t * 4

    @torch.set_grad_enabled(False)
    def mode():
        return torch.is_grad_enabled()

    assert not double(x).requires_grad and not triple(x).requires_grad
    assert double.__name__ == "double"
    with torch.no_grad():
        assert quadruple(x).requires_grad
    assert mode() is False and torch.is_grad_enabled() is True


def test_decorated_generator_runs_in_the_mode_but_its_caller_does_not():
    x = leaf()

    @torch.no_grad()
    def steps():
        received = yield torch.is_grad_enabled()
        yield (x * 2).requires_grad, received
        return "done"

    walk = steps()
    assert next(walk) is False and torch.is_grad_enabled() is True
    assert walk.send("hello") == (False, "hello") and torch.is_grad_enabled() is True
    with pytest.raises(StopIteration) as info:
        next(walk)
    assert info.value.value == "done"


def test_decorated_generator_receives_throw_and_close_in_the_mode():
    seen = []

    @torch.no_grad()
    def steps():
        try:
            yield 1
        except ValueError:
            seen.append(("caught", torch.is_grad_enabled()))
            yield 2
        finally:
            seen.append(("finally", torch.is_grad_enabled()))

    walk = steps()
    next(walk)
    assert walk.throw(ValueError("x")) == 2
    walk.close()
    assert seen == [("caught", False), ("finally", False)] and torch.is_grad_enabled()


def test_a_leaf_made_under_no_grad_still_requires_grad():
    with torch.no_grad():
        a = torch.ones(2, requires_grad=True)
        b = a * 2
    assert a.requires_grad and not b.requires_grad


def test_in_place_under_no_grad_keeps_the_node_and_bumps_the_version():
    y = leaf() * 2
    node = y.grad_fn
    with torch.no_grad():
        y.add_(1)
    assert y.grad_fn is node and y._version == 1 and y.tolist() == [3., 5.]


def test_grad_mode_is_per_thread():
    seen = {}
    inside, release = threading.Event(), threading.Event()

    def worker():
        seen["worker at start"] = torch.is_grad_enabled()
        with torch.no_grad():
            inside.set()
            release.wait(5)
            seen["worker in no_grad"] = torch.is_grad_enabled()

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    seen["main while worker is in no_grad"] = (leaf() * 2).requires_grad
    with torch.no_grad():
        release.set()
        thread.join()
    assert seen == {"worker at start": True, "worker in no_grad": False, "main while worker is in no_grad": True}


def test_a_new_thread_starts_with_grad_enabled_even_under_no_grad():
    seen = []
    with torch.no_grad():
        thread = threading.Thread(target=lambda: seen.append(torch.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]
