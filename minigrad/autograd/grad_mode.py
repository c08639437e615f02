"""Grad mode: whether operations are being recorded into a graph right now.

``no_grad`` is how evaluation loops and optimizer steps keep the graph out of the way. The flag is per thread,
as in PyTorch, so a background thread's ``no_grad`` does not switch off recording in the notebook.
Each class works both as a context manager (``with no_grad():``) and as a decorator (``@no_grad()``).
"""
import functools
import threading

_state = threading.local()


def is_grad_enabled():
    """True when new operations are recorded for backward."""
    return getattr(_state, "enabled", True)


def _set_enabled(mode):
    _state.enabled = mode


class _GradModeContext:
    """Sets grad mode on entry and restores the previous mode on exit (or around each call, as a decorator)."""

    mode = True

    def __enter__(self):
        self._previous = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc_info):
        _set_enabled(self._previous)
        return False

    def __call__(self, func):
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = is_grad_enabled()
            _set_enabled(mode)
            try:
                return func(*args, **kwargs)
            finally:
                _set_enabled(previous)

        return wrapper


class no_grad(_GradModeContext):
    """Do not record operations: results have ``requires_grad=False`` and no ``grad_fn``."""

    mode = False


class enable_grad(_GradModeContext):
    """Record operations again inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """Switch recording on or off: ``set_grad_enabled(False)`` works as a call, a ``with`` block or a decorator."""

    def __init__(self, mode):
        self._previous = is_grad_enabled()
        self.mode = bool(mode)
        _set_enabled(self.mode)  # applied at once, as in PyTorch, so a bare call works too

    def __enter__(self):
        pass  # the mode was set by __init__; __exit__ restores the mode from before

    def __call__(self, func):
        _set_enabled(self._previous)  # used as a decorator: undo the immediate switch, apply per call instead
        return super().__call__(func)
