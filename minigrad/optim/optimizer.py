"""``Optimizer``: the base class that holds the parameters to update and the settings for updating them.

A training step is always the same three lines::

    optimizer.zero_grad()   # forget the gradients of the previous step
    loss.backward()         # fill p.grad for every parameter p
    optimizer.step()        # move every p a little against its gradient

``param_groups`` is a list of dicts, each with a list of parameters under ``"params"`` and the settings
(``"lr"``, ...) used for them; ``state`` keeps what a method remembers between steps for each parameter
(e.g. SGD's momentum buffer). Steps change the parameters in place, under ``no_grad``: the update itself is not
part of any graph, and the parameters stay the same leaf tensors the model holds.
"""
import copy
import functools
import warnings
from collections import defaultdict

from minigrad import events
from minigrad.autograd.grad_mode import enable_grad, no_grad
from minigrad.autograd.inference_mode import INPLACE_INFERENCE_TENSOR_ERROR, is_inference_mode_enabled
from minigrad.nn.module import _typename, zero_grads
from minigrad.ops.arithmetic import broadcast_shape
from minigrad.tensor import Tensor


def step_without_grad(step):
    """Decorate an optimizer's ``step``: run it under ``no_grad``, but run the optional closure with grad on.

    Every gradient is checked against its parameter before anything changes, so a step that fails (one ``.grad``
    of the wrong shape) leaves every parameter and every piece of state as it was: fixing the gradient and stepping
    again works. (PyTorch leaves the parameters before the failing one updated, and a momentum buffer of the wrong
    shape behind.)
    """

    @functools.wraps(step)
    def wrapper(self, closure=None):
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()  # the closure recomputes the loss and calls backward
        for group in self.param_groups:
            # the first op PyTorch's step runs with a gradient names it first in its error: grad.add(p) for a
            # weight decay added to the gradient, p.add_(grad) or buf.add_(grad) otherwise
            check_gradients(group["params"], grad_first=group.get("weight_decay", 0) != 0 and not group.get(
                "decoupled_weight_decay", False))
        with no_grad():
            step(self)
        self._opt_called = True  # a learning-rate scheduler checks that step() ran before its own step()
        return loss

    return wrapper


def check_gradients(params, grad_first=False):
    """PyTorch's errors for a gradient that cannot update its parameter in place (set through ``grad.data``)."""
    for p in params:
        grad = p.grad
        if grad is None or grad._data.shape == p._data.shape:
            continue
        shapes = (grad._data.shape, p._data.shape) if grad_first else (p._data.shape, grad._data.shape)
        shape = broadcast_shape(*shapes)  # "The size of tensor a (2) must match the size of tensor b (3) ..."
        if shape != p._data.shape:
            raise RuntimeError(f"output with shape {list(p._data.shape)} doesn't match the broadcast shape "
                               f"{list(shape)}")


def updated_in_place(tensor, changes=1):
    """After writing into ``tensor._data`` directly: bump its version by the number of in-place ops PyTorch's step
    runs on it (so a graph that saved it sees it changed) and tell viewers, as an in-place op does."""
    tensor._version_counter.value += changes
    if events.listeners:
        events.emit("data_changed", tensor)


def check_writable(tensor):
    """The one check of an in-place op that still applies under ``no_grad``: inference tensors stay read-only."""
    if tensor._is_inference and not is_inference_mode_enabled():
        raise RuntimeError(INPLACE_INFERENCE_TENSOR_ERROR)


class Optimizer:
    """Base class: subclasses set ``defaults`` (their settings) and write ``step``."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but "
                            "got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own settings (those it does not give are taken from ``defaults``)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        # model.named_parameters() gives (name, parameter) pairs
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names and len(names) != len(params):
            raise ValueError("all optimizer params should be with/without names. Some param names are missing")
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                # a computed tensor is recomputed from the leaves on every forward: changing it would not stick
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          UserWarning, stacklevel=3)
        for group in self.param_groups:
            if ("param_names" in group) != bool(names):
                raise ValueError("all optimizer param groups should be with/without names. cannot add param group "
                                 f"{'with names' if names else 'without names'} to the optimizer")
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in existing for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        # all checks passed: only now change the group and the optimizer
        param_group["params"] = params
        if names:
            param_group["param_names"] = names
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        self.param_groups.append(param_group)

    def state_dict(self):
        """What the optimizer has learned, without the parameters themselves: ``{'state': {index: {...}},
        'param_groups': [{'lr': ..., 'params': [indices]}]}``, parameters numbered in order across the groups.
        Save it with the model's state_dict to resume training."""
        index_of, groups = {}, []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index_of[id(p)] if isinstance(p, Tensor) else p: value for p, value in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Take over a saved ``state_dict``: settings per group and state per parameter (copied, and cast to each
        parameter's dtype). Checked whole first: a mismatch changes nothing."""
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(saved["params"]) != len(group["params"]) for saved, group in zip(saved_groups, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        param_of = {index: p for saved, group in zip(saved_groups, self.param_groups)
                    for index, p in zip(saved["params"], group["params"])}
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of:
                p = param_of[key]
                state[p] = {name: _copied_state(p, name, item) for name, item in value.items()}
            else:
                state[key] = copy.deepcopy(value)
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.state, self.param_groups = state, new_groups

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient (``.grad = None``), so the next backward starts from zero."""
        for group in self.param_groups:
            zero_grads(group["params"], set_to_none)

    def step(self, closure=None):
        """Update the parameters once from their ``.grad``; each method defines its own rule."""
        raise NotImplementedError

    def __repr__(self):
        text = type(self).__name__ + " ("
        for index, group in enumerate(self.param_groups):
            text += f"\nParameter Group {index}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _copied_state(param, name, value):
    """A copy of a saved state value; floating-point tensors take the parameter's dtype (``step`` stays as is)."""
    if isinstance(value, Tensor):
        if name != "step" and value.is_floating_point() and param.is_floating_point():
            return value.detach().to(param.dtype, copy=True)
        return value.detach().clone()
    return copy.deepcopy(value)


def check_differentiable(differentiable):
    """PyTorch can differentiate through a step (``differentiable=True``); minigrad's steps run under no_grad."""
    if differentiable:
        raise NotImplementedError("minigrad optimizers do not support differentiable=True")
