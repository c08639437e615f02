"""``inference_mode``: ``no_grad`` for code that will never need a gradient, with a promise attached.

Inside it nothing is recorded (as under ``no_grad``), and every tensor made there is an *inference tensor*
(``t.is_inference()``). PyTorch skips the version counter and view bookkeeping for those, which is why they may not
enter a recorded graph later: saving one for backward, changing one in place, or asking it to require grad outside
inference mode is an error. ``clone()`` one to get an ordinary tensor. Works as ``with inference_mode():``, as
``@inference_mode()`` and as ``@inference_mode``; ``inference_mode(False)`` does nothing.
The mode is per thread, as grad mode is: a background thread's ``inference_mode`` leaves the notebook's tensors
ordinary.
"""
import functools

from minigrad.autograd.grad_mode import _set_enabled, _state, is_grad_enabled

SAVED_INFERENCE_TENSOR_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
    "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in "
    "autograd, or use `minigrad.no_grad()` instead of `minigrad.inference_mode()`.")
INPLACE_INFERENCE_TENSOR_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal "
    "tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.")
REQUIRES_GRAD_INFERENCE_TENSOR_ERROR = (
    "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")


def is_inference_mode_enabled():
    """True inside ``with inference_mode():`` (in this thread)."""
    return _state.inference


def _switch(enabled):
    _state.inference = enabled  # read by Tensor._make: tensors made now in this thread are inference tensors


class inference_mode:
    """Run without recording, making inference tensors (see the module docstring)."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # @inference_mode without parentheses; as in PyTorch, anything but a bool is decorated

    def __init__(self, mode=True):
        self.mode = mode

    def __enter__(self):
        self._previous = (is_grad_enabled(), is_inference_mode_enabled())
        if self.mode:
            _set_enabled(False)
            _switch(True)

    def __exit__(self, *exc_info):
        grad, inference = self._previous
        _set_enabled(grad)
        _switch(inference)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with inference_mode(self.mode):
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return inference_mode(self.mode)
