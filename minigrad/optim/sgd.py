"""Stochastic gradient descent: step every parameter against its gradient, p ← p - lr·g.

Options, applied in this order to the gradient g of each parameter p (PyTorch's exact rule):

- ``maximize``:        g ← -g  (climb the loss instead);
- ``weight_decay`` λ:  g ← g + λ·p  (pulls weights towards 0, the gradient of λ/2·|p|²);
- ``momentum`` μ:      b ← μ·b + (1 - dampening)·g  (b starts as g), then g ← b, or with ``nesterov``
  g ← g + μ·b: the step keeps some of the previous steps' direction, which smooths out zig-zags;
- finally p ← p - lr·g.

The step works on the numpy arrays behind the tensors, in place (``out=``), as PyTorch's kernels do: no graph, no
temporary tensor per operation. Each parameter's version goes up by one, as ``p.add_(g, alpha=-lr)`` would bump it,
so a graph that saved p still notices it changed.
"""
import numpy as np

from minigrad.optim.optimizer import (Optimizer, check_differentiable, check_writable, step_without_grad,
                                      updated_in_place)
from minigrad.tensor import Tensor


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)``."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
                 foreach=None, differentiable=False, fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        check_differentiable(differentiable)
        # foreach and fused choose between PyTorch's kernels (same maths); they are kept so the groups print alike
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach, "differentiable": differentiable,
                    "fused": fused}
        super().__init__(params, defaults)

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue  # not used by the last backward: leave it alone
                check_writable(p)
                param, g = p._data, grad._data
                # the changed gradient goes into an array of this step's own, made at the first change: p.grad and
                # the momentum buffer are never written by mistake (ufuncs write into ``out=``, also for 0-d arrays)
                own = None
                if maximize:
                    g = own = np.negative(g, out=np.empty_like(g))
                if weight_decay != 0:  # g + λ·p, as grad.add(p, alpha=λ)
                    decay = np.multiply(param, weight_decay, out=np.empty_like(param))
                    g = own = np.add(g, decay, out=decay)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:  # the first step: the buffer starts as the gradient
                        buf = state["momentum_buffer"] = Tensor._make(np.array(g, copy=True))
                    else:  # b ← μ·b + (1 - dampening)·g, as buf.mul_(μ).add_(g, alpha=1 - dampening)
                        b = buf._data
                        np.multiply(b, momentum, out=b)
                        np.add(b, g if dampening == 0 else np.multiply(g, 1 - dampening), out=b)
                        updated_in_place(buf, 2)
                    if nesterov:  # g + μ·b, as grad.add(buf, alpha=μ)
                        push = np.multiply(buf._data, momentum, out=np.empty_like(buf._data))
                        g = own = np.add(g, push, out=push)
                    else:
                        g, own = buf._data, None
                # p ← p - lr·g, as p.add_(g, alpha=-lr)
                step = np.multiply(g, -lr, out=own if own is not None else np.empty_like(g))
                np.add(param, step, out=param)
                updated_in_place(p)
