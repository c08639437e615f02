"""``minigrad.cuda``: the GPU questions tutorials ask, answered as PyTorch's CPU build answers them.

``device = "cuda" if minigrad.cuda.is_available() else "cpu"`` picks the CPU; seeding the GPU is a no-op (PyTorch
also accepts it without a GPU); asking which GPU is current fails, as there is none.
"""
from minigrad import messages


def is_available():
    """False: minigrad computes on the CPU only."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Accepted and ignored: there is no GPU generator to seed."""


def manual_seed_all(seed):
    """Accepted and ignored: there is no GPU generator to seed."""


def current_device():
    raise AssertionError(messages.not_compiled_with("CUDA"))
