"""``Parameter``: a tensor that a ``Module`` treats as one of its learnable weights.

It is an ordinary leaf tensor with ``requires_grad=True`` by default. The only thing that makes it special is its
type: assigning a ``Parameter`` to a module attribute registers it, so ``module.parameters()`` finds it and an
optimizer can update it. The result of any operation on a parameter is a plain ``Tensor``.
"""
from minigrad.creation import empty
from minigrad.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that modules register as a learnable weight (``requires_grad=True`` unless told otherwise)."""

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")  # PyTorch's text
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        # the parameter shares memory and version counter with ``data``, like ``data.detach()``
        Tensor._init(self, data._data, None, 0, data._version_counter)
        self._requires_grad = bool(requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        # a copied model gets fresh parameters with the same values, without their gradients (as in PyTorch)
        if id(self) not in memo:
            memo[id(self)] = type(self)(Tensor._make(self._data.copy()), self._requires_grad)
        return memo[id(self)]
