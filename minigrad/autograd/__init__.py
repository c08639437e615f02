"""``minigrad.autograd``: run the backward pass, or ask for gradients directly.

- ``backward(tensors, grad_tensors)`` adds d(tensors)/d(leaf) into every leaf's ``.grad``;
- ``grad(outputs, inputs)`` returns d(outputs)/d(inputs) and leaves ``.grad`` alone;
- ``create_graph=True`` records the backward pass itself, so the gradients can be differentiated again.
"""
import warnings

from minigrad import messages
from minigrad.autograd import engine
from minigrad.autograd.anomaly_mode import detect_anomaly, set_detect_anomaly
from minigrad.autograd.engine import BackwardStep, backward_steps
from minigrad.autograd.function import AccumulateGrad, Function, Node
from minigrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigrad.autograd.inference_mode import inference_mode, is_inference_mode_enabled


def _as_tuple(x):
    """A tensor becomes a 1-tuple, any other iterable a tuple (a bare number raises TypeError, as in PyTorch)."""
    if x is None:
        return None
    from minigrad.tensor import Tensor

    return (x,) if isinstance(x, Tensor) else tuple(x)


def _gradients_as_tuple(gradients):
    """Like ``_as_tuple``, but a numpy array is one wrong gradient, not a sequence of rows."""
    import numpy as np

    if isinstance(gradients, np.ndarray):
        raise TypeError(f"gradients can be either Tensors or None, but got {type(gradients).__name__}")
    return _as_tuple(gradients)


def _check_inputs(inputs):
    from minigrad.ops.arguments import type_name
    from minigrad.tensor import Tensor

    for tensor in inputs:
        if not isinstance(tensor, Tensor):
            raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {type_name(tensor)}")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into the leaves' ``.grad``."""
    tensors = _as_tuple(tensors)
    grad_tensors = _gradients_as_tuple(grad_tensors if grad_tensors is not None else grad_variables)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        warnings.warn(messages.CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if inputs is not None:
        _check_inputs(inputs)
        for tensor in inputs:  # an input that is not a leaf has its gradient kept (retained) for the pass
            if not tensor.requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    engine.run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """d(outputs)/d(inputs), returned as a tuple (``.grad`` attributes are not touched)."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                         "allow_unused=False.")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    _check_inputs(inputs)
    grad_outputs = _gradients_as_tuple(grad_outputs) or (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    for i, tensor in enumerate(outputs):  # PyTorch looks at the outputs first
        if not tensor.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    for tensor in inputs:
        if not tensor.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    results = engine.run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs, accumulate=False)
    for position, (tensor, result) in enumerate(zip(inputs, results)):
        if result is None and not allow_unused:
            raise RuntimeError(f"The differentiated Tensor at index {position} appears to not have been used in the "
                               "graph. Set allow_unused=True if this is the desired behavior.")
        if result is None and materialize_grads:
            from minigrad.creation import zeros_like

            results[position] = zeros_like(tensor)
    return tuple(results)


from minigrad.autograd import graph  # noqa: E402,F401  (the public way to look inside a graph)
from minigrad.autograd.gradcheck import gradcheck  # noqa: E402
from minigrad.autograd import functional  # noqa: E402  (jacobian and hessian, built on grad above)
