"""Adam: gradient descent with a per-parameter step size, from running averages of the gradient.

For each parameter p with gradient g, at step t (PyTorch's exact rule):

    g ← g + λ·p                         (weight_decay λ; with decoupled_weight_decay, p ← p·(1 - lr·λ) instead)
    m ← β1·m + (1 - β1)·g               running mean of the gradient (the direction)
    v ← β2·v + (1 - β2)·g²              running mean of its square (how large it usually is)
    m̂ = m / (1 - β1^t),  v̂ = v / (1 - β2^t)   (m and v start at 0; this corrects the early steps)
    p ← p - lr · m̂ / (sqrt(v̂) + eps)

Each element of p moves by about ``lr`` per step whatever the scale of its gradient. With ``amsgrad``, v̂ uses the
largest v seen so far, so the step size never grows back.
"""
import numpy as np

from minigrad.creation import tensor, zeros_like
from minigrad.optim.optimizer import (Optimizer, check_differentiable, check_writable, step_without_grad,
                                      updated_in_place)


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise ValueError("betas must be either both floats or both Tensors")
        check_differentiable(differentiable)
        # foreach, capturable and fused choose between PyTorch's kernels (same maths); kept so groups print alike
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    @step_without_grad
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            weight_decay, amsgrad, maximize = group["weight_decay"], group["amsgrad"], group["maximize"]
            decoupled = group["decoupled_weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                check_writable(p)
                state = self.state[p]
                if len(state) == 0:  # first step for this parameter: averages start at zero
                    state["step"] = tensor(0.0)
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_like(p)
                param, g = p._data, p.grad._data
                if maximize:
                    g = np.negative(g)
                step_count = state["step"]
                np.add(step_count._data, 1, out=step_count._data)  # state["step"] += 1
                updated_in_place(step_count)
                if weight_decay != 0:
                    if decoupled:  # AdamW: shrink the weights directly, as p.mul_(1 - lr·λ)
                        np.multiply(param, 1 - lr * weight_decay, out=param)
                        updated_in_place(p)
                    else:  # g + λ·p, as grad.add(p, alpha=λ)
                        g = np.add(g, np.multiply(param, weight_decay))
                # m ← β1·m + (1-β1)·g, as exp_avg.lerp_(g, 1 - β1) computes it: m + w·(g - m) for a weight w
                # below 0.5, else g - (g - m)·(1 - w)
                exp_avg = state["exp_avg"]
                m = exp_avg._data
                difference = np.subtract(g, m, out=np.empty_like(m))
                if 1 - beta1 < 0.5:
                    np.add(m, np.multiply(difference, 1 - beta1, out=difference), out=m)
                else:
                    np.subtract(g, np.multiply(difference, beta1, out=difference), out=m)
                updated_in_place(exp_avg)
                # v ← β2·v + (1-β2)·g·g, as exp_avg_sq.mul_(β2).addcmul_(g, g, value=1 - β2)
                exp_avg_sq = state["exp_avg_sq"]
                v = exp_avg_sq._data
                np.multiply(v, beta2, out=v)
                np.add(v, np.multiply(np.multiply(g, 1 - beta2), g), out=v)
                updated_in_place(exp_avg_sq, 2)
                step = step_count._data.item()
                bias_correction1 = 1 - beta1 ** step
                bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
                step_size = lr / bias_correction1
                if amsgrad:  # the largest v so far, as torch.maximum(max_v, v, out=max_v)
                    max_exp_avg_sq = state["max_exp_avg_sq"]
                    v = np.maximum(max_exp_avg_sq._data, v, out=max_exp_avg_sq._data)
                    updated_in_place(max_exp_avg_sq)
                # p ← p - step_size · m / (sqrt(v) / sqrt(bias_correction2) + eps), as p.addcdiv_(m, denom, ...)
                denom = np.sqrt(v, out=np.empty_like(v))
                np.divide(denom, bias_correction2_sqrt, out=denom)
                np.add(denom, eps, out=denom)
                update = np.multiply(m, -step_size, out=np.empty_like(m))
                np.add(param, np.divide(update, denom, out=update), out=param)
                updated_in_place(p)
