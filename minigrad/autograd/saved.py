"""The values a graph node saved for its backward, read as PyTorch exposes them: ``node._saved_<name>``.

``(x * w).grad_fn._saved_self`` is x and ``._saved_other`` is w; ``(x ** 2).grad_fn._saved_exponent`` is 2;
``x.exp().grad_fn._saved_result`` is the output. Tools that draw graphs (torchviz) list them with
``dir(node)``. Saved tensors are freed by a backward pass without ``retain_graph=True``; reading one afterwards
raises the same error as a second backward (a field that saved nothing stays None). Plain values (dims, exponents,
sizes) stay readable.

Each built-in op lists its fields in ``_saved_fields``: ``{PyTorch's name: where minigrad keeps it}``, an int for
a position in ``save_for_backward(...)``, a string for an attribute of the node, or a function of the node. ``_raw_saved_<name>`` gives the
saved tensor's box (``SavedTensor``) instead of the tensor.
"""
from minigrad.autograd.function import _FREED, SECOND_BACKWARD_ERROR


class SavedTensor:
    """A saved tensor as the graph holds it (PyTorch's ``torch._C._autograd.SavedTensor``)."""

    def __init__(self, node, position):
        self._node, self._position = node, position

    def register_hooks(self, pack_hook, unpack_hook):
        raise NotImplementedError("minigrad does not support hooks on saved tensors")


SavedTensor.__module__ = "minigrad._C._autograd"  # printed as PyTorch prints its class, with minigrad's name


def fields(node):
    """The ``_saved_*`` and ``_raw_saved_*`` names ``node`` has."""
    names = []
    for name, where in (getattr(type(node), "_saved_fields", None) or {}).items():
        names.append("_saved_" + name)
        if isinstance(where, int):
            names.append("_raw_saved_" + name)
    return names


def saved_attribute(node, attribute):
    """``node._saved_<name>`` or ``node._raw_saved_<name>``; AttributeError for a name the node does not have."""
    raw = attribute.startswith("_raw_saved_")
    name = attribute[len("_raw_saved_" if raw else "_saved_"):]
    where = (getattr(type(node), "_saved_fields", None) or {}).get(name)
    if where is None or (raw and not isinstance(where, int)):
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attribute}'")
    if callable(where):  # worked out from what the node keeps
        return where(node)
    if not isinstance(where, int):
        return node.__dict__.get(where, getattr(type(node), where, None))
    if raw:
        return SavedTensor(node, where)
    if node._saved is _FREED:
        if where < len(node._saved_versions) and node._saved_versions[where] is None:
            return None  # nothing was saved there (x * 2 keeps no x): still nothing after backward, as in PyTorch
        raise RuntimeError(SECOND_BACKWARD_ERROR)
    if not node._saved or node._saved[where] is None:
        return None  # not saved: the op did not need it (x * 2 keeps no x)
    return node._unpack_saved(as_arrays=False)[where]  # a tensor, even when read during a backward pass
