"""Grad mode: whether operations are being recorded into a graph right now.

``no_grad`` is how evaluation loops and optimizer steps keep the graph out of the way. The flag is per thread,
as in PyTorch, so a background thread's ``no_grad`` does not switch off recording in the notebook.
Each class works both as a context manager (``with no_grad():``) and as a decorator (``@no_grad()``, also on
generator functions).
"""
import functools
import inspect
import threading

class _State(threading.local):
    enabled = True  # a class default: each thread starts with grad mode on, and reading it never raises
    inference = False  # inside ``inference_mode`` (see inference_mode.py); per thread too, as in PyTorch
    backward_on_arrays = False  # a built-in op's backward is running on numpy arrays (see autograd/engine.py)


_state = _State()


def is_grad_enabled():
    """True when new operations are recorded for backward."""
    return _state.enabled


def _set_enabled(mode):
    _state.enabled = mode


class _GradModeContext:
    """Sets grad mode on entry and restores the previous mode on exit (or around each call, as a decorator)."""

    mode = True

    def __new__(cls, func=None):
        """``@no_grad`` without parentheses decorates ``func`` directly, as in PyTorch."""
        if func is None:
            return super().__new__(cls)
        return cls()(func)

    def __enter__(self):
        self._previous = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc_info):
        _set_enabled(self._previous)
        return False

    def __call__(self, func):
        mode = self.mode
        if inspect.isgeneratorfunction(func):
            return _generator_in_mode(func, mode)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = is_grad_enabled()
            _set_enabled(mode)
            try:
                return func(*args, **kwargs)
            finally:
                _set_enabled(previous)

        return wrapper


class _Mode:
    """A plain ``with`` block setting grad mode to ``mode`` (what the decorators use around each step)."""

    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.previous = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc_info):
        _set_enabled(self.previous)


def _generator_in_mode(func, mode):
    """A decorated generator runs its own code in ``mode``, but its caller keeps its mode between the steps."""

    @functools.wraps(func)
    def generator(*args, **kwargs):
        steps = func(*args, **kwargs)
        try:
            with _Mode(mode):
                response = steps.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with _Mode(mode):
                        steps.close()
                    raise
                except BaseException as error:  # ``throw()`` into the decorated generator
                    with _Mode(mode):
                        response = steps.throw(error)
                else:
                    with _Mode(mode):
                        response = steps.send(request)
        except StopIteration as done:
            return done.value

    return generator


class no_grad(_GradModeContext):
    """Do not record operations: results have ``requires_grad=False`` and no ``grad_fn``."""

    mode = False


class enable_grad(_GradModeContext):
    """Record operations again inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """Switch recording on or off: ``set_grad_enabled(False)`` works as a call, a ``with`` block or a decorator."""

    def __new__(cls, mode):
        return object.__new__(cls)  # unlike no_grad(), the argument is the mode, never a function to decorate

    def __init__(self, mode):
        if not isinstance(mode, bool):
            from minigrad.ops.arguments import type_name  # ops are built on the grad mode

            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                            f"{type_name(mode)}")
        self._previous = is_grad_enabled()
        self.mode = mode
        _set_enabled(self.mode)  # applied at once, as in PyTorch, so a bare call works too

    def __enter__(self):
        pass  # the mode was set by __init__; __exit__ restores the mode from before

    def __repr__(self):
        return f"minigrad.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    def __call__(self, func):
        _set_enabled(self._previous)  # used as a decorator: undo the immediate switch, apply per call instead
        return super().__call__(func)
