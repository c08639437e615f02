"""Anomaly detection: when a backward step fails, say which forward line created the failing node.

With it on, every recorded node keeps the stack of the forward call that made it (slow: for debugging only).
If that node's backward raises, a warning prints the forward stack; with ``check_nan`` a backward that produces
NaN raises at once, naming the node.
"""
import threading

class _State(threading.local):
    enabled = False  # class defaults: read on every op, so a lookup that never raises
    check_nan = True


_state = _State()


def is_anomaly_enabled():
    return _state.enabled


def is_anomaly_check_nan_enabled():
    return _state.check_nan


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` switches anomaly detection on (as a call or a ``with`` block)."""

    def __init__(self, mode, check_nan=True):
        from minigrad.ops.arguments import bool_argument  # (the ops import the autograd package)

        bool_argument("set_anomaly_enabled", "enabled", mode, 1)  # PyTorch's C++ function checks them
        bool_argument("set_anomaly_enabled", "check_nan", check_nan, 2)
        self._previous = (is_anomaly_enabled(), is_anomaly_check_nan_enabled())
        _state.enabled, _state.check_nan = mode, check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc_info):
        _state.enabled, _state.check_nan = self._previous
        return False


class detect_anomaly(set_detect_anomaly):
    """A ``with`` block in which anomaly detection is on."""

    def __init__(self, check_nan=True):
        super().__init__(True, bool(check_nan))
