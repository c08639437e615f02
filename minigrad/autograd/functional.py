"""``jacobian`` and ``hessian``, built from ``autograd.grad`` one row at a time.

backward never builds a Jacobian: it computes vector-Jacobian products vᵀJ. Choosing v = the one-hot vector e_i
gives row i of J, so the full Jacobian of f: Rⁿ → Rᵐ costs m backward passes, one per output element, exactly as
``jacobian`` below does. The Hessian is the Jacobian of the gradient: ``grad(..., create_graph=True)`` records the
backward pass so that it can be differentiated once more.
"""
from minigrad.autograd import grad as _grad
from minigrad.autograd.grad_mode import enable_grad


def _as_tuple(name, what, value, kind="inputs"):
    from minigrad.tensor import Tensor

    if isinstance(value, Tensor):
        return False, (value,)
    if isinstance(value, tuple) and all(isinstance(v, Tensor) for v in value):
        return True, value
    if kind == "inputs":
        if isinstance(value, tuple):
            index = next(i for i, v in enumerate(value) if not isinstance(v, Tensor))
            detail = f"the value at index {index} has type {type(value[index])}"
        else:
            detail = f"the given {what} has type {type(value)}"
        raise TypeError(f"The {what} given to {name} must be either a Tensor or a tuple of Tensors but {detail}.")
    raise TypeError(f"The outputs of the user-provided function given to {name} must be either a Tensor or a tuple "
                    f"of Tensors but the given outputs of the user-provided function has type {type(value)}.")


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """d func(inputs) / d inputs: for one input and one output, a tensor of shape ``output.shape + input.shape``
    (entry [i, j] = d output_i / d input_j). Several inputs (a tuple) give a tuple, one Jacobian per input; several
    outputs give a tuple per output."""
    from minigrad.creation import zeros

    many_inputs, inputs = _as_tuple("jacobian", "inputs", inputs)
    with enable_grad():
        inputs = tuple(x.detach().requires_grad_(x.is_floating_point()) for x in inputs)  # leaves of our own
        many_outputs, outputs = _as_tuple("jacobian", "outputs", func(*inputs), kind="outputs")
        result = []
        for out_index, output in enumerate(outputs):
            flat = output.reshape(-1)
            rows = [[] for _ in inputs]
            for i in range(flat.numel()):
                grads = (None,) * len(inputs)
                if flat.requires_grad:
                    grads = _grad(flat[i], inputs, retain_graph=True, create_graph=create_graph, allow_unused=True)
                for in_index, (x, g) in enumerate(zip(inputs, grads)):
                    if g is None and strict:
                        raise RuntimeError(f"Output {out_index} of the user-provided function is independent of "
                                           f"input {in_index}. This is not allowed in strict mode.")
                    rows[in_index].append(zeros(x.shape, dtype=x.dtype) if g is None else g)
            per_input = []
            for x, row in zip(inputs, rows):
                from minigrad.ops.joining import stack

                stacked = stack(row) if row else zeros((0,) + tuple(x.shape), dtype=x.dtype)
                jac = stacked.reshape(tuple(output.shape) + tuple(x.shape))
                per_input.append(jac if create_graph else jac.detach())
            result.append(tuple(per_input) if many_inputs else per_input[0])
    return tuple(result) if many_outputs else result[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The second derivatives of a function with a single-element output: shape ``input.shape + input.shape`` for
    one input, a tuple of tuples (one block per pair of inputs) for several."""
    many_inputs, inputs = _as_tuple("hessian", "inputs", inputs)

    def gradient(*xs):
        output = func(*xs)
        _, outputs = _as_tuple("hessian", "outputs", output, kind="outputs")
        if len(outputs) != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if outputs[0].numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        if not outputs[0].requires_grad:
            from minigrad.creation import zeros

            return tuple(zeros(x.shape, dtype=x.dtype) for x in xs)
        grads = _grad(outputs[0].reshape(()), xs, create_graph=True, allow_unused=True)
        from minigrad.creation import zeros

        return tuple(zeros(x.shape, dtype=x.dtype) if g is None else g for g in grads)

    result = jacobian(gradient, inputs if many_inputs else inputs[0], create_graph=create_graph, strict=strict)
    if many_inputs:
        return result
    return result[0]
