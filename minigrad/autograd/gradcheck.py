"""Check a backward formula against finite differences.

For f with inputs x, the analytical Jacobian comes from backward (one vector-Jacobian product per output element);
the numerical one from central differences: (f(x + eps·e_i) - f(x - eps·e_i)) / 2eps for each input element i.
Use float64 inputs: in float32 the rounding error swamps eps.
"""
import warnings

import numpy as np


class GradcheckError(RuntimeError):
    """Raised when the analytical and numerical Jacobians disagree."""


def _outputs(func, inputs):
    result = func(*inputs)
    return result if isinstance(result, tuple) else (result,)


def _numerical_jacobian(func, inputs, index, output_index, eps):
    x = inputs[index]
    columns = []
    for position in np.ndindex(x._data.shape):  # works for non-contiguous inputs (e.g. x.t()) too
        original = x._data[position]
        x._data[position] = original + eps
        plus = _outputs(func, inputs)[output_index]._data.astype(np.float64).ravel().copy()
        x._data[position] = original - eps
        minus = _outputs(func, inputs)[output_index]._data.astype(np.float64).ravel().copy()
        x._data[position] = original
        columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1) if columns else np.zeros((0, 0))


def _analytical_jacobian(func, inputs, index, output_index):
    from minigrad.autograd import grad as autograd_grad
    from minigrad.creation import zeros_like

    output = _outputs(func, inputs)[output_index]
    rows = []
    for j in range(output.numel()):
        seed = zeros_like(output)
        seed._data.reshape(-1)[j] = 1
        (g,) = autograd_grad(output, inputs[index], seed, retain_graph=True, allow_unused=True)
        rows.append(np.zeros(inputs[index].numel()) if g is None else g._data.astype(np.float64).ravel())
    return np.stack(rows, axis=0) if rows else np.zeros((0, inputs[index].numel()))


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **_ignored):
    """True if backward's gradients of ``func`` match finite differences for every input that requires grad."""
    from minigrad.tensor import Tensor

    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    for index, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype.name != "float64":
            warnings.warn(f"Input #{index} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating point "
                          "or complex. ", UserWarning, stacklevel=2)
    for index, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        for output_index, output in enumerate(_outputs(func, inputs)):
            if not output.requires_grad:
                continue
            numerical = _numerical_jacobian(func, inputs, index, output_index, eps)
            analytical = _analytical_jacobian(func, inputs, index, output_index)
            if not np.allclose(analytical, numerical, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {output_index} with respect to input {index},\n"
                    f"numerical:{numerical}\nanalytical:{analytical}\n"
                )
    return True
