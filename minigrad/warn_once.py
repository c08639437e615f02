"""Warnings PyTorch gives once per process (its C++ ``TORCH_WARN_ONCE``), such as converting a tensor that
requires grad to a Python number: the first ``float(x)`` warns, later ones anywhere stay quiet.
``minigrad.set_warn_always(True)`` makes them warn every time (then Python's own filter shows each once per line).
"""
import warnings

_always = False
_given = set()


def set_warn_always(b):
    """Warn every time instead of once per process (PyTorch's ``torch.set_warn_always``)."""
    global _always
    _always = bool(b)


def is_warn_always_enabled():
    return _always


def warn_once(message, category=UserWarning, stacklevel=2):
    if _always or message not in _given:
        _given.add(message)
        warnings.warn(message, category, stacklevel=stacklevel + 1)
