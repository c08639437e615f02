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
from minigrad.creation import tensor, zeros_like
from minigrad.optim.optimizer import Optimizer, check_differentiable, step_without_grad


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
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:  # first step for this parameter: averages start at zero
                    state["step"] = tensor(0.0)
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_like(p)
                grad = -p.grad if group["maximize"] else p.grad
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                state["step"] += 1
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        p.mul_(1 - lr * weight_decay)  # AdamW: shrink the weights directly
                    else:
                        grad = grad.add(p, alpha=weight_decay)
                exp_avg.lerp_(grad, 1 - beta1)  # m + (1-β1)(g - m) = β1·m + (1-β1)·g
                exp_avg_sq.mul_(beta2).add_((1 - beta2) * grad * grad)
                step = state["step"].item()
                bias_correction1 = 1 - beta1 ** step
                bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
                step_size = lr / bias_correction1
                if amsgrad:
                    state["max_exp_avg_sq"].copy_(state["max_exp_avg_sq"].maximum(exp_avg_sq))
                    exp_avg_sq = state["max_exp_avg_sq"]
                denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                p.add_(-step_size * exp_avg / denom)  # in place: bumps p's version and tells viewers p changed
