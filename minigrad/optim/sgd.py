"""Stochastic gradient descent: step every parameter against its gradient, p ← p - lr·g.

Options, applied in this order to the gradient g of each parameter p (PyTorch's exact rule):

- ``weight_decay`` λ:  g ← g + λ·p  (pulls weights towards 0, the gradient of λ/2·|p|²);
- ``momentum`` μ:      b ← μ·b + (1 - dampening)·g  (b starts as g), then g ← b, or with ``nesterov``
  g ← g + μ·b: the step keeps some of the previous steps' direction, which smooths out zig-zags;
- finally p ← p - lr·g.
"""
from minigrad.optim.optimizer import Optimizer, check_differentiable, step_without_grad


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
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # not used by the last backward: leave it alone
                grad = -p.grad if group["maximize"] else p.grad
                if weight_decay != 0:
                    grad = grad.add(p, alpha=weight_decay)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = grad.detach().clone()
                        state["momentum_buffer"] = buf
                    else:
                        buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                    grad = grad.add(buf, alpha=momentum) if nesterov else buf
                p.add_(grad, alpha=-lr)  # in place: bumps p's version and tells viewers p changed
